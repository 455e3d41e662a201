"""The command lines of the training scripts (sweeps, `train.py`, `launch.py`), each parsed into one frozen dataclass.

Parsed before Keras starts (nothing here imports it): `--help` and a mistyped flag answer at once.

The deployment commands (`predict.py`, `export.py`, `evaluate.py`) parse in their own room,
`experiments/deployment/`, with the option groups they share there.
"""

import argparse
import shlex
from pathlib import Path

from data_pipeline.dataset_defaults import DEMO_DIR, DEMO_MIN_CLIPS, SEED_MIN_CLIPS
from experiments.training.objectives import DEFAULT_OBJECTIVE, OBJECTIVES
from experiments.training.precision import COMPUTE_DTYPES
from experiments.training.run_options import (
    SCHEDULERS,
    WORKER_TERM_FLAGS,
    LaunchPlan,
    RunOptions,
    worker_term_values,
)
from experiments.tuning.rung_scores import DEFAULT_RUNG_SCORE, RUNG_SCORES
from experiments.tuning.samplers import SAMPLED, SEARCHES
from hypermodels.class_weighting import WEIGHTINGS
from hypermodels.names import FAMILY_LABELS, fixed_experiments
from plumbing.arguments import (
    counted,
    gpu_list,
    host_port,
    port_number,
    positive_seconds,
    random_seed,
    readable_file,
)
from plumbing.errors import UsageError
from plumbing.quiet_start import VERBOSE_FLAG

CLUSTER_FLAGS = ("--chief", "--worker", "--worker-id")  # launch.py sets them for each process it starts
TLS_FLAGS = ("--tls-cert", "--tls-key", "--tls-ca")  # between machines; launch.py's processes talk on loopback
LAUNCHED_GROWTH_PERCENT = 10  # launch.py's workers' --worker-memory-growth when no term is given (benchmarks/README.md)


def add_common(parser: argparse.ArgumentParser) -> None:
    """Options every experiment script takes."""
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=f"class-per-folder clips (default: the demo dataset in {DEMO_DIR}, built on first use)",
    )
    parser.add_argument(
        "--workdir", type=Path, default=Path("runs"), help="where the split, feature cache and results live"
    )
    parser.add_argument(
        "--tb-logs", type=Path, default=Path("tb_logs"), help="TensorBoard's folder (each workdir logs under its own)"
    )
    parser.add_argument("--max-epochs", type=counted(1), default=30, help="epochs per trial or model (the seed's 30)")
    parser.add_argument(
        "--patience",
        type=counted(0),
        default=6,
        help="early stopping after this many epochs without a better objective (baseline models train every epoch)",
    )
    parser.add_argument("--batch-size", type=counted(1), default=32, help="clips per training step (the seed's 32)")
    parser.add_argument(
        "--min-clips",
        type=counted(0),
        default=None,
        help="keep classes with more readable clips than this; 0 keeps every class (default: what the workdir was "
        f"prepared with, else {DEMO_MIN_CLIPS} for the demo dataset and {SEED_MIN_CLIPS} for any other, the seed's "
        "filter)",
    )
    parser.add_argument(
        "--seed",
        type=random_seed,
        default=42,
        help="0 to 2**32 - 1: initial weights, dropout masks, batch order, and the split's random state when this "
        "command prepares a fresh workdir",
    )
    parser.add_argument("--overwrite", action="store_true", help="discard previous results and start again")
    parser.add_argument("--evaluate-only", action="store_true", help="evaluate what exists, train nothing")
    parser.add_argument(
        "--mixed-precision",
        nargs="?",
        const="float16",
        choices=COMPUTE_DTYPES,
        default=None,
        help="compute in float16 (alone: the default) or bfloat16 where safe (tensor cores; bfloat16 is what Hopper "
        "GPUs and recent CPUs run fastest); weights and the softmax stay float32",
    )
    parser.add_argument(
        "--class-weight",
        choices=WEIGHTINGS,
        default=None,
        help="how each class's clips weigh in the loss: none (the seed's, the default) or balanced (inversely to "
        "the class's training clips); a sweep whose --space searches class_weight takes it from there",
    )
    parser.add_argument(
        "--objective",
        choices=sorted(OBJECTIVES),
        default=DEFAULT_OBJECTIVE,
        help="what early stopping, the kept epoch and the ranking of trials maximize on the validation split: "
        "val_accuracy (the seed's, the default) or val_macro_f1 (macro F1, every class alike)",
    )
    parser.add_argument(
        VERBOSE_FLAG, action="store_true", help="show the backend's own start-up lines (TensorFlow, JAX)"
    )


