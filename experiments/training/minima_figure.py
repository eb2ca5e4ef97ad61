"""The figure of C18 for one task: final losses by outcome, the growth of the weights at the
end of the budget, and the loss at midpoints of permuted solutions."""

import numpy as np
import pandas as pd

from experiments.plotting import OKABE_ITO, figure
from experiments.training.minima import COUNTED, NORM_TOL, OUTCOMES

# outcomes meet only in this family's figures: distinct palette entries (grey: still moving)
OUTCOME_COLORS = dict(zip(OUTCOMES, [*(OKABE_ITO[i] for i in (0, 2, 1, 3)), "0.6", OKABE_ITO[7]]))


def plot_minima(final: pd.DataFrame, table: pd.DataFrame, mids: pd.DataFrame, cfg: dict):
    """(a) histogram of the final training loss by outcome, counted clusters shaded; (b) final
    loss vs the growth of ||theta|| over the last 10% of the budget; (c) the loss at the
    midpoint of each counted solution and its hidden-unit permutation vs the solution's loss."""
    fig, axes = figure(1, 3, width=3.9, height=3.4)
    L = final["train_loss"].to_numpy()
    lo, hi = np.log10(np.nanmin(L)), np.log10(np.nanmax(L))
    pad = max(0.05 * (hi - lo), 0.02)
    kinds = [k for k in OUTCOMES if (final["outcome"] == k).any()]
    ax = axes[0, 0]
    ax.hist(
        [final.loc[final["outcome"] == k, "train_loss"] for k in kinds],
        bins=np.logspace(lo - pad, hi + pad, 60),
        stacked=True,
        color=[OUTCOME_COLORS[k] for k in kinds],
        label=kinds,
    )
    for c in table[table["counted"]].itertuples():
        ax.axvspan(c.loss_min / 1.02, c.loss_max * 1.02, color="0.9", lw=0, zorder=0)
    ax.set(xscale="log", xlabel="final training loss", ylabel="number of seeds", title="(a) final loss by outcome")
    ax.legend(fontsize=7)
    ax = axes[0, 1]
    for k in kinds:
        d = final[final["outcome"] == k]
        ax.scatter(d["train_loss"], d["norm_change"], s=8, color=OUTCOME_COLORS[k], label=k)
    ax.axhline(NORM_TOL, color="k", lw=0.8, ls="--", label=f"growth {NORM_TOL:g}")
    ax.set_yscale("symlog", linthresh=NORM_TOL / 10)
    if final["norm_change"].min() > 0:  # nothing shrank: no empty region below 0
        ax.set_ylim(bottom=min(NORM_TOL, final["norm_change"].min()) / 2)
    ax.set(
        xscale="log",
        xlabel="final training loss",
        ylabel="relative growth of ||theta|| over the last 10%",
        title="(b) growth of the weights at the end",
    )
    ax.legend(fontsize=7, loc="lower right")
    ax = axes[0, 2]
    ax.set(
        xlabel="L(theta) = L(theta'), theta' = theta with units 0, 1 swapped",
        ylabel="L((theta + theta') / 2)",
        title="(c) midpoints of permuted solutions",
    )
    if len(mids):
        ax.scatter(mids["loss"], mids["loss_midpoint"], s=8, color=OKABE_ITO[0], label=f"{len(mids)} counted runs")
        ends = [mids[["loss", "loss_midpoint"]].min().min(), mids[["loss", "loss_midpoint"]].max().max()]
        ax.plot(ends, ends, "k--", lw=0.8, label="L(mid) = L(theta)")
        ax.set(xscale="log", yscale="log")
        ax.legend(fontsize=7)
    else:
        ax.text(0.5, 0.5, "no run counts", transform=ax.transAxes, ha="center")
    what = "XOR" if cfg["task"] == "xor" else f"{cfg['dataset']} (noise {cfg['noise']}, {cfg['train_pct']}% train)"
    n = int(final["outcome"].isin(COUNTED).sum())
    fig.suptitle(
        f"{what}, {list(cfg['hidden_sizes'])} {cfg['activation']}, lr {cfg['lr']}, {cfg['epochs']} epochs: "
        f"{n} of {len(final)} runs settled or in the zero-loss valley",
        fontsize=9,
    )
    return fig
