"""Sums and matrix products in one fixed summation order, without BLAS.

OpenBLAS picks its kernels per CPU (Haswell, SkylakeX, Zen, ...), and they round
differently, so the last bits of `np.matmul` move from one machine to another, and
chaotic training amplifies them into different results. Elementwise IEEE multiplies and
adds are correctly rounded, hence identical on every x86 CPU; so here a sum over k of
a_k b_k is one elementwise product followed by `tree_sum`, a halving tree whose order
depends only on the length of the summed axis: not on the CPU, the SIMD width, the
other axes, or how many ensemble members share the call. That makes training and
evaluation of the small nets the suite uses reproducible bit for bit across CPUs, and a
member of an ensemble identical to the same net trained alone.

Layers whose weight matrix has more than FIXED_MAX_WEIGHTS entries use BLAS: elementwise
passes cost about B K_out K_in memory operations per product, where BLAS runs several
multiply-adds per cycle from registers; the benchmarks (threshold probe) measure the
fixed-order step at 3-8x the BLAS step for 2-8-8-1 to 2-32-32-1 and ~20x at 2-64-64-1
(B = 32, 1 thread). 1024 covers every net the default pipeline trains (widths up to 24 in
deep nets, 1-K-1 nets up to K = 512 whose layers are K x 1 and 1 x K); results of wider
nets are reproducible on one CPU type only.
"""

from functools import partial

import numpy as np

FIXED_MAX_WEIGHTS = 1024  # K_out * K_in of the largest layer computed in fixed order (32 x 32, 1 x 1024)
CHUNK_ELEMENTS = 1 << 21  # bound on the elements of a product's temporary (16 MiB in float64)


def fixed_order(k_out: int, k_in: int) -> bool:
    """Whether a layer of K_out x K_in weights is computed in the fixed order (no BLAS)."""
    return k_out * k_in <= FIXED_MAX_WEIGHTS


def tree_plan(T: np.ndarray, axis: int, out: np.ndarray | None = None):
    """The additions of `tree_sum` as calls with fixed views: ([thunk, ...], the sum's view).

    While n > 1 terms remain: term i (i < n // 2) becomes term i + term i + n // 2, and for
    odd n the last term is added to term n // 2 - 1. So n = 2: a0 + a1; n = 3:
    (a0 + a1) + a2; n = 4: (a0 + a2) + (a1 + a3); n = 5: (a0 + a2) + ((a1 + a3) + a4).
    With `out`, the last addition writes there (a copy if there is no addition).
    """
    T = np.moveaxis(T, axis, 0)
    n, calls = T.shape[0], []
    while n > 2 or (n == 2 and out is None):
        h = n // 2
        calls.append(partial(np.add, T[:h], T[h : 2 * h], out=T[:h]))
        if n % 2:
            calls.append(partial(np.add, T[h - 1], T[2 * h], out=T[h - 1]))
        n = h
    if out is None:
        return calls, T[0]
    calls.append(partial(np.add, T[0], T[1], out=out) if n == 2 else partial(np.copyto, out, T[0]))
    return calls, out


def tree_sum(T: np.ndarray, axis: int, out: np.ndarray | None = None) -> np.ndarray:
    """Sum of T over `axis` in the fixed order of `tree_plan`; overwrites T and returns a
    view of the sum (or `out`)."""
    calls, result = tree_plan(T, axis, out)
    for call in calls:
        call()
    return result


def _chunks(n: int, per_item: int):
    """Slices of range(n) whose items hold at most CHUNK_ELEMENTS temporary elements."""
    step = max(1, CHUNK_ELEMENTS // max(per_item, 1))
    return [slice(i, min(i + step, n)) for i in range(0, n, step)]


def matmul_nt(h: np.ndarray, W: np.ndarray) -> np.ndarray:
    """h W^T with leading (ensemble) axes: (..., B, K_in) x (..., K_out, K_in) -> (..., B, K_out),
    sum over k in tree order; chunks over B keep the temporary small (rows are independent)."""
    shape = np.broadcast_shapes(h.shape[:-2], W.shape[:-2])
    B, (k_out, k_in) = h.shape[-2], W.shape[-2:]
    out = np.empty((*shape, B, k_out), np.result_type(h, W))
    lead = int(np.prod(shape, dtype=np.int64))
    for rows in _chunks(B, lead * k_out * k_in):
        T = h[..., rows, None, :] * W[..., None, :, :]  # (..., b, K_out, K_in)
        out[..., rows, :] = tree_sum(T, -1)
    return out


def matmul_nn(g: np.ndarray, W: np.ndarray) -> np.ndarray:
    """g W: (..., B, K_out) x (..., K_out, K_in) -> (..., B, K_in), sum over j in tree order."""
    shape = np.broadcast_shapes(g.shape[:-2], W.shape[:-2])
    B, (k_out, k_in) = g.shape[-2], W.shape[-2:]
    out = np.empty((*shape, B, k_in), np.result_type(g, W))
    lead = int(np.prod(shape, dtype=np.int64))
    for rows in _chunks(B, lead * k_out * k_in):
        T = g[..., rows, :, None] * W[..., None, :, :]  # (..., b, K_out, K_in)
        out[..., rows, :] = tree_sum(T, -2)
    return out


def matmul_tn(g: np.ndarray, h: np.ndarray) -> np.ndarray:
    """g^T h: (..., B, K_out) x (..., B, K_in) -> (..., K_out, K_in), the sum over the batch in
    tree order. The batch axis cannot be chunked without changing the order: chunks run over
    the leading (ensemble) axis instead."""
    shape = np.broadcast_shapes(g.shape[:-2], h.shape[:-2])
    g, h = np.broadcast_to(g, (*shape, *g.shape[-2:])), np.broadcast_to(h, (*shape, *h.shape[-2:]))
    B, k_out, k_in = g.shape[-2], g.shape[-1], h.shape[-1]
    out = np.empty((*shape, k_out, k_in), np.result_type(g, h))
    flat_g, flat_h = g.reshape(-1, B, k_out), h.reshape(-1, B, k_in)
    flat_out = out.reshape(-1, k_out, k_in)
    for members in _chunks(flat_out.shape[0], B * k_out * k_in):
        T = flat_g[members, :, :, None] * flat_h[members, :, None, :]  # (m, B, K_out, K_in)
        flat_out[members] = tree_sum(T, 1)
    return out


def batch_sum(g: np.ndarray) -> np.ndarray:
    """Sum over the batch axis (-2) in tree order."""
    return tree_sum(g.copy(), -2).copy()
