"""Figures of the regions family (C12): construction counts, regions vs depth, region maps."""

import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.lines import Line2D

from experiments.plotting import OKABE_ITO, color, figure
from experiments.regions.depth import growth
from mlp.seeding import rng as derived_rng

BLACK = OKABE_ITO[7]
KINDS = {
    "random": ("random nets", "random He init"),
    "trained": ("trained", "trained on the spiral"),
}  # colour name, label


def plot_construction(table: pd.DataFrame):
    """Montufar's lower bound (lines) and the exact linear-region count of the folding net
    (markers) vs depth L, one panel per input dimension D, one colour per width K."""
    Ds = sorted(table["D"].unique())
    fig, axes = figure(1, len(Ds), width=4.2, height=3.4)
    for ax, D in zip(axes[0], Ds, strict=True):
        sub = table[table["D"] == D]
        for i, (K, g) in enumerate(sub.groupby("K")):
            c = OKABE_ITO[i % 7]
            ax.plot(g["L"], g["montufar_lower_bound"].astype(float), "-", color=c, lw=1, label=f"K={K}")
            ax.plot(g["L"], g["exact_linear"].astype(float), "o", mfc="none", color=c, ms=6)
        counted = sub[sub["counted"].astype(bool)]
        n_eq = int(counted["equal"].astype(bool).sum())
        ax.set(
            yscale="log",
            xlabel="hidden layers L (width K each)",
            ylabel="number of regions",
            title=f"D={D}: exact count = lower bound on {n_eq}/{len(counted)} counted cells",
            xticks=sorted(sub["L"].unique()),
        )
        handles, _ = ax.get_legend_handles_labels()
        handles += [
            Line2D([], [], color=BLACK, lw=1, label="lower bound (formula)"),
            Line2D([], [], color=BLACK, marker="o", mfc="none", ls="none", label="exact linear regions"),
        ]
        ax.legend(handles=handles, loc="upper left", fontsize=7)
    return fig


def _medians(ax, summary: pd.DataFrame, col: str, kind: str, offset: float) -> None:
    """Medians over seeds with their 95% intervals, one kind of net."""
    name, label = KINDS[kind]
    s = summary[summary[f"{kind}_n"] > 0]
    mid = s[f"{kind}_{col}_median"]
    err = [mid - s[f"{kind}_{col}_lo"], s[f"{kind}_{col}_hi"] - mid]
    ax.errorbar(
        s["L"] + offset, mid, yerr=err, fmt="o-", color=color(name), capsize=3, label=f"{label} (median, 95% CI)"
    )


def plot_regions_vs_depth(summary: pd.DataFrame, cells: pd.DataFrame, p: dict):
    """Left: linear regions in the box vs depth at a fixed number of units N: random and trained
    nets (medians with 95% intervals; trained: converged members), the folding construction's
    lower bound and exact count for the same widths, Serra's upper bound, 2^N and the lecture's
    formula as printed. Right: linear regions per unit length along the segment."""
    N = p["n_neurons"]
    fig, axes = figure(1, 2, width=4.8, height=4.6)
    ax, x = axes[0, 0], summary["L"]
    ax.plot(x, summary["lecture_formula_as_printed"].astype(float), "d:", color=color("lecture formula as printed"),
            ms=4, label="lecture's formula as printed (equal widths)")  # fmt: skip
    ax.plot(x, summary["pattern_bound_2N"].astype(float), ":", color=BLACK, label=f"2^N (N={N})")
    ax.plot(x, summary["serra_upper_bound"].astype(float), "--", color=BLACK, label="Serra et al. 2018 upper bound")
    ax.plot(x, summary["montufar_lower_bound"].astype(float), "s-", color=color("lower bound"), ms=4,
            label="Montufar et al. lower bound (folding)")  # fmt: skip
    ax.plot(x, summary["construction_exact_linear"].astype(float), "x", color=color("lower bound"), ms=10, mew=2,
            label="folding construction, exact count")  # fmt: skip
    _medians(ax, summary, "n_linear", "trained", 0.06)
    _medians(ax, summary, "n_linear", "random", -0.06)
    g = {kind: growth(cells, kind) for kind in KINDS}
    ax.set(
        yscale="log",
        xlabel=f"hidden layers L (widths N/L, N = {N} units)",
        ylabel="linear regions in the box",
        xticks=list(x),
        title=f"Growth per added layer: random x{g['random'].fmt('.2f')},\ntrained x{g['trained'].fmt('.2f')}",
    )
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=6.5)
    ax = axes[0, 1]
    _medians(ax, summary, "linear_1d_per_unit_length", "random", -0.06)
    _medians(ax, summary, "linear_1d_per_unit_length", "trained", 0.06)
    (xa, ya), (xb, yb) = p["segment"]
    ax.set(
        xlabel=f"hidden layers L (widths N/L, N = {N} units)",
        ylabel="linear regions per unit length",
        xticks=list(x),
        ylim=(0, None),
        title=f"Along the segment ({xa:g}, {ya:g}) -> ({xb:g}, {yb:g})",
    )
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=1, fontsize=7)
    return fig


def plot_region_maps(panels, seed: int):
    """Each linear region one colour of the suite's palette (a random permutation, so
    neighbours rarely share one), with thin edges."""
    fig, axes = figure(1, len(panels), width=3.6, height=3.8)
    base = np.array(OKABE_ITO[:7])  # without black
    for ax, (name, r) in zip(axes[0], panels, strict=True):
        colors = base[derived_rng(seed, "colours").permutation(r.n_linear) % len(base)][r.linear_id]
        ax.add_collection(
            PolyCollection(r.polygons(), facecolors=colors, edgecolors=BLACK, linewidths=0.15, alpha=0.75)
        )
        V = np.concatenate(r.polygons())
        ax.set(
            xlim=(V[:, 0].min(), V[:, 0].max()),
            ylim=(V[:, 1].min(), V[:, 1].max()),
            aspect="equal",
            xlabel="x1",
            ylabel="x2",
            title=f"{name}\n{r.n_linear} linear regions ({r.n_activation} activation)",
        )
        ax.grid(False)
        ax.title.set_fontsize(8)
    return fig
