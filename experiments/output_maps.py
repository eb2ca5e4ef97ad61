"""Softmax and sparsemax as output maps onto the simplex, shown and checked (C09).

Every row and panel is built from the registry `mlp.activations.simplex_names()`, so a new map
adds a panel and a table row by itself. Also holds the helpers `_fp_error` and `_guarded` that
`experiments.activations` (C06-C08 and the family's CLI) shares with these checks.
"""

from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import logsumexp

from experiments import claims
from experiments.io import write_figure, write_table
from experiments.plotting import figure
from mlp.activations import ACTIVATIONS, simplex_names
from mlp.seeding import rng

TOL_SUM = 100 * np.finfo(float).eps  # times max(1, logit scale): sums and projections lose ~eps * scale
LOG_TINY = np.log(np.nextafter(0.0, 1.0))  # -744.44: exp below this rounds to 0 in float64


def _fp_error(fn, z, **errstate) -> str:
    """'' if fn(z) raises no floating-point error under np.errstate(**errstate), else the message."""
    try:
        with np.errstate(**errstate):
            fn(z)
    except FloatingPointError as err:
        return str(err)
    return ""


def _guarded(fn, z):
    """(fn(z), '') if fn raises no floating-point error but underflow, else (fn(z) with errors
    ignored, the message): the value and the check in one evaluation when all is well."""
    try:
        with np.errstate(all="raise", under="ignore"):
            return fn(z), ""
    except FloatingPointError as err:
        with np.errstate(all="ignore"):
            return fn(z), str(err)


# ---------------------------------------------------------------- C09: output maps
def _sparsemax_bisection(z: np.ndarray, iters: int = 200) -> np.ndarray:
    """Independent oracle: projection onto the simplex by bisection on tau, sum max(z - tau, 0) = 1."""
    lo, hi = z.max(-1, keepdims=True) - 1.0, z.max(-1, keepdims=True)
    for _ in range(iters):
        tau = (lo + hi) / 2
        big = np.maximum(z - tau, 0).sum(-1, keepdims=True) > 1
        lo, hi = np.where(big, tau, lo), np.where(big, hi, tau)
    return np.maximum(z - (lo + hi) / 2, 0)


def map_support(scales, classes: int, samples: int, seed: int) -> pd.DataFrame:
    """Per simplex map and logit scale: exact zeros, minimum entry, sum error, finiteness.

    Logits z = scale * N(0, I_C). For softmax, every exact zero is compared with its exact
    log-probability z_j - logsumexp(z): a zero is a float64 underflow iff log p < -744.44.
    """
    rows = []
    for scale in scales:
        z = scale * rng(seed, "activations", "map_logits", str(scale)).standard_normal((samples, classes))
        for name in simplex_names():
            p, err = _guarded(ACTIVATIONS[name].g, z)
            zeros = p == 0.0
            row = {
                "map": name,
                "scale": scale,
                "classes": classes,
                "samples": samples,
                "tolerance": TOL_SUM * max(1.0, scale),
                "fraction_zero": float(zeros.mean()),
                "min_entry": float(p.min()),
                "max_abs_sum_minus_1": float(np.abs(p.sum(-1) - 1).max()),
                "all_finite": bool(np.isfinite(p).all()),
                "min_entry_ge_0": bool(p.min() >= 0),
                "fp_error_except_underflow": err,
                "fp_error_all_raise": _fp_error(ACTIVATIONS[name].g, z, all="raise"),
                "zeros_are_underflow": np.nan,
                "positive_where_representable": np.nan,
                "max_abs_diff_bisection": np.nan,
            }
            if name == "softmax":
                logp = z - logsumexp(z, axis=-1, keepdims=True)  # exact log-probabilities
                row["zeros_are_underflow"] = bool(np.all(logp[zeros] < LOG_TINY))
                row["positive_where_representable"] = bool(np.all(p[logp >= LOG_TINY] > 0))
            if name == "sparsemax":
                row["max_abs_diff_bisection"] = float(np.abs(p - _sparsemax_bisection(z)).max())
            rows.append(row)
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


