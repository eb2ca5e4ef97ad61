"""C24 (b, c): engineered input features vs hidden units, with TensorFlow Playground's semantics.

Three models per seed, on the same data draw (`mlp.data.playground_split` from the stream
rng(seed, "data", dataset): same points, shuffle and 50% split for every model, so
comparisons are paired):
  raw         one tanh unit on (x1, x2), no hidden layer: a linear classifier of the plane;
  engineered  one tanh unit on Playground's engineered features (X1, X2, X1^2, X2^2, X1X2,
              sin X1, sin X2), no hidden layer: linear in the transformed input;
  hidden      one hidden layer of `width` units on (x1, x2): the representation is learned.
Playground's semantics throughout: tanh output, squared loss 1/2 (f - y)^2 on +-1 labels,
Playground init (W ~ U[-0.5, 0.5), b = 0.1), lr 0.03, batch 10 in the fixed shuffled-once order
with the carry-over of `mlp.train.train`, accuracy = sign agreement (f > 0 iff y = +1).

Convergence: stationary loss or settled decisions (`convergence`), and not chaotic: a shadow copy
perturbed at 90% of the budget must not drift away (`stability`).

Exact: whether each seed's training set is linearly separable in a unit's input features
(`mlp.threshold.separate`, an LP); the hidden layer's input is (x1, x2), like the raw unit's.
The maps: what the hidden units of one trained net, and each net's output, compute over
Playground's heat-map domain [-6, 6]^2.
"""

import numpy as np
import pandas as pd

from experiments.convergence import CHECKPOINTS, curves, loss_curves
from experiments.representations.stability import train_shadowed
from mlp.data import features, playground_split, stack_splits
from mlp.network import Net, forward, init
from mlp.params import pick
from mlp.seeding import rng, rngs
from mlp.threshold import separate

RAW = ("x1", "x2")
MODELS = ("raw", "engineered", "hidden")
DOMAIN = 6.0  # Playground's heat maps cover [-6, 6]^2


def model(name: str, cfg: dict) -> tuple[tuple[str, ...], Net]:
    """A model's input features and net (Playground: tanh output, squared loss)."""
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; allowed: {list(MODELS)}")
    names = tuple(cfg["engineered"]) if name == "engineered" else RAW
    hidden = (cfg["width"],) if name == "hidden" else ()
    return names, Net((len(names), *hidden, 1), hidden=cfg["activation"], output="tanh", loss="squared")


def draws(dataset: str, names, cfg: dict):
    """Every seed's data draw with the features `names`, stacked: Split of (M, N, F) arrays."""
    return stack_splits(
        playground_split(
            dataset, rng(s, "data", dataset), noise=cfg["noise"], train_pct=cfg["train_pct"], feature_names=names
        )
        for s in range(cfg["seeds"])
    )


def separable(data) -> np.ndarray:
    """(M,) whether each member's training set is linearly separable in its features (LP)."""
    return np.array([separate(X, Y[:, 0]).separable for X, Y in zip(data.X_train, data.Y_train)])


def train_model(name: str, net: Net, data, dataset: str, cfg: dict):
    """One model on one dataset's draws, all seeds in one ensemble with their shadow copies
    (`stability`); (final params, per-seed frame)."""
    seeds = range(cfg["seeds"])
    params = init(net, cfg["init"], rngs(seeds, "init", dataset, name))
    result = train_shadowed(net, params, data, cfg, f"{dataset} {name}")
    train_acc = curves(result, "train_acc")
    runs = pd.DataFrame(
        {
            "dataset": dataset,
            "model": name,
            "seed": list(seeds),
            "train_acc_90": train_acc[:, CHECKPOINTS - 1],
            "train_acc": train_acc[:, -1],
            "test_acc": curves(result, "test_acc")[:, -1],
            "test_loss": curves(result, "test_loss")[:, -1],
            **loss_curves(result),
            "amplification": result.amplification,
            "diverged": result.diverged_at >= 0,
        }
    )
    return result.params, runs


def grid(points: int) -> np.ndarray:
    """(points^2, 2): the heat-map domain [-6, 6]^2, x1 varying fastest."""
    t = np.linspace(-DOMAIN, DOMAIN, points)
    x1, x2 = np.meshgrid(t, t)
    return np.column_stack([x1.ravel(), x2.ravel()])


def unit_maps(nets: dict, cfg: dict) -> pd.DataFrame:
    """What seed map_seed's nets compute on the grid: the hidden net's units h_k(x) (unit_1..K)
    and every model's output f(x). `nets`: model name -> (net, params of all seeds)."""
    G = grid(cfg["map_points"])
    table = {"x1": G[:, 0], "x2": G[:, 1]}
    member = [cfg["map_seed"]]
    for name, (net, params) in nets.items():
        names, _ = model(name, cfg)
        f, cache = forward(net, pick(params, member), features(G, names))
        if name == "hidden":
            h = cache[1][1][0]  # (G, K): h^(1), the hidden layer
            table |= {f"unit_{k + 1}": h[:, k] for k in range(h.shape[1])}
        table[f"{name}_output"] = f[0, :, 0]
    return pd.DataFrame(table)


def train_cell(dataset: str, cfg: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A dataset's cell: every model on the same draws, with the LP separability of each seed's
    training set in the model's input features; (per-seed runs, maps of seed map_seed)."""
    nets, frames, lp = {}, [], {}
    for name in MODELS:
        names, net = model(name, cfg)
        data = draws(dataset, names, cfg)
        if names not in lp:
            lp[names] = separable(data)
        params, runs = train_model(name, net, data, dataset, cfg)
        runs.insert(3, "linearly_separable", lp[names])
        nets[name] = (net, params)
        frames.append(runs)
    return pd.concat(frames, ignore_index=True), unit_maps(nets, cfg)
