"""Clips -> musicnn embeddings (the feature cache's rows for the `musicnn` family): front end, then the network.

A clip is cut into musicnn's 187-frame patches (a 3-s clip at 16 kHz is one) and the embeddings of its patches are
averaged.
"""

import numpy as np

from data_pipeline.musicnn.config import EMBEDDING_WIDTH, MusicnnFeatures
from data_pipeline.musicnn.front_end import log_mel, patches
from data_pipeline.musicnn.network import embedding_model
from data_pipeline.musicnn.weights import pretrained_network

PATCHES_PER_CALL = 64


class EmbeddingExtractor:
    """[batch, samples] -> [batch, 1756] float32: penultimate, pooled and tags of each clip, patches averaged."""

    def __init__(self, config: MusicnnFeatures):
        self.config = config
        self.model = embedding_model(pretrained_network(config))

    def __call__(self, waveforms: np.ndarray) -> np.ndarray:
        if not len(waveforms):
            return np.zeros((0, EMBEDDING_WIDTH), np.float32)
        cut = patches(log_mel(waveforms, self.config), self.config.patch_frames)  # [batch, patches, frames, mels]
        flat = cut.reshape(-1, *cut.shape[2:])
        rows = [
            self.model.predict_on_batch(flat[i : i + PATCHES_PER_CALL]) for i in range(0, len(flat), PATCHES_PER_CALL)
        ]
        embedded = np.concatenate([np.asarray(r, dtype=np.float32) for r in rows])
        return embedded.reshape(len(cut), cut.shape[1], -1).mean(axis=1)
