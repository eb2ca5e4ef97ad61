"""From per-member results to statistics with 95% intervals: medians over the converged members
of each model, and paired comparisons of models on the same seeds (same data)."""

import numpy as np
import pandas as pd

from experiments import stats
from experiments.outputs.metrics import METRICS, f1, own_metric
from experiments.outputs.mixtures import bayes_accuracy, mixture
from experiments.outputs.trained import converged

STATISTICS = {  # name -> per-member value from the members table (and the data set's classes C)
    "accuracy": lambda t, C: t["correct"] / t["n_test"],
    "bayes_accuracy": lambda t, C: t["bayes_correct"] / t["n_test"],
    "mae": lambda t, C: t["mae"],
    "ece": lambda t, C: t["ece"],
    "ece_true": lambda t, C: t["ece_true"],
    "excess_error": lambda t, C: (t["bayes_correct"] - t["correct"]) / t["n_test"],
    "zero_fraction": lambda t, C: t["zeros"] / (t["n_test"] * C),
    "ce_infinite_fraction": lambda t, C: t["ce_infinite"] / t["n_test"],
    "precision": lambda t, C: t["tp"] / t["predicted"],
    "recall": lambda t, C: t["tp"] / t["actual"],
    "f1": lambda t, C: f1(t["tp"], t["predicted"], t["actual"]),
    "bayes_f1": lambda t, C: f1(t["bayes_tp"], t["bayes_predicted"], t["actual"]),
    "all_labels_f1": lambda t, C: f1(t["actual"], t["n_test"] * C, t["actual"]),  # predict every label
    **{m: (lambda t, C, m=m: t[m]) for m in METRICS},
    "cross_entropy_floor": lambda t, C: t["cross_entropy_floor"],
}


def per_member(members: pd.DataFrame, classes: dict[str, int]) -> pd.DataFrame:
    """The members table with every statistic as a column (NaN where it does not apply)."""
    C = members["dataset"].map(classes)
    with np.errstate(invalid="ignore", divide="ignore"):
        return members.assign(**{k: np.asarray(f(members, C), dtype=float) for k, f in STATISTICS.items()})


def medians(values: pd.DataFrame, counted: pd.Series) -> pd.DataFrame:
    """One row per (dataset, loss, statistic): the median over converged members with its
    interval (cross-entropy's median may be inf: sparsemax's exact zeros)."""
    rows = []
    for (dataset, loss), g in values.groupby(["dataset", "loss"], sort=False):
        ok = counted[g.index]
        base = {"dataset": dataset, "loss": loss, "output": g["output"].iloc[0], "converged": int(ok.sum())}
        for name in STATISTICS:
            v = g.loc[ok, name].to_numpy()
            if v.size == 0 or np.isnan(v).all():
                continue
            est = median_inf(v)
            rows.append({**base, "members": len(g), "statistic": name, "median": est.value, "lo": est.lo, "hi": est.hi})
    return pd.DataFrame(rows, columns=MEDIAN_COLUMNS)


MEDIAN_COLUMNS = ["dataset", "loss", "output", "converged", "members", "statistic", "median", "lo", "hi"]


def median_inf(v: np.ndarray) -> stats.Estimate:
    """stats.median of the non-NaN values that keeps +inf values (ranked above every finite one)
    instead of dropping them."""
    v = v[~np.isnan(v)]
    finite = np.isfinite(v)
    if finite.all():
        return stats.median(v)
    big = np.nanmax(np.abs(v[finite]), initial=1.0) * 1e6 + 1  # stands in for +inf in the ranking
    est = stats.median(np.where(finite, v, big))
    return stats.Estimate(*(np.inf if x == big else x for x in est))


def lookup(table: pd.DataFrame, dataset: str, loss: str, statistic: str) -> pd.Series:
    """The row of `medians` for (dataset, loss, statistic)."""
    hit = table[(table.dataset == dataset) & (table.loss == loss) & (table.statistic == statistic)]
    if len(hit) != 1:
        raise KeyError(f"no single statistic {statistic!r} for ({dataset!r}, {loss!r}): {len(hit)} rows")
    return hit.iloc[0]


