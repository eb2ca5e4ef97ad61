"""Figures of the training family: the L2 sweep (C14), mini-batch gradient noise and loss
curves (C15), and the spread of final losses over seeds (C18)."""

import numpy as np
import pandas as pd

from experiments.plotting import figure
from experiments.training import sgd


def plot_l2(summary: pd.DataFrame, cfg: dict):
    """Omega and train/test loss vs lambda (symlog axis: lambda = 0 is included)."""
    s = summary.sort_values("lam")
    lam = s["lam"].to_numpy()
    nonzero = lam[lam > 0]
    linthresh = nonzero.min() if len(nonzero) else 1.0
    fig, axes = figure(1, 2, width=4.3, height=3.4)
    ax = axes[0, 0]
    ax.errorbar(lam, s["omega"], yerr=s["omega_se"], fmt="o-", color="C0", capsize=2)
    ax.set(
        xscale="symlog",
        yscale="log",
        xlabel="L2 strength lambda (symlog axis)",
        ylabel="Omega = 1/2 sum ||W||^2 after training",
        title="weight norm falls with lambda",
    )
    ax.set_xscale("symlog", linthresh=linthresh)
    ax.set_xlim(left=0)
    ax = axes[0, 1]
    for col, c, label in (
        ("train_loss", "C0", "train"),
        ("test_loss", "C1", "test"),
        ("gap", "C2", "gap = test - train"),
    ):
        ax.errorbar(lam, s[col], yerr=s[f"{col}_se"], fmt="o-", color=c, capsize=2, label=label)
    ax.set_xscale("symlog", linthresh=linthresh)
    ax.set_xlim(left=0)
    best = s.loc[s["test_loss"].idxmin(), "lam"]
    ax.set(
        xlabel="L2 strength lambda (symlog axis)",
        ylabel="mean loss 1/2 (f - y)^2",
        title=f"the train/test gap shrinks with lambda\n(lowest test loss at lambda = {best:g})",
    )
    ax.legend()
    fig.suptitle(
        f"{cfg['dataset']}, noise {cfg['noise']}, {cfg['train_pct']}% train, "
        f"{list(cfg['hidden_sizes'])} {cfg['activation']}, {int(s['n_seeds'].iloc[0])} seeds per lambda "
        "(mean +- s.e.)",
        fontsize=9,
    )
    return fig


def plot_gradient_noise(running: pd.DataFrame, variance: pd.DataFrame):
    """(a) the running mean's relative error vs draws; (b) tr Cov of g_B vs B."""
    fig, axes = figure(1, 2, width=5.0, height=3.6)
    ax = axes[0, 0]
    for (B, d), c in zip(running.groupby("batch_size"), ("C0", "C1", "C2", "C3")):
        ax.loglog(d["draws"], d["rel_error"], "o", ms=3, color=c, label=f"measured, B = {B}")
        ax.loglog(d["draws"], d["predicted"], "-", lw=1, color=c, label=f"sqrt(var_1 / (B t)) / ||g||, B = {B}")
    slopes = sgd.mean_slopes(running)
    ax.set(
        xlabel="number of mini-batch gradients averaged, t",
        ylabel="relative error ||mean - g|| / ||g||",
        title="(a) the mean converges to the full gradient\nslope "
        + ", ".join(f"{v:.2f} (B={B})" for B, v in slopes.items())
        + "; theory -1/2",
    )
    ax.legend(fontsize=7)
    ax = axes[0, 1]
    N = int(variance["N"].iloc[0])
    for replace, d in variance.groupby("replace"):
        d = d[d["var_formula"] > 0]  # without replacement B = N has variance 0: off a log axis
        name = "with replacement" if replace else "without replacement"
        ax.loglog(
            d["batch_size"],
            d["var_measured"],
            "o" if replace else "s",
            ms=4,
            mfc="none" if replace else None,
            color="C0" if replace else "C1",
            label=f"measured, {name}",
        )
        ax.loglog(
            d["batch_size"],
            d["var_formula"],
            "-" if replace else "--",
            lw=1,
            color="C0" if replace else "C1",
            label="var_1 / B" if replace else "var_1 / B (N - B) / (N - 1)",
        )
    wr = variance[variance["replace"]]
    full = variance.loc[~variance["replace"] & (variance["batch_size"] == N), "var_measured"]
    at_n = f"; without replacement at B = N: {full.iloc[0]:.1g} (formula 0)" if len(full) else ""
    ax.set(
        xlabel="batch size B (examples)",
        ylabel="tr Cov of the mini-batch gradient",
        title=f"(b) noise falls as 1/B: slope {sgd.loglog_slope(wr['batch_size'], wr['var_measured']):.3f}\nN = {N}{at_n}",
    )
    ax.legend(fontsize=7)
    return fig


