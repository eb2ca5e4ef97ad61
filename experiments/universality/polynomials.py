"""Polynomial activations and the best polynomial fits they cannot beat (C25; Leshno et al. 1993).

With a polynomial activation g of degree d, f(x) = sum_k v_k g(w_k x + b_k) + c is itself a
polynomial of degree <= d in x, whatever the width K: its error never falls below that of the
best degree-d polynomial. This module holds the polynomial activations (quadratic and cubic,
made with `mlp.activations.elementwise` exactly as a user registers one; they stay in this
family because the core's registry feeds every family's tables, where they would add rows),
their degrees, and the best degree-d fits of a target on a grid: in L2 by least squares and in
the sup norm by the minimax linear programme.
"""

import numpy as np
from numpy.polynomial import legendre
from scipy.optimize import linprog

from experiments.universality.plan import DEGREE  # the polynomial activations and their degrees
from mlp.activations import Activation, elementwise, elementwise_names, get_activation


def _square(z, out=None):
    return np.multiply(z, z, out=out)


def _square_derivative(z, h, out=None):  # g'(z) = 2z
    return np.multiply(z, 2.0, out=out)


def _cube(z, out=None):
    out = np.multiply(z, z, out=out)
    return np.multiply(out, z, out=out)


def _cube_derivative(z, h, out=None):  # g'(z) = 3z^2
    out = np.multiply(z, z, out=out)
    return np.multiply(out, 3.0, out=out)


__all__ = ["DEGREE", "POLYNOMIAL", "activation", "hidden_names", "minimax_error", "polynomial_fit"]
POLYNOMIAL = {"quadratic": elementwise(_square, _square_derivative), "cubic": elementwise(_cube, _cube_derivative)}


def hidden_names() -> list[str]:
    """The hidden activations this family accepts: the core's elementwise ones and its own."""
    return sorted({*elementwise_names(), *POLYNOMIAL})


def activation(name: str) -> Activation:
    """This family's polynomial activations, else the core registry's entry (ValueError naming
    the allowed names)."""
    return POLYNOMIAL[name] if name in POLYNOMIAL else get_activation(name, hidden_names())


def polynomial_fit(x: np.ndarray, Y: np.ndarray, degree: int) -> np.ndarray:
    """The least-squares polynomial of degree `degree` through (x, Y[:, t]) for every column t,
    evaluated at x: (N, T). Legendre basis on [-1, 1], so the system is well conditioned."""
    V = legendre.legvander(x, degree)  # (N, degree + 1)
    coef = np.linalg.lstsq(V, Y, rcond=None)[0]
    return V @ coef


def minimax_error(x: np.ndarray, y: np.ndarray, degree: int) -> float:
    """min over polynomials p of degree <= `degree` of max_i |p(x_i) - y_i|: the linear programme
    min t subject to -t <= V c - y <= t (HiGHS). No net with a degree-`degree` polynomial
    activation, of any width and any weights, has a smaller sup error on these points."""
    V = legendre.legvander(x, degree)
    N, P = V.shape
    A = np.block([[V, -np.ones((N, 1))], [-V, -np.ones((N, 1))]])  # V c - t <= y, -V c - t <= -y
    cost = np.r_[np.zeros(P), 1.0]
    res = linprog(cost, A_ub=A, b_ub=np.r_[y, -y], bounds=[(None, None)] * P + [(0, None)], method="highs")
    if res.status != 0:
        raise RuntimeError(f"minimax fit of degree {degree} failed: {res.message}")
    return float(res.x[-1])
