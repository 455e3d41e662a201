"""Resolve `--space seed|quick|FILE`: a family's built-in spaces or a user's JSON/YAML file."""

import json
from pathlib import Path

import yaml

from hypermodels.families import FAMILIES
from hypermodels.space import Range, SearchSpace
from hypermodels.space_rules import RULES
from plumbing.errors import UsageError


def load_space(spec: str, family: str) -> SearchSpace:
    """The named built-in space, or one read from a file of {hyperparameter: [values...] or {min, max, sampling,
    step}}, every value checked."""
    known = FAMILIES[family]
    if spec in known.spaces:
        return known.spaces[spec]
    mapping = read_mapping(spec)
    unknown = sorted(str(key) for key in mapping if key not in known.defaults)
    if unknown:
        raise UsageError(f"--space {spec}: unknown hyperparameter {unknown}; {family} knows {sorted(known.defaults)}")
    for key, candidates in mapping.items():
        check_values(spec, key, candidates)
    whole = frozenset(key for key in mapping if RULES[key].integer)
    try:
        space = SearchSpace.from_mapping(Path(spec).stem, mapping, whole)
    except ValueError as error:
        raise UsageError(f"--space {spec}: {error}") from None
    for key, values in space.values:
        if isinstance(values, Range):
            continue
        twice = sorted({str(v) for v in values if values.count(v) > 1})
        if twice:
            raise UsageError(f"--space {spec}: {key} lists {', '.join(twice)} more than once: each point trains once")
    return space


def check_values(spec: str, key: str, candidates) -> None:
    """Every listed value, or a range's ends, kept to the key's rule; a range only where the rule is a number."""
    rule = RULES[key]
    if isinstance(candidates, dict):
        if not rule.ranged:
            raise UsageError(f"--space {spec}: {key} takes a list of values ({rule.expects}), not a range")
        wrong = [candidates[end] for end in ("min", "max") if end in candidates and rule.reason(candidates[end])]
    else:
        wrong = [v for v in candidates if rule.reason(v)] if isinstance(candidates, list) else []
    if wrong:
        raise UsageError(f"--space {spec}: {key} {wrong} is not {rule.expects}")


def read_mapping(spec: str) -> dict:
    """The {hyperparameter: values} mapping of a JSON or YAML file."""
    path = Path(spec)
    if not path.is_file():
        raise UsageError(f"--space {spec}: not 'seed', 'quick' or an existing JSON/YAML file")
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"--space {spec}: cannot read it as UTF-8 text ({error})") from None
    try:
        mapping = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError, RecursionError) as error:
        raise UsageError(f"--space {spec}: cannot parse ({str(error).splitlines()[0]})") from None
    if not isinstance(mapping, dict) or not mapping:
        raise UsageError(f"--space {spec}: expected a mapping of hyperparameter to a list of values")
    return mapping
