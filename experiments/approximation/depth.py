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

from experiments import claims
from experiments.approximation.fitting import fit_lbfgs, lstsq_readout, relu_interpolant, restarts_for, spread_features
from experiments.plotting import figure
from mlp.constructions import tent_map_net
from mlp.network import Net, predict
from mlp.regions import count_regions_1d
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


def _net(K: int) -> Net:
    return Net((1, K, 1), hidden="relu")


def _deep_net(L: int) -> Net:
    """The width-2 depth-L relu net of `tent_map_net`."""
    return Net((1,) + (2,) * L + (1,), hidden="relu")


def _eval_x(L: int) -> np.ndarray:
    """Where the L1 error against m^L is measured: at least 16 midpoints per piece."""
    return midpoints(max(4096, 16 * 2**L))


def _l1(K: int, params, x: np.ndarray, f: np.ndarray) -> float:
    """Mean |shallow net - f| over the midpoints x: the L1 error on [0, 1]."""
    return float(np.mean(np.abs(predict(_net(K), params, x)[:, 0] - f)))


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
        x = _eval_x(L)
        f = predict(_deep_net(L), params, x)[:, 0]
        rows.append(
            {
                "L": L,
                "units": 2 * L,
                "pieces": count_regions_1d(params, [0.0], [1.0]).n_linear,
                "pieces_theory": 2**L,
                "max_abs_err": float(np.abs(f - sawtooth(L, x[:, 0])).max()),
            }
        )
    return pd.DataFrame(rows)


def constructed_rows(depths, l1_target: float) -> pd.DataFrame:
    """Smallest K reaching L1 < l1_target for two shallow constructions, scanning K = 1..2^L:
    "interp" (interpolant at K + 1 equally spaced nodes) and "plateau" (`plateau_net`)."""
    rows = []
    for L in depths:
        x = _eval_x(L)
        f = sawtooth(L, x[:, 0])
        for name in ("interp", "plateau"):
            for K in range(1 if name == "interp" else 2, 2**L + 1):
                nodes = np.linspace(0.0, 1.0, K + 1)
                params = relu_interpolant(nodes, sawtooth(L, nodes)) if name == "interp" else plateau_net(L, K)
                l1 = _l1(K, params, x, f)
                if l1 < l1_target:
                    break
            pieces = count_regions_1d(params, [0.0], [1.0]).n_linear
            rows.append(
                {
                    "L": L,
                    "method": name,
                    "K": K,
                    "l1": l1,
                    "pieces": pieces,
                    "bound_ok": bool(l1 >= l1_lower_bound(L, pieces) - 1e-9),
                }
            )
    return pd.DataFrame(rows)


def shallow_cell(L: int, p: dict) -> pd.DataFrame:
    """Trained shallow relu nets for m^L: widths p["widths"] ascending until the best restart
    (by training loss) reaches L1 < p["l1_target"]. Training grid: p["points_per_piece"] 2^L + 1
    points of [0, 1] (every breakpoint included); least-squares readout, then batched L-BFGS.
    Rows: L, K, restarts, l1, pieces (exact count), l1_bound, reached."""
    n = p["points_per_piece"] * 2**L
    X = np.linspace(0.0, 1.0, n + 1)[:, None]
    Y, xe = sawtooth(L, X), _eval_x(L)
    fe = sawtooth(L, xe[:, 0])
    rows = []
    for K in sorted(p["widths"]):
        seeds = range(restarts_for(K, p))
        W1, b1 = spread_features(K, rngs(seeds, "depth_separation", p["seed"], "init", L, K), 0.0, 1.0, 1.0)
        params, loss = fit_lbfgs(_net(K), lstsq_readout(_net(K), W1, b1, X, Y), X, Y, p["lbfgs_maxiter"])
        best = int(np.argmin(np.where(np.isfinite(loss), loss, np.inf)))
        one = [(W[best], b[best]) for W, b in params]
        l1 = _l1(K, one, xe, fe)
        pieces = count_regions_1d(one, [0.0], [1.0]).n_linear
        rows.append(
            {
                "L": L,
                "K": K,
                "restarts": len(seeds),
                "l1": l1,
                "pieces": pieces,
                "l1_bound": float(l1_lower_bound(L, pieces)),
                "reached": l1 < p["l1_target"],
            }
        )
        if l1 < p["l1_target"]:
            break
    return pd.DataFrame(rows)


def needed(deep: pd.DataFrame, con: pd.DataFrame, trained: pd.DataFrame) -> pd.DataFrame:
    """Units needed per L: deep (2L, exact), best shallow construction, trained shallow (NaN if
    no tried width reached the target), the lower bound, and each shallow count over 2^L."""
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
                "deep_units": 2 * L,
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


