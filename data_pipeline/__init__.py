"""Dataset pipeline: scan, validate, split, log-Mel features and their on-disk cache."""

from data_pipeline.config import FeatureConfig, SplitConfig
from plumbing.errors import DataError, UsageError

__all__ = ["DataError", "FeatureConfig", "SplitConfig", "UsageError"]
