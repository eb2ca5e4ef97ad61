"""Fixed-order arithmetic and margin decisions for the region counters (mlp.regions,
mlp.polygons): the pieces that make an integer count independent of the CPU.

* `affine`: products as fixed-order sums of elementwise multiply-adds, never BLAS (whose
  summation order differs between CPUs); elementwise IEEE operations are correctly rounded
  everywhere, so the same weights give the same bits.
* `side`: the sign of a value z whose terms have magnitude m (the sum of the absolute values of
  every term of its computation, through all layers), with |z| <= SIGN m read as 0 (on the line).
  Rounding leaves an exact zero within ~2^-50 m; folding constructions have genuine values down
  to ~2^-30 m at the grid's depths (their magnitudes grow while their values cancel).
* `Decisions` / `tally`: how many decisions were made, how many read float noise as zero
  (|z| <= NOISE m), and how many fell INSIDE THE NOISE BAND NOISE m < |z| <= SIGN m, where
  float64 cannot tell a tiny genuine value from amplified noise: they are read as 0 by rule, and
  a count with none of them is the same for every threshold in the band and under any
  perturbation of the weights by up to ~2^-44 relative.
"""

from typing import NamedTuple

import numpy as np

NOISE = 2.0**-44  # ~5.7e-14: |z| <= NOISE m is float noise of an exact zero
SIGN = 2.0**-36  # ~1.5e-11: |z| > SIGN m has a trusted sign; in between: the noise band, read as 0


def check_params(params, D: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Validate the layers of ONE net (no ensemble axis) on D inputs; return float64 copies."""
    params = [(np.array(W, dtype=float), np.array(b, dtype=float)) for W, b in params]
    if len(params) < 2:
        raise ValueError(f"need >= 1 hidden layer plus the output layer, got {len(params)} layer(s)")
    K_prev = D
    for l, (W, b) in enumerate(params, start=1):
        if W.ndim != 2 or b.ndim != 1:
            raise ValueError(
                f"layer {l}: one net needs W of shape (K_l, K_l-1) and b of shape (K_l,), "
                f"got W.shape={W.shape}, b.shape={b.shape} (ensemble axes are not allowed)"
            )
        if W.shape != (b.shape[0], K_prev):
            raise ValueError(f"layer {l}: W.shape={W.shape}, expected ({b.shape[0]}, {K_prev})")
        K_prev = b.shape[0]
    return params


def affine(h: np.ndarray, W: np.ndarray, b=None) -> np.ndarray:
    """h W^T (+ b): h (..., J), W (K, J) -> (..., K), summed over j = 0, 1, ... in that order by
    elementwise multiply-adds (no BLAS), so the bits are the same on every CPU."""
    out = h[..., 0:1] * W[:, 0]
    for j in range(1, W.shape[1]):
        out = out + h[..., j : j + 1] * W[:, j]
    return out if b is None else out + b


def side(z: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Sign of z in {-1, 0, 1} with the margin: 0 (on the line) where |z| <= SIGN m."""
    band = SIGN * m
    return np.where(z > band, 1, np.where(z < -band, -1, 0)).astype(np.int8)


class Decisions(NamedTuple):
    """How many sign and equality decisions a count made, and where their values fell."""

    total: int
    zero: int  # |z| <= NOISE m: an exact zero up to rounding (on the line, or equal maps)
    noise_band: int  # NOISE m < |z| <= SIGN m: too small to trust the sign, read as 0

    def __add__(self, other):
        return Decisions(*(a + b for a, b in zip(self, other, strict=True)))


NO_DECISIONS = Decisions(0, 0, 0)


def tally(z: np.ndarray, m: np.ndarray) -> Decisions:
    """The decisions on values z (any shape) with magnitudes m."""
    a = np.abs(z)
    zero = a <= NOISE * m
    return Decisions(int(a.size), int(np.count_nonzero(zero)), int(np.count_nonzero(~zero & (a <= SIGN * m))))


def same_map(G: np.ndarray, G_mag: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, Decisions]:
    """Whether pieces a and b (index arrays) have the same output gradient G (P, F), each of the
    F components equal within the margin of their magnitudes G_mag (P, F); and the decisions."""
    diff, mag = G[a] - G[b], G_mag[a] + G_mag[b]  # (E, F)
    worst = np.argmax(np.abs(diff) - SIGN * mag, axis=1)[:, None]  # the component furthest out of the margin
    d, m = np.take_along_axis(diff, worst, 1)[:, 0], np.take_along_axis(mag, worst, 1)[:, 0]
    return side(d, m) == 0, tally(d, m)


def n_distinct(bits) -> int:
    """Number of distinct rows of a bool array (P, N)."""
    packed = np.ascontiguousarray(np.packbits(bits, axis=1))  # (P, ceil(N / 8))
    return len(np.unique(packed.view(np.dtype((np.void, packed.shape[1])))))
