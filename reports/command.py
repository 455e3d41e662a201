"""`reports/generate.py`: options parsed into one dataclass, then the workdir's report written."""

import argparse
from dataclasses import dataclass
from pathlib import Path

from data_pipeline.workdir import Workdir
from plumbing.errors import UsageError
from plumbing.quiet_start import VERBOSE_FLAG
from reports.report import write_report


@dataclass(frozen=True)
class ReportOptions:
    workdir: Path
    out: Path


def parse(argv: list[str]) -> ReportOptions:
    parser = argparse.ArgumentParser(description="Write the Markdown comparison report of a workdir.")
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=None, help="default: WORKDIR/report.md")
    parser.add_argument(VERBOSE_FLAG, action="store_true", help="show TensorFlow's own log lines")
    args = parser.parse_args(argv)
    return ReportOptions(args.workdir, args.out or args.workdir / "report.md")


def generate(options: ReportOptions) -> int:
    """Write the report and print its path."""
    if not options.workdir.is_dir():
        raise UsageError(f"--workdir {options.workdir} does not exist: run a sweep or prepare first")
    print(write_report(Workdir(options.workdir), options.out))
    return 0
