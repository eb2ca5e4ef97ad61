"""The family's figures: activations with derivatives, the two output maps on two and three
classes, the classification losses, and the gradient-check matrix."""

import numpy as np
import pandas as pd

from experiments.activations.backprop import TOL_REL
from experiments.activations.functions import TOL_FD
from experiments.plotting import OKABE_ITO, color, figure

FORMULA = {
    "linear": "g(z) = z",
    "sigmoid": "g(z) = 1/(1+e^-z)",
    "tanh": "g(z) = tanh z",
    "relu": "g(z) = max(0, z)",
    "sign": "g(z) = sgn z",
}
ZERO_ONE = "0/1 loss"
TRIANGLE = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])  # vertices for classes 1, 2, 3


def plot_activations(curves: pd.DataFrame, deriv: pd.DataFrame):
    """One panel per elementwise activation: g (solid) and g' (dashed), as on the slides."""
    names = list(dict.fromkeys(curves["activation"]))
    fig, axes = figure(1, len(names), width=2.7, height=2.6)
    err = deriv.set_index("activation")["max_abs_err_registry"]
    for ax, name in zip(axes[0], names):
        c = curves[curves["activation"] == name]
        ax.plot(c["z"], c["g"], color=color(name), lw=2, label="g(z)")
        ax.plot(c["z"], c["dg"], color=color(name), lw=1.5, ls="--", label="g'(z)")
        ax.axhline(0, color="k", lw=0.6)
        ax.axvline(0, color="k", lw=0.6)
        ax.set(xlabel="pre-activation z", ylim=(-1.6, 2.6), title=f"{name}: {FORMULA.get(name, name)}")
        ax.text(
            0.03,
            0.97,
            f"max g' = {c['dg'].max():.3g}\n|g' - FD| <= {err.get(name, np.nan):.0e}",
            transform=ax.transAxes,
            va="top",
            fontsize=7,
        )
    axes[0, 0].set_ylabel("g(z), g'(z)")
    axes[0, -1].legend(loc="lower right")
    n_ok = int((deriv["max_abs_err_registry"] <= TOL_FD).sum())
    fig.suptitle(
        f"Elementwise activations (solid) and their derivatives (dashed); {n_ok} of {len(deriv)} g' match "
        f"central finite differences within {TOL_FD:g} away from z = 0"
    )
    return fig


def plot_two_class(tc: pd.DataFrame):
    """The first coordinate of every simplex map on [t, 0]; the title says where it is exactly 0 or 1."""
    fig, axes = figure(1, 1, width=4.6, height=3.2)
    ax = axes[0, 0]
    said = []
    for name, c in tc.groupby("map", sort=True):
        ax.plot(c["t"], c["p1"], lw=2, color=color(name), label=f"{name}([t, 0])_1")
        exact = c.loc[(c["p1"] == 0) | (c["p1"] == 1), "t"].abs()
        said.append(f"{name} exactly 0 or 1 for |t| >= {exact.min():g}" if len(exact) else f"{name} inside (0, 1)")
    ax.axhline(0, color="k", lw=0.6)
    ax.axhline(1, color="k", lw=0.6, ls=":")
    ax.set(
        xlabel="logit t of class 1 (class 2 has logit 0)",
        ylabel="probability of class 1",
        title=f"Two classes on t in [{tc['t'].min():g}, {tc['t'].max():g}]:\n" + "; ".join(said),
    )
    ax.legend(loc="upper left")
    return fig


