"""Matplotlib for figure files, not screens: the Agg backend, and text drawn as written.

Class names become titles and tick labels; matplotlib would read `$...$` in one as mathematics and stop with a
parse error, so mathtext is off for every figure.
"""

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["text.parse_math"] = False

import matplotlib.pyplot as plt  # noqa: E402

__all__ = ["plt"]
