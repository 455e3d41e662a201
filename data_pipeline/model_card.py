"""What a saved model needs to be used: its class names in label order and its feature settings.

The card travels inside the `.keras` file (a zip: Keras reads its own members and ignores this one), written in
the same atomic replace as the model, so the model file alone is enough to predict, export or evaluate. A copy
is written beside it (`best_model.keras` -> `best_model.json`) for people and scripts that read JSON.
"""

import json
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from data_pipeline.representations import Features, features_from_record, features_record
from plumbing.atomic import atomic_write, write_json_atomic
from plumbing.errors import DataError, UsageError

CARD_MEMBER = "instrument_tuner_card.json"  # the card's name inside the `.keras` zip


@dataclass(frozen=True)
class ModelCard:
    """Class names in the order of the model's outputs, and the features it was trained on."""

    classes: tuple[str, ...]
    features: Features


def card_path(model_path: Path) -> Path:
    """The copy of the card beside a model: `M.keras` -> `M.json`."""
    return Path(model_path).with_suffix(".json")


def card_text(classes: list[str], features: Features) -> str:
    return json.dumps({"classes": list(classes), "features": features_record(features)}, indent=2) + "\n"


def save_model_with_card(
    model_path: Path, save: Callable[[Path], None], classes: list[str], features: Features
) -> None:
    """Atomically write the model (`save`, e.g. `model.save`) with its card inside, then the copy beside it."""

    def write(tmp: Path) -> None:
        save(tmp)
        with zipfile.ZipFile(tmp, "a") as archive:
            archive.writestr(CARD_MEMBER, card_text(classes, features))

    atomic_write(model_path, write)
    write_card(model_path, classes, features)


def write_card(model_path: Path, classes: list[str], features: Features) -> None:
    """The card beside the model (`M.json`)."""
    write_json_atomic(card_path(model_path), json.loads(card_text(classes, features)))


def stored_card(model_path: Path) -> tuple[str, bytes]:
    """(where, bytes) of the model's card: inside the `.keras` file, else the copy beside it."""
    try:
        with zipfile.ZipFile(model_path) as archive:
            if CARD_MEMBER in archive.namelist():
                return f"{model_path} (its card)", archive.read(CARD_MEMBER)
    except (zipfile.BadZipFile, OSError):
        pass  # not a readable model: loading it says so; the copy beside it may still be read
    beside = card_path(model_path)
    if not beside.is_file():
        raise DataError(
            f"{model_path} carries no model card (none inside it, no {beside.name} beside it): rerun the command "
            "that trained it (it trains nothing more) to save the model with its card"
        )
    try:
        return str(beside), beside.read_bytes()
    except OSError as error:
        raise DataError(f"{beside}: damaged model card ({error}): rerun the command that trained the model") from None


def read_card(model_path: Path) -> ModelCard:
    """The model's card; a missing model or card, or features other than the code's of their kind, is a one-line
    error."""
    model_path = Path(model_path)
    if not model_path.is_file():
        raise UsageError(f"--model {model_path}: no such model file: pass a .keras file a sweep or train.py saved")
    where, stored = stored_card(model_path)
    try:
        card = json.loads(stored.decode())
        features = features_from_record(card["features"])
        classes = tuple(str(name) for name in card["classes"])
    except (ValueError, KeyError, TypeError) as error:
        raise DataError(f"{where}: damaged model card ({error}): rerun the command that trained the model") from None
    code_features = type(features)()
    if features != code_features:
        changed = sorted(k for k, v in asdict(features).items() if getattr(code_features, k) != v)
        raise DataError(
            f"{model_path}: trained on other features ({', '.join(changed)} differ from this code's "
            f"{type(features).__name__}): use the code version that trained it"
        )
    return ModelCard(classes, features)
