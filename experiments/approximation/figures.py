"""Figures of the approximation family: sup error vs width (C10), units needed vs depth and the
tent map itself (C11). One colour per activation (`experiments.plotting.color`) across the suite."""

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from experiments.approximation.depth import plateau_net, relu_net
from experiments.plotting import OKABE_ITO, color, figure
from mlp.constructions import tent_map_net
from mlp.network import predict

STYLES = {"construction": "--", "lbfgs": "-"}  # line style: constructed vs trained nets


def plot_width(errs: pd.DataFrame, sup_tol: float):
    """Sup error vs K (log-log), one panel per target: each activation's construction (dashed)
    and its trained nets (solid, L-BFGS, best stationary restart), the bar sup_tol dotted."""
    d = errs[errs["method"] != "sgd"].dropna(subset=["sup"])
    d = d[d["sup"] > 0]
    targets = sorted(d["target"].unique())
    fig, axes = figure(1, len(targets), width=3.3, height=3.2, sharey=True)
    for ax, target in zip(axes[0], targets, strict=True):
        for (activation, method), g in d[d["target"] == target].groupby(["activation", "method"], sort=True):
            g = g.sort_values("K")
            trained = method == "lbfgs"
            ax.plot(
                g["K"],
                g["sup"],
                STYLES["lbfgs" if trained else "construction"],
                marker="o" if trained else None,
                ms=3,
                lw=1.5,
                color=color(activation),
            )
        ax.axhline(sup_tol, color="0.4", ls=":", lw=1)
        ax.set(xscale="log", yscale="log", xlabel="hidden units K", title=f"target: {target}")
        ax.set_xscale("log", base=2)
    axes[0, 0].set_ylabel("sup error on a dense grid of [-1, 1]")
    axes[0, 0].set_ylim(d["sup"].min() / 2, d["sup"].max() * 2)
    handles = [Line2D([], [], color=color(a), lw=2, label=a) for a in sorted(d["activation"].unique())] + [
        Line2D([], [], color="k", ls="--", label="construction"),
        Line2D([], [], color="k", marker="o", ms=3, label="trained (L-BFGS)"),
        Line2D([], [], color="0.4", ls=":", label=f"bar {sup_tol:g}"),
    ]
    fig.legend(handles=handles, loc="outside right center")
    fig.suptitle("Sup error of one-hidden-layer nets vs width K")
    return fig


def plot_units(need: pd.DataFrame, slope):
    """Units needed for the L1 target vs L (log2 axis): deep, shallow constructed and trained."""
    fig, axes = figure(1, 1, width=4.6, height=3.6)
    ax = axes[0, 0]
    deep, con, tr = OKABE_ITO[2], OKABE_ITO[7], OKABE_ITO[5]
    ax.plot(need["L"], need["deep_units"], "o-", color=deep, label="deep, width 2 (exact)")
    ax.plot(need["L"], need["shallow_constructed"], "s-", color=con, label="shallow, best construction")
    ax.plot(need["L"], need["shallow_trained"], "^-", color=tr, label="shallow, trained (L-BFGS)")
    miss = need[need["shallow_trained"].isna() & (need["trained_max_tried"] > 0)]
    ax.plot(miss["L"], miss["trained_max_tried"], "^", mfc="none", color=tr, ms=9, label="trained: not reached up to K")
    ax.plot(need["L"], need["lower_bound"], "--", color="0.4", label="lower bound 2^(L-2) - 1")
    ax.plot(need["L"], 2.0 ** need["L"], ":", color="0.6", label="2^L (pieces of m^L)")
    ax.set(xlabel="composition depth L", ylabel="relu units needed (L1 error < 1/16)")
    ax.set_yscale("log", base=2)
    ax.set_title(f"Shallow units needed grow like 2^({slope.value:.2f} L); deep: 2L")
    ax.legend(fontsize=7)
    return fig


def plot_functions(depths):
    """m^L for a few L: the deep net (exact) and a shallow net with 2^(L-1) units (the plateau
    construction), which can follow only part of the 2^L pieces."""
    fig, axes = figure(1, len(depths), width=3.0, height=2.6, sharey=True)
    x = np.linspace(0, 1, 2001)[:, None]
    for ax, L in zip(axes[0], depths, strict=True):
        deep, K = tent_map_net(L), 2 ** (L - 1)
        ax.plot(x, predict(relu_net(deep), deep, x), color=OKABE_ITO[2], lw=1.5, label="deep width-2 net, 2L units")
        shallow = plateau_net(L, K)
        ax.plot(x, predict(relu_net(shallow), shallow, x), color="k", lw=1, ls="--", label="shallow net, 2^(L-1) units")
        ax.set(xlabel="x", title=f"L = {L}: {2**L} pieces")
    axes[0, 0].set_ylabel("f(x)")
    fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="outside lower center", ncol=2)
    fig.suptitle("The L-fold tent map m^L: deep width-2 net and a shallow net with 2^(L-1) units")
    return fig
