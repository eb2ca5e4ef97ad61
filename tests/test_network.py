"""The network: backprop vs central finite differences for every activation, output map,
loss and depth 1-3; initialisation; shapes and bad input."""

import numpy as np
import pytest

from mlp.activations import elementwise_names
from mlp.losses import pairs
from mlp.network import Net, forward, init, objective, omega
from mlp.seeding import rngs

PAIRS = pairs()
HIDDEN = [g for g in elementwise_names() if g != "sign"]  # sign: zero gradient everywhere (tested below)


def problem(output, loss, depth, M=2, B=5, D=3, seed=0):
    C = 1 if loss == "binary_cross_entropy" else 3
    net = Net((D, *[4] * depth, C), hidden="tanh", output=output, loss=loss)
    r = np.random.default_rng(seed)
    X = r.normal(size=(B, D))
    if loss == "squared":
        Y = r.normal(size=(B, C))
    elif loss == "binary_cross_entropy":
        Y = r.integers(0, 2, size=(B, C)).astype(float)
    else:
        Y = np.eye(C)[r.integers(0, C, size=B)]
    return net, X, Y


def max_relative_error(net, params, X, Y, l2, eps=1e-6):
    """max over all parameters of |backprop - central difference| / max(1, |central difference|)."""
    _, _, grads = objective(net, params, X, Y, l2)
    worst = 0.0
    for (W, b), (gW, gb) in zip(params, grads):
        for A, gA in ((W, gW), (b, gb)):
            for idx in np.ndindex(A.shape):
                old = A[idx]
                A[idx] = old + eps
                plus = objective(net, params, X, Y, l2)[0][idx[0]]
                A[idx] = old - eps
                minus = objective(net, params, X, Y, l2)[0][idx[0]]
                A[idx] = old
                numeric = (plus - minus) / (2 * eps)
                worst = max(worst, abs(gA[idx] - numeric) / max(1.0, abs(numeric)))
    return worst


@pytest.mark.parametrize("depth", [1, 2, 3])
@pytest.mark.parametrize("output,loss", PAIRS)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_backprop_matches_finite_differences(hidden, output, loss, depth):
    net, X, Y = problem(output, loss, depth)
    net = Net(net.sizes, hidden=hidden, output=output, loss=loss)
    params = init(net, "glorot", rngs([3, 4], "init"))
    if hidden == "relu":  # keep pre-activations off the kink, where the derivative jumps
        params = [(W, b + 0.05) for W, b in params]
    assert max_relative_error(net, params, X, Y, l2=0.1) < 1e-6


def test_sign_network_has_zero_gradient_except_the_output_layer():
    net = Net((2, 3, 1), hidden="sign", output="linear", loss="squared")
    params = init(net, "glorot", rngs([0], "init"))
    X, Y = np.array([[0.3, -0.2], [1.0, 2.0]]), np.array([[1.0], [-1.0]])
    _, _, grads = objective(net, params, X, Y)
    assert np.all(grads[0][0] == 0) and np.all(grads[0][1] == 0)
    assert np.any(grads[1][0] != 0)


def test_ensemble_members_are_independent_networks():
    net, X, Y = problem("linear", "squared", 2, M=3)
    params = init(net, "he", rngs([5, 6, 7], "init"))
    f, _ = forward(net, params, X)
    for m, seed in enumerate([5, 6, 7]):
        alone = init(net, "he", rngs([seed], "init"))
        np.testing.assert_array_equal(alone[0][0][0], params[0][0][m])
        np.testing.assert_allclose(forward(net, alone, X)[0][0], f[m], rtol=0, atol=1e-15)


def test_per_member_inputs_broadcast():
    net, X, Y = problem("linear", "squared", 1)
    params = init(net, "glorot", rngs([1, 2], "init"))
    X2 = np.stack([X, 2 * X])
    f, _ = forward(net, params, X2)
    np.testing.assert_allclose(f[1], forward(net, [(W[1:], b[1:]) for W, b in params], 2 * X)[0][0])


def test_init_schemes_follow_their_definitions():
    net = Net((400, 300, 1))
    W_play, b_play = init(net, "playground", rngs([0], "init"))[0]
    assert W_play.min() >= -0.5 and W_play.max() < 0.5 and abs(W_play.mean()) < 0.01
    assert np.all(b_play == 0.1)
    W_he, b_he = init(net, "he", rngs([0], "init"))[0]
    assert W_he.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02) and np.all(b_he == 0)
    W_gl, _ = init(net, "glorot", rngs([0], "init"))[0]
    assert np.abs(W_gl).max() <= np.sqrt(6 / 700) and W_gl.std() == pytest.approx(np.sqrt(2 / 700), rel=0.02)
    assert init(net, "glorot", rngs([0], "init"), dtype=np.float32)[0][0].dtype == np.float32


def test_omega_is_half_the_squared_weight_norm():
    params = [(np.ones((1, 2, 3)), np.ones((1, 2))), (2 * np.ones((1, 1, 2)), np.ones((1, 1)))]
    assert omega(params)[0] == 0.5 * (6 + 8)  # biases excluded


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"sizes": (2,)}, r"sizes must be >= 2 positive integers"),
        ({"sizes": (2, 0, 1)}, r"sizes must be >= 2 positive integers.*\(2, 0, 1\)"),
        ({"sizes": (2, 1), "hidden": "swish"}, r"unknown activation 'swish'; allowed"),
        ({"sizes": (2, 1), "loss": "hinge"}, r"unknown loss 'hinge'; allowed"),
        ({"sizes": (2, 3), "output": "linear", "loss": "cross_entropy"}, r"needs output map 'softmax'"),
    ],
)
def test_bad_architectures_are_rejected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Net(**kwargs)


def test_wrong_shapes_are_rejected():
    net = Net((3, 4, 2))
    params = init(net, "glorot", rngs([0], "init"))
    with pytest.raises(ValueError, match=r"inputs must have shape \(\.\.\., B, 3\), got \(5, 2\)"):
        forward(net, params, np.zeros((5, 2)))
    with pytest.raises(ValueError, match=r"targets must have shape \(\.\.\., 5, 2\), got \(5, 3\)"):
        objective(net, params, np.zeros((5, 3)), np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"unknown init 'xavier'; allowed"):
        init(net, "xavier", rngs([0]))
