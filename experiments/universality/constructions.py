"""Explicit one-hidden-layer relu nets for the two targets of part (b), on [-1, 1]^D.

Both are parameter lists [(W1, b1), (W2, b2)] of mlp.network's layout with an ensemble axis of
one member, so the core's `forward` evaluates them.

* Ridge target g(a . x), a = (1, ..., 1) / D (so t = a . x covers [-1, 1] in every D): the
  piecewise-linear interpolant of g on u + 1 equally spaced knots t_0 = -1 < ... < t_u = 1,
  g(t_0) + sum_{k<u} (s_k - s_{k-1}) relu(a . x - t_k) (s_k the slope on [t_k, t_{k+1}],
  s_{-1} = 0): u units whatever D, so the units needed for an error eps do not grow with D.
* Lipschitz target ||x||_2 / sqrt(D): ||y|| = E_u |u . y| / c_D for u uniform on the sphere,
  c_D = Gamma(D/2) / (sqrt(pi) Gamma((D+1)/2)); the expectation becomes a quadrature over the
  directions u_j = p_j / ||p_j|| of the midpoints p_j of an n^(D-1) grid on each face x_k = +1
  of the cube (the D faces hold one of u, -u each), weighted by the solid angle
  dA / ||p||^D (normalised), and |t| = relu(t) + relu(-t): 2 D n^(D-1) units, a count that
  grows exponentially with D for a fixed n.
"""

from itertools import product

import numpy as np
from scipy.special import gammaln

from mlp.data import target_1d


def ridge_direction(D: int) -> np.ndarray:
    """a = (1, ..., 1) / D: t = a . x is the mean of the coordinates, in [-1, 1]."""
    return np.full(D, 1.0 / D)


def ridge_interpolant(D: int, units: int, profile: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """The relu interpolant of the 1-D target `profile` along a on units + 1 knots (`units` units)."""
    t = np.linspace(-1.0, 1.0, units + 1)  # knots t_0..t_u
    g = target_1d(profile, t)
    slopes = np.diff(g) / np.diff(t)  # s_k on [t_k, t_{k+1}], (u,)
    W1 = np.tile(ridge_direction(D), (units, 1))  # (u, D): every unit reads t = a . x
    v = np.diff(slopes, prepend=0.0)  # s_k - s_{k-1}: the slope change at t_k
    return [(W1[None], -t[None, :-1]), (v[None, None], np.array([[g[0]]]))]


def sphere_moment(D: int) -> float:
    """c_D = E|u_1| for u uniform on the unit sphere of R^D."""
    return float(np.exp(gammaln(D / 2) - gammaln((D + 1) / 2)) / np.sqrt(np.pi))


def face_directions(D: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Unit directions U (D n^(D-1), D) from the midpoint grids of the faces x_k = +1, and their
    normalised solid-angle weights omega (D n^(D-1),)."""
    m = (2 * np.arange(n) + 1) / n - 1  # midpoints of n cells on [-1, 1]
    face = np.array(list(product(m, repeat=D - 1)), dtype=float).reshape(n ** (D - 1), D - 1)
    P = np.concatenate([np.insert(face, k, 1.0, axis=1) for k in range(D)])  # (D n^(D-1), D)
    r = np.linalg.norm(P, axis=1)
    omega = r ** (-D)  # dOmega = dA / ||p||^D on a face at distance 1
    return P / r[:, None], omega / omega.sum()


def cone_quadrature(D: int, n: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The relu net sum_j omega_j (relu(u_j . x) + relu(-u_j . x)) / (c_D sqrt(D)) ~ ||x|| / sqrt(D)."""
    U, omega = face_directions(D, n)
    W1 = np.concatenate([U, -U])  # (2M, D)
    v = np.tile(omega, 2) / (sphere_moment(D) * np.sqrt(D))
    return [(W1[None], np.zeros((1, len(W1)))), (v[None, None], np.zeros((1, 1)))]


def cone_units(D: int, n: int) -> int:
    """Hidden units of `cone_quadrature(D, n)`: 2 D n^(D-1)."""
    return 2 * D * n ** (D - 1)
