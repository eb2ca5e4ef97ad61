"""Figures of the universality family (C25): error vs width per activation next to the best
polynomial fits (part a), and hidden units needed vs input dimension (part b)."""

import pandas as pd

from experiments import stats
from experiments.plotting import OKABE_ITO, color, figure
from experiments.universality.dimension import CONSTRUCTION, RANDOM, TARGETS
from experiments.universality.polynomials import DEGREE
from mlp.data import target_1d

GREY = "#999999"
COLORS = {  # the suite's colour unless it is taken in these figures (a stable pick may collide)
    "quadratic": OKABE_ITO[5],
    "cubic": OKABE_ITO[3],
    CONSTRUCTION: OKABE_ITO[7],
    RANDOM: OKABE_ITO[3],
}


def family_color(name: str) -> str:
    return COLORS.get(name) or color(name)


TARGET_TITLES = {"lipschitz": "Lipschitz target ||x|| / sqrt(D)", "ridge": "ridge target g(mean of x)"}


def _medians(g: pd.DataFrame, column: str) -> pd.DataFrame:
    """Median with its 95% interval per K."""
    est = {K: stats.median(d[column]) for K, d in g.groupby("K")}
    return pd.DataFrame(est, index=["value", "lo", "hi"]).T


def _width_panel(ax, errors: pd.DataFrame, polys: pd.DataFrame, target: str, norm: str) -> None:
    sub = errors[errors["target"] == target]
    for name, g in sub.groupby("activation", sort=False):
        m = _medians(g, norm)
        ax.plot(m.index, m["value"], "o-", ms=3, color=family_color(name), label=name)
        ax.fill_between(m.index, m["lo"], m["hi"], color=family_color(name), alpha=0.2, lw=0)
    ref = polys[polys["target"] == target].set_index("degree")
    for name in [a for a in sub["activation"].unique() if a in DEGREE]:
        d = DEGREE[name]
        ax.axhline(
            ref.loc[d, f"ls_{norm}"], ls="--", lw=1, color=family_color(name), label=f"least-squares degree-{d} fit"
        )
        if norm == "sup":
            ax.axhline(
                ref.loc[d, "minimax_sup"], ls=":", lw=1, color=family_color(name), label=f"best (minimax) degree-{d}"
            )
    ax.set(xscale="log", yscale="log", xlabel="hidden units K", ylabel=f"{norm} error on the grid")
    ax.set_title(f"{target}: {norm} error (median, 95% CI over seeds)")


def plot_widths(errors: pd.DataFrame, polys: pd.DataFrame, curves: pd.DataFrame):
    """Rows: sup error vs K, RMS error vs K, the fits at the largest K (seed 0); one column per target."""
    targets = list(dict.fromkeys(errors["target"]))
    fig, axes = figure(3, len(targets), width=4.6, height=3.3)
    for j, target in enumerate(targets):
        _width_panel(axes[0, j], errors, polys, target, "sup")
        _width_panel(axes[1, j], errors, polys, target, "rms")
        ax = axes[2, j]
        c = curves[curves["target"] == target]
        for name, g in c.groupby("activation", sort=False):
            ax.plot(g["x"], g["f"], lw=1.2, color=family_color(name), label=name)
        x = c["x"].unique()
        ax.plot(x, target_1d(target, x), color=GREY, lw=3, alpha=0.5, zorder=0, label="target")
        ax.set(xlabel="x", ylabel="f(x)", title=f"{target}: fits at K = {errors['K'].max()} (seed 0)")
    axes[0, 0].legend(loc="lower left", fontsize=7)
    axes[2, 0].legend(loc="best", fontsize=7)
    return fig


def _units_panel(ax, summary: pd.DataFrame, target: str) -> None:
    """Units needed vs D: the construction, and random features' median with its 95% interval
    (open markers where some seeds did not reach eps: the value is then a lower bound)."""
    for method, marker in ((CONSTRUCTION, "s"), (RANDOM, "o")):
        s = summary[(summary["target"] == target) & (summary["method"] == method)].sort_values("D")
        if s.empty:
            continue
        g = s.iloc[0]
        label = f"{method}: x{g['growth']:.2f} [{g['growth_lo']:.2f}, {g['growth_hi']:.2f}] per dimension"
        err = [s["median_units"] - s["lo"], s["hi"] - s["median_units"]]
        c = family_color(method)
        ax.errorbar(s["D"], s["median_units"], yerr=err, fmt=f"{marker}-", color=c, capsize=3, label=label)
        short = s[s["reached"] < s["n"]]
        ax.plot(short["D"], short["median_units"], "^", ms=10, mfc="none", color=c)
    ax.set(yscale="log", xlabel="input dimension D", ylabel="hidden units needed", title=TARGET_TITLES[target])
    ax.set_xticks(sorted(summary["D"].unique()))
    ax.legend(loc="upper left", fontsize=7)


def _curves_panel(ax, curves: pd.DataFrame, target: str, eps: float) -> None:
    """Sup error vs units, one colour per D: random-feature seeds (thin) and the construction (dashed)."""
    sub = curves[curves["target"] == target]
    for i, (D, d) in enumerate(sub.groupby("D")):
        c = OKABE_ITO[i % len(OKABE_ITO)]
        for i_seed, (_, g) in enumerate(d[d["method"] == RANDOM].groupby("seed")):
            ax.plot(
                g["units"], g["sup"], lw=0.7, alpha=0.5, color=c, label=None if i_seed else f"D={D}: random features"
            )
        con = d[d["method"] == CONSTRUCTION]
        ax.plot(con["units"], con["sup"], "s--", ms=4, color=c, label=f"D={D}: construction")
    ax.axhline(eps, color="black", lw=1, ls=":", label=f"eps = {eps:g}")
    ax.set(xscale="log", yscale="log", xlabel="hidden units", ylabel="sup error on the grid")
    ax.set_title(f"{target}: sup error vs units (one thin line per seed)")
    ax.legend(loc="lower left", fontsize=6, ncol=2)


def plot_dimension(summary: pd.DataFrame, curves: pd.DataFrame, eps: float):
    """Top: units needed for sup error <= eps vs D; bottom: the error curves behind them."""
    fig, axes = figure(2, len(TARGETS), width=4.8, height=3.5)
    for j, target in enumerate(TARGETS):
        _units_panel(axes[0, j], summary, target)
        _curves_panel(axes[1, j], curves, target, eps)
    return fig
