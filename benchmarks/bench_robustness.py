"""Robustness to playing styles and sound sets never trained on, with and without each augmentation.

Leave-one-style-out: each of the 14 seed classes loses one playing style (its second listed, e.g.
guitars' riffs, winds' long tones, the kit's fills) from training; the model is tested on clips of
that style only. Leave-one-program-out (a change of timbre): each class with several General MIDI
programs or drum kits loses its last listed one; tested on that program only. Both also report a
test set drawn like the training set ("own"). The model is the seed's tuned CNN recipe (24-48-96,
Dense 128, dropout 0.3 / 0.5, Adam 3e-4, batch 32, early stopping on validation accuracy with
patience 6 unless told, best weights kept), with the seed's global pooling or `--head-pooling time`
(`hypermodels.cnn`), once per augmentation. `--model musicnn` trains musicnn heads instead, on the sets'
musicnn embeddings (`render --musicnn` stores them beside the log-Mel), once per head of `MUSICNN_HEADS`;
`--model musicnn_ft` fine-tunes the network's last blocks on the sets' musicnn log-Mel patches (stored by
`render --musicnn` too), once per row of `MUSICNN_FT_ROWS`.

Two steps, so that training runs on any Keras 3 backend (JAX on a GPU machine without TensorFlow):
  python benchmarks/bench_robustness.py render [--out runs/robustness] [--per-class 120] [--test-per-class 30]
                                               [--musicnn]
  python benchmarks/bench_robustness.py train [--features runs/robustness/style.npz|program.npz] [--epochs 30]
                                              [--patience 6 (0: all epochs)] [--head-pooling global|time]
                                              [--only none,all] [--model cnn|musicnn|musicnn_ft]
`render` needs fluidsynth (the project's log-Mel is numpy); it stores features as 8-bit log-Mel.
"""

import argparse
import json
import os
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from epoch_timer import EpochTimer  # noqa: E402  (benchmarks/ is on the path of its scripts)

from data_pipeline.datasets import SplitData, TrainingBatches  # noqa: E402
from hypermodels.augmentation import MIXUP, uses_mixup  # noqa: E402
from hypermodels.base import compile_model  # noqa: E402
from hypermodels.cnn import HEAD_POOLINGS, TUNED_POINT, cnn_model  # noqa: E402
from hypermodels.musicnn import head_model  # noqa: E402
from hypermodels.musicnn_ft import fine_tuned_model  # noqa: E402

LOW, HIGH = -14.0, 10.0  # log-Mel range stored in 8 bits (log(1e-6) = -13.8; 0.094 per step, 0.41 dB)
CONFIGS = {
    "none": {},
    "gain_db 6": {"gain_db": 6.0},
    "time_shift 0.3": {"time_shift": 0.3},
    "time_shift 0.3 padded": {"time_shift": 0.3, "time_shift_mode": "padded"},
    "noise_snr_db 10": {"noise_snr_db": 10.0},
    "eq_db 10": {"eq_db": 10.0},
    "pitch_shift 1": {"pitch_shift": 1.0},
    "eq_db 10 + pitch_shift 1": {"eq_db": 10.0, "pitch_shift": 1.0},
    "SpecAugment 30/8": {"time_mask": 30, "freq_mask": 8},
    "mixup_alpha 0.4": {"mixup_alpha": 0.4},
    "all": {
        "gain_db": 6.0,
        "time_shift": 0.3,
        "noise_snr_db": 10.0,
        "eq_db": 10.0,
        "pitch_shift": 1.0,
        "time_mask": 30,
        "freq_mask": 8,
        "mixup_alpha": 0.4,
    },
}


