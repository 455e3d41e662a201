"""Argument types every command line shares: argparse names the flag when one refuses a value."""

import argparse
import math
import os
from collections.abc import Callable
from pathlib import Path


def counted(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least `minimum`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is less than {minimum}")
        return value

    return parse


def positive_seconds(text: str) -> float:
    """An argparse type: a positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{value:g} is not a positive number of seconds")
    return value


def fraction(text: str) -> float:
    """An argparse type: a number in (0, 1]."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value <= 1:  # also refuses nan
        raise argparse.ArgumentTypeError(f"{value:g} is not in (0, 1]")
    return value


def seconds_at_least(minimum: float) -> Callable[[str], float]:
    """An argparse type: a number of seconds of at least `minimum`."""

    def parse(text: str) -> float:
        value = positive_seconds(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value:g} s is shorter than {minimum:g} s")
        return value

    return parse


def port_number(text: str) -> int:
    """An argparse type: a TCP port, 1 to 65535."""
    value = counted(1)(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"{value} is more than 65535")
    return value


def host_port(text: str) -> tuple[str, int]:
    """An argparse type: HOST:PORT."""
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not HOST:PORT (e.g. 10.0.0.5:8000)")
    return host, int(port)


SEED_LIMIT = 2**32  # NumPy's and scikit-learn's seeds are 32-bit unsigned


def random_seed(text: str) -> int:
    """An argparse type: a random seed, a whole number from 0 to 2**32 - 1."""
    value = counted(0)(text)
    if value >= SEED_LIMIT:
        raise argparse.ArgumentTypeError(f"{value} is more than {SEED_LIMIT - 1} (seeds are 32-bit)")
    return value


def gpu_list(text: str) -> tuple[str, ...]:
    """An argparse type: GPU indices separated by commas (`0,1`); empty for none."""
    gpus = tuple(part.strip() for part in text.split(",")) if text.strip() else ()
    if not all(gpu.isascii() and gpu.isdigit() for gpu in gpus):
        raise argparse.ArgumentTypeError(f"{text!r} is not GPU indices separated by commas (e.g. 0,1)")
    return tuple(str(int(gpu)) for gpu in gpus)


def readable_file(text: str) -> Path:
    """An argparse type: a file this process can read (a certificate, a key)."""
    path = Path(text)
    if not path.is_file() or not os.access(path, os.R_OK):
        raise argparse.ArgumentTypeError(f"{text!r} is not a file this process can read")
    return path
