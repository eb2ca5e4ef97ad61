"""Mini-batch SGD for an ensemble of M networks trained in one vectorised loop.

theta <- theta - eta * (lambda grad Omega + (1/|batch|) sum_{i in batch} grad L_i).
Batches are consecutive blocks of B points of the (optionally reshuffled) training
order; when B does not divide N, the leftover points of an epoch join the first batch of
the next epoch (TensorFlow Playground's carry-over), so B = N is full-batch gradient
descent and B = 1 is SGD. Without reshuffling the order is fixed, as in Playground.

Implementation: the parameters of all layers and members live in one buffer (and their
gradients in another), each layer's [W | b] a view, so a step is one batched product per
layer and direction plus one update; it computes `mlp.network.objective`'s gradient (up to
rounding order) followed by theta - lr * grad.
"""

from typing import NamedTuple

import numpy as np

from mlp.activations import ACTIVATIONS
from mlp.data import Split
from mlp.losses import LOSSES, loss_value_and_grad
from mlp.network import Net, _check_input, _matmul, forward, omega


class Result(NamedTuple):
    params: list  # final parameters; members that diverged are NaN
    history: dict[str, np.ndarray]  # columns member, epoch, train_loss, test_loss[, train_acc, test_acc]
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


class _FlatSGD:
    """SGD on M nets whose parameters live in one flat buffer P, layer by layer: layer l is
    the contiguous block A_l = [W_l | b_l] of shape (M, K_l, K_{l-1} + 1), so with a column
    of ones appended to its input, z = [h, 1] A^T and [grad_W | grad_b] = grad_z^T [h, 1]
    are one batched product each, and the update of all layers is one operation on P.
    Gradients live in G, alike. Activations and their gradients go into buffers kept per
    batch size, so a step allocates only the loss's (M, B, C) arrays."""

    def __init__(self, net: Net, params, lr: float, l2: float):
        M, dtype = params[0][0].shape[0], params[0][0].dtype
        shapes = [(M, *W.shape[1:-1], W.shape[-1] + 1) for W, _ in params]
        bounds = np.cumsum([0] + [np.prod(shape) for shape in shapes])  # layer l is [bounds[l], bounds[l + 1])
        self.P, self.G = np.empty(bounds[-1], dtype), np.empty(bounds[-1], dtype)
        self.A, self.gA = (
            [buf[lo:hi].reshape(shape) for lo, hi, shape in zip(bounds, bounds[1:], shapes)] for buf in (self.P, self.G)
        )  # views
        for A, (W, b) in zip(self.A, params):
            A[..., :-1], A[..., -1] = W, b
        self.W = [A[..., :-1] for A in self.A]
        self.AT = [A.swapaxes(-1, -2) for A in self.A]
        self.hidden, self.out = ACTIVATIONS[net.hidden], ACTIVATIONS[net.output]
        self.elementwise = self.hidden.derivative is not None
        self.value_and_grad = LOSSES[net.loss].value_and_grad
        self.lr, self.l2 = lr, l2
        self.buffers = {}  # batch size -> per hidden layer (z, h, grad_h, [h, 1])

    def params(self):
        return [(A[..., :-1], A[..., -1]) for A in self.A]

    def _buffers(self, B):
        if B not in self.buffers:
            M, dtype = self.A[0].shape[0], self.P.dtype
            self.buffers[B] = [
                (*(np.empty((M, B, K), dtype) for _ in range(3)), np.ones((M, B, K + 1), dtype))
                for K in (A.shape[1] for A in self.A[:-1])
            ]
        return self.buffers[B]

    def step(self, Xb, Yb):
        """theta <- theta - lr * grad on a batch whose inputs Xb (M, B, D + 1) already carry
        the column of ones; returns (M,) values, all finite iff every member's objective is."""
        buffers = self._buffers(Xb.shape[-2])
        ins = [Xb, *(h1 for *_, h1 in buffers)]  # [h^(l), 1] for l = 0..L
        for l, (z, h, _, h1) in enumerate(buffers):  # hidden layers: z^(l) = W^(l) h^(l-1) + b^(l)
            z = _matmul(ins[l], self.AT[l], out=z)
            if self.elementwise:  # into contiguous h: strided writes are slow for narrow layers
                h1[..., :-1] = self.hidden.g(z, out=h)
            else:  # a simplex map as hidden activation
                h1[..., :-1] = h[...] = self.hidden.g(z)
        z = _matmul(ins[-1], self.AT[-1])  # output layer: (M, B, C)
        losses, grad_z = self.value_and_grad(z, self.out.g(z), Yb, self.out)
        grad_z /= Xb.shape[-2]  # the gradient of the batch mean
        for l in range(len(self.A) - 1, -1, -1):  # for l from L+1 down to 1
            np.matmul(grad_z.swapaxes(-1, -2), ins[l], out=self.gA[l])  # [grad_W | grad_b] = grad_z [h, 1]^T
            if l:
                z, h, grad_h, _ = buffers[l - 1]
                grad_h = _matmul(grad_z, self.W[l], out=grad_h)  # W^T grad_z
                if self.elementwise:  # grad_z = grad_h * g'(z), in place; g'(z) overwrites z
                    grad_z = np.multiply(grad_h, self.hidden.derivative(z, h, out=z), out=grad_h)
                else:
                    grad_z = self.hidden.vjp(z, h, grad_h)
        obj = np.add.reduce(losses, axis=-1)  # finite iff the member's mean loss is
        if self.l2:
            obj = obj + self.l2 * omega((W, None) for W in self.W)
            for gA, W in zip(self.gA, self.W):
                gA[..., :-1] += self.l2 * W
        self.G *= self.lr
        self.P -= self.G
        return obj

    def zero(self, dead):
        for A in self.A:
            A[dead] = 0


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
    classify = LOSSES[net.loss].classification if classify is None else classify
    dtype = params[0][0].dtype
    X, Y = (_per_member(A.astype(dtype, copy=False), M) for A in (data.X_train, data.Y_train))
    X_test, Y_test = (A.astype(dtype, copy=False) for A in (data.X_test, data.Y_test))
    record = set(range(epochs + 1)) if eval_epochs is None else {e for e in eval_epochs if 0 <= e <= epochs}

    if any(
        W.ndim != 3 or W.shape[0] != M or b.shape != (M, W.shape[1]) or {W.dtype, b.dtype} != {dtype} for W, b in params
    ):
        raise ValueError("params must be [(W (M, K_l, K_l-1), b (M, K_l)), ...] of one dtype, as init makes them")
    if epochs:  # the shape checks objective makes on every batch, made once
        _check_input(params, X)
        if Y.shape[-1] != params[-1][0].shape[-2] or Y.shape[-2] != N:
            raise ValueError(f"targets must have shape (..., {N}, {params[-1][0].shape[-2]}), got {Y.shape}")
    sgd = _FlatSGD(net, params, lr, l2)
    X_steps = np.concatenate([X, np.ones((M, N, 1), dtype)], axis=-1)  # inputs with the column of ones
    Y_steps = np.ascontiguousarray(Y)  # per member: ufuncs on broadcast (stride-0) views are slower
    alive = np.ones(M, dtype=bool)
    diverged_at = np.full(M, -1)
    logged = []  # (epoch, {column: (M,) values})

    def log(epoch):
        p = sgd.params()
        with np.errstate(over="ignore", invalid="ignore"):
            tr, tr_acc = evaluate(net, p, X, Y, classify)
            te, te_acc = evaluate(net, p, X_test, Y_test, classify)
        cols = {"train_loss": tr, "test_loss": te}
        if classify:
            cols |= {"train_acc": tr_acc, "test_acc": te_acc}
        logged.append((epoch, {k: np.where(alive, v, np.nan) for k, v in cols.items()}))  # diverged: NaN

    n_full = N // batch_size
    carry = None  # leftover (X, Y) of the previous epoch
    if 0 in record:
        log(0)
    step, isfinite = sgd.step, np.isfinite
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(1, epochs + 1):
            if shuffle_rngs is None:
                Xe, Ye = X_steps, Y_steps
            else:
                order = np.stack([r.permutation(N) for r in shuffle_rngs])[..., None]  # (M, N, 1)
                Xe, Ye = np.take_along_axis(X_steps, order, axis=1), np.take_along_axis(Y_steps, order, axis=1)
            for k in range(n_full):
                Xb, Yb = Xe[:, k * batch_size : (k + 1) * batch_size], Ye[:, k * batch_size : (k + 1) * batch_size]
                if k == 0 and carry is not None:
                    Xb, Yb = np.concatenate([carry[0], Xb], axis=1), np.concatenate([carry[1], Yb], axis=1)
                obj = step(Xb, Yb)
                if not isfinite(obj).all():
                    bad = alive & ~isfinite(obj)
                    if bad.any():
                        alive &= ~bad
                        diverged_at[bad] = epoch
                        sgd.zero(~alive)
            carry = (Xe[:, n_full * batch_size :], Ye[:, n_full * batch_size :]) if N % batch_size else None
            if epoch in record:
                log(epoch)

    final = [(np.where(alive[:, None, None], W, np.nan), np.where(alive[:, None], b, np.nan)) for W, b in sgd.params()]
    history = {
        "member": np.tile(np.arange(M), len(logged)),
        "epoch": np.repeat(np.array([e for e, _ in logged], dtype=np.int64), M),
        **{k: np.concatenate([cols[k] for _, cols in logged]) for k in (logged[0][1] if logged else ())},
    }
    return Result(final, history, diverged_at)
