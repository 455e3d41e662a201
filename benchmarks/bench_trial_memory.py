"""Memory of one sweep process over many trials: does it grow from trial to trial?

Run: python benchmarks/bench_trial_memory.py [--trials 20] [--epochs 1]
A real grid sweep (GridTuner, resumable fit, TensorBoard logs) of `--trials` quick-CNN points
(learning rates) on a small synthetic demo set, in this process. After every trial it prints the
resident memory (VmRSS) and, on a GPU, TensorFlow's current GPU allocation; the last line is the
growth per trial fitted over the second half (the first trials warm caches up).
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path

from plumbing.quiet_start import start_keras

start_keras()

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from data_pipeline.demo.generate import make_demo  # noqa: E402
from experiments.options import parse_sweep  # noqa: E402
from experiments.training.interrupts import StopRequest  # noqa: E402
from experiments.training.resumable_fit import TrainingRecipe  # noqa: E402
from experiments.training.run_layout import RunLayout  # noqa: E402
from experiments.training.workspace import open_workspace  # noqa: E402
from experiments.tuning.role import ClusterRole  # noqa: E402
from experiments.tuning.space_files import load_space  # noqa: E402
from experiments.tuning.strategies import make_tuner  # noqa: E402
from experiments.tuning.sweep_plan import SweepPlan  # noqa: E402


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def gpu_mib() -> float | None:
    if not tf.config.list_physical_devices("GPU"):
        return None
    return tf.config.experimental.get_memory_info("GPU:0")["current"] / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=1)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench_memory_"))
    make_demo(root / "clips", 20, "flute,Drum_set,Bass_Guitar,Shakers", seed=3, synthetic=True)
    rates = [float(r) for r in np.geomspace(1e-4, 1e-2, args.trials)]
    space_file = root / "space.json"
    space_file.write_text(
        json.dumps(
            {
                "conv_filters": ["8-16-32"],
                "dropout_block3": [0.3],
                "dense_units": [64],
                "dropout_head": [0.3],
                "learning_rate": rates,
            }
        )
    )
    argv = [
        "--data-dir",
        str(root / "clips"),
        "--workdir",
        str(root / "work"),
        "--tb-logs",
        str(root / "tb"),
        "--min-clips",
        "5",
        "--space",
        str(space_file),
        "--max-epochs",
        str(args.epochs),
        "--batch-size",
        "8",
    ]
    options = parse_sweep("cnn", argv)
    space = load_space(options.space, "cnn")
    workspace = open_workspace(options)
    layout = RunLayout(workspace.workdir.root / "cnn")
    plan = SweepPlan(space, TrainingRecipe(max_epochs=args.epochs, patience=None), options, layout, ClusterRole())
    tuner = make_tuner("cnn", plan, root / "tb", StopRequest(), len(workspace.names))
    samples: list[float] = []
    report_trial = tuner.on_trial_end

    def measured(trial):
        report_trial(trial)
        samples.append(rss_mib())
        gpu = gpu_mib()
        print(
            f"  after trial {len(samples):>2}: RSS {samples[-1]:8.1f} MiB"
            + (f", GPU {gpu:8.1f} MiB" if gpu is not None else ""),
            flush=True,
        )

    tuner.on_trial_end = measured
    train, val = workspace.datasets(options.batch_size, options.seed)
    tuner.search(train, val, verbose=0)
    half = samples[len(samples) // 2 :]
    slope = np.polyfit(np.arange(len(half)), half, 1)[0] if len(half) > 1 else float("nan")
    print(
        f"{len(samples)} trials: RSS {samples[0]:.1f} -> {samples[-1]:.1f} MiB; second half grows "
        f"{slope:+.2f} MiB per trial; workdir {root}"
    )


if __name__ == "__main__":
    sys.exit(main())
