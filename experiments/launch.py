"""`python experiments/launch.py cnn --workers 2`: one sweep on this machine, a chief and N workers."""

import sys

from plumbing.quiet_start import start_keras, wants_verbose

start_keras(wants_verbose(sys.argv[1:]))

from experiments.cluster.launcher import launch  # noqa: E402
from experiments.options import parse_launch  # noqa: E402
from plumbing.errors import run_command  # noqa: E402

if __name__ == "__main__":
    sys.exit(run_command(lambda: launch(parse_launch(sys.argv[1:]))))
