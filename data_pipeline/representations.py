"""The feature representations by kind, one table: what a model card names, a cache builds and a model takes.

`log_mel` is the seed's log-Mel spectrogram (the CNN's and the BiGRU's); `musicnn` the embeddings of a pretrained
music network (the `musicnn` family's); `musicnn_patch` that network's own log-Mel patches (the `musicnn_ft`
family's, which fine-tunes it). Each kind's settings class gives its shapes, cache key and front ends.
"""

from dataclasses import asdict

from data_pipeline.config import FeatureConfig
from data_pipeline.musicnn.config import MusicnnFeatures, MusicnnPatches

Features = FeatureConfig | MusicnnFeatures | MusicnnPatches
REPRESENTATIONS: dict[str, type[Features]] = {
    kind.kind: kind for kind in (FeatureConfig, MusicnnFeatures, MusicnnPatches)
}


def features_record(features: Features) -> dict:
    """The settings as a model card stores them: `kind` and every constant."""
    return {"kind": features.kind, **asdict(features)}


def features_from_record(record: dict) -> Features:
    """The settings a card stored (a card from before kinds were named is `log_mel`); KeyError/TypeError if damaged."""
    fields = dict(record)
    return REPRESENTATIONS[fields.pop("kind", FeatureConfig.kind)](**fields)
