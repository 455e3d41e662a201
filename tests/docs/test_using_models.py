"""The "Using a trained model" guide's Python example runs as written, in a fresh interpreter, on a real model and
clip: the loader the page names registers the project's layers and metrics, and the card gives the classes."""

import json
import re
import subprocess
import sys

from tests.support import REPO

PAGE = REPO / "docs" / "guides" / "using-models.md"


def test_the_python_example_classifies_a_clip_with_the_model_file_alone(trained_model, sweep_data):
    blocks = re.findall(r"```python\n(.*?)\n```", PAGE.read_text(encoding="utf-8"), re.DOTALL)
    example = next(block for block in blocks if "load_saved_model" in block)
    clip = next((sweep_data / "flute").glob("*.wav"))
    code = example.replace("runs/cnn/best_model.keras", str(trained_model)).replace("take1.wav", str(clip))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    classes = json.loads(trained_model.with_suffix(".json").read_text())["classes"]
    lines = [line.split(": ") for line in done.stdout.strip().splitlines()]
    assert len(lines) == 3 and {name for name, _ in lines} <= set(classes), done.stdout
    assert [float(p) for _, p in lines] == sorted((float(p) for _, p in lines), reverse=True)
