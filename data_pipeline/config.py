"""Constants of the feature pipeline and of the split (seed Figure 14 and Figure 34)."""

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import ClassVar


@dataclass(frozen=True)
class FeatureConfig:
    """Log-Mel settings of the seed (Figure 14, Figure 37): the CNN's and the BiGRU's representation."""

    kind: ClassVar[str] = "log_mel"
    sample_rate: int = 22_050
    clip_seconds: float = 3.0
    n_fft: int = 1024
    hop_length: int = 256
    num_mels: int = 64
    num_mfcc: int = 13
    fmin: float = 0.0
    fmax: float = 11_025.0
    log_offset: float = 1e-6

    @property
    def samples_per_clip(self) -> int:
        """Samples in one fixed-length clip (66,150 for the seed)."""
        return int(round(self.sample_rate * self.clip_seconds))

    @property
    def num_frames(self) -> int:
        """STFT frames per clip without end padding (255 for the seed)."""
        return 1 + (self.samples_per_clip - self.n_fft) // self.hop_length

    @property
    def shape(self) -> tuple[int, int, int]:
        """Per-clip feature shape (mels, frames, 1)."""
        return (self.num_mels, self.num_frames, 1)

    @property
    def input_shape(self) -> tuple[int, None, int]:
        """What a model takes: (mels, any number of frames, 1)."""
        return (self.num_mels, None, 1)

    model_input_shape = input_shape  # a saved model takes what it trained on

    def fingerprint(self) -> str:
        """Short stable hash of every constant: the cache key."""
        text = json.dumps(asdict(self), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    def extractor(self):
        """Clips -> cached rows (log-Mel spectrograms)."""
        from data_pipeline.features import LogMelExtractor

        return LogMelExtractor(self)

    front_end = extractor  # clips -> a saved model's input: the same spectrograms

    def graph_front_end(self):
        """The front end in TensorFlow ops (the seed's), for an exported model."""
        from data_pipeline.features_tf import log_mel, mel_weight_matrix

        weights = mel_weight_matrix(self)
        return lambda waveform: log_mel(waveform, weights, self)


@dataclass(frozen=True)
class SplitConfig:
    """Class filter and stratified split settings (seed Figures 6 and 34)."""

    min_clips: int = 1000
    seed: int = 42
    test_size: float = 0.15
    val_size_of_rest: float = 0.17647
