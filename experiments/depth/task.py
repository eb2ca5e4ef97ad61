"""The trained task of C23 (and of C22's deep relu run), and the status of a trained member.

Task: a Playground classification set (raw x, y; 250 training points), its +-1 labels mapped
to {0, 1}; nets [2, K, ..., K, 1] with L hidden layers of K units, a sigmoid output and binary
cross-entropy; mini-batch SGD with the order reshuffled every epoch. Every member of a depth
L and an initialisation scheme starts from the same weights whatever its activation (the
seed streams do not depend on the activation), so activations are compared on paired nets.

Status of a member after a budget of E epochs, from its training loss and accuracy at 0.9 E
and E: 'diverged' (non-finite loss); 'stationary' when the loss moved by at most `tol`
(relative, `experiments.stats.last_change`) over the last 10% of the budget; 'settled' when
the training accuracy was at or above the bar at 0.9 E and still is at E (on separable data
the loss falls forever, but the outcome the bar measures has stopped changing); else
'moving'. Converged = stationary or settled; only converged members enter a verdict.
"""

import numpy as np

from mlp.data import Split, playground_split
from mlp.network import Net, init
from mlp.seeding import rng, rngs

OUTPUT, LOSS = "sigmoid", "binary_cross_entropy"
CONVERGED = ("stationary", "settled")


def task_data(dataset: str, noise: float, seed: int) -> Split:
    """One Playground draw shared by every member, labels +-1 -> {0, 1}."""
    s = playground_split(dataset, rng(seed, "depth", "task", dataset), noise=noise)
    return Split(s.X_train, (s.Y_train > 0).astype(float), s.X_test, (s.Y_test > 0).astype(float))


def deep_net(activation: str, depth: int, width: int) -> Net:
    """[2, K x depth, 1] with hidden activation g, sigmoid output, binary cross-entropy."""
    return Net((2, *[width] * depth, 1), hidden=activation, output=OUTPUT, loss=LOSS)


def start(net: Net, scheme: str, seeds) -> list:
    """Initial parameters, one member per seed; the stream depends on (scheme, depth), not on g."""
    return init(net, scheme, rngs(seeds, "depth", "init", scheme, net.L))


def shuffles(scheme: str, depth: int, seeds) -> list:
    """One Generator per member for the per-epoch reshuffling (same for every activation)."""
    return rngs(seeds, "depth", "shuffle", scheme, depth)


def status(diverged, change, acc_90, acc, tol: float, bar: float | None) -> np.ndarray:
    """(M,) 'diverged', 'stationary', 'settled' or 'moving' (module docstring); bar None: no
    'settled' (a task without an accuracy bar)."""
    diverged = np.asarray(diverged, dtype=bool)
    settled = np.zeros_like(diverged) if bar is None else (np.asarray(acc_90) >= bar) & (np.asarray(acc) >= bar)
    stationary = np.asarray(change) <= tol
    return np.select([diverged, stationary, settled], ["diverged", "stationary", "settled"], "moving")


def reaches(acc, diverged, bar: float) -> np.ndarray:
    """(M,) members whose training accuracy reached the bar (a diverged member never does)."""
    return ~np.asarray(diverged, dtype=bool) & (np.asarray(acc) >= bar)
