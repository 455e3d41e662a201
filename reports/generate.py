"""`python reports/generate.py --workdir W [--out W/report.md]`: the Markdown comparison report."""

import argparse
import sys
from pathlib import Path

from plumbing.quiet_start import VERBOSE_FLAG, start_tensorflow, wants_verbose

start_tensorflow(wants_verbose(sys.argv[1:]))

from data_pipeline.workdir import Workdir  # noqa: E402
from plumbing.errors import UsageError, run_command  # noqa: E402
from reports.report import write_report  # noqa: E402

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=None, help="default: WORKDIR/report.md")
    parser.add_argument(VERBOSE_FLAG, action="store_true", help="show TensorFlow's own log lines")
    args = parser.parse_args()

    def generate() -> None:
        if not args.workdir.is_dir():
            raise UsageError(f"--workdir {args.workdir} does not exist: run a sweep or prepare first")
        print(write_report(Workdir(args.workdir), args.out or args.workdir / "report.md"))

    sys.exit(run_command(generate))
