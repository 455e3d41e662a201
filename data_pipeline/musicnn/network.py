"""MTT_musicnn rebuilt in Keras 3 from its published architecture (musicnn's `models.py`), without Lambda layers.

Front end: two timbral convolutions (7 x 38 and 7 x 67 of 96 bands, 204 filters) and three temporal ones (128, 64,
32 frames x 1, 51 filters), each max-pooled over frequency; mid-end: three 7-frame 1-D convolutions of 64 filters
with residual connections; back end: max and mean over time (interleaved, as the original flattens them), batch
norm, dropout, Dense(200) ReLU (the penultimate layer, after its batch norm), dropout, 50 sigmoid tags.
792,079 parameters. The checkpoint's variables were created in this order, which names them.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import keras
from keras import layers

from data_pipeline.musicnn.config import MusicnnFeatures

TIMBRAL = (("timbral_74", 38), ("timbral_77", 67))  # int(0.4 * 96), int(0.7 * 96) bands
TEMPORAL = (("temporal_128", 128), ("temporal_64", 64), ("temporal_32", 32))
FRONT_FILTERS, TEMPORAL_FILTERS, MID_FILTERS, UNITS, TAGS = 204, 51, 64, 200, 50
BATCH_NORMS = (
    "input_bn",
    "timbral_74_bn",
    "timbral_77_bn",
    "temporal_128_bn",
    "temporal_64_bn",
    "temporal_32_bn",
    "mid_bn_1",
    "mid_bn_2",
    "mid_bn_3",
    "pooled_bn",
    "penultimate",
)
CONVOLUTIONS = (
    "timbral_74",
    "timbral_77",
    "temporal_128",
    "temporal_64",
    "temporal_32",
    *(f"mid_conv_{k}" for k in (1, 2, 3)),
)
DENSES = ("penultimate_dense", "tags")
OUTPUTS = ("penultimate", "pooled", "tags")  # the embedding's parts, in `config.EMBEDDINGS`' order


def frequency_max(x, width: int, filters: int, name: str):
    """Max over what is left of the frequency axis: [batch, time, width, filters] -> [batch, time, filters]."""
    pooled = layers.MaxPooling2D(pool_size=(1, width), name=f"{name}_pool")(x)
    return layers.Reshape((-1, filters), name=f"{name}_squeeze")(pooled)


def front_end(x, mels: int) -> keras.KerasTensor:
    """The timbral and temporal convolutions, concatenated: [batch, time, 561]."""
    padded = layers.ZeroPadding2D(((3, 3), (0, 0)), name="time_pad")(x)
    parts = []
    for name, width in TIMBRAL:
        c = layers.Conv2D(FRONT_FILTERS, (7, width), activation="relu", name=name)(padded)
        c = layers.BatchNormalization(name=f"{name}_bn")(c)
        parts.append(frequency_max(c, mels - width + 1, FRONT_FILTERS, name))
    for name, length in TEMPORAL:
        c = layers.Conv2D(TEMPORAL_FILTERS, (length, 1), padding="same", activation="relu", name=name)(x)
        c = layers.BatchNormalization(name=f"{name}_bn")(c)
        parts.append(frequency_max(c, mels, TEMPORAL_FILTERS, name))
    return layers.Concatenate(name="front_end")(parts)


def mid_end(front) -> keras.KerasTensor:
    """Three 1-D convolutions, the last two residual; the front end and all three concatenated: [batch, time, 753]."""
    outputs, previous = [], front
    for k in (1, 2, 3):
        c = layers.ZeroPadding1D(3, name=f"mid_pad_{k}")(previous)
        c = layers.Conv1D(MID_FILTERS, 7, activation="relu", name=f"mid_conv_{k}")(c)
        c = layers.BatchNormalization(name=f"mid_bn_{k}")(c)
        previous = c if k == 1 else layers.Add(name=f"mid_res_{k}")([c, previous])
        outputs.append(previous)
    return layers.Concatenate(name="mid_end")([front, *outputs])


@contextmanager
def float32_policy() -> Iterator[None]:
    """Layers made in the block compute in float32, under any global precision policy (`--mixed-precision`)."""
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy("float32")
    try:
        yield
    finally:
        keras.config.set_dtype_policy(previous)


def build_musicnn(config: MusicnnFeatures | None = None) -> keras.Model:
    """mel patch [batch, frames, mels] -> (penultimate [200], pooled [1506], tags [50]), in float32."""
    with float32_policy():
        return network_graph(config or MusicnnFeatures())


def network_graph(config: MusicnnFeatures) -> keras.Model:
    """The layers of `build_musicnn`."""
    mel = keras.Input(config.model_input_shape, name="log_mel")
    x = layers.Reshape((-1, config.num_mels, 1), name="channel")(mel)
    x = layers.BatchNormalization(name="input_bn")(x)
    mid = mid_end(front_end(x, config.num_mels))
    maxima = layers.GlobalMaxPooling1D(name="max_pool")(mid)
    means = layers.GlobalAveragePooling1D(name="mean_pool")(mid)
    columns = [layers.Reshape((-1, 1), name=f"{p.name}_column")(p) for p in (maxima, means)]
    pooled = layers.Flatten(name="pooled")(layers.Concatenate(name="pooled_pairs")(columns))
    h = layers.BatchNormalization(name="pooled_bn")(pooled)
    h = layers.Dropout(0.5, name="pooled_dropout")(h)
    h = layers.Dense(UNITS, activation="relu", name="penultimate_dense")(h)
    penultimate = layers.BatchNormalization(name="penultimate")(h)
    h = layers.Dropout(0.5, name="penultimate_dropout")(penultimate)
    tags = layers.Dense(TAGS, activation="sigmoid", name="tags")(h)
    return keras.Model(mel, [penultimate, pooled, tags], name=config.weights.lower())


def embedding_model(network: keras.Model) -> keras.Model:
    """The network's three outputs side by side, [batch, 1756]: one cached row per patch."""
    with float32_policy():
        joined = layers.Concatenate(name="embedding")(list(network.outputs))
        return keras.Model(network.inputs, joined, name="musicnn_embedding")


def numbered(prefix: str, index: int) -> str:
    """TF1's layer scopes: `conv2d`, `conv2d_1`, ..."""
    return prefix if index == 0 else f"{prefix}_{index}"


def checkpoint_weights(read) -> dict[str, list]:
    """Layer name -> its weights, from the checkpoint's tensors (`read(name)` -> array)."""
    weights = {}
    for i, name in enumerate(BATCH_NORMS):
        scope = numbered("batch_normalization", i)
        weights[name] = [read(f"{scope}/{v}") for v in ("gamma", "beta", "moving_mean", "moving_variance")]
    for i, name in enumerate(CONVOLUTIONS):
        scope = numbered("conv2d", i)
        kernel = read(f"{scope}/kernel")
        weights[name] = [kernel[:, :, 0, :] if name.startswith("mid_conv") else kernel, read(f"{scope}/bias")]
    for i, name in enumerate(DENSES):
        scope = numbered("dense", i)
        weights[name] = [read(f"{scope}/kernel"), read(f"{scope}/bias")]
    return weights