def plot_simplex(pts: pd.DataFrame):
    """Image points in barycentric coordinates on the triangle, coloured by support size."""
    names = list(dict.fromkeys(pts["map"]))
    fig, axes = figure(1, len(names), width=3.6, height=3.9)
    colors = {1: "C3", 2: "C1", 3: "C0"}
    labels = {1: "corner (1 class)", 2: "edge (2 classes)", 3: "interior (all 3)"}
    for ax, name in zip(axes[0], names):
        c = pts[pts["map"] == name]
        xy = c[["p1", "p2", "p3"]].to_numpy() @ TRIANGLE
        ax.fill(*TRIANGLE.T, color="0.93", zorder=0)
        ax.plot(*np.vstack([TRIANGLE, TRIANGLE[:1]]).T, color="k", lw=0.8)
        for s in (3, 2, 1):
            m = (c["support"] == s).to_numpy()
            ax.scatter(xy[m, 0], xy[m, 1], s=6 * (4 - s), color=colors[s], label=f"{labels[s]}: {m.mean():.0%}")
        for v, lab, off in zip(
            TRIANGLE, ("class 1", "class 2", "class 3"), ((-0.02, -0.07), (0.02, -0.07), (0.0, 0.03))
        ):
            ax.annotate(lab, v, xytext=v + off, ha="center", fontsize=8)
        on_boundary = float((c["support"] < 3).mean())
        ax.set(
            aspect="equal",
            xlim=(-0.1, 1.1),
            ylim=(-0.1, 0.95),
            xticks=[],
            yticks=[],
            title=f"{name}: {on_boundary:.0%} of points on edges/corners",
        )
        ax.grid(False)
        ax.spines[:].set_visible(False)
        ax.legend(
            loc="upper center", bbox_to_anchor=(0.5, 0.0), fontsize=7, ncols=2, title="image point lies in the ..."
        )
    fig.suptitle(
        f"3-class logits z = (z1, z2, 0) on a {int(np.sqrt(len(c)))} x {int(np.sqrt(len(c)))} grid over "
        f"[{c['z1'].min():g}, {c['z1'].max():g}]^2, mapped onto the simplex"
    )
    return fig


