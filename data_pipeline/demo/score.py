"""The vocabulary of a demo clip: notes, controller moves, bends, and the pulses, scales and chords styles use."""

from dataclasses import dataclass

import numpy as np

PLAY_SECONDS = 2.7  # notes end before this; the rest of the 3 s clip holds their release
MAJOR, MINOR = (0, 4, 7), (0, 3, 7)
SCALE = (0, 2, 4, 5, 7, 9, 11)
PENTATONIC = (0, 3, 5, 7, 10)


@dataclass(frozen=True)
class Note:
    """One note: onset and length in seconds, MIDI key, velocity."""

    onset: float
    length: float
    key: int
    velocity: int


@dataclass(frozen=True)
class Clip:
    """What to play in one clip: program (drum kit when `percussion`), notes, pitch bends, controller moves.

    `bends`: (seconds, pitch-wheel value in -8192..8191, i.e. +-2 semitones).
    `controls`: (seconds, controller number, value); reverb and chorus sends, expression, modulation.
    `course`: (pitch-wheel offset, seconds later) of a second string doubling every note; None: one string.
    """

    program: int
    notes: tuple[Note, ...]
    bends: tuple[tuple[float, int], ...] = ()
    controls: tuple[tuple[float, int, int], ...] = ()
    percussion: bool = False
    style: str = ""
    course: tuple[int, float] | None = None


def beats(rng: np.random.Generator, per_beat: int, tempo: tuple[float, float] = (70, 160)) -> np.ndarray:
    """Onsets of a steady pulse at a random tempo, starting near 0."""
    step = 60.0 / rng.uniform(*tempo) / per_beat
    start = rng.uniform(0.0, 0.15)
    return np.arange(start, PLAY_SECONDS - 0.1, step)


def spacing(onsets: np.ndarray, alone: float) -> float:
    """Seconds between the pulses of `beats` (`alone` when the clip has a single onset)."""
    return float(onsets[1] - onsets[0]) if len(onsets) > 1 else alone


def scale_keys(rng: np.random.Generator, low: int, high: int, scale: tuple[int, ...] = SCALE) -> list[int]:
    """Keys of a random key's scale within [low, high]."""
    root = int(rng.integers(0, 12))
    return [k for k in range(low, high + 1) if (k - root) % 12 in scale] or [low]


def chord(rng: np.random.Generator, low: int, high: int, span: int = 3) -> list[int]:
    """A major or minor chord of `span` notes rooted in the lower part of [low, high]."""
    root = int(rng.integers(low, max(low + 1, high - 12)))
    shape = MAJOR if rng.random() < 0.6 else MINOR
    keys = [root + shape[i % 3] + 12 * (i // 3) for i in range(span)]
    return [k for k in keys if k <= high] or [root]


def walk(rng: np.random.Generator, keys: list[int], count: int, leap: int = 2) -> list[int]:
    """A line of `count` keys moving at most `leap` scale steps at a time."""
    position, line = int(rng.integers(0, len(keys))), []
    for _ in range(count):
        position = int(np.clip(position + rng.integers(-leap, leap + 1), 0, len(keys) - 1))
        line.append(keys[position])
    return line


def velocity(rng: np.random.Generator, low: int = 55, high: int = 115) -> int:
    return int(rng.integers(low, high))
