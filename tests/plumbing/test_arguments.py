"""The argument types every command line shares."""

import argparse

import pytest

from plumbing.arguments import gpu_list, host_port, port_number, positive_seconds, random_seed


def test_an_address_is_host_colon_port():
    assert host_port("[::1]:9000") == ("[::1]", 9000)
    for bad in ("8000", "host:", "host:99999", "host:port"):
        with pytest.raises(argparse.ArgumentTypeError):
            host_port(bad)


def test_a_seed_is_a_whole_number_numpy_and_scikit_learn_take():
    assert random_seed("0") == 0 and random_seed(str(2**32 - 1)) == 2**32 - 1
    for bad in ("-5", "1.5", "x", str(2**32)):
        with pytest.raises(argparse.ArgumentTypeError):
            random_seed(bad)


def test_gpus_are_indices_separated_by_commas():
    assert gpu_list("") == () and gpu_list("0, 1,03") == ("0", "1", "3")
    for bad in ("abc", "0,,1", "-1", "0;1", "1.0", "²"):
        with pytest.raises(argparse.ArgumentTypeError):
            gpu_list(bad)


def test_seconds_are_finite_and_positive():
    assert positive_seconds("1.5") == 1.5
    for bad in ("nan", "inf", "-inf", "0", "-1", "x"):
        with pytest.raises(argparse.ArgumentTypeError):
            positive_seconds(bad)


def test_a_port_is_1_to_65535():
    assert port_number("8000") == 8000
    for bad in ("0", "70000", "-1", "http"):
        with pytest.raises(argparse.ArgumentTypeError):
            port_number(bad)
