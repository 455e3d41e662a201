"""`python experiments/export.py --model M.keras --out DIR [--format savedmodel|tflite]`."""

import sys

from data_pipeline.quiet_start import start_tensorflow, wants_verbose

start_tensorflow(wants_verbose(sys.argv[1:]))

from data_pipeline.errors import run_command  # noqa: E402
from experiments.export_command import parse, run_export  # noqa: E402

if __name__ == "__main__":
    sys.exit(run_command(lambda: run_export(parse(sys.argv[1:]))))
