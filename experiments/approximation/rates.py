"""Convergence rates of C10: the exponent p of sup error ~ K^p that theory gives for each
construction, next to the log-log slope fitted (with its 95% interval) on the largest widths
(trained nets get the fitted slope only: their error depends on the optimiser too).

Smoothness classes of the targets (mlp.data.TARGETS_1D), facts of their formulas: "smooth"
(C^2 on [-1, 1]) or "kink" (Lipschitz, C^2 except at one point that is never a node of the
construction's grid). A target not listed gets no theory rate (reported, not judged).
"""

import numpy as np
import pandas as pd

from experiments import stats

SMOOTHNESS = {"sines": "smooth", "bumps": "smooth", "sine": "smooth", "oscillating": "smooth", "kink": "kink"}
THEORY = {  # (construction, smoothness) -> (exponent p, reason), h = 2/K
    ("relu_interp", "smooth"): (-2.0, "C2 target: interpolant within h^2/8 max|f''|"),
    ("relu_interp", "kink"): (-1.0, "kink inside a piece of length h: error ~ h x slope jump"),
    ("staircase", "smooth"): (-1.0, "Lipschitz target: staircase within Lip h/2"),
    ("staircase", "kink"): (-1.0, "Lipschitz target: staircase within Lip h/2"),
}


def theory_rate(method: str, target: str) -> tuple[float, str]:
    """(p, reason) for a construction on a target; (NaN, why not) where theory gives none here."""
    smooth = SMOOTHNESS.get(target)
    if smooth is None:
        return np.nan, f"no smoothness class listed for target {target!r}"
    return THEORY.get(
        (method, smooth), (np.nan, f"{method}: no theory rate (trained: the optimiser sets the error too)")
    )


def fit_slope(K, err, fit_last: int, floor: float = 1e-13) -> stats.Estimate:
    """Slope of log err vs log K with its 95% interval, over the largest `fit_last` widths whose
    error is above round-off (`floor`); NaN if fewer than 3 remain."""
    K, err = np.asarray(K, float), np.asarray(err, float)
    order = np.argsort(K)[-fit_last:]
    keep = order[np.isfinite(err[order]) & (err[order] > floor)]
    if len(keep) < 3:
        return stats.Estimate(np.nan, np.nan, np.nan)
    return stats.slope(np.log(K[keep]), np.log(err[keep]))


def slopes(errs: pd.DataFrame, fit_last: int, slope_tol: float) -> pd.DataFrame:
    """One row per (target, activation, method) and norm (plain SGD, with few widths, left out):
    the fitted slope with its interval,
    and for the sup norm the theory rate and whether the whole interval lies within slope_tol
    of it."""
    rows = []
    for (target, activation, method), g in errs[errs["method"] != "sgd"].groupby(["target", "activation", "method"]):
        fit = g.dropna(subset=["sup"]).sort_values("K").tail(fit_last)
        for norm in ("sup", "rms"):
            rate, why = theory_rate(method, target) if norm == "sup" else (np.nan, "reported; the sup norm decides")
            est = fit_slope(g["K"], g[norm], fit_last)
            rows.append(
                {
                    "target": target,
                    "activation": activation,
                    "method": method,
                    "norm": norm,
                    "slope": est.value,
                    "slope_lo": est.lo,
                    "slope_hi": est.hi,
                    "theory": rate,
                    "near_theory": bool(abs(est.lo - rate) <= slope_tol and abs(est.hi - rate) <= slope_tol),
                    "reason": why,
                    "fit_widths": f"{fit['K'].min()}-{fit['K'].max()}" if len(fit) else "",
                }
            )
    return pd.DataFrame(rows)
