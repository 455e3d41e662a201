"""Styles of percussion playing: kit grooves, fills, single hits, rhythmic patterns, rolls."""

import numpy as np

from data_pipeline.demo.instruments import Instrument
from data_pipeline.demo.score import PLAY_SECONDS, Note, beats, velocity


def groove(rng, inst: Instrument, low: int, high: int) -> list[Note]:
    """A kit groove: kick, snare on the back beat, hi-hat eighths, a crash at times."""
    kick, snare, closed, opened, _, _, crash = inst.drum_keys
    notes = []
    for i, onset in enumerate(beats(rng, 2)):
        notes.append(Note(onset, 0.1, opened if rng.random() < 0.15 else closed, velocity(rng, 50, 100)))
        if i % 4 == 0 or rng.random() < 0.15:
            notes.append(Note(onset, 0.1, kick, velocity(rng, 90, 127)))
        if i % 4 == 2:
            notes.append(Note(onset, 0.1, snare, velocity(rng, 80, 127)))
    if rng.random() < 0.4:
        notes.append(Note(notes[0].onset, 0.5, crash, velocity(rng, 80, 120)))
    return notes


def fill(rng, inst: Instrument, low: int, high: int) -> list[Note]:
    """A run of sixteenths down the drums (toms and snare of a kit, or the one drum), louder towards the end."""
    keys = [inst.drum_keys[i] for i in (1, 5, 4)] if len(inst.drum_keys) == 7 else list(inst.drum_keys)
    onsets = beats(rng, 4, (70, 130))
    notes = [
        Note(
            t,
            0.1,
            keys[min(len(keys) - 1, i * len(keys) // len(onsets))],
            int(60 + 60 * i / len(onsets)) + velocity(rng, -5, 6),
        )
        for i, t in enumerate(onsets)
    ]
    if len(inst.drum_keys) == 7:
        notes.append(Note(PLAY_SECONDS - 0.6, 0.5, inst.drum_keys[6], velocity(rng, 90, 127)))
    return notes


def hits(rng, inst: Instrument, low: int, high: int) -> list[Note]:
    """One to three single hits, each left to ring."""
    onsets = np.sort(rng.uniform(0, 2.0, int(rng.integers(1, 4))))
    return [Note(t, 1.0, int(rng.choice(inst.drum_keys)), velocity(rng, 70, 127)) for t in onsets]


def pattern(rng, inst: Instrument, low: int, high: int) -> list[Note]:
    """An accented rhythm with rests."""
    accent = int(rng.choice([2, 3, 4]))
    keys = inst.drum_keys
    return [
        Note(t, 0.1, int(rng.choice(keys)), velocity(rng, 95, 127) if i % accent == 0 else velocity(rng, 45, 85))
        for i, t in enumerate(beats(rng, int(rng.choice([2, 4]))))
        if i % accent == 0 or rng.random() < 0.75
    ]


def roll(rng, inst: Instrument, low: int, high: int) -> list[Note]:
    """A fast roll or shake swelling and fading over most of the clip."""
    rate = rng.uniform(12, 22)
    start, length = rng.uniform(0, 0.5), rng.uniform(0.8, 2.2)
    onsets = np.arange(start, start + length, 1 / rate)
    swell = np.sin(np.pi * (onsets - start) / length)
    key = int(rng.choice(inst.drum_keys))
    return [Note(t, 0.08, key, int(40 + 70 * s) + velocity(rng, -5, 6)) for t, s in zip(onsets, swell, strict=True)]