MUSICNN_HEADS = {  # `--model musicnn`: heads on the frozen embeddings, and on the fine-tuned back end
    "pooled linear": {"embedding": "pooled"},
    "pooled 256": {"embedding": "pooled", "head_units": 256, "dropout_head": 0.5},
    "penultimate_tuned linear": {"embedding": "penultimate_tuned", "dropout_head": 0.5},
    "penultimate_tuned 256": {"embedding": "penultimate_tuned", "head_units": 256, "dropout_head": 0.5},
}
MUSICNN_FT_ROWS = {  # `--model musicnn_ft`: the network's last blocks trained with a linear head, Adam 3e-4
    "blocks 2": {"unfrozen_blocks": 2},
    "blocks 4 + SpecAugment 24/12": {"unfrozen_blocks": 4, "time_mask": 24, "freq_mask": 12},
}
ROWS = {"cnn": CONFIGS, "musicnn": MUSICNN_HEADS, "musicnn_ft": MUSICNN_FT_ROWS}  # --model -> its rows (--only)
STORED = {"cnn": "x_", "musicnn": "e_", "musicnn_ft": "p_"}  # --model -> the prefix of its features in the file


def held_out_sets(instruments: list) -> dict[str, tuple[list, int]]:
    """Name -> (instruments narrowed to what the set plays, seed): training and test sets of both experiments."""
    from data_pipeline.demo.instruments import Instrument

    def sounds(inst: Instrument) -> tuple[int, ...]:
        return inst.kits if inst.percussion else inst.programs

    def only(inst: Instrument, chosen: tuple[int, ...]) -> Instrument:
        return replace(inst, **{"kits" if inst.percussion else "programs": chosen})

    several = [i for i in instruments if len(sounds(i)) > 1]
    style_train = [replace(i, styles=tuple(s for s in i.styles if s != i.styles[1])) for i in instruments]
    program_train = [only(i, sounds(i)[:-1]) if i in several else i for i in instruments]
    return {
        "style_train": (style_train, 42),
        "style_own": (style_train, 43),
        "style_held": ([replace(i, styles=(i.styles[1],)) for i in instruments], 44),
        "program_train": (program_train, 45),
        "program_own": (program_train, 46),
        "program_held": ([only(i, sounds(i)[-1:]) for i in several], 47),
    }


def render(out: Path, per_class: int, test_per_class: int, experiments: list[str], musicnn: bool) -> None:
    """Render the experiments' sets, compute log-Mel with the project's pipeline, store 8-bit features and labels
    (and with `musicnn`, the float32 musicnn embeddings and log-Mel patches of the same clips)."""
    from data_pipeline.audio import load_clip
    from data_pipeline.config import FeatureConfig
    from data_pipeline.demo.generate import make_demo
    from data_pipeline.demo.instruments import select_instruments
    from data_pipeline.features import LogMelExtractor
    from data_pipeline.musicnn.config import MusicnnFeatures

    config, instruments = FeatureConfig(), select_instruments("14")
    names = [i.name for i in instruments]
    extract, arrays, held = LogMelExtractor(config), {}, {}
    with tempfile.TemporaryDirectory(prefix="robustness-") as tmp:
        for name, (narrowed, seed) in held_out_sets(instruments).items():
            if name.split("_")[0] not in experiments:
                continue
            count = per_class if name.endswith("train") else test_per_class
            started = time.perf_counter()
            make_demo(Path(tmp) / name, count, narrowed, seed=seed, config=config)
            paths = [
                (Path(tmp) / name / i.name / f"{k}.wav", names.index(i.name)) for i in narrowed for k in range(count)
            ]
            features = np.concatenate(
                [
                    extract(np.stack([load_clip(p, config) for p, _ in paths[k : k + 256]]))
                    for k in range(0, len(paths), 256)
                ]
            )
            arrays[f"x_{name}"] = np.round((np.clip(features, LOW, HIGH) - LOW) / (HIGH - LOW) * 255).astype(np.uint8)
            arrays[f"y_{name}"] = np.array([label for _, label in paths], np.int32)
            if musicnn:  # each clip decoded once for both: embeddings and patches
                rate = MusicnnFeatures()
                extractors, chunks = {"e_": rate.extractor(), "p_": rate.front_end()}, {"e_": [], "p_": []}
                for k in range(0, len(paths), 256):
                    clips = np.stack([load_clip(p, rate) for p, _ in paths[k : k + 256]])
                    for prefix, extract_musicnn in extractors.items():
                        chunks[prefix].append(extract_musicnn(clips))
                arrays.update({f"{prefix}{name}": np.concatenate(parts) for prefix, parts in chunks.items()})
            held[name] = {i.name: {"styles": i.styles, "programs": i.kits or i.programs} for i in narrowed}
            print(f"{name}: {len(paths)} clips in {time.perf_counter() - started:.0f}s", flush=True)
    out.mkdir(parents=True, exist_ok=True)
    for experiment in experiments:  # one file each: either fits a device call's 64 MiB with the wheels
        path = out / f"{experiment}.npz"
        np.savez_compressed(
            path, classes=np.array(names), **{k: v for k, v in arrays.items() if k[2:].startswith(experiment)}
        )
        print(f"-> {path} ({path.stat().st_size / 2**20:.1f} MiB)")
    (out / "sets.json").write_text(json.dumps(held, indent=1))


