"""Reading the CSV files the project writes: only an empty cell is a missing value.

pandas reads `NA`, `null`, `nan`, `None` and a dozen other words as missing by default, so a class
folder named `NA` (or a file named `null.wav`) would turn into NaN and break the workdir.
"""

from pathlib import Path

import pandas as pd


def read_csv(path: Path, **kwargs) -> pd.DataFrame:
    """`pd.read_csv` where every word is text and only an empty cell is NaN."""
    return pd.read_csv(path, keep_default_na=False, na_values=[""], **kwargs)
