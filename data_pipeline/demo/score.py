"""Random, deterministic musical content for one demo clip: notes, chords, strums, beats."""

from dataclasses import dataclass

import numpy as np

from data_pipeline.demo.instruments import Instrument

PLAY_SECONDS = 2.7  # notes end before this; the rest of the 3 s clip holds their release
MAJOR, MINOR = (0, 4, 7), (0, 3, 7)
SCALE = (0, 2, 4, 5, 7, 9, 11)


@dataclass(frozen=True)
class Note:
    """One note: onset and length in seconds, MIDI key, velocity."""

    onset: float
    length: float
    key: int
    velocity: int


@dataclass(frozen=True)
class Clip:
    """What to play in one clip: program (None on the drum channel), notes, pitch bends."""

    program: int | None
    notes: tuple[Note, ...]
    bends: tuple[tuple[float, int], ...] = ()


def _beats(rng: np.random.Generator, per_beat: int) -> np.ndarray:
    """Onsets of a steady pulse at a random tempo, starting near 0."""
    step = 60.0 / rng.uniform(70, 160) / per_beat
    start = rng.uniform(0.0, 0.15)
    return np.arange(start, PLAY_SECONDS - 0.1, step)


def _scale_keys(rng, low: int, high: int) -> list[int]:
    root = int(rng.integers(0, 12))
    return [k for k in range(low, high + 1) if (k - root) % 12 in SCALE]


