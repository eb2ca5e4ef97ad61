"""Activations g and output maps o, keyed by the lecture's names.

Each entry stores the value and a vector-Jacobian product `vjp(z, h, grad_h) -> grad_z`
with h = g(z); one signature covers elementwise maps (grad_h * g'(z)) and the maps onto
the simplex (softmax, sparsemax), whose Jacobians are not diagonal. Elementwise entries also
store g'(z) and come from `elementwise(g, g')`, whose functions take `out=` so that training
writes into reused buffers. Arrays may carry any leading axes; the last axis is the unit
axis, which softmax and sparsemax act on.
All values are finite and warning-free for |z| up to 1e4 (and beyond).
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from scipy.special import expit


class Activation(NamedTuple):
    g: Callable[..., np.ndarray]  # g(z[, out]); elementwise maps accept out=
    vjp: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
    derivative: Callable[..., np.ndarray] | None  # g'(z) from (z, h[, out]); None: not elementwise


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


EXP_SHIFT = 700.0  # below -EXP_SHIFT, libm's expit underflows to 0 before e^x does (x < -709)


def exp_nonpositive(x: np.ndarray) -> np.ndarray:
    """e^x for x <= 0 as s / (1 - s), s = expit(x), within (5 + |x|) ulp (measured).

    NumPy's float64 np.exp takes an AVX-512 path on CPUs that have it and returns other
    bits there; expit (libm-based) does not, so this keeps the output maps reproducible
    across CPUs. For x <= 0, s <= 1/2 and 1 - s is exact to half an ulp. Where x < -700
    (expit alone would flush e^x's subnormal range to 0), e^x = e^(x + m ln 2) 2^-m with
    whole m, and ldexp applies 2^-m exactly (rounding only into the subnormals)."""
    x = np.asarray(x)
    low = x < -EXP_SHIFT
    m = np.ceil((-EXP_SHIFT - x[low]) / np.log(2.0)) if low.any() else None
    if m is not None:
        x = x.copy()
        x[low] += m * np.log(2.0)
    s = expit(x)
    e = np.divide(s, np.subtract(1.0, s, dtype=s.dtype), out=s)
    if m is not None:
        e[low] = np.ldexp(e[low], -m.astype(np.int64))
    return e


def logsumexp(z: np.ndarray) -> np.ndarray:
    """log sum_c e^(z_c) over the last axis, folded left to right with np.logaddexp (libm
    log1p/exp: the same bits on every CPU, stable for any z)."""
    return np.logaddexp.reduce(z, axis=-1)


def softmax(z: np.ndarray) -> np.ndarray:
    """e^(z_c - logsumexp(z)) over the last axis, via `exp_nonpositive` (CPU-independent).
    Relative error about (3 + |logsumexp z|) ulp (the rounding of logsumexp moves every
    exponent), e.g. 1e-14 at |z| ~ 30; the sum is 1 to the same precision."""
    return exp_nonpositive(np.minimum(z - logsumexp(z)[..., None], 0.0))


def _softmax_vjp(z, h, grad_h):
    # J = diag(h) - h h^T, so J^T g = h * (g - <h, g>)
    return h * (grad_h - np.sum(h * grad_h, axis=-1, keepdims=True))


def _sparsemax_vjp(z, h, grad_h):
    # J = diag(s) - s s^T / |S| on the support S (s its indicator): zero grad_h off the
    # support and subtract its mean over the support
    s = h > 0
    g_s = np.where(s, grad_h, 0.0)
    return np.where(s, g_s - g_s.sum(-1, keepdims=True) / s.sum(-1, keepdims=True), 0.0)


def elementwise(g, derivative) -> Activation:
    """An elementwise activation from g(z, out=None) and g'(z, h, out=None) (h = g(z)), with
    vjp grad_h * g'(z). `out` lets the training step write into reused buffers."""
    return Activation(g, lambda z, h, grad_h: grad_h * derivative(z, h), derivative)


def _into(value, out):
    """value, or value copied into out (for maps that have no ufunc to write with)."""
    if out is None:
        return value
    np.copyto(out, value)
    return out


def _identity(z, out=None):
    return _into(z, out)


def _constant(c):
    def derivative(z, h, out=None):
        if out is None:
            return np.full_like(z, c)
        out.fill(c)
        return out

    return derivative


def _sigmoid(z, out=None):
    """sigma(z) = 1/2 + 1/2 tanh(z/2): np.tanh is SIMD-fast and the same bits on every CPU
    (scipy's expit calls libm's exp per value, ~7x slower). Within 2.3e-16 of expit
    (absolute); 0 for z below about -37.4, where expit gives values under 5e-17."""
    out = np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    np.multiply(out, 0.5, out=out)
    return np.add(out, 0.5, out=out)


def _sigmoid_derivative(z, h, out=None):
    out = np.subtract(1.0, h, out=out)  # sigma' = sigma (1 - sigma)
    return np.multiply(out, h, out=out)


def _tanh_derivative(z, h, out=None):
    out = np.multiply(h, h, out=out)  # tanh' = 1 - tanh^2
    return np.subtract(1.0, out, out=out)


def _relu(z, out=None):
    return np.maximum(z, 0.0, out=out)


def _relu_derivative(z, h, out=None):  # relu'(0) = 0
    return np.greater(z, 0, out=out) if out is not None else (z > 0).astype(z.dtype)


def _sign(z, out=None):
    """McCulloch-Pitts threshold unit sgn(z), with sgn(0) = +1."""
    return _into(np.where(z >= 0, 1.0, -1.0).astype(z.dtype), out)


ACTIVATIONS: dict[str, Activation] = {
    "linear": elementwise(_identity, _constant(1.0)),
    "sigmoid": elementwise(_sigmoid, _sigmoid_derivative),
    "tanh": elementwise(np.tanh, _tanh_derivative),
    "relu": elementwise(_relu, _relu_derivative),
    "sign": elementwise(_sign, _constant(0.0)),  # its derivative is 0 almost everywhere
    "softmax": Activation(softmax, _softmax_vjp, None),
    "sparsemax": Activation(sparsemax, _sparsemax_vjp, None),
}


def elementwise_names() -> list[str]:
    """Activations acting unit by unit (usable as hidden g), read from the registry now."""
    return sorted(k for k, a in ACTIVATIONS.items() if a.derivative is not None)


def simplex_names() -> list[str]:
    """Maps onto the probability simplex (softmax, sparsemax), read from the registry now."""
    return sorted(k for k, a in ACTIVATIONS.items() if a.derivative is None)


def get_activation(name: str, allowed: list[str] | None = None) -> Activation:
    """The registry entry for `name`; ValueError quoting the name and the allowed ones."""
    allowed = sorted(ACTIVATIONS) if allowed is None else allowed
    if name not in allowed:
        raise ValueError(f"unknown activation {name!r}; allowed: {allowed}")
    return ACTIVATIONS[name]
