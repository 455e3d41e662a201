"""The benchmarks' demo clips: rendered once into a folder (FluidR3 through fluidsynth), reused by later runs."""

import subprocess
import sys
from pathlib import Path

from data_pipeline.demo.output_folder import MARKER

REPO = Path(__file__).resolve().parents[1]


def demo_clips(folder: Path, per_class: int, classes: str) -> Path:
    """`folder`, holding the demo's clips for `classes` at `per_class` each (rendered unless a demo is there)."""
    if not (folder / MARKER).exists():
        demo = [
            "-m",
            "data_pipeline",
            "demo",
            "--out",
            str(folder),
            "--per-class",
            str(per_class),
            "--classes",
            classes,
        ]
        subprocess.run([sys.executable, *demo], cwd=REPO, check=True)
    return folder
