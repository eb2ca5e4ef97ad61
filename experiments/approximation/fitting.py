"""Training tools for one-hidden-layer nets on 1-D targets (C10, C11): spread initialisation,
least-squares readout, the SGD rate, and a batched L-BFGS. Shared by the width sweep
(trained.py) and the depth separation (depth.py).

The core has no initialisation that spreads the units over the input interval (its schemes
set b = 0, which puts every relu kink and every sigmoid centre at x = 0), so `spread_features`
lives here; so does the L-BFGS driver (the core has only SGD).
"""

import numpy as np

from mlp.activations import get_activation
from mlp.network import Net, objective
from mlp.params import flatten, unflatten


def spread_features(K: int, gens, lo: float, hi: float, w_scale: float):
    """First layers (W1 (M, K, 1), b1 (M, K)) of M = len(gens) one-hidden-layer nets on [lo, hi].

    Unit k: slope w_k = +-w_scale sqrt(K) u_k (u_k ~ U[0.5, 1.5], random sign; steeper as the
    units crowd) and centre c_k ~ U[lo, hi] (b_k = -w_k c_k), so the kinks (relu) or the
    transitions (sigmoid, tanh) cover the interval. The core's schemes set b = 0, which puts
    every kink and centre at x = 0.
    """
    W1, b1 = [], []
    for g in gens:
        w = w_scale * np.sqrt(K) * g.uniform(0.5, 1.5, K) * g.choice([-1.0, 1.0], K)
        W1.append(w[:, None])
        b1.append(-w * g.uniform(lo, hi, K))
    return np.stack(W1), np.stack(b1)


