#!/usr/bin/env bash
# The tests: the whole suite on Keras' default backend (TensorFlow), then the backend-sensitive part
# of it again on JAX (input pipeline, resume, augmentation layers, sweeps, halving, cluster, predict).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pytest -q "$@"
echo "the same on JAX:"
KERAS_BACKEND=jax .venv/bin/python -m pytest -q -m "not tensorflow_only" "$@" \
  tests/data_pipeline/test_datasets.py tests/data_pipeline/test_mixup.py \
  tests/experiments/training/test_resumable_fit.py tests/hypermodels \
  tests/experiments/test_any_backend.py
