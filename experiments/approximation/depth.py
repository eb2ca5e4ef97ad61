"""Depth separation (C11): the L-fold tent map is exact for a deep width-2 relu net, while a
shallow relu net needs a number of units growing like 2^L (Telgarsky 2016).

m(x) = 2 relu(x) - 4 relu(x - 1/2) on [0, 1]; m^L has 2^L linear pieces (a sawtooth with
2^(L-1) teeth) and is computed by `mlp.constructions.tent_map_net(L)` (2L relu units).
A one-hidden-layer relu net with K units is piecewise linear with at most K + 1 pieces.

Lower bound (shared/reference/linear_regions.md section 4, re-derived here): f - 1/2 has
2^L - 1 interior sign-constant bumps of area 2^(-L-2) each (plus two half-bumps at the ends);
g - 1/2 changes sign at most s times for g with s pieces; in a run of n bumps without a sign
change of g, at least floor(n/2) have the sign opposite to g - 1/2 and each costs its area; so
int |f - g| >= (1 - (2s + 2) / 2^L) / 8. With s <= K + 1, L1 < 1/16 forces 2s + 2 > 2^(L-1),
i.e. K >= 2^(L-2) - 1. `l1_lower_bound` is checked against every net this family evaluates.
"""

import numpy as np
import pandas as pd

from experiments import stats
from experiments.approximation.constructions import relu_interpolant
from experiments.approximation.fitting import fit_lbfgs, lstsq_readout, spread_features
from experiments.approximation.plan import restarts_for
from experiments.progress import progress
from mlp.constructions import tent_map_net
from mlp.network import Net, predict
from mlp.regions import count_regions
from mlp.seeding import rngs


def sawtooth(L: int, x: np.ndarray) -> np.ndarray:
    """m^L(x) in closed form on [0, 1]: the triangle wave 1 - |2 u - 1|, u = frac(2^(L-1) x)."""
    u = np.mod(2.0 ** (L - 1) * x, 1.0)
    return 1.0 - np.abs(2.0 * u - 1.0)


def l1_lower_bound(L: int, pieces) -> np.ndarray:
    """Telgarsky-style bound on int_0^1 |m^L - g| for continuous g with `pieces` affine pieces."""
    return np.maximum((1.0 - (2.0 * np.asarray(pieces, float) + 2.0) / 2.0**L) / 8.0, 0.0)


def min_units_bound(L: int) -> int:
    """Smallest K with L1 error < 1/16 allowed by the bound: K >= 2^(L-2) - 1 (at least 1)."""
    return max(1, int(np.ceil(2.0 ** (L - 2) - 1)))


def midpoints(n: int) -> np.ndarray:
    """n midpoints of [0, 1] as inputs (n, 1): the L1 norm on [0, 1] is their mean |.|."""
    return ((np.arange(n) + 0.5) / n)[:, None]


def relu_net(params) -> Net:
    """The relu net (linear output) whose layers have the shapes of `params`."""
    return Net((params[0][0].shape[-1], *(b.shape[-1] for _, b in params)), hidden="relu")


def eval_x(L: int) -> np.ndarray:
    """Where the L1 error against m^L is measured: at least 16 midpoints per piece."""
    return midpoints(max(4096, 16 * 2**L))


def l1_error(params, x: np.ndarray, f: np.ndarray) -> float:
    """Mean |shallow net - f| over the midpoints x: the L1 error on [0, 1]."""
    return float(np.mean(np.abs(predict(relu_net(params), params, x)[:, 0] - f)))


def margin(l1, target: float) -> float:
    """Relative distance of an L1 error from the target, |l1 - target| / target: how far the
    decision l1 < target is from flipping (a few ulps of matmul round-off are ~1e-15)."""
    return float(np.min(np.abs(np.asarray(l1, float) - target)) / target)


def plateau_net(L: int, K: int):
    """K units: follow m^L exactly up to a = (K - 3/2) / 2^L (the middle of a flank, where
    m^L = 1/2), then stay at 1/2 (K - 1 full pieces, a half piece, a flat piece; K >= 2).
    L1 error (1 - a)/4, below 1/16 once K >= 3 * 2^(L-2) + 2."""
    a = (K - 1.5) / 2.0**L
    nodes = np.concatenate([np.arange(K - 1) / 2.0**L, [a, 1.0]])
    return relu_interpolant(nodes, np.append(sawtooth(L, nodes[:-1]), 0.5))


def deep_rows(depths) -> pd.DataFrame:
    """tent_map_net(L) vs the closed form: max abs error, linear pieces (exact count), units."""
    rows = []
    for L in depths:
        params = tent_map_net(L)
        x = eval_x(L)
        f = predict(relu_net(params), params, x)[:, 0]
        rows.append(
            {
                "L": L,
                "units": sum(b.size for _, b in params[:-1]),
                "pieces": count_regions(params, [[0.0, 1.0]]).n_linear,
                "pieces_theory": 2**L,
                "max_abs_err": float(np.abs(f - sawtooth(L, x[:, 0])).max()),
            }
        )
    return pd.DataFrame(rows)


