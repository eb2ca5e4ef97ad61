"""Losses: gradients at the output pre-activation vs finite differences, the fused pairs
vs the unfused chain, and the edge cases of scikit-learn's test_base.py."""

import numpy as np
import pytest

from mlp.activations import ACTIVATIONS, sparsemax
from mlp.losses import LOSSES, check_pair, loss_value_and_grad, pairs

RNG = np.random.default_rng(1)
PAIRS = pairs()


def targets(loss, C, B=4):
    if loss == "squared":
        return RNG.normal(size=(B, C))
    if loss == "binary_cross_entropy":
        return RNG.integers(0, 2, size=(B, C)).astype(float)
    return np.eye(C)[RNG.integers(0, C, size=B)]


@pytest.mark.parametrize("output,loss", PAIRS)
def test_gradient_at_output_preactivation_matches_finite_differences(output, loss):
    C = 1 if output == "sigmoid" and loss == "binary_cross_entropy" else 3
    z = RNG.normal(size=(4, C)) * 2
    z[np.abs(z) < 1e-2] += 0.1
    Y = targets(loss, C)

    def total(z):
        f = ACTIVATIONS[output].g(z)
        return loss_value_and_grad(output, loss, z, f, Y)[0].sum()

    _, grad = loss_value_and_grad(output, loss, z, ACTIVATIONS[output].g(z), Y)
    eps = 1e-6
    numeric = np.zeros_like(z)
    for idx in np.ndindex(z.shape):
        e = np.zeros_like(z)
        e[idx] = eps
        numeric[idx] = (total(z + e) - total(z - e)) / (2 * eps)
    np.testing.assert_allclose(grad, numeric, atol=1e-7)


def test_cross_entropy_fused_equals_unfused_chain():
    z = RNG.normal(size=(5, 4))
    Y = np.eye(4)[[0, 3, 1, 2, 2]]
    p = ACTIVATIONS["softmax"].g(z)
    value, grad = loss_value_and_grad("softmax", "cross_entropy", z, p, Y)
    np.testing.assert_allclose(value, -np.log(np.sum(p * Y, axis=-1)), atol=1e-12)  # -log f_y
    grad_f = -Y / p  # dL/df of -log f_y, then through softmax's vjp
    np.testing.assert_allclose(grad, ACTIVATIONS["softmax"].vjp(z, p, grad_f), atol=1e-12)
    np.testing.assert_allclose(grad, p - Y, atol=1e-15)


def test_binary_cross_entropy_fused_equals_unfused_chain():
    z = RNG.normal(size=(6, 1))
    Y = np.array([[0.0], [1.0], [1.0], [0.0], [1.0], [0.0]])
    s = ACTIVATIONS["sigmoid"].g(z)
    value, grad = loss_value_and_grad("sigmoid", "binary_cross_entropy", z, s, Y)
    np.testing.assert_allclose(value, -(Y * np.log(s) + (1 - Y) * np.log(1 - s))[:, 0], atol=1e-12)
    grad_f = -Y / s + (1 - Y) / (1 - s)
    np.testing.assert_allclose(grad, ACTIVATIONS["sigmoid"].vjp(z, s, grad_f), atol=1e-12)


def test_sparsemax_loss_equals_its_variational_form():
    """L(z, y) = max_{p in simplex} (z.p - 1/2 ||p||^2) - z_y + 1/2, maximised at p = sparsemax(z)."""
    z = RNG.normal(size=(6, 5)) * 3
    Y = np.eye(5)[RNG.integers(0, 5, size=6)]
    p = sparsemax(z)
    value, grad = loss_value_and_grad("sparsemax", "sparsemax", z, p, Y)
    conjugate = np.sum(z * p, axis=-1) - 0.5 * np.sum(p**2, axis=-1)
    np.testing.assert_allclose(value, conjugate - np.sum(z * Y, axis=-1) + 0.5, atol=1e-12)
    np.testing.assert_allclose(grad, p - Y, atol=1e-15)
    assert np.all(value >= -1e-12)  # a loss: non-negative, zero iff p = onehot(y) with margin


def test_sparsemax_loss_is_zero_at_a_confident_correct_prediction():
    # z = (2, 0): tau = 1, p = (1, 0); L = -2 + 1/2 (4 - 1) + 1/2 = 0
    value, _ = loss_value_and_grad(
        "sparsemax", "sparsemax", np.array([[2.0, 0.0]]), np.array([[1.0, 0.0]]), np.array([[1.0, 0.0]])
    )
    assert value[0] == 0.0


@pytest.mark.parametrize("loss", ["cross_entropy", "sparsemax"])
def test_finite_loss_for_extreme_logits(loss):
    output = LOSSES[loss].output
    z = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4]])
    Y = np.eye(3)[[1, 0]]  # both wrong by a huge margin
    value, grad = loss_value_and_grad(output, loss, z, ACTIVATIONS[output].g(z), Y)
    assert np.all(np.isfinite(value)) and np.all(np.isfinite(grad))
    assert value[0] == pytest.approx(2e4)  # cross-entropy: logsumexp - z_y = 1e4 + 1e4


def test_binary_cross_entropy_finite_when_p_is_one():
    z = np.array([[1e4], [-1e4]])
    value, _ = loss_value_and_grad(
        "sigmoid", "binary_cross_entropy", z, ACTIVATIONS["sigmoid"].g(z), np.array([[1.0], [0.0]])
    )
    np.testing.assert_allclose(value, [0.0, 0.0], atol=1e-300)


def test_bad_names_and_pairs_are_rejected_with_the_allowed_values():
    with pytest.raises(ValueError, match=r"unknown loss 'hinge'; allowed: \['binary_cross_entropy'"):
        check_pair("softmax", "hinge")
    with pytest.raises(ValueError, match=r"'cross_entropy' needs output map 'softmax', got 'tanh'"):
        check_pair("tanh", "cross_entropy")
    with pytest.raises(ValueError, match=r"unknown output map 'softplus'"):
        check_pair("softplus", "squared")


def test_valid_pairs_are_exactly_the_pairs_the_core_accepts():
    valid = set(pairs())
    for out in ACTIVATIONS:
        for loss in LOSSES:
            try:
                check_pair(out, loss)
                accepted = True
            except ValueError:
                accepted = False
            assert ((out, loss) in valid) == accepted, (out, loss)
