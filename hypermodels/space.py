"""Search spaces as data: candidate values per hyperparameter, in the seed's grid order.

Tuple-valued choices (filters per block, GRU units per layer) are stored as readable strings
such as `24-48-96`, which is also how TensorBoard and the leaderboard show them.
"""

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import keras_tuner as kt

Scalar = int | float | str | bool


def tuple_label(values: Sequence[int]) -> str:
    """(24, 48, 96) -> '24-48-96'."""
    return "-".join(str(int(v)) for v in values)


def parse_tuple(label: str) -> tuple[int, ...]:
    """'24-48-96' -> (24, 48, 96)."""
    return tuple(int(part) for part in str(label).split("-"))


def _normalise(value: Any) -> Scalar:
    """A list or tuple of ints becomes its readable label; scalars pass through."""
    if isinstance(value, list | tuple):
        return tuple_label(value)
    if isinstance(value, Scalar):
        return value
    raise ValueError(f"unsupported value {value!r}: use numbers, booleans, strings or lists of ints")


@dataclass(frozen=True)
class SearchSpace:
    """Ordered candidate values per hyperparameter; the grid is their Cartesian product."""

    name: str
    values: tuple[tuple[str, tuple[Scalar, ...]], ...]

    @classmethod
    def from_mapping(cls, name: str, mapping: Mapping[str, Sequence[Any]]) -> "SearchSpace":
        """Build from {hyperparameter: [values...]} (lists of ints allowed as tuple values)."""
        values = []
        for key, candidates in mapping.items():
            if isinstance(candidates, str) or not isinstance(candidates, Sequence) or not candidates:
                raise ValueError(f"{key}: give a non-empty list of candidate values")
            values.append((str(key), tuple(_normalise(v) for v in candidates)))
        return cls(name, tuple(values))

    @property
    def names(self) -> list[str]:
        return [key for key, _ in self.values]

    def __len__(self) -> int:
        return math.prod(len(candidates) for _, candidates in self.values)

    def points(self) -> list[dict[str, Scalar]]:
        """Every grid point in order: the last hyperparameter changes fastest (as the seed)."""
        keys = self.names
        return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*dict(self.values).values())]

    def choose(self, hp: kt.HyperParameters) -> dict[str, Scalar]:
        """Register every hyperparameter on `hp` and return the values of this trial."""
        return {key: hp.Choice(key, list(candidates)) for key, candidates in self.values}
