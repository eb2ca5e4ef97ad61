"""Figures of one data set: reliability against the true probabilities, and maps of the outputs
over the input plane with the probability simplex coloured (class c in the c-th colour of the
suite's palette; a point's colour mixes them with weights P(c | x))."""

import numpy as np
from matplotlib.colors import ListedColormap, to_rgb
from matplotlib.patches import Rectangle

from experiments.outputs.metrics import class_view
from experiments.outputs.mixtures import Mixture, bayes_sets, truth
from experiments.outputs.trained import Model, Points, converged
from experiments.plotting import OKABE_ITO, color, figure
from mlp.losses import LOSSES
from mlp.network import forward
from mlp.params import pick

GRID = 161  # points per axis of the maps
MARGIN = 2.5  # the maps cover the ring of blobs +- MARGIN sigma
OFFSET = (0.31, 0.17)  # grid shifts (in steps) off the blobs' symmetry lines, where classes tie exactly


def model_color(loss: str) -> str:
    """A loss is drawn in the colour of the output map it is fused with (cross-entropy: softmax or
    sigmoid, sparsemax: sparsemax); the squared loss, fused with none, in linear's."""
    return color(LOSSES[loss].output or "linear")


def model_label(m: Model) -> str:
    return f"{m.output} + {m.loss.replace('_', ' ')} loss"


def class_rgb(C: int) -> np.ndarray:
    """(C, 3): the colour of each class (blue, orange, green, pink, ...)."""
    return np.array([to_rgb(c) for c in OKABE_ITO[:C]])


def pooled_bins(bins: dict, rows: np.ndarray) -> dict:
    """Bin means over the members `rows`, weighted by their counts."""
    count = bins["count"][rows]
    total = count.sum(0)
    with np.errstate(invalid="ignore"):
        return {k: np.nansum(count * bins[k][rows], axis=0) / total for k in ("confidence", "true", "frequency")}


def plot_reliability(name: str, mix: Mixture, splits: dict[str, Points], models: list[Model], cfg: dict):
    """Per model: the density of (P_hat(c|x), P(c|x)) over every test point and class of the
    converged members, and the top-label bin means against the true P and against the labels."""
    T = truth(mix, splits["test"].X)
    fig, axes = figure(1, len(models), width=3.3, height=3.3)
    for ax, m in zip(axes[0], models):
        rows = converged(m.table, cfg["converged_tol"]).to_numpy()
        ax.plot([0, 1], [0, 1], color="0.5", lw=0.8, ls="--")
        if rows.any():
            ax.hist2d(
                m.P[rows].ravel(), T[rows].ravel(), bins=40, range=[[0, 1], [0, 1]], cmap="Greys", cmin=1,
                norm="log", rasterized=True,
            )  # fmt: skip
            b = pooled_bins(m.bins, rows)
            c = model_color(m.loss)
            ax.plot(b["confidence"], b["true"], "o-", color=c, ms=4, lw=1.5, label="top class: true P")
            ax.plot(b["confidence"], b["frequency"], "s", mfc="none", color=c, ms=5, label="top class: frequency")
        ax.set(xlim=(0, 1), ylim=(0, 1), aspect="equal", xlabel="estimated P_hat(c | x)")
        ax.set_title(f"{model_label(m)}\n{rows.sum()}/{len(rows)} converged members")
    axes[0, 0].set_ylabel("true E[q_c | x]" if mix.multilabel else "true P(c | x)")
    for ax in (ax for ax in axes[0] if ax.get_legend_handles_labels()[0]):  # the first panel with curves
        ax.legend(loc="upper left")
        break
    fig.suptitle(f"{name}: estimated vs true class probabilities on test points (grey: all points and classes)")
    return fig


def grid(mix: Mixture) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
    """The axis values (x1 (GRID,), x2 (GRID,)) and the points (GRID^2, 2) of the maps. The axes
    are shifted by different fractions of a step, so no point lies on an axis or a diagonal,
    where symmetric blobs tie exactly and float noise (another CPU's exp) would pick the argmax."""
    half = np.abs(mix.means).max() + MARGIN * mix.sigma
    t = np.linspace(-half, half, GRID)
    tx, ty = (t + shift * (t[1] - t[0]) for shift in OFFSET)
    return (tx, ty), np.stack(np.meshgrid(tx, ty), axis=-1).reshape(-1, 2)


def extent(t) -> tuple[float, float, float, float]:
    return (t[0][0], t[0][-1], t[1][0], t[1][-1])


def shown_member(m: Model, cfg: dict) -> int:
    """The member drawn on the maps: the first converged one (else member 0)."""
    rows = np.flatnonzero(converged(m.table, cfg["converged_tol"]).to_numpy())
    return int(rows[0]) if rows.size else 0


def map_panel(ax, t, P, rgb, title):
    """Colour each grid point by P (GRID^2, C) mixed over the class colours; outline the argmax."""
    img = np.clip(P @ rgb, 0, 1).reshape(GRID, GRID, 3)
    ax.imshow(img, origin="lower", extent=extent(t), interpolation="nearest")
    ax.contour(*t, P.argmax(-1).reshape(GRID, GRID), levels=np.arange(P.shape[-1]) + 0.5, colors="w", linewidths=0.8)
    ax.set(title=title, xlabel="x1", aspect="equal", xlim=extent(t)[:2], ylim=extent(t)[2:])