def constructed_rows(depths, l1_target: float) -> pd.DataFrame:
    """Smallest K reaching L1 < l1_target for two shallow constructions, scanning K = 1..2^L:
    "interp" (interpolant at K + 1 equally spaced nodes) and "plateau" (`plateau_net`). Units
    and pieces are read off the net found; `margin` is that of the deciding errors (at K and K - 1)."""
    rows = []
    for L in progress(depths, "constructed depths"):
        x = eval_x(L)
        f = sawtooth(L, x[:, 0])
        for name in ("interp", "plateau"):
            tried = []  # L1 error of each K scanned
            for K in range(1 if name == "interp" else 2, 2**L + 1):
                nodes = np.linspace(0.0, 1.0, K + 1)
                params = relu_interpolant(nodes, sawtooth(L, nodes)) if name == "interp" else plateau_net(L, K)
                tried.append(l1_error(params, x, f))
                if tried[-1] < l1_target:
                    break
            pieces = count_regions(params, [[0.0, 1.0]]).n_linear
            rows.append(
                {
                    "L": L,
                    "method": name,
                    "K": params[0][0].shape[0],
                    "l1": tried[-1],
                    "margin": margin(tried[-2:], l1_target),
                    "pieces": pieces,
                    "bound_ok": bool(tried[-1] >= l1_lower_bound(L, pieces) - 1e-9),
                }
            )
    return pd.DataFrame(rows)


def shallow_cell(L: int, p: dict) -> pd.DataFrame:
    """Trained shallow relu nets for m^L: widths p["widths"] ascending until the best restart
    (by training loss) reaches L1 < p["l1_target"]. Training grid: p["points_per_piece"] 2^L + 1
    points of [0, 1] (every breakpoint included); least-squares readout, then batched L-BFGS.
    Rows: L, K, restarts, last_change of the best restart (stationarity: relative loss change over
    the last 10% of the iterations), l1, margin, pieces (exact count), l1_bound, reached."""
    n = p["points_per_piece"] * 2**L
    X = np.linspace(0.0, 1.0, n + 1)[:, None]
    Y, xe = sawtooth(L, X), eval_x(L)
    fe = sawtooth(L, xe[:, 0])
    rows = []
    for K in progress(sorted(p["widths"]), f"L = {L} widths"):
        seeds = range(restarts_for(K, p))
        W1, b1 = spread_features(K, rngs(seeds, "depth_separation", p["seed"], "init", L, K), 0.0, 1.0, 1.0)
        net = Net((1, K, 1), hidden="relu")
        params, loss, history = fit_lbfgs(net, lstsq_readout(net, W1, b1, X, Y), X, Y, p["lbfgs_maxiter"])
        best = int(np.argmin(np.where(np.isfinite(loss), loss, np.inf)))
        one = [(W[best], b[best]) for W, b in params]
        l1 = l1_error(one, xe, fe)
        pieces = count_regions(one, [[0.0, 1.0]]).n_linear
        rows.append(
            {
                "L": L,
                "K": K,
                "restarts": len(seeds),
                "last_change": stats.last_change(history[:, best]),
                "l1": l1,
                "margin": margin(l1, p["l1_target"]),
                "pieces": pieces,
                "l1_bound": float(l1_lower_bound(L, pieces)),
                "reached": l1 < p["l1_target"],
            }
        )
        if l1 < p["l1_target"]:
            break
    return pd.DataFrame(rows)


def needed(deep: pd.DataFrame, con: pd.DataFrame, trained: pd.DataFrame) -> pd.DataFrame:
    """Units needed per L: deep (the tent-map net's), best shallow construction, trained shallow
    (NaN if no tried width reached the target), the lower bound, and each shallow count over 2^L."""
    rows = []
    for L in sorted(deep["L"]):
        c = con[con["L"] == L]
        t = trained[(trained["L"] == L) & trained["reached"]] if len(trained) else trained
        tried = trained[trained["L"] == L] if len(trained) else trained
        k_con = int(c["K"].min())
        k_tr = float(t["K"].min()) if len(t) else np.nan
        rows.append(
            {
                "L": L,
                "deep_units": int(deep.loc[deep["L"] == L, "units"].iloc[0]),
                "shallow_constructed": k_con,
                "constructed_by": c.loc[c["K"].idxmin(), "method"],
                "shallow_trained": k_tr,
                "trained_max_tried": int(tried["K"].max()) if len(tried) else 0,
                "lower_bound": min_units_bound(L),
                "constructed_over_2L": k_con / 2**L,
                "trained_over_2L": k_tr / 2**L,
            }
        )
    return pd.DataFrame(rows)


def growth_slope(need: pd.DataFrame) -> stats.Estimate:
    """Slope of log2(shallow units constructed) vs L for L >= 3 (the bound is trivial below), with
    its 95% interval: about 1 if the units grow like 2^L."""
    big = need[need["L"] >= 3]
    if len(big) < 3:
        return stats.Estimate(np.nan, np.nan, np.nan)
    return stats.slope(big["L"], np.log2(big["shallow_constructed"].astype(float)))
