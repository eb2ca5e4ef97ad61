"""Random hidden layers and least-squares readouts: the "best net over its output weights".

For a fixed hidden layer h(x) = g(W x + b) the net f(x) = v . h(x) + c is linear in (v, c), so
the output weights minimising the mean squared error on a set of points are a least-squares
solution: exact, with no optimiser error. Its stationarity (the gradient of the squared error
with respect to (v, c), relative) is measured and reported all the same.

* `lstsq_readout`: exact least squares through the SVD (singular values below RCOND s_max are
  treated as zero, so a hidden layer whose features span few dimensions, as with a polynomial
  activation, gets its true projection), for ensembles of hidden layers (M, N, K).
* `prefix_readouts`: the readouts of the first K units of one hidden layer for a rising list
  of K (a width sweep of nested nets), from the Gram matrix grown block by block, so a sweep
  that stops at the first K reaching a target error pays only for the columns it used
  (`relu_columns` gives a relu layer's columns block by block, `grown` stores them).
"""

from collections.abc import Callable, Iterator

import numpy as np
from scipy.linalg import solve

from mlp.activations import ACTIVATIONS

RCOND = 1e-10  # relative cut of singular values in `lstsq_readout`
RIDGE = 1e-10  # `prefix_readouts` adds RIDGE x mean(diag G) to the Gram matrix G (keeps it positive definite)


def hidden_layer(D: int, K: int, rng: np.random.Generator, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """W (K, D), b (K,) of K random units on [-1, 1]^D: unit k has a direction uniform on the
    sphere, a slope scale * U[0.5, 1.5], and its hyperplane w_k . x + b_k = 0 through a point
    c_k uniform in the cube (b_k = -w_k . c_k), so the units' kinks or transitions cover the
    domain (the core's inits set b = 0, which puts every hyperplane through the origin)."""
    u = rng.normal(size=(K, D))
    W = u / np.linalg.norm(u, axis=1, keepdims=True) * (scale * rng.uniform(0.5, 1.5, K))[:, None]
    c = rng.uniform(-1.0, 1.0, (K, D))
    return W, -np.einsum("kd,kd->k", W, c)


def with_intercept(H: np.ndarray) -> np.ndarray:
    """[1, h_1(x), ..., h_K(x)]: the readout's bias c as a column of ones, (..., N, K + 1)."""
    return np.concatenate([np.ones((*H.shape[:-1], 1)), H], axis=-1)


def lstsq_readout(H: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The least-squares fit of Y (N, T) by [1, H] for each of M hidden layers H (M, N, K).

    Returns the fitted values (M, N, T) and the stationarity (M,): ||A^T (f - Y)|| / (||A||_2
    ||Y||) with A = [1, H] scaled to unit-RMS columns (the scaling changes no fitted value).
    """
    A = with_intercept(H)
    A = A / np.maximum(np.sqrt(np.mean(A**2, axis=-2, keepdims=True)), np.finfo(float).tiny)
    U, s, _ = np.linalg.svd(A, full_matrices=False)  # U (M, N, K+1), s (M, K+1) descending
    keep = s > RCOND * s[..., :1]
    U = U * keep[..., None, :]
    fitted = U @ (U.swapaxes(-1, -2) @ Y)  # projection onto the kept left singular vectors
    grad = A.swapaxes(-1, -2) @ (fitted - Y)  # (M, K+1, T)
    stationarity = np.linalg.norm(grad, axis=(-2, -1)) / (s[..., 0] * np.linalg.norm(Y))
    return fitted, stationarity


def relu_columns(X: np.ndarray, W: np.ndarray, b: np.ndarray) -> Callable[[int, int], np.ndarray]:
    """columns(lo, hi): columns lo..hi-1 of [1, relu(X W^T + b)] (N, hi - lo), column 0 the intercept."""

    def columns(lo: int, hi: int) -> np.ndarray:
        units = slice(max(lo, 1) - 1, hi - 1)
        block = ACTIVATIONS["relu"].g(X @ W[units].T + b[units])
        return with_intercept(block) if lo == 0 else block

    return columns


def grown(columns: Callable[[int, int], np.ndarray], n_rows: int, widths) -> Iterator[tuple[int, np.ndarray]]:
    """(K, P[:, :K+1]) for K in `widths` (rising), filling one column-major buffer block by block
    from columns(lo, hi): a sweep that stops early never computes (or touches) the rest."""
    P = np.empty((n_rows, max(widths) + 1), order="F")
    done = 0
    for K in widths:
        if K + 1 > done:
            P[:, done : K + 1] = columns(done, K + 1)
            done = K + 1
        yield K, P[:, : K + 1]


def prefix_readouts(columns, n_rows: int, Y: np.ndarray, widths) -> Iterator[tuple[int, np.ndarray, float]]:
    """For K in `widths` (rising): (K, readout V (K+1, T), stationarity) of the least-squares fit
    of Y (N, T) by the first K + 1 columns of P = [1, h_1, ..., h_Kmax] (given by `columns`, as
    in `grown`), from the normal equations with a relative ridge RIDGE, the Gram matrix grown by
    the new columns only. Stationarity: ||G V - P^T Y|| / ||P^T Y|| (G the unridged Gram matrix)."""
    size = max(widths) + 1
    G, C = np.empty((size, size)), np.empty((size, Y.shape[1]))
    done = 0
    for K, P in grown(columns, n_rows, widths):
        n = K + 1
        if n > done:  # G[:n, :n] from G[:done, :done] and the new columns P[:, done:n]
            new = P[:, done:n]
            C[done:n] = new.T @ Y
            G[:done, done:n] = P[:, :done].T @ new
            G[done:n, done:n] = new.T @ new
            G[done:n, :done] = G[:done, done:n].T
            done = n
        g = G[:n, :n]
        ridged = g.copy()  # (n, n), g + RIDGE mean(diag g) I
        ridged.flat[:: n + 1] += RIDGE * np.trace(g) / n
        V = solve(ridged, C[:n], assume_a="pos", overwrite_a=True)
        stationarity = float(np.linalg.norm(g @ V - C[:n]) / np.linalg.norm(C[:n]))
        yield K, V, stationarity
