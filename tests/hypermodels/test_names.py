"""The Keras-free names (what command lines parse) are the families' own."""

from hypermodels.families import FAMILIES, fixed_builders
from hypermodels.names import FAMILY_LABELS, fixed_experiments


def test_the_names_are_those_of_the_families_and_their_fixed_models():
    assert {name: family.label for name, family in FAMILIES.items()} == FAMILY_LABELS
    assert list(fixed_builders()) == fixed_experiments()
