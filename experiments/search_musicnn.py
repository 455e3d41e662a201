"""`python experiments/search_musicnn.py`: resumable sweep of the musicnn family (a head on pretrained embeddings)."""

import sys

from experiments.commands import sweep
from plumbing.errors import run_command

if __name__ == "__main__":
    sys.exit(run_command(lambda: sweep("musicnn", sys.argv[1:])))