def _chord(rng, low: int, high: int, span: int = 3) -> list[int]:
    root = int(rng.integers(low, max(low + 1, high - 12)))
    shape = MAJOR if rng.random() < 0.6 else MINOR
    keys = [root + shape[i % 3] + 12 * (i // 3) for i in range(span)]
    return [k for k in keys if k <= high] or [root]


def melody(rng, inst: Instrument) -> list[Note]:
    """A stepwise monophonic line in a random key and tempo, slightly detached or legato."""
    keys = _scale_keys(rng, inst.low, inst.high)
    pos = int(rng.integers(0, len(keys)))
    onsets = _beats(rng, int(rng.choice([1, 2])))
    legato = rng.uniform(0.6, 1.0)
    notes = []
    for i, onset in enumerate(onsets):
        pos = int(np.clip(pos + rng.integers(-2, 3), 0, len(keys) - 1))
        end = onsets[i + 1] if i + 1 < len(onsets) else PLAY_SECONDS
        notes.append(Note(onset, (end - onset) * legato, keys[pos], int(rng.integers(60, 115))))
    return notes


def chords(rng, inst: Instrument) -> list[Note]:
    """Sustained chords, one or two per clip, with a melody note on top now and then."""
    count = int(rng.integers(1, 4))
    bounds = np.linspace(rng.uniform(0, 0.1), PLAY_SECONDS, count + 1)
    notes = []
    for start, end in zip(bounds[:-1], bounds[1:], strict=True):
        velocity = int(rng.integers(55, 110))
        notes += [Note(start, end - start, k, velocity) for k in _chord(rng, inst.low, inst.high - 12, 4)]
    return notes


def strum(rng, inst: Instrument) -> list[Note]:
    """Strummed chords: strings a few milliseconds apart, alternating down and up strokes."""
    onsets = _beats(rng, int(rng.choice([1, 2])))
    gap = rng.uniform(0.008, 0.03)
    notes = []
    chord = _chord(rng, inst.low, inst.high, int(rng.integers(3, 6)))
    for i, onset in enumerate(onsets):
        if rng.random() < 0.25:
            chord = _chord(rng, inst.low, inst.high, int(rng.integers(3, 6)))
        order = chord if i % 2 == 0 else chord[::-1]
        velocity = int(rng.integers(55, 120))
        for j, key in enumerate(order):
            start = onset + j * gap
            notes.append(Note(start, max(0.1, PLAY_SECONDS - start), key, velocity))
    return notes


def tremolo(rng, inst: Instrument) -> list[Note]:
    """Rapidly repeated picking of one or two held pitches, changing pitch a few times."""
    keys = _scale_keys(rng, inst.low, inst.high)
    rate = rng.uniform(10, 16)
    onsets = np.arange(rng.uniform(0, 0.1), PLAY_SECONDS, 1 / rate)
    held = rng.choice(keys, size=int(rng.integers(1, 4)))
    return [
        Note(onset, 0.9 / rate, int(held[i * len(held) // len(onsets)]), int(rng.integers(60, 110)))
        for i, onset in enumerate(onsets)
    ]


def bass(rng, inst: Instrument) -> list[Note]:
    """A riff on root and fifth in the low register."""
    root = int(rng.integers(inst.low, inst.low + 12))
    onsets = _beats(rng, int(rng.choice([1, 2])))
    return [
        Note(onset, 0.8 * (onsets[1] - onsets[0] if len(onsets) > 1 else 0.5),
             root + int(rng.choice([0, 0, 7, 12, 5])), int(rng.integers(70, 120)))
        for onset in onsets
    ]  # fmt: skip


def arpeggio(rng, inst: Instrument) -> list[Note]:
    """Broken chords, each note left ringing."""
    chord = _chord(rng, inst.low, inst.high, 4)
    onsets = _beats(rng, 2)
    return [
        Note(onset, min(1.2, PLAY_SECONDS - onset), chord[i % len(chord)], int(rng.integers(50, 110)))
        for i, onset in enumerate(onsets)
    ]


def drums(rng, inst: Instrument) -> list[Note]:
    """A kit groove: kick, snare on the back beat, hi-hat eighths, a fill or crash at times."""
    kick, snare, closed, opened, tom_low, tom_high, crash = inst.drum_keys
    onsets = _beats(rng, 2)
    notes = []
    for i, onset in enumerate(onsets):
        hat = opened if rng.random() < 0.15 else closed
        notes.append(Note(onset, 0.1, hat, int(rng.integers(50, 100))))
        if i % 4 == 0 or rng.random() < 0.15:
            notes.append(Note(onset, 0.1, kick, int(rng.integers(90, 127))))
        if i % 4 == 2:
            notes.append(Note(onset, 0.1, snare, int(rng.integers(80, 127))))
        if i > len(onsets) - 4 and rng.random() < 0.4:
            notes.append(Note(onset, 0.1, int(rng.choice([tom_low, tom_high])), 100))
    if rng.random() < 0.4:
        notes.append(Note(onsets[0], 0.5, crash, int(rng.integers(80, 120))))
    return notes


def pattern(rng, inst: Instrument) -> list[Note]:
    """A single percussion instrument playing an accented rhythm with rests."""
    onsets = _beats(rng, int(rng.choice([2, 4])))
    accent = int(rng.choice([2, 3, 4]))
    keys = inst.drum_keys
    return [
        Note(onset, 0.1, keys[int(rng.integers(0, len(keys)))],
             int(rng.integers(95, 127)) if i % accent == 0 else int(rng.integers(45, 85)))
        for i, onset in enumerate(onsets)
        if i % accent == 0 or rng.random() < 0.75
    ]  # fmt: skip


def cymbals(rng, inst: Instrument) -> list[Note]:
    """One to three cymbal hits, each left to ring."""
    onsets = np.sort(rng.uniform(0, 2.0, int(rng.integers(1, 4))))
    return [Note(t, 1.0, int(rng.choice(inst.drum_keys)), int(rng.integers(70, 127))) for t in onsets]


def slide(rng, inst: Instrument) -> tuple[list[Note], list[tuple[float, int]]]:
    """Held notes with slide glissandi into each, as pitch-bend ramps."""
    keys = _scale_keys(rng, inst.low, inst.high)
    count = int(rng.integers(2, 5))
    bounds = np.linspace(0.05, PLAY_SECONDS, count + 1)
    notes, bends = [], []
    for start, end in zip(bounds[:-1], bounds[1:], strict=True):
        notes.append(Note(start, end - start, int(rng.choice(keys)), int(rng.integers(70, 115))))
        depth = int(rng.integers(-4096, 0))
        for step in range(8):
            bends.append((start + step * 0.02, int(depth * (1 - step / 7))))
    return notes, bends


STYLES = {
    "melody": melody, "chords": chords, "strum": strum, "tremolo": tremolo, "bass": bass,
    "arpeggio": arpeggio, "drums": drums, "pattern": pattern, "cymbals": cymbals,
}  # fmt: skip


def compose(inst: Instrument, rng: np.random.Generator) -> Clip:
    """Random content of one clip of `inst`."""
    program = int(rng.choice(inst.programs)) if inst.programs else None
    if inst.style == "slide":
        notes, bends = slide(rng, inst)
        return Clip(program, tuple(notes), tuple(bends))
    return Clip(program, tuple(STYLES[inst.style](rng, inst)))
