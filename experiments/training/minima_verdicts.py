"""C18's tables and rows: clusters of the final losses of the runs that count (converged, or
in the zero-loss valley), what kind of end point each cluster is, and the spread of the
final losses with 95% intervals."""

import numpy as np
import pandas as pd

from experiments import claims, stats
from experiments.training import nonconvex
from experiments.training.minima import COUNTED, NORM_TOL, STATIONARY_TOL

CLUSTER_COLUMNS = [
    "cluster",
    "n_seeds",
    "fraction",
    "fraction_lo",
    "fraction_hi",
    "loss_min",
    "loss_median",
    "loss_lo",
    "loss_hi",
    "loss_max",
    "kind",
    "stationarity",
    "norm_change",
    "grad_norm",
    "counted",
]
MIN_COUNTED = 10  # fewer counted runs decide nothing
SPREAD = 0.05  # the 90th percentile must exceed the 10th by more than this (relative), by their intervals


def counted(final: pd.DataFrame) -> pd.DataFrame:
    return final[final["outcome"].isin(COUNTED)]


def clusters(final: pd.DataFrame, gap_decades: float, min_seeds: int) -> pd.DataFrame:
    """Clusters of the counted runs' sorted log10 final losses, split at gaps > gap_decades,
    lowest first, each with its share of all seeds (95% interval), its median loss (95%
    interval), its end points' kind (most common outcome) and how far they still move. A
    cluster with fewer than `min_seeds` runs is listed but not counted as a distinct end point."""
    d = counted(final).sort_values("train_loss", kind="stable")
    L = d["train_loss"].to_numpy()
    jumps = L[1:] / L[:-1] > 10.0**gap_decades  # a ratio, not a log: the same bits on every CPU
    labels = np.concatenate([[0], np.cumsum(jumps)]) if len(d) else np.array([], int)
    rows = []
    for k in np.unique(labels):
        c = d[labels == k]
        share, loss = stats.fraction(len(c), len(final)), stats.median(c["train_loss"])
        rows.append(
            {
                "cluster": int(k),
                "n_seeds": len(c),
                "fraction": share.value,
                "fraction_lo": share.lo,
                "fraction_hi": share.hi,
                "loss_min": c["train_loss"].min(),
                "loss_median": loss.value,
                "loss_lo": loss.lo,
                "loss_hi": loss.hi,
                "loss_max": c["train_loss"].max(),
                "kind": c["outcome"].mode().iloc[0],
                "stationarity": c["stationarity"].median(),
                "norm_change": c["norm_change"].median(),
                "grad_norm": c["grad_norm"].median(),
                "counted": len(c) >= min_seeds,
            }
        )
    return pd.DataFrame(rows, columns=CLUSTER_COLUMNS)


def spread(final: pd.DataFrame) -> tuple[stats.Estimate, stats.Estimate, bool]:
    """(10th, 90th percentile of the counted runs' final loss, whether the 90th lies above
    the 10th by more than SPREAD by their intervals)."""
    loss = counted(final)["train_loss"]
    if len(loss) < MIN_COUNTED:
        nan = stats.Estimate(np.nan, np.nan, np.nan)
        return nan, nan, False
    q10, q90 = stats.quantile(loss, 0.1), stats.quantile(loss, 0.9)
    return q10, q90, bool(q90.lo > (1 + SPREAD) * q10.hi)


def setup(cfg: dict, n: int) -> str:
    batch = cfg["batch_size"] or "full"
    return (
        f"{cfg['task']}: {cfg['hidden_sizes']} {cfg['activation']}/{cfg['output']} {cfg['loss']}, {cfg['init']} "
        f"init, lr {cfg['lr']}, batch {batch}, {cfg['epochs']} epochs, {n} seeds"
    )


def describe(table: pd.DataFrame) -> str:
    """'238 seeds (0.79 [0.74, 0.84]) at 0.0053 [0.0052, 0.0054], zero-loss valley; ...'."""
    return "; ".join(
        f"{c.n_seeds} seed(s) ({c.fraction:.2f} [{c.fraction_lo:.2f}, {c.fraction_hi:.2f}]) at loss "
        f"{c.loss_median:.3g} [{c.loss_lo:.3g}, {c.loss_hi:.3g}], {c.kind} (||theta|| {c.norm_change:+.2%} over the "
        f"last 10%){'' if c.counted else ', a straggler'}"
        for c in table.itertuples()
    )


def outcomes_row(final: pd.DataFrame, table: pd.DataFrame, cfg: dict) -> dict:
    q10, q90, spreads = spread(final)
    counts = final["outcome"].value_counts()
    n_counted = int(counts.reindex(list(COUNTED), fill_value=0).sum())
    zero = stats.fraction(int(counts.get(COUNTED[0], 0)), len(final))
    measured = (
        f"{setup(cfg, len(final))}; {n_counted} runs count ("
        + ", ".join(f"{n} {k}" for k, n in counts.items())
        + f"); clusters of their final loss: {describe(table)}; 10th / 90th percentile of the counted runs' final "
        f"loss {q10.fmt()} / {q90.fmt()}"
    )
    if cfg["task"] == "xor":
        measured += f"; share in the zero-loss valley (all 4 points correct) {zero.fmt('.2f')}"
    return claims.row(
        "C18",
        measured,
        f"at least {MIN_COUNTED} runs count (all training points correct: in the zero-loss valley; or training loss "
        f"moved < {STATIONARY_TOL:g} relative over the last 10% of the budget; a settled run whose ||theta|| still "
        f"grows > {NORM_TOL:g} is reported as a valley), and their final losses spread: the 90th percentile above "
        f"the 10th by more than {SPREAD:.0%} (95% intervals)",
        claims.verdict(n_counted >= MIN_COUNTED and spreads),
        f"results/training/minima_{cfg['task']}.csv; results/training/minima_{cfg['task']}_clusters.csv; "
        f"figures/training/minima_{cfg['task']}.png",
    )


def midpoint_row(mids: dict[str, pd.DataFrame]) -> dict:
    """Across tasks: permuted solutions keep the loss and their midpoints' loss is higher."""
    parts, changed, found = [], 0, 0
    for task, t in mids.items():
        n, off, higher = nonconvex.witnesses(t)
        if not n:
            parts.append(f"{task}: no counted runs")
            continue
        ratio, share = stats.median(t["loss_midpoint"] / t["loss"]), stats.fraction(higher, n)
        parts.append(
            f"{task}: {n} counted runs, the permutation changed the loss in {off}; midpoint loss above L(theta) "
            f"by > {nonconvex.MARGIN:.0%} in {higher} ({share.fmt('.2f')}), median L(mid) / L(theta) {ratio.fmt()}"
        )
        changed, found = changed + off, found + higher
    return claims.row(
        "C18",
        "direct test: theta' = theta with hidden units 0 and 1 of the first layer swapped; " + "; ".join(parts),
        f"every permuted solution has the same loss (relative difference < {nonconvex.SAME_TOL:g}) and at least one "
        "midpoint (theta + theta')/2 has a higher loss than theta (a convex loss cannot: L(mid) <= (L(theta) + "
        "L(theta'))/2 = L(theta))",
        claims.verdict(changed == 0 and found > 0),
        "; ".join(f"results/training/minima_{task}_midpoints.csv" for task in mids),
    )
