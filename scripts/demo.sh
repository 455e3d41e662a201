#!/usr/bin/env bash
# The main job on the embedded demo dataset: the CNN and BiGRU demo grids, the seed's four fixed models,
# the musicnn family (a head on pretrained embeddings), EDA figures and the comparison report of the three
# families. Rerunning resumes (and skips) what is done.
#
# Two chains of training run side by side (a BiGRU trains mostly on one core, so two at once use both):
#   [cnn] the CNN grid (scripts/demo_cnn_space.yaml), then the baseline and the enhanced CNN;
#   [rnn] the BiGRU grid (scripts/demo_rnn_space.yaml), then the enhanced and the baseline BiGRU.
# Then [musicnn]: its embeddings once, its grid (scripts/demo_musicnn_space.yaml) and its linear probe
# and MLP head (MUSICNN_EPOCHS each, default 20; early stopping ends them sooner).
# Each CNN and BiGRU grid is searched by successive halving: both points train HALVING_MIN_EPOCHS (default 3), the
# better one goes on to the grid's epochs (STRATEGY=grid trains both to the end, as the seed did).
# DEMO_SIZE picks the data size and epoch budgets (the seed's recipes never change):
#   default 150 clips per class, grids 9 epochs, fixed models 8 (baseline CNN 20) -> data/demo, runs/
#   large   300 clips per class, grids 20 epochs, fixed models 30 (baseline CNN 60) -> data/demo-large, runs-large/
# PER_CLASS, CNN_EPOCHS, RNN_EPOCHS, FIXED_EPOCHS and BASELINE_CNN_EPOCHS override a preset's numbers;
# MUSICNN_EPOCHS the musicnn family's;
# MIN_CLIPS (default 40) is prepare's --min-clips.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || { echo "error: no .venv here: run 'bash scripts/setup.sh' first" >&2; exit 2; }
# shellcheck disable=SC1091
source .venv/bin/activate
case "${DEMO_SIZE:-default}" in
  default) preset=(150 9 9 8 20) data=data/demo work=runs ;;
  large) preset=(300 20 20 30 60) data=data/demo-large work=runs-large ;;
  *) echo "error: DEMO_SIZE=${DEMO_SIZE}: use default or large" >&2; exit 2 ;;
esac
PER_CLASS=${PER_CLASS:-${preset[0]}}
CNN_EPOCHS=${CNN_EPOCHS:-${preset[1]}}
RNN_EPOCHS=${RNN_EPOCHS:-${preset[2]}}
FIXED_EPOCHS=${FIXED_EPOCHS:-${preset[3]}}
BASELINE_CNN_EPOCHS=${BASELINE_CNN_EPOCHS:-${preset[4]}}
MUSICNN_EPOCHS=${MUSICNN_EPOCHS:-20}
case "${STRATEGY:-halving}" in
  halving) search=(--strategy halving --min-epochs "${HALVING_MIN_EPOCHS:-3}" --eta 3) ;;
  grid) search=(--strategy grid) ;;
  *) echo "error: STRATEGY=${STRATEGY}: use halving or grid" >&2; exit 2 ;;
esac
[ -d "$data" ] || python -m data_pipeline demo --out "$data" --per-class "$PER_CLASS" --classes 14
common=(--data-dir "$data" --workdir "$work" --min-clips "${MIN_CLIPS:-40}")
python -m data_pipeline prepare "${common[@]}"
python -m data_pipeline musicnn-weights # set up by setup.sh; done here at once if not, before hours of training

labelled() { # run a chain, each line of its output prefixed with its name (the prefixing outlives a Ctrl-C)
  local name=$1
  shift
  "$@" 2>&1 | (trap '' INT && exec sed -u "s/^/[$name] /")
}
cnn_chain() {
  python experiments/search_cnn.py "${common[@]}" --space scripts/demo_cnn_space.yaml "${search[@]}" --max-epochs "$CNN_EPOCHS"
  python experiments/train.py "${common[@]}" --model cnn-baseline --max-epochs "$BASELINE_CNN_EPOCHS"
  python experiments/train.py "${common[@]}" --model cnn-enhanced --max-epochs "$FIXED_EPOCHS"
}
musicnn_chain() {
  python experiments/search_musicnn.py "${common[@]}" --space scripts/demo_musicnn_space.yaml --max-epochs "$MUSICNN_EPOCHS"
  python experiments/train.py "${common[@]}" --model musicnn-baseline --max-epochs "$MUSICNN_EPOCHS"
  python experiments/train.py "${common[@]}" --model musicnn-enhanced --max-epochs "$MUSICNN_EPOCHS"
}
rnn_chain() {
  python experiments/search_rnn.py "${common[@]}" --space scripts/demo_rnn_space.yaml "${search[@]}" --max-epochs "$RNN_EPOCHS"
  python experiments/train.py "${common[@]}" --model rnn-enhanced --max-epochs "$FIXED_EPOCHS"
  python experiments/train.py "${common[@]}" --model rnn-baseline --max-epochs "$FIXED_EPOCHS"
}
set -m # each chain in its own process group, so a Ctrl-C here reaches both as an interrupt (resumable)
labelled cnn cnn_chain &
cnn_pid=$!
labelled rnn rnn_chain &
rnn_pid=$!
trap 'kill -INT -- "-$cnn_pid" "-$rnn_pid" 2>/dev/null || true' INT TERM
status=0
wait "$cnn_pid" || status=$?
wait "$rnn_pid" || status=$?
wait # both chains have ended, also after an interrupt
if [ "$status" -ne 0 ]; then
  echo "error: a training chain stopped (exit $status): see its [cnn] or [rnn] lines; rerun scripts/demo.sh to resume" >&2
  exit "$status"
fi
labelled musicnn musicnn_chain & # after the others (its embeddings take both cores); `&` as they, for `set -e`
musicnn_pid=$!
trap 'kill -INT -- "-$musicnn_pid" 2>/dev/null || true' INT TERM
wait "$musicnn_pid" || status=$?
wait
if [ "$status" -ne 0 ]; then
  echo "error: the musicnn chain stopped (exit $status): see its [musicnn] lines; rerun scripts/demo.sh to resume" >&2
  exit "$status"
fi
python -m data_pipeline eda --data-dir "$data" --out "$work/eda"
python reports/generate.py --workdir "$work"
echo "report: $work/report.md"