def claim_rows(deep, con, trained, need, p) -> pd.DataFrame:
    ev = (
        "results/approximation/depth_needed.csv; results/approximation/depth_deep.csv; "
        "figures/approximation/depth_units.png"
    )
    exact = bool((deep["pieces"] == deep["pieces_theory"]).all() and (deep["max_abs_err"] <= 1e-12).all())
    Ls = need["L"].to_numpy()
    big = Ls >= 3  # the bound is trivial below L = 3
    slope = (
        float(np.polyfit(Ls[big], np.log2(need["shallow_constructed"].to_numpy()[big]), 1)[0])
        if big.sum() >= 2
        else np.nan
    )
    bound_ok = bool(
        con["bound_ok"].all()
        and (trained["l1"] >= trained["l1_bound"] - 1e-9).all()
        and (need["shallow_constructed"] >= need["lower_bound"]).all()
        and (need["shallow_trained"].dropna() >= need.loc[need["shallow_trained"].notna(), "lower_bound"]).all()
    )
    ratios = ", ".join(f"L={r.L}: {r.shallow_constructed} ({r.constructed_over_2L:.2f} 2^L)" for r in need.itertuples())
    tr = ", ".join(
        f"L={r.L}: {int(r.shallow_trained) if r.shallow_trained == r.shallow_trained else '>' + str(r.trained_max_tried)}"
        for r in need.itertuples()
        if r.trained_max_tried
    )
    holds = exact and bound_ok and slope >= 0.8
    return pd.DataFrame(
        [
            claims.row(
                "C11",
                f"deep width-2 net: exact (max abs error {deep['max_abs_err'].max():.1e}, 2^L pieces for L = "
                f"{Ls.min()}..{Ls.max()}) with 2L units; shallow relu units needed for L1 < {p['l1_target']:g}: "
                f"constructed {ratios}; log2 slope vs L {slope:.2f}; trained {tr}; lower bound 2^(L-2) - 1 "
                f"{'respected by every net' if bound_ok else 'VIOLATED'}",
                "deep exact with 2L units; shallow units grow like 2^L (log2 slope >= 0.8 for L >= 3) and never below the bound",
                claims.verdict(holds, exact and bound_ok),
                ev,
            )
        ]
    )


def plot_units(need: pd.DataFrame):
    fig, axes = figure(1, 1, width=4.6, height=3.6)
    ax = axes[0, 0]
    ax.plot(need["L"], need["deep_units"], "o-", color="#2ca02c", label="deep, width 2 (exact)")
    ax.plot(need["L"], need["shallow_constructed"], "s-", color="k", label="shallow, best construction")
    ax.plot(need["L"], need["shallow_trained"], "^-", color="#d62728", label="shallow, trained (L-BFGS)")
    miss = need[need["shallow_trained"].isna() & (need["trained_max_tried"] > 0)]
    ax.plot(
        miss["L"],
        miss["trained_max_tried"],
        "^",
        mfc="none",
        color="#d62728",
        ms=9,
        label="trained: not reached up to this K",
    )
    ax.plot(need["L"], need["lower_bound"], "--", color="0.4", label="lower bound 2^(L-2) - 1")
    ax.plot(need["L"], 2.0 ** need["L"], ":", color="0.6", label="2^L (pieces of m^L)")
    ax.set(
        yscale="log",
        xlabel="composition depth L",
        ylabel="relu units needed (L1 error < 1/16)",
        title="Shallow nets need ~2^L units; a deep net needs 2L",
    )
    ax.set_yscale("log", base=2)
    ax.legend(fontsize=7)
    return fig


def plot_functions(depths):
    """m^L for a few L: the deep net (exact) and a shallow net with 2^(L-1) units, which can follow
    only about half of the 2^L pieces."""
    fig, axes = figure(1, len(depths), width=3.0, height=2.6, sharey=True)
    x = np.linspace(0, 1, 2001)[:, None]
    for ax, L in zip(axes[0], depths, strict=True):
        ax.plot(
            x,
            predict(_deep_net(L), tent_map_net(L), x),
            color="#2ca02c",
            lw=1.5,
            label=f"deep net, {2 * L} units (= m^L)",
        )
        K = 2 ** (L - 1)
        ax.plot(
            x,
            predict(_net(K), plateau_net(L, K), x),
            color="k",
            lw=1,
            ls="--",
            label=f"shallow net, {K} units (plateau construction)",
        )
        ax.set(xlabel="x", title=f"L = {L}: {2**L} pieces")
    axes[0, 0].set_ylabel("f(x)")
    axes[0, 0].legend(fontsize=6, loc="lower left")
    fig.suptitle(
        "The L-fold tent map: a width-2 deep net is exact; a shallow net with 2^(L-1) units follows half of it"
    )
    return fig
