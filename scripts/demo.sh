#!/usr/bin/env bash
# The main job on the embedded demo dataset: quick CNN and BiGRU sweeps, the seed's four fixed models,
# EDA figures and the comparison report (runs/report.md). Rerunning resumes (and skips) what is done.
# Epoch budgets take about 20 minutes on 2 CPU cores: the quick BiGRU grid (Adam 3e-3) converges in 8
# epochs, the CNN grid needs about 15; the fixed recipes keep the seed's learning rates, so with 1-2%
# of the seed's optimizer steps they are still improving when they stop, and the report says so.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || { echo "error: no .venv here: run 'bash scripts/setup.sh' first" >&2; exit 2; }
# shellcheck disable=SC1091
source .venv/bin/activate
CNN_EPOCHS=${CNN_EPOCHS:-15}
RNN_EPOCHS=${RNN_EPOCHS:-8}
FIXED_EPOCHS=${FIXED_EPOCHS:-15}
python experiments/search_cnn.py --space quick --max-epochs "$CNN_EPOCHS"
python experiments/search_rnn.py --space quick --max-epochs "$RNN_EPOCHS"
for model in cnn-baseline cnn-enhanced rnn-baseline rnn-enhanced; do
  python experiments/train.py --model "$model" --max-epochs "$FIXED_EPOCHS"
done
python -m data_pipeline eda --data-dir data/demo --out runs/eda
python reports/generate.py --workdir runs
echo "report: runs/report.md"
