#!/usr/bin/env bash
# The main job on the embedded demo dataset: quick CNN and BiGRU sweeps, the seed's four fixed models,
# EDA figures and the comparison report. Rerunning resumes (and skips) what is done.
#
# The CNN grid is scripts/demo_cnn_space.yaml (the seed's head against the time head); the BiGRU grid is
# --space quick. DEMO_SIZE picks the data size and epoch budgets (the seed's recipes never change):
#   default  60 clips per class, CNN 15 / BiGRU 12 / fixed 15 epochs -> data/demo, runs/
#   medium  100 clips per class, CNN 20 / BiGRU 12 / fixed 30 epochs -> data/demo-medium, runs-medium/
#   large   200 clips per class, CNN 30 / BiGRU 20 / fixed 30 epochs -> data/demo-large, runs-large/
# CNN_EPOCHS, RNN_EPOCHS, FIXED_EPOCHS and PER_CLASS override a preset's numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || { echo "error: no .venv here: run 'bash scripts/setup.sh' first" >&2; exit 2; }
# shellcheck disable=SC1091
source .venv/bin/activate
case "${DEMO_SIZE:-default}" in
  default) preset=(60 15 12 15) data=data/demo work=runs ;;
  medium) preset=(100 20 12 30) data=data/demo-medium work=runs-medium ;;
  large) preset=(200 30 20 30) data=data/demo-large work=runs-large ;;
  *) echo "error: DEMO_SIZE=${DEMO_SIZE}: use default, medium or large" >&2; exit 2 ;;
esac
PER_CLASS=${PER_CLASS:-${preset[0]}}
CNN_EPOCHS=${CNN_EPOCHS:-${preset[1]}}
RNN_EPOCHS=${RNN_EPOCHS:-${preset[2]}}
FIXED_EPOCHS=${FIXED_EPOCHS:-${preset[3]}}
[ -d "$data" ] || python -m data_pipeline demo --out "$data" --per-class "$PER_CLASS" --classes 14
common=(--data-dir "$data" --workdir "$work" --min-clips 40)
python experiments/search_cnn.py "${common[@]}" --space scripts/demo_cnn_space.yaml --max-epochs "$CNN_EPOCHS"
python experiments/search_rnn.py "${common[@]}" --space quick --max-epochs "$RNN_EPOCHS"
for model in cnn-baseline cnn-enhanced rnn-baseline rnn-enhanced; do
  python experiments/train.py "${common[@]}" --model "$model" --max-epochs "$FIXED_EPOCHS"
done
python -m data_pipeline eda --data-dir "$data" --out "$work/eda"
python reports/generate.py --workdir "$work"
echo "report: $work/report.md"
