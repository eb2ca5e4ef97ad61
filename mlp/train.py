"""Mini-batch SGD for an ensemble of M networks trained in one vectorised loop.

theta <- theta - eta * (lambda grad Omega + (1/|batch|) sum_{i in batch} grad L_i).
Batches are consecutive blocks of B points of the (optionally reshuffled) training
order; when B does not divide N, the leftover points of an epoch join the first batch of
the next epoch (TensorFlow Playground's carry-over), so B = N is full-batch gradient
descent and B = 1 is SGD. Without reshuffling the order is fixed, as in Playground.
"""

from typing import NamedTuple

import numpy as np
import pandas as pd

from mlp.losses import loss_value_and_grad
from mlp.network import Net, forward, objective

CLASSIFICATION_LOSSES = ("cross_entropy", "binary_cross_entropy", "sparsemax")


class Split(NamedTuple):
    """Train and test data: X (N, D) shared or (M, N, D) per member; Y (.., N, C)."""

    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray


class Result(NamedTuple):
    params: list  # final parameters; members that diverged are NaN
    history: pd.DataFrame  # member, epoch, train_loss, test_loss[, train_acc, test_acc]
    diverged_at: np.ndarray  # (M,) epoch in which a member's loss became non-finite, -1 if never


def accuracy(net: Net, f: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Fraction of correct decisions per member: argmax for C > 1, else a threshold at
    the middle of the output's range (0.5 for sigmoid, 0 for tanh and linear +-1 labels)."""
    if f.shape[-1] > 1:
        return np.mean(f.argmax(-1) == Y.argmax(-1), axis=-1)
    t = 0.5 if net.output == "sigmoid" else 0.0
    return np.mean((f[..., 0] > t) == (Y[..., 0] > t), axis=-1)


def evaluate(net: Net, params, X, Y, classify: bool):
    """Mean data loss per member, and accuracy if `classify`."""
    f, cache = forward(net, params, X)
    losses, _ = loss_value_and_grad(net.output, net.loss, cache[-1][0], f, Y)
    return losses.mean(-1), (accuracy(net, f, Y) if classify else None)


def _per_member(A: np.ndarray, M: int) -> np.ndarray:
    return A if A.ndim == 3 else np.broadcast_to(A, (M, *A.shape))


def train(
    net: Net,
    params,
    data: Split,
    *,
    lr: float,
    batch_size: int,
    epochs: int,
    l2: float = 0.0,
    shuffle_rngs=None,
    eval_epochs=None,
    classify: bool | None = None,
) -> Result:
    """Train M = params[0][0].shape[0] networks together; returns a new parameter list.

    shuffle_rngs: one Generator per member to reshuffle its training order every epoch,
      or None for Playground's fixed order.
    eval_epochs: epochs (0 = before training) at which train/test loss is recorded;
      default every epoch.
    classify: record accuracy; default True for the classification losses.
    A member whose batch objective becomes non-finite is marked diverged, its
    parameters are set to NaN in the result, and the others go on.
    """
    M = params[0][0].shape[0]
    N = data.X_train.shape[-2]
    if not 1 <= batch_size <= N:
        raise ValueError(f"batch_size must lie in [1, {N}] (the training set size), got {batch_size!r}")
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr!r}")
    if epochs < 0:
        raise ValueError(f"epochs must be >= 0, got {epochs!r}")
    if shuffle_rngs is not None and len(shuffle_rngs) != M:
        raise ValueError(f"need one shuffle rng per member ({M}), got {len(shuffle_rngs)}")
    classify = net.loss in CLASSIFICATION_LOSSES if classify is None else classify
    dtype = params[0][0].dtype
    X, Y = (_per_member(A.astype(dtype, copy=False), M) for A in (data.X_train, data.Y_train))
    X_test, Y_test = (A.astype(dtype, copy=False) for A in (data.X_test, data.Y_test))
    record = set(range(epochs + 1)) if eval_epochs is None else {e for e in eval_epochs if 0 <= e <= epochs}

    params = [(W.copy(), b.copy()) for W, b in params]
    alive = np.ones(M, dtype=bool)
    diverged_at = np.full(M, -1)
    rows = []

    def log(epoch):
        with np.errstate(over="ignore", invalid="ignore"):
            tr, tr_acc = evaluate(net, params, X, Y, classify)
            te, te_acc = evaluate(net, params, X_test, Y_test, classify)
        cols = {"train_loss": tr, "test_loss": te}
        if classify:
            cols |= {"train_acc": tr_acc, "test_acc": te_acc}
        cols = {k: np.where(alive, v, np.nan) for k, v in cols.items()}  # diverged: NaN
        rows.append(pd.DataFrame({"member": np.arange(M), "epoch": epoch, **cols}))

    n_full = N // batch_size
    carry = None  # leftover (X, Y) of the previous epoch
    if 0 in record:
        log(0)
    for epoch in range(1, epochs + 1):
        if shuffle_rngs is None:
            Xe, Ye = X, Y
        else:
            order = np.stack([r.permutation(N) for r in shuffle_rngs])[..., None]  # (M, N, 1)
            Xe, Ye = np.take_along_axis(X, order, axis=1), np.take_along_axis(Y, order, axis=1)
        for k in range(n_full):
            Xb, Yb = Xe[:, k * batch_size : (k + 1) * batch_size], Ye[:, k * batch_size : (k + 1) * batch_size]
            if k == 0 and carry is not None:
                Xb, Yb = np.concatenate([carry[0], Xb], axis=1), np.concatenate([carry[1], Yb], axis=1)
            with np.errstate(over="ignore", invalid="ignore"):
                obj, _, grads = objective(net, params, Xb, Yb, l2)
                params = [(W - lr * gW, b - lr * gb) for (W, b), (gW, gb) in zip(params, grads)]
            bad = alive & ~np.isfinite(obj)
            if bad.any():
                alive &= ~bad
                diverged_at[bad] = epoch
                params = [(np.where(alive[:, None, None], W, 0), np.where(alive[:, None], b, 0)) for W, b in params]
        carry = (Xe[:, n_full * batch_size :], Ye[:, n_full * batch_size :]) if N % batch_size else None
        if epoch in record:
            log(epoch)

    final = [(np.where(alive[:, None, None], W, np.nan), np.where(alive[:, None], b, np.nan)) for W, b in params]
    history = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    return Result(final, history, diverged_at)