def own_metric_comparisons(values: pd.DataFrame, counted: pd.Series) -> pd.DataFrame:
    """Each model against every other model of its data set on the model's own metric (the
    metric named by its loss; cross-entropy with the probability floor, so sparsemax's -inf
    log-likelihood ranks last instead of dropping out): a paired comparison on the seeds where
    both converged. `wins`: the interval of the median difference (own - rival) lies below 0."""
    rows = []
    for dataset, g in values[counted].groupby("dataset", sort=False):
        by_loss = {loss: m.set_index("seed") for loss, m in g.groupby("loss", sort=False)}
        for loss, own in by_loss.items():
            metric = own_metric(loss)
            column = "cross_entropy_floor" if metric == "cross_entropy" else metric
            for rival, other in by_loss.items():
                if rival == loss:
                    continue
                p = paired(own[column], other[column])
                rows.append(
                    {
                        "dataset": dataset,
                        "loss": loss,
                        "metric": column,
                        "rival": rival,
                        "pairs": p.n,
                        "own_lower": p.a_lower.value,
                        "own_lower_lo": p.a_lower.lo,
                        "own_lower_hi": p.a_lower.hi,
                        "median_diff": p.median_diff.value,
                        "diff_lo": p.median_diff.lo,
                        "diff_hi": p.median_diff.hi,
                        "p_value": p.p_value,
                        "wins": bool(p.n > 0 and p.median_diff.hi < 0),
                    }
                )
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


COMPARISON_COLUMNS = ["dataset", "loss", "metric", "rival", "pairs", "own_lower", "own_lower_lo", "own_lower_hi"]
COMPARISON_COLUMNS += ["median_diff", "diff_lo", "diff_hi", "p_value", "wins"]


def loss_metric_table(table: pd.DataFrame, comparisons: pd.DataFrame) -> pd.DataFrame:
    """The loss x metric matrix: per (dataset, trained loss) the median of every metric with
    its interval (columns <metric>, <metric>_lo, <metric>_hi), the loss's own metric and how
    many of the other models it beats there (`own_metric_comparisons`)."""
    metrics = [*METRICS, "cross_entropy_floor"]
    sub = table[table.statistic.isin(metrics)].set_index(["dataset", "loss", "statistic"])
    out = table[["dataset", "loss"]].drop_duplicates().reset_index(drop=True)
    out["own_metric"] = out["loss"].map(own_metric)
    wins = comparisons.groupby(["dataset", "loss"])["wins"].agg(["sum", "size"])
    out["beats"] = [
        f"{wins.loc[k, 'sum']}/{wins.loc[k, 'size']}" if k in wins.index else "" for k in zip(out.dataset, out.loss)
    ]
    for m in metrics:
        for col, src in ((m, "median"), (f"{m}_lo", "lo"), (f"{m}_hi", "hi")):
            out[col] = [sub[src].get((d, loss, m), np.nan) for d, loss in zip(out.dataset, out.loss)]
    return out


def convergence_table(values: pd.DataFrame, counted: pd.Series) -> pd.DataFrame:
    """Per model: members, diverged, converged, and the largest stationarity figures among the
    converged ones (gradient norm relative to the initial one; relative loss change over the
    last 10% of the epochs)."""
    rows = []
    for (d, loss), g in values.groupby(["dataset", "loss"], sort=False):
        ok = counted[g.index]
        rows.append(
            {
                "dataset": d,
                "loss": loss,
                "members": len(g),
                "diverged": int(g["diverged"].astype(bool).sum()),
                "converged": int(ok.sum()),
                "max_grad_ratio": g.loc[ok, "grad_ratio"].max(),
                "max_last_change": g.loc[ok, "last_change"].max(),
            }
        )
    return pd.DataFrame(rows)


