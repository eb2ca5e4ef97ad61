"""The family's figures: activations with derivatives, the two output maps on two and three
classes, the classification losses, and the gradient-check matrix."""

import numpy as np
import pandas as pd

from experiments.activations.backprop import TOL_REL
from experiments.plotting import figure

FORMULA = {
    "linear": "g(z) = z",
    "sigmoid": "g(z) = 1/(1+e^-z)",
    "tanh": "g(z) = tanh z",
    "relu": "g(z) = max(0, z)",
    "sign": "g(z) = sgn z",
}
TRIANGLE = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])  # vertices for classes 1, 2, 3


def plot_activations(curves: pd.DataFrame, deriv: pd.DataFrame):
    """One panel per elementwise activation: g (solid) and g' (dashed), as on the slides."""
    names = list(dict.fromkeys(curves["activation"]))
    fig, axes = figure(1, len(names), width=2.7, height=2.6)
    err = deriv.set_index("activation")["max_abs_err_registry"]
    for ax, name in zip(axes[0], names):
        c = curves[curves["activation"] == name]
        ax.plot(c["z"], c["g"], color="C0", lw=2, label="g(z)")
        ax.plot(c["z"], c["dg"], color="C3", lw=1.5, ls="--", label="g'(z)")
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
    fig.suptitle(
        "Elementwise activations (solid) and their derivatives (dashed); "
        "each g' matches central finite differences away from z = 0"
    )
    return fig


def plot_two_class(tc: pd.DataFrame):
    fig, axes = figure(1, 1, width=4.6, height=3.2)
    ax = axes[0, 0]
    for i, (name, c) in enumerate(tc.groupby("map", sort=True)):
        ax.plot(c["t"], c["p1"], lw=2, color=f"C{i}", label=f"{name}([t, 0])_1")
    ax.axhline(0, color="k", lw=0.6)
    ax.axhline(1, color="k", lw=0.6, ls=":")
    ax.set(
        xlabel="logit t of class 1 (class 2 has logit 0)",
        ylabel="probability of class 1",
        title="Two classes: sparsemax hits exactly 0 and 1 (|t| >= 1);\nsoftmax stays strictly inside (0, 1)",
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
    """The lecture's "Classification Losses" slide, with the derivative in a second panel."""
    fig, axes = figure(1, 2, width=4.4, height=3.4)
    for i, (name, c) in enumerate(curves.groupby("curve", sort=False)):
        style = {"color": "k", "lw": 2} if name == "0/1 loss" else {"color": f"C{i}", "lw": 1.8}
        if name.startswith("squared"):
            style["ls"] = ":"
        if name.startswith("binary"):
            style.update(ls="--", lw=1.5, zorder=3)
            name += ",\nequal to cross_entropy on 2 classes"
        for ax, col in zip(axes[0], ("loss", "dloss_ds")):
            y = c[col].to_numpy().copy()
            if name == "0/1 loss":
                y[np.argmin(np.abs(c["s"].to_numpy()))] = np.nan  # the jump at s = 0: no derivative there
            ax.plot(c["s"], y, label=name, **style)
    axes[0, 1].plot([0], [0], "kx", ms=8, label="0/1 loss: jump at s = 0 (no derivative)")
    axes[0, 0].set(
        xlabel="s = z2 - z1 (correct class y = 1)",
        ylabel="loss L(z, y = 1)",
        ylim=(-0.1, 3.2),
        title="Classification losses: small for s << 0",
    )
    axes[0, 1].set(
        xlabel="s = z2 - z1 (correct class y = 1)", ylabel="dL/ds", title="0/1 loss: derivative 0 wherever it exists"
    )
    fig.legend(*axes[0, 1].get_legend_handles_labels(), loc="outside lower center", ncols=3, fontsize=8)
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
