"""The claim rows of the approximation family, computed from its tables.

C10 (universal approximation, judged in the sup norm on a dense grid):
1. evidence: the approximation error of width K (best net of that width, constructed or
   trained) starts above the bar with `few_units` units (no target is in the model class),
   ends below it at the largest width, and falls (slope interval below 0);
2. evidence: each construction's fitted rate (95% interval) lies within slope_tol of theory;
3. finding: the optimisation error, trained nets (stationary restarts only) over the best net
   of the same width.
C11 (depth separation): the deep width-2 net is exact with 2L units, the shallow units needed
grow like 2^L (interval of the log2 slope), and no net beats the lower bound.
"""

import pandas as pd

from experiments import claims, stats
from experiments.approximation.depth import growth_slope
from experiments.approximation.rates import fit_slope

EVIDENCE = (
    "results/approximation/width_errors.csv; results/approximation/width_best.csv; "
    "results/approximation/width_slopes.csv; figures/approximation/width_errors.png"
)


def cell_checks(best: pd.DataFrame, p: dict) -> pd.DataFrame:
    """Per (target, activation): the approximation error with at most few_units units, at the
    largest width, its fitted slope over the largest fit_last widths, and whether all hold."""
    rows = []
    for (target, activation), g in best.groupby(["target", "activation"], sort=True):
        g = g.sort_values("K")
        slope = fit_slope(g["K"], g["sup"], p["fit_last"])
        few = g.loc[g["K"] <= p["few_units"], "sup"].min()
        rows.append(
            {
                "target": target,
                "activation": activation,
                "few": few,
                "K_max": int(g["K"].iloc[-1]),
                "top": float(g["sup"].iloc[-1]),
                "slope": slope,
                "ok": bool(few > p["sup_tol"] and g["sup"].iloc[-1] <= p["sup_tol"] and slope.hi < 0),
            }
        )
    return pd.DataFrame(rows)


def extreme(values: pd.Series, largest: bool) -> int:
    """Index of the largest (smallest) value at the 3 significant digits printed, ties to the
    first: the sigmoid and tanh staircases are one function, whose errors differ only in the
    last bits, so the cell named must not depend on round-off."""
    shown = values.map(lambda v: float(f"{v:.3g}"))
    return shown.idxmax() if largest else shown.idxmin()


def approximation_row(best: pd.DataFrame, p: dict) -> dict:
    c = cell_checks(best, p)
    tol, few = p["sup_tol"], p["few_units"]
    worst_top, worst_few = c.loc[extreme(c["top"], True)], c.loc[extreme(c["few"], False)]
    steep = c.loc[extreme(c["slope"].map(lambda e: e.hi), True)]
    fails = ", ".join(f"{r.target}/{r.activation}" for r in c.itertuples() if not r.ok)
    n_ok = int(c["ok"].sum())
    return claims.row(
        "C10",
        f"approximation error (sup norm on a dense grid; best of the construction and the stationary L-BFGS "
        f"restarts of each width): with <= {few} units at least {worst_few.few:.3g} ({worst_few.target}/"
        f"{worst_few.activation}); at the largest width (K = {'/'.join(map(str, sorted(set(c['K_max']))))}) at most "
        f"{worst_top.top:.3g} ({worst_top.target}/{worst_top.activation}); log-log slope over the largest "
        f"{p['fit_last']} widths at most {steep.slope.fmt('.3f')} ({steep.target}/{steep.activation}); "
        f"{n_ok}/{len(c)} (target, activation) cells meet all three" + (f"; failing: {fails}" if fails else ""),
        f"every cell: sup error > {tol:g} with <= {few} units (target outside the model class), <= {tol:g} at "
        "the largest width, slope interval below 0",
        claims.verdict(n_ok == len(c), n_ok >= len(c) / 2),
        EVIDENCE,
    )


def rates_row(sl: pd.DataFrame, p: dict) -> dict:
    con = sl[(sl["norm"] == "sup") & sl["theory"].notna()]
    txt = "; ".join(
        f"{r.method} ({r.activation}) {r.target} {stats.Estimate(r.slope, r.slope_lo, r.slope_hi).fmt('.3f')} "
        f"(theory {r.theory:g})"
        for r in con.itertuples()
    )
    n_ok = int(con["near_theory"].sum())
    return claims.row(
        "C10",
        f"constructions, log-log slope of the sup error vs K (95% interval) on widths "
        f"{', '.join(sorted(set(con['fit_widths']))) or 'none'}: {txt or 'no construction with a theory rate'}",
        f"the interval lies within {p['slope_tol']:g} of the theory rate for every construction ({n_ok}/{len(con)} do)",
        claims.verdict(n_ok == len(con) > 0, n_ok >= len(con) / 2 > 0),
        EVIDENCE,
    )


