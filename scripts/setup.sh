#!/usr/bin/env bash
# Install everything instrument-tuner needs on a fresh Debian/Ubuntu machine, into the current Python.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if ! command -v fluidsynth >/dev/null || [ ! -f /usr/share/sounds/sf2/FluidR3_GM.sf2 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    fluidsynth fluid-soundfont-gm >/dev/null
fi
python3 -m pip install -q --upgrade pip
python3 -m pip install -q -e ".[dev]"
