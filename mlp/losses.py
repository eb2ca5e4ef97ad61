"""Losses L(f(x), y) with their gradient at the output pre-activation z.

`value_and_grad(z, f, Y, out) -> (L, grad_z)` with f = o(z): z, f, Y of shape (..., B, C),
L of shape (..., B). Targets Y are always arrays of the output's shape: real vectors for
the squared loss, one-hot rows for the classification losses, {0, 1} for binary
cross-entropy; cross-entropy and the sparsemax loss also take a probability vector q
(multi-label data: q uniform over the label set), with the same gradient o(z) - q. A loss
defined on f chains through the output map `out`'s vjp; the losses defined on logits come
fused with their output map (`output`), where the gradient is o(z) - Y in closed form:
  cross-entropy   -log softmax_y(z) = logsumexp(z) - z_y        -> softmax(z) - onehot(y)
  binary CE       -y log s(z) - (1-y) log(1 - s(z)) = softplus(z) - y z  -> s(z) - y
  sparsemax loss  -q.z + 1/2 sum_{j in S} (z_j^2 - tau^2) + 1/2 ||q||^2  -> sparsemax(z) - q
                  (Martins and Astudillo 2016; for q = onehot(y) the constant is 1/2 and the
                  loss is -z_y + 1/2 sum_{j in S} (z_j^2 - tau^2) + 1/2)
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from mlp.activations import ACTIVATIONS, logsumexp


class Loss(NamedTuple):
    value_and_grad: Callable
    output: str | None  # the output map the loss is fused with; None: any
    classification: bool  # targets are classes (one-hot or {0, 1}): accuracy is meaningful
    df: Callable | None = None  # dL/df(f, Y, out=None) of a loss on f; None: fused, grad_z = o(z) - Y


def _sum(x):
    """np.sum over the last axis without its Python wrapper; a length-1 axis is the column
    itself (the same values, no reduction)."""
    return x[..., 0] if x.shape[-1] == 1 else np.add.reduce(x, axis=-1)


def _squared_df(f, Y, out=None):
    return np.subtract(f, Y, out=out)  # dL/df = f - y


def _squared(z, f, Y, out):
    diff = _squared_df(f, Y)  # chained through the output map
    return 0.5 * _sum(diff**2), out.vjp(z, f, diff)


def _cross_entropy(z, f, Y, out):
    return logsumexp(z) - _sum(Y * z), f - Y


def _binary_cross_entropy(z, f, Y, out):
    softplus = np.logaddexp(0.0, z)
    return _sum(softplus - Y * z), f - Y


def _sparsemax_loss(z, f, Y, out):
    # with p = sparsemax(z) and tau its threshold: sum_{j in S}(z_j^2 - tau^2) = sum p(2z - p);
    # 1/2 ||q||^2 is exactly 1/2 for one-hot rows, and makes L >= 0 with L = 0 iff p = q
    return -np.sum(Y * z, axis=-1) + 0.5 * np.sum(f * (2 * z - f), axis=-1) + 0.5 * np.sum(Y * Y, axis=-1), f - Y


LOSSES: dict[str, Loss] = {
    "squared": Loss(_squared, None, classification=False, df=_squared_df),
    "cross_entropy": Loss(_cross_entropy, "softmax", classification=True),
    "binary_cross_entropy": Loss(_binary_cross_entropy, "sigmoid", classification=True),
    "sparsemax": Loss(_sparsemax_loss, "sparsemax", classification=True),
}


def pairs() -> list[tuple[str, str]]:
    """Every valid (output map, loss): a fused loss with its own map, a loss on f with every
    map of the registry (read at call time, so a newly registered map is included)."""
    return [
        (out, name)
        for name, loss in sorted(LOSSES.items())
        for out in sorted(ACTIVATIONS)
        if loss.output in (None, out)
    ]


def check_pair(output: str, loss: str) -> None:
    """Raise ValueError unless `loss` is known and can follow the output map `output`."""
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; allowed: {sorted(LOSSES)}")
    if output not in ACTIVATIONS:
        raise ValueError(f"unknown output map {output!r}; allowed: {sorted(ACTIVATIONS)}")
    need = LOSSES[loss].output
    if need is not None and need != output:
        raise ValueError(f"loss {loss!r} needs output map {need!r}, got {output!r}")


def loss_value_and_grad(output: str, loss: str, z, f, Y):
    """Per-sample loss (..., B) and its gradient at the output pre-activation (..., B, C)."""
    check_pair(output, loss)
    return LOSSES[loss].value_and_grad(z, f, Y, ACTIVATIONS[output])
