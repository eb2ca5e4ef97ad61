"""The training family's claim rows (C14, C15, C18), computed from its tables."""

import pandas as pd

from experiments import claims
from experiments.training import l2, minima, sgd

R = "results/training"
F = "figures/training"


def c14_row(summary: pd.DataFrame) -> dict:
    falls, shrinks = l2.verdict_parts(summary)
    s = summary.sort_values("lam")
    top = s.tail(l2.N_LARGEST)
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
        f"mean Omega strictly decreasing over the lambda grid, and at each of the {l2.N_LARGEST} largest lambdas "
        f"the gap is below the lambda = min gap by more than {l2.N_SE:g} s.e. of the paired (same seed) difference;"
        " partly if only one holds",
        claims.verdict(falls and shrinks, falls or shrinks),
        f"{R}/l2_summary.csv; {F}/l2_sweep.png",
    )


def c15_row(running: pd.DataFrame, variance: pd.DataFrame, curves: pd.DataFrame) -> dict:
    s = sgd.summary(running, variance, curves)
    holds, partly = sgd.claim_holds(s)
    N = int(variance["N"].iloc[0])
    lo, hi = sgd.MEAN_SLOPE
    vlo, vhi = sgd.VAR_SLOPE
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
        f"{sgd.FORMULA_TOL:.0%}; (c) every SGD variant ends below full-batch GD at equal gradient evaluations; "
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
            frac = minima.global_fraction(final, cfg["near_zero"])
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
