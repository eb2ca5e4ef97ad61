"""Steps of the training family (`python -m experiments.training STEP`)."""

from pathlib import Path

import pandas as pd

from experiments.cli import Step, cli
from experiments.io import read_table, write_figure, write_table
from experiments.training import (
    curves,
    gradients,
    l2,
    l2_figure,
    l2_verdicts,
    minima,
    minima_figure,
    minima_verdicts,
    nonconvex,
    plan,
    sgd_figures,
)
from mlp.params import pick


def l2_cell(cfg: dict, results: Path, figures_dir: Path) -> None:
    """C14, C26: one lambda of the L2 sweep, its seeds trained together."""
    write_table(l2.l2_cell(cfg), results / "l2" / f"lam_{plan.lam_name(cfg['lam'])}.csv")


def read_l2_cells(results: Path, cfg: dict) -> pd.DataFrame:
    """Every lambda cell the config names, checked (columns, one row per seed)."""
    return pd.concat(
        [
            read_table(
                results / "l2" / f"lam_{plan.lam_name(lam)}.csv",
                l2.CELL_COLUMNS,
                rows=cfg["n_seeds"],
                values={"seed": range(cfg["n_seeds"]), "lam": [lam]},
            )
            for lam in cfg["lambdas"]
        ],
        ignore_index=True,
    )


def l2_summary(cfg: dict, results: Path, figures_dir: Path) -> None:
    """C14, C26: per-lambda summary, the choices on validation data, the figure."""
    cells = read_l2_cells(results, cfg)
    summary, sel = l2_verdicts.summarise(cells), l2_verdicts.selection(cells)
    write_table(summary, results / "l2_summary.csv")
    write_table(sel, results / "l2_selection.csv")
    write_figure(l2_figure.plot_l2(summary, sel, l2_verdicts.pooled_choice(summary), cfg), figures_dir / "l2_sweep.png")


def sgd_gradients(cfg: dict, results: Path, figures_dir: Path) -> None:
    """C15 (a) running mean of mini-batch gradients, (b) their variance vs B."""
    net, theta, data = gradients.problem(cfg)
    G = gradients.per_example_grads(net, theta, data.X_train, data.Y_train)
    running, variance = gradients.running_mean(cfg, G), gradients.batch_variance(cfg, G)
    write_table(running, results / "sgd_running_mean.csv")
    write_table(variance, results / "sgd_variance.csv")
    write_figure(sgd_figures.plot_gradient_noise(running, variance), figures_dir / "sgd_gradient_noise.png")


def sgd_tune(cfg: dict, results: Path, figures_dir: Path) -> None:
    """C15 (c) one batch size: its learning rate tuned, then its loss curves at that rate."""
    tuning, curve = curves.cell(cfg)
    write_table(tuning, results / "sgd" / f"tune_B{cfg['batch_size']}.csv")
    write_table(curve, results / "sgd" / f"curves_B{cfg['batch_size']}.csv")


