"""The family's summary tables: per spectrum, per XOR input set, per (dataset, model) and per
paired comparison, each statistic with its 95% interval (`experiments.stats`) and the count of
converged members it rests on."""

import numpy as np
import pandas as pd

from experiments.convergence import CONVERGED, status
from experiments.representations.plan import gap_at
from experiments.representations.stability import STABLE_GROWTH
from experiments.stats import Estimate, fraction, last_change, median, paired

CURVES = ("sin_top", "sin_top_encoder", "sin_pair", "excess")  # quantities drawn over epochs
COMPARISONS = (("engineered", "raw"), ("hidden", "raw"), ("hidden", "engineered"))  # (first, second)
SUCCESS_POINTS = 4  # the XOR neuron succeeds when all 4 truth-table rows are decided right
NO_ESTIMATE = Estimate(np.nan, np.nan, np.nan)


def _ci(prefix: str, values) -> dict:
    """{prefix: median, prefix_lo, prefix_hi} of the finite values (NaN if there are none)."""
    x = np.asarray(values, dtype=float)
    est = median(x) if np.isfinite(x).any() else NO_ESTIMATE
    return {prefix: est.value, f"{prefix}_lo": est.lo, f"{prefix}_hi": est.hi}


def _frac(prefix: str, k: int, n: int) -> dict:
    est = fraction(k, n) if n else NO_ESTIMATE
    return {prefix: est.value, f"{prefix}_lo": est.lo, f"{prefix}_hi": est.hi}


def curve_change(curve: np.ndarray) -> float:
    """`experiments.stats.last_change` of a loss curve (NaN if the member diverged)."""
    return last_change(curve) if np.isfinite(curve).all() else np.nan


def projection_final(runs: pd.DataFrame, K: int, spectra: dict, tol: float) -> pd.DataFrame:
    """Per spectrum at the last checkpoint: its kind (gap / tie at K), members converged (loss
    stationary: last_change over the checkpoints <= tol), and over converged members the medians
    with intervals of the sines of angles and of the relative excess loss; at init, the median
    sin_top and gradient norm."""
    rows = []
    for name, g in runs.groupby("spectrum", sort=False):
        change = g.pivot(index="seed", columns="epoch", values="loss").apply(curve_change, axis=1, raw=True)
        end, start = (g[g["epoch"] == e].set_index("seed") for e in (g["epoch"].max(), 0))
        conv = end[(~end["diverged"]) & (change <= tol)]
        rows.append(
            {
                "spectrum": name,
                "kind": "gap" if gap_at(spectra[name], K) else "tie",
                "lambda_K": spectra[name][K - 1],
                "lambda_K1": spectra[name][K],
                "seeds": len(end),
                "converged": len(conv),
                "diverged": int(end["diverged"].sum()),
                "median_last_change": float(change.median()),
                "sin_top_init": float(start["sin_top"].median()),
                **_ci("sin_top", conv["sin_top"]),
                "sin_top_max": conv["sin_top"].max(),
                **_ci("sin_top_encoder", conv["sin_top_encoder"]),
                **_ci("sin_pair", conv["sin_pair"]),
                **_ci("sin_inner", conv["sin_inner"]),
                **_ci("sin_outer", conv["sin_outer"]),
                "optimum": end["optimum"].iloc[0],
                **_ci("excess", conv["excess"]),
                "excess_min": conv["excess"].min(),
                "excess_max": conv["excess"].max(),
                "grad_norm_init": float(start["grad_norm"].median()),
                "grad_norm": float(conv["grad_norm"].median()),
            }
        )
    return pd.DataFrame(rows)


def projection_curves(runs: pd.DataFrame) -> pd.DataFrame:
    """Per spectrum, epoch and quantity of CURVES: the median over live members with its interval."""
    rows = []
    for (name, epoch), g in runs[~runs["diverged"]].groupby(["spectrum", "epoch"], sort=False):
        for q in CURVES:
            est = median(g[q])
            rows.append(
                {"spectrum": name, "epoch": epoch, "quantity": q, "median": est.value, "lo": est.lo, "hi": est.hi}
            )
    return pd.DataFrame(rows)


