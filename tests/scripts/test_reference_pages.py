"""The docs' generated reference pages (every flag, every search-space key) equal what the code generates now, and
the check catches a page that drifted from the code."""

import shutil
import subprocess
import sys

import pytest

from tests.support import REPO

PAGES = ("docs/reference/cli.md", "docs/reference/search-spaces.md")
PACKAGES = ("data_pipeline", "experiments", "hypermodels", "plumbing", "reports")


def reference_pages(root, *args) -> subprocess.CompletedProcess:
    command = [sys.executable, "scripts/reference_pages.py", *args]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=300, check=False)


def test_the_committed_reference_pages_are_what_the_code_generates():
    done = reference_pages(REPO, "--check")
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def repo_copy(tmp_path):
    """The generator and the pages copied, the packages linked."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "reference_pages.py", tmp_path / "scripts")
    (tmp_path / "docs" / "reference").mkdir(parents=True)
    for page in PAGES:
        shutil.copy(REPO / page, tmp_path / page)
    for name in PACKAGES:
        (tmp_path / name).symlink_to(REPO / name)
    return tmp_path


def test_a_page_that_drifted_from_the_code_fails_the_check_and_is_rewritten(repo_copy):
    cli = repo_copy / PAGES[0]
    drifted = cli.read_text().replace("| `--eta ETA` | `3` |", "| `--eta ETA` | `4` |")
    assert drifted != cli.read_text()
    cli.write_text(drifted)
    checked = reference_pages(repo_copy, "--check")
    assert checked.returncode == 1 and f"stale: {PAGES[0]}: run python scripts/reference_pages.py" in checked.stdout
    assert "-| `--eta ETA` | `4` |" in checked.stdout and cli.read_text() == drifted, "--check writes nothing"
    rewritten = reference_pages(repo_copy)
    assert rewritten.returncode == 0 and cli.read_text() == (REPO / PAGES[0]).read_text()
