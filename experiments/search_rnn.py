"""`python experiments/search_rnn.py`: resumable grid sweep of the BiGRU family."""

import sys

from plumbing.quiet_start import start_tensorflow, wants_verbose

start_tensorflow(wants_verbose(sys.argv[1:]))

from experiments.tuning.sweep import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main("rnn"))
