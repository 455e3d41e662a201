"""MTT_musicnn's own graph (the checkpoint's `.meta`), run in TensorFlow without musicnn's code: the reference the
Keras rebuild is checked against.

The `.meta` graph cannot be imported whole (its gradient nodes carry inconsistent `_output_shapes`), so the inference
subgraph is extracted, its variables replaced by the checkpoint's values, and run with `is_training` False.
"""

import numpy as np
import tensorflow as tf
from tensorflow.core.protobuf import meta_graph_pb2

# the tags, the max- and mean-pooled mid-end, and the penultimate layer (after its batch norm)
OUTPUTS = ("model/Sigmoid", "model/Max", "model/moments/Squeeze", "model/batch_normalization_10/batchnorm/add_1")


def frozen_graph(prefix: str) -> tf.compat.v1.GraphDef:
    """The inference subgraph with every variable a constant of its checkpoint value."""
    meta = meta_graph_pb2.MetaGraphDef()
    with open(prefix + ".meta", "rb") as handle:
        meta.ParseFromString(handle.read())
    graph = tf.compat.v1.graph_util.extract_sub_graph(meta.graph_def, [o.split(":")[0] for o in OUTPUTS])
    reader = tf.compat.v1.train.NewCheckpointReader(prefix)
    frozen = tf.compat.v1.GraphDef()
    for node in graph.node:
        new = frozen.node.add()
        if node.op in ("VariableV2", "Variable"):
            value = reader.get_tensor(node.name)
            new.name, new.op = node.name, "Const"
            new.attr["dtype"].type = tf.as_dtype(value.dtype).as_datatype_enum
            new.attr["value"].tensor.CopyFrom(tf.compat.v1.make_tensor_proto(value))
        else:
            new.CopyFrom(node)
            new.attr.pop("_output_shapes", None)
    return frozen


def reference_outputs(prefix: str, patches: np.ndarray) -> dict[str, np.ndarray]:
    """The original graph's outputs on `patches` [batch, 187, 96]."""
    frozen = frozen_graph(prefix)
    graph = tf.Graph()
    with graph.as_default():
        tf.compat.v1.import_graph_def(frozen, name="")
        feed = {}
        for node in frozen.node:
            if node.op == "Placeholder":
                tensor = graph.get_tensor_by_name(node.name + ":0")
                feed[tensor] = False if tensor.dtype == tf.bool else patches
        with tf.compat.v1.Session(graph=graph) as session:
            values = session.run([graph.get_tensor_by_name(o + ":0") for o in OUTPUTS], feed)
    return dict(zip(OUTPUTS, values, strict=True))
