"""Claim rows of the activation functions and output maps (C06-C09): verdicts computed from the
measured tables, one function per row."""

import numpy as np
import pandas as pd

from experiments import claims
from experiments.activations.functions import INNER, KINK, LECTURE_RANGE, TOL_FD, TOL_ULP
from experiments.activations.maps import GRAY, LOG_TINY, TOL_SUM
from experiments.stats import Estimate, fraction, median

SYMMETRIC_BAND = 0.05  # zero biases: the fraction of exact zeros must lie within 1/2 +- this


def _median(r) -> str:
    """A summary row's median fraction of exact zeros with its interval."""
    return Estimate(r.median_zero, r.zero_lo, r.zero_hi).fmt(".2f")


def row_ranges(ranges: pd.DataFrame) -> dict:
    """C06: the lecture's ranges (open bounds strictly inside, unbounded ends reached), its
    monotonicity, and no floating-point error but underflow, per activation it names."""
    r = ranges[ranges["activation"].isin(LECTURE_RANGE)].set_index("activation")
    strict = r["strictly_inside_for_abs_z_le_15"].astype(object).fillna(True).astype(bool)
    mono = r["strictly_increasing_abs_z_le_15"] | ~r["lecture_says_strictly_increasing"]
    ok = pd.DataFrame(
        {
            "range": r["within_closed_range"].astype(bool) & strict & r["unbounded_ends_reach_z_max"].astype(bool),
            "monotone": r["nondecreasing"] & mono,
            "no FP error": (r["fp_error_except_underflow"] == "") & r["all_finite"],
        }
    )
    failed = [
        f"{name} ({', '.join(c for c in ok.columns if not ok.loc[name, c])})" for name in ok.index[~ok.all(axis=1)]
    ]
    bound = r.loc[
        [LECTURE_RANGE[n][2] and np.isfinite(LECTURE_RANGE[n][1]) for n in r.index], "reaches_bound_from_abs_z"
    ]
    underflow = ", ".join(n for n, e in zip(ranges["activation"], ranges["fp_error_all_raise"]) if e)
    return claims.row(
        "C06",
        f"on {int(r['n_points'].iloc[0])} points with |z| <= {r['z_max'].iloc[0]:g}: {int(ok.all(axis=1).sum())} of "
        f"{len(ok)} activations ({', '.join(ok.index)}) meet range, monotonicity and no-FP-error checks; failing: "
        f"{'; '.join(failed) or 'none'}; relu max = {r.loc['relu', 'max']:g} (= z_max: unbounded); float64 rounds "
        "to the open bound from |z| = "
        + ", ".join(f"{k} {v:.3g}" for k, v in bound.items())
        + f"; underflow raised only by: {underflow or 'none'}",
        f"each: values in the lecture's range (strictly inside open bounds for |z| <= {INNER:g}, unbounded ends reach "
        "+-z_max), non-decreasing and strictly increasing where the lecture says so, no overflow/invalid/divide error",
        claims.verdict(bool(ok.to_numpy().all()), bool(ok.all(axis=1).any())),
        "results/activations/activation_ranges.csv; figures/activations/activations.png",
    )


def row_identity(ident: pd.DataFrame) -> dict:
    """C07: sigma(z) = (1 + tanh(z/2))/2 to a few ulps on the wide grid."""
    i = ident.iloc[0]
    return claims.row(
        "C07",
        f"max |1/(1 + e^-z) - (1 + tanh(z/2))/2| = {i['max_abs_diff_identity']:.3g}, max |core sigmoid - "
        f"1/(1 + e^-z)| = {i['max_abs_diff_registry']:.3g} over {int(i['n_points'])} points with |z| <= {i['z_max']:g}",
        f"both <= 4 eps = {TOL_ULP:.2g}",
        claims.verdict(float(i["max_abs_diff"]) <= TOL_ULP),
        "results/activations/sigmoid_tanh_identity.csv",
    )


def row_derivatives(deriv: pd.DataFrame) -> dict:
    """C08: the lecture's g' formulas and the registry's g' against central FD."""
    dmax = float(deriv["max_abs_err_lecture_formula"].max())
    dreg = float(deriv["max_abs_err_registry"].max())
    worst = deriv.loc[deriv["max_abs_err_registry"].idxmax(), "activation"]
    return claims.row(
        "C08",
        f"max |lecture formula - central FD| = {dmax:.2g} ({', '.join(n for n in deriv['activation'] if n in LECTURE_RANGE)}); "
        f"max |registry g' - FD| = {dreg:.2g} ({worst}) over all {len(deriv)} elementwise activations, "
        f"|z| >= {KINK:g}, step {deriv['step'].iloc[0]:g}",
        f"both <= {TOL_FD:g} (partly: the lecture's formulas hold but a registry g' does not)",
        claims.verdict(dmax <= TOL_FD and dreg <= TOL_FD, dmax <= TOL_FD),
        "results/activations/derivative_check.csv; figures/activations/activations.png",
    )


