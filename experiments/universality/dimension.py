"""Part (b): hidden units a one-hidden-layer relu net needs for a sup error <= eps on [-1, 1]^D.

Two targets, equal on the diagonal scale (both map the cube onto [-1, 1] or [0, 1] with
gradients ~ 1/sqrt(D)):
* lipschitz: ||x||_2 / sqrt(D) = sqrt(mean_i x_i^2), |x| at D = 1 (kinked at the origin);
* ridge: g(mean_i x_i) with g a smooth 1-D target (Barron-type: a 1-D problem along a).
Two methods:
* construction (`constructions`): the smallest size reaching eps;
* random features: relu units with random directions and hyperplanes through random points
  of the cube, output weights by least squares on fit_ratio x K_max random points, the first K
  units for K along `widths` (nested nets); the smallest K reaching eps, per seed.
The sup error is taken over a grid of odd side (origin and corners included), never over the
fit points. Each units-needed integer records its margin: the smallest |sup/eps - 1| among the
comparisons that decided it (a margin above a few ulps means every CPU decides alike).
"""

import numpy as np
import pandas as pd

from experiments import stats
from experiments.progress import progress
from experiments.universality.constructions import cone_quadrature, cone_units, ridge_direction, ridge_interpolant
from experiments.universality.readout import grown, hidden_layer, prefix_readouts, relu_columns
from mlp.data import target_1d
from mlp.network import Net, forward
from mlp.seeding import rng

TARGETS = ("lipschitz", "ridge")
CONSTRUCTION, RANDOM = "construction", "random features"
METHODS = (CONSTRUCTION, RANDOM)


def grid_side(D: int, max_points: int) -> int:
    """The largest odd n >= 3 with n^D <= max_points (integers only)."""
    n = 3
    while (n + 2) ** D <= max_points:
        n += 2
    return n


def cube_grid(D: int, max_points: int) -> np.ndarray:
    """The evaluation grid (n^D, D) on [-1, 1]^D, n = grid_side(D, max_points)."""
    g = np.linspace(-1.0, 1.0, grid_side(D, max_points))
    return np.stack(np.meshgrid(*[g] * D, indexing="ij"), axis=-1).reshape(-1, D)


def lipschitz_target(X: np.ndarray) -> np.ndarray:
    return np.sqrt(np.mean(X**2, axis=-1))


def ridge_target(X: np.ndarray, profile: str) -> np.ndarray:
    return target_1d(profile, X @ ridge_direction(X.shape[-1]))


def target_values(X: np.ndarray, profile: str) -> np.ndarray:
    """(N, 2): the lipschitz and ridge targets at X (N, D), in the order of TARGETS."""
    return np.stack([lipschitz_target(X), ridge_target(X, profile)], axis=1)


