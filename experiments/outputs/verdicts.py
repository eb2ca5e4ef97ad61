"""The family's claim rows (C21): verdicts computed from `summary.summarise`'s tables.

`summary` holds, per data set, loss and statistic, the median over converged members with its
95% interval; `datasets` are the config's data sets (name -> {data, losses}). A row over
several models is 'reproduced' if its criterion holds for every one, 'partly' if for some,
'not reproduced' if for none; a model without converged members fails. A row function returns
None when the configured data sets have none of its models.
"""

import pandas as pd

from experiments import claims, stats
from experiments.outputs.metrics import own_metric
from experiments.outputs.summary import lookup

CLAIM = "C21"
FILES = "results/outputs/summary.csv; results/outputs/convergence.csv"
CROSS_ENTROPY = ("cross_entropy", "binary_cross_entropy")


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


def converged_note(conv: pd.DataFrame, models: list[tuple[str, str]]) -> str:
    """'converged members: 24/24 of each model' or the models that fall short."""
    rows = conv.set_index(["dataset", "loss"]).loc[models]
    full = rows.converged == rows.members
    if full.all():
        counts = sorted(set(rows.members))
        return f"converged members: all ({'/'.join(map(str, counts))} per model)"
    short = ", ".join(f"{d} {loss} {r.converged}/{r.members}" for (d, loss), r in rows[~full].iterrows())
    return f"converged members: {short}; all of the others"


def calibration_parts(tables, cfg, losses) -> tuple[list[str], list[bool], list]:
    """Per (single-label data set, loss in `losses`): |P_hat - P| and the ECE against the true P
    must both have their interval's upper end within the tolerances."""
    datasets, crit, table = cfg["datasets"], cfg["criteria"], tables["summary"]
    parts, passes, models = [], [], []
    for d in single_label(datasets):
        for loss in (x for x in datasets[d]["losses"] if x in losses):
            mae, et, e = (stat(table, d, loss, s) for s in ("mae", "ece_true", "ece"))
            passes.append(mae is not None and mae["hi"] <= crit["mae"] and et["hi"] <= crit["ece"])
            parts.append(f"{model(d, loss, datasets)}: |P_hat - P| {fmt(mae)}, ECE vs P {fmt(et)}, vs labels {fmt(e)}")
            models.append((d, loss))
    return parts, passes, models


def calibration_criterion(crit) -> str:
    return (
        f"median over converged members (95% CI upper end) of mean |P_hat(c|x) - P(c|x)| <= {crit['mae']:g} and of "
        f"the ECE against the true P <= {crit['ece']:g}"
    )


def row_probabilities(tables, cfg) -> dict:
    """Sigmoid / softmax outputs trained with cross-entropy estimate P(y = c | x)."""
    return calibration_row(tables, cfg, CROSS_ENTROPY, "every cross-entropy model", "evidence")


def row_other_losses(tables, cfg) -> dict:
    """Beyond the lecture: the squared and sparsemax losses are proper scoring rules too, so
    their outputs also estimate P(y = c | x)."""
    losses = {x for spec in cfg["datasets"].values() for x in spec["losses"] if x not in CROSS_ENTROPY}
    return calibration_row(tables, cfg, losses, "every model trained with another loss (squared, sparsemax)", "finding")


def calibration_row(tables, cfg, losses, which: str, kind: str) -> dict | None:
    """The row 'P_hat estimates P' for the models trained with `losses` (None if there are none)."""
    parts, passes, models = calibration_parts(tables, cfg, losses)
    if not parts:
        return None
    return claims.row(
        CLAIM,
        "; ".join(parts) + "; " + converged_note(tables["convergence"], models),
        calibration_criterion(cfg["criteria"]) + ", for " + which,
        tally(passes),
        FILES + "; figures/outputs/reliability_*.png",
        kind=kind,
    )


