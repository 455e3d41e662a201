"""What training maximizes on the validation split, by name: early stopping, the kept epoch, rankings, halving.

Each objective is a validation log key Keras writes every epoch (`hypermodels.base.compile_model`
compiles accuracy and `MacroF1` into every model). A record without one is from before the choice:
the seed's accuracy.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Objective:
    """A validation metric to maximize, and how reports and TensorBoard name it."""

    name: str  # the key in Keras' epoch logs and history.csv
    title: str  # in sentences: "validation accuracy"
    short: str  # an axis title: "val acc"


OBJECTIVES = {
    o.name: o
    for o in (
        Objective("val_accuracy", "validation accuracy", "val acc"),
        Objective("val_macro_f1", "validation macro F1", "val macro F1"),
    )
}
DEFAULT_OBJECTIVE = "val_accuracy"  # the seed's


def recorded_objective(record: dict, key: str = "objective") -> str:
    """The objective a record names under `key` (`experiment.json`: objective, `state.json`: monitor); the seed's
    accuracy when it names none."""
    return record.get(key, DEFAULT_OBJECTIVE)
