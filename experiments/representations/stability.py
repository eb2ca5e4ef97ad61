"""Is a trained member at a stable state, or is its SGD chaotic? A shadow run tells.

Training stops at 90% of the budget; every member gets a shadow copy whose parameters are
perturbed by a relative PERTURBATION (each parameter times 1 + delta g, g in {-1, 0, 1}), and
both train the last 10% together (one ensemble of 2M). At a stable fixed point or cycle the
copies contract or stay close; on a chaotic trajectory the difference grows by many orders.
The amplification max |theta - theta_shadow| / (delta max |theta|) at the end separates the two
by decades (measured on Playground's data: <= 1.3 for stable members, >= 1e3 for chaotic
ones), so the decision 'chaotic' (amplification > STABLE_GROWTH) is the same on every CPU,
while a chaotic member's own numbers (its final accuracy) are not: they change with the last
bits of a matrix product. Chaotic members do not count as converged.

The split at 90% keeps `mlp.train.train`'s semantics only if no leftover batch carries over
between epochs (batch size dividing the training set; the plan checks it).
"""

from typing import NamedTuple

import numpy as np

from experiments.convergence import checkpoints
from mlp.data import Split
from mlp.params import flatten, unflatten
from mlp.seeding import rng
from mlp.train import train

PERTURBATION = 1e-10  # relative size of the shadow's perturbation at 90% of the budget
STABLE_GROWTH = 10.0  # amplification above this: the member's trajectory is chaotic


class Shadowed(NamedTuple):
    params: list  # final parameters of the M members
    history: dict  # mlp.train history of the M members at the checkpoints E j / 10
    diverged_at: np.ndarray  # (M,) as mlp.train, -1 if never
    amplification: np.ndarray  # (M,) growth of the shadow's relative distance over the last 10%


def twice(data: Split, M: int) -> Split:
    """Per-member data for an ensemble of 2M: the M members' data, then the same again."""
    return Split(*(np.concatenate([np.broadcast_to(A, (M, *A.shape[-2:]))] * 2) for A in data))


def train_shadowed(net, params, data: Split, cfg: dict, key: str) -> Shadowed:
    """`mlp.train.train` for cfg's epochs with lr and batch size, recording the checkpoints, and the
    amplification of a perturbation made at the 90% checkpoint (see the module docstring)."""
    M, E = params[0][0].shape[0], cfg["epochs"]
    epochs = checkpoints(E)
    E90 = epochs[-2]
    knobs = {"lr": cfg["lr"], "batch_size": cfg["batch_size"], "classify": True}
    first = train(net, params, data, epochs=E90, eval_epochs=epochs[:-1], **knobs)
    theta = flatten(first.params)  # (M, P)
    g = rng(0, "shadow", key).integers(-1, 2, theta.shape)
    pair = [
        (np.concatenate([W, Ws]), np.concatenate([b, bs]))
        for (W, b), (Ws, bs) in zip(first.params, unflatten(theta * (1 + PERTURBATION * g), first.params))
    ]
    last = train(net, pair, twice(data, M), epochs=E - E90, eval_epochs=[E - E90], **knobs)
    end = flatten(last.params)  # (2M, P)
    with np.errstate(invalid="ignore"):
        growth = np.max(np.abs(end[:M] - end[M:]), axis=1) / (PERTURBATION * np.max(np.abs(end[:M]), axis=1))
    base = last.history["member"] < M
    history = {
        k: np.concatenate([first.history[k], v[base] + (E90 if k == "epoch" else 0)]) for k, v in last.history.items()
    }
    diverged = np.where(
        first.diverged_at >= 0, first.diverged_at, np.where(last.diverged_at[:M] >= 0, last.diverged_at[:M] + E90, -1)
    )
    return Shadowed([(W[:M], b[:M]) for W, b in last.params], history, diverged, growth)
