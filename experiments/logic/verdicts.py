"""The logic family's claim rows (C02-C05), each a verdict computed from the tables."""

import numpy as np
import pandas as pd

from experiments import claims
from experiments.logic.exact import OEIS_A000609


def claims_exact(certs: pd.DataFrame, counts: pd.DataFrame, best: pd.DataFrame, parity: pd.DataFrame):
    sep = dict(zip(certs["name"], certs["separable"]))
    n_sep = int(certs["separable"].sum())
    xor_best = int(best.set_index("function").loc["XOR", "best_correct"])
    counts_txt = ", ".join(f"n={r.n}: {r.count}" for r in counts.itertuples())
    oeis_ok = bool(counts["matches_oeis"].all())
    enum = counts.dropna(subset=["count_enumerated"])
    enum_ok = bool((enum["count_enumerated"] == enum["count"]).all())
    holds = (
        sep["AND"]
        and sep["OR"]
        and not sep["XOR"]
        and not sep["XNOR"]
        and n_sep == 14
        and oeis_ok
        and enum_ok
        and xor_best == 3
    )
    wrong = parity[parity["separable"] != parity["expected"]]
    ns = sorted(parity["n"].unique())
    return pd.DataFrame(
        [
            claims.row(
                "C02",
                f"LP certificates: {n_sep}/16 functions of 2 inputs separable (AND, OR by (w, b) with "
                f"margin >= 1; XOR, XNOR by Farkas witness); threshold functions {counts_txt} "
                f"(OEIS A000609: {', '.join(str(OEIS_A000609[n]) for n in counts['n'])}; "
                f"{int(counts['lps'].sum())} LPs over NPN classes, every function decided directly for "
                f"n <= {int(enum['n'].max()) if len(enum) else 0}); best linear classifier on XOR: "
                f"{xor_best}/4 (exact MILP)",
                "AND, OR separable, XOR, XNOR not, 14/16; counts equal A000609; XOR best = 3/4",
                claims.verdict(holds, partly=sep["AND"] and sep["OR"] and not sep["XOR"]),
                "results/logic/certificates_2.csv; results/logic/threshold_counts.csv; results/logic/best_linear.csv",
            ),
            claims.row(
                "C04",
                f"n-bit parity by a threshold over all products of <= k inputs, n = {ns[0]}..{ns[-1]}: "
                f"separable exactly for k = n in {len(parity) - len(wrong)}/{len(parity)} (n, k) LPs; for k < n "
                f"the uniform weights are a Farkas witness (max residual "
                f"{parity.loc[~parity['expected'], 'uniform_residual'].max():.1e})",
                "separable iff k = n, for every n and k",
                claims.verdict(wrong.empty),
                "results/logic/parity_order.csv",
            ),
        ]
    )


def claims_neuron(summary: pd.DataFrame):
    s = summary.set_index("function")
    seeds = int(s["seeds"].iloc[0])
    holds = s.loc["AND", "all_4"] == seeds and s.loc["OR", "all_4"] == seeds and s.loc["XOR", "max_correct"] <= 3
    return pd.DataFrame(
        [
            claims.row(
                "C02",
                f"logistic regression, {seeds} seeds as one ensemble: 4/4 on AND in "
                f"{s.loc['AND', 'all_4']}/{seeds}, on OR in {s.loc['OR', 'all_4']}/{seeds}; on XOR at most "
                f"{s.loc['XOR', 'max_correct']}/4 (mean {s.loc['XOR', 'mean_correct']:.2f})",
                "AND and OR 4/4 for every seed; XOR never above 3/4",
                claims.verdict(bool(holds), partly=s.loc["XOR", "max_correct"] <= 3),
                "results/logic/neuron_summary.csv; figures/logic/neuron_accuracy.png; "
                "figures/logic/decision_boundaries.png",
            ),
        ]
    )


def _rises(rates: pd.DataFrame) -> bool:
    """Non-decreasing in width up to sampling noise: each rate >= the previous width's Wilson lower bound."""
    r = rates.sort_values("width")
    return bool(np.all(r["rate"].to_numpy()[1:] >= r["ci_low"].to_numpy()[:-1]))


def claims_xor(rates: pd.DataFrame):
    w1 = rates[rates["width"] == 1]
    wide = rates[rates["width"] == rates["width"].max()]
    rises = {a: _rises(g) for a, g in rates.groupby("activation")}
    txt = "; ".join(
        f"{a}: " + ", ".join(f"K={r.width} {r.successes}/{r.seeds}" for r in g.itertuples())
        for a, g in rates.groupby("activation")
    )
    holds = bool((w1["successes"] == 0).all() and (wide["rate"] >= 0.9).all() and all(rises.values()))
    partly = bool((rates.loc[rates["width"] >= 2, "successes"] > 0).any())
    return pd.DataFrame(
        [
            claims.row(
                "C03",
                f"trained MLPs on XOR, success = 4/4 after training: {txt}",
                "width 1 never succeeds (one unit = a monotone function of one linear form; LP best 3/4); "
                f"widest net (K={int(rates['width'].max())}) >= 90% for every activation; rate non-decreasing "
                "in width (within the 95% Wilson interval)",
                claims.verdict(holds, partly),
                "results/logic/xor_success.csv; figures/logic/xor_success.png",
            ),
        ]
    )


def claims_linear(comp: pd.DataFrame, lin: pd.DataFrame):
    worst = comp["relative"].max()
    max_correct = int(lin["max_correct"].max())
    ok_comp = bool(worst <= 1e3 * np.finfo(float).eps)
    return pd.DataFrame(
        [
            claims.row(
                "C05",
                f"deep linear nets ({', '.join(map(str, comp['hidden_layers']))} hidden layers) equal "
                f"the product of their layers: max abs diff {comp['max_abs_diff'].max():.1e} (relative "
                f"{worst:.1e}); trained on XOR ({int(lin['seeds'].iloc[0])} seeds per depth, "
                f"{', '.join(map(str, lin['hidden_layers']))} hidden layers): at most {max_correct}/4 "
                f"({int(lin['diverged'].sum())} diverged)",
                "relative difference <= 1000 eps (float64 round-off); trained deep linear nets <= 3/4 on XOR",
                claims.verdict(ok_comp and max_correct <= 3, partly=ok_comp or max_correct <= 3),
                "results/logic/linear_composition.csv; results/logic/linear_xor.csv",
            ),
        ]
    )
