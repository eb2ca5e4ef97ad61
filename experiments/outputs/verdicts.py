"""The family's claim rows (C21): verdicts computed from the summary tables.

`table` is `summary.medians` (median over converged members with its 95% interval, per data
set, loss and statistic); `datasets` the config's data sets (name -> {data, losses}).
A row over several models is 'reproduced' if its criterion holds for every one, 'partly' if
for some, 'not reproduced' if for none (a model without converged members fails).
"""

import pandas as pd

from experiments import claims, stats
from experiments.outputs.metrics import own_metric
from experiments.outputs.summary import lookup

CLAIM = "C21"
FILES = "results/outputs/summary.csv; results/outputs/members/"


def tally(passes: list[bool]) -> str:
    return claims.verdict(bool(passes) and all(passes), partly=any(passes))


def single_label(datasets: dict) -> list[str]:
    return [d for d, spec in datasets.items() if spec["data"]["labels"] == "classes"]


def stat(table, d, loss, name):
    """The row of `table`, or None when the model has no converged member (or no such statistic)."""
    try:
        return lookup(table, d, loss, name)
    except KeyError:
        return None


def fmt(r, spec: str = ".3g") -> str:
    return "no converged member" if r is None else stats.Estimate(r["median"], r["lo"], r["hi"]).fmt(spec)


def model(d: str, loss: str, datasets: dict) -> str:
    return f"{d} {datasets[d]['losses'][loss]} + {loss}"


def calibration_parts(table, datasets, crit, losses) -> tuple[list[str], list[bool]]:
    """Per (single-label data set, loss in `losses`): |P_hat - P| and ECE against the true P
    must both have their interval's upper end within the tolerances."""
    parts, passes = [], []
    for d in single_label(datasets):
        for loss in (x for x in datasets[d]["losses"] if x in losses):
            mae, et, e = (stat(table, d, loss, s) for s in ("mae", "ece_true", "ece"))
            ok = mae is not None and mae["hi"] <= crit["mae"] and et["hi"] <= crit["ece"]
            n = "" if mae is None else f" ({mae['converged']}/{mae['members']} converged)"
            parts.append(
                f"{model(d, loss, datasets)}: |P_hat - P| {fmt(mae)}, ECE vs P {fmt(et)}, vs labels {fmt(e)}{n}"
            )
            passes.append(ok)
    return parts, passes


def calibration_criterion(crit) -> str:
    return (
        f"median over converged members (95% CI upper end) of mean |P_hat(c|x) - P(c|x)| <= {crit['mae']:g} and of "
        f"the ECE against the true P <= {crit['ece']:g}"
    )


def row_probabilities(table, datasets, crit) -> dict:
    """Sigmoid / softmax outputs trained with cross-entropy estimate P(y = c | x)."""
    parts, passes = calibration_parts(table, datasets, crit, ("cross_entropy", "binary_cross_entropy"))
    return claims.row(
        CLAIM,
        "cross-entropy: " + "; ".join(parts),
        calibration_criterion(crit) + ", for every cross-entropy model",
        tally(passes),
        FILES + "; figures/outputs/reliability_*.png",
    )


def row_other_losses(table, datasets, crit) -> dict:
    """Beyond the lecture: the squared and sparsemax losses are proper too, so their outputs also
    estimate P(y = c | x)."""
    losses = {x for spec in datasets.values() for x in spec["losses"] if own_metric(x) != "cross_entropy"}
    parts, passes = calibration_parts(table, datasets, crit, losses)
    return claims.row(
        CLAIM,
        "; ".join(parts),
        calibration_criterion(crit) + ", for every model trained with another loss (squared, sparsemax)",
        tally(passes),
        FILES + "; figures/outputs/reliability_*.png",
        kind="finding",
    )


def row_argmax(table, datasets, crit) -> dict:
    """Predicting the argmax of the outputs reaches the Bayes classifier's accuracy."""
    parts, passes = [], []
    for d in single_label(datasets):
        for loss in datasets[d]["losses"]:
            r = stat(table, d, loss, "excess_error")
            passes.append(r is not None and r["hi"] <= crit["excess_error"])
            parts.append(f"{model(d, loss, datasets)} {fmt(r, '.2g')}")
    return claims.row(
        CLAIM,
        "test error of argmax_c P_hat(c|x) minus the Bayes classifier's on the same points: " + "; ".join(parts),
        f"median excess error (95% CI upper end) <= {crit['excess_error']:g} for every model",
        tally(passes),
        FILES + "; figures/outputs/maps_*.png",
    )


def row_own_metric(comparisons: pd.DataFrame, datasets) -> dict:
    """The loss should match the test metric: each loss wins on its own metric."""
    parts, passes = [], []
    for d, spec in datasets.items():
        for loss in spec["losses"] if len(spec["losses"]) > 1 else ():
            g = comparisons[(comparisons.dataset == d) & (comparisons.loss == loss)]
            rivals = len(spec["losses"]) - 1
            won = int(g["wins"].sum()) if len(g) else 0
            lost = [
                f"{r.rival} ({r.median_diff:.2g} [{r.diff_lo:.2g}, {r.diff_hi:.2g}])" for r in g[~g.wins].itertuples()
            ]
            missing = rivals - len(g)
            parts.append(
                f"{model(d, loss, datasets)} on {own_metric(loss)}: beats {won}/{rivals}"
                + (f", not {', '.join(lost)}" if lost else "")
                + (f", {missing} comparison(s) without converged pairs" if missing else "")
            )
            passes.append(won == rivals)
    return claims.row(
        CLAIM,
        "; ".join(parts) + " (own - rival: median paired difference [95% CI]; cross-entropy with P clipped at the "
        "probability floor)",
        "on its own metric each loss's model beats every other model of its data set: the 95% CI of the paired "
        "median difference (same seeds, both converged) lies below 0",
        tally(passes),
        "results/outputs/own_metric.csv; results/outputs/loss_metric.csv",
    )


