"""Mini-batch SGD for an ensemble of M networks trained in one vectorised loop.

theta <- theta - eta * (lambda grad Omega + (1/|batch|) sum_{i in batch} grad L_i).
Batches are consecutive blocks of B points of the (optionally reshuffled) training
order; when B does not divide N, the leftover points of an epoch join the first batch of
the next epoch (TensorFlow Playground's carry-over), so B = N is full-batch gradient
descent and B = 1 is SGD. Without reshuffling the order is fixed, as in Playground.

The steps are `mlp.engine`'s (a layout chosen from the layer sizes; small nets in a
fixed summation order, the same bits on every CPU); `gradient` exposes the step's
gradient. Divergence: the first step, every CHECK_STEPS-th step and the last also return
each member's batch loss (evaluating the loss costs as much as the rest of a tiny step);
a member whose checked batch loss is non-finite or exceeds DIVERGENCE_FACTOR x max(its
first batch loss, 1) is marked diverged in the epoch of that check (so up to CHECK_STEPS
steps after it happened), its parameters are NaN in the result, and the others go on.
"""

import time
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from mlp.data import Split
from mlp.engine import engine_for
from mlp.losses import LOSSES, loss_value_and_grad
from mlp.network import Net, check_input
from mlp.ordered import tree_sum

CHECK_STEPS = 16  # steps between divergence checks (a checked step also evaluates the loss)
DIVERGENCE_FACTOR = 1e3  # a batch loss above this factor of max(first batch loss, 1) is divergence
PROGRESS_SECONDS = 5.0  # least time between two progress calls


class Result(NamedTuple):
    params: list  # final parameters; members that diverged are NaN
    history: dict[str, np.ndarray]  # columns member, epoch, train_loss, test_loss[, train_acc, test_acc]
    diverged_at: np.ndarray  # (M,) epoch in which a member was found diverged (see module doc), -1 if never


