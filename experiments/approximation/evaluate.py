"""Exact evaluation of wide one-hidden-layer nets on a 1-D grid in O((N + K) log K + band) time.

f(x) = c + sum_k a_k g(w_k x + b_k). Outside a band |z| < Z every activation here equals an
affine function of z to double precision (relu: 0 or z, with Z = 0; sigmoid: 0 or 1 beyond
|z| = 40, where 1 / (1 + e^-40) rounds to 1; tanh: -1 or 1 beyond |z| = 20). So each unit adds
an affine function of x on each side of its band, summed for all x by prefix sums over the
units sorted by band edge, and only the (point, unit) pairs inside a band are evaluated. The
explicit constructions (a transition band of a few points per unit) thus cost O(N) instead of
the O(N K) of a forward pass, which makes widths up to ~10^4 affordable; tests compare it with
`mlp.network.predict`.
"""

from typing import NamedTuple

import numpy as np

from mlp.activations import get_activation


class Asymptotes(NamedTuple):
    """g(z) = low_0 + low_1 z for z <= -Z and high_0 + high_1 z for z >= Z (to double precision)."""

    Z: float
    low: tuple[float, float]
    high: tuple[float, float]


ASYMPTOTES = {
    "relu": Asymptotes(0.0, (0.0, 0.0), (0.0, 1.0)),
    "sigmoid": Asymptotes(40.0, (0.0, 0.0), (1.0, 0.0)),
    "tanh": Asymptotes(20.0, (-1.0, 0.0), (1.0, 0.0)),
}


def _affine_sums(edges: np.ndarray, coef: np.ndarray, x: np.ndarray, below: bool) -> np.ndarray:
    """sum of coef[k, 0] + coef[k, 1] x over the units k with edges[k] <= x (below=False) or
    edges[k] >= x (below=True), for every x."""
    order = np.argsort(edges, kind="stable")
    e = edges[order]
    csum = np.vstack([np.zeros((1, 2)), np.cumsum(coef[order], axis=0)])  # (K + 1, 2) prefix sums
    s = csum[-1] - csum[np.searchsorted(e, x, side="left")] if below else csum[np.searchsorted(e, x, side="right")]
    return s[:, 0] + s[:, 1] * x


def evaluate(activation: str, params, x: np.ndarray) -> np.ndarray:
    """f(x) of one 1-D net [(W1 (K, 1), b1 (K,)), (W2 (1, K), b2 (1,))] at the points x (N,)."""
    if activation not in ASYMPTOTES:
        raise ValueError(f"no asymptotes for activation {activation!r}; allowed: {sorted(ASYMPTOTES)}")
    (W1, b1), (W2, b2) = params
    w, b, a = W1[:, 0], b1, W2[0]
    Z, (l0, l1), (h0, h1) = ASYMPTOTES[activation]
    x = np.asarray(x, dtype=float)
    up, down, flat = w > 0, w < 0, w == 0
    f = np.full(x.shape, b2[0] + np.sum(a[flat] * get_activation(activation).g(b[flat])))
    # unit k is on its high side (z >= Z) for x >= (Z - b)/w if w > 0, x <= (Z - b)/w if w < 0
    for side, (c0, c1), zb in (("high", (h0, h1), Z), ("low", (l0, l1), -Z)):
        for mask, above in ((up, side == "high"), (down, side == "low")):
            edge = (zb - b[mask]) / w[mask]
            coef = np.column_stack([a[mask] * (c0 + c1 * b[mask]), a[mask] * c1 * w[mask]])
            f += _affine_sums(edge, coef, x, below=not above)
    if Z > 0:  # inside the bands: the activation itself
        units = np.flatnonzero(~flat)
        lo, hi = np.sort([(-Z - b[units]) / w[units], (Z - b[units]) / w[units]], axis=0)
        xs_order = np.argsort(x, kind="stable")
        xs = x[xs_order]
        start, stop = np.searchsorted(xs, lo, side="right"), np.searchsorted(xs, hi, side="left")
        count = stop - start
        unit = np.repeat(units, count)  # one entry per (point, unit) pair inside a band
        point = xs_order[np.repeat(start, count) + np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)]
        np.add.at(f, point, a[unit] * get_activation(activation).g(w[unit] * x[point] + b[unit]))
    return f
