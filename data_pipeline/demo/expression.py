"""How a player shapes a clip beyond its notes: dynamics, swells, vibrato, bends, and the room's effect sends."""

from dataclasses import replace

import numpy as np

from data_pipeline.demo.instruments import Instrument
from data_pipeline.demo.score import PLAY_SECONDS, Note

MODULATION, VOLUME, EXPRESSION, REVERB, CHORUS = 1, 7, 11, 91, 93  # MIDI controller numbers
BEND_SEMITONE = 4096  # pitch-wheel units per semitone at General MIDI's +-2 semitone range
CURVE_POINTS = 24
COURSE_CENTS = (3.0, 12.0)  # how far a course's second string is out of unison
COURSE_DELAY = (0.002, 0.012)  # seconds between picking a course's two strings
CHORD_SPREAD = 0.15  # notes starting this close together are one chord (a strum spreads its strings)


def dynamics(rng: np.random.Generator, notes: list[Note]) -> list[Note]:
    """Velocities along a random crescendo or diminuendo, with a little unevenness."""
    trend, unevenness = rng.uniform(-0.5, 0.5), rng.uniform(0.0, 0.1)
    return [
        replace(
            n,
            velocity=int(
                np.clip(n.velocity * (1 + trend * (n.onset / PLAY_SECONDS - 0.5) + rng.normal(0, unevenness)), 15, 127)
            ),
        )
        for n in notes
    ]


def curve(rng: np.random.Generator, low: int, high: int) -> np.ndarray:
    """A controller curve over the clip: flat, swell, fade, or swell then fade."""
    t = np.linspace(0, 1, CURVE_POINTS)
    shape = {"flat": np.ones_like(t), "swell": t, "fade": 1 - t, "arch": np.sin(np.pi * t)}
    return low + (high - low) * shape[str(rng.choice(list(shape)))]


def sends(rng: np.random.Generator) -> list[tuple[float, int, int]]:
    """Reverb and chorus send levels (none at times) and the channel volume."""
    reverb = 0 if rng.random() < 0.25 else int(rng.integers(10, 110))
    chorus = 0 if rng.random() < 0.5 else int(rng.integers(10, 80))
    return [(0.0, VOLUME, 100), (0.0, REVERB, reverb), (0.0, CHORUS, chorus)]


def shaping(rng: np.random.Generator, inst: Instrument) -> list[tuple[float, int, int]]:
    """Expression swells of sustained instruments and vibrato that sets in after the attack."""
    times = np.linspace(0, PLAY_SECONDS, CURVE_POINTS)
    moves = []
    if inst.sustained:
        moves += [
            (float(t), EXPRESSION, int(v)) for t, v in zip(times, curve(rng, rng.integers(40, 90), 127), strict=True)
        ]
    else:
        moves.append((0.0, EXPRESSION, int(rng.integers(90, 128))))
    if inst.vibrato and rng.random() < 0.7:
        depth, onset = rng.uniform(20, 100), rng.uniform(0.1, 0.6)
        moves += [(float(t), MODULATION, int(depth * min(1.0, max(0.0, (t - onset) / 0.4)))) for t in times]
    else:
        moves.append((0.0, MODULATION, 0))
    return moves


def bends(rng: np.random.Generator, inst: Instrument, notes: list[Note]) -> list[tuple[float, int]]:
    """Pitch-wheel moves of the instrument's idiom: string bends, slides into notes, scoops from below."""
    moves, onsets = [], np.array([n.onset for n in notes])
    for note in sorted(notes, key=lambda n: n.onset):
        in_chord = np.sum(np.abs(onsets - note.onset) < CHORD_SPREAD) > 1  # the wheel bends every string at once
        if inst.bend == "slide" or (inst.bend == "scoop" and rng.random() < 0.3):
            depth = -rng.uniform(0.3, 2.0 if inst.bend == "slide" else 1.0) * BEND_SEMITONE
            glide = rng.uniform(0.04, 0.15)
            moves += [(note.onset + glide * s / 7, int(depth * (1 - s / 7))) for s in range(8)]
        elif inst.bend == "string" and not in_chord and note.length > 0.25 and rng.random() < 0.2:
            peak, rise = rng.uniform(0.5, 1.0) * BEND_SEMITONE, min(0.2, note.length / 2)
            moves += [(note.onset + 0.05 + rise * s / 7, int(peak * s / 7)) for s in range(8)]
            moves.append((note.onset + note.length, 0))
    return [(t, int(np.clip(v, -8192, 8191))) for t, v in moves]


def course(rng: np.random.Generator, inst: Instrument) -> tuple[int, float] | None:
    """The second string of a course: a few cents sharp or flat and a few milliseconds late (None: no courses)."""
    if not inst.courses:
        return None
    cents = rng.uniform(*COURSE_CENTS) * rng.choice([-1, 1])
    return int(cents / 100 * BEND_SEMITONE), float(rng.uniform(*COURSE_DELAY))
