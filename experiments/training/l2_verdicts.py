"""C14 and C26 from the lambda cells: per-lambda summaries, the choice of lambda on
validation data, paired comparisons with lambda = 0, and the two claim rows.

Choices use validation losses only. C14 takes one lambda for the whole experiment (the
lowest median validation loss over seeds) and asks whether the regulariser, there,
controls fitting: Omega lower, training loss higher and test loss lower than at
lambda = 0 on the same seeds. C26 lets every seed choose its own lambda on its own
validation points (what a practitioner does with one data set) and asks whether the
chosen lambda beats lambda = 0 on the test points.

Convergence: a run counts if its training loss moved by less than STATIONARY_TOL
(relative) over the last 10% of the budget. At lambda = 0 the objective of this task has
no finite minimiser (tanh outputs fit noisy +-1 labels only as the weights grow), so a
lambda = 0 run also counts if its test loss did not fall over the last 10% of the budget:
training it longer would not narrow the gap. The collapse region (outputs constant over
the test inputs) is shown but never counts as an interior optimum.
"""

from typing import NamedTuple

import numpy as np
import pandas as pd

from experiments import claims, stats

STATIONARY_TOL = 0.01  # relative change of the training loss over the last 10% of the budget
COLLAPSE_STD = 0.05  # median spread of the output over the test inputs below this: a constant net
MIN_PAIRS = 6  # fewer counted seeds cannot give a sign test below 5%
MEASURES = ("omega", "train_loss", "val_loss", "test_loss", "out_std")
EVIDENCE = "results/training/l2_summary.csv; results/training/l2_selection.csv; figures/training/l2_sweep.png"


def settled(cells: pd.DataFrame) -> pd.Series:
    """Runs whose outcome counts: stationary, or (at lambda = 0) no longer improving on test."""
    stationary = cells["stationarity"] < STATIONARY_TOL
    return ~cells["diverged"] & (stationary | ((cells["lam"] == 0) & (cells["test_change"] >= 0)))


def wide(cells: pd.DataFrame, column: str) -> pd.DataFrame:
    """`column` as a seed x lambda table."""
    return cells.pivot(index="seed", columns="lam", values=column)


def counted(cells: pd.DataFrame) -> pd.DataFrame:
    """Whether each run settled, as a seed x lambda table."""
    return wide(cells.assign(counted=settled(cells)), "counted").astype(bool)


def median(values) -> stats.Estimate:
    """stats.median, NaN when no value is finite (every run of a lambda diverged)."""
    finite = np.isfinite(np.asarray(values, dtype=float))
    return stats.median(values) if finite.any() else stats.Estimate(np.nan, np.nan, np.nan)


def at(table: pd.DataFrame, lam_of_seed: pd.Series) -> np.ndarray:
    """table[seed, lambda of that seed] for every seed of `lam_of_seed`."""
    rows, cols = table.index.get_indexer(lam_of_seed.index), table.columns.get_indexer(lam_of_seed.to_numpy())
    return table.to_numpy()[rows, cols]


def vs_zero(cells: pd.DataFrame, lam_of_seed: pd.Series, column: str) -> stats.Paired:
    """`column` at each seed's lambda vs at lambda = 0, paired, over seeds where both settled."""
    ok = counted(cells)
    zero = pd.Series(0.0, index=lam_of_seed.index)
    both = at(ok, lam_of_seed) & at(ok, zero)
    values = wide(cells, column)
    return stats.paired(at(values, lam_of_seed)[both], at(values, zero)[both])


def summarise(cells: pd.DataFrame) -> pd.DataFrame:
    """Per lambda: medians with 95% intervals, counts of diverged and settled runs, whether
    the nets collapsed, and the paired test-loss difference to lambda = 0 (same seeds)."""
    rows = []
    ok = settled(cells)
    for lam, d in cells.groupby("lam"):
        row = {
            "lam": lam,
            "n_seeds": len(d),
            "n_diverged": int(d["diverged"].sum()),
            "n_settled": int(ok[d.index].sum()),
        }
        for col in MEASURES:
            row |= dict(zip((col, f"{col}_lo", f"{col}_hi"), median(d[col])))
        diff = vs_zero(cells, pd.Series(lam, index=d["seed"].to_numpy()), "test_loss")
        row |= dict(zip(("test_diff", "test_diff_lo", "test_diff_hi"), diff.median_diff))
        row |= {"n_paired": diff.n, "collapsed": row["out_std"] < COLLAPSE_STD}
        rows.append(row)
    return pd.DataFrame(rows)


def pooled_choice(summary: pd.DataFrame) -> float:
    """C14's lambda: the lowest median validation loss over seeds (ties: the smaller lambda)."""
    s = summary.sort_values("lam")
    return float(s["lam"].iloc[int(np.nanargmin(s["val_loss"].to_numpy()))])


def select_lambda(cells: pd.DataFrame) -> pd.Series:
    """C26: each seed's lambda, the one with its lowest validation loss (seed -> lambda)."""
    return wide(cells[~cells["diverged"]], "val_loss").idxmin(axis=1)


