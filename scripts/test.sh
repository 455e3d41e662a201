#!/usr/bin/env bash
# The tests: the whole suite on Keras' default backend (TensorFlow), then the backend-sensitive part
# of it again on JAX (input pipeline, resume, the models, augmentation layers, the musicnn rebuild). The commands
# themselves on JAX (sweeps, halving, chief and workers, predict, report) are in the first run:
# tests/experiments/test_any_backend.py starts them with KERAS_BACKEND=jax.
# Two test processes side by side (pytest-xdist; TEST_PROCESSES=1 for one): most tests keep one core
# busy, so a second process fills the other core. Each module is one unit (its fixtures are built
# once; tests/units.py merges the modules sharing a sweep). The chief and worker tests run beside the
# others: their leases (10 s, renewed every 3.3 s) outlast a loaded core's delays.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -c "import xdist" 2>/dev/null || {
  echo "error: pytest-xdist is missing from .venv: run bash scripts/setup.sh" >&2
  exit 2
}
side_by_side=(-n "${TEST_PROCESSES:-2}" --no-loadscope-reorder)  # units: tests/units.py
.venv/bin/python -m pytest -q "${side_by_side[@]}" "$@"
echo "the same on JAX:"
# (damaged-file restarts are about files, not the backend: once, above)
KERAS_BACKEND=jax .venv/bin/python -m pytest -q "${side_by_side[@]}" -k "not damaged_file" "$@" \
  tests/data_pipeline/test_datasets.py tests/data_pipeline/test_mixup.py \
  tests/experiments/training/test_resumable_fit.py tests/hypermodels tests/data_pipeline/musicnn/test_network.py
