"""The depth family's figures: exact zeros and the conventions at relu's kink (C22); gradient
norms per layer, trainability vs depth and sparse activity after training (C23). Colours: one
per activation (the suite's), solid lines for He and dashed for Glorot initialisation."""

import numpy as np
import pandas as pd

from experiments.depth.kink import CONVENTIONS, CORE
from experiments.plotting import OKABE_ITO, color, figure

DASH = {"he": "-", "glorot": "--"}
CONVENTION_STYLE = {  # relu'(0) = 0 is the core's relu; the variants drawn over it stay visible where equal
    "relu": (color("relu"), "-"),
    "relu_half": (OKABE_ITO[5], "--"),
    "relu_one": (OKABE_ITO[3], ":"),
}


def depth_axis(ax, depths) -> None:
    """A log axis of depths labelled at the sweep's depths."""
    ax.set_xscale("log")
    ax.set_xticks(depths, [str(L) for L in depths])
    ax.minorticks_off()


def plot_kink(epochs: pd.DataFrame, final: pd.DataFrame):
    """Exact zeros on the training points vs epoch per run and convention; the final-loss
    differences of the variants from relu'(0) = 0 per member."""
    runs = list(dict.fromkeys(epochs["run"]))
    fig, axes = figure(1, len(runs) + 1, width=3.6, height=3.0)
    for ax, run in zip(axes[0], runs):
        e = epochs[epochs["run"] == run].groupby(["convention", "epoch"], sort=False)["zeros"].sum()
        for g in CONVENTIONS:
            counts = e.loc[g]
            col, dash = CONVENTION_STYLE[g]
            label = f"relu'(0) = {CONVENTIONS[g]:g}"
            ax.step(counts.index + 1, counts.to_numpy(), dash, where="post", color=col, label=label)
        ax.set_yscale("symlog", linthresh=1)
        ax.set(xscale="log", ylim=(0, None), xlabel="epoch + 1", ylabel="exact zeros of z (all members, layers)")
        ax.set_title(f"{run}: pre-activations exactly 0")
        ax.legend()
    ax = axes[0, -1]
    core = final[final["convention"] == CORE].set_index(["run", "seed"])["loss"]
    ticks = []
    for i, (key, f) in enumerate(final[final["convention"] != CORE].groupby(["run", "convention"], sort=False)):
        diff = f.set_index(["run", "seed"])["loss"] - core.loc[f.set_index(["run", "seed"]).index]
        jitter = np.linspace(-0.2, 0.2, len(diff))
        ax.scatter(i + jitter, diff.to_numpy(), s=12, color=CONVENTION_STYLE[key[1]][0])
        ticks.append(f"{key[0]}\n{CONVENTIONS[key[1]]:g} vs 0")
    ax.axhline(0, color="0.5", lw=0.8)
    ax.set_xticks(range(len(ticks)), ticks)
    ax.set_yscale("symlog", linthresh=1e-8)
    ax.set(ylabel="final training loss minus relu'(0) = 0's", title="same seeds, other relu'(0)")
    return fig


def plot_gradients(layers: pd.DataFrame, grad: pd.DataFrame, depth: int):
    """Per-layer median ||dl/dz^(l)|| at initialisation for one depth (band: quartiles over
    seeds), and the median slope per layer (95% interval) vs depth."""
    fig, axes = figure(1, 2, width=4.4, height=3.4)
    ax = axes[0, 0]
    for (act, init), c in layers[layers["depth"] == depth].groupby(["activation", "init"], sort=False):
        back = depth - c["layer"]
        ax.plot(back, c["log10_delta_median"], DASH[init], color=color(act), label=f"{act}, {init}")
        ax.fill_between(back, c["log10_delta_q25"], c["log10_delta_q75"], color=color(act), alpha=0.15, lw=0)
    ax.set(
        xlabel="layers back from the output (L - l)",
        ylabel="log10 RMS ||dl/dz^(l)||",
        title=f"gradients at initialisation, L = {depth}",
    )
    ax.legend(ncol=2)
    ax = axes[0, 1]
    for x, (act, init), c in spread(grad):
        ax.errorbar(
            x, c["slope_delta"], yerr=extents(c, "slope_delta"), fmt="o" + DASH[init], color=color(act), ms=3, capsize=2
        )
    ax.axhline(0, color="0.5", lw=0.8)
    depth_axis(ax, sorted(set(grad["depth"])))
    ax.set(xlabel="depth L (hidden layers)", ylabel="log10 gain per layer back (median, 95% CI)")
    ax.set_title("slope of log-norm vs layer (< 0: vanishing)")
    return fig


