"""Random, deterministic content of one demo clip: a style, a program, a register, and how it is played."""

from dataclasses import replace

import numpy as np

from data_pipeline.demo import lines, percussion, plucked
from data_pipeline.demo.expression import bends, course, dynamics, sends, shaping
from data_pipeline.demo.instruments import UNSAMPLED_KEYS, Instrument
from data_pipeline.demo.score import Clip, Note

STYLES = {
    name: getattr(module, name)
    for module, names in (
        (
            lines,
            ("melody", "staccato", "legato", "long_tones", "chords", "arpeggio", "bass_line", "walking", "tremolo"),
        ),
        (plucked, ("strum", "riff", "power_chords", "octaves", "fingerpicking", "slide")),
        (percussion, ("groove", "fill", "hits", "pattern", "roll")),
    )
    for name in names
}
REGISTER_SPAN = 19  # a clip plays within about an octave and a half of the instrument's range


def register(rng: np.random.Generator, inst: Instrument) -> tuple[int, int]:
    """A random stretch of the instrument's range."""
    low = int(rng.integers(inst.low, max(inst.low, inst.high - REGISTER_SPAN) + 1))
    return low, min(inst.high, low + REGISTER_SPAN)


def in_reach(notes: list[Note], program: int) -> list[Note]:
    """Notes the program has no sample for, taken an octave (or more) lower, as a player does out of range."""
    unsampled = UNSAMPLED_KEYS.get(program, frozenset())
    return [replace(n, key=lowered(n.key, unsampled)) for n in notes]


def lowered(key: int, unsampled: frozenset[int]) -> int:
    """`key` moved down by octaves to the first key that has a sample."""
    while key in unsampled:
        key -= 12
    return key


def compose(inst: Instrument, rng: np.random.Generator) -> Clip:
    """One clip of `inst`: a style and program drawn from its own, played with its idiom's expression."""
    style = str(rng.choice(inst.styles))
    program = int(rng.choice(inst.kits if inst.percussion else inst.programs))
    played = STYLES[style](rng, inst, *register(rng, inst))
    notes = dynamics(rng, played if inst.percussion else in_reach(played, program))
    controls = sends(rng) + ([] if inst.percussion else shaping(rng, inst))
    pitch_bends = tuple(bends(rng, inst, notes))
    return Clip(program, tuple(notes), pitch_bends, tuple(controls), inst.percussion, style, course(rng, inst))