def plot_curves(curves: pd.DataFrame):
    """Train loss of GD, SGD and mini-batch SGD per epoch (= per N gradient evaluations)
    and per parameter update; thin lines are seeds, thick the median."""
    fig, axes = figure(1, 2, width=4.4, height=3.4)
    N = int(curves["batch_size"].max())
    methods = curves.sort_values("batch_size")["method"].unique()
    for method, c in zip(methods, ("C3", "C1", "C0", "C2")):
        d = curves[curves["method"] == method]
        for x, ax in (("grad_evals", axes[0, 0]), ("updates", axes[0, 1])):
            for _, s in d.groupby("seed"):
                s = s[s[x] > 0] if x == "updates" else s
                ax.plot(s[x], s["train_loss"], color=c, lw=0.5, alpha=0.4)
            med = d.groupby(x)["train_loss"].median()
            med = med[med.index > 0] if x == "updates" else med
            ax.plot(med.index, med.to_numpy(), color=c, lw=2, label=method)
    epochs = int(curves["epoch"].max())
    axes[0, 0].set(
        xlabel=f"per-example gradient evaluations (1 epoch = N = {N})",
        ylabel="training loss (mean 1/2 (f - y)^2)",
        title=f"(c) at equal budget ({epochs} epochs) SGD gets further",
    )
    sec = axes[0, 0].secondary_xaxis("top", functions=(lambda v: v / N, lambda v: v * N))
    sec.set_xlabel("epochs")
    axes[0, 1].set(
        xscale="log",
        xlabel="parameter updates (log scale)",
        ylabel="training loss (mean 1/2 (f - y)^2)",
        title="per update, GD is smooth; B = 1 is noisy",
    )
    axes[0, 0].legend()
    return fig


def plot_minima(final: pd.DataFrame, table: pd.DataFrame, cfg: dict):
    """Histogram of the final training loss over seeds on a log axis, clusters shaded."""
    fig, axes = figure(1, 1, width=5.2, height=3.4)
    ax = axes[0, 0]
    L = final["train_loss"].to_numpy()
    L = L[np.isfinite(L)]
    lo, hi = np.log10(L.min()), np.log10(L.max())
    pad = max(0.05 * (hi - lo), 0.02)
    ax.hist(L, bins=np.logspace(lo - pad, hi + pad, 60), color="C0")
    for _, c in table[table["counted"]].iterrows():
        ax.axvspan(c["loss_min"] / 1.02, c["loss_max"] * 1.02, color="C1", alpha=0.15, lw=0)
        ax.annotate(
            f"{c['fraction']:.0%}",
            (c["loss_median"], 1),
            xycoords=("data", "axes fraction"),
            ha="center",
            va="top",
            fontsize=7,
            color="C1",
        )
    ax.set_xscale("log")
    what = "XOR" if cfg["task"] == "xor" else f"{cfg['dataset']} (noise {cfg['noise']}, {cfg['train_pct']}% train)"
    ax.set(
        xlabel="final training loss (log scale)",
        ylabel="number of seeds",
        title=f"{what}, {list(cfg['hidden_sizes'])} {cfg['activation']}, {len(final)} seeds, "
        f"{cfg['epochs']} epochs:\n{int(table['counted'].sum())} cluster(s) of final loss (shaded; "
        f"gap > {cfg['gap_decades']} decades, >= {cfg['min_seeds']} seeds)",
    )
    return fig