def neuron_summary(runs: pd.DataFrame, tol: float) -> pd.DataFrame:
    """Per input set of the XOR neuron: converged members (stationary, or all 4 rows decided right
    since 90% of the budget, certified by a mean loss below ln(2)/4, i.e. every row's loss below
    ln 2), how many of them solve XOR (4/4) with the exact interval, the most rows any gets right."""
    certified = (runs["correct"] == SUCCESS_POINTS) & (runs["loss_90"] < np.log(2.0) / SUCCESS_POINTS)
    runs = runs.assign(status=status(runs, certified, tol))
    rows = []
    for name, g in runs.groupby("inputs", sort=False):
        conv = g[g["status"].isin(CONVERGED)]
        k = int((conv["correct"] == SUCCESS_POINTS).sum())
        rows.append(
            {
                "inputs": name,
                "seeds": len(g),
                "converged": len(conv),
                "stationary": int((g["status"] == "stationary").sum()),
                "settled": int((g["status"] == "settled").sum()),
                "diverged": int(g["diverged"].sum()),
                "solved": k,
                **_frac("success", k, len(conv)),
                "max_correct": int(conv["correct"].max()) if len(conv) else -1,
                "with_undecided": int((conv["undecided"] > 0).sum()),
                "median_last_change": float(g["last_change"].median()),
            }
        )
    return pd.DataFrame(rows)


def feature_status(runs: pd.DataFrame, tol: float) -> pd.Series:
    """Convergence of the Playground models (`convergence.status`): not chaotic (the shadow run's
    amplification at most `stability.STABLE_GROWTH`), and a stationary loss or every training
    point right at 90% of the budget and at the end."""
    settled = (runs["train_acc_90"] == 1) & (runs["train_acc"] == 1)
    return status(runs, settled, tol, chaotic=~(runs["amplification"] <= STABLE_GROWTH))


def accuracy_summary(runs: pd.DataFrame, tol: float) -> pd.DataFrame:
    """Per (dataset, model): members by status (and the largest shadow amplification among the
    members not chaotic), seeds whose training set the LP finds linearly separable in the model's
    inputs, and the median test accuracy of converged members with its interval."""
    runs = runs.assign(status=feature_status(runs, tol))
    rows = []
    for (dataset, name), g in runs.groupby(["dataset", "model"], sort=False):
        conv = g[g["status"].isin(CONVERGED)]
        rows.append(
            {
                "dataset": dataset,
                "model": name,
                "seeds": len(g),
                "converged": len(conv),
                **{
                    s: int((g["status"] == s).sum()) for s in ("stationary", "settled", "moving", "chaotic", "diverged")
                },
                "max_stable_amplification": float(g.loc[g["status"] != "chaotic", "amplification"].max()),
                "linearly_separable": int(g["linearly_separable"].sum()),
                **_ci("test_acc", conv["test_acc"]),
                "train_acc": float(conv["train_acc"].median()) if len(conv) else np.nan,
                "median_last_change": float(g["last_change"].median()),
            }
        )
    return pd.DataFrame(rows)


def paired_tests(runs: pd.DataFrame, tol: float) -> pd.DataFrame:
    """Per dataset and comparison (first, second) of COMPARISONS, on the seeds where both members
    converged: wins, losses and ties of first over second in test accuracy, the median difference
    first - second with its interval, and the two-sided sign test's p-value."""
    runs = runs.assign(converged=feature_status(runs, tol).isin(CONVERGED))
    rows = []
    for dataset, g in runs.groupby("dataset", sort=False):
        acc = g.pivot(index="seed", columns="model", values="test_acc")
        ok = g.pivot(index="seed", columns="model", values="converged")
        for first, second in COMPARISONS:
            both = ok[first] & ok[second]
            a, b = acc.loc[both, first].to_numpy(), acc.loc[both, second].to_numpy()
            test = paired(a, b) if len(a) else None
            diff = test.median_diff if test else NO_ESTIMATE
            rows.append(
                {
                    "dataset": dataset,
                    "first": first,
                    "second": second,
                    "pairs": int(both.sum()),
                    "wins": int(np.sum(a > b)),
                    "losses": int(np.sum(a < b)),
                    "ties": int(np.sum(a == b)),
                    "median_diff": diff.value,
                    "median_diff_lo": diff.lo,
                    "median_diff_hi": diff.hi,
                    "p_value": test.p_value if test else 1.0,
                }
            )
    return pd.DataFrame(rows)
