"""`--overwrite`: an experiment's results and its own TensorBoard logs removed, its lock kept."""

import shutil
from pathlib import Path

from experiments.training.run_layout import RunLayout


def clear_results(layout: RunLayout, tb_logs: Path) -> None:
    """--overwrite: remove the experiment's results (but its lock) and its own TensorBoard logs."""
    for path in layout.root.iterdir() if layout.root.exists() else []:
        if path != layout.lock:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    shutil.rmtree(tb_logs, ignore_errors=True)