def _features(net: Net, W1: np.ndarray, b1: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Hidden features h = g(X W1^T + b1) of M one-hidden-layer nets: (M, N, K)."""
    return get_activation(net.hidden).g(X * W1.swapaxes(-1, -2) + b1[:, None, :])  # D = 1: exact products


def _gram(Phi: np.ndarray) -> np.ndarray:
    """Phi^T Phi of every member, (M, P, P) from (M, N, P), as elementwise products summed by
    np.sum: the same bits on every CPU (BLAS kernels, and so the last bits of a matmul, differ
    between CPUs, and training amplifies them)."""
    G = np.empty(Phi.shape[:1] + Phi.shape[2:] * 2)
    for j in range(Phi.shape[2]):
        G[:, :, j] = np.sum(Phi * Phi[:, :, j : j + 1], axis=1)
    return G


def cholesky_solve(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """x with A x = b for every member, A (M, P, P) symmetric positive definite, b (M, P):
    Cholesky A = L L^T and two triangular solves, in NumPy sums (no LAPACK: same bits on every CPU)."""
    P = b.shape[1]
    L = np.zeros_like(A)
    for j in range(P):  # L_jj = sqrt(A_jj - sum_k<j L_jk^2), L_ij = (A_ij - sum_k<j L_ik L_jk) / L_jj
        L[:, j, j] = np.sqrt(A[:, j, j] - np.sum(L[:, j, :j] ** 2, axis=-1))
        L[:, j + 1 :, j] = (A[:, j + 1 :, j] - np.sum(L[:, j + 1 :, :j] * L[:, j, None, :j], axis=-1)) / L[
            :, j, j, None
        ]
    y = np.zeros_like(b)
    for i in range(P):  # L y = b
        y[:, i] = (b[:, i] - np.sum(L[:, i, :i] * y[:, :i], axis=-1)) / L[:, i, i]
    x = np.zeros_like(b)
    for i in reversed(range(P)):  # L^T x = y
        x[:, i] = (y[:, i] - np.sum(L[:, i + 1 :, i] * x[:, i + 1 :], axis=-1)) / L[:, i, i]
    return x


def lstsq_readout(net: Net, W1: np.ndarray, b1: np.ndarray, X: np.ndarray, Y: np.ndarray, ridge: float = 1e-10):
    """Complete the first layer with the ridge least-squares output layer (a, c) of Y (N, 1) or
    (M, N, 1) on the features h = g(X W1^T + b1) (ridge times the mean diagonal of the Gram
    matrix): the best readout of the random features, from which training starts.
    Returns [(W1 (M, K, 1), b1 (M, K)), (W2 (M, 1, K), b2 (M, 1))].
    """
    K = W1.shape[-2]
    H = _features(net, W1, b1, X)
    Phi = np.concatenate([H, np.ones(H.shape[:-1] + (1,))], axis=-1)  # (M, N, K + 1)
    G = _gram(Phi)  # (M, K + 1, K + 1)
    lam = ridge * np.trace(G, axis1=-2, axis2=-1) / (K + 1)
    coef = cholesky_solve(G + lam[:, None, None] * np.eye(K + 1), np.sum(Phi * Y, axis=1))  # (M, K + 1)
    return [(W1, b1), (coef[:, None, :K], coef[:, K:])]


def sgd_rate(net: Net, W1: np.ndarray, b1: np.ndarray, X: np.ndarray, lr: float) -> float:
    """lr / lambda, lambda = max over members of mean_x (1 + sum_k h_k(x)^2): the trace per point
    of the output layer's gradient kernel, which bounds its top eigenvalue and grows with K."""
    H = _features(net, W1, b1, X)
    return lr / float(np.max(1.0 + np.mean(np.sum(H**2, axis=-1), axis=-1)))


def _dot(a, b):
    return np.sum(a * b, axis=1)


def batched_lbfgs(fun, theta: np.ndarray, maxiter: int, memory: int = 10, c1: float = 1e-4, max_halvings: int = 20):
    """Minimise M independent objectives together: fun(theta (M, P)) -> (f (M,), grad (M, P)).

    Every member keeps its own L-BFGS memory (two-loop recursion, vectorised over M) and its own
    backtracking (Armijo) step; one call of `fun` evaluates all members (one ensemble forward).
    Why not scipy's L-BFGS-B on the packed sum: its shared line search and shared curvature pairs
    mix members of different curvature, and it ends 10-1000x above per-member runs (see report).
    Returns (theta, f (M,), history (maxiter + 1, M) of f from the start; a member that found no
    acceptable step keeps its value from then on).
    """
    M, P = theta.shape
    f, g = fun(theta)
    S, Yh, rho = np.zeros((memory, M, P)), np.zeros((memory, M, P)), np.zeros((memory, M))
    gamma = 1.0 / np.maximum(np.sqrt(_dot(g, g)), 1e-300)  # initial inverse-Hessian scale
    active = np.isfinite(f)  # members still making progress
    history = [f]
    for k in range(maxiter):
        if not active.any():
            break
        order = [(k - 1 - j) % memory for j in range(memory)]  # newest pair first
        q, alpha = g.copy(), np.zeros((memory, M))
        for slot in order:  # empty slots have rho = 0 and do nothing
            alpha[slot] = rho[slot] * _dot(S[slot], q)
            q -= alpha[slot][:, None] * Yh[slot]
        r = gamma[:, None] * q
        for slot in reversed(order):
            r += (alpha[slot] - rho[slot] * _dot(Yh[slot], r))[:, None] * S[slot]
        d = -r  # (M, P) search direction
        slope = _dot(g, d)
        bad = ~(slope < 0)  # not a descent direction: forget the memory, steepest descent
        if bad.any():
            d[bad], slope[bad] = -g[bad] * gamma[bad, None], -gamma[bad] * _dot(g[bad], g[bad])
            S[:, bad], Yh[:, bad], rho[:, bad] = 0.0, 0.0, 0.0
        step, pending = np.ones(M), active & (slope < 0)
        f_new, g_new, theta_new = f.copy(), g.copy(), theta.copy()
        for _ in range(max_halvings):
            if not pending.any():
                break
            trial = theta + step[:, None] * d
            with np.errstate(over="ignore", invalid="ignore"):
                ft, gt = fun(trial)
            ok = pending & np.isfinite(ft) & (ft <= f + c1 * step * slope)
            f_new[ok], g_new[ok], theta_new[ok] = ft[ok], gt[ok], trial[ok]
            pending &= ~ok
            step[pending] *= 0.5
        active &= ~pending  # no acceptable step: converged to working precision
        s, y = theta_new - theta, g_new - g
        sy = _dot(s, y)
        upd = sy > 1e-10 * np.sqrt(_dot(s, s) * _dot(y, y))  # keeps the inverse Hessian positive definite
        slot = k % memory
        S[slot], Yh[slot] = np.where(upd[:, None], s, 0.0), np.where(upd[:, None], y, 0.0)
        rho[slot] = np.where(upd, 1.0 / np.where(upd, sy, 1.0), 0.0)
        gamma = np.where(upd, sy / np.where(upd, _dot(y, y), 1.0), gamma)
        theta, f, g = theta_new, f_new, g_new
        history.append(f)
    history += [f] * (maxiter + 1 - len(history))  # all stopped early: the values stay
    return theta, f, np.stack(history)


def fit_lbfgs(net: Net, params, X: np.ndarray, Y: np.ndarray, maxiter: int):
    """Full-batch L-BFGS of every member of an ensemble on its mean squared loss (the core's
    objective and gradient). Returns (params, loss per member (M,), loss history (maxiter + 1, M))."""

    def fun(theta):
        obj, _, grads = objective(net, unflatten(theta, params), X, Y)
        return obj, flatten(grads)

    theta, f, history = batched_lbfgs(fun, flatten(params), maxiter)
    return unflatten(theta, params), f, history