def row_argmax(tables, cfg) -> dict:
    """Predicting the argmax of the outputs reaches the Bayes classifier's accuracy."""
    datasets, table = cfg["datasets"], tables["summary"]
    parts, passes, models = [], [], []
    for d in single_label(datasets):
        bayes = stat(table, d, next(iter(datasets[d]["losses"])), "bayes_accuracy")
        parts.append(f"{d} (Bayes accuracy {fmt(bayes)}):")
        for loss in datasets[d]["losses"]:
            r = stat(table, d, loss, "excess_error")
            passes.append(r is not None and r["hi"] <= cfg["criteria"]["excess_error"])
            parts.append(f"{datasets[d]['losses'][loss]} + {loss} {fmt(r, '.2g')};")
            models.append((d, loss))
    if not models:
        return None
    return claims.row(
        CLAIM,
        "test error of argmax_c P_hat(c|x) minus the Bayes classifier's on the same points, "
        + " ".join(parts)
        + " "
        + converged_note(tables["convergence"], models),
        f"median excess error (95% CI upper end) <= {cfg['criteria']['excess_error']:g} for every model",
        tally(passes),
        FILES + "; figures/outputs/maps_*.png",
    )


def row_own_metric(tables, cfg) -> dict:
    """The loss should match the test metric: each loss wins on its own metric."""
    datasets, comparisons = cfg["datasets"], tables["own_metric"]
    parts, passes = [], []
    for d, spec in datasets.items():
        rivals = len(spec["losses"]) - 1
        for loss in spec["losses"] if rivals else ():
            g = comparisons[(comparisons.dataset == d) & (comparisons.loss == loss)]
            won = int(g["wins"].sum())
            lost = [
                f"{r.rival} ({r.median_diff:.2g} [{r.diff_lo:.2g}, {r.diff_hi:.2g}])" for r in g[~g.wins].itertuples()
            ]
            missing = rivals - len(g)
            parts.append(
                f"{model(d, loss, datasets)} on {own_metric(loss)}: beats {won}/{rivals}"
                + (f", not {', '.join(lost)}" if lost else "")
                + (f", {missing} without converged pairs" if missing else "")
            )
            passes.append(won == rivals)
    if not parts:
        return None
    return claims.row(
        CLAIM,
        "; ".join(parts) + " (own - rival: median paired difference [95% CI]; cross-entropy with P clipped at the "
        "probability floor)",
        "on its own metric each loss's model beats every other model of its data set: the 95% CI of the paired "
        "median difference (same seeds, both converged) lies below 0",
        tally(passes),
        "results/outputs/loss_metric.csv; results/outputs/own_metric.csv",
    )


def zeros_part(table, d: str, spec: dict) -> tuple[str, bool]:
    """One data set of `row_zeros`: sparsemax's zeros and their log-likelihood, the others' support."""
    z, inf, ce = (
        stat(table, d, "sparsemax", s) for s in ("zero_fraction", "ce_infinite_fraction", "cross_entropy_floor")
    )
    rivals = [x for x, out in spec["losses"].items() if out != "sparsemax"]
    others = [(x, stat(table, d, x, "zero_fraction"), stat(table, d, x, "cross_entropy_floor")) for x in rivals]
    ok = z is not None and z["lo"] > 0 and all(r is not None and r["hi"] == 0 for _, r, _ in others)
    text = (
        f"{d}: sparsemax gives exact zeros to {fmt(z, '.2g')} of the P entries and P = 0 to the label (log-likelihood "
        f"-inf) on {fmt(inf, '.2g')} of test points; cross-entropy with P clipped {fmt(ce)}, vs "
        + ", ".join(f"{spec['losses'][x]} + {x}: zeros {fmt(r, '.2g')}, {fmt(c)}" for x, r, c in others)
    )
    return text, ok