def selection(cells: pd.DataFrame) -> pd.DataFrame:
    """Per seed: the lambda chosen on validation data, its test loss next to lambda = 0's, and
    (shown, never used) what a choice on the test points would have picked."""
    chosen = select_lambda(cells)
    test, ok = wide(cells, "test_loss"), counted(cells)
    zero = pd.Series(0.0, index=chosen.index)
    on_test = test.idxmin(axis=1)[chosen.index]
    return pd.DataFrame(
        {
            "seed": chosen.index.to_numpy(),
            "lam": chosen.to_numpy(),
            "test_loss": at(test, chosen),
            "test_loss_zero": at(test, zero),
            "counted": at(ok, chosen) & at(ok, zero),
            "lam_on_test": on_test.to_numpy(),
            "test_loss_on_test": at(test, on_test),
        }
    )


class Choice(NamedTuple):
    """C14's numbers: the pooled choice and the paired differences to lambda = 0 there."""

    lam: float
    interior: bool
    collapse_from: float  # smallest lambda whose nets collapsed (inf: none)
    omega: stats.Paired
    train: stats.Paired
    test: stats.Paired


def c14_numbers(cells: pd.DataFrame, summary: pd.DataFrame) -> Choice:
    lam = pooled_choice(summary)
    s = summary.set_index("lam")
    collapsed = s.index[s["collapsed"].astype(bool)]
    interior = 0 < lam < s.index.max() and not s.loc[lam, "collapsed"]
    seeds = pd.Series(lam, index=sorted(cells["seed"].unique()))
    paired = [vs_zero(cells, seeds, col) for col in ("omega", "train_loss", "test_loss")]
    return Choice(lam, bool(interior), float(collapsed.min()) if len(collapsed) else np.inf, *paired)


def fmt_paired(p: stats.Paired, what: str) -> str:
    """'test loss -0.029 [-0.05, -0.016] (fraction of pairs lower 0.84 [0.6, 0.97], sign test p = 0.01)'."""
    return f"{what} {p.median_diff.fmt('+.3g')} (fraction of pairs lower {p.a_lower.fmt('.2f')}, sign test p = {p.p_value:.2g})"


def c14_row(cells: pd.DataFrame, summary: pd.DataFrame) -> dict:
    c = c14_numbers(cells, summary)
    below, above = c.omega.median_diff.hi < 0, c.train.median_diff.lo > 0
    better = c.test.n >= MIN_PAIRS and c.test.median_diff.hi < 0
    grid = ", ".join(f"{v:g}" for v in sorted(summary["lam"]))
    collapse = (
        f"nets constant from lambda = {c.collapse_from:g}, shown, not chosen"
        if np.isfinite(c.collapse_from)
        else "no lambda gives constant nets"
    )
    measured = (
        f"lambda* = {c.lam:g} (lowest median validation loss over {summary['n_seeds'].max()} seeds; grid {grid}; "
        f"{collapse}); at lambda* - at lambda = 0, median "
        f"paired difference over the {c.test.n} seeds where both runs settled: "
        + "; ".join(
            fmt_paired(p, w) for p, w in ((c.omega, "Omega"), (c.train, "training loss"), (c.test, "test loss"))
        )
    )
    return claims.row(
        "C14",
        measured,
        "lambda* (chosen on validation data) interior: 0 < lambda* < the largest lambda, nets not constant; there, "
        "paired by seed vs lambda = 0 (95% intervals of the median difference): Omega lower, training loss higher, "
        f"test loss lower (>= {MIN_PAIRS} settled pairs); partly if Omega falls and the training loss rises but the "
        "test loss is not lower or lambda* is not interior",
        claims.verdict(c.interior and below and above and better, below and above),
        EVIDENCE,
    )


def clean_choices(cells: pd.DataFrame, sel: pd.DataFrame) -> tuple[int, int]:
    """(seeds whose recorded lambda does not have their lowest validation loss, validation
    points that are also test points): both 0 when lambda was chosen on validation data."""
    val = wide(cells, "val_loss")
    chosen = pd.Series(sel["lam"].to_numpy(), index=sel["seed"].to_numpy())
    off = int(np.sum(at(val, chosen) > val.loc[chosen.index].min(axis=1).to_numpy()))
    return off, int(cells["val_in_test"].sum())


def c26_row(cells: pd.DataFrame, sel: pd.DataFrame, val_pct: int) -> dict:
    off, leaked = clean_choices(cells, sel)
    kept = sel[sel["counted"]]
    diff = stats.paired(kept["test_loss"], kept["test_loss_zero"])
    on_test, on_val = stats.median(sel["test_loss_on_test"]), stats.median(sel["test_loss"])
    picks = ", ".join(f"{lam:g} x{n}" for lam, n in sel["lam"].value_counts().sort_index().items())
    measured = (
        f"each of {len(sel)} seeds chose lambda on its own validation points (the last {val_pct}% of its training "
        f"points; {leaked} of them test points; {off} choices not at the lowest validation loss): {picks}; "
        f"test loss at the chosen lambda - at lambda = 0 over the {diff.n} seeds where both runs settled: "
        + fmt_paired(diff, "median")
        + f"; a choice on the test points would have reported median test loss {on_test.fmt()} "
        f"(vs {on_val.fmt()} at the validation choice: the optimism such a choice hides)"
    )
    clean = off == 0 and leaked == 0
    return claims.row(
        "C26",
        measured,
        "lambda chosen per seed on validation points only (no validation point is a test point, every recorded choice "
        "has the seed's lowest validation loss), and the chosen lambda's test loss below lambda = 0's, paired by "
        f"seed (95% interval of the median difference below 0, >= {MIN_PAIRS} settled pairs)",
        claims.verdict(clean and diff.n >= MIN_PAIRS and diff.median_diff.hi < 0),
        EVIDENCE,
    )
