"""Search spaces as data: candidate values per hyperparameter, in the seed's grid order, or a range to sample.

Tuple-valued choices (filters per block, GRU units per layer) are stored as readable strings
such as `24-48-96`, which is also how TensorBoard and the leaderboard show them. A range
(`{min: 1.0e-4, max: 1.0e-2, sampling: log}`) is for the samplers: a grid walks lists only.
"""

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import keras_tuner as kt

Scalar = int | float | str | bool
SAMPLINGS = ("linear", "log")
RANGE_KEYS = ("min", "max", "sampling", "step")


@dataclass(frozen=True)
class Range:
    """An interval a sampler draws from: linear or log, in steps of `step` if given; whole numbers if `integer`."""

    low: float
    high: float
    sampling: str = "linear"
    step: float | None = None
    integer: bool = False

    @classmethod
    def from_mapping(cls, key: str, mapping: Mapping[str, Any], integer: bool) -> "Range":
        """A range from `{min, max[, sampling][, step]}`; ValueError naming `key` when it makes no interval."""
        unknown = sorted(str(k) for k in mapping if k not in RANGE_KEYS)
        if unknown or "min" not in mapping or "max" not in mapping:
            raise ValueError(
                f"{key}: a range is {{min, max, sampling, step}} (min and max required), not {dict(mapping)}"
            )
        low, high, sampling, step = (mapping.get(k) for k in RANGE_KEYS)
        sampling = sampling or SAMPLINGS[0]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (low, high)) or not low < high:
            raise ValueError(f"{key}: a range needs numbers min < max, not {low} and {high}")
        if sampling not in SAMPLINGS or (sampling == "log" and low <= 0):
            raise ValueError(f"{key}: sampling is linear or log (log needs min > 0), not {sampling} from {low}")
        if step is not None and (
            isinstance(step, bool) or not isinstance(step, int | float) or not 0 < step <= high - low
        ):
            raise ValueError(f"{key}: step is a number in (0, max - min], not {step}")
        if step is not None and sampling == "log":  # KerasTuner reads it as a factor, Optuna drops the log: refused
            raise ValueError(f"{key}: a log range takes no step: give sampling log or a step, or list the values")
        if integer and not all(float(v).is_integer() for v in (low, high, step or 1)):
            raise ValueError(f"{key}: takes whole numbers: a range of whole min, max and step")
        return cls(low, high, sampling, step, integer)

    def as_record(self) -> dict:
        """How `experiment.json` records the range."""
        return {"min": self.low, "max": self.high, "sampling": self.sampling, "step": self.step}


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
    values: tuple[tuple[str, tuple[Scalar, ...] | Range], ...]

    @classmethod
    def from_mapping(
        cls, name: str, mapping: Mapping[str, Sequence[Any] | Mapping[str, Any]], whole: frozenset = frozenset()
    ) -> "SearchSpace":
        """Build from {hyperparameter: [values...] or {min, max, ...}} (lists of ints allowed as tuple values);
        the keys in `whole` take whole numbers, so their ranges are integer ranges."""
        values = []
        for key, candidates in mapping.items():
            if isinstance(candidates, Mapping):
                values.append((str(key), Range.from_mapping(str(key), candidates, integer=key in whole)))
                continue
            if isinstance(candidates, str) or not isinstance(candidates, Sequence) or not candidates:
                raise ValueError(f"{key}: give a non-empty list of candidate values, or a range {{min, max}}")
            values.append((str(key), tuple(_normalise(v) for v in candidates)))
        return cls(name, tuple(values))

    @property
    def names(self) -> list[str]:
        return [key for key, _ in self.values]

    def key(self, values: Mapping[str, Any]) -> tuple[Scalar, ...]:
        """A point's values in the space's key order: what tells two points apart."""
        return tuple(values[name] for name in self.names)

    @property
    def ranges(self) -> list[str]:
        """The keys a grid cannot walk: those given as a range."""
        return [key for key, candidates in self.values if isinstance(candidates, Range)]

    def __bool__(self) -> bool:
        return True  # a space is never "empty" (its length is its grid's, which a range does not have)

    def __len__(self) -> int:
        """The grid's points (a space with a range has no grid: ValueError naming the key)."""
        self.require_lists()
        return math.prod(len(candidates) for _, candidates in self.values)

    def require_lists(self) -> None:
        if self.ranges:
            raise ValueError(f"{self.ranges[0]} is a range: a grid walks lists of values only")

    def points(self) -> list[dict[str, Scalar]]:
        """Every grid point in order: the last hyperparameter changes fastest (as the seed)."""
        self.require_lists()
        keys = self.names
        return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*dict(self.values).values())]

    def hyperparameters(self) -> kt.HyperParameters:
        """KerasTuner's declaration of the space: a Choice per list, an Int or a Float per range."""
        hp = kt.HyperParameters()
        self.choose(hp)
        return hp

    def choose(self, hp: kt.HyperParameters) -> dict[str, Scalar]:
        """Register every hyperparameter on `hp` and return the values of this trial."""
        chosen = {}
        for key, candidates in self.values:
            if not isinstance(candidates, Range):
                chosen[key] = hp.Choice(key, list(candidates))
            elif candidates.integer:
                step = int(candidates.step) if candidates.step else None
                chosen[key] = hp.Int(
                    key, int(candidates.low), int(candidates.high), step=step, sampling=candidates.sampling
                )
            else:
                chosen[key] = hp.Float(
                    key, candidates.low, candidates.high, step=candidates.step, sampling=candidates.sampling
                )
        return chosen
