#!/usr/bin/env bash
# The tests: the whole suite on Keras' default backend (TensorFlow), then the backend-sensitive part
# of it again on JAX (input pipeline, resume, the models and augmentation layers). The commands
# themselves on JAX (sweeps, halving, chief and workers, predict, report) are in the first run:
# tests/experiments/test_any_backend.py starts them with KERAS_BACKEND=jax.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pytest -q "$@"
echo "the same on JAX:"
# (damaged-file restarts are about files, not the backend: once, above)
KERAS_BACKEND=jax .venv/bin/python -m pytest -q -k "not damaged_file" "$@" \
  tests/data_pipeline/test_datasets.py tests/data_pipeline/test_mixup.py \
  tests/experiments/training/test_resumable_fit.py tests/hypermodels
