"""Seconds per training epoch of the seed's tuned models at the seed's data size.

Run: python benchmarks/bench_epoch.py [--clips 24754] [--batch-size 32] [--precision float32,mixed_float16]
Inputs are random log-Mel-shaped arrays in memory (the feature cache's job is measured by
bench_pipeline.py); this isolates the model's own cost per epoch, the unit a sweep is made of
(the seed's grids are 96 + 24 trials of up to 30 epochs). Works on any Keras 3 backend.
"""

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from epoch_timer import EpochTimer  # noqa: E402  (benchmarks/ is on the path of its scripts)

from experiments.training.seeding import set_random_seed  # noqa: E402
from hypermodels import bigru, cnn  # noqa: E402
from hypermodels.base import compile_model  # noqa: E402

SEED_BEST = {  # Figures 75 and 112
    "tuned CNN 24-48-96": lambda n: cnn.cnn_model(cnn.TUNED_POINT, n),
    "tuned BiGRU 64-32": lambda n: bigru.bigru_model(bigru.TUNED_POINT, n),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clips", type=int, default=24754)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--precision", default="float32,mixed_float16")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    x = rng.normal(-6, 3, (args.clips, 64, 255, 1)).astype("float32")
    y = rng.integers(0, 14, args.clips).astype("int32")
    print(f"backend {keras.backend.backend()}, {args.clips} clips, batch {args.batch_size}")
    print(f"{'model':<22}{'precision':<16}{'first epoch s':>14}{'steady epoch s':>16}{'clips/s':>10}")
    for precision in args.precision.split(","):
        keras.mixed_precision.set_global_policy(precision)
        for name, build in SEED_BEST.items():
            set_random_seed(42)
            model = compile_model(build(14), keras.optimizers.Adam(3e-4))
            timer = EpochTimer()
            model.fit(x, y, batch_size=args.batch_size, epochs=args.epochs, verbose=0, callbacks=[timer])
            steady = min(timer.seconds[1:] or timer.seconds)
            print(f"{name:<22}{precision:<16}{timer.seconds[0]:>14.1f}{steady:>16.1f}{args.clips / steady:>10.0f}")
            keras.backend.clear_session()


if __name__ == "__main__":
    main()
