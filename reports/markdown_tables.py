"""The report's one table renderer (Markdown pipe tables) and its image links."""

import numpy as np
import pandas as pd
from tabulate import tabulate


def cell_value(value):
    """A table cell: None for a missing number (pandas' NaN included), yes / no for a boolean, text as written."""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, str):
        return markdown_text(value)
    return None if pd.isna(value) else value


def markdown_text(text: str) -> str:
    """Text taken from a file name as Markdown shows it: a `|` does not split a table cell, `<` opens no HTML tag,
    a line break does not end the row."""
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


def table(frame: pd.DataFrame, index: bool = False) -> str:
    """Markdown table; missing numbers are blank cells, never `nan`; booleans read yes / no."""
    rows = [[cell_value(v) for v in row] for row in frame.astype(object).itertuples(index=index)]
    headers = [frame.index.name or ""] * index + [str(c) for c in frame.columns]
    return tabulate(rows, headers=headers, tablefmt="pipe", floatfmt=".5g", missingval="")


def image(path: str, alt: str) -> str:
    return f"![{alt}]({path})"
