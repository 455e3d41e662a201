"""`python experiments/launch.py cnn --workers 2`: one sweep on this machine, a chief and N workers."""

import sys

from experiments.commands import launch
from plumbing.errors import run_command

if __name__ == "__main__":
    sys.exit(run_command(lambda: launch(sys.argv[1:])))
