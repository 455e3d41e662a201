"""The training commands' one pattern: parse the command line (at once: nothing here imports Keras), start Keras
quietly and print its backend and devices, then run."""

from experiments.options import parse_launch, parse_sweep, parse_train
from plumbing.launcher_bond import die_with_launcher
from plumbing.quiet_start import start_keras, wants_verbose


def sweep(family: str, argv: list[str]) -> int:
    """`search_<family>.py`."""
    options = parse_sweep(family, argv)
    die_with_launcher()  # a chief or worker of launch.py: it never outlives the launcher
    print(start_keras(wants_verbose(argv)), flush=True)
    from experiments.tuning.sweep import run_sweep

    return run_sweep(family, options)


def train(argv: list[str]) -> int:
    """`train.py`."""
    model, options = parse_train(argv)
    print(start_keras(wants_verbose(argv)), flush=True)
    from experiments.training.fixed_models import train_fixed

    return train_fixed(model, options)


def launch(argv: list[str]) -> int:
    """`launch.py`."""
    plan = parse_launch(argv)
    start_keras(wants_verbose(argv))
    from experiments.cluster.launcher import launch as launch_sweep

    return launch_sweep(plan)