def accuracy(net: Net, f: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Fraction of correct decisions per member: argmax for C > 1, else a threshold at
    the middle of the output's range (0.5 for sigmoid, 0 for tanh and linear +-1 labels)."""
    if f.shape[-1] > 1:
        return np.mean(f.argmax(-1) == Y.argmax(-1), axis=-1)
    t = 0.5 if net.output == "sigmoid" else 0.0
    return np.mean((f[..., 0] > t) == (Y[..., 0] > t), axis=-1)


def evaluate(net: Net, params, X, Y, classify: bool):
    """Mean data loss per member of the nets `params` on inputs X (shared (N, D) or per member
    (M, N, D)) and targets Y, and accuracy if `classify`; computed by the training engine, so
    the values are those `train` records."""
    engine = engine_for(net, params, 1.0, 0.0)
    return _evaluate(net, engine, engine.inputs(X), engine.targets(Y), classify)


def _evaluate(net: Net, engine, X, Y, classify: bool):
    """Mean data loss per member on inputs X and targets Y in the engine's layout, and
    accuracy if `classify`. The mean is a fixed-order sum: a member's value is the same bits
    in any ensemble."""
    z, f = engine.predict(X)
    Y = engine.members_first(Y)
    losses, _ = loss_value_and_grad(net.output, net.loss, z, f, Y)
    return tree_sum(losses.copy(), -1) / losses.shape[-1], (accuracy(net, f, Y) if classify else None)


def _per_member(A: np.ndarray, M: int) -> np.ndarray:
    return A if A.ndim == 3 else np.broadcast_to(A, (M, *A.shape))


def gradient(net: Net, params, X, Y, l2: float = 0.0):
    """The training step's gradient of lambda Omega + mean loss on the batch (X, Y) (shared
    (B, D) or per member (M, B, D)), as [(grad_W, grad_b)] in params' layout."""
    M = params[0][0].shape[0]
    check_input(params, X)
    engine = engine_for(net, params, 1.0, l2)
    dtype = params[0][0].dtype
    X, Y = (_per_member(np.asarray(A, dtype), M) for A in (X, Y))
    engine.gradient(engine.inputs(X), engine.targets(Y))
    return engine.grads()


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
    progress: Callable[[int, int], None] | None = None,
) -> Result:
    """Train M = params[0][0].shape[0] networks together; returns a new parameter list.

    shuffle_rngs: one Generator per member to reshuffle its training order every epoch,
      or None for Playground's fixed order.
    eval_epochs: epochs (0 = before training) at which train/test loss is recorded;
      default every epoch.
    classify: record accuracy; default True for the classification losses.
    progress: called as progress(epoch, epochs) after an epoch when PROGRESS_SECONDS have
      passed since the last call (or the start), and after the last epoch: signs of life.
    Divergence (a member's loss non-finite or grown DIVERGENCE_FACTOR-fold): see the module.
    """
    M = params[0][0].shape[0]
    _check_arguments(params, M, data.X_train.shape[-2], lr, batch_size, epochs, shuffle_rngs)
    classify = LOSSES[net.loss].classification if classify is None else classify
    record = set(range(epochs + 1)) if eval_epochs is None else {e for e in eval_epochs if 0 <= e <= epochs}
    engine = engine_for(net, params, lr, l2)
    (X, Y), test = _engine_data(engine, params, data, check=epochs > 0)
    divergence = _Divergence(engine)
    logged = []  # (epoch, {column: (M,) values})

    def log(epoch):
        with np.errstate(over="ignore", invalid="ignore"):
            tr, tr_acc = _evaluate(net, engine, X, Y, classify)
            te, te_acc = _evaluate(net, engine, *test, classify)
        cols = {"train_loss": tr, "test_loss": te} | ({"train_acc": tr_acc, "test_acc": te_acc} if classify else {})
        logged.append((epoch, {k: np.where(divergence.alive, v, np.nan) for k, v in cols.items()}))  # diverged: NaN

    if 0 in record:
        log(0)
    steps, last_call = 0, time.monotonic()
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch, Xb, Yb, epoch_done in _batches(engine, X, Y, batch_size, epochs, shuffle_rngs):
            steps += 1
            last = epoch == epochs and epoch_done
            losses = engine.step(Xb, Yb, with_loss=steps == 1 or steps % CHECK_STEPS == 0 or last)
            if losses is not None:
                divergence.check(losses, epoch)
            if epoch_done and epoch in record:
                log(epoch)
            if epoch_done and progress is not None and (last or time.monotonic() - last_call >= PROGRESS_SECONDS):
                progress(epoch, epochs)
                last_call = time.monotonic()
    return _result(engine, divergence, logged, M)


def train_schedule(net: Net, params, data: Split, schedule, *, eval_epochs=(), **kwargs) -> Result:
    """`train` on a piecewise-constant learning rate, schedule = [{"lr": ..., "epochs": ...}, ...]:
    each segment starts from the previous one's parameters, and shuffle_rngs (in kwargs) run on.
    eval_epochs, the history's epochs and diverged_at count from the start of the schedule;
    an epoch on a segment boundary is recorded once (at the end of the earlier segment)."""
    start, parts, diverged_at = 0, [], None
    for i, segment in enumerate(schedule):
        E = segment["epochs"]
        local = [e - start for e in eval_epochs if start < e <= start + E or (i == 0 and e == 0)]
        res = train(net, params, data, lr=segment["lr"], epochs=E, eval_epochs=local, **kwargs)
        parts.append({**res.history, "epoch": res.history["epoch"] + start})
        now = np.where(res.diverged_at >= 0, res.diverged_at + start, -1)
        diverged_at = now if diverged_at is None else np.where(diverged_at >= 0, diverged_at, now)
        params, start = res.params, start + E
    columns = max(parts, key=len)  # a segment that recorded nothing has no loss columns
    return Result(params, {k: np.concatenate([p[k] for p in parts if k in p]) for k in columns}, diverged_at)


