"""Relu's kink (C22): where relu is not differentiable, how often training meets it, and
whether the value chosen for relu'(0) changes what training produces.

relu(z) = max(0, z) has one-sided derivatives 0 and 1 at z = 0, so backpropagation must pick
a value there; the core's relu takes relu'(0) = 0 (as Playground does). The variants with
relu'(0) = 1/2 and 1 are registered at run time (`register`). They differ from the core's
relu only where a pre-activation is exactly 0, so two runs of the same seed stay bit-identical
until training meets an exact zero.

An exact zero of z = W h + b is either structural -- the unit's bias is exactly 0 and its whole
input h is exactly 0 (the origin point, or a point where every unit of the layer below is off),
so z = 0 in any summation order -- or a cancellation of non-zero terms, which rounding decides.
`zero_counts` counts both, so a table shows which kind training meets.
"""

import numpy as np

from mlp.activations import ACTIVATIONS, elementwise
from mlp.losses import loss_value_and_grad
from mlp.network import Net, forward
from mlp.params import flatten
from mlp.train import accuracy, train

CONVENTIONS = {"relu": 0.0, "relu_half": 0.5, "relu_one": 1.0}  # hidden activation -> relu'(0)
CORE = "relu"  # the core's relu, relu'(0) = 0: the reference of the paired comparisons


def relu_derivative(at_zero: float):
    """g'(z) = 1[z > 0] + at_zero 1[z = 0], writing into `out` (which may be z itself)."""

    def derivative(z, h, out=None):
        zero = z == 0  # before `out` (possibly z) is overwritten
        out = np.greater(z, 0, out=out) if out is not None else (z > 0).astype(z.dtype)
        np.copyto(out, at_zero, where=zero)
        return out

    return derivative


def register() -> dict[str, float]:
    """Register the relu variants of CONVENTIONS (idempotent); returns CONVENTIONS."""
    relu = ACTIVATIONS[CORE]
    for name, at_zero in CONVENTIONS.items():
        if name != CORE:
            ACTIVATIONS[name] = elementwise(relu.g, relu_derivative(at_zero))
    return CONVENTIONS


STEPS = 2.0 ** -np.arange(1, 41, 3)  # binary steps: z0 +- t is exact, so the quotients are too


def one_sided() -> list[dict]:
    """Difference quotients of relu at z0 in {-1, 0, 1}: right (g(z0 + t) - g(z0)) / t and left
    (g(z0) - g(z0 - t)) / t for each step t of STEPS, beside every convention's g'(z0)."""
    g = ACTIVATIONS[CORE].g
    rows = []
    for z0 in (-1.0, 0.0, 1.0):
        z = np.array([z0])
        derivs = {f"d_{name}": float(ACTIVATIONS[name].derivative(z, g(z))[0]) for name in CONVENTIONS}
        for t in STEPS:
            right = float((g(np.array([z0 + t])) - g(z))[0] / t)
            left = float((g(z) - g(np.array([z0 - t])))[0] / t)
            rows.append({"z0": z0, "step": t, "right": right, "left": left, **derivs})
    return rows


def zero_counts(net: Net, params, X) -> tuple[np.ndarray, np.ndarray, list]:
    """(exact zeros of z^(l), the structural ones among them), each (M, L) per member and hidden
    layer over the inputs X, and the forward cache. Structural: b_k^(l) = 0 and h^(l-1) = 0."""
    _, cache = forward(net, params, X)
    zeros, structural = [], []
    for l in range(1, net.L + 1):
        z, h_prev, b = cache[l][0], cache[l - 1][1], params[l - 1][1]
        zero = z == 0  # (M, B, K_l)
        quiet = np.all(h_prev == 0, axis=-1)[..., None] & (b == 0)[..., None, :]  # (M, B, K_l)
        zeros.append(zero.sum(axis=(-2, -1)))
        structural.append((zero & quiet).sum(axis=(-2, -1)))
    return np.stack(zeros, -1), np.stack(structural, -1), cache


def recorded_epochs(epochs: int, every: int) -> np.ndarray:
    """Epochs at which zeros are counted: 0, 1, ..., 10 (the start, where biases leave 0), then
    every `every`-th epoch, 90% of the budget (for stationarity) and the last."""
    start = np.arange(min(epochs, 10) + 1)
    return np.unique(np.r_[start, np.arange(0, epochs + 1, every), epochs * 9 // 10, epochs])


def trace(net: Net, params, data, *, lr: float, batch: int, epochs: int, every: int, shuffle_rngs=None) -> dict:
    """Train in segments between the recorded epochs (`recorded_epochs`; the same run as one
    `train` call: fixed order or the same shuffle streams, and a batch size dividing N, which
    plan.check demands) and at each recorded epoch count exact zeros on the training points and
    record the training loss and accuracy.

    Returns epochs (R,), zeros, structural (R, M, L), loss, acc (R, M), the final params and
    diverged (M,) (the recorded epoch by which a member diverged, -1 if never)."""
    M = params[0][0].shape[0]
    out = {k: [] for k in ("zeros", "structural", "loss", "acc")}

    def record(p):
        with np.errstate(over="ignore", invalid="ignore"):  # diverged members are NaN
            zeros, structural, cache = zero_counts(net, p, data.X_train)
            z, f = cache[-1]
            losses, _ = loss_value_and_grad(net.output, net.loss, z, f, data.Y_train)
            acc = accuracy(net, f, data.Y_train)
        for key, value in zip(out, (zeros, structural, losses.mean(-1), acc)):
            out[key].append(value)

    epochs_at = recorded_epochs(epochs, every)
    record(params)
    diverged = np.full(M, -1)
    for done, until in zip(epochs_at, epochs_at[1:]):
        res = train(
            net, params, data, lr=lr, batch_size=batch, epochs=until - done, eval_epochs=[], shuffle_rngs=shuffle_rngs
        )
        params = res.params
        diverged = np.where((diverged < 0) & (res.diverged_at >= 0), until, diverged)
        record(params)
    stacked = {k: np.stack(v) for k, v in out.items()}
    return {"epochs": epochs_at, **stacked, "params": params, "diverged": diverged}


def identical(params, reference) -> np.ndarray:
    """(M,) whether each member's parameters equal the reference's bit for bit."""
    return np.all(flatten(params) == flatten(reference), axis=1)