def sup_rms(f: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r = f - y
    return np.abs(r).max(axis=0), np.sqrt(np.mean(r**2, axis=0))


def construction_curve(D: int, target: str, p: dict, X: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    """Sup and RMS error of the target's construction at growing sizes (quadrature points per
    face axis, or knot intervals), until it reaches eps or would exceed the largest width."""
    rows, cap = [], max(p["widths"])
    for size in range(1, cap + 1):
        units = cone_units(D, size) if target == "lipschitz" else size
        if units > cap:
            break
        params = cone_quadrature(D, size) if target == "lipschitz" else ridge_interpolant(D, size, p["ridge_profile"])
        f = forward(Net((D, units, 1), hidden="relu"), params, X)[0][0, :, 0]
        sup, rms = sup_rms(f, y)
        rows.append({"units": units, "sup": float(sup), "rms": float(rms), "stationarity": np.nan})
        if sup <= p["eps"]:
            break
    return pd.DataFrame(rows).assign(target=target, method=CONSTRUCTION, seed=np.nan)


def random_features(D: int, seed: int, p: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One seed's relu hidden layer W (K_max, D), b (K_max,) (the slope scale is immaterial for
    relu) and its fit points X_fit (fit_ratio K_max, D), uniform in the cube."""
    K_max = max(p["widths"])
    W, b = hidden_layer(D, K_max, rng(seed, "universality", "dimension", D, "features"), 1.0)
    X_fit = rng(seed, "universality", "dimension", D, "fit").uniform(-1.0, 1.0, (p["fit_ratio"] * K_max, D))
    return W, b, X_fit


def random_feature_curves(D: int, seed: int, p: dict, X: np.ndarray, Y: np.ndarray) -> pd.DataFrame:
    """Sup and RMS error of the nested random-feature nets of one seed at K along `widths`,
    until every target has reached eps."""
    widths = sorted(p["widths"])
    W, b, X_fit = random_features(D, seed, p)
    fits = prefix_readouts(relu_columns(X_fit, W, b), len(X_fit), target_values(X_fit, p["ridge_profile"]), widths)
    rows, reached = [], np.zeros(len(TARGETS), dtype=bool)
    for (K, V, stationarity), (_, P_eval) in zip(fits, grown(relu_columns(X, W, b), len(X), widths), strict=False):
        sup, rms = sup_rms(P_eval @ V, Y)
        rows += [
            {"target": t, "units": K, "sup": sup[i], "rms": rms[i], "stationarity": stationarity}
            for i, t in enumerate(TARGETS)
        ]
        reached |= sup <= p["eps"]
        if reached.all():
            break
    return pd.DataFrame(rows).assign(method=RANDOM, seed=seed)


def cell_curves(p: dict) -> pd.DataFrame:
    """Every error curve of dimension D = p["D"]: both constructions and every seed's random features."""
    D = int(p["D"])
    X = cube_grid(D, p["eval_points"])
    Y = target_values(X, p["ridge_profile"])
    parts = [construction_curve(D, t, p, X, Y[:, i]) for i, t in enumerate(TARGETS)]
    parts += [random_feature_curves(D, s, p, X, Y) for s in progress(range(p["n_seeds"]), f"D={D}: seeds")]
    columns = ["D", "target", "method", "seed", "units", "sup", "rms", "stationarity"]
    return pd.concat(parts, ignore_index=True).assign(D=D)[columns]


def needed(curves: pd.DataFrame, eps: float) -> pd.DataFrame:
    """Per (D, target, method, seed): the units needed (first size with sup <= eps; if none, the
    largest size tried, a lower bound, with reached = False), the error there, the stationarity
    of that readout, and the decision margin min |sup/eps - 1| over the comparisons made."""
    rows = []
    for key, g in curves.groupby(["D", "target", "method", "seed"], dropna=False, sort=True):
        hit = np.flatnonzero(g["sup"].to_numpy() <= eps)
        i = int(hit[0]) if hit.size else len(g) - 1
        decided = g.iloc[: i + 1]
        rows.append(
            dict(zip(("D", "target", "method", "seed"), key, strict=True))
            | {
                "units_needed": int(g["units"].iloc[i]),
                "reached": bool(hit.size),
                "sup": float(g["sup"].iloc[i]),
                "stationarity": float(g["stationarity"].iloc[i]),
                "margin": float(np.min(np.abs(decided["sup"].to_numpy() / eps - 1))),
            }
        )
    return pd.DataFrame(rows)


def members(need: pd.DataFrame, target: str, method: str, stationarity: float) -> pd.DataFrame:
    """The units-needed rows a statistic uses: constructions, and random-feature readouts that
    converged (stationarity <= the bar)."""
    m = need[(need["target"] == target) & (need["method"] == method)]
    return m if method == CONSTRUCTION else m[m["stationarity"] <= stationarity]


def growth(m: pd.DataFrame) -> stats.Estimate:
    """Factor per added input dimension: exp of the least-squares slope of log(units needed) on
    D, with its 95% interval (units not reached count at the largest size tried: a lower bound)."""
    if m["D"].nunique() < 2:
        return stats.Estimate(np.nan, 0.0, np.inf)
    return stats.Estimate(*np.exp(stats.slope(m["D"], np.log(m["units_needed"].astype(float)))))


def summary_table(need: pd.DataFrame, stationarity: float) -> pd.DataFrame:
    """Per (target, method, D): members, how many reached eps, median units needed [95% CI],
    and the target's and method's growth factor per dimension [95% CI]."""
    rows = []
    for target in TARGETS:
        for method in METHODS:
            m = members(need, target, method, stationarity)
            g = growth(m)
            for D, d in m.groupby("D"):
                med = stats.median(d["units_needed"])
                rows.append(
                    {"target": target, "method": method, "D": D, "n": len(d), "reached": int(d["reached"].sum()),
                     "median_units": med.value, "lo": med.lo, "hi": med.hi,
                     "growth": g.value, "growth_lo": g.lo, "growth_hi": g.hi}
                )  # fmt: skip
    return pd.DataFrame(rows)
