"""The family's claim rows (C06-C09, C16, C17): verdicts computed from the measured tables."""

import numpy as np
import pandas as pd

from experiments import claims
from experiments.activations.backprop import TOL_ABS, TOL_REL
from experiments.activations.functions import INNER, KINK, LECTURE_RANGE, TOL_FD, TOL_ULP
from experiments.activations.maps import LOG_TINY, TOL_SUM


def claim_rows_functions(
    ranges: pd.DataFrame, ident: pd.DataFrame, sparsity: pd.DataFrame, deriv: pd.DataFrame
) -> pd.DataFrame:
    r = ranges[ranges["activation"].isin(LECTURE_RANGE)].set_index("activation")
    no_fp = bool((r["fp_error_except_underflow"] == "").all())
    ranges_ok = bool(r["within_closed_range"].all() and r["strictly_inside_for_abs_z_le_15"].fillna(True).all())
    mono_ok = bool(
        r["nondecreasing"].all()
        and r.loc[r["lecture_says_strictly_increasing"], "strictly_increasing_abs_z_le_15"].all()
    )
    first = sparsity[sparsity["layer"] == 1]
    frac_dev = float(np.abs(sparsity["fraction_zero"] - 0.5).max())
    underflow = ", ".join(f"{n}" for n, e in zip(ranges["activation"], ranges["fp_error_all_raise"]) if e)
    bound = r.loc[
        [LECTURE_RANGE[n][2] and np.isfinite(LECTURE_RANGE[n][1]) for n in r.index], "reaches_bound_from_abs_z"
    ]
    dmax = float(deriv["max_abs_err_lecture_formula"].max())
    dreg = float(deriv["max_abs_err_registry"].max())
    ev_r = "results/activations/activation_ranges.csv; results/activations/relu_sparsity.csv"
    return pd.DataFrame(
        [
            claims.row(
                "C06",
                f"on {int(r['n_points'].iloc[0])} points with |z| <= {r['z_max'].iloc[0]:g}: ranges hold "
                f"(closed bounds; strictly inside for |z| <= {INNER:g}) = {ranges_ok}; monotonicity = {mono_ok}; "
                f"no overflow/invalid/divide errors = {no_fp} (underflow raised only by: {underflow or 'none'}); "
                f"relu max = {r.loc['relu', 'max']:g} (unbounded); float64 rounds to the open bound from |z| = "
                + ", ".join(f"{k} {v:.3g}" for k, v in bound.items())
                + f"; relu units exactly 0 at init: {first['fraction_zero'].min():.3f}-"
                f"{first['fraction_zero'].max():.3f} (layer 1), all layers within {frac_dev:.3f} of 0.5",
                "ranges, monotonicity and no FP errors (underflow to 0 allowed) all hold; relu zero fraction "
                "within 0.05 of 0.5 for every init, width and layer",
                claims.verdict(ranges_ok and mono_ok and no_fp and frac_dev <= 0.05, ranges_ok and mono_ok and no_fp),
                ev_r + "; figures/activations/activations.png",
            ),
            claims.row(
                "C07",
                f"max |sigma(z) - (1 + tanh(z/2))/2| = {ident['max_abs_diff'].iloc[0]:.3g} over "
                f"{int(ident['n_points'].iloc[0])} points with |z| <= {ident['z_max'].iloc[0]:g}",
                f"<= 4 eps = {TOL_ULP:.2g}",
                claims.verdict(float(ident["max_abs_diff"].iloc[0]) <= TOL_ULP),
                "results/activations/sigmoid_tanh_identity.csv",
            ),
            claims.row(
                "C08",
                f"max |lecture formula - central FD| = {dmax:.2g} (linear, sigmoid, tanh, relu); "
                f"max |registry g' - FD| = {dreg:.2g} over all {len(deriv)} elementwise activations, "
                f"|z| >= {KINK:g}, step {deriv['step'].iloc[0]:g}",
                f"both <= {TOL_FD:g}",
                claims.verdict(dmax <= TOL_FD and dreg <= TOL_FD, dmax <= TOL_FD),
                "results/activations/derivative_check.csv; figures/activations/activations.png",
            ),
        ]
    )


def claim_rows_maps(support: pd.DataFrame) -> pd.DataFrame:
    sm, sp = support[support["map"] == "softmax"], support[support["map"] == "sparsemax"]
    fp_ok = bool((support["fp_error_except_underflow"] == "").all() and support["all_finite"].all())
    sums_ok = bool((support["max_abs_sum_minus_1"] <= support["tolerance"]).all())
    pos_scales = [f"{s:g}" for s in sm.loc[sm["min_entry"] > 0, "scale"]]
    raises = ", ".join(f"{s:g}" for s in sm.loc[sm["fp_error_all_raise"] != "", "scale"])
    sm_ok = bool(sm["zeros_are_underflow"].astype(bool).all() and sm["positive_where_representable"].astype(bool).all())
    sp_ok = bool(
        sp["min_entry_ge_0"].all()
        and (sp["fraction_zero"] > 0).any()
        and (sp["max_abs_diff_bisection"] <= sp["tolerance"]).all()
    )
    zero_frac = ", ".join(f"{s:g}: {f:.2f}" for s, f in zip(sp["scale"], sp["fraction_zero"]))
    return pd.DataFrame(
        [
            claims.row(
                "C09",
                f"softmax > 0 at scales {', '.join(pos_scales)}; at larger scales its exact zeros are all float64 "
                f"underflow (exact log p < {LOG_TINY:.1f}) and every representable entry is > 0 = {sm_ok}; max |sum - 1| = {support['max_abs_sum_minus_1'].max():.2g}; "
                f"finite, no overflow/invalid up to scale {support['scale'].max():g} = {fp_ok} (under np.errstate(all='raise') "
                f"softmax raises on underflow at scales {raises or 'none'}); sparsemax fraction of exact "
                f"zeros by scale ({zero_frac}); max |sparsemax - bisection projection| = "
                f"{sp['max_abs_diff_bisection'].max():.2g}",
                f"softmax: > 0 wherever float64 can represent it (every zero an underflow); both maps: finite, sum to 1 within "
                f"{TOL_SUM:.2g} x max(1, scale); sparsemax: >= 0, exact zeros at some scale, equals the bisection "
                "projection within the same tolerance",
                claims.verdict(sm_ok and sp_ok and fp_ok and sums_ok),
                "results/activations/map_support.csv; figures/activations/two_class.png; figures/activations/simplex.png",
            )
        ]
    )


