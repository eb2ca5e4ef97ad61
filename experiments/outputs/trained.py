"""Train every model of one data set (a cell) over seeds and score it on fresh test data.

Seed s draws the cell's training, validation and test points (the same for every model, so
models compare paired on seeds) and the initial weights (the same for models of one shape).
Each model trains as one ensemble of all seeds with mini-batch SGD on a piecewise-constant
learning-rate schedule. Stationarity: the full-batch gradient norm at the end relative to the
one at initialisation, and the relative change of the training loss over the last 10% of the
epochs (`experiments.stats.last_change`).
"""

from typing import NamedTuple

import numpy as np
import pandas as pd

from experiments.outputs.metrics import binned, class_view, ece, pick_threshold, point_metrics, support_counts
from experiments.outputs.mixtures import Mixture, bayes_sets, draw, mixture, targets, truth
from experiments.progress import progress
from experiments.stats import last_change
from mlp.data import Split
from mlp.network import Net, forward, init, objective
from mlp.params import flatten
from mlp.seeding import rng, rngs
from mlp.train import train_schedule


class Points(NamedTuple):
    """One split of every seed: X (M, n, 2), the blob of each point (M, n)."""

    X: np.ndarray
    blobs: np.ndarray


class Model(NamedTuple):
    """A trained ensemble and its test outputs in the class view."""

    loss: str
    output: str
    net: Net
    params: list
    Z: np.ndarray  # (M, n_test, C)
    P: np.ndarray  # (M, n_test, C)
    table: pd.DataFrame  # one row per member
    bins: dict  # top-label reliability per member and bin (metrics.binned)


def seeds_of(cfg: dict) -> list[int]:
    return list(range(cfg["seed"], cfg["seed"] + cfg["seeds"]))


def draw_splits(mix: Mixture, cfg: dict) -> dict[str, Points]:
    """Training, validation and test points of every seed, from rng(seed, 'outputs', dataset)."""
    out = {name: [] for name in ("train", "validation", "test")}
    for s in seeds_of(cfg):
        r = rng(s, "outputs", cfg["dataset"], "data")
        for name in out:
            out[name].append(draw(mix, cfg["points"][name], r))
    return {name: Points(*(np.stack(a) for a in zip(*parts))) for name, parts in out.items()}


def model_targets(mix: Mixture, output: str, blobs: np.ndarray) -> np.ndarray:
    """Training targets: q over the C classes, or for a sigmoid the indicator of class 1."""
    Y = targets(mix, blobs)
    return Y[..., 1:] if output == "sigmoid" else Y


def fit(net: Net, mix: Mixture, splits: dict[str, Points], cfg: dict):
    """Train one ensemble on the schedule; returns (params, stationarity columns)."""
    seeds = seeds_of(cfg)
    tr, va = splits["train"], splits["validation"]
    data = Split(tr.X, model_targets(mix, net.output, tr.blobs), va.X, model_targets(mix, net.output, va.blobs))
    params = init(net, cfg["init"], rngs(seeds, "outputs", cfg["dataset"], "init"))
    shuffle = rngs(seeds, "outputs", cfg["dataset"], "shuffle")  # advance across the segments
    grad0 = np.linalg.norm(flatten(objective(net, params, data.X_train, data.Y_train)[2]), axis=1)
    total = sum(seg["epochs"] for seg in cfg["schedule"])
    marks = sorted({int(np.floor(0.9 * total)), total})  # the loss at these epochs gives last_change
    res = train_schedule(
        net, params, data, cfg["schedule"], eval_epochs=marks, batch_size=cfg["batch"], shuffle_rngs=shuffle,
        classify=False,
    )  # fmt: skip
    params, diverged = res.params, res.diverged_at >= 0
    with np.errstate(invalid="ignore"):
        grad1 = np.linalg.norm(flatten(objective(net, params, data.X_train, data.Y_train)[2]), axis=1)
    ends = pd.DataFrame(res.history).pivot(index="member", columns="epoch", values="train_loss").to_numpy()  # (M, 2)
    return params, {
        "diverged": diverged,
        "grad_ratio": grad1 / grad0,
        "last_change": np.array([last_change(c) for c in ends]),
        "train_loss": ends[:, -1],
    }


def labels_of(mix: Mixture, blobs: np.ndarray) -> np.ndarray:
    """The class of each point (single-label data)."""
    return mix.sets[blobs].argmax(-1)


