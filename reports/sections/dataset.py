"""Section 1 of the report: the dataset (class counts, threshold, clip summary, split, unreadable files, EDA)."""

import pandas as pd

from data_pipeline.split import split_table
from reports.markdown_tables import image, table


def dataset_section(info: dict | None, split: pd.DataFrame | None, figures: dict[str, str]) -> str:
    """Class counts, threshold, dropped classes, clip summary, split table, unreadable files, EDA."""
    if info is None:
        return (
            "## 1. Dataset\n\n> Not prepared: `dataset.json` is missing or damaged. "
            "Run `python -m data_pipeline prepare`.\n"
        )
    counts = pd.DataFrame(info["class_counts"])
    dropped = counts.loc[~counts["kept"], "class"].tolist()
    parts = [
        "## 1. Dataset",
        f"Data dir: `{info['data_dir']}`.",
        f"{len(counts)} classes, {int(counts['clips'].sum())} readable clips; classes kept: more than "
        f"{info['min_clips']} clips ({int(counts['kept'].sum())} kept); dropped: {', '.join(dropped) or 'none'}.",
        table(counts),
        image(figures["class_balance"], "class balance"),
        "### Clip summary (readable clips)",
        table(pd.DataFrame(info["clip_summary"]), index=True),
    ]
    if split is not None:
        parts += [
            f"### Split (stratified 70/15/15, seed {info['seed']}; seed Figure 35)",
            table(split_table(split), True),
        ]
    bad = pd.DataFrame(info.get("unreadable", []))
    parts += ["### Unreadable files", table(bad) if len(bad) else "None."]
    if figures.get("eda"):
        parts.append("### Exploration figures (one sample clip per class)")
        parts += [f"{image(path, caption)}\n\n*{caption}*" for caption, path in figures["eda"]]
    return "\n\n".join(parts) + "\n"
