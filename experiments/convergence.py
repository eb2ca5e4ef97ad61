"""Convergence of trained classifiers, measured per ensemble member (the logic and
representations families).

The training loss is recorded at epochs E j / 10, j = 0..10. A member is 'stationary' when its
loss moved by at most `tol` (relative) over the last 10% of the budget
(`experiments.stats.last_change`); 'settled' when every training point was decided right at 90%
of the budget and still is at the end while the loss keeps falling (on separable data the
infimum of the loss lies at infinite weights, so the loss never stops moving, but the decisions
have); else 'moving', or 'diverged'; and 'chaotic' where a shadow run shows the trajectory is
not at a stable state (`stability`). Converged = stationary or settled: only those count in a
verdict.
"""

import numpy as np
import pandas as pd

from experiments.stats import last_change
from mlp.data import Split
from mlp.network import Net
from mlp.train import train

CHECKPOINTS = 10
CONVERGED = ("stationary", "settled")


def checkpoints(epochs: int) -> list[int]:
    """The epochs at which the loss is recorded: E j / 10, j = 0..10 (distinct for E >= 10)."""
    return [round(epochs * j / CHECKPOINTS) for j in range(CHECKPOINTS + 1)]


def train_on_table(net: Net, params, X, Y, cfg: dict, shuffle_rngs):
    """Train on a truth table (X, Y) with the config's lr, batch size and epochs, recording the
    loss at `checkpoints`; each member reshuffles its order with its own Generator unless a
    batch is the whole table (full-batch GD)."""
    return train(
        net,
        params,
        Split(X, Y, X, Y),
        lr=cfg["lr"],
        batch_size=cfg["batch_size"],
        epochs=cfg["epochs"],
        shuffle_rngs=None if cfg["batch_size"] == len(X) else shuffle_rngs,
        eval_epochs=checkpoints(cfg["epochs"]),
    )


def curves(result, column: str) -> np.ndarray:
    """(M, 11): a history column of `mlp.train.train` at the checkpoints, one row per member."""
    return pd.DataFrame(result.history).pivot(index="member", columns="epoch")[column].to_numpy()


def loss_curves(result) -> dict[str, np.ndarray]:
    """Per member: the training loss at 90% and at the end of the budget, and its relative
    change over the last 10%."""
    loss = curves(result, "train_loss")
    return {
        "loss_90": loss[:, CHECKPOINTS - 1],
        "loss": loss[:, -1],
        "last_change": np.array([last_change(c) for c in loss]),
    }


def status(runs: pd.DataFrame, settled: pd.Series, tol: float, chaotic: pd.Series | None = None) -> pd.Series:
    """'diverged', 'chaotic', 'stationary', 'settled' or 'moving' per member (see the module
    docstring); `settled`: the members whose decisions were all right at 90% and at the end;
    `chaotic`: the members whose shadow run drifted away (`stability`), if measured."""
    falling = runs["loss"] < runs["loss_90"]
    chaotic = pd.Series(False, index=runs.index) if chaotic is None else chaotic
    choice = np.select(
        [
            runs["diverged"].to_numpy(bool),
            chaotic.to_numpy(bool),
            (runs["last_change"] <= tol).to_numpy(bool),
            (settled & falling).to_numpy(bool),
        ],
        ["diverged", "chaotic", "stationary", "settled"],
        "moving",
    )
    return pd.Series(choice, index=runs.index, name="status")
