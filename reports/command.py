"""`reports/generate.py`: options parsed into one dataclass, then the workdir's report written."""

import argparse
from dataclasses import dataclass
from pathlib import Path

from data_pipeline.workdir import Workdir
from plumbing.errors import UsageError
from plumbing.quiet_start import VERBOSE_FLAG
from reports.report import REPORT_HEADING, write_report


@dataclass(frozen=True)
class ReportOptions:
    workdir: Path
    out: Path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Write the Markdown comparison report of a workdir.")
    parser.add_argument("--workdir", type=Path, required=True, help="a workdir a sweep, train.py or prepare wrote")
    parser.add_argument("--out", type=Path, default=None, help="the report's file (default: WORKDIR/report.md)")
    parser.add_argument(VERBOSE_FLAG, action="store_true", help="show TensorFlow's own log lines")
    return parser


def parse(argv: list[str]) -> ReportOptions:
    args = build_parser().parse_args(argv)
    return ReportOptions(args.workdir, args.out or args.workdir / "report.md")


def check_report_path(out: Path) -> None:
    """`--out` may be new or an earlier report: never a folder, a model or any other file to overwrite."""
    if out.is_dir():
        raise UsageError(f"--out {out} is a folder: pass the report's file name, e.g. {out / 'report.md'}")
    if out.exists() and not out.read_bytes().startswith(REPORT_HEADING.encode()):
        raise UsageError(f"--out {out} exists and is not a report: pass a new file name (it is never overwritten)")


def generate(options: ReportOptions) -> int:
    """Write the report and print its path."""
    if not options.workdir.is_dir():
        problem = "is a file" if options.workdir.exists() else "does not exist"
        raise UsageError(f"--workdir {options.workdir} {problem}: pass a workdir a sweep or prepare wrote")
    check_report_path(options.out)
    print(write_report(Workdir(options.workdir), options.out))
    return 0