def sweep_parser(family: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=f"Resumable hyperparameter sweep of the {FAMILY_LABELS[family]} family: a grid, random, "
        "Bayesian or TPE search (--search), every point to its last epoch or halved (--scheduler), in one process or "
        "as a chief or worker of many."
    )
    add_common(parser)
    parser.add_argument(
        "--space",
        default="seed",
        help="seed, quick, or a JSON/YAML file: per hyperparameter a list of values, or (for a sampled --search) a "
        "range {min, max, sampling, step}",
    )
    parser.add_argument(
        "--search",
        choices=sorted(SEARCHES),
        default="grid",
        help="which points train: grid, every point of the lists in order (the seed's); random, --max-trials points "
        "drawn from the lists and ranges by --seed; bayesian (KerasTuner's Gaussian process) or tpe (Optuna's TPE), "
        "--max-trials points each proposed from the results before it",
    )
    parser.add_argument(
        "--max-trials",
        type=counted(1),
        default=None,
        metavar="N",
        help="a sampled --search: how many points (required with a range; default: every point of the lists)",
    )
    parser.add_argument(
        "--scheduler",
        choices=sorted(SCHEDULERS),
        default=None,
        help="how many epochs each point gets: none, every point to --max-epochs (the seed's); halving, successive "
        "halving over the points",
    )
    parser.add_argument(
        "--strategy",
        choices=sorted(SCHEDULERS.values()),
        default=None,
        help="the older spelling of --scheduler: grid is --scheduler none, halving is --scheduler halving",
    )
    parser.add_argument(
        "--min-epochs",
        type=counted(1),
        default=None,
        help="halving: epochs of the first rung (default: a sixth of --max-epochs, halves rounded up, as measured in "
        "benchmarks/README.md; a resumed sweep keeps its own)",
    )
    parser.add_argument(
        "--eta", type=counted(2), default=3, help="halving: rungs grow and points shrink by this factor"
    )
    parser.add_argument(
        "--rung-score",
        choices=sorted(RUNG_SCORES),
        default=None,
        help="halving: what ranks a rung's points: "
        + "; ".join(f"{k}, {v}" for k, v in RUNG_SCORES.items())
        + f" (default {DEFAULT_RUNG_SCORE}; a resumed sweep keeps its own)",
    )
    add_recheck_options(parser)
    add_cluster_options(parser)
    return parser


def add_recheck_options(parser: argparse.ArgumentParser) -> None:
    """Re-check the top of the board with more seeds once the grid (or halving's last rung) has run."""
    group = parser.add_argument_group("re-check the winners with more seeds (any search and scheduler)")
    group.add_argument(
        "--recheck-top",
        type=counted(1),
        default=None,
        metavar="K",
        help="once every point of the sweep has run (halving: the last rung), train the top K of the leaderboard "
        "again from scratch to --max-epochs with --seeds more seeds each; the winner is then the best mean over seeds",
    )
    group.add_argument(
        "--seeds",
        type=counted(1),
        default=None,
        metavar="S",
        help="with --recheck-top: how many more seeds per point (default 3); a seed sets initial weights, dropout "
        "masks and batch order",
    )


