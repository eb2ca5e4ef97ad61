"""Figures of the Playground family (C13): test-loss curves over seeds, where the lecture's
numbers fall among the seeds, and held-out accuracy against parameter count by depth.

One encoding in every panel: colour = hidden activation (experiments.plotting.color), line style
or marker = depth (number of hidden layers); lines are labelled at their ends."""

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FormatStrFormatter, NullFormatter

from experiments.playground.plan import map_epoch
from experiments.playground.reference import LECTURE
from experiments.playground.summary import arch, slide_name
from experiments.playground.verdicts import SPIRAL_LEARNED
from experiments.plotting import color, figure

DEPTH_STYLE = {1: ":", 2: "-", 3: "-.", 4: "--", 5: (0, (5, 1)), 6: (0, (1, 1))}
DEPTH_MARKER = {1: "o", 2: "s", 3: "D", 4: "^", 5: "v", 6: "P"}
LOSS_LABEL = "test loss 1/2 (f - y)^2 (log scale)"


def end_labels(ax, items: list[tuple[float, str, str]], gap: float = 0.075) -> None:
    """Labels right of the panel at the height where each line ends, (y, text, colour), nudged
    apart; call after the y axis (log scale) has its limits."""
    lo, hi = np.log10(ax.get_ylim())
    placed = []
    for y, text, c in sorted(items):
        f = (np.log10(y) - lo) / (hi - lo)
        f = max(f, placed[-1] + gap) if placed else f
        placed.append(f)
        ax.text(1.02, f, text, transform=ax.transAxes, fontsize=7, color=c, va="center", ha="left")


def curve_panel(ax, curves: dict, specs: dict, names: list[str], banded: set[str], title: str) -> None:
    """Median test loss over seeds per run (10th-90th percentile band for the `banded` runs)."""
    labels = []
    for name in names:
        c, spec = curves[name], specs[name]
        col, ls = color(spec["activation"]), DEPTH_STYLE[len(spec["hidden"])]
        if name in banded:
            ax.fill_between(c["epoch"], c["test_loss_p10"], c["test_loss_p90"], color=col, alpha=0.15, lw=0)
        ax.plot(c["epoch"], c["test_loss_median"], color=col, ls=ls, lw=1.6 if name in banded else 0.9)
        text = arch(spec) if spec["dataset"] == "spiral" else f"{spec['dataset']} {arch(spec)}"
        labels.append((c["test_loss_median"].iloc[-1], f"{text} ({spec['seeds']})", col))
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FormatStrFormatter("%g"))
    lo, hi = ax.get_ylim()
    ax.yaxis.set_minor_formatter(FormatStrFormatter("%g") if hi / lo < 10 else NullFormatter())  # label minor ticks
    ax.tick_params(axis="y", which="minor", labelsize=7)  # only when no decade tick shows
    ax.set(title=title, xlabel="epoch (Playground iteration)")
    end_labels(ax, labels)


