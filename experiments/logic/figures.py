"""The logic family's figures: LP certificates, logistic regression's accuracy, decision
boundaries of one neuron vs an MLP, and XOR success vs hidden width."""

import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap

from experiments.logic.trained import SIGMOID_NET, TRAINED_FUNCTIONS, train_functions
from experiments.plotting import PM_COLORS, figure
from mlp.boolean import NAMED_2, function_outputs, truth_table_inputs
from mlp.network import Net, forward


def plot_certificates(certs: pd.DataFrame, counts: pd.DataFrame):
    """4 x 4 grid, one panel per function of 2 inputs: the LP's separating line w.x + b = 0 (its
    positive side shaded), or for a non-separable function the point where the Farkas witness
    says the two classes' convex hulls meet."""
    fig, axes = figure(4, 4, width=2.2, height=2.2)
    X = truth_table_inputs(2)
    g = np.linspace(-1.6, 1.6, 81)
    x1, x2 = np.meshgrid(g, g)
    for ax, r in zip(axes.flat, certs.itertuples()):
        y = function_outputs(r.index, 2)
        if r.separable:
            v = r.w1 * x1 + r.w2 * x2 + r.b
            ax.contourf(x1, x2, v, levels=[-np.inf, 0, np.inf], colors=[PM_COLORS[-1.0], PM_COLORS[1.0]], alpha=0.2)
            if r.w1 or r.w2:
                ax.contour(x1, x2, v, levels=[0], colors="k", linewidths=1.2)
            cert = f"w = ({r.w1:g}, {r.w2:g}), b = {r.b:g}"
        else:
            lam = np.array([r.lambda1, r.lambda2, r.lambda3, r.lambda4])
            pos = y > 0
            meet = lam[pos] @ X[pos] / lam[pos].sum()  # (2,) common point of the two hulls
            for cls in (pos, ~pos):
                ax.plot(*X[cls].T, "--", color=PM_COLORS[1.0 if cls is pos else -1.0], lw=1.2)
            ax.scatter(*meet, marker="x", s=80, color="k", zorder=4)
            cert = "Farkas: hulls meet at x"
        ax.scatter(X[:, 0], X[:, 1], s=50, c=[PM_COLORS[float(v)] for v in y], edgecolor="k", zorder=3)
        ax.set(xlim=(-1.6, 1.6), ylim=(-1.6, 1.6), aspect="equal", xticks=[-1, 1], yticks=[-1, 1])
        ax.set_title(f"{r.name}\n{cert}", fontsize=8, color="k" if r.separable else "firebrick")
    for ax in axes[-1]:
        ax.set_xlabel("x1")
    for ax in axes[:, 0]:
        ax.set_ylabel("x2")
    txt = ", ".join(str(c) for c in counts["count"])
    fig.suptitle(
        f"{int(certs['separable'].sum())} of 16 functions of 2 inputs are computed by one threshold unit "
        f"(all but {', '.join(certs.loc[~certs['separable'], 'name'])})\nthreshold functions of n = {counts['n'].min()}..{counts['n'].max()} inputs: {txt} "
        "(OEIS A000609)"
    )
    return fig


GRID = np.linspace(-1.6, 1.6, 161)
PROB_CMAP = LinearSegmentedColormap.from_list("p", [PM_COLORS[-1.0], "white", PM_COLORS[1.0]])  # 0 -> 1


def _boundary_panel(ax, net, params, member: int, name: str, title: str):
    x1, x2 = np.meshgrid(GRID, GRID)
    P = np.column_stack([x1.ravel(), x2.ravel()])
    p = forward(net, [(W[member : member + 1], b[member : member + 1]) for W, b in params], P)[0][0, :, 0]
    p = p.reshape(x1.shape)
    ax.contourf(x1, x2, p, levels=np.linspace(0, 1, 11), cmap=PROB_CMAP, vmin=0, vmax=1, alpha=0.5)
    ax.contour(x1, x2, p, levels=[0.5], colors="k", linewidths=1.5)
    X, y = truth_table_inputs(2), function_outputs(NAMED_2[name], 2)
    ax.scatter(X[:, 0], X[:, 1], s=110, c=[PM_COLORS[float(v)] for v in y], edgecolor="k", zorder=3)
    ax.set(xlim=(GRID[0], GRID[-1]), ylim=(GRID[0], GRID[-1]), aspect="equal", xlabel="x1", ylabel="x2", title=title)