def add_cluster_options(parser: argparse.ArgumentParser) -> None:
    """One grid over several processes: a chief that serves it, workers that train it."""
    group = parser.add_argument_group("many workers (one shared --workdir)")
    group.add_argument(
        "--chief",
        type=host_port,
        metavar="HOST:PORT",
        help="serve the grid to workers here, then evaluate the best trial",
    )
    group.add_argument("--worker", type=host_port, metavar="HOST:PORT", help="train trials of the chief there")
    group.add_argument("--worker-id", help="this worker's name (default: worker-<host>-<pid>)")
    group.add_argument(
        "--lease-seconds",
        type=positive_seconds,
        default=180.0,
        help="chief: a worker silent this long loses its trial to the next worker, which resumes it",
    )
    group.add_argument(
        "--trials-per-worker",
        type=counted(1),
        default=None,
        help="worker: leave after this many trials, so that a fresh process takes over (launch.py starts it)",
    )
    group.add_argument(
        "--worker-memory-mib",
        type=counted(1),
        default=None,
        help="worker: leave between trials once resident memory passes this many MiB (launch.py starts a fresh one)",
    )
    group.add_argument(
        "--worker-memory-growth",
        type=counted(1),
        default=None,
        metavar="PERCENT",
        help="worker: leave between trials before its resident memory would grow past its first trial's by this "
        f"many percent (launch.py's workers: {LAUNCHED_GROWTH_PERCENT} unless a term is given)",
    )
    group.add_argument(
        "--tls-cert",
        type=readable_file,
        metavar="PEM",
        help="chief: serve over TLS with this certificate (with --tls-key), for workers on other machines",
    )
    group.add_argument("--tls-key", type=readable_file, metavar="PEM", help="chief: the certificate's private key")
    group.add_argument(
        "--tls-ca",
        type=readable_file,
        metavar="PEM",
        help="worker: reach a TLS chief, checking its certificate against this CA (or the certificate itself)",
    )
    group.add_argument(
        "--chief-wait",
        type=positive_seconds,
        default=600.0,
        help="worker: how long to wait for an unreachable chief before giving up",
    )


def to_options(args: argparse.Namespace) -> RunOptions:
    if args.overwrite and args.evaluate_only:
        raise UsageError("--overwrite and --evaluate-only: one discards the results the other evaluates; pass one")
    if getattr(args, "scheduler", None) is not None or getattr(args, "strategy", None) is not None:
        args.strategy = scheduled(args.scheduler, args.strategy)
    elif hasattr(args, "strategy"):
        args.strategy = SCHEDULERS["none"]
    if getattr(args, "max_trials", None) is not None and args.search not in SAMPLED:
        raise UsageError(
            f"--max-trials {args.max_trials}: --search {args.search} trains every point of its lists; pass "
            f"--search {SAMPLED[0]} to draw {args.max_trials} of them"
        )
    min_epochs = getattr(args, "min_epochs", None)
    if min_epochs is not None and min_epochs > args.max_epochs:
        raise UsageError(
            f"--min-epochs {min_epochs} is above --max-epochs {args.max_epochs}: halving's first rung trains at most "
            f"every epoch; pass --min-epochs {args.max_epochs} or less"
        )
    fields = RunOptions.__dataclass_fields__
    return RunOptions(**{name: value for name, value in vars(args).items() if name in fields})


def scheduled(scheduler: str | None, strategy: str | None) -> str:
    """The recorded strategy (`grid`: no scheduler; `halving`) of `--scheduler` or its older spelling `--strategy`."""
    if scheduler is not None and strategy is not None and SCHEDULERS[scheduler] != strategy:
        raise UsageError(
            f"--scheduler {scheduler} and --strategy {strategy}: --strategy is the older spelling of --scheduler; "
            "pass one"
        )
    return SCHEDULERS[scheduler] if scheduler is not None else strategy


def parse_sweep(family: str, argv: list[str]) -> RunOptions:
    """`search_<family>.py`'s options."""
    return to_options(sweep_parser(family).parse_args(argv))


