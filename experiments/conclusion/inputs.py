"""The other families' tables C19 reads, in one place, each checked against what the
conclusion's block judges (columns, and the rows it needs): a renamed column, a missing width
or an epoch the table does not record stops the job with the file's name."""

from pathlib import Path
from typing import NamedTuple

import pandas as pd

from experiments.conclusion import plan
from experiments.io import TableError, read_table


class Inputs(NamedTuple):
    xor: pd.DataFrame  # logic: per (width, activation) success counts
    summary: pd.DataFrame  # playground: per (config, epoch) summary
    seeds: dict[str, pd.DataFrame]  # playground: per config, per-seed accuracies at the judged epoch
    errors: pd.DataFrame  # approximation: plain-SGD rows of the width sweep


def require(df: pd.DataFrame, path: Path, what: str) -> pd.DataFrame:
    if df.empty:
        raise TableError(f"{path}: no rows for {what}; rerun the step that writes it, or fix the conclusion's config")
    return df


def read_inputs(results: Path, cfg: dict) -> Inputs:
    """`results`: the folder holding every family's results (results/)."""
    path = {name: results / rel for name, rel in plan.INPUTS.items()}
    xor = read_table(path["xor_success"], ["width", "activation", "successes", "seeds", "rate"])
    x = cfg["xor"]
    for act in x["activations"]:
        require(
            xor[(xor["width"] == x["width"]) & (xor["activation"] == act)],
            path["xor_success"],
            f"width {x['width']}, {act}",
        )
    summary = read_table(path["playground_summary"], ["epoch", "dataset", "config", "test_acc_median"])
    p = cfg["playground"]
    seeds = {}
    for name in p["configs"]:
        at = f"config {name} at epoch {p['epoch']}"
        require(summary[(summary["config"] == name) & (summary["epoch"] == p["epoch"])], path["playground_summary"], at)
        per_seed = read_table(results / plan.playground_seeds(name), ["seed", "epoch", "test_acc"])
        seeds[name] = require(per_seed[per_seed["epoch"] == p["epoch"]], results / plan.playground_seeds(name), at)
    errors = read_table(path["width_errors"], ["K", "target", "activation", "method", "rms", "n_converged"])
    sgd = errors[errors["method"] == "sgd"]
    for K in (1, cfg["approximation"]["width"]):
        require(sgd[sgd["K"] == K], path["width_errors"], f"method sgd at K = {K}")
    return Inputs(xor, summary, seeds, sgd)
