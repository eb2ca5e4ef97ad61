"""The logic family's figures: LP certificates, logistic regression's accuracy, decision
boundaries of one neuron vs an MLP, and XOR success vs hidden width."""

import numpy as np
import pandas as pd

from experiments.logic.trained import POINTS, SIGMOID_NET, TRAINED_FUNCTIONS, train_functions
from experiments.plotting import PM_COLORS, color, figure
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
        ax.set_title(f"{r.name}\n{cert}", fontsize=8)
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


def method(batch_size: int) -> str:
    return "full-batch GD" if batch_size == POINTS else f"SGD, batch {batch_size}"


LEVELS = np.linspace(0, 1, 11)  # shading bands of f(x)


def _ramp(n: int) -> list[str]:
    """n colours from label 0 (orange) through white to label 1 (blue), as hex."""
    ends = [np.array([int(c[i : i + 2], 16) for i in (1, 3, 5)], float) for c in (PM_COLORS[-1.0], PM_COLORS[1.0])]
    white = np.full(3, 255.0)
    out = []
    for t in np.linspace(0, 1, n):
        rgb = ends[0] + (white - ends[0]) * 2 * t if t <= 0.5 else white + (ends[1] - white) * (2 * t - 1)
        out.append("#" + "".join(f"{round(v):02x}" for v in rgb))
    return out


def _boundary_panel(ax, net, params, member: int, name: str, title: str):
    x1, x2 = np.meshgrid(GRID, GRID)
    P = np.column_stack([x1.ravel(), x2.ravel()])
    p = forward(net, [(W[member : member + 1], b[member : member + 1]) for W, b in params], P)[0][0, :, 0]
    p = p.reshape(x1.shape)
    ax.contourf(x1, x2, p, levels=LEVELS, colors=_ramp(len(LEVELS) - 1), alpha=0.5)
    ax.contour(x1, x2, p, levels=[0.5], colors="k", linewidths=1.5)
    X, y = truth_table_inputs(2), function_outputs(NAMED_2[name], 2)
    ax.scatter(X[:, 0], X[:, 1], s=110, c=[PM_COLORS[float(v)] for v in y], edgecolor="k", zorder=3)
    ax.set(xlim=(GRID[0], GRID[-1]), ylim=(GRID[0], GRID[-1]), aspect="equal", xlabel="x1", ylabel="x2", title=title)


def plot_decision_boundaries(seed: int, cfg_neuron: dict, cfg_mlp: dict, activation: str, width: int):
    """3 x 2 grid: rows AND, OR, XOR; columns one sigmoid neuron vs an MLP (one seed each)."""
    fig, axes = figure(3, 2, width=3.3, height=3.0)
    nets = [
        (Net((2, 1), **SIGMOID_NET), cfg_neuron, "neuron", "one neuron"),
        (Net((2, width, 1), hidden=activation, **SIGMOID_NET), cfg_mlp, "boundary", f"MLP, {width} {activation} units"),
    ]
    right = {}
    for col, (net, cfg, key, label) in enumerate(nets):
        params, runs = train_functions(net, TRAINED_FUNCTIONS, [seed], key, cfg)
        for row, name in enumerate(TRAINED_FUNCTIONS):
            right[label, name] = int(runs["correct"].iloc[row])
            _boundary_panel(axes[row, col], net, params, row, name, f"{name}, {label}: {right[label, name]}/4 right")
    axes[0, 1].scatter([], [], s=60, c=PM_COLORS[1.0], edgecolor="k", label="target 1")
    axes[0, 1].scatter([], [], s=60, c=PM_COLORS[-1.0], edgecolor="k", label="target 0")
    axes[0, 1].plot([], [], "k", label="f(x) = 1/2")
    axes[0, 1].legend(loc="upper left", bbox_to_anchor=(1.02, 1.0))
    counts = [", ".join(f"{f} {right[label, f]}/4" for f in TRAINED_FUNCTIONS) for *_, label in nets]
    fig.suptitle(
        f"Decision boundaries after training (seed {seed}): one neuron {counts[0]}; MLP {counts[1]}\n"
        "shading: output f(x) = p(y = 1 | x), from 0 (orange) to 1 (blue)"
    )
    return fig


