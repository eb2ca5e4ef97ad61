"""Figures of the lecture's tables: Table 3.6's pre-activations and Figure 3.11's regions."""

import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from experiments.lecture_tables.tables import NET_3_11, PARAMS_3_11
from experiments.plotting import PM_COLORS, figure
from mlp.network import forward


def plot_table_3_6(t36: pd.DataFrame):
    """Table 3.6's pre-activation v per row: recomputed (bars, coloured by y) vs printed."""
    fig, axes = figure(1, 1, width=5.0, height=3.2)
    ax = axes[0, 0]
    rows = np.arange(len(t36))
    ax.bar(rows, t36["v"], color=[PM_COLORS[float(y)] for y in t36["y"]])
    ax.scatter(rows, t36["v_printed"], marker="_", s=400, color="k", zorder=3, label="printed v")
    ax.axhline(0, color="k", lw=0.8)
    ax.set_xticks(
        rows, [f"({a:+d},{b:+d},{c:+d})" for a, b, c in t36[["x1", "x2", "x3"]].to_numpy()], rotation=30, fontsize=7
    )
    ax.set(xlabel="inputs (x1, x2, x3)", ylabel="pre-activation v = -2 + 2x1 + 4x2 - x3")
    n_ok = int((t36["v"] == t36["v_printed"]).sum())
    ax.set_title(f"Table 3.6 recomputed: v matches the printed value on {n_ok}/8 rows")
    handles = [Patch(color=PM_COLORS[y], label=f"y = sgn(v) = {y:+.0f}") for y in (1.0, -1.0)]
    ax.legend(handles=[*handles, ax.get_legend_handles_labels()[0][0]], loc="lower right")
    return fig


def plot_xor_threshold_net(xor: pd.DataFrame):
    """Output regions of Figure 3.11's network in the input plane, the lines z1 = 0 and
    z2 = 0 of its hidden units, and the four XOR inputs."""
    fig, axes = figure(1, 1, width=4.0, height=3.6)
    ax = axes[0, 0]
    g = np.linspace(-2, 2, 401)
    x1, x2 = np.meshgrid(g, g)
    y = forward(NET_3_11, PARAMS_3_11, np.column_stack([x1.ravel(), x2.ravel()]))[0].reshape(x1.shape)
    ax.contourf(x1, x2, y, levels=[-2, 0, 2], colors=[PM_COLORS[-1.0], PM_COLORS[1.0]], alpha=0.25)
    ax.plot(g, g - 1, "k--", lw=1, label="z1: 1 - x1 + x2 = 0")
    ax.plot(g, g + 1, "k:", lw=1, label="z2: -1 - x1 + x2 = 0")
    for _, r in xor.iterrows():
        ax.scatter(r.x1, r.x2, s=90, color=PM_COLORS[float(r.y)], edgecolor="k", zorder=3)
    n_ok = int((xor["y"] == xor["xor"]).sum())
    ax.set(
        xlim=(-2, 2),
        ylim=(-2, 2),
        xlabel="x1",
        ylabel="x2",
        aspect="equal",
        title=f"Figure 3.11: the threshold net computes XOR ({n_ok}/4 rows)",
    )
    ax.legend(loc="lower right", fontsize=7)
    return fig
