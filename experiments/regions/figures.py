"""Figures of the regions family (C12): construction counts, regions vs depth, region maps."""

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.collections import PolyCollection
from matplotlib.lines import Line2D

from experiments.plotting import figure
from mlp.seeding import rng as derived_rng

COLORS = {"random": "#1f77b4", "trained": "#ff7f0e"}


def plot_construction(table: pd.DataFrame):
    """Montufar's formula (lines) and the exact linear-region count of the folding net (markers)
    vs depth L, one panel per input dimension D, one colour per width K."""
    Ds = sorted(table["D"].unique())
    fig, axes = figure(1, len(Ds), width=4.2, height=3.4)
    for ax, D in zip(axes[0], Ds, strict=True):
        sub = table[table["D"] == D]
        for i, (K, g) in enumerate(sub.groupby("K")):
            c = colormaps["viridis"](i / max(1, sub["K"].nunique() - 1))
            ax.plot(g["L"], g["montufar_lower_bound"].astype(float), "-", color=c, lw=1, label=f"K={K}")
            ax.plot(g["L"], g["exact_linear"].astype(float), "o", mfc="none", color=c, ms=6)
        counted = sub[sub["counted"].astype(bool)]
        n_eq = int(counted["equal"].astype(bool).sum())
        ax.set(
            yscale="log",
            xlabel="hidden layers L (width K each)",
            ylabel="number of regions",
            title=f"D={D}: exact = formula on {n_eq}/{len(counted)} cells",
            xticks=sorted(sub["L"].unique()),
        )
        handles, _ = ax.get_legend_handles_labels()
        handles += [
            Line2D([], [], color="k", lw=1, label="formula (lower bound)"),
            Line2D([], [], color="k", marker="o", mfc="none", ls="none", label="exact linear regions"),
        ]
        ax.legend(handles=handles, loc="upper left", fontsize=7)
    return fig


def _ratio(s: pd.DataFrame, col: str, L0: int, L1: int) -> float:
    return float(s.loc[L1, col]) / float(s.loc[L0, col])


def _band(ax, summary, col, kind, label):
    x = summary["L"]
    ax.fill_between(x, summary[f"{kind}_{col}_min"], summary[f"{kind}_{col}_max"], color=COLORS[kind], alpha=0.2)
    ax.plot(x, summary[f"{kind}_{col}_median"], "o-", color=COLORS[kind], label=label)


def plot_regions_vs_depth(summary: pd.DataFrame, cells: pd.DataFrame, p: dict):
    """Left: linear regions in the 2-D box vs depth at a fixed number of units N, for random and
    trained nets (median, min-max band over seeds), next to the construction's lower bound and exact
    count for the same widths, Serra's upper bound, 2^N and the lecture's formula as printed.
    Right: linear regions per unit length along the segment."""
    N, n_seeds = p["n_neurons"], p["n_seeds"]
    fig, axes = figure(1, 2, width=4.8, height=3.8)
    ax = axes[0, 0]
    x = summary["L"]
    ax.plot(x, summary["lecture_formula_as_printed"].astype(float), "d:", color="tab:red", ms=4,
            label="lecture's formula as printed (equal widths)")  # fmt: skip
    ax.plot(x, summary["pattern_bound_2N"].astype(float), ":", color="0.3", label=f"2^N (N={N})")
    ax.plot(x, summary["serra_upper_bound"].astype(float), "--", color="0.3", label="Serra et al. 2018 upper bound")
    ax.plot(x, summary["montufar_lower_bound"].astype(float), "s-", color="k", ms=4,
            label="Montufar et al. lower bound (folding)")  # fmt: skip
    ax.plot(x, summary["construction_exact_linear"].astype(float), "x", color="tab:green", ms=10, mew=2,
            label="folding construction, exact count")  # fmt: skip
    _band(ax, summary, "n_linear", "trained", f"trained on spiral (median, range; {n_seeds} seeds)")
    _band(ax, summary, "n_linear", "random", f"random He init (median, range; {n_seeds} seeds)")
    s = summary.set_index("L")
    L0, L1 = int(s.index.min()), int(s.index.max())
    ax.set(
        yscale="log",
        xlabel=f"hidden layers L (widths N/L, N = {N} units)",
        ylabel="linear regions in [-1, 1]^2",
        xticks=list(x),
        title=(
            f"L={L0} -> {L1} at N={N}: folding bound x{_ratio(s, 'montufar_lower_bound', L0, L1):.3g},\n"
            f"random nets x{_ratio(s, 'random_n_linear_median', L0, L1):.2f}, "
            f"trained x{_ratio(s, 'trained_n_linear_median', L0, L1):.2f} (medians)"
        ),
    )
    ax.legend(loc="upper left", fontsize=6.5)
    ax = axes[0, 1]
    _band(ax, summary, "linear_1d_per_unit_length", "random", "random He init")
    _band(ax, summary, "linear_1d_per_unit_length", "trained", "trained on spiral")
    (xa, ya), (xb, yb) = p["segment"]
    ax.set(
        xlabel=f"hidden layers L (widths N/L, N = {N} units)",
        ylabel="linear regions per unit length",
        xticks=list(x),
        ylim=(0, None),
        title=(
            f"Along ({xa:g}, {ya:g}) -> ({xb:g}, {yb:g}), L={L0} -> {L1}: random "
            f"x{_ratio(s, 'random_linear_1d_per_unit_length_median', L0, L1):.2f},\n"
            f"trained x{_ratio(s, 'trained_linear_1d_per_unit_length_median', L0, L1):.2f} (medians)"
        ),
    )
    ax.legend(loc="lower left")
    return fig


def plot_region_maps(panels, seed: int):
    """Each linear region a colour (a random permutation of a categorical colormap), thin edges."""
    fig, axes = figure(1, len(panels), width=3.6, height=3.8)
    base = np.concatenate([colormaps["tab20"].colors, colormaps["tab20b"].colors, colormaps["Set3"].colors])
    for ax, (name, r) in zip(axes[0], panels, strict=True):
        colors = base[derived_rng(seed, "colours").permutation(r.n_linear) % len(base)][r.linear_id]
        ax.add_collection(PolyCollection(r.polygons(), facecolors=colors, edgecolors="k", linewidths=0.15))
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
