#!/usr/bin/env bash
# The seed's study on one GPU (benchmarks/bench_gpu_study.py), on the device machine: JAX, no TensorFlow, no network.
#
# Here, once, in the checkout that the device tool sends (its README: the session's own checkout):
#   bash benchmarks/gpu_study.sh fetch     # wheels of what that machine lacks into .whl/ (git-ignored, ~5 MiB)
# Then the device tool's run, carrying the wheels (carry: [".whl"], timeout_s: 540):
#   bash benchmarks/gpu_study.sh
# It installs the wheels into /tmp/site (no index, no dependencies: the rest is on that machine), prints the
# versions and the GPU, then runs the benchmark (under 8 minutes: --budget-seconds 420); the table is the
# output's end, and $OUT/gpu_study.log holds all of it. Extra arguments go to the benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
WHEELS=(keras==3.15.1 keras-tuner==1.4.8 kt-legacy==1.0.5 namex==0.1.0 optree==0.20.0 soundfile==0.14.0
        cffi==2.1.1 pycparser==3.12 librosa==0.11.0 decorator==5.3.1)  # what the machine's package list lacks
if [[ "${1:-}" == fetch ]]; then
    "${PYTHON:-python3}" -m pip download --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
        --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_17_x86_64 \
        --platform manylinux2014_x86_64 -d .whl "${WHEELS[@]}"
    exit
fi
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl
export PYTHONPATH="/tmp/site:$PWD" KERAS_BACKEND=jax PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
python3 -c "import jax, keras, keras_tuner, sys; print(jax.__version__, jax.devices(), keras.__version__, \
keras_tuner.__version__, 'tensorflow' in sys.modules)"
python3 benchmarks/bench_gpu_study.py --keep "/tmp/gpu-study-$(date +%s)" "$@" 2>&1 | tee "${OUT:-/tmp}/gpu_study.log"
