#!/usr/bin/env bash
# Set up instrument-tuner on a fresh Debian/Ubuntu machine: the Debian packages it needs, then a
# virtual environment in .venv holding the project and its dependencies (PEP 668: Debian's own
# python3 refuses a system-wide pip install). Rerunning only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
PYTHON=${PYTHON:-python3}

missing=()
command -v fluidsynth >/dev/null || missing+=(fluidsynth)
[ -f /usr/share/sounds/sf2/FluidR3_GM.sf2 ] || missing+=(fluid-soundfont-gm)
# Debian splits venv's pip bootstrap (ensurepip) into python3-venv.
"$PYTHON" -c "import ensurepip" 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "creating the virtual environment .venv"
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
echo "installing instrument-tuner and its dependencies into .venv (the first time downloads TensorFlow: minutes)"
.venv/bin/python -m pip install -q -e ".[dev,jax]"  # jax: the second Keras backend the tests run on
echo "setting up musicnn's pretrained weights (the musicnn family; 29 MB from PyPI, the first time)"
.venv/bin/python -m data_pipeline musicnn-weights
echo "ready: activate with 'source .venv/bin/activate' (or call .venv/bin/python)"
