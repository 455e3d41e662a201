"""The reference study's published numbers (seed sections 4 and 5), shown beside ours."""

import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SeedModel:
    """Test results of one seed model (14 classes, 5,305 test clips)."""

    accuracy: float
    macro: tuple[float, float, float]  # precision, recall, F1
    weighted: tuple[float, float, float]
    params: int
    trainable: int


@dataclass(frozen=True)
class SeedResults:
    """Figures 53, 63, 82, 91, 100, 119 and Tables 2 and 3 of the seed."""

    models: dict[str, SeedModel] = field(
        default_factory=lambda: {
            "cnn-baseline": SeedModel(0.885, (0.909, 0.885, 0.893), (0.897, 0.885, 0.888), 790, 790),
            "cnn-enhanced": SeedModel(0.952, (0.959, 0.950, 0.953), (0.954, 0.952, 0.952), 7630, 7518),
            "cnn": SeedModel(0.996, (0.997, 0.996, 0.996), (0.996, 0.996, 0.996), 67118, 66782),
            "rnn-baseline": SeedModel(0.940, (0.943, 0.942, 0.942), (0.940, 0.940, 0.939), 5038, 5038),
            "rnn-enhanced": SeedModel(0.940, (0.944, 0.937, 0.939), (0.940, 0.940, 0.939), 14190, 14190),
            "rnn": SeedModel(0.994, (0.995, 0.993, 0.994), (0.994, 0.994, 0.994), 81934, 81934),
        }
    )
    # Table 3: per class (P, R, F1) of the tuned models of these two families.
    per_class_families: tuple[str, str] = ("cnn", "rnn")
    per_class: dict[str, tuple[tuple[float, float, float], tuple[float, float, float]]] = field(
        default_factory=lambda: {
            "Accordion": ((0.994, 0.987, 0.991), (0.974, 0.996, 0.985)),
            "Acoustic_Guitar": ((0.993, 0.998, 0.995), (0.987, 0.998, 0.993)),
            "Banjo": ((1.000, 0.996, 0.998), (0.993, 0.998, 0.996)),
            "Bass_Guitar": ((0.998, 1.000, 0.999), (1.000, 1.000, 1.000)),
            "Drum_set": ((1.000, 1.000, 1.000), (1.000, 1.000, 1.000)),
            "Electro_Guitar": ((0.995, 0.975, 0.985), (0.990, 0.964, 0.977)),
            "Harmonium": ((1.000, 1.000, 1.000), (1.000, 0.990, 0.995)),
            "Horn": ((1.000, 1.000, 1.000), (1.000, 1.000, 1.000)),
            "Keyboard": ((1.000, 1.000, 1.000), (1.000, 1.000, 1.000)),
            "Mandolin": ((1.000, 0.992, 0.996), (0.997, 0.957, 0.976)),
            "Organ": ((0.995, 1.000, 0.998), (1.000, 0.995, 0.998)),
            "Shakers": ((1.000, 1.000, 1.000), (1.000, 1.000, 1.000)),
            "Trombone": ((0.978, 0.998, 0.988), (0.993, 1.000, 0.997)),
            "flute": ((1.000, 0.998, 0.999), (1.000, 1.000, 1.000)),
        }
    )
    test_clips: int = 5_305
    # Training budget (section 3.3, Figure 35; epochs from the training logs of Figures 47-97).
    train_clips: int = 24_754
    batch_size: int = 32
    max_epochs: int = 30
    # (epochs trained, best restored epoch or None where the seed restores none); None: not logged.
    epochs_trained: dict[str, tuple[int, int | None] | None] = field(
        default_factory=lambda: {
            "cnn-baseline": (30, None), "cnn-enhanced": (21, 15), "rnn-baseline": (30, None), "rnn-enhanced": (30, 30),
            "cnn": None, "rnn": None,
        }
    )  # fmt: skip

    @property
    def steps_per_epoch(self) -> int:
        """Optimizer steps in one of the seed's epochs (774)."""
        return math.ceil(self.train_clips / self.batch_size)

    def steps_trained(self, name: str) -> int:
        """The optimizer steps the seed trained model `name` with (its logged epochs, else its epoch limit)."""
        trained = self.epochs_trained.get(name)
        return (trained[0] if trained else self.max_epochs) * self.steps_per_epoch

    # Table 2 rows that are configuration, not numbers: family -> aspect -> the seed's tuned model's.
    aspects: dict[str, dict[str, str]] = field(
        default_factory=lambda: {
            "cnn": {
                "Input representation": "Log-Mel (64, T, 1)",
                "Key configuration": "Conv filters 24-48-96, Dense 128, dropout in head",
                "Optimizer / LR": "Adam, 3e-4",
                "Regularization": "BatchNorm + Dropout",
            },
            "rnn": {
                "Input representation": "Log-Mel (64, T, 1) permuted to (T, 64)",
                "Key configuration": "GRU units 64-32, no dense head",
                "Optimizer / LR": "Adam, 3e-4",
                "Regularization": "None",
            },
        }
    )

    def f1_differences(self, first: str, second: str) -> dict[str, float] | None:
        """Per class, the F1 of the seed's tuned `first` minus its tuned `second` (Table 3); None for a pair of
        families the seed did not compare."""
        order = self.per_class_families
        if {first, second} != set(order):
            return None
        i, j = order.index(first), order.index(second)
        return {name: round(scores[i][2] - scores[j][2], 3) for name, scores in self.per_class.items()}