def plot_losses(curves: pd.DataFrame):
    """Small multiples of the lecture's "Classification Losses" slide: one panel per loss, the
    loss (solid) and dL/ds (dashed) in the colour of its output map, the 0/1 loss in grey."""
    names = [c for c in dict.fromkeys(curves["curve"]) if c != ZERO_ONE]
    ncols = min(3, len(names))
    nrows = -(-len(names) // ncols)
    fig, axes = figure(nrows, ncols, width=3.6, height=2.6, sharex=True, sharey=True)
    zo = curves[curves["curve"] == ZERO_ONE]
    jump = np.where(zo["s"].to_numpy() == 0, np.nan, zo["loss"].to_numpy())  # no line across the jump
    for ax, name in zip(axes.flat, names):
        c = curves[curves["curve"] == name]
        ax.plot(zo["s"], jump, color="0.6", lw=2.5, label=ZERO_ONE)
        ax.plot(c["s"], c["loss"], color=color(c["output"].iloc[0]), lw=2, label="loss L")
        ax.plot(c["s"], c["dloss_ds"], color=color(c["output"].iloc[0]), lw=1.5, ls="--", label="dL/ds")
        ax.axhline(0, color="k", lw=0.6)
        ax.axvline(0, color="k", lw=0.6, ls=":")
        ax.set(title=name, ylim=(-1.2, 3.2))
    for ax in axes.flat[len(names) :]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("s = z2 - z1 (correct class y = 1)")
    for ax in axes[:, 0]:
        ax.set_ylabel("L(z, y = 1) and dL/ds")
    axes[0, 0].legend(loc="upper left", fontsize=7)
    fig.suptitle(
        "Classification losses and their slopes vs s = z2 - z1 with correct class 1; grey: the 0/1 loss "
        "(slope 0 except at its jump at s = 0)"
    )
    return fig


def plot_gradcheck(gc: pd.DataFrame):
    """log10 of the worst relative error over lambda per hidden activation x (output, loss) pair,
    one panel per depth; 'abs' marks cells where a relative error was undefined (zero gradient)."""
    depths = sorted(gc["depth"].unique())
    fig, axes = figure(1, len(depths), width=4.2, height=4.2)
    pairs = list(dict.fromkeys(f"{o} / {lo}" for o, lo in zip(gc["output"], gc["loss"])))
    hiddens = sorted(gc["hidden"].unique())
    for ax, d in zip(axes[0], depths):
        g = gc[gc["depth"] == d].assign(pair=lambda x: x["output"] + " / " + x["loss"])
        m = g.pivot_table(index="hidden", columns="pair", values="rel_err", aggfunc="max")
        m = m.reindex(index=hiddens, columns=pairs)
        undefined = g[g["rel_err"].isna()]
        im = ax.imshow(np.log10(m.to_numpy()), vmin=-12, vmax=-4, cmap="viridis", aspect="auto")
        for _, u in undefined.drop_duplicates(["hidden", "pair"]).iterrows():
            ax.text(
                pairs.index(u["pair"]),
                hiddens.index(u["hidden"]),
                "abs",
                ha="center",
                va="center",
                fontsize=6,
                color="w",
            )
        ax.set_xticks(range(len(pairs)), pairs, rotation=60, ha="right", fontsize=7)
        ax.set_yticks(range(len(hiddens)), hiddens, fontsize=8)
        ax.grid(False)
        ax.set(
            title=f"{d} hidden layer{'s' if d > 1 else ''}: worst {g['rel_err'].max():.0e}",
            xlabel="output map / loss",
            ylabel="hidden activation",
        )
    fig.colorbar(im, ax=axes[0, -1], label=f"log10 relative error (pass: <= {np.log10(TOL_REL):g})")
    n_pass = int(gc["passes"].sum())
    fig.suptitle(
        f"Backprop vs central finite differences: {n_pass} of {len(gc)} checks pass (float64, lambda in "
        f"{{{', '.join(f'{x:g}' for x in sorted(gc['l2'].unique()))}}}; 'abs': zero gradient, absolute error used)"
    )
    return fig


def plot_sparsity(init: pd.DataFrame, trained: pd.DataFrame, summ: pd.DataFrame, threshold: float):
    """Fraction of relu units exactly 0 per net and hidden layer, at initialisation per (init,
    bias, width) and after training per dataset (the members that count); median and 95% CI."""
    panels = [
        (init, "init", "At initialisation (grey: b = 0, blue: b != 0)"),
        (trained, "trained", "After training (converged nets)"),
    ]
    sizes = [max(2, df["group"].nunique()) for df, _, _ in panels]
    fig, axes = figure(1, 2, width=0.3 * sum(sizes) + 2, height=3.6, gridspec_kw={"width_ratios": sizes})
    for ax, (df, phase, title) in zip(axes[0], panels):
        s = summ[summ["phase"] == phase]
        groups = list(dict.fromkeys(s["group"]))
        for r in s.itertuples():
            x = groups.index(r.group) + 0.25 * (r.layer - (s["layer"].max() + 1) / 2)
            v = df.loc[(df["group"] == r.group) & (df["layer"] == r.layer), "fraction_zero"].to_numpy()
            dots = color(r.group) if phase == "trained" else "0.55" if r.bias == 0 else OKABE_ITO[0]  # init: by bias
            ax.scatter(x + np.linspace(-0.08, 0.08, len(v)), v, s=9, color=dots, alpha=0.7, lw=0)
            err = [[r.median_zero - r.zero_lo], [r.zero_hi - r.median_zero]]
            ax.errorbar(x, r.median_zero, yerr=err, fmt="o", color="k", ms=3.5, capsize=2.5, lw=1)
        ax.set_xticks(range(len(groups)), [g.replace(", ", "\n") for g in groups], fontsize=7)
        ax.axhline(threshold, color="k", ls="--", lw=1, label=f"sparse: >= {threshold:g}")
        ax.axhline(0.5, color="0.5", ls=":", lw=1, label="1/2")
        ax.set(ylim=(0, 1), title=title)
    axes[0, 0].set_ylabel("fraction of units exactly 0")
    axes[0, 1].legend(loc="upper right", fontsize=7)
    fig.suptitle(
        "Relu units exactly 0 on an input: a dot per net, layers 1, 2, ... left to right; black: median, 95% CI"
    )
    return fig


def plot_layer_gradients(lt: pd.DataFrame):
    """Relative error of grad_h^(l) and grad_z^(l) against FD per hidden layer, every check."""
    quantities = sorted(lt["quantity"].unique())
    fig, axes = figure(1, len(quantities), width=3.8, height=3.2, sharey=True)
    floor = 1e-17
    for ax, q in zip(axes[0], quantities):
        g = lt[lt["quantity"] == q]
        for i, (hidden, gh) in enumerate(g.groupby("hidden")):
            x = gh["layer"] + 0.08 * (i - g["hidden"].nunique() / 2)
            ax.scatter(x, gh["rel_err"].fillna(floor).clip(lower=floor), s=10, color=color(hidden), label=hidden)
        ax.axhline(TOL_REL, color="k", ls="--", lw=1, label=f"tolerance {TOL_REL:g}")
        ax.set(yscale="log", xlabel="hidden layer l", title=f"{q}^(l): {int(g['passes'].sum())} of {len(g)} pass")
        ax.set_xticks(sorted(g["layer"].unique()))
    axes[0, 0].set_ylabel("relative error vs central FD")
    axes[0, -1].legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=7)
    fig.suptitle("Backprop's intermediate gradients vs FD wrt each layer (zero gradients drawn at 1e-17)")
    return fig
