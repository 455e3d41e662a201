"""Predictions written for people (a table), for spreadsheets (CSV) and for programs (JSON)."""

import csv
import io
import json

import pandas as pd

from experiments.deployment.prediction import FilePrediction
from plumbing.file_names import shown


def as_json(results: list[FilePrediction], classes: tuple[str, ...], k: int) -> str:
    """A list with one object per file: path, predictions best first and windows, or path and error."""
    items = [
        {"path": shown(r.path), "error": r.error}
        if r.error
        else {
            "path": shown(r.path),
            "predictions": [{"class": name, "probability": p} for name, p in r.top(classes, k)],
            "windows": r.windows,
        }
        for r in results
    ]
    return json.dumps(items, indent=2)


def as_csv(results: list[FilePrediction], classes: tuple[str, ...], k: int) -> str:
    """One row per file and rank (`path,rank,class,probability,windows,error`); a broken file has one row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["path", "rank", "class", "probability", "windows", "error"])
    for r in results:
        if r.error:
            writer.writerow([shown(r.path), "", "", "", 0, r.error])
        for rank, (name, p) in enumerate([] if r.error else r.top(classes, k), start=1):
            writer.writerow([shown(r.path), rank, name, f"{p:.6f}", r.windows, ""])
    return out.getvalue()


def as_table(results: list[FilePrediction], classes: tuple[str, ...], k: int) -> str:
    """File, then `class (probability)` for each rank, then windows; errors in their own column."""
    rows = []
    for r in results:
        row = {"file": shown(r.path)}
        if r.error:
            row["error"] = r.error
        else:
            row.update({f"#{rank}": f"{name} ({p:.3f})" for rank, (name, p) in enumerate(r.top(classes, k), 1)})
            row["windows"] = r.windows
        rows.append(row)
    frame = pd.DataFrame(rows)
    columns = ["file", *[f"#{i}" for i in range(1, k + 1) if f"#{i}" in frame], "windows", "error"]
    return frame.reindex(columns=[c for c in columns if c in frame]).fillna("").to_string(index=False)


FORMATS = {"table": as_table, "csv": as_csv, "json": as_json}
