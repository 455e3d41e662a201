"""How much GPU memory this process may take: all it grows into, or the share its launcher gave it.

`launch.py --trials-per-gpu K` runs K workers on one GPU and gives each a share of its memory in
`INSTRUMENT_TUNER_GPU_SHARE` (a fraction). Each backend is bounded its own way: JAX by
`XLA_PYTHON_CLIENT_MEM_FRACTION` (read when JAX starts; no preallocation), TensorFlow by a logical
device with a memory limit (before its first operation), PyTorch by its per-process fraction.
"""

import os
import subprocess
from dataclasses import dataclass

GPU_SHARE_ENV = "INSTRUMENT_TUNER_GPU_SHARE"
JAX_FRACTION_ENV = "XLA_PYTHON_CLIENT_MEM_FRACTION"
JAX_PREALLOCATE_ENV = "XLA_PYTHON_CLIENT_PREALLOCATE"


@dataclass(frozen=True)
class GpuSharing:
    """How a GPU's memory is split between the workers that share it."""

    usable: float = 0.9  # the rest stays the driver's and each process's CUDA context's

    def share(self, workers: int) -> float:
        """Each of `workers` processes' fraction of the GPU's memory."""
        return self.usable / workers


def gpu_share() -> float | None:
    """The fraction of its GPU's memory this process may use (None: no bound, memory grows as needed)."""
    text = os.environ.get(GPU_SHARE_ENV, "")
    return float(text) if text else None


def before_import() -> None:
    """Environment the backend reads when it starts: JAX allocates as it needs, within the share if any."""
    os.environ.setdefault(JAX_PREALLOCATE_ENV, "false")
    share = gpu_share()
    if share is not None:
        os.environ[JAX_FRACTION_ENV] = f"{share:.4f}"


def after_import(backend: str) -> None:
    """Bound (or let grow) the memory of the backend just imported, before any of its operations."""
    share = gpu_share()
    if backend == "tensorflow":
        bound_tensorflow(share)
    elif backend == "torch" and share is not None:
        import torch

        if torch.cuda.is_available():
            torch.cuda.set_per_process_memory_fraction(share)


def bound_tensorflow(share: float | None) -> None:
    """Each visible GPU: a logical device limited to `share` of its memory, else memory growth."""
    import tensorflow as tf

    for index, gpu in enumerate(tf.config.list_physical_devices("GPU")):
        total = gpu_total_mib(index) if share is not None else None
        if total is None:
            tf.config.experimental.set_memory_growth(gpu, True)
            continue
        limit = tf.config.LogicalDeviceConfiguration(memory_limit=int(total * share))
        tf.config.set_logical_device_configuration(gpu, [limit])


def gpu_total_mib(index: int) -> int | None:
    """The memory of the process's `index`-th visible GPU in MiB, from nvidia-smi (None, said, if it cannot tell)."""
    visible = [d for d in os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",") if d.strip()]
    device = visible[index] if index < len(visible) else str(index)
    command = ["nvidia-smi", "--query-gpu=memory.total", "--format=csv,noheader,nounits", "-i", device.strip()]
    try:
        return int(subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()[0])
    except (OSError, subprocess.CalledProcessError, ValueError, IndexError) as error:
        print(f"cannot read GPU {device}'s memory with nvidia-smi ({error}): its memory is not bounded", flush=True)
        return None
