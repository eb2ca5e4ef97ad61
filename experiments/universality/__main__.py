"""Steps of the universality family (`python -m experiments.universality STEP`): the width sweep
of part (a), one job per input dimension D of part (b), their summary and the claim rows."""

from pathlib import Path

import pandas as pd

from experiments.cli import Step, cli
from experiments.io import read_table, write_figure, write_table
from experiments.universality import plan
from experiments.universality.dimension import METHODS, TARGETS, cell_curves, needed, summary_table
from experiments.universality.figures import plot_dimension, plot_widths
from experiments.universality.verdicts import claim_rows
from experiments.universality.widths import DEGREES, polynomial_table, width_table

NEED_COLUMNS = ["D", "target", "method", "seed", "units_needed", "reached", "sup", "stationarity", "margin"]
CURVE_COLUMNS = ["D", "target", "method", "seed", "units", "sup", "rms", "stationarity"]


def widths(cfg: dict, results: Path, figures: Path) -> None:
    polys = polynomial_table(cfg)
    errors, curves = width_table(cfg)
    write_table(polys, results / "polynomials.csv")
    write_table(errors, results / "widths.csv")
    write_figure(plot_widths(errors, polys, curves), figures / "widths.png")


def dimension_cell(cfg: dict, results: Path, figures: Path) -> None:
    curves = cell_curves(cfg)
    D = int(cfg["D"])
    write_table(needed(curves, cfg["eps"]), results / "dimension" / f"D{D}.csv")
    write_table(curves, results / "dimension" / f"D{D}_curves.csv")


def read_need(path: Path, p: dict, dims) -> pd.DataFrame:
    """A units-needed table, checked to hold every D, target, method and seed."""
    members = len(TARGETS) * (1 + p["n_seeds"])  # per D: a construction and n_seeds random-feature nets per target
    values = {"D": dims, "target": TARGETS, "method": METHODS}
    return read_table(path, NEED_COLUMNS, rows=members * len(dims), values=values)


def dimension(cfg: dict, results: Path, figures: Path) -> None:
    cells = results / "dimension"
    need = pd.concat([read_need(cells / f"D{D}.csv", cfg, [D]) for D in cfg["dims"]], ignore_index=True)
    curves = pd.concat(
        [read_table(cells / f"D{D}_curves.csv", CURVE_COLUMNS, values={"D": [D]}) for D in cfg["dims"]],
        ignore_index=True,
    )
    summary = summary_table(need, cfg["stationarity"])
    write_table(need, results / "dimension.csv")
    write_table(summary, results / "dimension_summary.csv")
    write_figure(plot_dimension(summary, curves, cfg["eps"]), figures / "dimension.png")


def claims(cfg: dict, results: Path, figures: Path) -> None:
    poly, dim = cfg["polynomial"], cfg["dimension"]
    errors = read_table(
        results / "widths.csv",
        ["target", "activation", "K", "seed", "sup", "rms", "stationarity"],
        rows=len(poly["targets"]) * len(poly["activations"]) * len(poly["widths"]) * poly["n_seeds"],
        values={"target": poly["targets"], "activation": poly["activations"], "K": poly["widths"]},
    )
    polys = read_table(
        results / "polynomials.csv",
        ["target", "degree", "ls_sup", "ls_rms", "minimax_sup"],
        rows=len(poly["targets"]) * len(DEGREES),
        values={"target": poly["targets"], "degree": DEGREES},
    )
    need = read_need(results / "dimension.csv", dim, dim["dims"])
    write_table(claim_rows(errors, polys, need, cfg), results / "claims.csv")


RUNS = {"widths": widths, "dimension_cell": dimension_cell, "dimension": dimension, "claims": claims}
STEPS = {name: Step(run, plan.CELLS[name]) for name, run in RUNS.items()}

if __name__ == "__main__":
    cli(STEPS)
