"""Command-line options shared by the sweep and training scripts, parsed into one frozen dataclass."""

import argparse
from dataclasses import dataclass
from pathlib import Path

from experiments.tuning.role import chief_address
from plumbing.quiet_start import VERBOSE_FLAG

DEMO_DIR = Path("data/demo")
RESUME_ENV = "INSTRUMENT_TUNER_RESUME"  # set by launch.py: its own command resumes the processes it started


@dataclass(frozen=True)
class RunOptions:
    """Where the data and results live, and how to train."""

    data_dir: Path | None
    workdir: Path
    tb_logs: Path
    max_epochs: int
    patience: int
    batch_size: int
    min_clips: int | None
    seed: int
    overwrite: bool
    evaluate_only: bool
    space: str = "seed"
    strategy: str = "grid"
    min_epochs: int = 3
    eta: int = 3
    mixed_precision: bool = False
    chief: tuple[str, int] | None = None
    worker: tuple[str, int] | None = None
    worker_id: str | None = None
    lease_seconds: float = 180.0
    chief_wait: float = 600.0


def counted(minimum: int):
    """An argparse type: a whole number of at least `minimum` (argparse names the flag on error)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is less than {minimum}")
        return value

    return parse


def positive_seconds(text: str) -> float:
    """An argparse type: a positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{value:g} is not a positive number of seconds")
    return value


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """Options of every command that uses a saved model (predict, export, evaluate)."""
    parser.add_argument("--model", type=Path, required=True, help="a .keras file a sweep or train.py saved")
    parser.add_argument(VERBOSE_FLAG, action="store_true", help="show TensorFlow's own log lines")


def add_window_options(parser: argparse.ArgumentParser) -> None:
    """How long files are cut into model-sized windows (predict, outside evaluation)."""
    parser.add_argument("--window", type=positive_seconds, default=3.0, help="seconds per window (at most the clip "
                        "length; shorter windows are padded as training clips are)")  # fmt: skip
    parser.add_argument("--hop", type=positive_seconds, default=1.5, help="seconds between window starts")


def add_common(parser: argparse.ArgumentParser) -> None:
    """Options every experiment script takes."""
    parser.add_argument("--data-dir", type=Path, default=None, help=f"class-per-folder clips (default: the demo "
                        f"dataset in {DEMO_DIR}, built on first use)")  # fmt: skip
    parser.add_argument("--workdir", type=Path, default=Path("runs"))
    parser.add_argument("--tb-logs", type=Path, default=Path("tb_logs"))
    parser.add_argument("--max-epochs", type=counted(1), default=30)
    parser.add_argument("--patience", type=counted(0), default=6)
    parser.add_argument("--batch-size", type=counted(1), default=32)
    parser.add_argument("--min-clips", type=counted(0), default=None, help="keep classes with more clips than this "
                        "(default: 1000 as the seed; 40 for the demo dataset)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--overwrite", action="store_true", help="discard previous results and start again")
    parser.add_argument("--evaluate-only", action="store_true", help="evaluate what exists, train nothing")
    parser.add_argument("--mixed-precision", action="store_true", help="compute in float16 where safe (GPUs with "
                        "tensor cores); weights and the softmax stay float32")  # fmt: skip
    parser.add_argument(VERBOSE_FLAG, action="store_true", help="show TensorFlow's own log lines")


def sweep_parser(family: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=f"Resumable grid search over the {family.upper()} search space.")
    add_common(parser)
    parser.add_argument("--space", default="seed", help="seed, quick, or a JSON/YAML file of values per hyperparameter")
    parser.add_argument("--strategy", choices=["grid", "halving"], default="grid", help="grid: every point to "
                        "--max-epochs (the seed's); halving: successive halving over the same grid")  # fmt: skip
    parser.add_argument("--min-epochs", type=counted(1), default=3, help="halving: epochs of the first rung")
    parser.add_argument("--eta", type=counted(2), default=3, help="halving: rungs grow and points shrink by this "
                        "factor")  # fmt: skip
    add_cluster_options(parser)
    return parser


def add_cluster_options(parser: argparse.ArgumentParser) -> None:
    """One grid over several processes: a chief that serves it, workers that train it."""
    group = parser.add_argument_group("many workers (one shared --workdir)")
    group.add_argument("--chief", type=chief_address, metavar="HOST:PORT", help="serve the grid to workers here, "
                       "then evaluate the best trial")  # fmt: skip
    group.add_argument("--worker", type=chief_address, metavar="HOST:PORT", help="train trials of the chief there")
    group.add_argument("--worker-id", help="this worker's name (default: worker-<host>-<pid>)")
    group.add_argument("--lease-seconds", type=positive_seconds, default=180.0, help="chief: a worker silent this "
                       "long loses its trial to the next worker, which resumes it")  # fmt: skip
    group.add_argument("--chief-wait", type=positive_seconds, default=600.0, help="worker: how long to wait for an "
                       "unreachable chief before giving up")  # fmt: skip


def to_options(args: argparse.Namespace) -> RunOptions:
    fields = RunOptions.__dataclass_fields__
    return RunOptions(**{name: value for name, value in vars(args).items() if name in fields})
