"""`python experiments/predict.py --model M.keras PATH... [--top-k 3] [--format table|csv|json]`."""

import sys

from plumbing.quiet_start import start_keras, wants_verbose

start_keras(wants_verbose(sys.argv[1:]))

from experiments.deployment.predict_command import parse, run_predict  # noqa: E402
from plumbing.errors import run_command  # noqa: E402

if __name__ == "__main__":
    sys.exit(run_command(lambda: run_predict(parse(sys.argv[1:]))))
