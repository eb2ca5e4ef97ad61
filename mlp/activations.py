"""Activations g and output maps o, keyed by the lecture's names.

Each entry stores the value and a vector-Jacobian product `vjp(z, h, grad_h) -> grad_z`
with h = g(z); one signature covers elementwise maps (grad_h * g'(z)) and the maps onto
the simplex (softmax, sparsemax), whose Jacobians are not diagonal. Arrays may carry any
leading axes; the last axis is the unit axis, which softmax and sparsemax act on.
All values are finite and warning-free for |z| up to 1e4 (and beyond).
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from scipy.special import expit
from scipy.special import softmax as _softmax


class Activation(NamedTuple):
    g: Callable[[np.ndarray], np.ndarray]
    vjp: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray, np.ndarray], np.ndarray] | None  # g'(z) from (z, h)


def sparsemax(z: np.ndarray) -> np.ndarray:
    """Euclidean projection of z onto the simplex: max(z - tau, 0) with sum 1 (sort-based).

    tau = (sum_{j<=k} z_(j) - 1) / k for the largest k with 1 + k z_(k) > sum_{j<=k} z_(j),
    z_(j) sorted in decreasing order (Martins and Astudillo, 2016).
    """
    z = np.asarray(z, dtype=float)
    z_sorted = -np.sort(-z, axis=-1)
    cumsum = np.cumsum(z_sorted, axis=-1)
    k = np.arange(1, z.shape[-1] + 1)
    support = 1 + k * z_sorted > cumsum
    k_z = np.count_nonzero(support, axis=-1)[..., None]  # (..., 1), at least 1
    tau = (np.take_along_axis(cumsum, k_z - 1, axis=-1) - 1) / k_z
    return np.maximum(z - tau, 0.0)


def _softmax_vjp(z, h, grad_h):
    # J = diag(h) - h h^T, so J^T g = h * (g - <h, g>)
    return h * (grad_h - np.sum(h * grad_h, axis=-1, keepdims=True))


def _sparsemax_vjp(z, h, grad_h):
    # J = diag(s) - s s^T / |S| on the support S (s its indicator): zero grad_h off the
    # support and subtract its mean over the support
    s = h > 0
    g_s = np.where(s, grad_h, 0.0)
    return np.where(s, g_s - g_s.sum(-1, keepdims=True) / s.sum(-1, keepdims=True), 0.0)


ACTIVATIONS: dict[str, Activation] = {  # vjp(z, h, grad_h) = grad_h * g'(z), in the fewest operations
    "linear": Activation(lambda z: z, lambda z, h, grad_h: grad_h, lambda z, h: np.ones_like(z)),
    "sigmoid": Activation(expit, lambda z, h, grad_h: grad_h * (h * (1 - h)), lambda z, h: h * (1 - h)),
    "tanh": Activation(np.tanh, lambda z, h, grad_h: grad_h * (1 - h**2), lambda z, h: 1 - h**2),
    "relu": Activation(
        lambda z: np.maximum(z, 0.0), lambda z, h, grad_h: grad_h * (z > 0), lambda z, h: (z > 0).astype(z.dtype)
    ),
    # McCulloch-Pitts threshold unit sgn(z) (sgn(0) = +1); its derivative is 0 almost everywhere
    "sign": Activation(
        lambda z: np.where(z >= 0, 1.0, -1.0).astype(z.dtype),
        lambda z, h, grad_h: np.zeros_like(grad_h),
        lambda z, h: np.zeros_like(z),
    ),
    "softmax": Activation(lambda z: _softmax(z, axis=-1), _softmax_vjp, None),
    "sparsemax": Activation(sparsemax, _sparsemax_vjp, None),
}
ELEMENTWISE = sorted(k for k, a in ACTIVATIONS.items() if a.derivative is not None)
SIMPLEX_MAPS = sorted(k for k, a in ACTIVATIONS.items() if a.derivative is None)


def get_activation(name: str, allowed: list[str] | None = None) -> Activation:
    """The registry entry for `name`; ValueError quoting the name and the allowed ones."""
    allowed = sorted(ACTIVATIONS) if allowed is None else allowed
    if name not in allowed:
        raise ValueError(f"unknown activation {name!r}; allowed: {allowed}")
    return ACTIVATIONS[name]
