"""What a saved model needs to be used: its class names in label order and its feature settings.

Written atomically beside every saved model (`best_model.keras` -> `best_model.json`), so that
predicting, exporting and outside evaluation need only the model file.
"""

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from data_pipeline.config import FeatureConfig
from plumbing.atomic import write_json_atomic
from plumbing.errors import DataError, UsageError


@dataclass(frozen=True)
class ModelCard:
    """Class names in the order of the model's outputs, and the features it was trained on."""

    classes: tuple[str, ...]
    features: FeatureConfig


def card_path(model_path: Path) -> Path:
    """The card beside a model: `M.keras` -> `M.json`."""
    return Path(model_path).with_suffix(".json")


def write_card(model_path: Path, classes: list[str], features: FeatureConfig) -> None:
    write_json_atomic(card_path(model_path), {"classes": list(classes), "features": asdict(features)})


def read_card(model_path: Path, code_features: FeatureConfig = FeatureConfig()) -> ModelCard:
    """The model's card; a missing model or card, or features other than the code's, is a one-line error."""
    model_path, path = Path(model_path), card_path(model_path)
    if not model_path.is_file():
        raise UsageError(f"--model {model_path}: no such model file: pass a .keras file a sweep or train.py saved")
    if not path.is_file():
        raise DataError(
            f"{path} is missing: {model_path.name} was saved before models carried their classes; "
            "rerun the command that trained it (it trains nothing more) to write it"
        )
    try:
        card = json.loads(path.read_text())
        features = FeatureConfig(**card["features"])
        classes = tuple(str(name) for name in card["classes"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DataError(f"{path}: damaged model card ({error}): rerun the command that trained the model") from None
    if features != code_features:
        changed = sorted(k for k, v in asdict(features).items() if getattr(code_features, k) != v)
        raise DataError(
            f"{model_path}: trained on other features ({', '.join(changed)} differ from this code's "
            "FeatureConfig): use the code version that trained it"
        )
    return ModelCard(classes, features)
