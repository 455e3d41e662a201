"""The musicnn_ft family (beyond the seed): MTT_musicnn itself fine-tuned on the user's clips, from its cached log-Mel
patches (the `musicnn` family's second tier: that family trains a head on cached embeddings, this one trains the
network's last blocks with the head, so every epoch runs the whole network).

- `MusicnnFineTuningHyperModel`: how many of the network's last blocks train (`unfrozen_blocks`: 1 is its back end,
  2 to 4 add its mid-end convolutions from the top; its front end stays as pretrained), head units and dropout,
  learning rate, L2, class weights, and augmentation: SpecAugment masks on the patch (`time_mask`, `freq_mask`) and
  mixup (`mixup_alpha`).
No fixed models: the `musicnn` family's linear probe and MLP head are this family's starting points. The model takes
log-Mel patches as it is trained, so it is its own model file.
"""

import keras
from keras import layers

from data_pipeline.musicnn.config import MusicnnPatches
from data_pipeline.musicnn.weights import pretrained_network
from hypermodels.base import SpaceHyperModel
from hypermodels.class_weighting import WEIGHTING_DEFAULTS
from hypermodels.musicnn import head_layers
from hypermodels.space import SearchSpace
from hypermodels.spec_augment import SpecAugment

FEATURES = MusicnnPatches()
INPUT_SHAPE = FEATURES.input_shape
BLOCKS = (  # the network's layers with weights, from the top: `unfrozen_blocks` = how many of these train
    ("pooled_bn", "penultimate_dense", "penultimate"),
    ("mid_conv_3", "mid_bn_3"),
    ("mid_conv_2", "mid_bn_2"),
    ("mid_conv_1", "mid_bn_1"),
)
SEED_SPACE = SearchSpace.from_mapping(
    "seed",
    {
        "unfrozen_blocks": [2, 4],  # 1 alone is the `musicnn` family's `penultimate_tuned`, at a hundred times the cost
        "learning_rate": [3e-4, 1e-4],
        "time_mask": [0, 24],
        "freq_mask": [0, 12],
    },
)
QUICK_SPACE = SearchSpace.from_mapping("quick", {"unfrozen_blocks": [2], "learning_rate": [3e-4]})
DEFAULTS = {
    "unfrozen_blocks": 2,
    "head_units": 0,
    "dropout_head": 0.0,
    "learning_rate": 3e-4,
    "l2_strength": 0.0,
    "time_mask": 0,
    "freq_mask": 0,
    "mixup_alpha": 0.0,
    **WEIGHTING_DEFAULTS,
}


def masked(patch: keras.KerasTensor, time_mask: int, freq_mask: int) -> keras.KerasTensor:
    """SpecAugment on a [frames, mels] patch (training only): the layer takes [mels, frames, 1]."""
    frames, mels = patch.shape[1:]
    x = layers.Permute((2, 1), name="to_mels_frames")(patch)
    x = layers.Reshape((mels, frames, 1), name="to_channel")(x)
    x = SpecAugment(time_mask, freq_mask, name="spec_augment")(x)
    x = layers.Reshape((mels, frames), name="from_channel")(x)
    return layers.Permute((2, 1), name="to_frames_mels")(x)


def fine_tuned_model(params: dict, num_classes: int, input_shape=INPUT_SHAPE, name: str = "musicnn_ft") -> keras.Model:
    """log-Mel patch -> (SpecAugment) -> the pretrained network, its last `unfrozen_blocks` blocks trainable (frozen
    batch norms keep their pretrained statistics) -> its penultimate layer -> `musicnn.head_layers`."""
    p = {**DEFAULTS, **params}
    network = pretrained_network(FEATURES)
    unfrozen = {layer for block in BLOCKS[: int(p["unfrozen_blocks"])] for layer in block}
    for layer in network.layers:
        layer.trainable = layer.name in unfrozen
    patch = keras.Input(input_shape, name="log_mel")
    x = masked(patch, int(p["time_mask"]), int(p["freq_mask"])) if p["time_mask"] or p["freq_mask"] else patch
    x, _, _ = network(x)  # the penultimate layer (pooled and tags unused)
    for layer in head_layers(p, num_classes):
        x = layer(x)
    return keras.Model(patch, x, name=name)


class MusicnnFineTuningHyperModel(SpaceHyperModel):
    """MTT_musicnn's last blocks and a head, trained on cached log-Mel patches, over a search space (default: the
    16-point grid above)."""

    seed_space = SEED_SPACE
    defaults = DEFAULTS
    default_input_shape = INPUT_SHAPE

    def architecture(self, params: dict) -> keras.Model:
        return fine_tuned_model(params, self.num_classes, self.input_shape, "tuned_musicnn_ft")
