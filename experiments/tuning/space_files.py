"""Resolve `--space seed|quick|FILE`: a family's built-in spaces or a user's JSON/YAML file."""

import json
from pathlib import Path

import yaml

from hypermodels.families import FAMILIES
from hypermodels.space import SearchSpace
from plumbing.errors import UsageError


def load_space(spec: str, family: str) -> SearchSpace:
    """The named built-in space, or one read from a file of {hyperparameter: [values...]}."""
    known = FAMILIES[family]
    if spec in known.spaces:
        return known.spaces[spec]
    path = Path(spec)
    if not path.is_file():
        raise UsageError(f"--space {spec}: not 'seed', 'quick' or an existing JSON/YAML file")
    try:
        mapping = json.loads(path.read_text()) if path.suffix == ".json" else yaml.safe_load(path.read_text())
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise UsageError(f"--space {spec}: cannot parse ({str(error).splitlines()[0]})") from None
    if not isinstance(mapping, dict) or not mapping:
        raise UsageError(f"--space {spec}: expected a mapping of hyperparameter to a list of values")
    unknown = sorted(set(mapping) - set(known.defaults))
    if unknown:
        raise UsageError(f"--space {spec}: unknown hyperparameter {unknown}; {family} knows {sorted(known.defaults)}")
    try:
        space = SearchSpace.from_mapping(path.stem, mapping)
    except ValueError as error:
        raise UsageError(f"--space {spec}: {error}") from None
    for key, values in space.values:
        words = known.named_choices.get(key, values)
        wrong = [value for value in values if value not in words]
        if wrong:
            raise UsageError(f"--space {spec}: {key} {wrong} is not one of {', '.join(words)}")
    return space
