"""The argument types every command line shares."""

import argparse

import pytest

from plumbing.arguments import host_port


def test_an_address_is_host_colon_port():
    assert host_port("[::1]:9000") == ("[::1]", 9000)
    for bad in ("8000", "host:", "host:99999", "host:port"):
        with pytest.raises(argparse.ArgumentTypeError):
            host_port(bad)
