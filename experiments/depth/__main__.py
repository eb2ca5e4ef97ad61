"""Steps of the depth family (`python -m experiments.depth STEP`): kink (C22), cell (C23, one
job per activation), vanishing (C23's summaries, figures and rows) and claims (the family's
rows in one table)."""

from pathlib import Path

import pandas as pd

from experiments import claims as claim_table
from experiments.cli import Step, cli
from experiments.depth import plan
from experiments.depth.cells import layers_frame, members_frame, train_cell
from experiments.depth.figures import plot_gradients, plot_kink, plot_sparsity, plot_trainability
from experiments.depth.kink import one_sided
from experiments.depth.kink_runs import epochs_table, final_table, paired_table, run_traces, zeros_table
from experiments.depth.summary import gradient_summary, trainability
from experiments.depth.task import task_data
from experiments.depth.verdicts_depth import MIN_MEDIAN, depth_rows
from experiments.depth.verdicts_kink import kink_rows
from experiments.io import read_table, write_figure, write_table
from experiments.progress import progress

MEMBER_COLUMNS = ["activation", "init", "depth", "seed", "slope_delta", "slope_weight", "dead_layers_init"]
MEMBER_COLUMNS += ["loss", "last_change", "acc", "diverged", "status", "reached", "zero_init", "zero_trained"]
LAYER_COLUMNS = ["activation", "init", "depth", "layer", "dead", "log10_delta_median", "counted", "zero_trained_lo"]


def kink(cfg: dict, results: Path, figures: Path) -> None:
    """C22: exact zeros during training and the conventions relu'(0) = 0, 1/2, 1 on the same seeds."""
    out = run_traces(cfg)
    traces, seed0 = out["traces"], cfg["seed"]
    deriv = pd.DataFrame(one_sided())
    zeros, epochs = zeros_table(traces, out["origin"], seed0), epochs_table(traces)
    final = final_table(traces, seed0, cfg["stationary_tol"], cfg["task"]["bar"])
    paired = paired_table(final)
    for name, table in [
        ("derivative", deriv),
        ("zeros", zeros),
        ("epochs", epochs),
        ("final", final),
        ("paired", paired),
    ]:
        write_table(table, results / f"kink_{name}.csv")
    write_table(kink_rows(deriv, zeros, paired), results / "claims_kink.csv")
    write_figure(plot_kink(epochs, final), figures / "kink.png")


def cell(cfg: dict, results: Path, figures: Path) -> None:
    """C23, one activation: every (initialisation, depth) cell, its seeds one ensemble."""
    data = task_data(cfg["dataset"], cfg["noise"], cfg["seed"])
    members, layers = [], []
    for scheme, depth in progress([(s, L) for s in cfg["inits"] for L in cfg["depths"]], f"{cfg['activation']} cells"):
        c = train_cell(cfg, scheme, depth, data)
        members.append(members_frame(cfg, scheme, depth, c))
        layers.append(layers_frame(cfg, scheme, depth, c))
    write_table(pd.concat(members, ignore_index=True), results / "cells" / f"{cfg['activation']}_members.csv")
    write_table(pd.concat(layers, ignore_index=True), results / "cells" / f"{cfg['activation']}_layers.csv")


def read_cells(cfg: dict, results: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every activation's member and layer tables, each checked to hold its whole sweep."""
    seeds = range(cfg["seed"], cfg["seed"] + cfg["seeds"])
    n_cells, n_layers = len(cfg["inits"]) * len(cfg["depths"]), len(cfg["inits"]) * sum(cfg["depths"])
    members, layers = [], []
    for g in cfg["activations"]:
        values = {"activation": [g], "init": cfg["inits"], "depth": cfg["depths"]}
        path = results / "cells" / f"{g}_members.csv"
        members.append(read_table(path, MEMBER_COLUMNS, rows=n_cells * len(seeds), values={**values, "seed": seeds}))
        layers.append(read_table(results / "cells" / f"{g}_layers.csv", LAYER_COLUMNS, rows=n_layers, values=values))
    return pd.concat(members, ignore_index=True), pd.concat(layers, ignore_index=True)


def vanishing(cfg: dict, results: Path, figures: Path) -> None:
    """C23: gradient slopes, trainability and sparsity from the cells, with rows and figures."""
    members, layers = read_cells(cfg, results)
    grad, train = gradient_summary(members), trainability(members)
    for name, table in [("members", members), ("layers", layers), ("gradients", grad), ("trainability", train)]:
        write_table(table, results / f"{name}.csv")
    write_table(depth_rows(grad, train, layers, cfg), results / "claims_vanishing.csv")
    write_figure(plot_gradients(layers, grad, cfg["figure_depth"]), figures / "gradients.png")
    write_figure(plot_trainability(train, cfg["bar"], cfg["epochs"]), figures / "trainability.png")
    write_figure(plot_sparsity(layers, cfg["sparse_threshold"], MIN_MEDIAN), figures / "sparsity.png")


def claims(cfg: dict, results: Path, figures: Path) -> None:
    """The family's claim parts (plan.CLAIM_PARTS) in one claims.csv."""
    write_table(claim_table.concat_parts(results / p for p in plan.CLAIM_PARTS), results / "claims.csv")


RUNS = {"kink": kink, "cell": cell, "vanishing": vanishing, "claims": claims}
STEPS = {name: Step(run, plan.CELLS[name]) for name, run in RUNS.items()}

if __name__ == "__main__":
    cli(STEPS)
