"""Steps of the approximation family (`python -m experiments.approximation STEP`)."""

from pathlib import Path

import pandas as pd

from experiments import claims
from experiments.approximation import plan
from experiments.approximation.depth import (
    claim_rows as depth_claim_rows,
)
from experiments.approximation.depth import (
    constructed_rows,
    deep_rows,
    needed,
    plot_functions,
    plot_units,
    shallow_cell,
)
from experiments.approximation.width import claim_rows, construction_errors, plot_width, slopes, width_cell
from experiments.cli import Step, cli
from experiments.io import read_table, write_figure, write_table

WIDTH_COLUMNS = ["target", "activation", "method", "K", "restarts", "sup", "rms", "train_loss", "n_ok"]
SHALLOW_COLUMNS = ["L", "K", "restarts", "l1", "pieces", "l1_bound", "reached"]


def width_path(results: Path, target: str, activation: str) -> Path:
    return results / "width" / f"{target}_{activation}.csv"


def shallow_path(results: Path, L: int) -> Path:
    return results / "depth" / f"L{L}.csv"


def width(cfg: dict, results: Path, figures: Path) -> None:
    """C10 sweep cell: trained nets at every width for one (target, activation)."""
    write_table(
        width_cell(cfg["target"], cfg["activation"], cfg), width_path(results, cfg["target"], cfg["activation"])
    )


def width_summary(cfg: dict, results: Path, figures: Path) -> None:
    """C10: the cells together with the constructions, slopes vs theory rates, figure, verdict rows."""
    trained = pd.concat(
        [
            read_table(
                width_path(results, t, a),
                WIDTH_COLUMNS,
                rows=2 * len(cfg["widths"]),
                values={"K": cfg["widths"], "target": [t], "activation": [a]},
            )
            for t in cfg["targets"]
            for a in cfg["activations"]
        ],
        ignore_index=True,
    )
    errs = pd.concat([trained, construction_errors(cfg)], ignore_index=True)
    errs = errs.sort_values(["target", "method", "activation", "K"], kind="stable").reset_index(drop=True)
    sl = slopes(errs, cfg["fit_last"])
    write_table(errs, results / "width_errors.csv")
    write_table(sl, results / "width_slopes.csv")
    write_table(claim_rows(errs, sl, cfg), results / "claims_c10.csv")
    write_figure(plot_width(errs, "sup"), figures / "width_errors.png")


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
    write_table(depth_claim_rows(deep, con, trained, need, cfg), results / "claims_c11.csv")
    write_figure(plot_units(need), figures / "depth_units.png")
    write_figure(plot_functions(cfg["plot_depths"]), figures / "depth_functions.png")


def claims_step(cfg: dict, results: Path, figures: Path) -> None:
    """Merge the C10 and C11 verdict rows into results/approximation/claims.csv."""
    write_table(claims.concat_parts(results / f for f in ("claims_c10.csv", "claims_c11.csv")), results / "claims.csv")


STEPS = {
    "width": Step(width, plan.width_cells),
    "width_summary": Step(width_summary, plan.width_summary),
    "shallow": Step(shallow, plan.shallow_cells),
    "depth_summary": Step(depth_summary, plan.depth_summary),
    "claims": Step(claims_step, plan.claims),
}

if __name__ == "__main__":
    cli(STEPS)
