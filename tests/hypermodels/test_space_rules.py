"""Every hyperparameter has a rule and a meaning, and the built-in spaces and defaults keep to its rule."""

from hypermodels.families import FAMILIES
from hypermodels.space_meanings import MEANINGS
from hypermodels.space_rules import RULES


def test_every_hyperparameter_of_every_family_has_a_rule_and_a_meaning():
    for family in FAMILIES.values():
        assert set(family.defaults) <= set(RULES), family.name
    assert set(MEANINGS) == set(RULES)


def test_defaults_and_built_in_spaces_keep_to_their_rules():
    for family in FAMILIES.values():
        for name, value in family.defaults.items():
            assert RULES[name].reason(value) is None, (family.name, name, value)
        for space in family.spaces.values():
            for name, values in space.values:
                assert [v for v in values if RULES[name].reason(v)] == [], (family.name, space.name, name)


def test_a_boolean_is_not_a_number_and_a_fraction_is_not_a_whole_number():
    assert RULES["learning_rate"].reason(True) and RULES["dense_units"].reason(64.5)
    assert RULES["dense_units"].reason(64) is None and RULES["learning_rate"].reason(1e-3) is None