def _engine_data(engine, params, data: Split, check: bool):
    """(train inputs, targets), (test inputs, targets) in the engine's layout and the params'
    dtype, per member; with `check`, the shape checks objective makes on every batch, made once."""
    M, dtype = params[0][0].shape[0], params[0][0].dtype
    X, Y = (_per_member(A.astype(dtype, copy=False), M) for A in (data.X_train, data.Y_train))
    if check:
        check_input(params, X)
        N, C = X.shape[-2], params[-1][0].shape[-2]
        if Y.shape[-1] != C or Y.shape[-2] != N:
            raise ValueError(f"targets must have shape (..., {N}, {C}), got {Y.shape}")
    X_test, Y_test = (_per_member(A.astype(dtype, copy=False), M) for A in (data.X_test, data.Y_test))
    return (engine.inputs(X), engine.targets(Y)), (engine.inputs(X_test), engine.targets(Y_test))


def _result(engine, divergence, logged, M: int) -> Result:
    """The trained parameters (NaN for diverged members) and the recorded history as columns."""
    alive = divergence.alive
    final = [
        (np.where(alive[:, None, None], W, np.nan), np.where(alive[:, None], b, np.nan)) for W, b in engine.params()
    ]
    history = {
        "member": np.tile(np.arange(M), len(logged)),
        "epoch": np.repeat(np.array([e for e, _ in logged], dtype=np.int64), M),
        **{k: np.concatenate([cols[k] for _, cols in logged]) for k in (logged[0][1] if logged else ())},
    }
    return Result(final, history, divergence.diverged_at)


def _batches(engine, X, Y, B: int, epochs: int, shuffle_rngs):
    """(epoch, X batch, Y batch, last batch of the epoch) in the training schedule: consecutive
    blocks of B of each member's (reshuffled) order, the leftover points of an epoch joining
    the first batch of the next."""
    N = X.shape[1]
    n_full, carry = N // B, None
    for epoch in range(1, epochs + 1):
        if shuffle_rngs is None:
            Xe, Ye = X, Y
        else:
            order = np.stack([r.permutation(N) for r in shuffle_rngs])  # (M, N)
            Xe, Ye = engine.take(X, order), engine.take(Y, order)
        for k in range(n_full):
            Xb, Yb = Xe[:, k * B : (k + 1) * B], Ye[:, k * B : (k + 1) * B]
            if k == 0 and carry is not None:
                Xb, Yb = np.concatenate([carry[0], Xb], axis=1), np.concatenate([carry[1], Yb], axis=1)
            yield epoch, Xb, Yb, k == n_full - 1
        carry = (Xe[:, n_full * B :], Ye[:, n_full * B :]) if N % B else None


class _Divergence:
    """Members alive, and the epoch each was found diverged (-1: never): a checked batch loss
    non-finite or above DIVERGENCE_FACTOR x max(the member's first batch loss, 1)."""

    def __init__(self, engine):
        self.engine, self.limit = engine, None
        self.alive = np.ones(engine.M, dtype=bool)
        self.diverged_at = np.full(engine.M, -1)

    def check(self, losses, epoch):
        if self.limit is None:
            self.limit = DIVERGENCE_FACTOR * np.maximum(np.where(np.isfinite(losses), losses, 0.0), 1.0)
        bad = self.alive & ~(losses <= self.limit)  # NaN compares False
        if bad.any():
            self.alive[bad] = False
            self.diverged_at[bad] = epoch
            self.engine.zero(~self.alive)  # dead members compute on zeros: no overflow, no slowdown


def _check_arguments(params, M, N, lr, batch_size, epochs, shuffle_rngs):
    if not 1 <= batch_size <= N:
        raise ValueError(f"batch_size must lie in [1, {N}] (the training set size), got {batch_size!r}")
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr!r}")
    if epochs < 0:
        raise ValueError(f"epochs must be >= 0, got {epochs!r}")
    if shuffle_rngs is not None and len(shuffle_rngs) != M:
        raise ValueError(f"need one shuffle rng per member ({M}), got {len(shuffle_rngs)}")
    dtype = params[0][0].dtype
    if any(
        W.ndim != 3 or W.shape[0] != M or b.shape != (M, W.shape[1]) or {W.dtype, b.dtype} != {dtype} for W, b in params
    ):
        raise ValueError("params must be [(W (M, K_l, K_l-1), b (M, K_l)), ...] of one dtype, as init makes them")
