"""`python experiments/search_rnn.py`: resumable grid sweep of the BiGRU family."""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from experiments.sweep import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main("rnn"))
