"""What each augmentation adds to a training epoch of the seed's tuned models (on this machine).

Run: python benchmarks/bench_augment.py [--clips 1024] [--epochs 3] [--models cnn,rnn] [--only "none,all of them"]
Training batches come from `TrainingBatches` over in-memory log-Mel-shaped arrays, as in a sweep,
so mixup's batch mixing (in the input pipeline) is timed where it runs. The steadiest epoch counts.
"""

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from epoch_timer import EpochTimer  # noqa: E402  (benchmarks/ is on the path of its scripts)

from data_pipeline.datasets import SplitData, TrainingBatches  # noqa: E402
from hypermodels import bigru, cnn  # noqa: E402
from hypermodels.augmentation import uses_mixup  # noqa: E402
from hypermodels.base import compile_model  # noqa: E402

MODELS = {  # the seeds' best points (Figures 75 and 112)
    "cnn": lambda p, n: cnn.cnn_model({**cnn.TUNED_POINT, **p}, n),
    "rnn": lambda p, n: bigru.bigru_model({**bigru.TUNED_POINT, **p}, n),
}
AUGMENTATIONS = {
    "none": {},
    "gain_db 6": {"gain_db": 6.0},
    "time_shift 0.25": {"time_shift": 0.25},
    "time_shift 0.25 padded": {"time_shift": 0.25, "time_shift_mode": "padded"},
    "noise_snr_db 10": {"noise_snr_db": 10.0},
    "eq_db 6": {"eq_db": 6.0},
    "pitch_shift 1": {"pitch_shift": 1.0},
    "SpecAugment 30/8": {"time_mask": 30, "freq_mask": 8},
    "mixup_alpha 0.2": {"mixup_alpha": 0.2},
    "all of them": {
        "gain_db": 6.0,
        "time_shift": 0.25,
        "noise_snr_db": 10.0,
        "eq_db": 6.0,
        "pitch_shift": 1.0,
        "time_mask": 30,
        "freq_mask": 8,
        "mixup_alpha": 0.2,
    },
}
CLASSES = 14


def epoch_seconds(model: keras.Model, batches: TrainingBatches, epochs: int) -> float:
    """The fastest of `epochs` epochs (the first traces the step and is left out when there are more)."""
    timer, run = EpochTimer(), batches.fit_input(0, epochs)
    model.fit(run.x, steps_per_epoch=run.steps_per_epoch, epochs=epochs, verbose=0, shuffle=False,
              callbacks=[*run.callbacks, timer])  # fmt: skip
    return min(timer.seconds[1:] or timer.seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clips", type=int, default=1024)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--models", default="cnn,rnn")
    parser.add_argument("--only", default=",".join(AUGMENTATIONS), help="rows; the first is the reference")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    data = SplitData(
        rng.normal(-6, 3, (args.clips, 64, 255, 1)).astype("float32"),
        rng.integers(0, CLASSES, args.clips).astype("int32"),
        np.array([""] * args.clips),
    )
    print(f"backend {keras.backend.backend()}, {args.clips} clips, batch {args.batch_size}, {os.cpu_count()} cores")
    print(f"{'model':<6}{'augmentation':<20}{'epoch s':>9}{'vs first':>9}")
    for family in args.models.split(","):
        base = None
        for name in args.only.split(","):
            params = AUGMENTATIONS[name]
            keras.utils.set_random_seed(42)
            batches = TrainingBatches(data, args.batch_size)
            if uses_mixup(params):
                batches = batches.with_mixup(params["mixup_alpha"], CLASSES)
            model = compile_model(MODELS[family](params, CLASSES), keras.optimizers.Adam(3e-4), uses_mixup(params))
            seconds = epoch_seconds(model, batches, args.epochs)
            base = base or seconds
            print(f"{family:<6}{name:<20}{seconds:>9.2f}{(seconds / base - 1) * 100:>+8.1f}%", flush=True)
            keras.backend.clear_session()


if __name__ == "__main__":
    main()
