"""What each hyperparameter accepts: its type and range, checked when a space file is read.

A value outside its rule would otherwise train silently wrong (a negative learning rate, a
truncated `64.7`) or fail deep inside Keras; one line naming the key and the value is due instead.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypermodels.class_weighting import CLASS_WEIGHT, WEIGHTINGS
from hypermodels.cnn import HEAD_POOLINGS
from hypermodels.mel_augment import TIME_SHIFT_MODES
from hypermodels.musicnn import EMBEDDING_CHOICES
from hypermodels.musicnn_ft import BLOCKS


def is_number(value: Any) -> bool:
    """A real number (a boolean is not one, though Python counts it as an int)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def is_whole(value: Any) -> bool:
    return is_number(value) and float(value).is_integer()


@dataclass(frozen=True)
class ValueRule:
    """One hyperparameter's accepted values, and how to say what it expects."""

    expects: str  # e.g. "a number in [0, 1)"
    accepts: Callable[[Any], bool]
    ranged: bool = False  # a space may give a range {min, max} for it (numbers), not only a list
    integer: bool = False  # its range holds whole numbers

    def reason(self, value: Any) -> str | None:
        """None when `value` is accepted, else what was expected."""
        return None if self.accepts(value) else f"expected {self.expects}"


def number(low: float, high: float = math.inf, low_open: bool = False, high_open: bool = False) -> ValueRule:
    """A real number within bounds (open or closed at each end)."""
    left, right = "(" if low_open else "[", ")" if high_open or high == math.inf else "]"

    def accepts(v: Any) -> bool:
        if not is_number(v):
            return False
        above = v > low if low_open else v >= low
        below = v < high if high_open else v <= high
        return above and below

    return ValueRule(f"a number in {left}{low:g}, {high:g}{right}", accepts, ranged=True)


def whole(low: int, high: int | None = None) -> ValueRule:
    """A whole number of at least `low` (and at most `high`)."""
    span = f"from {low} to {high}" if high is not None else f"of at least {low}"
    return ValueRule(
        f"a whole number {span}",
        lambda v: is_whole(v) and v >= low and (high is None or v <= high),
        ranged=True,
        integer=True,
    )


def word(words: tuple[str, ...]) -> ValueRule:
    return ValueRule(f"one of {', '.join(words)}", lambda v: isinstance(v, str) and v in words)


def units(count: int, most: int = 1024) -> ValueRule:
    """`count` whole numbers from 1 to `most`, as a list (`[24, 48, 96]`) or a label (`24-48-96`)."""

    def accepts(v: Any) -> bool:
        parts = v.split("-") if isinstance(v, str) else v
        if not isinstance(parts, list | tuple) or len(parts) != count:
            return False
        if isinstance(v, str):
            return all(p.isdigit() and 0 < int(p) <= most for p in parts)
        return all(is_whole(p) and 0 < p <= most for p in parts)

    example = [16 * 2**i for i in range(count)]
    return ValueRule(f"{count} positive whole numbers of at most {most}, e.g. {example}", accepts)


BOOLEAN = ValueRule("true or false", lambda v: isinstance(v, bool))
DROPOUT = number(0, 1, high_open=True)

RULES: dict[str, ValueRule] = {
    "conv_filters": units(3),
    "kernel_size": whole(1, 15),
    "pool_size": whole(1, 8),  # three poolings of 64 mel bands leave at least one
    "dropout_block3": DROPOUT,
    "dense_units": whole(1, 4096),
    "head_pooling": word(HEAD_POOLINGS),
    "dropout_head": DROPOUT,
    "learning_rate": number(0, 1, low_open=True),
    "l2_strength": number(0, 1),
    "gru_units": units(2),
    "dropout": DROPOUT,
    "use_dense_head": BOOLEAN,
    "head_dropout": DROPOUT,
    "pitch_shift": number(0, 12),  # semitones; each augmentation is off at 0
    "eq_db": number(0, 40),
    "gain_db": number(0, 40),
    "time_shift": number(0, 1),  # a fraction of the clip
    "time_shift_mode": word(TIME_SHIFT_MODES),
    "noise_snr_db": number(0, 120),
    "time_mask": whole(0, 255),  # frames of a clip
    "freq_mask": whole(0, 64),  # mel bands
    "mixup_alpha": number(0, 100),
    CLASS_WEIGHT: word(WEIGHTINGS),
    "embedding": word(EMBEDDING_CHOICES),
    "head_units": whole(0, 4096),  # 0: no hidden layer (a linear probe)
    "unfrozen_blocks": whole(1, len(BLOCKS)),
}
