#!/usr/bin/env bash
# The main job on the embedded demo dataset: quick CNN and BiGRU sweeps, the seed's fixed models,
# EDA figures and the comparison report. Rerunning resumes (and skips) whatever is already done.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || { echo "error: no .venv here: run 'bash scripts/setup.sh' first" >&2; exit 2; }
# shellcheck disable=SC1091
source .venv/bin/activate
EPOCHS=${EPOCHS:-15}
python experiments/search_cnn.py --space quick --max-epochs "$EPOCHS"
python experiments/search_rnn.py --space quick --max-epochs "$EPOCHS"
for model in cnn-baseline cnn-enhanced rnn-baseline rnn-enhanced; do
  python experiments/train.py --model "$model" --max-epochs "$EPOCHS"
done
python -m data_pipeline eda --data-dir data/demo --out runs/eda
python reports/generate.py --workdir runs
