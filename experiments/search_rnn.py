"""`python experiments/search_rnn.py`: resumable grid sweep of the BiGRU family."""

import sys

from experiments.commands import sweep
from plumbing.errors import run_command

if __name__ == "__main__":
    sys.exit(run_command(lambda: sweep("rnn", sys.argv[1:])))
