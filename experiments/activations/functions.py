"""Elementwise activations checked on grids (C06-C08): ranges, monotonicity, floating-point
errors, the sigmoid-tanh identity and g' against central finite differences.

Every row comes from the registry `mlp.activations.elementwise_names()`, read at call time, so
a new activation adds a row by itself. The lecture's own statements (ranges, formulas for g')
are written out below for the maps it names.
"""

import numpy as np
import pandas as pd
from scipy.special import expit

from experiments.activations.numerics import fp_error, guarded
from mlp.activations import ACTIVATIONS, elementwise_names

# The lecture's statements: range (lo, hi, open ends?) and "strictly increasing"
LECTURE_RANGE = {
    "linear": (-np.inf, np.inf, True),
    "sigmoid": (0.0, 1.0, True),
    "tanh": (-1.0, 1.0, True),
    "relu": (0.0, np.inf, False),  # [0, inf): non-negative, not upper bounded
}
STRICTLY_INCREASING = {"linear", "sigmoid", "tanh"}  # relu is only non-decreasing
# The lecture's derivative formulas, written out independently of the registry
LECTURE_DERIVATIVE = {
    "linear": lambda z: np.ones_like(z),
    "sigmoid": lambda z: (1 / (1 + np.exp(-z))) * (1 - 1 / (1 + np.exp(-z))),
    "tanh": lambda z: 1 - np.tanh(z) ** 2,
    "relu": lambda z: (z > 0).astype(float),
}
INNER = 15.0  # |z| <= INNER: float64 can still resolve sigmoid/tanh from their bounds
KINK = 1e-3  # derivatives are checked at |z| >= KINK (relu and sign have their kink at 0)
TOL_FD, TOL_ULP = 1e-7, 4 * np.finfo(float).eps


def inner_grid() -> np.ndarray:
    """A uniform grid of step 1e-3 on [-INNER, INNER] (strict monotonicity is checked on it)."""
    return np.linspace(-INNER, INNER, int(2000 * INNER) + 1)


def wide_grid(z_max: float, n_points: int) -> np.ndarray:
    """A grid over [-z_max, z_max] refined on [-INNER, INNER]; includes 0 and +-z_max."""
    return np.unique(np.concatenate([np.linspace(-z_max, z_max, n_points), inner_grid()]))


def activation_ranges(z_max: float, n_points: int) -> pd.DataFrame:
    """Per elementwise activation on the wide grid: range, monotonicity, finiteness and the
    floating-point errors raised under np.errstate(all="raise") and with underflow allowed."""
    z, zi = wide_grid(z_max, n_points), inner_grid()
    rows = []
    for name in elementwise_names():
        g = ACTIVATIONS[name].g
        h, error = guarded(g, z)
        with np.errstate(all="raise", under="ignore"):
            hi_ = g(zi)
        lo, hi, open_ends = LECTURE_RANGE.get(name, (np.nan, np.nan, False))
        closed = bool(np.all((h >= lo) & (h <= hi))) if name in LECTURE_RANGE else None
        strict_inside = bool(np.all((hi_ > lo) & (hi_ < hi))) if open_ends else None
        at_bound = np.abs(z[(h <= lo) | (h >= hi)]) if name in LECTURE_RANGE else np.array([])
        # an unbounded end (linear both ways, relu above) must keep growing: g reaches the grid's end
        unbounded = (h.max() >= z.max() if hi == np.inf else True) and (h.min() <= z.min() if lo == -np.inf else True)
        rows.append(
            {
                "activation": name,
                "z_max": float(np.abs(z).max()),
                "n_points": len(z),
                "min": float(h.min()),
                "max": float(h.max()),
                "lecture_range": f"{'(' if open_ends else '['}{lo:g}, {hi:g})" if name in LECTURE_RANGE else "",
                "within_closed_range": closed,
                "strictly_inside_for_abs_z_le_15": strict_inside,
                "reaches_bound_from_abs_z": float(at_bound.min()) if at_bound.size else np.nan,
                "unbounded_ends_reach_z_max": bool(unbounded) if name in LECTURE_RANGE else None,
                "all_finite": bool(np.isfinite(h).all()),
                "nondecreasing": bool(np.all(np.diff(h) >= 0)),
                "strictly_increasing_abs_z_le_15": bool(np.all(np.diff(hi_) > 0)),
                "lecture_says_strictly_increasing": name in STRICTLY_INCREASING,
                "fp_error_all_raise": fp_error(g, z, all="raise"),
                "fp_error_except_underflow": error,
            }
        )
    return pd.DataFrame(rows)


def sigmoid_tanh_identity(z_max: float, n_points: int) -> pd.DataFrame:
    """C07 over the wide grid: the logistic function by its definition 1 / (1 + e^-z)
    (scipy's expit, through exp) against (1 + tanh(z/2))/2, and the registry's sigmoid (which the
    core computes through tanh, for speed and CPU independence) against the definition;
    max_abs_diff is the larger of the two."""
    z = wide_grid(z_max, n_points)
    with np.errstate(all="raise", under="ignore"):
        logistic = expit(z)
        identity = np.abs(logistic - (1 + np.tanh(z / 2)) / 2)
        registry = np.abs(ACTIVATIONS["sigmoid"].g(z) - logistic)
    diff = np.maximum(identity, registry)
    return pd.DataFrame(
        [
            {
                "z_max": float(np.abs(z).max()),
                "n_points": len(z),
                "max_abs_diff_identity": float(identity.max()),
                "max_abs_diff_registry": float(registry.max()),
                "max_abs_diff": float(diff.max()),
                "argmax_z": float(z[np.argmax(diff)]),
                "eps": np.finfo(float).eps,
            }
        ]
    )


def activation_curves(z_lim: float = 4.0, n: int = 801) -> pd.DataFrame:
    """g(z) and the registry's g'(z) on [-z_lim, z_lim] for every elementwise activation."""
    z = np.linspace(-z_lim, z_lim, n)
    parts = []
    for name in elementwise_names():
        a = ACTIVATIONS[name]
        h = a.g(z)
        parts.append(pd.DataFrame({"activation": name, "z": z, "g": h, "dg": a.derivative(z, h)}))
    return pd.concat(parts, ignore_index=True)


def derivative_check(step: float, z_lim: float = 6.0, n: int = 1201) -> pd.DataFrame:
    """Registry g' and the lecture's formula vs central finite differences at |z| >= KINK."""
    z = np.linspace(-z_lim, z_lim, n)
    z = z[np.abs(z) >= KINK]
    rows = []
    for name in elementwise_names():
        a = ACTIVATIONS[name]
        fd = (a.g(z + step) - a.g(z - step)) / (2 * step)
        reg = a.derivative(z, a.g(z))
        lec = LECTURE_DERIVATIVE[name](z) if name in LECTURE_DERIVATIVE else None
        rows.append(
            {
                "activation": name,
                "n_points": len(z),
                "step": step,
                "excluded": f"|z| < {KINK:g}",
                "max_abs_err_registry": float(np.abs(reg - fd).max()),
                "max_abs_err_lecture_formula": float(np.abs(lec - fd).max()) if lec is not None else np.nan,
                "max_abs_derivative": float(np.abs(fd).max()),
            }
        )
    return pd.DataFrame(rows)
