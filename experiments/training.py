"""Training (C14, C15, C18): the steps the pipeline runs, and the family's claim rows.

The experiments live in `l2_sweep` (C14, the regulariser), `sgd_noise` (C15, mini-batch
gradient noise and loss curves) and `nonconvex` (C18, the spread of final losses over
seeds); this module turns their DataFrames into tables, figures and verdicts.
"""

from pathlib import Path

import pandas as pd

from experiments import claims, l2_sweep, nonconvex, sgd_noise
from experiments.io import cli, write_figure, write_table

R = "results/training"
F = "figures/training"


def l2_cell(params: dict, results: Path, figures: Path) -> None:
    """One lambda of the L2 sweep (params: the l2 block plus `lam`)."""
    write_table(l2_sweep.l2_cell(params, params["lam"]), results / "l2" / f"lam_{l2_sweep.lam_name(params['lam'])}.csv")


def l2_summary(params: dict, results: Path, figures: Path) -> None:
    """Aggregate the lambda cells named by the config (params: the l2 block)."""
    cells = pd.concat(
        [pd.read_csv(results / "l2" / f"lam_{l2_sweep.lam_name(lam)}.csv") for lam in params["lambdas"]],
        ignore_index=True,
    )
    summary = l2_sweep.summarise(cells)
    write_table(summary, results / "l2_summary.csv")
    write_figure(l2_sweep.plot_l2(summary, params), figures / "l2_sweep.png")


def sgd_gradients(params: dict, results: Path, figures: Path) -> None:
    """C15 (a) running mean of mini-batch gradients, (b) their variance vs B."""
    net, theta, data = sgd_noise.problem(params)
    G = sgd_noise.per_example_grads(net, theta, data.X_train, data.Y_train)
    running, variance = sgd_noise.running_mean(params, G), sgd_noise.batch_variance(params, G)
    write_table(running, results / "sgd_running_mean.csv")
    write_table(variance, results / "sgd_variance.csv")
    write_figure(sgd_noise.plot_gradient_noise(running, variance), figures / "sgd_gradient_noise.png")


def sgd_curves(params: dict, results: Path, figures: Path) -> None:
    """C15 (c) loss curves of GD, SGD and mini-batch SGD at equal budget."""
    curves = sgd_noise.loss_curves(params)
    write_table(curves, results / "sgd_curves.csv")
    write_figure(sgd_noise.plot_curves(curves), figures / "sgd_curves.png")


def minima(params: dict, results: Path, figures: Path) -> None:
    """C18 for one task (params: the task's block plus `task` and `gap_decades`)."""
    final = nonconvex.final_losses(params)
    table = nonconvex.clusters(final, params["gap_decades"], params["min_seeds"])
    write_table(final, results / f"minima_{params['task']}.csv")
    write_table(table, results / f"minima_{params['task']}_clusters.csv")
    write_figure(nonconvex.plot_minima(final, table, params), figures / f"minima_{params['task']}.png")


def c14_row(summary: pd.DataFrame) -> dict:
    falls, shrinks = l2_sweep.verdict_parts(summary)
    s = summary.sort_values("lam")
    top = s.tail(l2_sweep.N_LARGEST)
    best = s.loc[s["test_loss"].idxmin()]
    return claims.row(
        "C14",
        f"mean over {int(s['n_seeds'].iloc[0])} seeds per lambda: Omega "
        + ", ".join(f"{o:.3g}" for o in s["omega"])
        + " at lambda = "
        + ", ".join(f"{v:g}" for v in s["lam"])
        + "; gap test - train "
        + ", ".join(f"{g:.3f}" for g in s["gap"])
        + "; at the largest lambdas "
        + ", ".join(
            f"paired change {c:+.3f} +- {e:.3f} s.e. at lambda = {v:g}"
            for v, c, e in zip(top["lam"], top["gap_change"], top["gap_change_se"])
        )
        + f" (there train/test accuracy {top['train_acc'].iloc[-1]:.3f}/{top['test_acc'].iloc[-1]:.3f})"
        + f"; lowest test loss {best['test_loss']:.3f} at lambda = {best['lam']:g}",
        f"mean Omega strictly decreasing over the lambda grid, and at each of the {l2_sweep.N_LARGEST} largest lambdas "
        f"the gap is below the lambda = min gap by more than {l2_sweep.N_SE:g} s.e. of the paired (same seed) difference;"
        " partly if only one holds",
        claims.verdict(falls and shrinks, falls or shrinks),
        f"{R}/l2_summary.csv; {F}/l2_sweep.png",
    )


