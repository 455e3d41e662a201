"""Class probabilities for audio files of any format and length, from a saved model and its card."""

import functools
import sys
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
from tqdm.auto import tqdm

from data_pipeline.audio import stream_windows
from data_pipeline.model_card import ModelCard
from data_pipeline.representations import Features
from plumbing.errors import DataError


@dataclass(frozen=True)
class WindowPlan:
    """How a file is cut for the model: window and hop in seconds, windows per model call."""

    window: float = 3.0
    hop: float = 1.5
    batch_size: int = 64


@dataclass(frozen=True)
class FilePrediction:
    """One input file: mean class probabilities over its windows, or why it could not be read."""

    path: Path
    probabilities: np.ndarray | None
    windows: int
    error: str | None = None

    def top(self, classes: tuple[str, ...], k: int) -> list[tuple[str, float]]:
        """The k most probable classes, best first."""
        order = np.argsort(-self.probabilities, kind="stable")[:k]
        return [(classes[i], float(self.probabilities[i])) for i in order]


@functools.cache
def extractor_for(config: Features):
    """One front end per representation's settings (clips -> the saved model's input), built once."""
    return config.front_end()


class WindowBatcher:
    """Collects windows across files and runs the model on full batches, summing probabilities per file."""

    def __init__(self, model: keras.Model, card: ModelCard, files: int, batch_size: int):
        self.model, self.batch_size = model, batch_size
        self.extractor = extractor_for(card.features)
        self.sums = np.zeros((files, len(card.classes)))
        self.windows: list[np.ndarray] = []
        self.owners: list[int] = []

    def add(self, owner: int, windows: np.ndarray) -> None:
        self.windows += list(windows)
        self.owners += [owner] * len(windows)
        while len(self.windows) >= self.batch_size:
            self.flush(self.batch_size)

    def flush(self, count: int | None = None) -> None:
        """Run the model on the first `count` pending windows (all by default)."""
        count = len(self.windows) if count is None else count
        if not count:
            return
        features = self.extractor(np.stack(self.windows[:count]))
        probabilities = np.asarray(self.model.predict_on_batch(features), dtype=np.float64)
        np.add.at(self.sums, np.array(self.owners[:count]), probabilities)
        del self.windows[:count], self.owners[:count]


def predict_files(model: keras.Model, card: ModelCard, files: list[Path], plan: WindowPlan) -> list[FilePrediction]:
    """Every file's mean window probabilities; unreadable files get their reason, the others still run."""
    batcher = WindowBatcher(model, card, len(files), plan.batch_size)
    counts, errors = [0] * len(files), [None] * len(files)
    for index, path in enumerate(tqdm(files, desc="predict", unit="file", file=sys.stderr, disable=None, leave=False)):
        try:
            for windows in stream_windows(path, card.features, plan.window, plan.hop):
                counts[index] += len(windows)
                batcher.add(index, windows)
        except DataError as error:  # windows already batched count for nothing: the file is reported broken
            errors[index] = str(error)
    batcher.flush()
    return [
        FilePrediction(path, None, 0, errors[i])
        if errors[i]
        else FilePrediction(path, batcher.sums[i] / counts[i], counts[i])
        for i, path in enumerate(files)
    ]