def simplex_legend(ax, rgb, lines: str):
    """A key to the colours: the simplex of C = 3 classes as a triangle, C = 2 as a segment, else
    one swatch per class; `lines` says what the maps' lines are."""
    C = len(rgb)
    ax.set_axis_off()
    if C == 3:
        n = 200
        a, b = np.meshgrid(np.linspace(0, 1, n), np.linspace(0, 1, n))
        p = np.stack([1 - a - b / 2, a - b / 2, b], axis=-1)  # barycentric coordinates of (a, b) in the triangle
        inside = (p >= 0).all(-1)
        img = np.where(inside[..., None], np.clip(np.where(inside[..., None], p, 0) @ rgb, 0, 1), 1.0)
        ax.imshow(img, origin="lower", extent=(0, 1, 0, 1))
        ax.set(xlim=(-0.15, 1.15), ylim=(-0.15, 1.2))
        for (x, y), c in zip([(0, 0), (1, 0), (0.5, 1)], range(3)):
            ax.annotate(f"class {c}", (x, y), ha="center", va="top" if y == 0 else "bottom", fontsize=8)
    elif C == 2:
        p1 = np.linspace(0, 1, 200)
        ax.imshow((np.stack([1 - p1, p1], -1) @ rgb)[None], extent=(0, 1, 0.4, 0.6), aspect="auto")
        ax.set(xlim=(-0.1, 1.1), ylim=(0, 1))
        ax.annotate("P(class 1 | x) = 0", (0, 0.35), ha="center", va="top", fontsize=8)
        ax.annotate("1", (1, 0.35), ha="center", va="top", fontsize=8)
    else:
        for c in range(C):
            ax.add_patch(Rectangle((0.1, 0.85 - 0.15 * c), 0.15, 0.1, color=rgb[c]))
            ax.annotate(f"label {c}", (0.3, 0.9 - 0.15 * c), va="center", fontsize=8)
    ax.set_title("colour key: P on the simplex", pad=14)
    ax.text(0.5, -0.12, lines, transform=ax.transAxes, ha="center", va="top", fontsize=8)


def support_panels(fig, axes, t, mix: Mixture, Xg: np.ndarray, shown: list) -> None:
    """The size of the predicted label set over the grid: the most probable set, then for each
    shown (model, P, threshold) sparsemax's exact support or {c: P_c > t}."""
    C = mix.sets.shape[1]
    sizes = [("Bayes set (argmax_S P(S | x))", bayes_sets(mix, Xg).sum(-1))]
    for m, P, t_m in shown:
        rule = "P_c > 0 (exact zeros)" if m.output == "sparsemax" else f"P_c > {t_m:g} (t on validation)"
        sizes.append((f"{m.output}: {{c : {rule}}}", np.sum(P > t_m, axis=-1)))
    cmap = ListedColormap([str(g) for g in np.linspace(1.0, 0.15, C + 1)])  # 0 labels: white, C: dark
    for ax, (title, size) in zip(axes, sizes):
        im = ax.imshow(
            size.reshape(GRID, GRID), origin="lower", extent=extent(t), cmap=cmap, vmin=-0.5, vmax=C + 0.5,
            interpolation="nearest",
        )  # fmt: skip
        ax.set(title=title, xlabel="x1", aspect="equal")
    fig.colorbar(im, ax=axes[len(sizes) - 1], label="labels in the predicted set", ticks=range(C + 1))
    for ax in axes[len(sizes) :]:
        ax.set_axis_off()


def plot_maps(name: str, mix: Mixture, splits: dict[str, Points], models: list[Model], cfg: dict):
    """Row 1: the true P(c | x) (Bayes boundary in black, test points of one seed) and each model's
    P_hat(c | x) (one converged member; its argmax boundary in white, sparsemax's support
    boundaries dotted). Multi-label data add row 2: the size of the predicted label set."""
    t, Xg = grid(mix)
    C = mix.sets.shape[1]
    rgb = class_rgb(C)
    T = truth(mix, Xg)
    shown = {m.loss: shown_member(m, cfg) for m in models}
    P = {
        m.loss: class_view(m.output, forward(m.net, pick(m.params, [shown[m.loss]]), Xg)[1][-1][0])[1][0]
        for m in models
    }
    rows = 2 if mix.multilabel else 1
    fig, axes = figure(rows, len(models) + 2, width=3.0, height=3.0)
    map_panel(axes[0, 0], t, T, rgb, "true P(c | x)" if not mix.multilabel else "true E[q_c | x]")
    X, blobs = splits["test"].X[0, :300], splits["test"].blobs[0, :300]
    axes[0, 0].scatter(
        *X.T, s=4, c=mix.sets[blobs] @ rgb / mix.sets[blobs].sum(-1, keepdims=True), edgecolors="k", linewidths=0.2
    )
    for ax, m in zip(axes[0, 1:], models):
        map_panel(ax, t, P[m.loss], rgb, f"{model_label(m)}\n(seed {m.table.seed.iloc[shown[m.loss]]})")
        if m.output == "sparsemax":
            size = np.sum(P[m.loss] > 0, axis=-1).reshape(GRID, GRID)
            ax.contour(*t, size, levels=np.arange(1, C) + 0.5, colors="k", linewidths=0.8, linestyles=":")
    bayes = bayes_sets(mix, Xg).argmax(-1) if not mix.multilabel else None
    for ax in axes[0, :-1]:
        if bayes is not None:
            ax.contour(*t, bayes.reshape(GRID, GRID), levels=np.arange(C) + 0.5, colors="k", linewidths=0.6)
    lines = "white: the argmax" if mix.multilabel else "black: the Bayes boundary,\nwhite: the model's argmax"
    simplex_legend(axes[0, -1], rgb, lines + ",\ndotted: sparsemax's support changes")
    if mix.multilabel:
        support_panels(
            fig, axes[1], t, mix, Xg, [(m, P[m.loss], m.table["threshold"].iloc[shown[m.loss]]) for m in models]
        )
    for ax in axes[:, 0]:
        ax.set_ylabel("x2")
    fig.suptitle(f"{name}: class probabilities over the input plane (colour: P on the simplex)")
    return fig
