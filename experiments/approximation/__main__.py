"""Steps of the approximation family (`python -m experiments.approximation STEP`)."""

from pathlib import Path

import pandas as pd

from experiments import claims
from experiments.approximation import plan
from experiments.approximation.depth import constructed_rows, deep_rows, growth_slope, needed, shallow_cell
from experiments.approximation.errors import width_tables
from experiments.approximation.figures import plot_functions, plot_units, plot_width
from experiments.approximation.plan import restarts_for
from experiments.approximation.rates import slopes
from experiments.approximation.trained import width_cell
from experiments.approximation.verdicts import c10_rows, c11_rows
from experiments.cli import Step, cli
from experiments.io import read_table, write_figure, write_table

CELL_COLUMNS = ["target", "activation", "method", "K", "restart", "train_loss", "last_change", "sup", "rms"]
SHALLOW_COLUMNS = ["L", "K", "restarts", "last_change", "l1", "margin", "pieces", "l1_bound", "reached"]


def width_path(results: Path, activation: str) -> Path:
    return results / "width" / f"{activation}.csv"


def shallow_path(results: Path, L: int) -> Path:
    return results / "depth" / f"L{L}.csv"


def width(cfg: dict, results: Path, figures: Path) -> None:
    """C10 sweep cell: trained nets of every width on every target, for one activation."""
    write_table(width_cell(cfg["activation"], cfg), width_path(results, cfg["activation"]))


def read_cells(cfg: dict, results: Path) -> pd.DataFrame:
    """Every width cell's table, checked against the widths, targets and restarts of the config."""
    n = len(cfg["targets"]) * sum(restarts_for(K, cfg) * (1 + (K in cfg["sgd"]["widths"])) for K in cfg["widths"])
    return pd.concat(
        [
            read_table(
                width_path(results, a),
                CELL_COLUMNS,
                rows=n,
                values={"K": cfg["widths"], "target": cfg["targets"], "activation": [a]},
            )
            for a in cfg["activations"]
        ],
        ignore_index=True,
    )


def width_summary(cfg: dict, results: Path, figures: Path) -> None:
    """C10: best stationary restarts, constructions, approximation error, rates, figure, verdicts."""
    errs, best = width_tables(read_cells(cfg, results), cfg)
    sl = slopes(errs, cfg["fit_last"], cfg["slope_tol"])
    write_table(errs, results / "width_errors.csv")
    write_table(best, results / "width_best.csv")
    write_table(sl, results / "width_slopes.csv")
    write_table(c10_rows(errs, best, sl, cfg), results / "claims_c10.csv")
    write_figure(plot_width(errs, cfg["sup_tol"]), figures / "width_errors.png")


def shallow(cfg: dict, results: Path, figures: Path) -> None:
    """C11 sweep cell: trained shallow relu nets for the L-fold tent map, widths tried in order."""
    write_table(shallow_cell(cfg["L"], cfg), shallow_path(results, cfg["L"]))


def depth_summary(cfg: dict, results: Path, figures: Path) -> None:
    """C11: the deep net exact, shallow constructions, units needed vs L, figures, verdict row."""
    deep = deep_rows(cfg["depths"])
    con = constructed_rows(cfg["depths"], cfg["l1_target"])
    trained = pd.concat(
        [read_table(shallow_path(results, L), SHALLOW_COLUMNS, values={"L": [L]}) for L in cfg["trained_depths"]],
        ignore_index=True,
    )
    need = needed(deep, con, trained)
    write_table(deep, results / "depth_deep.csv")
    write_table(con, results / "depth_constructed.csv")
    write_table(trained, results / "depth_trained.csv")
    write_table(need, results / "depth_needed.csv")
    write_table(c11_rows(deep, con, trained, need, cfg), results / "claims_c11.csv")
    write_figure(plot_units(need, growth_slope(need)), figures / "depth_units.png")
    write_figure(plot_functions(cfg["plot_depths"]), figures / "depth_functions.png")


def claims_step(cfg: dict, results: Path, figures: Path) -> None:
    """Merge the C10 and C11 verdict rows into results/approximation/claims.csv."""
    parts = [read_table(results / f, claims.COLUMNS) for f in ("claims_c10.csv", "claims_c11.csv")]
    write_table(pd.concat(parts, ignore_index=True), results / "claims.csv")


STEPS = {
    "width": Step(width, plan.width_cells),
    "width_summary": Step(width_summary, plan.width_summary),
    "shallow": Step(shallow, plan.shallow_cells),
    "depth_summary": Step(depth_summary, plan.depth_summary),
    "claims": Step(claims_step, plan.claims),
}

if __name__ == "__main__":
    cli(STEPS)
