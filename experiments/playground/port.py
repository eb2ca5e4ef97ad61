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

from typing import NamedTuple

import numpy as np
import pandas as pd

from experiments.playground.plan import config_name, curve_epochs, map_epoch, seeds_of
from experiments.progress import progress
from mlp.data import Split, playground_split, stack_splits
from mlp.network import Net, init
from mlp.seeding import rng, rngs
from mlp.train import train

METRICS = ["train_loss", "test_loss", "train_acc", "test_acc"]
CHUNK = 250  # seeds per ensemble call: bounds memory and paces the progress log (results do not depend on it)


class PortRun(NamedTuple):
    """The seeds of one configuration after training."""

    history: pd.DataFrame  # seed, epoch, train_loss, test_loss, train_acc, test_acc (NaN once diverged)
    paused: list  # parameters [(W (M, K_l, K_l-1), b (M, K_l)), ...] at the pause epoch
    params: list  # final parameters, alike
    diverged_at: np.ndarray  # (M,) epoch in which a seed's loss became non-finite, -1 if never
    data: Split  # each seed's data, X (M, N, D), Y (M, N, 1)


def net_key(spec: dict) -> str:
    """The init stream's key: dataset and architecture, not the activation."""
    return "-".join([spec["dataset"], *map(str, spec["hidden"])])


def make_net(spec: dict, n_features: int = 2) -> Net:
    """Playground's network: the spec's hidden widths and activation, one tanh output, 1/2-MSE."""
    return Net((n_features, *spec["hidden"], 1), hidden=spec["activation"], output="tanh", loss="squared")


def split_of(cfg: dict, dataset: str, seed: int) -> Split:
    """One seed's Playground data (the same for every architecture and activation)."""
    return playground_split(
        dataset,
        rng(seed, "data", dataset),
        noise=cfg["noise"],
        train_pct=cfg["train_pct"],
        feature_names=tuple(cfg["features"]),
    )


def init_params(spec: dict, seeds, n_features: int = 2) -> list:
    """Playground's initial weights of each seed (U[-0.5, 0.5), biases 0.1), shared by activations."""
    return init(make_net(spec, n_features), "playground", rngs(seeds, "init", net_key(spec)))


def fit(net: Net, params, data: Split, cfg: dict, epochs: int, eval_epochs):
    """Playground's training of an ensemble from `params`: mini-batch SGD at cfg["lr"] and
    cfg["batch_size"] on each member's fixed order, leftover points joining the next epoch's
    first batch; losses and accuracies at `eval_epochs` (mlp.train.Result)."""
    return train(
        net,
        params,
        data,
        lr=cfg["lr"],
        batch_size=cfg["batch_size"],
        epochs=epochs,
        eval_epochs=eval_epochs,
        classify=True,
    )


def _train_chunk(cfg: dict, spec: dict, seeds, eval_epochs, pause: int):
    """One ensemble call (paused at `pause` to copy the parameters, then resumed: exact when no
    leftover batch carries over, which plan.check ensures)."""
    data = stack_splits([split_of(cfg, spec["dataset"], s) for s in seeds])  # X (M, N, D)
    net = make_net(spec, data.X_train.shape[-1])
    E = cfg["epochs"]
    first = fit(
        net, init_params(spec, seeds, data.X_train.shape[-1]), data, cfg, pause, [e for e in eval_epochs if e <= pause]
    )
    histories, diverged, final = [pd.DataFrame(first.history)], first.diverged_at, first.params
    if E > pause:
        rest = fit(net, first.params, data, cfg, E - pause, [e - pause for e in eval_epochs if e > pause])
        histories.append(pd.DataFrame(rest.history).assign(epoch=rest.history["epoch"] + pause))
        diverged = np.where(diverged >= 0, diverged, np.where(rest.diverged_at >= 0, rest.diverged_at + pause, -1))
        final = rest.params
    history = pd.concat(histories, ignore_index=True)
    history.insert(0, "seed", np.asarray(seeds)[history.pop("member")])
    return history, first.params, final, diverged, data


def concat_members(parts: list[list]) -> list:
    """Ensembles of one architecture joined along the member axis."""
    return [tuple(np.concatenate(arrays) for arrays in zip(*layers)) for layers in zip(*parts)]


def train_seeds(cfg: dict, spec: dict, seeds, eval_epochs, pause: int | None = None) -> PortRun:
    """Train `seeds` of one configuration (spec: dataset, hidden, activation) with Playground's
    semantics for cfg["epochs"] epochs, recording losses and accuracies at `eval_epochs`; the
    parameters at epoch `pause` (default: the end) are kept too. Seeds train in ensembles of
    CHUNK members; every seed gets what it would get alone."""
    seeds, pause = list(seeds), cfg["epochs"] if pause is None else pause
    n_train = split_of(cfg, spec["dataset"], seeds[0]).X_train.shape[0]
    if 0 < pause < cfg["epochs"] and n_train % cfg["batch_size"]:
        raise ValueError(
            f"batch_size {cfg['batch_size']} leaves leftover points of {n_train} that carry over between "
            f"epochs; training cannot pause at epoch {pause} (pause at 0 or at the end)"
        )
    chunks = [seeds[i : i + CHUNK] for i in range(0, len(seeds), CHUNK)]
    parts = [
        _train_chunk(cfg, spec, c, eval_epochs, pause) for c in progress(chunks, f"{config_name(spec)}: seed chunks")
    ]
    history, paused, final, diverged, data = zip(*parts)
    history = pd.concat(history, ignore_index=True).sort_values(["epoch", "seed"], kind="stable")
    data = Split(*(np.concatenate(arrays) for arrays in zip(*data)))
    return PortRun(
        history.reset_index(drop=True), concat_members(paused), concat_members(final), np.concatenate(diverged), data
    )


def train_config(cfg: dict, spec: dict) -> PortRun:
    """All seeds of one configuration, recorded at the family's curve epochs and paused at the
    epoch of its decision maps (the slide's iteration count for the activation)."""
    return train_seeds(cfg, spec, seeds_of(cfg, spec), curve_epochs(cfg), map_epoch(cfg, spec))
