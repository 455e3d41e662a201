"""The musicnn family (beyond the seed): a small head on the embeddings of MTT_musicnn, a network pretrained on real
recorded music (MagnaTagATune), computed once per clip and cached (the HEAR benchmark's protocol).

- `build_baseline_musicnn`: a linear probe on the pooled embedding (Adam 1e-3).
- `build_enhanced_musicnn`: Dense(256) ReLU and dropout 0.5 on the pooled embedding.
- `MusicnnHyperModel`: which embedding, head units and dropout, learning rate, L2, class weights. One embedding,
  `penultimate_tuned`, fine-tunes the network's back end: its pretrained batch norm, Dense(200) and batch norm
  trained with the head from the cached pooled embedding (everything before it stays frozen).
A trained head is saved on top of the frozen network (`serving_model`): the model file takes log-Mel patches, so
predict, evaluate and export need neither the cache nor the weights folder.
"""

import keras
from keras import layers, regularizers

from data_pipeline.musicnn.config import EMBEDDING_WIDTH, EMBEDDINGS, MusicnnFeatures
from data_pipeline.musicnn.network import embedding_model
from data_pipeline.musicnn.weights import pretrained_network
from hypermodels.base import SpaceHyperModel, classifier, compile_model
from hypermodels.class_weighting import WEIGHTING_DEFAULTS
from hypermodels.space import SearchSpace

INPUT_SHAPE = (EMBEDDING_WIDTH,)
FINE_TUNED = "penultimate_tuned"  # the penultimate layer recomputed by the back end, trained with the head
EMBEDDING_CHOICES = (*EMBEDDINGS, FINE_TUNED)
BACK_END = ("pooled_bn", "pooled_dropout", "penultimate_dense", "penultimate")  # the network's, pooled -> penultimate
SEED_SPACE = SearchSpace.from_mapping(
    "seed",
    {
        "embedding": list(EMBEDDING_CHOICES),
        "head_units": [0, 256],
        "dropout_head": [0.0, 0.5],
        "learning_rate": [1e-3, 3e-4],
    },
)
QUICK_SPACE = SearchSpace.from_mapping(
    "quick", {"embedding": ["penultimate", "pooled"], "head_units": [0], "learning_rate": [1e-3]}
)
DEFAULTS = {
    "embedding": "pooled",
    "head_units": 0,
    "dropout_head": 0.0,
    "learning_rate": 1e-3,
    "l2_strength": 0.0,
    **WEIGHTING_DEFAULTS,
}


@keras.saving.register_keras_serializable(package="instrument_tuner")
class EmbeddingPart(layers.Layer):
    """One embedding of the cached row (`config.EMBEDDINGS`): its columns [start, stop)."""

    def __init__(self, embedding: str, **kwargs):
        super().__init__(**kwargs)
        self.embedding = embedding
        self.start, self.stop = EMBEDDINGS[embedding]

    def call(self, inputs):
        return inputs[:, self.start : self.stop]

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.stop - self.start)

    def get_config(self) -> dict:
        return {**super().get_config(), "embedding": self.embedding}


def back_end() -> list[tuple[layers.Layer, list]]:
    """Trainable copies of the network's back end (pooled -> penultimate), each with its pretrained weights."""
    network = pretrained_network(MusicnnFeatures())
    copies = []
    for name in BACK_END:
        layer = network.get_layer(name)
        copies.append(
            (type(layer).from_config({**layer.get_config(), "name": f"back_end_{name}"}), layer.get_weights())
        )
    return copies


def head_layers(params: dict, num_classes: int) -> list[layers.Layer]:
    """An embedding's head: batch norm -> optional Dense(units) ReLU -> dropout -> softmax (`params` complete)."""
    l2 = regularizers.L2(float(params["l2_strength"])) if params["l2_strength"] else None
    head = [layers.BatchNormalization(name="embedding_bn")]
    if units := int(params["head_units"]):
        head.append(layers.Dense(units, activation="relu", kernel_regularizer=l2, name="head_dense"))
    if params["dropout_head"]:
        head.append(layers.Dropout(float(params["dropout_head"]), name="head_dropout"))
    return [*head, classifier(num_classes, l2)]


def head_model(params: dict, num_classes: int, input_shape=INPUT_SHAPE, name: str = "musicnn") -> keras.Model:
    """cached row -> one embedding (or the fine-tuned back end) -> `head_layers`."""
    p = {**DEFAULTS, **params}
    model = keras.Sequential(name=name)
    model.add(keras.Input(shape=input_shape))
    tuned = back_end() if p["embedding"] == FINE_TUNED else []
    model.add(EmbeddingPart("pooled" if tuned else p["embedding"], name="embedding"))
    for layer, _ in tuned:
        model.add(layer)
    for layer, weights in tuned:
        layer.set_weights(weights)
    for layer in head_layers(p, num_classes):
        model.add(layer)
    return model


def build_baseline_musicnn(*, num_classes: int, input_shape=INPUT_SHAPE) -> keras.Model:
    """A linear probe on the pooled embedding; Adam 1e-3."""
    model = head_model({}, num_classes, input_shape, "baseline_musicnn")
    return compile_model(model, keras.optimizers.Adam(learning_rate=1e-3))


def build_enhanced_musicnn(*, num_classes: int, input_shape=INPUT_SHAPE) -> keras.Model:
    """Dense(256) ReLU and dropout 0.5 on the pooled embedding; Adam 1e-3."""
    model = head_model({"head_units": 256, "dropout_head": 0.5}, num_classes, input_shape, "enhanced_musicnn")
    return compile_model(model, keras.optimizers.Adam(learning_rate=1e-3))


def serving_model(head: keras.Model) -> keras.Model:
    """The model file: log-Mel patch -> the frozen network's embedding -> the trained head."""
    config = MusicnnFeatures()
    network = embedding_model(pretrained_network(config))
    network.trainable = False
    patch = keras.Input(config.model_input_shape, name="log_mel")
    return keras.Model(patch, head(network(patch)), name=f"{head.name}_on_log_mel")


def trained_head(model: keras.Model) -> keras.Model:
    """The head inside a saved model (`serving_model`'s last layer)."""
    return model.layers[-1]


class MusicnnHyperModel(SpaceHyperModel):
    """A head on the cached musicnn embeddings over a search space (default: the 32-point grid above)."""

    seed_space = SEED_SPACE
    defaults = DEFAULTS
    default_input_shape = INPUT_SHAPE

    def architecture(self, params: dict) -> keras.Model:
        return head_model(params, self.num_classes, self.input_shape, "tuned_musicnn")
