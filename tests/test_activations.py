"""Activations and output maps: derivatives vs finite differences, the simplex, extremes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import brentq

from mlp.activations import ACTIVATIONS, elementwise_names, get_activation, simplex_names, sparsemax

RNG = np.random.default_rng(0)


def numerical_jacobian(g, z, eps=1e-6):
    """J[i, j] = d g(z)_i / d z_j by central differences, z of shape (C,)."""
    J = np.empty((z.size, z.size))
    for j in range(z.size):
        e = np.zeros_like(z)
        e[j] = eps
        J[:, j] = (g(z + e) - g(z - e)) / (2 * eps)
    return J


@pytest.mark.parametrize("name", elementwise_names())
def test_derivative_matches_central_differences(name):
    act = ACTIVATIONS[name]
    z = np.linspace(-6, 6, 241)
    z = z[np.abs(z) > 1e-3]  # away from the kinks of relu and sign
    h = act.g(z)
    eps = 1e-6
    numeric = (act.g(z + eps) - act.g(z - eps)) / (2 * eps)
    np.testing.assert_allclose(act.derivative(z, h), numeric, atol=1e-8)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_vjp_is_the_transposed_jacobian(name):
    act = ACTIVATIONS[name]
    z = RNG.normal(size=5) * 2
    z[np.abs(z) < 1e-2] += 0.1  # off the kinks
    grad_h = RNG.normal(size=5)
    J = numerical_jacobian(act.g, z)
    np.testing.assert_allclose(act.vjp(z, act.g(z), grad_h), J.T @ grad_h, atol=1e-7)


def test_relu_derivative_at_zero_is_zero():
    z = np.array([0.0])
    assert ACTIVATIONS["relu"].derivative(z, ACTIVATIONS["relu"].g(z))[0] == 0.0


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_finite_without_warnings_at_extreme_inputs(name):
    z = np.array([[-1e4, 0.0, 1e4], [1e4, 1e4, -1e4], [-1e4, -1e4, -1e4]])
    h = ACTIVATIONS[name].g(z)
    assert np.all(np.isfinite(h))
    assert np.all(np.isfinite(ACTIVATIONS[name].vjp(z, h, np.ones_like(z))))


def test_unknown_activation_names_the_value_and_the_allowed_ones():
    with pytest.raises(ValueError, match=r"'swish'.*allowed.*relu"):
        get_activation("swish")


logits = arrays(np.float64, st.integers(2, 8), elements=st.floats(-1e4, 1e4, allow_nan=False))


@given(logits)
@settings(max_examples=200, deadline=None)
def test_simplex_maps_land_on_the_simplex(z):
    for name in simplex_names():
        p = ACTIVATIONS[name].g(z)
        assert np.all(p >= 0)
        assert abs(p.sum() - 1) < 1e-9
    assert np.all(ACTIVATIONS["softmax"].g(np.clip(z, -300, 300) / 1000) > 0)  # full support


def projection_by_bisection(z):
    """Independent oracle: the Euclidean projection onto the simplex is max(z - tau, 0) with
    tau the root of sum(max(z - tau, 0)) = 1, found by Brent's method on [min z - 1, max z]."""
    tau = brentq(lambda t: np.maximum(z - t, 0).sum() - 1, z.min() - 1, z.max(), xtol=1e-14, rtol=1e-15)
    return np.maximum(z - tau, 0)


@given(arrays(np.float64, st.integers(2, 8), elements=st.floats(-50, 50, allow_nan=False)))
@settings(max_examples=200, deadline=None)
def test_sparsemax_is_the_euclidean_projection(z):
    np.testing.assert_allclose(sparsemax(z), projection_by_bisection(z), atol=1e-9)


def test_sparsemax_returns_exact_zeros_and_softmax_never_does():
    z = np.array([3.0, 1.0, -2.0])  # sparsemax: tau = 2, p = (1, 0, 0)
    np.testing.assert_array_equal(sparsemax(z), [1.0, 0.0, 0.0])
    z = np.array([0.5, 0.0, -1.0])  # tau = (0.5 + 0 - 1) / 2 = -0.25: p = (0.75, 0.25, 0)
    np.testing.assert_allclose(sparsemax(z), [0.75, 0.25, 0.0])
    assert np.all(ACTIVATIONS["softmax"].g(z) > 0)


def test_activations_keep_leading_axes():
    z = RNG.normal(size=(3, 4, 5))
    for name, act in ACTIVATIONS.items():
        assert act.g(z).shape == z.shape, name


def test_exp_nonpositive_keeps_the_subnormal_range():
    """The CPU-independent e^x of the output maps agrees with libm's exp (math.exp) within
    (8 + |x|) ulps (an ulp of x moves e^x by |x| ulps: that is the input's own precision) down to
    the subnormals, and is 0 exactly where e^x underflows, so softmax entries are 0 only where
    float64 cannot hold them (C09)."""
    import math

    from mlp.activations import exp_nonpositive

    x = np.concatenate([-np.geomspace(1e-8, 700, 400), np.linspace(-760, -700, 601), [0.0, -1e4]])
    got = exp_nonpositive(x)
    want = np.array([math.exp(v) for v in x])
    assert np.all(np.abs(got - want) <= (8 + np.abs(x)) * np.spacing(want) + 2 * np.spacing(0.0))
    assert np.array_equal(got == 0, want == 0)
