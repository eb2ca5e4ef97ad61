"""Maps of the Playground family (C13), drawn as Playground draws them: the network output over
[-6, 6]^2 with the training and test points, and what each hidden unit computes."""

import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap

from experiments.playground.port import make_net, split_of
from experiments.playground.runs import params_from_table
from experiments.playground.summary import arch
from experiments.plotting import PM_COLORS, figure
from mlp.data import features
from mlp.network import forward

# Playground's heat map: orange (-1) through white (0) to blue (+1)
PG_CMAP = LinearSegmentedColormap.from_list("playground", [PM_COLORS[-1.0], "#ffffff", PM_COLORS[1.0]])
DOMAIN = 6.0  # the heat map covers [-6, 6]^2


def label(spec: dict) -> str:
    return f"{spec['dataset']} {arch(spec)}"


def _grid(n: int = 121):
    g = np.linspace(-DOMAIN, DOMAIN, n)
    x1, x2 = np.meshgrid(g, g)
    return x1, x2, np.column_stack([x1.ravel(), x2.ravel()])


def _features(cfg, P):
    return features(P, tuple(cfg["features"]))


def _map_panel(ax, cfg, spec, theta, seed, title):
    x1, x2, P = _grid()
    f = forward(make_net(spec, len(cfg["features"])), theta, _features(cfg, P))[0][0, :, 0]
    im = ax.imshow(
        f.reshape(x1.shape),
        extent=(-DOMAIN, DOMAIN, -DOMAIN, DOMAIN),
        origin="lower",
        cmap=PG_CMAP,
        vmin=-1,
        vmax=1,
        interpolation="bilinear",
    )
    split = split_of({**cfg, "features": ["x1", "x2"]}, spec["dataset"], seed)
    for X, Y, edge in ((split.X_train, split.Y_train, "white"), (split.X_test, split.Y_test, "black")):
        ax.scatter(X[:, 0], X[:, 1], s=9, c=[PM_COLORS[float(y)] for y in Y[:, 0]], edgecolors=edge, linewidths=0.5)
    ax.set(xlim=(-DOMAIN, DOMAIN), ylim=(-DOMAIN, DOMAIN), aspect="equal", xlabel="x1", ylabel="x2")
    ax.set_title(title, fontsize=8)
    ax.grid(False)
    return im


def _losses(seeds_df, seed, epoch):
    r = seeds_df[(seeds_df["seed"] == seed) & (seeds_df["epoch"] == epoch)].iloc[0]
    return r["train_loss"], r["test_loss"], r["test_acc"]


def plot_decision_maps(nets: dict, seeds: dict, specs: dict, cfg: dict, names: list[str], roles=("typical", "best")):
    """Playground's output heat map over [-6, 6]^2 for the typical (median test loss) and the
    best seed of each configuration in `names`; train points white-edged, test points black-edged."""
    fig, axes = figure(len(names), len(roles), width=3.3, height=3.3)
    im = None
    for i, name in enumerate(names):
        for j, role in enumerate(roles):
            n = nets[name]
            seed, epoch = int(n.loc[n["role"] == role, "seed"].iloc[0]), int(n["epoch"].iloc[0])
            tr, te, acc = _losses(seeds[name], seed, epoch)
            im = _map_panel(
                axes[i, j],
                cfg,
                specs[name],
                params_from_table(n, role),
                seed,
                f"{label(specs[name])}, {role} seed {seed}, epoch {epoch}\n"
                f"train {tr:.3f} / test {te:.3f}, test acc {acc:.2f}",
            )
    fig.colorbar(im, ax=axes, shrink=0.6, label="network output f(x) (tanh)")
    fig.suptitle("Decision maps of the lecture's spiral nets: typical vs best seed", fontsize=10)
    return fig


def plot_all_maps(nets: dict, seeds: dict, specs: dict, cfg: dict):
    """The typical seed of every run: which nets learn their target."""
    names = list(specs)
    ncols = min(6, len(names))
    nrows = -(-len(names) // ncols)
    fig, axes = figure(nrows, ncols, width=2.9, height=3.0)
    for ax in axes.flat[len(names) :]:
        ax.set_visible(False)
    for ax, name in zip(axes.flat, names):
        n = nets[name]
        seed, epoch = int(n.loc[n["role"] == "typical", "seed"].iloc[0]), int(n["epoch"].iloc[0])
        tr, te, acc = _losses(seeds[name], seed, epoch)
        _map_panel(
            ax,
            cfg,
            specs[name],
            params_from_table(n, "typical"),
            seed,
            f"{label(specs[name])} @ {epoch}\ntest loss {te:.3f}, test acc {acc:.2f}",
        )
    fig.suptitle(
        "Typical seed (median test loss) of every net at its activation's slide count ("
        + ", ".join(f"{a} {e}" for a, e in cfg["slide_epochs"].items())
        + f", else epoch {cfg['epochs']})",
        fontsize=10,
    )
    return fig


def plot_hidden_units(nets: pd.DataFrame, spec: dict, cfg: dict, role: str = "typical"):
    """What each unit computes: its activation h over [-6, 6]^2 (a small map per neuron, as
    Playground shows), one row per layer, for one trained net."""
    theta = params_from_table(nets, role)
    x1, x2, P = _grid(81)
    _, cache = forward(make_net(spec, len(cfg["features"])), theta, _features(cfg, P))
    layers = [h[0] for _, h in cache[1:]]  # (G, K_l) per layer
    ncols = max(h.shape[-1] for h in layers)
    fig, axes = figure(len(layers), ncols, width=1.9, height=1.9)
    seed, epoch = int(nets.loc[nets["role"] == role, "seed"].iloc[0]), int(nets["epoch"].iloc[0])
    for l, h in enumerate(layers):
        for k in range(ncols):
            ax = axes[l, k]
            if k >= h.shape[-1]:
                ax.set_visible(False)
                continue
            v = h[:, k].reshape(x1.shape)
            vmax = max(np.abs(v).max(), 1e-12) if spec["activation"] != "tanh" or l == len(layers) - 1 else 1.0
            ax.imshow(v, extent=(-DOMAIN, DOMAIN, -DOMAIN, DOMAIN), origin="lower", cmap=PG_CMAP, vmin=-vmax, vmax=vmax)
            ax.grid(False)
            ax.set_xticks([])
            ax.set_yticks([])
            last = l == len(layers) - 1
            ax.set_title("output f(x)" if last else f"layer {l + 1}, unit {k + 1}", fontsize=8)
        axes[l, 0].set_ylabel(f"x2 in [-{DOMAIN:g}, {DOMAIN:g}]", fontsize=7)
    for ax in axes[-1]:
        ax.set_xlabel(f"x1 in [-{DOMAIN:g}, {DOMAIN:g}]", fontsize=7)
    fig.suptitle(
        f"{label(spec)}, seed {seed}, epoch {epoch}: first-layer units cut the plane by lines,\n"
        "the second layer combines them into curved regions (blue +, orange -)",
        fontsize=9,
    )
    return fig
