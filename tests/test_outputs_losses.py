"""The sparsemax loss with multi-label targets q (Martins and Astudillo 2016): the constant
1/2 ||q||^2 equals today's 1/2 for one-hot targets, bit for bit."""

import numpy as np
import pytest

from mlp.activations import sparsemax
from mlp.losses import loss_value_and_grad


def sparsemax_bisection(z, iters=200):
    """An independent oracle: tau with sum max(z - tau, 0) = 1 by bisection."""
    lo, hi = z.max(-1, keepdims=True) - 1, z.max(-1, keepdims=True)
    for _ in range(iters):
        tau = (lo + hi) / 2
        over = np.maximum(z - tau, 0).sum(-1, keepdims=True) > 1
        lo, hi = np.where(over, tau, lo), np.where(over, hi, tau)
    return np.maximum(z - (lo + hi) / 2, 0)


def label_sets(rng, n, C):
    """n random non-empty label sets as q, uniform over the set (n, C)."""
    S = rng.random((n, C)) < 0.4
    S[np.arange(n), rng.integers(C, size=n)] = True
    return S / S.sum(-1, keepdims=True)


def test_one_hot_targets_give_the_old_value_bit_for_bit():
    rng = np.random.default_rng(0)
    z = rng.normal(0, 3, (7, 50, 5))
    Y = np.eye(5)[rng.integers(5, size=(7, 50))]
    f = sparsemax(z)
    old = -np.sum(Y * z, axis=-1) + 0.5 * np.sum(f * (2 * z - f), axis=-1) + 0.5  # the constant 1/2 before
    value, grad = loss_value_and_grad("sparsemax", "sparsemax", z, f, Y)
    assert np.array_equal(value, old)
    assert np.array_equal(grad, f - Y)


def test_multilabel_value_is_half_the_squared_distance_gap():
    """L(z; q) = 1/2 ||z - q||^2 - 1/2 ||z - p||^2 with p the projection of z onto the simplex
    (Fenchel-Young with Omega = 1/2 ||p||^2): >= 0, and 0 exactly when p = q."""
    rng = np.random.default_rng(1)
    z = rng.normal(0, 2, (400, 4))
    q = label_sets(rng, 400, 4)
    p = sparsemax_bisection(z)
    value, _ = loss_value_and_grad("sparsemax", "sparsemax", z, sparsemax(z), q)
    expected = 0.5 * np.sum((z - q) ** 2, -1) - 0.5 * np.sum((z - p) ** 2, -1)
    np.testing.assert_allclose(value, expected, atol=1e-10)
    assert value.min() >= -1e-12
    at_q, _ = loss_value_and_grad("sparsemax", "sparsemax", q, sparsemax(q), q)  # sparsemax(q) = q
    np.testing.assert_allclose(at_q, 0.0, atol=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_multilabel_gradient_is_sparsemax_minus_q(seed):
    """Central differences of the value agree with the gradient sparsemax(z) - q."""
    rng = np.random.default_rng(seed)
    z = rng.normal(0, 2, (30, 5))
    q = label_sets(rng, 30, 5)
    h = 1e-6
    fd = np.empty_like(z)
    for c in range(5):
        e = np.zeros(5)
        e[c] = h
        up, _ = loss_value_and_grad("sparsemax", "sparsemax", z + e, sparsemax(z + e), q)
        down, _ = loss_value_and_grad("sparsemax", "sparsemax", z - e, sparsemax(z - e), q)
        fd[:, c] = (up - down) / (2 * h)
    _, grad = loss_value_and_grad("sparsemax", "sparsemax", z, sparsemax(z), q)
    np.testing.assert_allclose(grad, sparsemax(z) - q)
    np.testing.assert_allclose(fd, grad, atol=1e-6)
