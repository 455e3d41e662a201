"""`python experiments/train.py --model cnn-baseline|cnn-enhanced|rnn-baseline|rnn-enhanced`."""

import sys

from experiments.commands import train
from plumbing.errors import run_command

if __name__ == "__main__":
    sys.exit(run_command(lambda: train(sys.argv[1:])))
