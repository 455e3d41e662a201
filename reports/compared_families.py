"""The families the report compares, by their names alone (`hypermodels.names`: no Keras)."""

from hypermodels.names import FAMILY_LABELS


def family_labels() -> dict[str, str]:
    """Family -> label in the report's order: every family of `hypermodels.names.FAMILY_LABELS`."""
    return dict(FAMILY_LABELS)


def search_scripts() -> str:
    """Every family's sweep script, as the report names them: `experiments/search_cnn.py`, `search_rnn.py`."""
    scripts = [f"search_{family}.py" for family in family_labels()]
    return ", ".join(f"`{script}`" for script in [f"experiments/{scripts[0]}", *scripts[1:]])
