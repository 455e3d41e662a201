"""`python experiments/train.py --model cnn-baseline|cnn-enhanced|rnn-baseline|rnn-enhanced`."""

import sys

from plumbing.quiet_start import start_keras, wants_verbose

start_keras(wants_verbose(sys.argv[1:]))

from experiments.options import parse_train  # noqa: E402
from experiments.training.fixed_models import train_fixed  # noqa: E402
from plumbing.errors import run_command  # noqa: E402

if __name__ == "__main__":
    sys.exit(run_command(lambda: train_fixed(*parse_train(sys.argv[1:]))))