def score(mix: Mixture, output: str, z: np.ndarray, splits: dict[str, Points], z_val, cfg: dict):
    """Per-member test metrics {name: (M,)} of one model from its test (and validation) logits,
    its reliability bins, and the class view (Z, P)."""
    te = splits["test"]
    Z, P = class_view(output, z)
    T, Y, S = truth(mix, te.X), targets(mix, te.blobs), mix.sets[te.blobs]
    pm = point_metrics(Z, P, Y, cfg["probability_floor"])
    cols = {k: v.mean(-1) for k, v in pm.items()}
    cols |= {
        "ce_infinite": np.sum(np.isinf(pm["cross_entropy"]), axis=-1),  # points whose label got P = 0
        "zeros": np.sum(P == 0, axis=(-2, -1)),
        "mae": np.mean(np.abs(P - T), axis=(-2, -1)),
        "bayes_correct": np.sum(np.all(bayes_sets(mix, te.X) == S, axis=-1), axis=-1),
    }
    labels = None if mix.multilabel else labels_of(mix, te.blobs)
    bins = binned(P, T, labels, cfg["bins"])
    cols |= {"ece": ece(bins, "frequency"), "ece_true": ece(bins, "true")}
    if mix.multilabel:  # the predicted label set: exact zeros for sparsemax, else a threshold chosen on validation
        t = np.zeros(len(z)) if output == "sparsemax" else pick_threshold(
            class_view(output, z_val)[1], mix.sets[splits["validation"].blobs], cfg["thresholds"]
        )  # fmt: skip
        bayes = support_counts(bayes_sets(mix, te.X), S)
        cols |= {"threshold": t, **support_counts(P > t[:, None, None], S)}
        cols |= {"bayes_tp": bayes["tp"], "bayes_predicted": bayes["predicted"]}
    else:
        cols |= {"correct": np.sum(P.argmax(-1) == labels, axis=-1)}
    return cols, bins, Z, P


def train_models(cfg: dict) -> tuple[Mixture, dict[str, Points], list[Model]]:
    """Every model of the cell: trained, scored, one table row per member."""
    mix = mixture(cfg["data"])
    splits = draw_splits(mix, cfg)
    C = mix.sets.shape[1]
    models = []
    for loss, output in progress(cfg["losses"].items(), f"{cfg['dataset']}: models"):
        net = Net((2, *cfg["hidden"], 1 if output == "sigmoid" else C), cfg["activation"], output, loss)
        params, stationarity = fit(net, mix, splits, cfg)
        with np.errstate(invalid="ignore", over="ignore"):  # diverged members: NaN parameters
            z_test, z_val = (forward(net, params, splits[s].X)[1][-1][0] for s in ("test", "validation"))
            cols, bins, Z, P = score(mix, output, z_test, splits, z_val, cfg)
        table = pd.DataFrame(
            {"dataset": cfg["dataset"], "loss": loss, "output": output, "seed": seeds_of(cfg), **stationarity}
        )
        table = table.assign(n_test=cfg["points"]["test"], **cols)
        models.append(Model(loss, output, net, params, Z, P, table, bins))
    return mix, splits, models


def converged(members: pd.DataFrame, tol: float) -> pd.Series:
    """A member counts if it did not diverge and its gradient norm fell to <= tol x the initial one."""
    return ~members["diverged"].astype(bool) & (members["grad_ratio"] <= tol)


def reliability_table(models: list[Model]) -> pd.DataFrame:
    """The reliability bins of every member: count, mean confidence, mean true P, frequency."""
    parts = []
    for m in models:
        M, n_bins = m.bins["count"].shape
        cols = {k: v.ravel() for k, v in m.bins.items()}
        seeds = np.repeat(m.table["seed"].to_numpy(), n_bins)
        parts.append(pd.DataFrame({"loss": m.loss, "seed": seeds, "bin": np.tile(np.arange(n_bins), M), **cols}))
    return pd.concat(parts, ignore_index=True)


def members_table(models: list[Model]) -> pd.DataFrame:
    """All members of all models, the columns in one order (NaN where a metric does not apply)."""
    return pd.concat([m.table for m in models], ignore_index=True).reindex(columns=MEMBER_COLUMNS)


MEMBER_COLUMNS = ["dataset", "loss", "output", "seed", "diverged", "grad_ratio", "last_change", "train_loss"]
MEMBER_COLUMNS += ["n_test", "correct", "bayes_correct", "cross_entropy", "cross_entropy_floor", "squared"]
MEMBER_COLUMNS += ["sparsemax", "ce_infinite", "zeros", "mae", "ece", "ece_true", "threshold", "tp", "predicted"]
MEMBER_COLUMNS += ["actual", "bayes_tp", "bayes_predicted"]
