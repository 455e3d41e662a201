"""`python experiments/train.py --model cnn-baseline|cnn-enhanced|rnn-baseline|rnn-enhanced`."""

import argparse
import sys

from plumbing.quiet_start import start_tensorflow, wants_verbose

start_tensorflow(wants_verbose(sys.argv[1:]))

from experiments.options import add_common, to_options  # noqa: E402
from experiments.training.fixed_models import BUILDERS, train_fixed  # noqa: E402
from plumbing.errors import run_command  # noqa: E402

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Train one of the seed's fixed models and evaluate it.")
    parser.add_argument("--model", required=True, choices=sorted(BUILDERS))
    add_common(parser)
    args = parser.parse_args()
    sys.exit(run_command(lambda: train_fixed(args.model, to_options(args))))
