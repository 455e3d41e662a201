"""musicnn embeddings: extraction speed (clips/s, by stage) and the cache's size per 1,000 clips, against log-Mel.

Run: python benchmarks/bench_musicnn.py --data-dir DIR [--clips 600] [--batch 64]
Reads the first `--clips` WAV files of a class-per-folder dataset (the demo's), decodes them as the cache does
(`load_clip`, 16 kHz for musicnn), and times the three stages of `EmbeddingExtractor`: decoding, the front end
(librosa's Mel spectrogram) and the network. The cache sizes are those of one row of each representation.
"""

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from data_pipeline.audio import load_clip  # noqa: E402
from data_pipeline.audio_files import find_audio  # noqa: E402
from data_pipeline.config import FeatureConfig  # noqa: E402
from data_pipeline.features import LogMelExtractor  # noqa: E402
from data_pipeline.musicnn.config import MusicnnFeatures  # noqa: E402
from data_pipeline.musicnn.front_end import log_mel, patches  # noqa: E402
from data_pipeline.musicnn.network import embedding_model  # noqa: E402
from data_pipeline.musicnn.weights import pretrained_network  # noqa: E402


def timed(call):
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--clips", type=int, default=600)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    found = sorted(find_audio([args.data_dir]))
    files = found[:: max(1, len(found) // args.clips)][: args.clips]  # spread over the classes
    config, seed_config = MusicnnFeatures(), FeatureConfig()
    network = embedding_model(pretrained_network(config))
    network.predict_on_batch(np.zeros((args.batch, *config.model_input_shape), np.float32))  # warm-up
    seconds = {"decode": 0.0, "front end": 0.0, "network": 0.0}
    for start in range(0, len(files), args.batch):
        clips, spent = timed(lambda s=start: np.stack([load_clip(f, config) for f in files[s : s + args.batch]]))
        seconds["decode"] += spent
        cut, spent = timed(lambda c=clips: patches(log_mel(c, config), config.patch_frames))
        seconds["front end"] += spent
        _, spent = timed(lambda c=cut: network.predict_on_batch(c.reshape(-1, *c.shape[2:])))
        seconds["network"] += spent
    total = sum(seconds.values())
    print(f"backend {keras.backend.backend()}, {len(files)} clips, batches of {args.batch}, {os.cpu_count()} CPUs")
    for stage, spent in seconds.items():
        print(f"  {stage:<10} {spent:7.1f} s  {len(files) / spent:8.1f} clips/s  ({spent / total:.0%})")
    print(f"  {'all':<10} {total:7.1f} s  {len(files) / total:8.1f} clips/s")
    log_mel_clips = np.stack([load_clip(f, seed_config) for f in files[: args.batch]])
    _, spent = timed(lambda: LogMelExtractor(seed_config)(log_mel_clips))
    print(f"log-Mel front end alone (for scale): {len(log_mel_clips) / spent:.0f} clips/s")
    for name, shape in (("musicnn embeddings", config.shape), ("log-Mel (seed)", seed_config.shape)):
        row = int(np.prod(shape)) * 4
        print(f"cache row {name}: {shape}, {row:,} bytes; {row * 1000 / 2**20:.1f} MiB per 1,000 clips")


if __name__ == "__main__":
    main()
