"""Make the docs' pictures from a finished demo run: two of the report's figures, and a screenshot of a CNN sweep's
HParams dashboard taken by a real headless Chromium from a real TensorBoard server (a 16-point sweep of 3 epochs on
the run's data, `scripts/docs_hparams_space.yaml`, a few minutes on 2 cores). Each is saved as a small palette PNG
under docs/images/.

    bash scripts/demo.sh                                  # the run to picture (it writes runs/report.md)
    python scripts/docs_pictures.py --workdir runs

Needs Debian's `chromium` and `chromium-driver`, and `pip install -e ".[pictures]"` (Selenium).
"""

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from plumbing.errors import UsageError, run_command  # noqa: E402

IMAGES = REPO / "docs" / "images"
SPACE = REPO / "scripts" / "docs_hparams_space.yaml"
REPORT_FIGURES = {"cnn_confusion_normalised.png": "confusion-matrix.png", "cnn_curves.png": "training-curves.png"}
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
    "--window-size=1400,900",
)  # fmt: skip; the closed network refuses Chromium's background connections


def small_png(source: Path, target: Path, width: int = 1000) -> Path:
    """`source` scaled to at most `width` pixels wide and saved with a 128-colour palette (a few tens of KB)."""
    image = Image.open(source).convert("RGB")
    if image.width > width:
        image = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
    image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
    print(f"{target.relative_to(REPO)}: {target.stat().st_size // 1024} KB")
    return target


def report_figures(workdir: Path) -> None:
    """The report's figures of the tuned CNN (`reports/generate.py` writes them beside the report)."""
    for name, picture in REPORT_FIGURES.items():
        found = sorted(workdir.glob(f"**/{name}"))
        if not found:
            raise UsageError(f"--workdir {workdir}: no {name}: run reports/generate.py --workdir {workdir} first")
        small_png(found[0], IMAGES / picture)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pictured_sweep(workdir: Path, folder: Path) -> Path:
    """The screenshot's sweep, run on `workdir`'s data in `folder`; returns its TensorBoard folder."""
    prepared = json.loads((workdir / "dataset.json").read_text())
    sweep = folder / "sweep"
    command = [sys.executable, str(REPO / "experiments" / "search_cnn.py"), "--data-dir", prepared["data_dir"]]
    command += ["--min-clips", str(prepared["min_clips"])]
    command += ["--workdir", str(sweep), "--tb-logs", str(folder / "tb"), "--space", str(SPACE), "--max-epochs", "3"]
    print(f"a {SPACE.name} sweep for the HParams screenshot (a few minutes)", flush=True)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    identity = (sweep / "tensorboard_id.txt").read_text().strip()
    return folder / "tb" / f"sweep-{identity}" / "cnn"


def hparams_screenshot(logdir: Path, target: Path) -> None:
    """TensorBoard serving `logdir`, its HParams dashboard's parallel-coordinates view, captured by Chromium."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    port = free_port()
    command = [sys.executable, "-m", "tensorboard.main", "--logdir", str(logdir), "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    browser = None
    try:
        wait_for_server(f"http://127.0.0.1:{port}/data/plugins_listing")
        browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        browser.get(f"http://127.0.0.1:{port}/#hparams")
        time.sleep(6)  # the dashboard loads its sessions after the page
        click_parallel_coordinates(browser)
        time.sleep(3)
        with tempfile.TemporaryDirectory() as folder:
            raw = Path(folder) / "hparams.png"
            browser.save_screenshot(str(raw))
            small_png(raw, target, width=1200)
    finally:
        if browser is not None:
            browser.quit()
        server.terminate()
        server.wait(timeout=30)


def click_parallel_coordinates(browser) -> None:
    """Switch the HParams dashboard to its parallel-coordinates view (a tab inside the plugin's shadow DOM)."""
    clicked = browser.execute_script(
        """
        const seen = [];
        const walk = (root) => {
          for (const el of root.querySelectorAll('*')) {
            seen.push(el);
            if (el.shadowRoot) walk(el.shadowRoot);
          }
        };
        walk(document);
        const tab = seen.find((el) => /parallel coordinates/i.test(el.textContent || '') && el.children.length === 0);
        if (tab) { tab.click(); return true; }
        return false;
        """
    )
    if not clicked:
        print("the parallel-coordinates tab was not found: the screenshot shows the table view")


def wait_for_server(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Make docs/images/ from a finished demo run.")
    parser.add_argument("--workdir", type=Path, default=Path("runs"), help="a demo workdir with its report written")
    args = parser.parse_args(argv)
    IMAGES.mkdir(parents=True, exist_ok=True)
    report_figures(args.workdir)
    with tempfile.TemporaryDirectory() as folder:
        hparams_screenshot(pictured_sweep(args.workdir, Path(folder)), IMAGES / "hparams.png")
    return 0


if __name__ == "__main__":
    sys.exit(run_command(lambda: main(sys.argv[1:])))