def claim_rows_losses(lg: pd.DataFrame, zo: pd.DataFrame) -> pd.DataFrame:
    fd_err, cf_err = float(lg["max_abs_err_fd"].max()), float(lg["max_abs_err_closed_form"].max())
    zero_ok = bool((zo["nonzero_fd_with_margin_gt_2step"] == 0).all() and (zo["fraction_fd_exactly_0"] > 0.99).all())
    tie_grows = bool(np.all(np.diff(zo.sort_values("step", ascending=False)["max_abs_fd_at_tie"]) > 0))
    fracs = ", ".join(f"step {h:g}: {f:.4f}" for h, f in zip(zo["step"], zo["fraction_fd_exactly_0"]))
    return pd.DataFrame(
        [
            claims.row(
                "C16",
                f"{len(lg)} (output, loss) pairs: max |core gradient at z - central FD| = {fd_err:.2g}, "
                f"max |core - closed form (o(z) - y fused; J^T (f - y) squared)| = {cf_err:.2g}",
                f"both <= {TOL_REL:g}",
                claims.verdict(fd_err <= TOL_REL and cf_err <= TOL_REL),
                "results/activations/loss_gradients.csv; figures/activations/losses.png",
            ),
            claims.row(
                "C16",
                f"0/1 loss: fraction of finite differences exactly 0 at {int(zo['points'].iloc[0])} random "
                f"points ({fracs}); nonzero only within 2 steps of the decision boundary = "
                f"{bool((zo['nonzero_fd_with_margin_gt_2step'] == 0).all())}; at a tie |FD| = 1/(2 step) = "
                f"{zo['max_abs_fd_at_tie'].max():.3g} for the smallest step, growing as the step shrinks = {tie_grows}",
                "FD exactly 0 for > 99% of entries and nonzero only within 2 steps of the boundary; |FD| at a "
                "tie grows without bound: no useful gradient",
                claims.verdict(zero_ok and tie_grows),
                "results/activations/zero_one_fd.csv; figures/activations/losses.png",
            ),
        ]
    )


def claim_rows_backprop(cr: pd.DataFrame, gc: pd.DataFrame) -> pd.DataFrame:
    closed = float(cr["abs_chain_minus_closed"].max())
    fd = float((cr["abs_chain_minus_fd"] / np.maximum(1, np.abs(cr["chain_rule"]))).max())
    rel = gc["rel_err"].dropna()
    n_abs = int(gc["rel_err"].isna().sum())
    sign = gc[gc["hidden"] == "sign"]
    sign_abs = float(sign["max_abs_err"].max()) if len(sign) else np.nan
    zero_params = int(sign["params_zero_grad"].sum())
    abs_max = float(gc.loc[gc["rel_err"].isna(), "max_abs_err"].max()) if n_abs else np.nan
    return pd.DataFrame(
        [
            claims.row(
                "C17",
                f"u = t^2, v = 3t + 1, r = uv at t = {', '.join(f'{t:g}' for t in cr['t'])}: max |2tv + 3u "
                f"- (9t^2 + 2t)| = {closed:.2g}; max |chain rule - central FD| / max(1, |dr/dt|) = {fd:.2g}",
                "chain rule equals the closed form to 1e-12 and FD to 1e-7",
                claims.verdict(closed <= 1e-12 and fd <= 1e-7),
                "results/activations/chain_rule.csv",
            ),
            claims.row(
                "C17",
                f"{len(gc)} checks ({gc['hidden'].nunique()} hidden activations x "
                f"{gc[['output', 'loss']].drop_duplicates().shape[0]} (output, loss) pairs x depths "
                f"{[int(d) for d in sorted(gc['depth'].unique())]} x lambda "
                f"{[float(x) for x in sorted(gc['l2'].unique())]}): max relative error {rel.max():.2g} (median {rel.median():.2g}); "
                f"{n_abs} checks with an all-zero gradient (relative error undefined) judged by absolute error "
                f"(max {abs_max:.2g}); sign-hidden nets (g' = 0: gradients only from the last layer and lambda W, "
                f"{zero_params} parameters with backprop and FD both exactly 0) max abs error {sign_abs:.2g}",
                f"every check: relative error <= {TOL_REL:g} (absolute <= {TOL_ABS:g} where relative is undefined)",
                claims.verdict(bool(gc["passes"].all()), float(gc["passes"].mean()) >= 0.9),
                "results/activations/gradcheck.csv; figures/activations/gradcheck.png",
            ),
        ]
    )
