"""Report figures: training curves (seed Figure 39); the rest reuses the pipeline's plotting."""

from pathlib import Path

import pandas as pd

from plumbing.atomic import atomic_write
from plumbing.plotting import plt


def training_curves(
    history: pd.DataFrame,
    title: str,
    path: Path,
    best_epoch: int | None = None,
    restored: bool = True,
    kept_by: str = "val acc",
) -> Path:
    """Loss and accuracy per epoch, training against validation, the best epoch by `kept_by` marked."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    epochs = history["epoch"] + 1
    for ax, metric in zip(axes, ("loss", "accuracy"), strict=True):
        ax.plot(epochs, history[metric], marker="o", label="train")
        ax.plot(epochs, history[f"val_{metric}"], marker="o", label="validation")
        if best_epoch:
            kept = "weights restored" if restored else "last epoch's weights kept"
            ax.axvline(
                best_epoch, color="0.3", linestyle="--", lw=1, label=f"best {kept_by}: epoch {best_epoch} ({kept})"
            )
        ax.set_title(metric.capitalize())
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=80, format="png", metadata={"Software": None}))
    plt.close(fig)
    return path


def progress_curve(board: pd.DataFrame, order: str, objective: str) -> pd.DataFrame:
    """Point after point in the order they were proposed (`order`): how many were tried, the epochs they had cost,
    and the best `objective` among them (a point without a result adds its epochs, not a score)."""
    rows = board.sort_values(order)
    return pd.DataFrame(
        {
            "tried": range(1, len(rows) + 1),
            "epochs": rows["epochs_run"].astype(float).cumsum().to_numpy(),
            "best": rows[objective].astype(float).cummax().ffill().to_numpy(),
        }
    )


def best_so_far(board: pd.DataFrame, order: str, objective: str, title: str, path: Path) -> Path:
    """The best validation score found so far against the points tried and against the epochs spent."""
    curve = progress_curve(board, order, objective)
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
    for ax, x, label in ((axes[0], "tried", "points tried"), (axes[1], "epochs", "epochs spent")):
        ax.step(curve[x], curve["best"], where="post", marker="o")
        ax.set_xlabel(label)
        ax.set_ylabel(f"best {objective} so far")
        ax.grid(alpha=0.3)
    fig.suptitle(title)
    fig.tight_layout()
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=80, format="png", metadata={"Software": None}))
    plt.close(fig)
    return path
