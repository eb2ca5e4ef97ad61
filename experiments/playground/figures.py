"""Figures of the Playground family (C13): loss curves with seed bands, where the lecture's
numbers fall, decision maps like Playground's, and what each hidden unit computes."""

import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap

from experiments.playground.port import make_net, split_of
from experiments.playground.runs import params_from_table
from experiments.playground.summary import LECTURE, fmt_hidden, slide_name
from experiments.plotting import PM_COLORS, figure
from mlp.data import features
from mlp.network import forward

# Playground's heat map: orange (-1) through white (0) to blue (+1)
PG_CMAP = LinearSegmentedColormap.from_list("playground", [PM_COLORS[-1.0], "#ffffff", PM_COLORS[1.0]])
DOMAIN = 6.0  # the heat map covers [-6, 6]^2


def group_of(spec: dict) -> str:
    L = len(spec["hidden"])
    if spec["dataset"] != "spiral":
        return f"simple targets, {L} hidden layer{'s' * (L > 1)}"
    return f"spiral, {L} hidden layer{'s' * (L > 1)}"


def _label(spec: dict) -> str:
    return f"{spec['dataset']} {fmt_hidden(spec)} {spec['activation']}"


def plot_loss_curves(curves: dict[str, pd.DataFrame], specs: dict[str, dict], params: dict):
    """Median test loss (solid, with the 10th-90th percentile band over seeds) and median train
    loss (dashed) per configuration, one panel per group; the lecture's numbers as stars."""
    groups = {}
    for name, spec in specs.items():
        groups.setdefault(group_of(spec), []).append(name)
    order = sorted(groups, key=lambda g: (g.startswith("simple"), g))
    fig, axes = figure(1, len(order), width=4.2, height=3.4, sharey=True)
    for ax, g in zip(axes[0], order):
        for i, name in enumerate(groups[g]):
            c, color = curves[name], f"C{i}"
            n = specs[name]["seeds"]
            ax.fill_between(c["epoch"], c["test_loss_p10"], c["test_loss_p90"], color=color, alpha=0.18, lw=0)
            ax.plot(c["epoch"], c["test_loss_median"], color=color, lw=1.4, label=f"{_label(specs[name])} ({n} seeds)")
            ax.plot(c["epoch"], c["train_loss_median"], color=color, lw=0.9, ls="--")
        finals = {n: curves[n]["test_loss_median"].iloc[-1] for n in groups[g]}
        if g.startswith("spiral, 2"):
            for act, lec in LECTURE.items():
                ax.plot(lec["epoch"], lec["test"], "k*", ms=9, zorder=4)
                ax.annotate(
                    f"lecture {act} test {lec['test']:.3f}",
                    (lec["epoch"], lec["test"]),
                    fontsize=7,
                    xytext=(-95, 12 if act == "tanh" else -14),
                    textcoords="offset points",
                )
        best = min(finals, key=finals.get)
        ax.set_title(f"{g}: best median test loss\n{finals[best]:.3f} ({_label(specs[best])})", fontsize=9)
        ax.set(xlabel="epoch (Playground iteration)", xlim=(0, params["epochs"]))
        ax.legend(loc="lower left", fontsize=6.5)
    axes[0, 0].set_ylabel("loss 1/2 (f - y)^2, mean over points")
    fig.suptitle(
        "Playground over seeds: median test loss (solid; band 10th-90th percentile), median train loss (dashed)",
        fontsize=10,
    )
    return fig


def plot_lecture_percentiles(seeds: dict[str, pd.DataFrame], refs: pd.DataFrame, specs: dict, params: dict):
    """Empirical CDFs over seeds of the spiral [4, 2] train and test losses at the slides'
    iteration counts, with the lecture's numbers and Playground's own two seeds marked."""
    acts = [a for a in LECTURE if slide_name(specs, a)]
    fig, axes = figure(1, max(len(acts), 1), width=4.6, height=3.4, sharey=True)
    for ax, act in zip(axes[0], acts):
        name, e = slide_name(specs, act), params["slide_epochs"].get(act, params["epochs"])
        at = seeds[name][seeds[name]["epoch"] == e]
        for split, ls in (("train", "--"), ("test", "-")):
            v = np.sort(at[f"{split}_loss"].dropna().to_numpy())
            ax.step(
                v,
                np.arange(1, len(v) + 1) / len(v) * 100,
                where="post",
                ls=ls,
                color="C0" if split == "test" else "C2",
                label=f"our {len(v)} seeds, {split}",
            )
        r = refs[(refs["config"] == name) & (refs["epoch"] == e)]
        for _, row in r.iterrows():
            lec = row["source"] == "lecture"
            ax.plot(
                row["value"],
                row["percentile"],
                marker="*" if lec else "o",
                ls="none",
                ms=10 if lec else 6,
                color="k" if lec else ("C0" if row["split"] == "test" else "C2"),
                mfc="k" if lec else "none",
                zorder=4,
            )
        ax.plot([], [], "k*", ms=9, label="lecture's screenshot")
        ax.plot([], [], "o", mfc="none", color="grey", label="Playground's seeds 0.26288, 0.87646")
        lt = r[(r["source"] == "lecture") & (r["split"] == "test")]
        title = f"spiral [4,2] {act} at epoch {e}"
        if len(lt):
            title += f":\nlecture test {lt['value'].iloc[0]:.3f} at percentile {lt['percentile'].iloc[0]:.0f}"
        ax.set(title=title, xlabel="loss 1/2 (f - y)^2", ylim=(0, 100))
        ax.legend(loc="lower right", fontsize=7)
    axes[0, 0].set_ylabel("% of seeds with loss <= x")
    return fig


