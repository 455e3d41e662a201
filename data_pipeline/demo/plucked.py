"""Styles of guitar-family playing: strums, riffs, power chords, octaves, finger-picked rolls, slide."""

import numpy as np

from data_pipeline.demo.instruments import Instrument
from data_pipeline.demo.score import PENTATONIC, PLAY_SECONDS, Note, beats, chord, scale_keys, spacing, velocity, walk


def strum(rng, inst: Instrument, low: int, high: int) -> list[Note]:
    """Strummed chords: strings a few milliseconds apart, alternating down and up strokes."""
    gap = rng.uniform(0.008, 0.03)
    keys, notes = chord(rng, low, high, int(rng.integers(3, 6))), []
    for i, onset in enumerate(beats(rng, int(rng.choice([1, 2])))):
        if rng.random() < 0.25:
            keys = chord(rng, low, high, int(rng.integers(3, 6)))
        loud = velocity(rng, 55, 120)
        for j, key in enumerate(keys if i % 2 == 0 else keys[::-1]):
            notes.append(Note(onset + j * gap, max(0.1, PLAY_SECONDS - onset - j * gap), key, loud))
    return notes


def riff(rng, inst: Instrument, low: int, high: int) -> list[Note]:
    """A short single-note pentatonic motif, repeated."""
    onsets = beats(rng, 2, (80, 150))
    motif = walk(rng, scale_keys(rng, low, min(high, low + 15), PENTATONIC), int(rng.integers(3, 6)))
    rests = rng.random(len(motif)) < 0.2
    if rests.all():  # a motif of rests only would leave the clip silent: its first note is played
        rests[0] = False
    step = spacing(onsets, 0.3)
    return [
        Note(t, step * rng.uniform(0.5, 0.9), motif[i % len(motif)], velocity(rng, 70, 120))
        for i, t in enumerate(onsets)
        if not rests[i % len(motif)]
    ]


def power_chords(rng, inst: Instrument, low: int, high: int) -> list[Note]:
    """Root, fifth and octave in eighths, palm-muted short or left ringing."""
    ring = rng.uniform(0.3, 0.95)
    notes, root = [], int(rng.integers(inst.low, inst.low + 10))
    onsets = beats(rng, 2, (90, 170))
    step = spacing(onsets, 0.3)
    for i, onset in enumerate(onsets):
        if i % 4 == 0 and rng.random() < 0.5:
            root = int(rng.integers(inst.low, inst.low + 10))
        loud = velocity(rng, 80, 125)
        notes += [Note(onset, step * ring, root + interval, loud) for interval in (0, 7, 12)]
    return notes


def octaves(rng, inst: Instrument, low: int, high: int) -> list[Note]:
    """A root and its octave, alternating in eighths."""
    root = int(rng.integers(inst.low, inst.low + 12))
    onsets = beats(rng, 2, (80, 150))
    step = spacing(onsets, 0.3)
    return [Note(t, 0.8 * step, root + 12 * (i % 2), velocity(rng, 70, 120)) for i, t in enumerate(onsets)]


def fingerpicking(rng, inst: Instrument, low: int, high: int) -> list[Note]:
    """Finger-picked rolls (banjo forward roll, Travis picking): a fixed pattern over a chord, notes ringing."""
    keys = chord(rng, low, high, 4)
    pattern = [keys[i % len(keys)] for i in rng.choice([[0, 1, 2, 3], [0, 2, 1, 3], [3, 1, 2, 0]])]
    onsets = beats(rng, 4, (60, 110))
    return [Note(t, min(0.8, PLAY_SECONDS - t), pattern[i % 4], velocity(rng, 55, 110)) for i, t in enumerate(onsets)]


def slide(rng, inst: Instrument, low: int, high: int) -> list[Note]:
    """Two to four held notes, each reached by a slide (the bends come with the instrument's `slide` bend)."""
    count = int(rng.integers(2, 5))
    bounds = np.linspace(0.05, PLAY_SECONDS, count + 1)
    keys = scale_keys(rng, low, high)
    return [
        Note(s, e - s, int(rng.choice(keys)), velocity(rng, 70, 115))
        for s, e in zip(bounds[:-1], bounds[1:], strict=True)
    ]
