"""Styles of melodic and keyboard playing: lines, long tones, chords, arpeggios, bass lines."""

import numpy as np

from data_pipeline.demo.instruments import Instrument
from data_pipeline.demo.score import PLAY_SECONDS, Note, beats, chord, scale_keys, spacing, velocity, walk


def line(rng, low: int, high: int, per_beat: int, legato: float, tempo=(70, 160)) -> list[Note]:
    """A stepwise line; each note lasts `legato` of the time to the next onset."""
    onsets = beats(rng, per_beat, tempo)
    keys = walk(rng, scale_keys(rng, low, high), len(onsets))
    ends = [*onsets[1:], PLAY_SECONDS]
    return [
        Note(t, (end - t) * legato, k, velocity(rng, 60, 115)) for t, end, k in zip(onsets, ends, keys, strict=True)
    ]


def melody(rng, inst: Instrument, low: int, high: int) -> list[Note]:
    """A stepwise tune, slightly detached or legato, one or two notes a beat."""
    return line(rng, low, high, int(rng.choice([1, 2])), rng.uniform(0.6, 1.0))


def staccato(rng, inst: Instrument, low: int, high: int) -> list[Note]:
    """Short detached notes, two to four a beat."""
    return line(rng, low, high, int(rng.choice([2, 3, 4])), rng.uniform(0.2, 0.45), tempo=(70, 130))


def legato(rng, inst: Instrument, low: int, high: int) -> list[Note]:
    """A slurred phrase: each note runs into the next."""
    return line(rng, low, high, int(rng.choice([1, 2])), 1.03, tempo=(60, 120))


def long_tones(rng, inst: Instrument, low: int, high: int) -> list[Note]:
    """One to three held notes with short breaths between them."""
    count = int(rng.integers(1, 4))
    bounds = np.linspace(rng.uniform(0, 0.2), PLAY_SECONDS, count + 1)
    keys = walk(rng, scale_keys(rng, low, high), count, leap=4)
    return [
        Note(s, (e - s) * 0.95, k, velocity(rng, 50, 110))
        for s, e, k in zip(bounds[:-1], bounds[1:], keys, strict=True)
    ]


def chords(rng, inst: Instrument, low: int, high: int) -> list[Note]:
    """Sustained chords, one to three per clip."""
    count = int(rng.integers(1, 4))
    bounds = np.linspace(rng.uniform(0, 0.1), PLAY_SECONDS, count + 1)
    notes = []
    for start, end in zip(bounds[:-1], bounds[1:], strict=True):
        loud = velocity(rng, 55, 110)
        notes += [Note(start, end - start, k, loud) for k in chord(rng, low, max(low + 7, high - 12), 4)]
    return notes


def arpeggio(rng, inst: Instrument, low: int, high: int) -> list[Note]:
    """Broken chords, each note left ringing."""
    keys = chord(rng, low, high, int(rng.integers(3, 6)))
    pattern = keys + keys[-2:0:-1] if rng.random() < 0.5 else keys
    return [
        Note(t, min(1.2, PLAY_SECONDS - t), pattern[i % len(pattern)], velocity(rng, 50, 110))
        for i, t in enumerate(beats(rng, int(rng.choice([2, 3, 4])), (60, 120)))
    ]


def bass_line(rng, inst: Instrument, low: int, high: int) -> list[Note]:
    """A riff on root, fifth and octave in the low register."""
    root = int(rng.integers(inst.low, inst.low + 12))
    onsets = beats(rng, int(rng.choice([1, 2])))
    step = spacing(onsets, 0.5)
    return [Note(t, 0.8 * step, root + int(rng.choice([0, 0, 7, 12, 5])), velocity(rng, 70, 120)) for t in onsets]


def walking(rng, inst: Instrument, low: int, high: int) -> list[Note]:
    """A walking bass: one note a beat, stepping through the scale with chromatic approaches."""
    onsets = beats(rng, 1, (90, 180))
    keys = walk(rng, scale_keys(rng, inst.low, inst.low + 19), len(onsets), leap=1)
    keys = [k - 1 if i % 4 == 3 and rng.random() < 0.4 else k for i, k in enumerate(keys)]
    step = spacing(onsets, 0.5)
    return [Note(t, 0.9 * step, max(inst.low, k), velocity(rng, 70, 115)) for t, k in zip(onsets, keys, strict=True)]


def tremolo(rng, inst: Instrument, low: int, high: int) -> list[Note]:
    """Rapidly repeated notes (picked or bowed) on one to three held pitches."""
    rate = rng.uniform(10, 16)
    onsets = np.arange(rng.uniform(0, 0.1), PLAY_SECONDS, 1 / rate)
    held = rng.choice(scale_keys(rng, low, high), size=int(rng.integers(1, 4)))
    return [
        Note(t, 0.9 / rate, int(held[i * len(held) // len(onsets)]), velocity(rng, 60, 110))
        for i, t in enumerate(onsets)
    ]