def rows_init_sparsity(init: pd.DataFrame, summary: pd.DataFrame, threshold: float) -> list[dict]:
    """C06 at initialisation: zero biases give 1/2 by symmetry (a sanity check, on the pooled
    nets and layers); nonzero biases break the symmetry, and the fraction is then measured
    per (init, width, layer) group (evidence)."""
    sym = init.loc[init["bias"] == 0, "fraction_zero"]
    pooled = median(sym) if len(sym) else Estimate(np.nan, np.nan, np.nan)
    biased = summary[(summary["phase"] == "init") & (summary["bias"] != 0)]
    sparse = biased["zero_lo"] >= threshold
    lows = biased.sort_values("median_zero").head(3)
    return [
        claims.row(
            "C06",
            f"zero biases: median fraction of relu units exactly 0 over {len(sym)} (net, layer) pairs = "
            f"{pooled.fmt('.3f')}",
            f"the interval within 1/2 +- {SYMMETRIC_BAND:g} (W and -W equally likely, b = 0: P(z <= 0) = 1/2)",
            claims.verdict(bool(pooled.lo >= 0.5 - SYMMETRIC_BAND and pooled.hi <= 0.5 + SYMMETRIC_BAND)),
            "results/activations/relu_sparsity.csv; figures/activations/relu_sparsity.png",
            kind="sanity check",
        ),
        claims.row(
            "C06",
            f"nonzero biases b = {', '.join(f'{b:g}' for b in sorted(biased['bias'].unique()))} at init: "
            f"{int(sparse.sum())} of {len(biased)} (init x width x layer) groups sparse; lowest medians [95% CI]: "
            + "; ".join(f"{r.group}, layer {r.layer}: {_median(r)}" for r in lows.itertuples())
            + f"; dead units (median) <= {biased['median_dead'].max():.2f}",
            f"sparse activity = a substantial fraction of units exactly 0 on an input (sigmoid and tanh: none): the "
            f"95% interval of the median net's fraction >= {threshold:g} in every group",
            claims.verdict(bool(len(biased)) and bool(sparse.all()), bool(sparse.any())),
            "results/activations/relu_sparsity.csv; figures/activations/relu_sparsity.png",
        ),
    ]


def row_trained_sparsity(summary: pd.DataFrame, threshold: float, tol: float) -> dict:
    """C06 after training: the fraction of exact zeros of converged members, per dataset and layer."""
    t = summary[summary["phase"] == "trained"]
    sparse = t["zero_lo"] >= threshold
    per = "; ".join(
        f"{r.group} layer {r.layer}: {_median(r)} ({r.counted} of {r.members} "
        f"converged; change from init {Estimate(r.median_change_from_init, r.change_lo, r.change_hi).fmt('+.2f')}; "
        f"dead {r.median_dead:.2f})"
        for r in t.itertuples()
    )
    return claims.row(
        "C06",
        f"relu nets trained on Playground data, median fraction of units exactly 0 on test inputs [95% CI]: {per}; "
        f"largest change of a member's fraction over the last 10% of the budget {t['max_change_last_10pct'].max():.3f}",
        f"converged members only (relative gradient norm <= {tol:g}); sparse as at init: interval >= {threshold:g} "
        "for every dataset and layer",
        claims.verdict(bool(len(t)) and bool(sparse.all()), bool(sparse.any())),
        "results/activations/relu_sparsity_trained.csv; results/activations/relu_sparsity_summary.csv; "
        "figures/activations/relu_sparsity.png",
    )


def rows_maps(support: pd.DataFrame) -> list[dict]:
    """C09: softmax has full support (zeros only as float64 underflow); sparsemax is the
    projection onto the simplex and returns exact zeros."""
    sm, sp = support[support["map"] == "softmax"], support[support["map"] == "sparsemax"]
    sums = support["max_abs_sum_minus_1"] <= support["tolerance"]
    fp = (support["fp_error_except_underflow"] == "") & support["all_finite"]
    underflow_only = bool(
        (sm["zeros_are_underflow"].astype(bool) & sm["positive_where_representable"].astype(bool)).all()
    )
    sm_ok = len(sm) > 0 and underflow_only and bool((sums[sm.index] & fp[sm.index]).all())
    sp_proj = (sp["max_abs_diff_bisection"] <= sp["tolerance"]) & sp["min_entry_ge_0"] & sums[sp.index] & fp[sp.index]
    zeros = [fraction(int(k), int(n)) for k, n in zip(sp["samples_with_zero"], sp["samples"])]
    sp_ok = bool(len(sp)) and bool(sp_proj.all()) and any(z.lo > 0 for z in zeros)
    pos = [f"{s:g}" for s in sm.loc[sm["min_entry"] > 0, "scale"]]
    evidence = "results/activations/map_support.csv; figures/activations/two_class.png; figures/activations/simplex.png"
    return [
        claims.row(
            "C09",
            f"softmax: min entry > 0 at scales {', '.join(pos) or 'none'}; at every scale each exact zero has exact "
            f"log p < {LOG_TINY:.1f} (float64 underflow) and every entry with log p >= {LOG_TINY + GRAY:.1f} is > 0 "
            f"= {underflow_only} "
            f"({int(sm['entries_in_gray_zone'].sum())} entries within {GRAY:g} of the underflow limit); max |sum - 1| = "
            f"{sm['max_abs_sum_minus_1'].max():.2g}; finite, no overflow/invalid up to scale {sm['scale'].max():g} = {bool(fp[sm.index].all())}",
            f"> 0 wherever float64 can represent it, sums to 1 within {TOL_SUM:.2g} x max(1, scale), finite",
            claims.verdict(sm_ok),
            evidence,
        ),
        claims.row(
            "C09",
            "sparsemax: samples with an exact zero by logit scale: "
            + ", ".join(f"{s:g}: {z.fmt('.2f')}" for s, z in zip(sp["scale"], zeros))
            + f"; max |sparsemax - bisection projection| = {sp['max_abs_diff_bisection'].max():.2g}; min entry "
            f"{sp['min_entry'].min():g}; max |sum - 1| = {sp['max_abs_sum_minus_1'].max():.2g}",
            f"equals the projection onto the simplex (bisection) within {TOL_SUM:.2g} x max(1, scale), >= 0, and the "
            "95% interval of samples with an exact zero excludes 0 at some scale",
            claims.verdict(sp_ok),
            evidence,
        ),
    ]
