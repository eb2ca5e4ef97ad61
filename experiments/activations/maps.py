"""Softmax and sparsemax as output maps onto the simplex (C09): support by logit scale, the
two-class curves and the 3-class simplex.

Every row comes from the registry `mlp.activations.simplex_names()`, read at call time, so a
new map adds a row and a panel by itself.
"""

import numpy as np
import pandas as pd
from scipy.special import logsumexp

from experiments.activations.numerics import fp_error, guarded
from mlp.activations import ACTIVATIONS, simplex_names
from mlp.seeding import rng

TOL_SUM = 100 * np.finfo(float).eps  # times max(1, logit scale): sums and projections lose ~eps * scale
LOG_TINY = np.log(np.nextafter(0.0, 1.0))  # -744.44: exp below this rounds to 0 in float64
# log-probabilities within GRAY of LOG_TINY may round to 0 or to a subnormal depending on the
# exp implementation (it differs between CPUs): they count neither as zeros nor as positives
GRAY = 1.0


def sparsemax_bisection(z: np.ndarray, iters: int = 200) -> np.ndarray:
    """Independent oracle: projection onto the simplex by bisection on tau, sum max(z - tau, 0) = 1."""
    lo, hi = z.max(-1, keepdims=True) - 1.0, z.max(-1, keepdims=True)
    for _ in range(iters):
        tau = (lo + hi) / 2
        big = np.maximum(z - tau, 0).sum(-1, keepdims=True) > 1
        lo, hi = np.where(big, tau, lo), np.where(big, hi, tau)
    return np.maximum(z - (lo + hi) / 2, 0)


def map_row(name: str, z: np.ndarray, scale: float) -> dict:
    """One simplex map on logits z (N, C): exact zeros, minimum entry, sum error, finiteness;
    for softmax each exact zero against its exact log-probability z_j - logsumexp(z) (a zero
    is a float64 underflow iff log p < -744.44, checked outside the gray zone of width GRAY,
    where CPUs may round either way); for sparsemax the distance to the bisection projection."""
    p, err = guarded(ACTIVATIONS[name].g, z)
    zeros = p == 0.0
    row = {
        "map": name,
        "scale": scale,
        "classes": z.shape[-1],
        "samples": z.shape[0],
        "tolerance": TOL_SUM * max(1.0, scale),
        "fraction_zero": float(zeros.mean()),
        "samples_with_zero": int(np.any(zeros, axis=-1).sum()),
        "min_entry": float(p.min()),
        "max_abs_sum_minus_1": float(np.abs(p.sum(-1) - 1).max()),
        "all_finite": bool(np.isfinite(p).all()),
        "min_entry_ge_0": bool(p.min() >= 0),
        "fp_error_except_underflow": err,
        "fp_error_all_raise": fp_error(ACTIVATIONS[name].g, z, all="raise"),
        "zeros_are_underflow": np.nan,
        "positive_where_representable": np.nan,
        "entries_in_gray_zone": np.nan,
        "max_abs_diff_bisection": np.nan,
    }
    if name == "softmax":
        logp = z - logsumexp(z, axis=-1, keepdims=True)  # exact log-probabilities
        row["zeros_are_underflow"] = bool(np.all(logp[zeros] < LOG_TINY + GRAY))
        row["positive_where_representable"] = bool(np.all(p[logp >= LOG_TINY + GRAY] > 0))
        row["entries_in_gray_zone"] = int(np.sum(np.abs(logp - LOG_TINY) < GRAY))
    if name == "sparsemax":
        row["max_abs_diff_bisection"] = float(np.abs(p - sparsemax_bisection(z)).max())
    return row


def map_support(scales, classes: int, samples: int, seed: int) -> pd.DataFrame:
    """`map_row` per simplex map and logit scale, logits z = scale * N(0, I_C)."""
    rows = []
    for scale in scales:
        z = scale * rng(seed, "activations", "map_logits", str(scale)).standard_normal((samples, classes))
        rows += [map_row(name, z, scale) for name in simplex_names()]
    return pd.DataFrame(rows)


def two_class(t_lim: float = 3.0, n: int = 601) -> pd.DataFrame:
    """First coordinate of every simplex map applied to [t, 0]."""
    t = np.linspace(-t_lim, t_lim, n)
    z = np.column_stack([t, np.zeros_like(t)])  # (n, 2)
    return pd.concat(
        [pd.DataFrame({"map": name, "t": t, "p1": ACTIVATIONS[name].g(z)[:, 0]}) for name in simplex_names()],
        ignore_index=True,
    )


def simplex_points(grid: int, logit_max: float) -> pd.DataFrame:
    """Images of the logit grid z = (z1, z2, 0), z1, z2 in [-logit_max, logit_max], under
    every simplex map (the maps are shift invariant, so z3 = 0 loses nothing)."""
    g = np.linspace(-logit_max, logit_max, grid)
    z1, z2 = np.meshgrid(g, g)
    z = np.column_stack([z1.ravel(), z2.ravel(), np.zeros(z1.size)])  # (grid^2, 3)
    parts = []
    for name in simplex_names():
        p = ACTIVATIONS[name].g(z)
        parts.append(
            pd.DataFrame(
                {
                    "map": name,
                    "z1": z[:, 0],
                    "z2": z[:, 1],
                    "p1": p[:, 0],
                    "p2": p[:, 1],
                    "p3": p[:, 2],
                    "support": np.count_nonzero(p > 0, axis=1),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def simplex_support(pts: pd.DataFrame) -> pd.DataFrame:
    """Fraction of the grid's images per map and support size (1 corner, 2 edge, 3 interior)."""
    return (
        pts.groupby("map")["support"]
        .value_counts(normalize=True)
        .rename("fraction")
        .reset_index()
        .sort_values(["map", "support"])
    )
