#!/usr/bin/env bash
# The main job on the embedded demo dataset: quick CNN and BiGRU sweeps, the seed's fixed models,
# EDA figures and the comparison report. Rerunning resumes (and skips) whatever is already done.
set -euo pipefail
cd "$(dirname "$0")/.."
export TF_CPP_MIN_LOG_LEVEL=2
EPOCHS=${EPOCHS:-15}
python3 experiments/search_cnn.py --space quick --max-epochs "$EPOCHS"
python3 experiments/search_rnn.py --space quick --max-epochs "$EPOCHS"
for model in cnn-baseline cnn-enhanced rnn-baseline rnn-enhanced; do
  python3 experiments/train.py --model "$model" --max-epochs "$EPOCHS"
done
python3 -m data_pipeline eda --data-dir data/demo --out runs/eda
python3 reports/generate.py --workdir runs
