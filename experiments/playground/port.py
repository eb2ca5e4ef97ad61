"""The Playground port: a configuration (dataset, hidden widths, activation) trained over many
seeds with TensorFlow Playground's exact semantics, as one ensemble (other families call it).

The core gives the semantics (`playground_split`, init "playground", tanh output, 1/2-MSE,
mini-batch SGD on a fixed order; one Playground iteration is one epoch). Seed s draws its data
(generate, shuffle once, split) from rng(s, "data", dataset) and its weights from rng(s, "init",
dataset-hidden); the weights do not depend on the activation, so tanh and relu of one
architecture train on the same split from the same initial weights, as on Playground's page
when only the activation changes. Integer seeds drive numpy Generators, not Playground's
seedrandom strings, so single seeds differ from the page's but the distributions over seeds are
the ones Playground gives.
"""

import numpy as np
import pandas as pd

from mlp.data import playground_split, stack_splits
from mlp.network import Net, init
from mlp.seeding import rng, rngs
from mlp.train import train

METRICS = ["train_loss", "test_loss", "train_acc", "test_acc"]


def net_key(spec: dict) -> str:
    """The init stream's key: dataset and architecture, not the activation."""
    return "-".join([spec["dataset"], *map(str, spec["hidden"])])


def seeds_of(params: dict, spec: dict) -> list[int]:
    return list(range(params["seed0"], params["seed0"] + spec["seeds"]))


def make_net(spec: dict, n_features: int = 2) -> Net:
    return Net((n_features, *spec["hidden"], 1), hidden=spec["activation"], output="tanh", loss="squared")


def split_of(params: dict, dataset: str, seed: int):
    """One seed's Playground data (the same for every architecture and activation)."""
    return playground_split(
        dataset,
        rng(seed, "data", dataset),
        noise=params["noise"],
        train_pct=params["train_pct"],
        feature_names=tuple(params["features"]),
    )


def map_epoch(params: dict, spec: dict) -> int:
    """Epoch of the decision maps: the slide's count for the activation, else the budget."""
    return min(params["slide_epochs"].get(spec["activation"], params["epochs"]), params["epochs"])


def record_epochs(params: dict) -> tuple[list[int], list[int]]:
    """(curve epochs: every eval_every plus the per-seed epochs; per-seed table epochs)."""
    E = params["epochs"]
    per_seed = sorted({e for e in [*params["seed_epochs"], *params["slide_epochs"].values(), E] if 0 <= e <= E})
    return sorted(set(range(0, E + 1, params["eval_every"])) | set(per_seed)), per_seed


def train_config(params: dict, spec: dict):
    """Train all seeds of one configuration as one ensemble.

    Returns (history with a seed column, parameters at map_epoch, diverged_at per seed).
    Training pauses at map_epoch to keep a copy of the parameters and resumes; this is
    exact because no leftover batch carries over between epochs (checked).
    """
    seeds = seeds_of(params, spec)
    data = stack_splits([split_of(params, spec["dataset"], s) for s in seeds])  # X (M, N, D)
    net = make_net(spec, data.X_train.shape[-1])
    theta = init(net, "playground", rngs(seeds, "init", net_key(spec)))
    E, e_map = params["epochs"], map_epoch(params, spec)
    n_train, B = data.X_train.shape[-2], params["batch_size"]
    if 0 < e_map < E and n_train % B:
        raise ValueError(f"batch_size {B} leaves leftover points of {n_train}; cannot pause at epoch {e_map}")
    curve_epochs, _ = record_epochs(params)
    kw = {"lr": params["lr"], "batch_size": B, "classify": True}
    first = train(net, theta, data, epochs=e_map, eval_epochs=[e for e in curve_epochs if e <= e_map], **kw)
    histories, diverged = [pd.DataFrame(first.history)], first.diverged_at
    if E > e_map:
        rest = train(
            net, first.params, data, epochs=E - e_map, eval_epochs=[e - e_map for e in curve_epochs if e > e_map], **kw
        )
        histories.append(pd.DataFrame(rest.history).assign(epoch=rest.history["epoch"] + e_map))
        diverged = np.where(diverged >= 0, diverged, np.where(rest.diverged_at >= 0, rest.diverged_at + e_map, -1))
    history = pd.concat(histories, ignore_index=True)
    history.insert(0, "seed", np.asarray(seeds)[history["member"]])
    history = history.drop(columns="member").sort_values(["epoch", "seed"], kind="stable").reset_index(drop=True)
    return history, first.params, diverged
