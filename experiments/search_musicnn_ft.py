"""`python experiments/search_musicnn_ft.py`: resumable sweep of the musicnn_ft family (musicnn's last blocks
fine-tuned from cached log-Mel patches)."""

import sys

from experiments.commands import sweep
from plumbing.errors import run_command

if __name__ == "__main__":
    sys.exit(run_command(lambda: sweep("musicnn_ft", sys.argv[1:])))
