"""The line a training command starts with: the Keras backend, its version and the devices it computes on.

Read after the backend has started (`plumbing.quiet_start`), so that listing devices cannot come before a GPU
memory setting. A GPU is named with its model, so that a user sees at once whether the GPU is used.
"""

import importlib
import os


def device_line() -> str:
    """E.g. `backend: tensorflow 2.21.0 (keras 3.15.1) on cpu (2 cores)` or `... on gpu:0 (NVIDIA H100 ...)`."""
    import keras

    backend = keras.backend.backend()
    version = getattr(importlib.import_module(backend), "__version__", "?")
    return f"backend: {backend} {version} (keras {keras.__version__}) on {', '.join(backend_devices(backend))}"


def backend_devices(backend: str) -> list[str]:
    """The accelerators the backend computes on (`gpu:<i> (<model>)`), else the CPU with its usable cores."""
    listed = {"tensorflow": tensorflow_gpus, "jax": jax_gpus, "torch": torch_gpus}.get(backend, lambda: [])()
    return listed or [f"cpu ({len(os.sched_getaffinity(0))} cores)"]


def tensorflow_gpus() -> list[str]:
    import tensorflow as tf

    details = [tf.config.experimental.get_device_details(gpu) for gpu in tf.config.list_physical_devices("GPU")]
    return [f"gpu:{i} ({detail.get('device_name', 'GPU')})" for i, detail in enumerate(details)]


def jax_gpus() -> list[str]:
    import jax

    return [f"gpu:{d.id} ({d.device_kind})" for d in jax.devices() if d.platform != "cpu"]


def torch_gpus() -> list[str]:
    import torch

    return [f"gpu:{i} ({torch.cuda.get_device_name(i)})" for i in range(torch.cuda.device_count())]
