"""Steps of the regions family (`python -m experiments.regions STEP`): the folding
construction, the counter's validation, one job per depth of random and trained nets, their
summary, the region maps and the claim row."""

import sys
import time
from pathlib import Path

import pandas as pd

from experiments.cli import Step, cli
from experiments.io import read_table, write_figure, write_table
from experiments.regions import plan
from experiments.regions.construction import construction_table, grid_cells
from experiments.regions.depth import cell_nets, count_cell, depth_summary, random_params
from experiments.regions.figures import plot_construction, plot_region_maps, plot_regions_vs_depth
from experiments.regions.validation import n_checks, validation_table
from experiments.regions.verdicts import claim_rows
from mlp.constructions import montufar_net
from mlp.regions import count_regions

CELL_COLUMNS = [  # what every depth cell's table holds (checked when read)
    *("L", "kind", "seed", "diverged", "n_activation", "n_linear", "linear_1d_per_unit_length", "noise_band"),
    *("last_change", "count_change", "converged"),
]


def log_counting(what: str, n_regions: int, start: float) -> None:
    """The counting cost (machine-dependent, so in the job log and never in a table)."""
    cpu = time.process_time() - start
    print(f"{what}: {n_regions} regions counted in {cpu:.2f} CPU s", file=sys.stderr, flush=True)


def construction(cfg: dict, results: Path, figures: Path) -> None:
    start = time.process_time()
    table = construction_table(cfg["construction"]["grid"], cfg["construction"]["max_regions"])
    log_counting("construction", int(table["exact_activation"].sum()), start)
    write_table(table, results / "construction.csv")
    write_figure(plot_construction(table), figures / "construction.png")


def validation(cfg: dict, results: Path, figures: Path) -> None:
    write_table(validation_table(cfg["validation"]), results / "validation.csv")


def depth_cell(cfg: dict, results: Path, figures: Path) -> None:
    nets, trained, checkpoint, fit = cell_nets(cfg)
    start = time.process_time()
    rows = count_cell(cfg, nets, trained, checkpoint, fit)
    log_counting(f"L={cfg['L']}", int(rows["n_activation"].sum()), start)
    write_table(rows, results / "depth" / f"L{int(cfg['L'])}.csv")


def read_cells(p: dict, results: Path):
    """The depth cells' tables, each checked to hold every seed of both kinds."""
    seeds = range(p["n_seeds"])
    return [
        read_table(
            results / "depth" / f"L{L}.csv",
            CELL_COLUMNS,
            rows=2 * p["n_seeds"],
            values={"L": [L], "kind": ["random", "trained"], "seed": seeds},
        )
        for L in p["depths"]
    ]


def depth(cfg: dict, results: Path, figures: Path) -> None:
    p = cfg["depth"]
    cells = pd.concat(read_cells(p, results), ignore_index=True)
    cells = cells.sort_values(["L", "kind", "seed"]).reset_index(drop=True)
    start = time.process_time()
    summary = depth_summary(cells, p)
    log_counting("constructions of the sweep's widths", int(summary["construction_exact_linear"].sum()), start)
    write_table(cells, results / "depth.csv")
    write_table(summary, results / "depth_summary.csv")
    write_figure(plot_regions_vs_depth(summary, cells, p), figures / "regions_vs_depth.png")


def maps(cfg: dict, results: Path, figures: Path) -> None:
    """Region maps of random nets of the depth sweep (same seed streams) and of a folding net."""
    m, d = cfg["maps"], cfg["depth"]
    box, panels = d["box"], []
    for L in m["depths"]:
        widths = plan.widths_for(d["n_neurons"], L)
        params = random_params(widths, [m["seed"]], d["bias_std"], "depth", L)[0]
        panels.append((f"random He net, widths {widths}", count_regions(params, box)))
    K, L = m["construction"]["K"], m["construction"]["L"]
    panels.append((f"folding construction, K={K}, L={L}", count_regions(*montufar_net(2, K, L))))
    table = pd.DataFrame([{"net": n, "n_activation": r.n_activation, "n_linear": r.n_linear} for n, r in panels])
    write_table(table, results / "region_maps.csv")
    write_figure(plot_region_maps(panels, m["seed"]), figures / "region_maps.png")


def claims(cfg: dict, results: Path, figures: Path) -> None:
    con, val, p = cfg["construction"], cfg["validation"], cfg["depth"]
    n_cells, depths = len(grid_cells(con["grid"])), p["depths"]
    tables = [
        read_table(results / "construction.csv", ["D", "K", "L", "counted", "noise_band"], rows=n_cells),
        read_table(results / "validation.csv", ["check", "holds"], rows=n_checks(val)),
        read_table(results / "depth.csv", CELL_COLUMNS, rows=2 * p["n_seeds"] * len(depths), values={"L": depths}),
        read_table(
            results / "depth_summary.csv", ["L", "montufar_lower_bound"], rows=len(depths), values={"L": depths}
        ),
    ]
    write_table(claim_rows(*tables, p), results / "claims.csv")


RUNS = {
    "construction": construction,
    "validation": validation,
    "depth_cell": depth_cell,
    "depth": depth,
    "maps": maps,
    "claims": claims,
}
STEPS = {name: Step(run, plan.CELLS[name]) for name, run in RUNS.items()}

if __name__ == "__main__":
    cli(STEPS)
