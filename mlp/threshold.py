"""What one threshold unit y = sgn(w.x + b) computes, decided exactly by linear programming.

Data are rows x_i of X, shape (N, n), with labels y_i in {-1, +1}, shape (N,). Write
a_i = y_i [x_i, 1] and v = [w, b], so the unit is right on point i iff a_i.v > 0; by
rescaling v, the points are separable iff the LP  a_i.v >= 1 for all i  is feasible.
All LPs and MILPs are solved by HiGHS (scipy.optimize.linprog / milp).
"""

import itertools
from typing import NamedTuple

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from mlp.boolean import truth_table_inputs

MARGIN_TOL = 1e-6  # slack allowed on the margin a_i.v >= 1 of a returned certificate
WITNESS_TOL = 1e-7  # slack allowed on A^T lambda = 0, relative to max |a_ij|
COUNT_RANGE = (1, 4)  # n for which all 2^(2^n) functions are enumerated


class Separation(NamedTuple):
    """A checked certificate for or against separability.

    separable: w (n,) and b satisfy y_i (w.x_i + b) >= 1 for all i; witness is None.
    not separable: w, b are None and witness lambda (N,) has lambda >= 0, sum lambda = 1,
    sum_i lambda_i y_i [x_i, 1] = 0: a point common to the convex hulls of the two
    classes (Farkas), so every v has sum_i lambda_i a_i.v = 0 and some a_i.v <= 0.
    """

    separable: bool
    w: np.ndarray | None
    b: float | None
    witness: np.ndarray | None


class ThresholdCount(NamedTuple):
    """Threshold functions of n inputs, counted with one `separate` call per NPN class.

    n_lps = n_classes + (n_classes - n_separable_classes): a non-separable class costs a
    second LP for its Farkas witness.
    """

    n: int
    n_functions: int  # 2^(2^n)
    n_classes: int  # NPN classes = separation problems solved
    n_separable_classes: int
    count: int  # threshold functions among all n_functions
    n_lps: int


class Accuracy(NamedTuple):
    """The most points any sgn(w.x + b) gets right, and a (w, b) getting them right."""

    n_correct: int
    w: np.ndarray
    b: float


def _check_data(X, y) -> tuple[np.ndarray, np.ndarray]:
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must have shape (N, n) with N >= 1, got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"X must be finite, got {X[~np.isfinite(X)][:3]}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},) to match X, got shape {y.shape}")
    bad = (y != 1) & (y != -1)
    if bad.any():
        raise ValueError(f"labels must be -1 or +1, got {np.unique(y[bad])[:5]}")
    return X, y


