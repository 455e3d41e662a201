"""`python reports/generate.py --workdir W [--out W/report.md]`: the Markdown comparison report."""

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from data_pipeline.errors import UsageError, run_command  # noqa: E402
from data_pipeline.workdir import Workdir  # noqa: E402
from reports.report import write_report  # noqa: E402

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=None, help="default: WORKDIR/report.md")
    args = parser.parse_args()

    def generate() -> None:
        if not args.workdir.is_dir():
            raise UsageError(f"--workdir {args.workdir} does not exist: run a sweep or prepare first")
        print(write_report(Workdir(args.workdir), args.out or args.workdir / "report.md"))

    sys.exit(run_command(generate))
