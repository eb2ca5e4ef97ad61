"""Claim rows of the losses and backpropagation (C16, C17): verdicts computed from the measured
tables, one function per row."""

import numpy as np
import pandas as pd

from experiments import claims
from experiments.activations.backprop import TOL_ABS, TOL_REL


def row_loss_gradients(lg: pd.DataFrame) -> dict:
    """C16: the core's gradient at z against a closed form written out in the experiment and
    against central FD of the core's loss value."""
    fd_err = float(lg["max_abs_err_fd"].max())
    has_cf = lg["max_abs_err_closed_form"].notna()
    cf_err = float(lg.loc[has_cf, "max_abs_err_closed_form"].max()) if has_cf.any() else np.nan
    fd_ok, cf_ok = fd_err <= TOL_REL, bool(has_cf.any()) and cf_err <= TOL_REL
    without = ", ".join(f"{o}/{lo}" for o, lo in zip(lg.loc[~has_cf, "output"], lg.loc[~has_cf, "loss"]))
    return claims.row(
        "C16",
        f"{len(lg)} (output, loss) pairs: max |core gradient at z - independent closed form| = {cf_err:.2g} "
        f"({int(has_cf.sum())} pairs: softmax(z) - y with softmax written out, (1 + tanh(z/2))/2 - y, sparsemax(z) - y "
        f"with sparsemax by bisection, J_o(z)^T (f - y) with J_o by FD; no formula for: {without or 'none'}); "
        f"max |core gradient - central FD of the core's loss| = {fd_err:.2g}",
        f"both <= {TOL_REL:g} (partly: closed forms hold but the core's loss value disagrees with its gradient)",
        claims.verdict(fd_ok and cf_ok, cf_ok),
        "results/activations/loss_gradients.csv; figures/activations/losses.png",
    )


def row_zero_one(zo: pd.DataFrame) -> dict:
    """C16: the 0/1 loss gives gradient methods nothing: FD exactly 0 away from the decision
    boundary, and 1/(2 step) (unbounded) at a tie."""
    zero_ok = bool((zo["nonzero_fd_with_margin_gt_2step"] == 0).all() and (zo["fraction_fd_exactly_0"] > 0.99).all())
    by_step = zo.sort_values("step", ascending=False)
    tie_grows = len(zo) > 1 and bool(np.all(np.diff(by_step["max_abs_fd_at_tie"]) > 0))
    fracs = ", ".join(f"step {h:g}: {f:.4f}" for h, f in zip(zo["step"], zo["fraction_fd_exactly_0"]))
    return claims.row(
        "C16",
        f"0/1 loss: fraction of finite differences exactly 0 at {int(zo['points'].iloc[0])} random points ({fracs}); "
        f"points with a nonzero difference farther than 2 steps from the decision boundary: "
        f"{int(zo['nonzero_fd_with_margin_gt_2step'].sum())}; at a tie |FD| = 1/(2 step) = "
        f"{zo['max_abs_fd_at_tie'].max():.3g} for the smallest step, growing as the step shrinks = {tie_grows}",
        "FD exactly 0 for > 99% of entries and nonzero only within 2 steps of the boundary; |FD| at a tie grows "
        "without bound (over >= 2 steps): no useful gradient",
        claims.verdict(zero_ok and tie_grows),
        "results/activations/zero_one_fd.csv; figures/activations/losses.png",
    )


def row_chain_rule(cr: pd.DataFrame) -> dict:
    """C17: the lecture's worked example (a sanity check: it is the example's own algebra)."""
    closed = float(cr["abs_chain_minus_closed"].max())
    fd = float((cr["abs_chain_minus_fd"] / np.maximum(1, np.abs(cr["chain_rule"]))).max())
    return claims.row(
        "C17",
        f"u = t^2, v = 3t + 1, r = uv at t = {', '.join(f'{t:g}' for t in cr['t'])}: max |2tv + 3u - (9t^2 + 2t)| = "
        f"{closed:.2g}; max |chain rule - central FD| / max(1, |dr/dt|) = {fd:.2g}",
        "chain rule equals the closed form to 1e-12 and FD to 1e-7",
        claims.verdict(closed <= 1e-12 and fd <= 1e-7),
        "results/activations/chain_rule.csv",
        kind="sanity check",
    )


def _passes(df: pd.DataFrame) -> str:
    rel = df["rel_err"].dropna()
    n_abs = int((df["error_used"] == "absolute").sum())
    return (
        f"{int(df['passes'].sum())} of {len(df)} pass; max relative error {rel.max():.2g} (median {rel.median():.2g}); "
        f"{n_abs} judged by absolute error (gradient below FD noise or exactly 0), max {df['max_abs_err'].max():.2g}"
    )


CRITERION = f"every check: relative error <= {TOL_REL:g} or absolute error <= {TOL_ABS:g} (partly: >= 90% pass)"


def row_param_gradients(gc: pd.DataFrame) -> dict:
    """C17: backprop's gradient of every parameter against central FD, every registry combination."""
    sign = gc[gc["hidden"] == "sign"]
    return claims.row(
        "C17",
        f"{len(gc)} parameter-gradient checks ({gc['hidden'].nunique()} hidden activations x "
        f"{gc[['output', 'loss']].drop_duplicates().shape[0]} (output, loss) pairs x depths "
        f"{[int(d) for d in sorted(gc['depth'].unique())]} x lambda {[float(x) for x in sorted(gc['l2'].unique())]}): "
        f"{_passes(gc)}; sign-hidden nets (g' = 0): {int(sign['params_zero_grad'].sum())} parameters with backprop "
        "and FD both exactly 0",
        CRITERION,
        claims.verdict(bool(gc["passes"].all()), float(gc["passes"].mean()) >= 0.9),
        "results/activations/gradcheck.csv; figures/activations/gradcheck.png",
    )


def row_layer_gradients(lt: pd.DataFrame) -> dict:
    """C17: the recursion's grad_h^(l) and grad_z^(l) per hidden layer against FD wrt h and z."""
    per = "; ".join(f"{q}: {_passes(g)}" for q, g in lt.groupby("quantity"))
    return claims.row(
        "C17",
        f"{len(lt)} per-layer checks (every hidden layer of the same nets, lambda = 0) of grad_z^(l) (the core's "
        "backward, read as grad_b^(l) of one-sample members) and grad_h^(l) = W^(l+1)^T grad_z^(l+1) against central "
        f"FD wrt z^(l) and h^(l) (perturb one unit, propagate forward): {per}",
        CRITERION,
        claims.verdict(bool(lt["passes"].all()), float(lt["passes"].mean()) >= 0.9),
        "results/activations/layer_gradients.csv; figures/activations/layer_gradients.png",
    )