def add_legend(fig, depths) -> None:
    """One legend below the panels for the encoding every panel shares."""
    handles = [Line2D([], [], color=color(a), lw=2, label=f"{a} hidden units") for a in ("tanh", "relu")]
    handles += [
        Line2D([], [], color="grey", ls=DEPTH_STYLE[d], label=f"{d} hidden layer{'s' * (d > 1)}")
        for d in sorted(depths)
    ]
    handles += [
        Patch(color="grey", alpha=0.15, label="10th-90th percentile over seeds"),
        Line2D([], [], color="k", marker="*", ms=9, ls="none", label="lecture's screenshot"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=8)


def params_text(group: pd.DataFrame) -> str:
    lo, hi = group["params"].min(), group["params"].max()
    return f"{lo} parameters" if lo == hi else f"{lo}-{hi} parameters"


def plot_loss_curves(curves: dict, specs: dict, cands: pd.DataFrame, cfg: dict):
    """A grid: the lecture's [4,2] nets (with Playground's one-layer widths), the simple targets,
    and one panel per parameter budget (bands for the candidates chosen on validation data)."""
    slides = [n for n in (slide_name(specs, a) for a in LECTURE) if n]
    budget_names = set(cands["config"])
    narrow = [n for n, s in specs.items() if s["dataset"] == "spiral" and n not in budget_names | set(slides)]
    panels = [(slides + narrow, set(slides), "the lecture's spiral [4,2] (and one layer of Playground's widths)")]
    simple = [n for n, s in specs.items() if s["dataset"] != "spiral"]
    panels += [(simple, set(simple), "simple targets")] if simple else []
    for _, group in cands.groupby("budget", sort=True):
        title = f"spiral, {group['activation'].iloc[0]}, {params_text(group)}"
        panels.append((list(group["config"]), set(group.loc[group["chosen"], "config"]), title))
    ncols = min(4, len(panels))
    fig, axes = figure(-(-len(panels) // ncols), ncols, width=4.3, height=3.0)
    for ax, (names, banded, title) in zip(axes.flat, panels):
        curve_panel(ax, curves, specs, names, banded, title)
    for act, lec in LECTURE.items():
        if slide_name(specs, act) and lec["epoch"] == map_epoch(cfg, {"activation": act}):
            axes[0, 0].plot(lec["epoch"], lec["test"], "k*", ms=9, zorder=4)
    for ax in axes.flat[len(panels) :]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(LOSS_LABEL)
    add_legend(fig, {len(s["hidden"]) for s in specs.values()})
    fig.suptitle(
        f"Median test loss over seeds (number of seeds in brackets), {cfg['epochs']} epochs; "
        "bands: the lecture's nets, the simple targets and each budget's candidates chosen on validation data",
        fontsize=10,
    )
    return fig


def plot_lecture_percentiles(seeds: dict, refs: pd.DataFrame, specs: dict, cfg: dict):
    """Empirical CDFs over seeds of the spiral [4, 2] train (dashed) and test (solid) losses at the
    slides' iteration counts; the lecture's numbers (stars) and Playground's own seeds (circles)."""
    acts = [a for a in LECTURE if slide_name(specs, a)]
    fig, axes = figure(1, max(len(acts), 1), width=4.6, height=3.6, sharey=True)
    for ax, act in zip(axes[0], acts):
        name, e, col = slide_name(specs, act), map_epoch(cfg, {"activation": act}), color(act)
        at = seeds[name][seeds[name]["epoch"] == e]
        for split, ls in (("train", "--"), ("test", "-")):
            v = np.sort(at[f"{split}_loss"].dropna().to_numpy())
            ax.step(
                v,
                np.arange(1, len(v) + 1) / len(v) * 100,
                where="post",
                ls=ls,
                color=col,
                label=f"our {len(v)} seeds, {split} loss",
            )
        r = refs[(refs["config"] == name) & (refs["epoch"] == e)]
        for row in r.itertuples():
            lec = row.source == "lecture"
            ax.errorbar(
                row.value,
                row.percentile,
                yerr=[[row.percentile - row.percentile_lo], [row.percentile_hi - row.percentile]],
                marker="*" if lec else "o",
                ms=11 if lec else 6,
                color="k",
                mfc="k" if lec else "none",
                ls="none",
                zorder=4,
                capsize=2,
            )
        ax.plot([], [], "k*", ms=9, label="lecture's screenshot (95% interval)")
        ax.plot([], [], "o", mfc="none", color="k", label="Playground's seeds 0.26288, 0.87646")
        shot = r[(r["source"] == "lecture") & (r["split"] == "test")]
        title = f"spiral [4,2] {act} at epoch {e}"
        for s in shot.itertuples():
            title += f":\nlecture test {s.value:.3f} at percentile {s.percentile:.1f} [{s.percentile_lo:.1f}, {s.percentile_hi:.1f}]"
        ax.set(title=title, xlabel="loss 1/2 (f - y)^2", ylim=(0, 100))
        ax.legend(loc="lower right", fontsize=7)
    axes[0, 0].set_ylabel("% of seeds with loss <= x")
    return fig


def plot_budgets(cands: pd.DataFrame, cfg: dict):
    """Median held-out accuracy (converged seeds, 95% interval) of every budget candidate, grouped
    by budget, marker by depth; filled markers are the candidates chosen on validation data."""
    acts = list(dict.fromkeys(cands["activation"]))
    widths = [cands[cands["activation"] == a]["budget"].nunique() for a in acts]
    fig, axes = figure(1, len(acts), width=4.8, height=3.9, sharey=True, gridspec_kw={"width_ratios": widths})
    for ax, act in zip(axes[0], acts):
        col, x, ticks = color(act), 0, []
        for _, group in cands[cands["activation"] == act].groupby("budget", sort=True):
            group = group.sort_values(["depth", "params"])
            ax.axvspan(x - 0.5, x + len(group) - 0.5, color="grey", alpha=0.06 * (len(ticks) % 2 == 0), lw=0)
            ax.text(
                x + (len(group) - 1) / 2,
                1.01,
                params_text(group),
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="bottom",
                fontsize=7,
            )
            for r in group.itertuples():
                ax.errorbar(
                    x,
                    r.heldout_acc_median,
                    yerr=[[r.heldout_acc_median - r.heldout_acc_lo], [r.heldout_acc_hi - r.heldout_acc_median]],
                    marker=DEPTH_MARKER[r.depth],
                    color=col,
                    mfc=col if r.chosen else "white",
                    ls="none",
                    capsize=2,
                    ms=7,
                )
                ticks.append((x, f"[{r.hidden.replace('-', ',')}]\n{r.n_converged}/{r.n_seeds}"))
                x += 1
        ax.axhline(SPIRAL_LEARNED, color="grey", lw=0.8, ls="--")
        ax.set_xticks([t for t, _ in ticks], [label for _, label in ticks], fontsize=7)
        ax.set_xlim(-0.5, x - 0.5)
        ax.set_title(f"spiral, {act} hidden units", pad=14)
        ax.set_xlabel("candidate (converged / trained seeds)")
    handles = [
        Line2D([], [], color="grey", marker=DEPTH_MARKER[d], ls="none", label=f"{d} hidden layer{'s' * (d > 1)}")
        for d in sorted(set(cands["depth"]))
    ]
    handles.append(Line2D([], [], color="grey", marker="o", mfc="white", ls="none", label="not chosen (validation)"))
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=8)
    axes[0, 0].set_ylabel("median held-out test accuracy (95% interval)")
    fig.suptitle(
        f"Width vs depth at equal size, epoch {cfg['epochs']}, converged seeds; dashed: the "
        f"{SPIRAL_LEARNED} bar for 'learned'",
        fontsize=10,
    )
    return fig