def c15_row(running: pd.DataFrame, variance: pd.DataFrame, curves: pd.DataFrame) -> dict:
    s = sgd_noise.summary(running, variance, curves)
    holds, partly = sgd_noise.claim_holds(s)
    N = int(variance["N"].iloc[0])
    lo, hi = sgd_noise.MEAN_SLOPE
    vlo, vhi = sgd_noise.VAR_SLOPE
    return claims.row(
        "C15",
        "(a) running-mean error slope "
        + ", ".join(f"{v:.3f} (B = {B})" for B, v in s["mean_slopes"].items())
        + f"; (b) variance slope {s['var_slope']:.3f} with replacement (max deviation from var_1/B "
        f"{s['wr_dev']:.1%}), without replacement max deviation from var_1/B (N-B)/(N-1) {s['wo_dev']:.1%}, "
        f"variance at B = N = {N}: {s['full_var']:.2g}; (c) median final train loss after equal budget: "
        + ", ".join(f"{m} {v:.3f}" for m, v in s["final_loss"].items())
        + "; fraction of epochs where the loss rose: "
        + ", ".join(f"{m} {v:.2f}" for m, v in s["rises"].items()),
        f"(a) slopes in [{lo}, {hi}] (theory -1/2); (b) slope in [{vlo}, {vhi}] and both formulas within "
        f"{sgd_noise.FORMULA_TOL:.0%}; (c) every SGD variant ends below full-batch GD at equal gradient evaluations; "
        "partly if some of (a)-(c) hold",
        claims.verdict(holds, partly),
        f"{R}/sgd_running_mean.csv; {R}/sgd_variance.csv; {R}/sgd_curves.csv; {F}/sgd_gradient_noise.png; "
        f"{F}/sgd_curves.png",
    )


def c18_rows(finals: dict, tables: dict, cfg: dict) -> list[dict]:
    rows = []
    gap = cfg["gap_decades"]
    for task in sorted(finals):
        final, table = finals[task], tables[task]
        k = int(table["counted"].sum())
        spread = final["train_loss"].quantile(0.9) / final["train_loss"].quantile(0.1)
        desc = ", ".join(
            f"{c.n_seeds} seed(s) at {c.loss_min:.3g}-{c.loss_max:.3g}" + ("" if c.counted else " (straggler)")
            for c in table.itertuples()
        )
        t = cfg[task]
        setup = (
            f"{task}: {t['hidden_sizes']} {t['activation']}/{t['output']} {t['loss']}, {t['init']} init, "
            f"lr {t['lr']}, batch {t['batch_size'] or 'full'}, {t['epochs']} epochs, {len(final)} seeds; "
        )
        if task == "xor":
            frac = nonconvex.global_fraction(final, cfg["near_zero"])
            rows.append(
                claims.row(
                    "C18",
                    setup + f"{k} clusters of final loss ({desc}); {frac:.1%} of seeds at the global minimum "
                    f"(loss < {cfg['near_zero']:g}, 4/4 correct)",
                    f"at least 2 clusters (gap > {gap:g} decades in sorted log10 loss, >= {cfg['min_seeds']} seeds) and 0 < fraction at the global "
                    "minimum < 1; partly if the losses spread (q90/q10 >= 1.1) without distinct clusters",
                    claims.verdict(k >= 2 and 0 < frac < 1, spread >= 1.1),
                    f"{R}/minima_xor_clusters.csv; {F}/minima_xor.png",
                )
            )
        else:
            rows.append(
                claims.row(
                    "C18",
                    setup + f"{k} cluster(s) of final loss ({desc}); q90/q10 of the final loss {spread:.3f}",
                    f"at least 2 clusters (gap > {gap:g} decades in sorted log10 loss, >= {cfg['min_seeds']} seeds); partly if the final losses only "
                    "spread (q90/q10 >= 1.1) without distinct clusters at this budget",
                    claims.verdict(k >= 2, spread >= 1.1),
                    f"{R}/minima_{task}_clusters.csv; {F}/minima_{task}.png",
                )
            )
    return rows


def claim_rows(params: dict, results: Path, figures: Path) -> None:
    """The family's verdict rows from the tables the other steps wrote."""
    rd = pd.read_csv
    tasks = [t for t in ("spiral", "xor") if t in params["minima"]]
    rows = [
        c14_row(rd(results / "l2_summary.csv")),
        c15_row(rd(results / "sgd_running_mean.csv"), rd(results / "sgd_variance.csv"), rd(results / "sgd_curves.csv")),
        *c18_rows(
            {t: rd(results / f"minima_{t}.csv") for t in tasks},
            {t: rd(results / f"minima_{t}_clusters.csv") for t in tasks},
            params["minima"],
        ),
    ]
    write_table(pd.DataFrame(rows), results / "claims.csv")


if __name__ == "__main__":
    cli(
        {
            "l2_cell": l2_cell,
            "l2_summary": l2_summary,
            "sgd_gradients": sgd_gradients,
            "sgd_curves": sgd_curves,
            "minima": minima,
            "claims": claim_rows,
        }
    )