def train_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Train one of the seed's fixed models and evaluate it.")
    parser.add_argument(
        "--model",
        required=True,
        choices=sorted(fixed_experiments()),
        help="a family's baseline or enhanced model (the seed's; musicnn's linear probe and MLP head)",
    )
    add_common(parser)
    return parser


def parse_train(argv: list[str]) -> tuple[str, RunOptions]:
    """`train.py`'s options: which fixed model, and how to train it."""
    args = train_parser().parse_args(argv)
    return args.model, to_options(args)


def launch_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Run one sweep on this machine with a chief and N workers; any "
        "other option is the sweep's (see search_cnn.py --help)."
    )
    parser.add_argument("family", choices=sorted(FAMILY_LABELS))
    parser.add_argument("--workers", type=counted(1), default=None, help="default: one per --gpus entry, else 2")
    parser.add_argument(
        "--gpus", type=gpu_list, default=(), help="GPU indices, e.g. 0,1: worker i sees GPU i (round robin)"
    )
    parser.add_argument(
        "--trials-per-gpu",
        type=counted(1),
        default=None,
        help="with --gpus: this many workers per GPU, each bounded to its share of the GPU's memory (default 1)",
    )
    parser.add_argument("--port", type=port_number, default=8000, help="the chief's port on 127.0.0.1")
    for flag in WORKER_TERM_FLAGS:  # a sweep's worker options: launch.py gives them to its workers, not the chief
        default = (
            f"; default {LAUNCHED_GROWTH_PERCENT} when no term is given" if flag == "--worker-memory-growth" else ""
        )
        parser.add_argument(
            flag, type=counted(1), default=None, help=f"each worker's (see search_cnn.py --help{default})"
        )
    return parser


def parse_launch(argv: list[str]) -> LaunchPlan:
    """`launch.py`'s options; the sweep's options are checked with the sweep's own parser."""
    args, sweep_args = launch_parser().parse_known_args(argv)
    given = [flag for flag in CLUSTER_FLAGS if any(a == flag or a.startswith(flag + "=") for a in sweep_args)]
    if given:
        raise UsageError(f"{given[0]}: launch.py starts the chief and the workers itself; drop it")
    tls = [flag for flag in TLS_FLAGS if any(a == flag or a.startswith(flag + "=") for a in sweep_args)]
    if tls:
        raise UsageError(f"{tls[0]}: launch.py's chief and workers talk on loopback, without TLS; drop it")
    to_options(sweep_parser(args.family).parse_args(sweep_args))  # argparse's message, or ours, on a bad sweep option
    per_gpu = gpu_sharing(args.gpus, args.trials_per_gpu)
    workers = args.workers or len(args.gpus) * per_gpu or 2
    if args.gpus and workers > len(args.gpus) * per_gpu:
        raise UsageError(
            f"--workers {workers} on {len(args.gpus)} GPU(s) at {per_gpu} trial(s) per GPU: at most "
            f"{len(args.gpus) * per_gpu} workers; to share a GPU, pass --trials-per-gpu "
            f"{-(-workers // len(args.gpus))} (each worker then gets its share of the GPU's memory)"
        )
    resume = " ".join(shlex.quote(a) for a in ["python", "experiments/launch.py", *argv] if a != "--overwrite")
    term = worker_term_values(args)
    if all(value is None for value in term.values()):
        term["--worker-memory-growth"] = LAUNCHED_GROWTH_PERCENT
    worker_args = tuple(str(part) for flag, value in term.items() if value is not None for part in (flag, value))
    return LaunchPlan(args.family, workers, args.gpus, args.port, tuple(sweep_args), resume, per_gpu, worker_args)


def gpu_sharing(gpus: tuple[str, ...], trials_per_gpu: int | None) -> int:
    """How many workers share one GPU (1 unless --trials-per-gpu says; it needs --gpus)."""
    if trials_per_gpu is not None and not gpus:
        raise UsageError(
            f"--trials-per-gpu {trials_per_gpu}: pass --gpus too (e.g. --gpus 0); without GPUs use --workers"
        )
    return trials_per_gpu or 1
