"""The family's figures, drawn from its tables: the auto-encoder's angles and excess loss over
epochs (C20), test accuracy per seed and model on Playground's data (C24 b), and what the hidden
units of a trained net compute next to Playground's engineered features (C24 c)."""

import numpy as np
import pandas as pd

from experiments.plotting import PM_COLORS, color, figure
from experiments.representations.features import DOMAIN, MODELS, grid
from mlp.data import features

LABELS = {"sin_top": ": vs top-K PCA", "sin_pair": ": vs next seed", "excess": ""}  # curves' legend entries
JITTER = 0.12  # half-width of the horizontal spread of a model's per-seed points


def model_color(name: str, activation: str) -> str:
    """raw: the linear classifier's colour; hidden: its activation's; engineered: its own."""
    return color({"raw": "linear", "hidden": activation}.get(name, name))


def plot_projection(spectra: dict, K: int, curves: pd.DataFrame, angle_tol: float, excess_tol: float):
    """(a) the spectra and the cut at K; (b) sin theta_max of the learned subspace vs the top-K PCA
    subspace (solid) and vs the next seed's (dashed), median and 95% interval over seeds;
    (c) the relative excess of the loss over the Eckart-Young optimum."""
    fig, axes = figure(1, 3, width=3.6, height=3.0)
    ax = axes[0, 0]
    for name, lam in spectra.items():
        ax.plot(np.arange(1, len(lam) + 1), lam, "o-", color=color(name), label=name)
    ax.axvline(K + 0.5, color="grey", ls=":", label=f"cut at K = {K}")
    ax.set(xlabel="index j", ylabel="eigenvalue lambda_j of the data covariance", title="spectra", yscale="log")
    ax.legend()
    panels = ((axes[0, 1], ("sin_top", "sin_pair"), angle_tol), (axes[0, 2], ("excess",), excess_tol))
    for ax, quantities, tol in panels:
        for (name, q), g in curves[curves["quantity"].isin(quantities)].groupby(["spectrum", "quantity"], sort=False):
            g = g[g["epoch"] > 0] if q == "excess" else g
            ax.plot(
                g["epoch"], g["median"], "--" if q == "sin_pair" else "-", color=color(name), label=f"{name}{LABELS[q]}"
            )
            ax.fill_between(g["epoch"], g["lo"], g["hi"], color=color(name), alpha=0.25, lw=0)
        ax.axhline(tol, color="grey", ls=":", label=f"tolerance {tol:g}")
        ax.set(yscale="log", xlabel="epoch")
        ax.legend()
    axes[0, 1].set(ylabel="sin of the largest principal angle", title="learned subspace (decoder columns)")
    axes[0, 2].set(ylabel="(L - L*) / L*", title="loss over the Eckart-Young optimum")
    return fig


def plot_accuracy(runs: pd.DataFrame, summary: pd.DataFrame, bar: float, activation: str):
    """Per dataset: each seed's test accuracy for every model (filled: converged, hollow: moving or
    chaotic; grey lines join one seed's data draw), and the converged members' median with its interval."""
    datasets = list(dict.fromkeys(runs["dataset"]))
    fig, axes = figure(1, len(datasets), width=3.0, height=3.0, sharey=True)
    for ax, dataset in zip(axes[0], datasets):
        g = runs[runs["dataset"] == dataset]
        acc = g.pivot(index="seed", columns="model", values="test_acc")[list(MODELS)]
        offset = JITTER * (2 * (acc.index.to_numpy() % 7) / 6 - 1)  # (seeds,) the same for a seed's models
        ax.plot(np.arange(len(MODELS))[:, None] + offset, acc.to_numpy().T, color="grey", lw=0.3, alpha=0.5)
        for i, name in enumerate(MODELS):
            m = g[g["model"] == name].set_index("seed").loc[acc.index]
            conv, c = m["converged"].to_numpy(bool), model_color(name, activation)
            for mask, face in ((conv, c), (~conv, "none")):
                ax.scatter(i + offset[mask], m["test_acc"][mask], s=12, facecolors=face, edgecolors=c)
            s = summary.set_index(["dataset", "model"]).loc[(dataset, name)]
            ax.errorbar(i + 0.3, s["test_acc"], [[s["test_acc"] - s["test_acc_lo"]], [s["test_acc_hi"] - s["test_acc"]]],
                        fmt="D", color="black", ms=4, capsize=3)  # fmt: skip
        ax.axhline(bar, color="grey", ls=":")
        ax.set(xticks=range(len(MODELS)), xticklabels=MODELS, title=dataset, xlim=(-0.5, len(MODELS) - 0.3))
    axes[0, 0].set(ylabel="test accuracy")
    return fig


def _cmap():
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("playground", [PM_COLORS[-1.0], "#ffffff", PM_COLORS[1.0]])


def _heat(ax, values: np.ndarray, title: str, cmap):
    n = int(round(np.sqrt(values.size)))
    image = ax.imshow(values.reshape(n, n), origin="lower", extent=(-DOMAIN, DOMAIN, -DOMAIN, DOMAIN),
                      cmap=cmap, vmin=-1, vmax=1)  # fmt: skip
    ax.set(xticks=[], yticks=[], title=title)
    ax.grid(False)
    return image


def plot_hidden_units(maps: dict[str, pd.DataFrame], engineered: list[str], width: int):
    """Row 0: Playground's engineered features over [-6, 6]^2, each scaled by its largest |value|.
    One row per dataset: the hidden units h_k(x) of a net trained on it, its output, and the output
    of the engineered unit without hidden layer trained on the same draw."""
    cols = max(width + 2, len(engineered))
    fig, axes = figure(1 + len(maps), cols, width=1.3, height=1.4)
    cmap = _cmap()
    for ax in axes.ravel():
        ax.axis("off")
    G = grid(int(round(np.sqrt(len(next(iter(maps.values())))))))
    for ax, (name, values) in zip(axes[0], zip(engineered, features(G, engineered).T)):
        ax.axis("on")
        _heat(ax, values / np.abs(values).max(), name, cmap)
    axes[0, 0].set_ylabel("engineered\nfeatures")
    for row, (dataset, m) in enumerate(maps.items(), start=1):
        panels = [(f"h{k}", m[f"unit_{k}"]) for k in range(1, width + 1)]
        panels += [("hidden net", m["hidden_output"]), ("engineered unit", m["engineered_output"])]
        for ax, (title, values) in zip(axes[row], panels):
            ax.axis("on")
            image = _heat(ax, values.to_numpy(), title, cmap)
        axes[row, 0].set_ylabel(dataset)
    fig.colorbar(image, ax=axes, shrink=0.6, label="activation (features: scaled)")
    return fig