def plot_two_class(tc: pd.DataFrame):
    fig, axes = figure(1, 1, width=4.6, height=3.2)
    ax = axes[0, 0]
    for i, (name, c) in enumerate(tc.groupby("map", sort=True)):
        ax.plot(c["t"], c["p1"], lw=2, color=f"C{i}", label=f"{name}([t, 0])_1")
    ax.axhline(0, color="k", lw=0.6)
    ax.axhline(1, color="k", lw=0.6, ls=":")
    ax.set(
        xlabel="logit t of class 1 (class 2 has logit 0)",
        ylabel="probability of class 1",
        title="Two classes: sparsemax hits exactly 0 and 1 (|t| >= 1);\nsoftmax stays strictly inside (0, 1)",
    )
    ax.legend(loc="upper left")
    return fig


TRIANGLE = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])  # vertices for classes 1, 2, 3


def plot_simplex(pts: pd.DataFrame):
    """Image points in barycentric coordinates on the triangle, coloured by support size."""
    names = list(dict.fromkeys(pts["map"]))
    fig, axes = figure(1, len(names), width=3.6, height=3.9)
    colors = {1: "C3", 2: "C1", 3: "C0"}
    labels = {1: "corner (1 class)", 2: "edge (2 classes)", 3: "interior (all 3)"}
    for ax, name in zip(axes[0], names):
        c = pts[pts["map"] == name]
        xy = c[["p1", "p2", "p3"]].to_numpy() @ TRIANGLE
        ax.fill(*TRIANGLE.T, color="0.93", zorder=0)
        ax.plot(*np.vstack([TRIANGLE, TRIANGLE[:1]]).T, color="k", lw=0.8)
        for s in (3, 2, 1):
            m = (c["support"] == s).to_numpy()
            ax.scatter(xy[m, 0], xy[m, 1], s=6 * (4 - s), color=colors[s], label=f"{labels[s]}: {m.mean():.0%}")
        for v, lab, off in zip(
            TRIANGLE, ("class 1", "class 2", "class 3"), ((-0.02, -0.07), (0.02, -0.07), (0.0, 0.03))
        ):
            ax.annotate(lab, v, xytext=v + off, ha="center", fontsize=8)
        on_boundary = float((c["support"] < 3).mean())
        ax.set(
            aspect="equal",
            xlim=(-0.1, 1.1),
            ylim=(-0.1, 0.95),
            xticks=[],
            yticks=[],
            title=f"{name}: {on_boundary:.0%} of points on edges/corners",
        )
        ax.grid(False)
        ax.spines[:].set_visible(False)
        ax.legend(
            loc="upper center", bbox_to_anchor=(0.5, 0.0), fontsize=7, ncols=2, title="image point lies in the ..."
        )
    fig.suptitle(
        f"3-class logits z = (z1, z2, 0) on a {int(np.sqrt(len(c)))} x {int(np.sqrt(len(c)))} grid over "
        f"[{c['z1'].min():g}, {c['z1'].max():g}]^2, mapped onto the simplex"
    )
    return fig


# ---------------------------------------------------------------- claims and steps
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


def step_maps(params: dict, results: Path, figures: Path) -> None:
    """C09: softmax vs sparsemax: support by logit scale, two classes, the 3-class simplex."""
    support = map_support(params["scales"], params["classes"], params["samples"], params["seed"])
    pts = simplex_points(params["simplex_grid"], params["simplex_logit_max"])
    write_table(support, results / "map_support.csv")
    write_table(
        pts.groupby("map")["support"]
        .value_counts(normalize=True)
        .rename("fraction")
        .reset_index()
        .sort_values(["map", "support"]),
        results / "simplex_support.csv",
    )
    write_table(claim_rows_maps(support), results / "claims_maps.csv")
    write_figure(plot_two_class(two_class()), figures / "two_class.png")
    write_figure(plot_simplex(pts), figures / "simplex.png")