def _signed_rows(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """A with rows a_i = y_i [x_i, 1], shape (N, n + 1)."""
    return y[:, None] * np.column_stack([X, np.ones(len(X))])


def separate(X, y) -> Separation:
    """Decide whether some (w, b) has y_i (w.x_i + b) >= 1 for all i; return a checked certificate.

    Feasible: (w, b) from the LP. Infeasible: lambda from the alternative system
    lambda >= 0, 1.lambda = 1, A^T lambda = 0 (Farkas). Both are verified before return.
    """
    X, y = _check_data(X, y)
    A = _signed_rows(X, y)  # (N, n + 1)
    N, m = A.shape
    primal = linprog(np.zeros(m), A_ub=-A, b_ub=-np.ones(N), bounds=(None, None), method="highs")
    if primal.status == 0:
        margin = A @ primal.x  # (N,)
        if margin.min() < 1 - MARGIN_TOL:
            raise RuntimeError(f"HiGHS certificate has margin {margin.min()} < 1")
        return Separation(True, primal.x[:-1], float(primal.x[-1]), None)
    if primal.status != 2:
        raise RuntimeError(f"HiGHS status {primal.status}: {primal.message}")
    dual = linprog(
        np.zeros(N),
        A_eq=np.vstack([A.T, np.ones(N)]),
        b_eq=np.r_[np.zeros(m), 1.0],
        bounds=(0, None),
        method="highs",
    )
    if dual.status != 0:
        raise RuntimeError(f"LP infeasible but no Farkas witness: HiGHS status {dual.status}")
    lam = dual.x  # (N,)
    residual = np.abs(A.T @ lam).max()
    if residual > WITNESS_TOL * np.abs(A).max() or lam.min() < -WITNESS_TOL:
        raise RuntimeError(f"Farkas witness fails: |A^T lambda| = {residual}")
    return Separation(False, None, None, lam)


def npn_canonical(n: int) -> np.ndarray:
    """Smallest function index in the NPN class of every function of n inputs, shape (2^(2^n),).

    Class of f: all s * f(g(x)) with s = +-1 and g permuting and negating inputs; each
    maps threshold functions to threshold functions (permute / negate w, or negate (w, b)).
    """
    lo, hi = COUNT_RANGE
    if not isinstance(n, int | np.integer) or not lo <= n <= hi:
        raise ValueError(f"n must be an integer in [{lo}, {hi}], got {n!r}")
    X = truth_table_inputs(n)  # (R, n), R = 2^n
    R, F = 2**n, 2 ** (2**n)
    row_weights = 2 ** np.arange(n - 1, -1, -1)  # (n,) x1 most significant
    signs = np.array(list(itertools.product((-1, 1), repeat=n)))  # (2^n, n) input negations
    bits = ((np.arange(F)[:, None] >> np.arange(R)) & 1).astype(float)  # (F, R)
    canon = np.arange(F, dtype=float)
    for perm in itertools.permutations(range(n)):
        pi = (X[None, :, perm] * signs[:, None, :] > 0) @ row_weights  # (2^n, R) row of g(x_r)
        Q = np.zeros((len(signs), R))  # (2^n, R): index of f o g = bits . Q[t], Q[t, pi[t, r]] = 2^r
        np.put_along_axis(Q, pi, 2.0 ** np.arange(R), axis=1)
        k = bits @ Q.T  # (F, 2^n) indices, exact in float64 since F <= 2^16
        canon = np.minimum(canon, np.minimum(k, F - 1 - k).min(axis=1))
    return canon.astype(np.int64)


def count_threshold_functions(n: int) -> ThresholdCount:
    """Count the Boolean functions of n inputs that one threshold unit computes (n in 1..4).

    One `separate` per NPN class representative; the count sums the class sizes.
    """
    canon = npn_canonical(n)  # (2^(2^n),)
    X = truth_table_inputs(n)  # (2^n, n)
    reps, class_of = np.unique(canon, return_inverse=True)  # (C,), (2^(2^n),)
    rows = np.arange(2**n)
    separable = np.array([separate(X, np.where((rep >> rows) & 1, 1.0, -1.0)).separable for rep in reps])
    n_sep = int(separable.sum())
    return ThresholdCount(
        n=n,
        n_functions=len(canon),
        n_classes=len(reps),
        n_separable_classes=n_sep,
        count=int(separable[class_of].sum()),
        n_lps=2 * len(reps) - n_sep,
    )


def best_linear_accuracy(X, y) -> Accuracy:
    """max over (w, b) of #{i : y_i (w.x_i + b) > 0}, exactly, for integer-valued X.

    MILP: min sum_i z_i s.t. a_i.v + M z_i >= 1, z_i in {0, 1}, |v_j| <= W. Exactness: a
    separable subset has a basic solution v = B^{-1} 1 (B a square integer submatrix of A),
    so by Cramer and Hadamard |v_j| <= W = (sqrt(n+1) c)^(n+1), c = max(1, max |x_ij|), and
    then a_i.v >= 1 - M with M = 1 + (n+1) c W for every other point.
    """
    X, y = _check_data(X, y)
    if not np.array_equal(X, np.round(X)):
        raise ValueError(f"X must be integer-valued for an exact bound, got {X[X != np.round(X)][:3]}")
    A = _signed_rows(X, y)  # (N, n + 1)
    N, m = A.shape
    c = max(1.0, float(np.abs(X).max()))
    W = (np.sqrt(m) * c) ** m
    M = 1 + m * c * W
    res = milp(
        c=np.r_[np.zeros(m), np.ones(N)],  # variables [v (m), z (N)]
        constraints=LinearConstraint(np.hstack([A, M * np.eye(N)]), lb=1.0, ub=np.inf),
        integrality=np.r_[np.zeros(m), np.ones(N)],
        bounds=Bounds(np.r_[-W * np.ones(m), np.zeros(N)], np.r_[W * np.ones(m), np.ones(N)]),
        options={"mip_rel_gap": 0.0},
    )
    if res.status != 0:
        raise RuntimeError(f"HiGHS MILP status {res.status}: {res.message}")
    v = res.x[:m]
    n_correct = int((A @ v > 0).sum())
    if n_correct != N - round(res.fun):
        raise RuntimeError(f"classifier gets {n_correct} right but the MILP claims {N - round(res.fun)}")
    return Accuracy(n_correct, v[:-1], float(v[-1]))


def monomial_features(X, k: int) -> np.ndarray:
    """prod_{i in S} x_i for every subset S of the n inputs with 1 <= |S| <= k, shape (N, sum_j C(n, j)).

    Columns ordered by |S|, then lexicographically in S.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"X must have shape (N, n), got shape {X.shape}")
    n = X.shape[1]
    if not isinstance(k, int | np.integer) or not 1 <= k <= n:
        raise ValueError(f"order k must be an integer in [1, {n}], got {k!r}")
    subsets = [S for j in range(1, k + 1) for S in itertools.combinations(range(n), j)]
    return np.column_stack([X[:, S].prod(axis=1) for S in subsets])  # (N, number of subsets)


def parity_labels(n: int) -> np.ndarray:
    """n-bit parity on the truth table: +1 iff an odd number of inputs are +1, shape (2^n,)."""
    return np.where((truth_table_inputs(n) > 0).sum(axis=1) % 2 == 1, 1.0, -1.0)


def order_k_separable(n: int, k: int) -> Separation:
    """Is n-bit parity sgn(sum_S w_S prod_{i in S} x_i + b) over all |S| <= k? (Minsky-Papert order)"""
    return separate(monomial_features(truth_table_inputs(n), k), parity_labels(n))
