"""The settings of musicnn's front end and of what is cached from it: the embeddings (the `musicnn` representation)
or the log-Mel patches themselves (`musicnn_patch`, for fine-tuning the network)."""

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import ClassVar

# the cached embedding: the penultimate layer, the pooled mid-end (max and mean over time, interleaved) and the tags
EMBEDDINGS = {"penultimate": (0, 200), "pooled": (200, 1706), "tags": (1706, 1756)}  # name -> columns [start, stop)
EMBEDDING_WIDTH = 1756


@dataclass(frozen=True)
class MusicnnFeatures:
    """musicnn's front end (its `configuration.py`, and reflect padding as it was trained) and one patch per clip."""

    kind: ClassVar[str] = "musicnn"
    sample_rate: int = 16_000
    clip_seconds: float = 3.0
    n_fft: int = 512
    hop_length: int = 256
    num_mels: int = 96
    patch_frames: int = 187
    weights: str = "MTT_musicnn"
    version: int = 1  # of the extractor's output (its code, the rebuild, the row layout): bump it when they change

    @property
    def samples_per_clip(self) -> int:
        """Samples in one clip (48,000): 188 frames with centred frames, of which the first 187 make the patch."""
        return int(round(self.sample_rate * self.clip_seconds))

    @property
    def shape(self) -> tuple[int]:
        """A cached row: every embedding of one clip, side by side."""
        return (EMBEDDING_WIDTH,)

    input_shape = shape  # what a trained head takes

    @property
    def model_input_shape(self) -> tuple[int, int]:
        """What a saved model takes: one log-Mel patch, [frames, mels]."""
        return (self.patch_frames, self.num_mels)

    def fingerprint(self) -> str:
        """Short stable hash of every constant (the kind and the extractor's version included): the cache key, so a
        cache of an older extractor is never read as this one's."""
        text = json.dumps({"kind": self.kind, **asdict(self)}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    def extractor(self):
        """Clips -> cached rows: the front end, then the network with its weights (which must be set up)."""
        from data_pipeline.musicnn.embeddings import EmbeddingExtractor

        return EmbeddingExtractor(self)

    def front_end(self):
        """Clips -> a saved model's input (log-Mel patches)."""
        from data_pipeline.musicnn.front_end import MelPatches

        return MelPatches(self)

    def graph_front_end(self):
        """The front end in TensorFlow ops, for an exported model."""
        from data_pipeline.musicnn.front_end_tf import graph_front_end

        return graph_front_end(self)


@dataclass(frozen=True)
class MusicnnPatches(MusicnnFeatures):
    """musicnn's front end alone: the cache holds each clip's first log-Mel patch, which the network (partly trained,
    `hypermodels.musicnn_ft`) reads. Needs no weights to fill."""

    kind: ClassVar[str] = "musicnn_patch"

    @property
    def shape(self) -> tuple[int, int]:
        """A cached row: one log-Mel patch, [frames, mels]."""
        return self.model_input_shape

    input_shape = shape

    def extractor(self):
        """Clips -> cached rows: the front end alone."""
        return self.front_end()
