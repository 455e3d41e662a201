"""`python experiments/search_cnn.py`: resumable grid sweep of the CNN family."""

import sys

from experiments.commands import sweep
from plumbing.errors import run_command

if __name__ == "__main__":
    sys.exit(run_command(lambda: sweep("cnn", sys.argv[1:])))
