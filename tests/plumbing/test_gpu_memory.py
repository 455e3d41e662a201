"""A worker given a share of its GPU starts its backend bounded to it."""

import os
import subprocess
import sys

from plumbing.gpu_memory import GPU_SHARE_ENV, JAX_FRACTION_ENV, GpuSharing
from tests.support import REPO

PROBE = "from plumbing.quiet_start import start_keras; start_keras(); import os, keras; "


def started(backend: str, share: str | None, code: str) -> str:
    """What `code` prints in a fresh process whose backend started under `share` (None: no share)."""
    env = {k: v for k, v in os.environ.items() if k not in (GPU_SHARE_ENV, JAX_FRACTION_ENV)}
    env.update(KERAS_BACKEND=backend, PYTHONPATH=str(REPO))
    if share is not None:
        env[GPU_SHARE_ENV] = share
    done = subprocess.run([sys.executable, "-c", PROBE + code], env=env, capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_jax_is_started_with_the_share_as_its_memory_fraction_and_no_preallocation():
    code = "print(os.environ['XLA_PYTHON_CLIENT_MEM_FRACTION'], os.environ['XLA_PYTHON_CLIENT_PREALLOCATE'])"
    assert started("jax", "0.2250", code) == "0.2250 false"


def test_without_a_share_jax_keeps_its_own_fraction():
    assert started("jax", None, f"print(os.environ.get('{JAX_FRACTION_ENV}'))") == "None"


def test_a_gpus_usable_memory_is_split_between_its_workers():
    assert GpuSharing().share(4) == 0.9 / 4
