"""C20's claim rows from the per-spectrum summary (`summaries.projection_final`): the learned
subspace, the reconstruction error against Eckart-Young, and the tie. Each counts only
converged members and decides by 95% intervals of medians."""

import pandas as pd

from experiments import claims

MIN_CONVERGED = 0.9  # a row needs at least this share of each spectrum's members converged
EY_SLACK = 1e-9  # no member may fall below the Eckart-Young optimum by more than this (relative)
EVIDENCE = "results/representations/projection_summary.csv; figures/representations/projection.png"


def _converged(r) -> bool:
    return r["converged"] >= MIN_CONVERGED * r["seeds"]


def _all_or_some(passes: list[bool]) -> str:
    return claims.verdict(bool(passes) and all(passes), partly=any(passes))


def _est(r, prefix: str, spec: str = ".2g") -> str:
    return f"{r[prefix]:{spec}} [{r[prefix + '_lo']:{spec}}, {r[prefix + '_hi']:{spec}}]"


def _members(r) -> str:
    return f"{r['converged']}/{r['seeds']} converged"


def subspace_row(final: pd.DataFrame, K: int, angle_tol: float, tol: float) -> dict:
    gap = final[final["kind"] == "gap"]
    passes = [_converged(r) and r["sin_top_hi"] <= angle_tol for _, r in gap.iterrows()]
    measured = "; ".join(
        f"{r['spectrum']} (lambda_K {r['lambda_K']:g} > lambda_K+1 {r['lambda_K1']:g}), {_members(r)}: "
        f"sin theta_max of the decoder's span vs the top-{K} PCA subspace {r['sin_top_init']:.2f} at init -> "
        f"{_est(r, 'sin_top')} (max {r['sin_top_max']:.2g}); encoder's rows {_est(r, 'sin_top_encoder')}"
        for _, r in gap.iterrows()
    )
    return claims.row(
        "C20",
        measured,
        f"for every spectrum with a gap at K = {K}: >= {MIN_CONVERGED:.0%} of the seeds converged (training loss "
        f"moved <= {tol:g} over the last 10% of epochs) and the converged members' median sine of the largest "
        f"principal angle has its 95% upper bound <= {angle_tol:g}",
        _all_or_some(passes),
        EVIDENCE,
    )


def reconstruction_row(final: pd.DataFrame, K: int, excess_tol: float) -> dict:
    passes = [
        _converged(r) and r["excess_hi"] <= excess_tol and r["excess_min"] >= -EY_SLACK for _, r in final.iterrows()
    ]
    measured = "; ".join(
        f"{r['spectrum']}, {_members(r)}: optimum 1/2 sum_(j>{K}) lambda_j = {r['optimum']:.4g}; "
        f"(L - L*)/L* = {_est(r, 'excess')} (range {r['excess_min']:.2g} to {r['excess_max']:.2g})"
        for _, r in final.iterrows()
    )
    return claims.row(
        "C20",
        measured,
        f"for every spectrum: >= {MIN_CONVERGED:.0%} converged, the median relative excess over the Eckart-Young "
        f"optimum has its 95% upper bound <= {excess_tol:g}, and no member lies below the optimum (by > {EY_SLACK:g})",
        _all_or_some(passes),
        EVIDENCE,
    )


def tie_row(final: pd.DataFrame, K: int, angle_tol: float, excess_tol: float) -> dict:
    tie, gap = final[final["kind"] == "tie"], final[final["kind"] == "gap"]
    passes = [
        _converged(r)
        and r["excess_hi"] <= excess_tol
        and max(r["sin_inner_hi"], r["sin_outer_hi"]) <= angle_tol
        and r["sin_pair_lo"] > angle_tol
        for _, r in tie.iterrows()
    ]
    measured = "; ".join(
        f"{r['spectrum']} (lambda_K = lambda_K+1 = {r['lambda_K']:g}), {_members(r)}: (L - L*)/L* {_est(r, 'excess')}; "
        f"top-{K - 1} eigenvectors outside the learned span {_est(r, 'sin_inner')}, learned span outside the "
        f"top {K + 1} {_est(r, 'sin_outer')}; sin theta_max vs the top-{K} reference {_est(r, 'sin_top')}, "
        f"between consecutive seeds {_est(r, 'sin_pair')}"
        for _, r in tie.iterrows()
    )
    measured += "; contrast, " + "; ".join(
        f"{r['spectrum']}: between consecutive seeds {_est(r, 'sin_pair')}" for _, r in gap.iterrows()
    )
    return claims.row(
        "C20",
        measured,
        f"for every spectrum with a tie at K = {K}: >= {MIN_CONVERGED:.0%} converged, the loss reaches the optimum "
        f"(median excess upper bound <= {excess_tol:g}), the learned subspace holds the top {K - 1} eigenvectors and "
        f"lies in the top {K + 1} (median sines' upper bounds <= {angle_tol:g}), yet different seeds end in "
        f"different subspaces (median sine between consecutive seeds, 95% lower bound > {angle_tol:g})",
        _all_or_some(passes),
        EVIDENCE,
        kind="finding",
    )


def claims_projection(final: pd.DataFrame, cfg: dict) -> pd.DataFrame:
    """The three C20 rows (`cfg`: the summary's projection block)."""
    K, angle_tol, excess_tol = cfg["K"], cfg["angle_tol"], cfg["excess_tol"]
    return pd.DataFrame(
        [
            subspace_row(final, K, angle_tol, cfg["stationary_change"]),
            reconstruction_row(final, K, excess_tol),
            tie_row(final, K, angle_tol, excess_tol),
        ]
    )
