"""Steps of the training family (`python -m experiments.training STEP`)."""

from pathlib import Path

import pandas as pd

from experiments.cli import Step, cli
from experiments.io import write_figure, write_table
from experiments.training import figures, l2, minima, plan, sgd, verdicts


def l2_cell(cfg: dict, results: Path, figures_dir: Path) -> None:
    """C14: one lambda of the L2 sweep, its seeds trained together."""
    write_table(l2.l2_cell(cfg, cfg["lam"]), results / "l2" / f"lam_{plan.lam_name(cfg['lam'])}.csv")


def l2_summary(cfg: dict, results: Path, figures_dir: Path) -> None:
    """C14: aggregate the lambda cells named by the config."""
    cells = pd.concat(
        [pd.read_csv(results / "l2" / f"lam_{plan.lam_name(lam)}.csv") for lam in cfg["lambdas"]],
        ignore_index=True,
    )
    summary = l2.summarise(cells)
    write_table(summary, results / "l2_summary.csv")
    write_figure(figures.plot_l2(summary, cfg), figures_dir / "l2_sweep.png")


def sgd_gradients(cfg: dict, results: Path, figures_dir: Path) -> None:
    """C15 (a) running mean of mini-batch gradients, (b) their variance vs B."""
    net, theta, data = sgd.problem(cfg)
    G = sgd.per_example_grads(net, theta, data.X_train, data.Y_train)
    running, variance = sgd.running_mean(cfg, G), sgd.batch_variance(cfg, G)
    write_table(running, results / "sgd_running_mean.csv")
    write_table(variance, results / "sgd_variance.csv")
    write_figure(figures.plot_gradient_noise(running, variance), figures_dir / "sgd_gradient_noise.png")


def sgd_curves(cfg: dict, results: Path, figures_dir: Path) -> None:
    """C15 (c) loss curves of GD, SGD and mini-batch SGD at equal budget."""
    curves = sgd.loss_curves(cfg)
    write_table(curves, results / "sgd_curves.csv")
    write_figure(figures.plot_curves(curves), figures_dir / "sgd_curves.png")


def minima_task(cfg: dict, results: Path, figures_dir: Path) -> None:
    """C18 for one task: final training loss over many initial weights, clustered."""
    final = minima.final_losses(cfg)
    table = minima.clusters(final, cfg["gap_decades"], cfg["min_seeds"])
    write_table(final, results / f"minima_{cfg['task']}.csv")
    write_table(table, results / f"minima_{cfg['task']}_clusters.csv")
    write_figure(figures.plot_minima(final, table, cfg), figures_dir / f"minima_{cfg['task']}.png")


def claim_rows(cfg: dict, results: Path, figures_dir: Path) -> None:
    """The family's verdict rows from the tables the other steps wrote."""
    rd = pd.read_csv
    tasks = [t for t in ("spiral", "xor") if t in cfg["minima"]]
    rows = [
        verdicts.c14_row(rd(results / "l2_summary.csv")),
        verdicts.c15_row(
            rd(results / "sgd_running_mean.csv"), rd(results / "sgd_variance.csv"), rd(results / "sgd_curves.csv")
        ),
        *verdicts.c18_rows(
            {t: rd(results / f"minima_{t}.csv") for t in tasks},
            {t: rd(results / f"minima_{t}_clusters.csv") for t in tasks},
            cfg["minima"],
        ),
    ]
    write_table(pd.DataFrame(rows), results / "claims.csv")


STEPS = {
    "l2_cell": Step(l2_cell, plan.l2_cells),
    "l2_summary": Step(l2_summary, plan.l2_summary),
    "sgd_gradients": Step(sgd_gradients, plan.sgd),
    "sgd_curves": Step(sgd_curves, plan.sgd),
    "minima": Step(minima_task, plan.minima_cells),
    "claims": Step(claim_rows, plan.claims),
}

if __name__ == "__main__":
    cli(STEPS)