def read_sgd_cells(results: Path, cfg: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(tuning, curves) of every batch size the config names, checked."""
    sizes = plan.curve_batch_sizes(cfg)
    epochs, seeds = range(cfg["curve_epochs"] + 1), range(cfg["curve_seeds"])
    tuning = [
        read_table(
            results / "sgd" / f"tune_B{B}.csv",
            ["lr", "train_loss", "n_diverged", "chosen"],
            rows=len(cfg["curve_lrs"]),
            values={"lr": cfg["curve_lrs"]},
        )
        for B in sizes
    ]
    curve = [
        read_table(
            results / "sgd" / f"curves_B{B}.csv",
            ["method", "lr", "seed", "epoch", "train_loss"],
            rows=len(epochs) * len(seeds),
            values={"seed": seeds, "epoch": epochs, "batch_size": [B]},
        )
        for B in sizes
    ]
    return pd.concat(tuning, ignore_index=True), pd.concat(curve, ignore_index=True)


def sgd_curves(cfg: dict, results: Path, figures_dir: Path) -> None:
    """C15 (c) the batch sizes' curves and tuning in one table each, and the figure."""
    tuning, curve = read_sgd_cells(results, cfg)
    write_table(tuning, results / "sgd_tuning.csv")
    write_table(curve, results / "sgd_curves.csv")
    write_figure(sgd_figures.plot_curves(curve, tuning), figures_dir / "sgd_curves.png")


def minima_task(cfg: dict, results: Path, figures_dir: Path) -> None:
    """C18 for one task: final training loss over many initial weights, its outcomes and
    clusters, and the midpoints of the counted solutions and their permutations."""
    final, params = minima.final_losses(cfg)
    table = minima_verdicts.clusters(final, cfg["gap_decades"], cfg["min_seeds"])
    net = minima.task_net(cfg)
    data = minima.task_data(cfg, net)
    keep = final["outcome"].isin(minima.COUNTED).to_numpy()
    mids = nonconvex.midpoint_losses(net, pick(params, keep), data.X_train, data.Y_train)
    mids.insert(0, "seed", final["seed"].to_numpy()[keep])
    name = f"minima_{cfg['task']}"
    write_table(final, results / f"{name}.csv")
    write_table(table, results / f"{name}_clusters.csv")
    write_table(mids, results / f"{name}_midpoints.csv")
    write_figure(minima_figure.plot_minima(final, table, mids, cfg), figures_dir / f"{name}.png")


def claim_rows(cfg: dict, results: Path, figures_dir: Path) -> None:
    """The family's verdict rows (C14, C15, C18, C26) from the tables the other steps wrote."""
    l2c, sgd = cfg["l2"], cfg["sgd"]
    cells = read_l2_cells(results, l2c)
    n = len(l2c["lambdas"])
    summary = read_table(
        results / "l2_summary.csv", ["lam", "val_loss", "collapsed"], rows=n, values={"lam": l2c["lambdas"]}
    )
    sel = read_table(results / "l2_selection.csv", ["seed", "lam", "counted"], rows=l2c["n_seeds"])
    running = read_table(
        results / "sgd_running_mean.csv",
        ["batch_size", "draws", "rel_error"],
        values={"batch_size": sgd["mean_batch_sizes"]},
    )
    variance = read_table(
        results / "sgd_variance.csv",
        ["replace", "batch_size", "N", "var_measured", "var_formula"],
        rows=2 * len(sgd["var_batch_sizes"]),
        values={"batch_size": sgd["var_batch_sizes"]},
    )
    tuning, curve = read_sgd_cells(results, sgd)
    rows = [
        l2_verdicts.c14_row(cells, summary),
        l2_verdicts.c26_row(cells, sel, l2c["val_pct"]),
        gradients.unbiased_row(running),
        gradients.variance_row(variance),
        curves.curves_row(curve, tuning),
    ]
    mids = {}
    for task, tcfg in plan.minima_cells(cfg).items():
        name = f"minima_{task}"
        final = read_table(
            results / f"{name}.csv", minima.COLUMNS, rows=tcfg["n_seeds"], values={"seed": range(tcfg["n_seeds"])}
        )
        table = read_table(results / f"{name}_clusters.csv", ["cluster", "n_seeds", "kind", "counted"])
        mids[task] = read_table(results / f"{name}_midpoints.csv", ["seed", "loss", "loss_permuted", "loss_midpoint"])
        rows.append(minima_verdicts.outcomes_row(final, table, tcfg))
    rows.append(minima_verdicts.midpoint_row(mids))
    write_table(pd.DataFrame(rows), results / "claims.csv")


STEPS = {
    "l2_cell": Step(l2_cell, plan.l2_cells),
    "l2_summary": Step(l2_summary, plan.l2_summary),
    "sgd_gradients": Step(sgd_gradients, plan.sgd_gradients),
    "sgd_tune": Step(sgd_tune, plan.sgd_tune_cells),
    "sgd_curves": Step(sgd_curves, plan.sgd_curves),
    "minima": Step(minima_task, plan.minima_cells),
    "claims": Step(claim_rows, plan.claims),
}

if __name__ == "__main__":
    cli(STEPS)
