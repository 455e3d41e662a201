"""`python experiments/export.py --model M.keras --out DIR [--format savedmodel|tflite]`."""

import sys

from plumbing.quiet_start import start_keras, wants_verbose

start_keras(wants_verbose(sys.argv[1:]))

from experiments.deployment.export_command import parse, run_export  # noqa: E402
from plumbing.errors import run_command  # noqa: E402

if __name__ == "__main__":
    sys.exit(run_command(lambda: run_export(parse(sys.argv[1:]))))
