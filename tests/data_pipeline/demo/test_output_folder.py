"""`demo --out`: writes only into a missing, empty or earlier demo folder; refuses anything else untouched."""

import subprocess
import sys
from pathlib import Path

from data_pipeline.demo.output_folder import MARKER
from tests.support import REPO


def demo(out: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m data_pipeline demo` as a user runs it (synthetic, one clip per class)."""
    command = [sys.executable, "-m", "data_pipeline", "demo", "--out", str(out), "--synthetic", "--per-class", "1"]
    return subprocess.run([*command, *args], capture_output=True, text=True, cwd=REPO, check=False)


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every entry under `root`: a file's bytes, None for a folder."""
    return {p.relative_to(root).as_posix(): None if p.is_dir() else p.read_bytes() for p in sorted(root.rglob("*"))}


def one_error_line(done: subprocess.CompletedProcess) -> str:
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2 and len(lines) == 1 and lines[0].startswith("error:"), done.stderr
    return lines[0]


def test_a_folder_holding_a_users_files_is_refused_and_left_byte_identical(tmp_path):
    out = tmp_path / "mine"
    (out / "Cello").mkdir(parents=True)
    (out / "Cello" / "1.wav").write_bytes(b"my recording")
    (out / "notes.txt").write_text("keep me")
    before = snapshot(out)
    line = one_error_line(demo(out))
    assert line.startswith(f"error: --out {out}") and str(out / "Cello") in line
    assert snapshot(out) == before


def test_a_users_folder_added_to_a_demo_dataset_is_refused_and_kept(tmp_path):
    out = tmp_path / "demo"
    assert demo(out, "--classes", "flute,Banjo").returncode == 0
    (out / "Cello").mkdir()
    (out / "Cello" / "1.wav").write_bytes(b"my recording")
    (out / "flute" / "take.wav").write_bytes(b"my flute")
    before = snapshot(out)
    line = one_error_line(demo(out, "--classes", "flute,Banjo"))
    assert "Cello" in line and "1 more" in line
    assert snapshot(out) == before


def test_rerunning_the_demo_into_its_own_folder_replaces_it(tmp_path):
    out = tmp_path / "demo"
    assert demo(out, "--classes", "flute,Banjo").returncode == 0
    done = demo(out, "--classes", "flute,Drum_set", "--seed", "3")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, ".demo_clips.csv", "Drum_set", "flute"])
    assert sorted(p.name for p in (out / "Drum_set").iterdir()) == ["0.wav"]


def test_an_empty_folder_is_filled(tmp_path):
    done = demo(tmp_path, "--classes", "flute,Banjo")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "flute" / "0.wav").is_file()


def test_out_pointing_at_a_file_is_one_error_line_and_the_file_is_kept(tmp_path):
    path = tmp_path / "clips.zip"
    path.write_bytes(b"zip")
    assert one_error_line(demo(path)).startswith(f"error: --out {path} is a file")
    assert one_error_line(demo(path / "sub")).startswith(f"error: --out {path / 'sub'}")
    assert path.read_bytes() == b"zip"
