"""The figure of C14 and C26: weight norm, train / validation / test losses and the paired
test-loss change vs lambda, the choice on validation data marked, the collapse shaded."""

import pandas as pd

from experiments.plotting import color, figure


def lam_axis(ax, lam) -> None:
    """A symlog lambda axis, linear below the smallest nonzero lambda (so lambda = 0 shows)."""
    nonzero = lam[lam > 0]
    ax.set_xscale("symlog", linthresh=nonzero.min() if len(nonzero) else 1.0)
    ax.set_xlim(0, 1.5 * lam.max())


def median_band(ax, s: pd.DataFrame, col: str, c: str, label: str) -> None:
    """Medians over seeds with their 95% intervals as error bars, in colour c."""
    yerr = [s[col] - s[f"{col}_lo"], s[f"{col}_hi"] - s[col]]
    ax.errorbar(s["lam"], s[col], yerr=yerr, fmt="o-", ms=4, color=c, capsize=2, label=label)


def plot_l2(summary: pd.DataFrame, sel: pd.DataFrame, lam_star: float, cfg: dict):
    """Omega, the train / validation / test losses and the paired test-loss change vs lambda,
    with the choice on validation data marked and the collapse region shaded."""
    s = summary.sort_values("lam")
    lam = s["lam"].to_numpy()
    collapsed = lam[s["collapsed"].astype(bool).to_numpy()]
    fig, axes = figure(1, 3, width=3.9, height=3.4)
    for ax in axes[0]:
        lam_axis(ax, lam)
        if len(collapsed):
            ax.axvspan(collapsed.min(), 1.5 * lam.max(), color="0.85", lw=0, label="nets constant")
    ax = axes[0, 0]
    median_band(ax, s, "omega", "k", "median over seeds")  # black: no data split
    ax.set(
        yscale="log",
        xlabel="L2 strength lambda",
        ylabel="Omega = 1/2 sum ||W||^2 after training",
        title="(a) weight norm",
    )
    ax.legend(loc="lower left")
    ax = axes[0, 1]
    for col, name in (("train_loss", "train"), ("val_loss", "validation"), ("test_loss", "test")):
        median_band(ax, s, col, color(name), name)
    ax.axvline(lam_star, color="k", ls="--", lw=1, label=f"chosen on validation: {lam_star:g}")
    ax.set(xlabel="L2 strength lambda", ylabel="loss 1/2 (f - y)^2, median over seeds", title="(b) losses")
    lo, hi = (
        s[["train_loss_lo", "val_loss_lo", "test_loss_lo"]].min().min(),
        s[["val_loss_hi", "test_loss_hi"]].max().max(),
    )
    ax.set_ylim(lo - 0.05 * (hi - lo), hi + 0.45 * (hi - lo))  # room for the legend above the curves
    ax.legend(loc="upper left", fontsize=7, ncol=2)
    ax = axes[0, 2]
    yerr = [s["test_diff"] - s["test_diff_lo"], s["test_diff_hi"] - s["test_diff"]]
    ax.errorbar(lam, s["test_diff"], yerr=yerr, fmt="o-", ms=4, color=color("test"), capsize=2, label="test loss")
    ax.axhline(0, color="k", lw=0.8)
    ax.axvline(lam_star, color="k", ls="--", lw=1)
    picks = sel["lam"].value_counts()
    for x, y in zip(lam, s["test_diff_hi"]):
        ax.annotate(f"{picks.get(x, 0)}", (x, y), textcoords="offset points", xytext=(0, 4), ha="center", fontsize=7)
    ax.set(
        xlabel="L2 strength lambda",
        ylabel="test loss at lambda - at lambda = 0 (same seed)",
        title="(c) paired change; numbers: seeds choosing\nthis lambda on their own validation points",
    )
    ax.legend(loc="upper left")
    fig.suptitle(
        f"{cfg['dataset']}, noise {cfg['noise']}, {cfg['train_pct']}% train ({cfg['val_pct']}% of it for validation), "
        f"{list(cfg['hidden_sizes'])} {cfg['activation']}, {int(s['n_seeds'].iloc[0])} seeds; medians with 95% intervals",
        fontsize=9,
    )
    return fig