def dequantize(q: np.ndarray) -> np.ndarray:
    """8-bit codes -> float32 log-Mel [clips, mels, frames, 1]."""
    return q.astype(np.float32) / 255 * (HIGH - LOW) + LOW


def stratified_holdout(labels: np.ndarray, share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Row numbers (train, validation): `share` of every class held out (no scikit-learn on the GPU machine)."""
    rng, held = np.random.default_rng(seed), []
    for label in np.unique(labels):
        rows = rng.permutation(np.flatnonzero(labels == label))
        held += list(rows[: max(1, round(share * len(rows)))])
    held = np.sort(held)
    return np.setdiff1d(np.arange(len(labels)), held), held


def accuracies(model, x: np.ndarray, y: np.ndarray, classes: list[str]) -> tuple[float, dict[str, float]]:
    """Accuracy over all clips and per class (which held-out styles or programs the model misses)."""
    predicted = model.predict(x, batch_size=256, verbose=0).argmax(axis=1)
    each = {name: float(np.mean(predicted[y == k] == k)) for k, name in enumerate(classes) if np.any(y == k)}
    return float(np.mean(predicted == y)), each


def model_for(model: str, name: str, head_pooling: str, classes: int) -> tuple[keras.Model, dict]:
    """The compiled model of one row (an augmentation of the tuned CNN, or a musicnn head) and its augmentation."""
    if model == "musicnn":
        return compile_model(head_model(MUSICNN_HEADS[name], classes), keras.optimizers.Adam(1e-3)), {}
    if model == "musicnn_ft":
        return compile_model(fine_tuned_model(MUSICNN_FT_ROWS[name], classes), keras.optimizers.Adam(3e-4)), {}
    params = CONFIGS[name]
    built = cnn_model({**TUNED_POINT, "head_pooling": head_pooling, **params}, classes)
    return compile_model(built, keras.optimizers.Adam(3e-4), soft_labels=uses_mixup(params)), params


def train(
    features: Path, epochs: int, patience: int, head_pooling: str, only: list[str], out: Path, model_name: str
) -> None:
    """Train the tuned recipe once per augmentation (or each musicnn head) and experiment; print and write the
    accuracies."""
    stored = np.load(features)
    prefix = STORED[model_name]
    read = dequantize if model_name == "cnn" else np.asarray
    sets = {key[2:]: (read(stored[key]), stored["y" + key[1:]]) for key in stored.files if key.startswith(prefix)}
    if not sets:  # rendered before this model's features were stored, or without --musicnn
        raise SystemExit(f"error: {features}: holds no features for --model {model_name}: render it with --musicnn")
    names, experiment = [str(name) for name in stored["classes"]], features.stem
    classes = len(names)
    out.mkdir(parents=True, exist_ok=True)
    results = []
    budget = f"up to {epochs} epochs, patience {patience}" if patience else f"{epochs} epochs"
    print(
        f"backend {keras.backend.backend()}, {model_name}, head pooling {head_pooling}, leave-one-{experiment}-out, "
        f"{len(sets[f'{experiment}_train'][1])} training clips, {budget}",
        flush=True,
    )
    print(f"{'augmentation':<26}{'experiment':<10}{'held-out':>9}{'own':>7}{'epochs':>7}{'epoch s':>8}", flush=True)
    for name in only:
        x, y = sets[f"{experiment}_train"]
        fit_rows, val_rows = stratified_holdout(y, 0.15, 42)
        keras.utils.set_random_seed(42)
        model, params = model_for(model_name, name, head_pooling, classes)
        timer = EpochTimer()
        stopping = (
            [keras.callbacks.EarlyStopping("val_accuracy", patience=patience, mode="max", restore_best_weights=True)]
            if patience
            else []
        )
        fit_split = SplitData(x[fit_rows], y[fit_rows], np.array([""] * len(fit_rows)))
        batches = TrainingBatches(fit_split, 32).with_mixup(float(params.get(MIXUP, 0.0)), classes)
        batches = batches.fit_input(0, epochs)
        history = model.fit(
            batches.x,
            steps_per_epoch=batches.steps_per_epoch,
            validation_data=(x[val_rows], y[val_rows]),
            epochs=epochs,
            verbose=0,
            shuffle=False,
            callbacks=[*batches.callbacks, *stopping, timer],
        )
        held_out, held_out_per_class = accuracies(model, *sets[f"{experiment}_held"], names)
        row = {
            "augmentation": name,
            "experiment": experiment,
            "held_out": held_out,
            "own": accuracies(model, *sets[f"{experiment}_own"], names)[0],
            "epochs": len(history.history["loss"]),
            "epoch_seconds": float(np.median(timer.seconds[1:] or timer.seconds)),
            "held_out_per_class": held_out_per_class,
        }
        results.append(row)
        print(
            f"{name:<26}{experiment:<10}{row['held_out']:>9.3f}{row['own']:>7.3f}{row['epochs']:>7}"
            f"{row['epoch_seconds']:>8.2f}",
            flush=True,
        )
        weakest = sorted(row["held_out_per_class"].items(), key=lambda item: item[1])[:3]
        print(" " * 26 + "weakest held out: " + ", ".join(f"{name} {score:.2f}" for name, score in weakest), flush=True)
        record = {"backend": keras.backend.backend(), "head_pooling": head_pooling, "results": results}
        tag = head_pooling if model_name == "cnn" else model_name
        (out / f"robustness_{experiment}_{tag}.json").write_text(json.dumps(record, indent=1))
        keras.backend.clear_session()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    steps = parser.add_subparsers(dest="step", required=True)
    rendering = steps.add_parser("render")
    rendering.add_argument("--out", type=Path, default=Path("runs/robustness"))
    rendering.add_argument("--per-class", type=int, default=120)
    rendering.add_argument("--test-per-class", type=int, default=30)
    rendering.add_argument("--experiments", default="style,program")
    rendering.add_argument("--musicnn", action="store_true", help="also store musicnn embeddings (set up its weights)")
    training = steps.add_parser("train")
    training.add_argument(
        "--features", type=Path, default=Path("runs/robustness/style.npz"), help="style.npz or program.npz"
    )
    training.add_argument("--epochs", type=int, default=30)
    training.add_argument("--patience", type=int, default=6, help="early stopping on val_accuracy; 0: run all epochs")
    training.add_argument("--head-pooling", choices=HEAD_POOLINGS, default="global", help="see hypermodels.cnn")
    training.add_argument("--model", choices=tuple(ROWS), default="cnn")
    training.add_argument("--only", default=None, help="augmentations (cnn), heads (musicnn) or rows; default: all")
    training.add_argument("--out", type=Path, default=Path(os.environ.get("OUT", "runs/robustness")))
    args = parser.parse_args()
    if args.step == "render":
        render(args.out, args.per_class, args.test_per_class, args.experiments.split(","), args.musicnn)
    else:
        only = args.only.split(",") if args.only else list(ROWS[args.model])
        train(args.features, args.epochs, args.patience, args.head_pooling, only, args.out, args.model)


if __name__ == "__main__":
    main()
