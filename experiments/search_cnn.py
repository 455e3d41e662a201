"""`python experiments/search_cnn.py`: resumable grid sweep of the CNN family."""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from data_pipeline.errors import DataError, UsageError  # noqa: E402
from experiments.cli_options import sweep_parser, to_options  # noqa: E402
from experiments.sweep import run_sweep  # noqa: E402

if __name__ == "__main__":
    options = to_options(sweep_parser("cnn").parse_args())
    try:
        sys.exit(run_sweep("cnn", options))
    except (DataError, UsageError) as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
