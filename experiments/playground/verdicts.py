"""C13's claim rows, each verdict computed from the seed distributions of the Playground family."""

import pandas as pd

from experiments import claims
from experiments.playground.summary import ALPHA, SLIDE_HIDDEN, fmt_hidden

LEARNED_ACC, NOT_LEARNED_ACC = 0.95, 0.90  # median test accuracy: learned >= 0.95, not learned < 0.90


def claim_rows(
    summary: pd.DataFrame, refs: pd.DataFrame, paired: pd.DataFrame, depth: pd.DataFrame, specs: dict, params: dict
) -> pd.DataFrame:
    """C13's rows, each verdict computed from the seed distributions."""
    E = params["epochs"]
    final = summary[summary["epoch"] == E].set_index("config")
    ev = "results/playground/summary.csv"
    rows = []

    simple = [n for n, s in specs.items() if s["dataset"] != "spiral" and len(s["hidden"]) == 1]
    if simple:
        ok = [final.loc[n, "test_acc_median"] >= LEARNED_ACC for n in simple]
        meas = "; ".join(
            f"{specs[n]['dataset']} {fmt_hidden(specs[n])} {specs[n]['activation']}: median test "
            f"accuracy {final.loc[n, 'test_acc_median']:.3f} (p10 {final.loc[n, 'test_acc_p10']:.3f}), "
            f"test loss {final.loc[n, 'test_loss_median']:.3f}"
            for n in simple
        )
        rows.append(
            claims.row(
                "C13",
                f"simple target learned with one hidden layer, epoch {E}: {meas}",
                f"median test accuracy >= {LEARNED_ACC} on every simple target",
                claims.verdict(all(ok), partly=any(ok)),
                f"{ev}; figures/playground/decision_maps_all.png",
            )
        )

    shallow = [n for n, s in specs.items() if s["dataset"] == "spiral" and len(s["hidden"]) == 1]
    if shallow:
        ok = [final.loc[n, "test_acc_median"] < NOT_LEARNED_ACC for n in shallow]
        meas = "; ".join(
            f"{fmt_hidden(specs[n])} {specs[n]['activation']}: median test loss "
            f"{final.loc[n, 'test_loss_median']:.3f}, test accuracy {final.loc[n, 'test_acc_median']:.3f}"
            f" (p90 {final.loc[n, 'test_acc_p90']:.3f})"
            for n in shallow
        )
        rows.append(
            claims.row(
                "C13",
                f"spiral with one hidden layer, epoch {E}: {meas}",
                f"median test accuracy < {NOT_LEARNED_ACC} for every one-hidden-layer net (not learned)",
                claims.verdict(all(ok), partly=any(ok)),
                f"{ev}; figures/playground/loss_curves.png",
            )
        )

    lec = refs[refs["source"] == "lecture"] if len(refs) else refs
    if len(lec):
        typical = (lec["p10"] <= lec["value"]) & (lec["value"] <= lec["p90"])
        meas = "; ".join(
            f"{r.config} {r.split} {r.value:.3f} at epoch {r.epoch}: percentile {r.percentile:.0f} "
            f"(p10-p90 {r.p10:.3f}-{r.p90:.3f}, median {r['median']:.3f}, range {r['min']:.3f}-"
            f"{r['max']:.3f}, {r.n_seeds} seeds)"
            for _, r in lec.iterrows()
        )
        rows.append(
            claims.row(
                "C13",
                f"two hidden layers [4,2] reach the lecture's numbers: {meas}",
                "each lecture number lies within the 10th-90th percentile of the seed distribution "
                "(partly: all within the observed range)",
                claims.verdict(bool(typical.all()), partly=bool(lec["inside"].all())),
                "results/playground/reference_percentiles.csv; figures/playground/lecture_percentiles.png",
            )
        )
        if len(paired):
            p = paired[(paired["hidden"] == "-".join(map(str, SLIDE_HIDDEN))) & (paired["dataset"] == "spiral")]
            if len(p):
                rows[-1]["measured"] += "; paired relu vs tanh on the same seeds: " + "; ".join(
                    f"relu@{r.relu_epoch} vs tanh@{r.tanh_epoch}: relu test loss lower on "
                    f"{100 * r.frac_relu_lower_test:.0f}% of {r.n_seeds} seeds, median difference "
                    f"{r.median_diff_test:+.3f}"
                    for _, r in p.iterrows()
                )

    pg = refs[refs["source"].str.startswith("playground")] if len(refs) else refs
    pg = pg[pg["epoch"].isin(list(params["slide_epochs"].values()))] if len(pg) else pg
    if len(pg):
        meas = "; ".join(
            f"{r.source[-7:]} {r.config.split('-')[-1]} {r.split}@{r.epoch} {r.value:.3f}: "
            f"percentile {r.percentile:.0f}"
            for _, r in pg.iterrows()
        )
        rows.append(
            claims.row(
                "C13",
                f"Playground's own code on two of its seeds, placed in our seed distributions: {meas}",
                "every value within the observed range of our seeds (our port gives Playground's distribution)",
                claims.verdict(bool(pg["inside"].all()), partly=bool(pg["inside"].any())),
                "results/playground/reference_percentiles.csv",
            )
        )

    if len(depth):
        ok = list(depth["better"])
        meas = "; ".join(
            f"{r.config} at epoch {r.epoch}: median test loss {r.test_median:.3f} vs [4,2] relu {r.base_median:.3f}, "
            f"P(lower) {r.prob_lower:.2f}, one-sided Mann-Whitney p = {r.p_value:.2g}"
            for r in depth.itertuples()
        )
        rows.append(
            claims.row(
                "C13",
                f"four relu layers vs two on the spiral: {meas}",
                f"every four-layer relu net's test losses are lower than [4,2] relu's (one-sided Mann-Whitney "
                f"p < {ALPHA}) at each epoch",
                claims.verdict(all(ok), partly=any(ok)),
                "results/playground/depth_relu.csv; figures/playground/loss_curves.png",
            )
        )
    return pd.DataFrame(rows)
