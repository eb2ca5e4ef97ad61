"""Explicit one-hidden-layer nets for a 1-D target on [lo, hi] (C10, C11), as parameter lists
without an ensemble axis: [(W1 (K, 1), b1 (K,)), (W2 (1, K), b2 (1,))].

- relu: the piecewise-linear interpolant at K + 1 nodes, K units relu(x - x_k);
- sigmoid, tanh: Cybenko's staircase, one steep unit per jump between equally spaced nodes.

Theory (h = (hi - lo) / K): the interpolant errs by at most h^2/8 max|f''| on a C^2 target
(sup error ~ K^-2), and by ~ h times the slope jump on a piece holding a kink (~ K^-1); the
staircase errs by about Lip(f) h / 2 (~ K^-1) on any Lipschitz target.
"""

import numpy as np

STAIRCASE_STEEPNESS = 20.0  # sigmoid slope beta = STAIRCASE_STEEPNESS / h at knot spacing h


def interp_nodes(K: int, lo: float = -1.0, hi: float = 1.0) -> np.ndarray:
    """K + 1 equally spaced nodes lo + k h, k = 0..K, h = (hi - lo) / K."""
    return lo + (hi - lo) / K * np.arange(K + 1)


def relu_interpolant(nodes: np.ndarray, values: np.ndarray):
    """One-hidden-layer relu net equal to the piecewise-linear interpolant of (nodes, values)
    on [nodes[0], nodes[-1]]: K = len(nodes) - 1 units relu(x - nodes[k]), k < K.

    g(x) = values[0] + sum_k a_k relu(x - nodes[k]) with a_0 = s_0 and a_k = s_k - s_{k-1}
    (s_k the slope of piece k).
    """
    nodes, values = np.asarray(nodes, float), np.asarray(values, float)
    s = np.diff(values) / np.diff(nodes)  # (K,) piece slopes
    a = np.diff(s, prepend=0.0)
    K = len(s)
    return [(np.ones((K, 1)), -nodes[:-1]), (a[None, :], np.array([values[0]]))]


def staircase(K: int, fn, activation: str = "sigmoid", lo: float = -1.0, hi: float = 1.0):
    """Cybenko-style staircase of K steep units approximating fn on [lo, hi].

    Nodes x_k = lo + k h; g(x) = fn(x_0) + sum_{k=1}^K (fn(x_k) - fn(x_{k-1})) sigmoid(beta (x - t_k)),
    t_k = x_k - h/2 the midpoint of the jump, beta = STAIRCASE_STEEPNESS / h. With tanh units the
    same function: sigmoid(z) = (1 + tanh(z / 2)) / 2.
    """
    h = (hi - lo) / K
    v = fn(interp_nodes(K, lo, hi))
    jump, beta, t = np.diff(v), STAIRCASE_STEEPNESS / h, interp_nodes(K, lo, hi)[1:] - h / 2
    if activation == "sigmoid":
        return [(np.full((K, 1), beta), -beta * t), (jump[None, :], np.array([v[0]]))]
    if activation == "tanh":
        return [(np.full((K, 1), beta / 2), -beta * t / 2), (jump[None, :] / 2, np.array([v[0] + jump.sum() / 2]))]
    raise ValueError(f"no staircase for activation {activation!r}; allowed: ['sigmoid', 'tanh']")


CONSTRUCTIONS = {"relu": "relu_interp", "sigmoid": "staircase", "tanh": "staircase"}  # activation -> its construction


def construct(activation: str, K: int, fn, lo: float = -1.0, hi: float = 1.0):
    """The construction CONSTRUCTIONS[activation] with K units (see the module docstring)."""
    if activation not in CONSTRUCTIONS:
        raise ValueError(f"no construction for activation {activation!r}; allowed: {sorted(CONSTRUCTIONS)}")
    if activation == "relu":
        nodes = interp_nodes(K, lo, hi)
        return relu_interpolant(nodes, fn(nodes))
    return staircase(K, fn, activation, lo, hi)
