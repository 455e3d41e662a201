"""Prediction latency and throughput: the Keras model through predict, and its SavedModel and TFLite exports.

Run: python benchmarks/bench_predict.py [--clips 500] [--repeats 50]
The model is the seed's tuned CNN (Figure 75: 24-48-96 filters, Dense 128; untrained weights cost
the same) for 14 classes. Latency: one 3-s clip, median of `--repeats` calls after a warm-up; for
`predict` it includes decoding the WAV and the log-Mel features, for the exports the front end is
in the graph (decoding excluded). Throughput: clips per second over a folder of real WAV files,
decoding included, 64 clips per call.
"""

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import tensorflow as tf  # noqa: E402

from data_pipeline.audio import load_clip  # noqa: E402
from data_pipeline.audio_files import find_audio  # noqa: E402
from data_pipeline.config import FeatureConfig  # noqa: E402
from data_pipeline.demo.generate import make_demo  # noqa: E402
from data_pipeline.model_card import read_card, save_model_with_card  # noqa: E402
from experiments.deployment.prediction import WindowPlan, predict_files  # noqa: E402
from experiments.deployment.serving import export_savedmodel, export_tflite  # noqa: E402
from hypermodels.cnn import TUNED_POINT, cnn_model  # noqa: E402
from hypermodels.saved import load_saved_model  # noqa: E402

BATCH = 64


def median_seconds(call, repeats: int) -> float:
    call()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def clips_per_second(files: list[Path], serve) -> float:
    """Decode every file and serve it in batches of 64 waveforms."""
    start = time.perf_counter()
    for k in range(0, len(files), BATCH):
        serve(np.stack([load_clip(f, FeatureConfig()) for f in files[k : k + BATCH]]))
    return len(files) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-predict-"))
    names = make_demo(root / "clips", -(-args.clips // 14), "14", seed=1, synthetic=True)
    files = find_audio([root / "clips"])[: args.clips]
    model_path = root / "tuned_cnn.keras"
    keras.utils.set_random_seed(0)
    save_model_with_card(model_path, cnn_model(TUNED_POINT, len(names)).save, names, FeatureConfig())
    card, model = read_card(model_path), load_saved_model(model_path)
    saved = tf.saved_model.load(str(export_savedmodel(model, card, root / "savedmodel")))
    lite = tf.lite.Interpreter(model_path=str(export_tflite(model, card, root / "tflite")), num_threads=os.cpu_count())
    runner = lite.get_signature_runner()
    one = np.stack([load_clip(files[0], FeatureConfig())])
    whole_folder = WindowPlan(batch_size=BATCH)
    rows = [
        {
            "model": "Keras via predict (decode + features + model)",
            "latency ms (1 clip)": 1000
            * median_seconds(lambda: predict_files(model, card, files[:1], WindowPlan()), args.repeats),
            "clips/s (folder)": len(files) / timed(lambda: predict_files(model, card, files, whole_folder)),
        },
        {
            "model": "SavedModel (raw audio in)",
            "latency ms (1 clip)": 1000 * median_seconds(lambda: saved.serve(tf.constant(one)), args.repeats),
            "clips/s (folder)": clips_per_second(files, lambda x: saved.serve(tf.constant(x))),
        },
        {
            "model": "TFLite (raw audio in)",
            "latency ms (1 clip)": 1000 * median_seconds(lambda: runner(waveform=one), args.repeats),
            "clips/s (folder)": clips_per_second(files, lambda x: runner(waveform=x)),
        },
    ]
    print(f"{len(files)} clips of 3 s, {len(names)} classes, {os.cpu_count()} CPU threads, TensorFlow {tf.__version__}")
    print(pd.DataFrame(rows).round(1).to_markdown(index=False))


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