def plot_neuron_accuracy(runs: pd.DataFrame):
    """How many of the seeds end with 0..4 points decided right, per function."""
    fig, axes = figure(1, 1, width=5.5, height=3.2)
    ax = axes[0, 0]
    seeds = runs.groupby("function").size().iloc[0]
    for i, name in enumerate(TRAINED_FUNCTIONS):
        c = runs.loc[runs["function"] == name, "correct"].value_counts().reindex(range(5), fill_value=0)
        ax.bar(np.arange(5) + (i - 1) * 0.27, c.to_numpy(), width=0.27, label=name, color=color(name))
    all_4 = {f: int((runs.loc[runs["function"] == f, "correct"] == 4).sum()) for f in TRAINED_FUNCTIONS}
    xor_max = int(runs.loc[runs["function"] == "XOR", "correct"].max())
    ax.set(
        xticks=range(5),
        xlabel="points of the truth table decided right (of 4)",
        ylabel=f"seeds (of {seeds})",
        title=f"Logistic regression: 4/4 on AND for {all_4['AND']}/{seeds} seeds, on OR for {all_4['OR']}/{seeds};"
        f" XOR at most {xor_max}/4",
    )
    ax.legend(loc="upper left")
    return fig


def plot_xor_success(rates: pd.DataFrame, cfg: dict, tol: float):
    """Left: success rate over all seeds vs hidden width, one line per activation, at the end
    (exact 95% intervals) and certified at half the epochs (open markers, dotted): equal rates
    mean the outcome had settled. Right: the share of seeds still moving at the end."""
    fig, axes = figure(1, 2, width=4.6, height=3.6)
    left, right = axes[0]
    for i, (act, g) in enumerate(rates.groupby("activation", sort=False)):
        g = g.sort_values("width")
        x = g["width"] * (1 + 0.04 * (i - 1))  # small offset so the intervals do not overlap
        err = [g["rate"] - g["ci_low"], g["ci_high"] - g["rate"]]
        left.errorbar(x, g["rate"], yerr=err, marker="o", capsize=3, color=color(act), label=act)
        left.plot(x, g["rate_half_epochs"], "o:", mfc="none", color=color(act), ms=11)
        right.plot(x, g["moving"] / g["seeds"], "o-", color=color(act), label=act)
    left.plot([], [], "o:", mfc="none", color="k", label=f"certified at epoch {cfg['epochs'] // 2}")
    widths = sorted(rates["width"].unique())
    for ax in (left, right):
        ax.set_xscale("log", base=2)
        ax.set(xticks=widths, xticklabels=[str(w) for w in widths], xlabel="hidden units K (log scale)")
    one = rates[rates["width"] == 1]
    left.set(
        ylim=(-0.03, 1.03),
        ylabel="success rate (all 4 points right)",
        title=f"XOR, {int(rates['seeds'].iloc[0])} seeds per cell"
        + (f"; K = 1: {int(one['successes'].sum())}/{int(one['seeds'].sum())} solved" if len(one) else ""),
    )
    right.set(
        ylim=(-0.01, max(0.25, 1.1 * (rates["moving"] / rates["seeds"]).max())),
        ylabel="share of seeds still moving",
        title=f"loss change > {tol:g} over the last 10%, not settled",
    )
    how = f"{method(cfg['batch_size'])}, lr {cfg['lr']}, {cfg['epochs']} epochs,\n{cfg['init']} init"
    left.text(0.98, 0.04, f"{how}; bars: exact 95% intervals", transform=left.transAxes, ha="right", fontsize=7)
    left.legend(title="hidden activation", loc="center right")
    return fig
