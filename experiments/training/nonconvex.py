"""C18, shown directly: the training loss is not a convex function of the parameters.

Swapping hidden units 0 and 1 of the first hidden layer (rows of W1 and b1, columns of W2)
computes the same function, so a solution theta and its permutation theta' have the same
loss L. A convex L would satisfy L((theta + theta') / 2) <= (L(theta) + L(theta')) / 2 =
L(theta); a midpoint with a higher loss is a witness that L is not convex.
"""

import numpy as np
import pandas as pd

from mlp.network import Net, objective

SAME_TOL = 1e-9  # |L(theta') / L(theta) - 1| below this: the permutation kept the loss (round-off)
MARGIN = 0.01  # the midpoint's loss must exceed L(theta) by more than this (relative)


def swap_units(params, i: int = 0, j: int = 1) -> list:
    """The parameters with hidden units i and j of the first hidden layer exchanged."""
    (W1, b1), (W2, b2), *rest = params
    order = np.arange(W1.shape[-2])
    order[[i, j]] = order[[j, i]]
    return [(W1[..., order, :], b1[..., order]), (W2[..., :, order], b2), *rest]


def midpoint(a, b) -> list:
    """(theta + theta') / 2, layer by layer."""
    return [((Wa + Wb) / 2, (ba + bb) / 2) for (Wa, ba), (Wb, bb) in zip(a, b)]


def midpoint_losses(net: Net, params, X: np.ndarray, Y: np.ndarray) -> pd.DataFrame:
    """Per member: L(theta), L(theta') of the permuted solution and L at their midpoint."""
    permuted = swap_units(params)
    loss = [objective(net, p, X, Y)[1] for p in (params, permuted, midpoint(params, permuted))]
    return pd.DataFrame({"loss": loss[0], "loss_permuted": loss[1], "loss_midpoint": loss[2]})


def witnesses(table: pd.DataFrame) -> tuple[int, int, int]:
    """(members, members whose permutation changed the loss, members whose midpoint's loss
    exceeds L(theta) by more than MARGIN)."""
    same = np.abs(table["loss_permuted"] / table["loss"] - 1) < SAME_TOL
    higher = table["loss_midpoint"] > (1 + MARGIN) * table["loss"]
    return len(table), int((~same).sum()), int(higher.sum())
