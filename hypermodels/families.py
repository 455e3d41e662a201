"""The model families by name: every caller that varies by family (`cnn`, `rnn`, `musicnn`, `musicnn_ft`) reads
this one table (its names alone, without Keras: `hypermodels.names`). A family brings its HyperModel, spaces and
defaults, its features (what the cache holds and the model file takes) and optionally fixed models; a KerasTuner
HyperModel never sees where its input came from."""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from types import MappingProxyType

import keras

from data_pipeline.config import FeatureConfig
from data_pipeline.musicnn.config import MusicnnFeatures, MusicnnPatches
from data_pipeline.musicnn.weights import require_weights
from data_pipeline.representations import Features
from hypermodels import bigru, cnn, musicnn, musicnn_ft
from hypermodels.base import SpaceHyperModel
from hypermodels.names import FAMILY_LABELS, FIXED_STAGES, STAGES, experiment_name, family_stages


@dataclass(frozen=True)
class Family:
    """One family: its HyperModel, built-in spaces, hyperparameter defaults, features and fixed models."""

    name: str  # the experiment folder of its sweep, and of `search_<name>.py`
    label: str  # as a report or a title calls it
    hypermodel: type[SpaceHyperModel]
    spaces: MappingProxyType  # built-in space name -> SearchSpace
    defaults: dict
    fixed: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))  # stage -> builder
    features: Features = FeatureConfig()  # what its cache holds; the model file takes the features' front end
    serving_model: Callable[[keras.Model], keras.Model] = lambda model: model  # trained model -> model file
    trained_model: Callable[[keras.Model], keras.Model] = lambda model: model  # model file -> trained model
    ready: Callable[[], object] = lambda: None  # before training: raises DataError naming what to set up, if anything

    def experiment(self, stage: str) -> str:
        """The experiment name of a stage: `cnn-baseline`, `cnn-enhanced`, or `cnn` for the tuned one."""
        return experiment_name(self.name, stage)


def family(
    name: str, module, hypermodel: type[SpaceHyperModel], fixed: tuple[Callable[..., keras.Model], ...] = (), **more
) -> Family:
    """A family from its hypermodels module (which defines SEED_SPACE, QUICK_SPACE, DEFAULTS); `fixed`: its baseline
    and enhanced builders, or none; `more`: `Family`'s other fields (features, serving_model, trained_model, ready)."""
    spaces = MappingProxyType({"seed": module.SEED_SPACE, "quick": module.QUICK_SPACE})
    stages = MappingProxyType(dict(zip(FIXED_STAGES[: len(fixed)], fixed, strict=True)))
    return Family(name, FAMILY_LABELS[name], hypermodel, spaces, module.DEFAULTS, stages, **more)


FAMILIES = MappingProxyType(
    {
        "cnn": family("cnn", cnn, cnn.CNNHyperModel, (cnn.build_baseline_cnn, cnn.build_enhanced_cnn)),
        "rnn": family("rnn", bigru, bigru.BiGRUHyperModel, (bigru.build_baseline_bigru, bigru.build_enhanced_bigru)),
        "musicnn": family(
            "musicnn",
            musicnn,
            musicnn.MusicnnHyperModel,
            (musicnn.build_baseline_musicnn, musicnn.build_enhanced_musicnn),
            features=MusicnnFeatures(),
            serving_model=musicnn.serving_model,
            trained_model=musicnn.trained_head,
            ready=functools.partial(require_weights, MusicnnFeatures()),  # trials and the model file need the network
        ),
        "musicnn_ft": family(
            "musicnn_ft",
            musicnn_ft,
            musicnn_ft.MusicnnFineTuningHyperModel,
            features=MusicnnPatches(),
            ready=functools.partial(require_weights, MusicnnPatches()),  # every trial starts from the network
        ),
    }
)


def experiments_in_order() -> list[str]:
    """Every experiment name, family by family, stage by stage (the report's order)."""
    return [f.experiment(stage) for f in FAMILIES.values() for stage in family_stages(f.name)]


def stage_of(experiment: str) -> tuple[Family, str]:
    """The family and stage an experiment name stands for (KeyError for an unknown name)."""
    name, _, stage = experiment.partition("-")
    return FAMILIES[name], stage or "tuned"


def title(experiment: str) -> str:
    """The one title of an experiment's model: `Baseline CNN`, `Enhanced BiGRU`, `Tuned CNN`."""
    fam, stage = stage_of(experiment)
    if stage not in STAGES:
        raise KeyError(experiment)
    return f"{stage.capitalize()} {fam.label}"


def fixed_builders() -> dict[str, Callable[..., keras.Model]]:
    """Every fixed model by experiment name (`cnn-baseline`, ...): what `train.py --model` builds."""
    return {f.experiment(stage): build for f in FAMILIES.values() for stage, build in f.fixed.items()}
