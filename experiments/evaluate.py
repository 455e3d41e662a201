"""`python experiments/evaluate.py --model M.keras --data-dir DIR --workdir W --name NAME`."""

import sys

from plumbing.quiet_start import start_keras, wants_verbose

start_keras(wants_verbose(sys.argv[1:]))

from experiments.deployment.evaluate_command import parse, run_evaluate  # noqa: E402
from plumbing.errors import run_command  # noqa: E402

if __name__ == "__main__":
    sys.exit(run_command(lambda: run_evaluate(parse(sys.argv[1:]))))