def _grid(n: int = 121):
    g = np.linspace(-DOMAIN, DOMAIN, n)
    x1, x2 = np.meshgrid(g, g)
    return x1, x2, np.column_stack([x1.ravel(), x2.ravel()])


def _features(params, P):
    return features(P, tuple(params["features"]))


def _map_panel(ax, params, spec, theta, seed, title):
    x1, x2, P = _grid()
    f = forward(make_net(spec, len(params["features"])), theta, _features(params, P))[0][0, :, 0]
    im = ax.imshow(
        f.reshape(x1.shape),
        extent=(-DOMAIN, DOMAIN, -DOMAIN, DOMAIN),
        origin="lower",
        cmap=PG_CMAP,
        vmin=-1,
        vmax=1,
        interpolation="bilinear",
    )
    split = split_of({**params, "features": ["x1", "x2"]}, spec["dataset"], seed)
    for X, Y, edge in ((split.X_train, split.Y_train, "white"), (split.X_test, split.Y_test, "black")):
        ax.scatter(X[:, 0], X[:, 1], s=9, c=[PM_COLORS[float(y)] for y in Y[:, 0]], edgecolors=edge, linewidths=0.5)
    ax.set(xlim=(-DOMAIN, DOMAIN), ylim=(-DOMAIN, DOMAIN), aspect="equal", xlabel="x1", ylabel="x2")
    ax.set_title(title, fontsize=8)
    ax.grid(False)
    return im


def _losses(seeds_df, seed, epoch):
    r = seeds_df[(seeds_df["seed"] == seed) & (seeds_df["epoch"] == epoch)].iloc[0]
    return r["train_loss"], r["test_loss"], r["test_acc"]


def plot_decision_maps(nets: dict, seeds: dict, specs: dict, params: dict, names: list[str], roles=("typical", "best")):
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
                params,
                specs[name],
                params_from_table(n, role),
                seed,
                f"{_label(specs[name])}, {role} seed {seed}, epoch {epoch}\n"
                f"train {tr:.3f} / test {te:.3f}, test acc {acc:.2f}",
            )
    fig.colorbar(im, ax=axes, shrink=0.6, label="network output f(x) (tanh)")
    fig.suptitle("Decision maps of the lecture's spiral nets: typical vs best seed", fontsize=10)
    return fig


def plot_all_maps(nets: dict, seeds: dict, specs: dict, params: dict):
    """The typical seed of every configuration: which nets learn their target."""
    names = list(specs)
    ncols = min(4, len(names))
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
            params,
            specs[name],
            params_from_table(n, "typical"),
            seed,
            f"{_label(specs[name])} @ {epoch}\ntest loss {te:.3f}, test acc {acc:.2f}",
        )
    fig.suptitle(
        "Typical seed (median test loss) of every configuration: one hidden layer fits the simple targets, "
        "not the spiral",
        fontsize=10,
    )
    return fig


def plot_hidden_units(nets: pd.DataFrame, spec: dict, params: dict, role: str = "typical"):
    """What each unit computes: its activation h over [-6, 6]^2 (a small map per neuron, as
    Playground shows), one row per layer, for one trained net."""
    theta = params_from_table(nets, role)
    x1, x2, P = _grid(81)
    _, cache = forward(make_net(spec, len(params["features"])), theta, _features(params, P))
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
        f"{_label(spec)}, seed {seed}, epoch {epoch}: first-layer units cut the plane by lines,\n"
        "the second layer combines them into curved regions (blue +, orange -)",
        fontsize=9,
    )
    return fig
