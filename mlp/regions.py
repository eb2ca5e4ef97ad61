"""Exact counting of the regions of one relu net on an interval or segment (1-D) or a box (2-D).

params = [(W1, b1), ..., (W_{L+1}, b_{L+1})], z = W h + b, W of shape (K_l, K_{l-1}); hidden
layers relu, the last layer affine. A unit is on where z > 0.

* Activation region: a maximal piece of positive length (1-D) or area (2-D) with one
  activation pattern. Each pattern is one convex piece.
* Linear region: adjacent activation regions with the same output affine map, merged (equal
  output gradients suffice, as the output is continuous across their boundary).

The counts must not depend on the CPU: products are fixed-order elementwise sums (no BLAS)
and every sign is decided with a margin relative to the magnitude of its terms, with a tally
of the decisions inside the noise band (mlp.decisions). Pieces thinner than ~2^-36 of that
magnitude scale are not resolved.
"""

from typing import NamedTuple

import numpy as np

from mlp.decisions import NO_DECISIONS, Decisions, affine, check_params, n_distinct, same_map, side, tally
from mlp.polygons import Regions2D, count_box_2d


def activation_pattern(params, x) -> np.ndarray:
    """Activation pattern (z > 0) of every hidden unit at points x (n, D) -> (n, N) bool."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"x must have shape (n, D), got shape {x.shape}")
    h, bits = x, []
    for W, b in check_params(params, x.shape[1])[:-1]:
        z = affine(h, W, b)  # (n, K_l)
        bits.append(z > 0)
        h = np.maximum(z, 0.0)
    return np.concatenate(bits, axis=1)


class Regions1D(NamedTuple):
    t: np.ndarray  # (P + 1,) piece boundaries on [0, 1]; piece p is [t[p], t[p + 1]]
    pattern: np.ndarray  # (P, N) bool activation pattern of each piece
    linear_id: np.ndarray  # (P,) linear region of each piece
    n_activation: int
    n_linear: int
    decisions: Decisions


def count_segment(params, xa, xb) -> Regions1D:
    """Regions along x(t) = xa + t (xb - xa), t in [0, 1]; xa, xb of shape (D,), any D.

    Unit by unit, every piece [t0, t1] whose z has strict opposite signs at its ends is split
    at its root; h^l(t) = alpha t + beta on each piece, with magnitudes |alpha|, |beta| (taken
    at t = 1: a piece's end is itself only known to ~1e-16).
    """
    xa, xb = np.asarray(xa, dtype=float), np.asarray(xb, dtype=float)
    if xa.ndim != 1 or xa.shape != xb.shape:
        raise ValueError(f"xa and xb must both have shape (D,), got {xa.shape} and {xb.shape}")
    params = check_params(params, xa.size)
    t0, t1 = np.zeros(1), np.ones(1)  # (P,)
    alpha, beta = (xb - xa)[None], xa[None]  # h^0(t) = alpha t + beta, (P, D)
    alpha_m, beta_m = abs(alpha), abs(beta)  # magnitudes
    bits, decisions = np.zeros((1, 0), dtype=bool), NO_DECISIONS  # (P, N so far)
    for W, b in params[:-1]:
        za, zc = affine(alpha, W), affine(beta, W, b)  # z(t) = za t + zc, (P, K_l)
        za_m, zc_m = affine(alpha_m, abs(W)), affine(beta_m, abs(W), abs(b))
        on = np.zeros(za.shape, dtype=bool)
        for i in range(W.shape[0]):
            z0, z1 = za[:, i] * t0 + zc[:, i], za[:, i] * t1 + zc[:, i]
            m0 = m1 = za_m[:, i] + zc_m[:, i]  # magnitude at t = 1, the largest t
            s0, s1 = side(z0, m0), side(z1, m1)
            decisions += tally(z0, m0) + tally(z1, m1)
            split = s0 * s1 < 0
            on[:, i] = (s0 > 0) | (s1 > 0)
            if not split.any():
                continue
            s = np.flatnonzero(split)
            root = t0[s] + (t1[s] - t0[s]) * z0[s] / (z0[s] - z1[s])
            first = (np.cumsum(1 + split) - 1 - split)[s]  # new index of each split piece's left half
            idx = np.repeat(np.arange(t0.size), 1 + split)
            t0, t1, za, zc, za_m, zc_m = t0[idx], t1[idx], za[idx], zc[idx], za_m[idx], zc_m[idx]
            on, bits = on[idx], bits[idx]
            t1[first], t0[first + 1] = root, root
            on[first, i], on[first + 1, i] = s0[s] > 0, s1[s] > 0
        alpha, beta, alpha_m, beta_m = on * za, on * zc, on * za_m, on * zc_m  # h^l(t) = D (za t + zc)
        bits = np.concatenate([bits, on], axis=1)
    W_out = params[-1][0]
    same, merged = same_map(
        affine(alpha, W_out), affine(alpha_m, abs(W_out)), np.arange(len(t0) - 1), np.arange(1, len(t0))
    )
    linear_id = np.concatenate([[0], np.cumsum(~same)])
    return Regions1D(
        t=np.append(t0, t1[-1]),
        pattern=bits,
        linear_id=linear_id,
        n_activation=n_distinct(bits),
        n_linear=int(linear_id[-1]) + 1,
        decisions=decisions + merged,
    )


def count_regions(params, box) -> Regions1D | Regions2D:
    """Exact regions of a net with D = len(box) inputs, D in {1, 2}, on the box [[lo, hi], ...].

    D = 1: the interval [lo, hi] (a Regions1D, t in [0, 1] along it); D = 2: the rectangle
    (a Regions2D, mlp.polygons). For a segment through any input space use count_segment.
    """
    box = np.asarray(box, dtype=float)
    if box.ndim != 2 or box.shape[0] not in (1, 2) or box.shape[1] != 2 or not np.all(box[:, 0] < box[:, 1]):
        raise ValueError(
            f"box must be [[lo, hi]] (D = 1) or [[x0, x1], [y0, y1]] (D = 2) with lo < hi, got {box.tolist()}"
        )
    if len(box) == 1:
        return count_segment(params, box[:, 0], box[:, 1])
    return count_box_2d(check_params(params, 2), box)