def spread(table: pd.DataFrame):
    """(x, (activation, init), rows) per curve, each curve's depths shifted a little on the log
    axis so that error bars at the same depth do not hide each other."""
    groups = list(table.groupby(["activation", "init"], sort=False))
    for i, (key, c) in enumerate(groups):
        yield c["depth"] * 10 ** (0.025 * (i - (len(groups) - 1) / 2)), key, c


def extents(c: pd.DataFrame, prefix: str, cap: float = 1.0) -> np.ndarray:
    """Error-bar lengths below and above from the interval columns; an infinite end (a dead
    net's slope) drawn `cap` long."""
    err = np.array([c[prefix] - c[f"{prefix}_lo"], c[f"{prefix}_hi"] - c[prefix]], dtype=float)
    return np.where(np.isfinite(err), err, cap)


def plot_trainability(train: pd.DataFrame, bar: float, epochs: int):
    """Fraction of converged members reaching the bar vs depth (exact 95% intervals)."""
    fig, axes = figure(1, 1, width=5.0, height=3.4)
    ax = axes[0, 0]
    for x, (act, init), c in spread(train):
        label = f"{act}, {init}"
        ax.errorbar(
            x,
            c["fraction"],
            yerr=extents(c, "fraction"),
            fmt="o" + DASH[init],
            color=color(act),
            ms=3,
            capsize=2,
            label=label,
        )
    depth_axis(ax, sorted(set(train["depth"])))
    ax.set(ylim=(-0.05, 1.05), xlabel="depth L (hidden layers)", ylabel=f"fraction reaching {bar:g} train accuracy")
    ax.set_title(f"trainable depth within {epochs} epochs (converged seeds)")
    ax.legend(ncol=2)
    return fig


def plot_sparsity(layers: pd.DataFrame, threshold: float, min_members: int):
    """Relu: median fraction of units exactly 0 per layer, after training (trained members, 95%
    interval) and at initialisation (dotted), one panel per initialisation; depths with at
    least `min_members` trained members."""
    relu = layers[layers["activation"] == "relu"]
    inits = list(dict.fromkeys(relu["init"]))
    relu = relu[relu["counted"] >= min_members]
    fig, axes = figure(1, len(inits), width=4.0, height=3.2, sharey=True)
    for ax, init in zip(axes[0], inits):
        for i, (L, c) in enumerate(relu[relu["init"] == init].groupby("depth")):
            col, x = OKABE_ITO[i % len(OKABE_ITO)], c["layer"] / L
            ax.plot(x, c["zero_init_median"], ":", color=col)
            label = f"L = {L} ({int(c['counted'].iloc[0])} trained)"
            ax.plot(x, c["zero_trained_median"], "o-", ms=2, color=col, label=label)
            ax.fill_between(x, c["zero_trained_lo"], c["zero_trained_hi"], color=col, alpha=0.15, lw=0)
        ax.axhline(threshold, color="0.5", lw=0.8)
        ax.set(ylim=(0, 1), xlabel="layer l / L", ylabel="fraction of units exactly 0 (median)")
        ax.set_title(f"relu, {init}: after training (dotted: at init)")
        if ax.get_legend_handles_labels()[0]:
            ax.legend()
        else:
            ax.text(0.5, 0.5, f"no depth with >= {min_members} trained members", ha="center", transform=ax.transAxes)
    return fig
