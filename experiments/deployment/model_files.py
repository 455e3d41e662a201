"""A saved model and its card, checked against each other before any audio is read."""

from pathlib import Path

import keras

from data_pipeline.model_card import ModelCard
from hypermodels.saved import load_saved_model
from plumbing.errors import DataError


def load_with_card(model_path: Path, card: ModelCard) -> keras.Model:
    """The model its card (already read) describes; a card naming another class count than it outputs is refused."""
    model = load_saved_model(model_path)
    outputs = model.output_shape[-1]
    if outputs != len(card.classes):
        raise DataError(
            f"the card of {model_path} names {len(card.classes)} classes but the model outputs {outputs}: "
            "the card belongs to another model; rerun the command that trained this one"
        )
    return model
