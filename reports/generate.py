"""`python reports/generate.py --workdir W [--out W/report.md]`: the Markdown comparison report."""

import sys

from plumbing.quiet_start import start_keras, wants_verbose

start_keras(wants_verbose(sys.argv[1:]))

from plumbing.errors import run_command  # noqa: E402
from reports.command import generate, parse  # noqa: E402

if __name__ == "__main__":
    sys.exit(run_command(lambda: generate(parse(sys.argv[1:]))))
