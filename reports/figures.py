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
