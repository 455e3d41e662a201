"""`python experiments/search_rnn.py`: resumable grid sweep of the BiGRU family."""

import sys

from plumbing.quiet_start import start_keras, wants_verbose

start_keras(wants_verbose(sys.argv[1:]))

from experiments.options import parse_sweep  # noqa: E402
from experiments.tuning.sweep import run_sweep  # noqa: E402
from plumbing.errors import run_command  # noqa: E402

if __name__ == "__main__":
    sys.exit(run_command(lambda: run_sweep("rnn", parse_sweep("rnn", sys.argv[1:]))))
