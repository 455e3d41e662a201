"""`python experiments/launch.py cnn --workers 2`: one sweep on this machine, a chief and N workers."""

import sys

from data_pipeline.errors import run_command
from experiments.launch_command import launch

if __name__ == "__main__":
    sys.exit(run_command(lambda: launch(sys.argv[1:])))