def plot_decision_boundaries(seed: int, cfg_neuron: dict, cfg_mlp: dict, activation: str, width: int):
    """3 x 2 grid: rows AND, OR, XOR; columns one sigmoid neuron vs an MLP (first seed of each)."""
    fig, axes = figure(3, 2, width=3.3, height=3.0)
    for col, (net, cfg, key, label) in enumerate(
        [
            (Net((2, 1), **SIGMOID_NET), cfg_neuron, "neuron", "one neuron"),
            (Net((2, width, 1), hidden=activation, **SIGMOID_NET), cfg_mlp, "boundary", f"MLP ({width} {activation})"),
        ]
    ):
        params, correct, _, _ = train_functions(net, TRAINED_FUNCTIONS, [seed], key, cfg)
        for row, name in enumerate(TRAINED_FUNCTIONS):
            _boundary_panel(axes[row, col], net, params, row, name, f"{name}, {label}: {correct[row]}/4 correct")
    axes[0, 1].scatter([], [], s=60, c=PM_COLORS[1.0], edgecolor="k", label="target 1")
    axes[0, 1].scatter([], [], s=60, c=PM_COLORS[-1.0], edgecolor="k", label="target 0")
    axes[0, 1].plot([], [], "k", label="f(x) = 1/2")
    axes[0, 1].legend(loc="upper left", bbox_to_anchor=(1.02, 1.0))
    fig.suptitle(
        "One neuron draws one straight line (AND, OR solved, XOR not); an MLP bends around XOR\n"
        "shading: output f(x) = p(y = 1 | x), from 0 (orange) to 1 (blue)"
    )
    return fig


def plot_neuron_accuracy(runs: pd.DataFrame):
    """How many of the seeds reach 0..4 correct points, per function."""
    fig, axes = figure(1, 1, width=5.5, height=3.2)
    ax = axes[0, 0]
    seeds = runs.groupby("function").size().iloc[0]
    for i, name in enumerate(TRAINED_FUNCTIONS):
        c = runs.loc[runs["function"] == name, "correct"].value_counts().reindex(range(5), fill_value=0)
        ax.bar(np.arange(5) + (i - 1) * 0.27, c.to_numpy(), width=0.27, label=name)
    all_4 = {f: int((runs.loc[runs["function"] == f, "correct"] == 4).sum()) for f in TRAINED_FUNCTIONS}
    xor_max = int(runs.loc[runs["function"] == "XOR", "correct"].max())
    ax.set(
        xticks=range(5),
        xlabel="points of the truth table classified correctly (of 4)",
        ylabel=f"seeds (of {seeds})",
        title=f"Logistic regression: 4/4 on AND for {all_4['AND']}/{seeds} seeds, on OR for {all_4['OR']}/{seeds};"
        f" XOR at most {xor_max}/4",
    )
    ax.legend(loc="upper left")
    return fig


def plot_xor_success(rates: pd.DataFrame, cfg: dict):
    """Success rate vs hidden width, one line per activation, with Wilson 95% intervals."""
    fig, axes = figure(1, 1, width=5.5, height=3.6)
    ax = axes[0, 0]
    for i, (act, g) in enumerate(rates.groupby("activation", sort=False)):
        g = g.sort_values("width")
        x = g["width"] * (1 + 0.03 * (i - 1))  # small offset so the intervals do not overlap
        ax.errorbar(
            x, g["rate"], yerr=[g["rate"] - g["ci_low"], g["ci_high"] - g["rate"]], marker="o", capsize=3, label=act
        )
    widths = sorted(rates["width"].unique())
    seeds = int(rates["seeds"].iloc[0])
    ax.set_xscale("log", base=2)
    ax.set(
        xticks=widths,
        xticklabels=[str(w) for w in widths],
        ylim=(-0.03, 1.03),
        xlabel="hidden units K (log scale)",
        ylabel=f"success rate (4/4 correct), {seeds} seeds",
        title=f"XOR: one hidden unit solves it in {int(rates.loc[rates['width'] == 1, 'successes'].sum())} of "
        f"{int(rates.loc[rates['width'] == 1, 'seeds'].sum())} runs; success rises with width",
    )
    ax.text(
        0.98,
        0.04,
        f"full-batch GD, lr {cfg['lr']}, {cfg['epochs']} epochs, {cfg['init']} init;\nbars: 95% Wilson interval",
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=7,
    )
    ax.legend(title="hidden activation", loc="center right")
    return fig