def row_zeros(table, datasets) -> dict:
    """Sparsemax outputs put exact zeros on classes, softmax / sigmoid outputs never; what the
    zeros do to the log-likelihood."""
    parts, passes = [], []
    for d, spec in datasets.items():
        others = [x for x in spec["losses"] if x != "sparsemax" and spec["losses"][x] != "sparsemax"]
        if "sparsemax" not in spec["losses"]:
            continue
        z, inf, ce = (
            stat(table, d, "sparsemax", s) for s in ("zero_fraction", "ce_infinite_fraction", "cross_entropy_floor")
        )
        rivals = [(x, stat(table, d, x, "zero_fraction"), stat(table, d, x, "cross_entropy_floor")) for x in others]
        passes.append(z is not None and z["lo"] > 0 and all(r is not None and r["hi"] == 0 for _, r, _ in rivals))
        parts.append(
            f"{d}: sparsemax zeros {fmt(z, '.2g')} of P entries, the label's P = 0 (log-likelihood -inf) on "
            f"{fmt(inf, '.2g')} of test points, cross-entropy with P clipped {fmt(ce)}; "
            + ", ".join(
                f"{spec['losses'][x]} + {x}: zeros {fmt(r, '.2g')}, clipped cross-entropy {fmt(c)}"
                for x, r, c in rivals
            )
        )
    return claims.row(
        CLAIM,
        "; ".join(parts),
        "sparsemax: median fraction of exact zeros with 95% CI above 0; every other output map: the CI of its "
        "median is [0, 0] (full support); in every data set",
        tally(passes),
        FILES + "; figures/outputs/maps_*.png",
    )


def row_support(table, support: pd.DataFrame, datasets, crit) -> dict:
    """The sparsemax loss serves multi-label data: its support recovers the label set."""
    parts, passes = [], []
    for d, g in support.groupby("dataset", sort=False):
        diff = g.set_index("rival")
        vs_softmax, vs_all = diff.loc["thresholded softmax"], diff.loc["all labels"]
        passes += [vs_all["lo"] > 0, vs_softmax["lo"] >= -crit["f1_margin"]]
        pr = {
            loss: ", ".join(f"{s} {fmt(stat(table, d, loss, s))}" for s in ("precision", "recall", "f1"))
            for loss in ("sparsemax", "cross_entropy")
        }
        bayes = stat(table, d, "sparsemax", "bayes_f1")
        parts.append(
            f"{d}: sparsemax support (exact zeros) {pr['sparsemax']}; softmax thresholded (t on validation) "
            f"{pr['cross_entropy']}; Bayes set F1 {fmt(bayes)}; F1 sparsemax - softmax "
            f"{vs_softmax['median_diff']:.2g} [{vs_softmax['lo']:.2g}, {vs_softmax['hi']:.2g}], "
            f"- all labels {vs_all['median_diff']:.2g} [{vs_all['lo']:.2g}, {vs_all['hi']:.2g}]"
        )
    return claims.row(
        CLAIM,
        "; ".join(parts),
        "multi-label: paired median F1 difference (95% CI) sparsemax - predict-every-label > 0, and sparsemax - "
        f"thresholded softmax >= -{crit['f1_margin']:g} (not worse by more than the margin), in every data set",
        tally(passes),
        "results/outputs/support.csv; " + FILES + "; figures/outputs/maps_*.png",
    )


def row_bayes(bayes: pd.DataFrame, crit) -> dict:
    """Sanity check of the data: the Bayes prediction's test accuracy matches the exact one."""
    parts = [
        f"{r.dataset}: {stats.Estimate(r.fraction, r.lo, r.hi).fmt('.4f')} on {r.points} points vs exact {r.exact:.4f}"
        for r in bayes.itertuples()
    ]
    ok = bool(len(bayes)) and bool(((bayes.fraction - bayes.exact).abs() <= crit["bayes"]).all())
    return claims.row(
        CLAIM,
        "Bayes prediction from the known P(y|x) right on " + "; ".join(parts),
        f"|test accuracy - exact accuracy (quadrature)| <= {crit['bayes']:g} in every data set (a sampler or "
        "density that disagrees with the other fails)",
        claims.verdict(ok),
        "results/outputs/bayes.csv",
        kind="sanity check",
    )


def claim_rows(tables: dict[str, pd.DataFrame], cfg: dict) -> dict[str, dict]:
    """The family's claim rows from `summary.summarise`'s tables, by a short name."""
    datasets, crit, table = cfg["datasets"], cfg["criteria"], tables["summary"]
    return {
        "probabilities": row_probabilities(table, datasets, crit),
        "argmax": row_argmax(table, datasets, crit),
        "own_metric": row_own_metric(tables["own_metric"], datasets),
        "zeros": row_zeros(table, datasets),
        "support": row_support(table, tables["support"], datasets, crit),
        "other_losses": row_other_losses(table, datasets, crit),
        "bayes": row_bayes(tables["bayes"], crit),
    }