NO_PAIRS = stats.Paired(0, stats.Estimate(np.nan, np.nan, np.nan), stats.Estimate(np.nan, np.nan, np.nan), np.nan)


def paired(a: pd.Series, b: pd.Series) -> stats.Paired:
    """stats.paired of two per-seed series on their common seeds; NO_PAIRS (NaN) without any
    (e.g. no seed where both models converged)."""
    seeds = a.index.intersection(b.index)
    x, y = a.loc[seeds].to_numpy(float), b.loc[seeds].to_numpy(float)
    return stats.paired(x, y) if (np.isfinite(x) & np.isfinite(y)).any() else NO_PAIRS


def paired_on(values: pd.DataFrame, counted: pd.Series, dataset: str, a: str, b: str, column: str) -> stats.Paired:
    """`column` of model a vs model b on the seeds of `dataset` where both converged."""
    g = values[counted & (values.dataset == dataset)]
    return paired(*(g[g.loss == loss].set_index("seed")[column] for loss in (a, b)))


def bayes_table(values: pd.DataFrame, datasets: dict, step: float) -> pd.DataFrame:
    """Per data set: how often the Bayes prediction (from the known P) is right on the test
    points of all seeds, with its interval, next to the exact probability by quadrature."""
    rows = []
    for d, spec in datasets.items():
        one = values[values.dataset == d].drop_duplicates("seed")  # every model scores the same test points
        k, n = int(one["bayes_correct"].sum()), int(one["n_test"].sum())
        est = stats.fraction(k, n)
        exact = bayes_accuracy(mixture(spec["data"]), step)
        rows.append(
            {"dataset": d, "right": k, "points": n, "fraction": est.value, "lo": est.lo, "hi": est.hi, "exact": exact}
        )
    return pd.DataFrame(rows)


def support_comparisons(values: pd.DataFrame, counted: pd.Series, datasets: dict) -> pd.DataFrame:
    """Multi-label data: the F1 of sparsemax's support (its exact zeros) minus that of the
    thresholded softmax (cross-entropy model), and minus that of predicting every label, paired
    on seeds."""
    rows = []
    for d, spec in datasets.items():
        if spec["data"]["labels"] != "sets":
            continue
        sparse = values[counted & (values.dataset == d) & (values.loss == "sparsemax")].set_index("seed")
        against = {
            "thresholded softmax": paired_on(values, counted, d, "sparsemax", "cross_entropy", "f1"),
            "all labels": paired(sparse["f1"], sparse["all_labels_f1"]),
        }
        for rival, p in against.items():
            est = p.median_diff
            rows.append(
                {"dataset": d, "rival": rival, "pairs": p.n, "median_diff": est.value, "lo": est.lo, "hi": est.hi}
            )
    return pd.DataFrame(rows, columns=["dataset", "rival", "pairs", "median_diff", "lo", "hi"])


TABLES = ("members", "summary", "convergence", "loss_metric", "own_metric", "support", "bayes")  # summarise's


def summarise(members: pd.DataFrame, cfg: dict) -> dict[str, pd.DataFrame]:
    """Every summary table from the members of all data sets: `summary` (medians), `convergence`,
    `loss_metric`, `own_metric`, `support`, `bayes`; and `members` with the statistics and
    `counted` columns."""
    datasets = cfg["datasets"]
    values = per_member(members, {d: spec["data"]["classes"] for d, spec in datasets.items()})
    counted = converged(values, cfg["converged_tol"])
    table = medians(values, counted)
    comparisons = own_metric_comparisons(values, counted)
    return {
        "members": values.assign(counted=counted),
        "summary": table,
        "convergence": convergence_table(values, counted),
        "loss_metric": loss_metric_table(table, comparisons),
        "own_metric": comparisons,
        "support": support_comparisons(values, counted, datasets),
        "bayes": bayes_table(values, datasets, cfg["quadrature_step"]),
    }
