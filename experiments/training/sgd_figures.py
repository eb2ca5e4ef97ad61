"""The figures of C15: mini-batch gradient noise at fixed weights, and the loss curves of
GD, SGD and mini-batch SGD, each at its tuned learning rate."""

import numpy as np
import pandas as pd

from experiments.plotting import OKABE_ITO, figure
from experiments.training import gradients

# batch sizes and sampling schemes meet only in this family's figures: distinct palette
# entries in a fixed order (color()'s stable pick for unlisted names can repeat a colour)
SCHEME_COLORS = {True: OKABE_ITO[0], False: OKABE_ITO[5]}  # with / without replacement


def batch_colors(sizes) -> dict[int, str]:
    """One palette entry per batch size, smallest first: B = 1 (SGD) blue, B = N (GD) last."""
    order = (0, 2, 3, 1, 4, 7)
    return {int(B): OKABE_ITO[order[i % len(order)]] for i, B in enumerate(sorted(sizes))}


def plot_gradient_noise(running: pd.DataFrame, variance: pd.DataFrame):
    """(a) the running mean's relative error vs draws; (b) tr Cov of g_B vs B."""
    fig, axes = figure(1, 2, width=5.0, height=3.6)
    ax = axes[0, 0]
    slopes = gradients.mean_slopes(running)
    colors = batch_colors(running["batch_size"].unique())
    for B, d in running.groupby("batch_size"):
        pooled = d.groupby("draws")[["rel_error", "predicted"]].apply(lambda e: np.sqrt((e**2).mean()))  # all chains
        ax.loglog(pooled.index, pooled["rel_error"], "o", ms=3, color=colors[B], label=f"measured, B = {B}")
        ax.loglog(
            pooled.index, pooled["predicted"], "-", lw=1, color=colors[B], label=f"sqrt(var_1 / (B t)) / ||g||, B = {B}"
        )
    ax.set(
        xlabel="number of mini-batch gradients averaged, t",
        ylabel="relative error ||mean - g|| / ||g||",
        title="(a) slope " + ", ".join(f"{v.value:.2f} (B = {B})" for B, v in slopes.items()) + "; theory -1/2",
    )
    ax.legend(fontsize=7)
    ax = axes[0, 1]
    v = gradients.variance_numbers(variance)
    for replace, d in variance.groupby("replace"):
        d = d[d["var_formula"] > 0]  # without replacement B = N has variance 0: off a log axis
        c = SCHEME_COLORS[bool(replace)]
        yerr = [d["var_measured"] - d["var_lo"], d["var_hi"] - d["var_measured"]]
        name = "with" if replace else "without"
        ax.errorbar(
            d["batch_size"],
            d["var_measured"],
            yerr=yerr,
            fmt="o" if replace else "s",
            ms=4,
            mfc="none" if replace else c,
            color=c,
            label=f"measured, {name} replacement",
        )
        formula = "var_1 / B" if replace else "var_1 / B (N - B) / (N - 1)"
        ax.plot(d["batch_size"], d["var_formula"], "-" if replace else "--", lw=1, color=c, label=formula)
    ax.set(
        xscale="log",
        yscale="log",
        xlabel=f"batch size B (examples; N = {v['N']})",
        ylabel="tr Cov of the mini-batch gradient",
        title=f"(b) slope {v['slope'].value:.3f} with replacement; without\nreplacement at B = N: "
        f"{v['full']:.0g} var_1 (formula 0)",
    )
    ax.legend(fontsize=7)
    return fig


def plot_curves(curves: pd.DataFrame, tuning: pd.DataFrame):
    """(a) training loss per epoch (= per N gradient evaluations) and (b) per update, each
    method at its tuned rate (thick: median, thin: seeds); (c) the tuning on training loss."""
    fig, axes = figure(1, 3, width=3.9, height=3.4)
    N = int(curves["batch_size"].max())
    colors = batch_colors(curves["batch_size"].unique())
    for B, d in curves.groupby("batch_size"):
        label = f"{d['method'].iloc[0]}{'' if 1 < B < N else f' (B = {B})'}, lr {d['lr'].iloc[0]:g}"
        for x, ax in (("epoch", axes[0, 0]), ("updates", axes[0, 1])):
            d = d[d[x] > 0] if x == "updates" else d
            for _, s in d.groupby("seed"):
                ax.plot(s[x], s["train_loss"], color=colors[B], lw=0.5, alpha=0.3)
            med = d.groupby(x)["train_loss"].median()
            ax.plot(med.index, med.to_numpy(), color=colors[B], lw=2, label=label)
    loss = "training loss (mean 1/2 (f - y)^2)"
    axes[0, 0].set(
        xlabel=f"epochs (one epoch = N = {N} per-example gradients)",
        ylabel=loss,
        yscale="log",
        title="(a) at equal gradient evaluations",
    )
    axes[0, 1].set(xscale="log", yscale="log", xlabel="parameter updates", ylabel=loss, title="(b) per update")
    ax = axes[0, 2]
    for B, t in tuning.groupby("batch_size"):
        ok = t[t["n_diverged"] == 0]
        ax.plot(ok["lr"], ok["train_loss"], "o-", ms=4, color=colors[B], label=f"B = {B}")
        ax.plot(t.loc[t["chosen"], "lr"], t.loc[t["chosen"], "train_loss"], "*", ms=12, color=colors[B])
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="learning rate (star: chosen)",
        ylabel="median final training loss, tuning seeds",
        title="(c) each batch size tunes its rate",
    )
    for ax in axes[0]:
        ax.legend(fontsize=7)
    return fig
