"""What a command is asked to do: a sweep or fixed-model run, or a launch (parsed by `experiments/options.py`)."""

from dataclasses import dataclass
from pathlib import Path

from experiments.training.objectives import DEFAULT_OBJECTIVE

SCHEDULERS = {"none": "grid", "halving": "halving"}  # --scheduler -> the strategy a sweep records (the older flag)
WORKER_TERM_FLAGS = ("--trials-per-worker", "--worker-memory-mib", "--worker-memory-growth")  # RunOptions' fields


def worker_term_values(source) -> dict[str, int | None]:
    """Each worker-term flag and its value on `source` (`RunOptions` or parsed arguments: the flag's dest)."""
    return {flag: getattr(source, flag[2:].replace("-", "_")) for flag in WORKER_TERM_FLAGS}


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
    search: str = "grid"  # which points: `tuning.samplers`
    max_trials: int | None = None  # a sampled search's number of points
    strategy: str = "grid"  # how many epochs each point gets: "grid" every one, "halving" (`--scheduler`)
    min_epochs: int | None = None  # halving's first rung; None: `tuning.halving.plan_defaults`
    eta: int = 3
    rung_score: str | None = None  # halving's `tuning.rung_scores`; None: the recorded one, else the default
    mixed_precision: str | None = None  # compute dtype of mixed precision (float16, bfloat16), None: float32
    class_weight: str | None = None  # `hypermodels.class_weighting`; None: not given (none, or what the space searches)
    objective: str = DEFAULT_OBJECTIVE  # `training.objectives`: early stopping, the kept epoch and rankings maximize it
    recheck_top: int | None = None  # once the grid has run, train its top K points again with more seeds
    seeds: int | None = None  # ... this many more seeds each (`tuning.recheck.plan`: 3 when not given)
    chief: tuple[str, int] | None = None
    worker: tuple[str, int] | None = None
    worker_id: str | None = None
    lease_seconds: float = 180.0
    chief_wait: float = 600.0
    tls_cert: Path | None = None  # the chief serves over TLS (with tls_key)
    tls_key: Path | None = None
    tls_ca: Path | None = None  # a worker checks a TLS chief's certificate against this
    trials_per_worker: int | None = None  # a worker leaves after this many trials (a fresh one takes its slot)
    worker_memory_mib: int | None = None  # ... or once its resident memory passes this bound
    worker_memory_growth: int | None = None  # ... or before it grows past its first trial's by this many percent


@dataclass(frozen=True)
class LaunchPlan:
    """The family, how many workers, which GPU each gets and how many share one, the port, the sweep's own options."""

    family: str
    workers: int
    gpus: tuple[str, ...]
    port: int
    sweep_args: tuple[str, ...]
    resume: str  # the command that continues this launch
    trials_per_gpu: int = 1
    worker_args: tuple[str, ...] = ()  # a worker's own options (its term), not the chief's

    def gpu_of(self, slot: int) -> str | None:
        """The GPU of worker slot `slot` (round robin over `gpus`; None without GPUs)."""
        return self.gpus[slot % len(self.gpus)] if self.gpus else None