def ratio_at(errs: pd.DataFrame, best: pd.DataFrame, method: str) -> pd.DataFrame:
    """Per cell at the method's largest width: its sup error over the best net's of that width."""
    d = errs[errs["method"] == method]
    d = d[d["K"] == d["K"].max()].merge(best, how="left", on=["target", "activation", "K"], suffixes=("", "_best"))
    return d.assign(ratio=d["sup"] / d["sup_best"])


def optimisation_row(errs: pd.DataFrame, best: pd.DataFrame, p: dict) -> dict:
    parts = []
    for method, name in (
        ("lbfgs", "L-BFGS"),
        ("sgd", f"plain SGD ({sum(seg['epochs'] for seg in p['sgd']['schedule'])} epochs, rate stepped down)"),
    ):
        d = ratio_at(errs, best, method)
        members = errs[errs["method"] == method]
        conv = stats.fraction(int(members["n_converged"].sum()), int(members["restarts"].sum()))
        r = d["ratio"].dropna()
        ratio = f"median {stats.median(r).fmt()}, max {r.max():.3g}" if len(r) else "undefined"
        parts.append(
            (
                len(r) == len(d) and r.max() <= p["optimisation_factor"],
                f"{name}: stationary members {conv.fmt('.2f')}; at K = {d['K'].max()} trained / best sup error "
                f"{ratio} ({len(r)}/{len(d)} cells with a stationary member)",
            )
        )
    return claims.row(
        "C10",
        "optimisation error (stationary: relative loss change over the last 10% of the budget <= "
        f"{p['stationary_tol']:g}): " + "; ".join(text for _, text in parts),
        f"trained nets come within a factor {p['optimisation_factor']:g} of the best net of their width in every cell",
        claims.verdict(all(ok for ok, _ in parts), any(ok for ok, _ in parts)),
        EVIDENCE,
        kind="finding",
    )


def c10_rows(errs: pd.DataFrame, best: pd.DataFrame, sl: pd.DataFrame, p: dict) -> pd.DataFrame:
    return pd.DataFrame([approximation_row(best, p), rates_row(sl, p), optimisation_row(errs, best, p)])


def c11_rows(deep: pd.DataFrame, con: pd.DataFrame, trained: pd.DataFrame, need: pd.DataFrame, p: dict):
    exact = bool(
        (deep["pieces"] == deep["pieces_theory"]).all()
        and (deep["max_abs_err"] <= 1e-12).all()
        and (deep["units"] == 2 * deep["L"]).all()
    )
    slope = growth_slope(need)
    bound_ok = bool(
        con["bound_ok"].all()
        and (trained["l1"] >= trained["l1_bound"] - 1e-9).all()
        and (need["shallow_constructed"] >= need["lower_bound"]).all()
        and (need["shallow_trained"].dropna() >= need.loc[need["shallow_trained"].notna(), "lower_bound"]).all()
    )
    ratios = ", ".join(f"L={r.L}: {r.shallow_constructed} ({r.constructed_over_2L:.2f} 2^L)" for r in need.itertuples())
    reached = trained[trained["reached"]]
    tr = ", ".join(
        f"L={r.L}: {int(r.shallow_trained) if r.shallow_trained == r.shallow_trained else '>' + str(r.trained_max_tried)}"
        for r in need.itertuples()
        if r.trained_max_tried
    )
    still = int((reached["last_change"] <= p["stationary_tol"]).sum())
    margins = pd.concat([con["margin"], trained["margin"]]).min()
    holds = exact and bound_ok and slope.lo >= p["log2_slope_min"]
    row = claims.row(
        "C11",
        f"deep width-2 net: exact (max abs error {deep['max_abs_err'].max():.1e}, 2^L pieces for L = "
        f"{deep['L'].min()}..{deep['L'].max()}) with {'2L' if exact else 'its'} units; shallow relu units needed for "
        f"L1 < {p['l1_target']:g}: constructed {ratios}; log2 slope vs L (L >= 3) {slope.fmt('.2f')}; trained "
        f"(L-BFGS, best restart; {still}/{len(reached)} of those reaching the target stationary) {tr}; lower bound "
        f"2^(L-2) - 1 {'respected by every net' if bound_ok else 'VIOLATED'}; every L1 decision at relative margin "
        f">= {margins:.1e}",
        f"deep exact with 2L units; shallow units grow like 2^L (log2 slope interval above {p['log2_slope_min']:g} "
        "for L >= 3) and never below the bound",
        claims.verdict(holds, exact and bound_ok),
        "results/approximation/depth_needed.csv; results/approximation/depth_deep.csv; "
        "results/approximation/depth_constructed.csv; figures/approximation/depth_units.png",
    )
    return pd.DataFrame([row])