def row_zeros(tables, cfg) -> dict:
    """Sparsemax outputs put exact zeros on classes, softmax / sigmoid outputs never; what the
    zeros do to the log-likelihood."""
    datasets = cfg["datasets"]
    found = [zeros_part(tables["summary"], d, spec) for d, spec in datasets.items() if "sparsemax" in spec["losses"]]
    models = [(d, x) for d, spec in datasets.items() if "sparsemax" in spec["losses"] for x in spec["losses"]]
    if not found:
        return None
    return claims.row(
        CLAIM,
        "; ".join(t for t, _ in found) + "; " + converged_note(tables["convergence"], models),
        "sparsemax: median fraction of exact zeros with 95% CI above 0; every other output map: the CI of its "
        "median is [0, 0] (full support); in every data set",
        tally([ok for _, ok in found]),
        FILES + "; figures/outputs/maps_*.png",
    )


def row_support(tables, cfg) -> dict:
    """The sparsemax loss serves multi-label data: its support recovers the label set."""
    table, margin = tables["summary"], cfg["criteria"]["f1_margin"]
    if tables["support"].empty:
        return None
    parts, passes, models = [], [], []
    for d, g in tables["support"].groupby("dataset", sort=False):
        diff = g.set_index("rival")
        vs_softmax, vs_all = diff.loc["thresholded softmax"], diff.loc["all labels"]
        passes += [vs_all["lo"] > 0, vs_softmax["lo"] >= -margin]
        pr = {
            loss: ", ".join(f"{s} {fmt(stat(table, d, loss, s))}" for s in ("precision", "recall", "f1"))
            for loss in ("sparsemax", "cross_entropy")
        }
        parts.append(
            f"{d}: sparsemax support (exact zeros) {pr['sparsemax']}; softmax thresholded (t on validation) "
            f"{pr['cross_entropy']}; Bayes set F1 {fmt(stat(table, d, 'sparsemax', 'bayes_f1'))}; F1 sparsemax - "
            f"softmax {stats.Estimate(*vs_softmax[['median_diff', 'lo', 'hi']]).fmt('.2g')}, sparsemax - every label "
            f"{stats.Estimate(*vs_all[['median_diff', 'lo', 'hi']]).fmt('.2g')}"
        )
        models += [(d, "sparsemax"), (d, "cross_entropy")]
    return claims.row(
        CLAIM,
        "; ".join(parts) + "; " + converged_note(tables["convergence"], models),
        "multi-label: paired median F1 difference (95% CI) sparsemax - predict-every-label > 0, and sparsemax - "
        f"thresholded softmax >= -{margin:g} (not worse by more than the margin), in every data set",
        tally(passes),
        "results/outputs/support.csv; " + FILES + "; figures/outputs/maps_*.png",
    )


def row_bayes(tables, cfg) -> dict:
    """Sanity check of the data: the Bayes prediction's test accuracy matches the exact one."""
    bayes = tables["bayes"]
    parts = [
        f"{r.dataset}: {stats.Estimate(r.fraction, r.lo, r.hi).fmt('.4f')} on {r.points} points vs exact {r.exact:.4f}"
        for r in bayes.itertuples()
    ]
    ok = bool(len(bayes)) and bool(((bayes.fraction - bayes.exact).abs() <= cfg["criteria"]["bayes"]).all())
    return claims.row(
        CLAIM,
        "the Bayes prediction from the known P(y|x) is right on " + "; ".join(parts),
        f"|test accuracy - exact accuracy (quadrature)| <= {cfg['criteria']['bayes']:g} in every data set (a sampler "
        "or a density that disagrees with the other fails)",
        claims.verdict(ok),
        "results/outputs/bayes.csv",
        kind="sanity check",
    )


ROWS = {
    "probabilities": row_probabilities,
    "argmax": row_argmax,
    "own_metric": row_own_metric,
    "zeros": row_zeros,
    "support": row_support,
    "other_losses": row_other_losses,
    "bayes": row_bayes,
}


def claim_rows(tables: dict[str, pd.DataFrame], cfg: dict) -> dict[str, dict]:
    """The family's claim rows from `summary.summarise`'s tables, by a short name; a row whose
    models the configured data sets do not have (e.g. no multi-label data) is left out."""
    rows = {name: row(tables, cfg) for name, row in ROWS.items()}
    return {name: r for name, r in rows.items() if r is not None}
