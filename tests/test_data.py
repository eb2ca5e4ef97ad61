"""Data: Playground's datasets and split, truth tables, 1-D targets, derived seeds."""

import numpy as np
import pytest

from mlp.boolean import NAMED_2, function_outputs, truth_table_inputs
from mlp.data import FEATURES, PLAYGROUND, REGRESSION, features, playground_points, playground_split, target_1d
from mlp.seeding import rng


@pytest.mark.parametrize("name", sorted(PLAYGROUND))
def test_sizes_and_labels(name):
    X, y = playground_points(name, rng(0, "data"), noise=0.2)
    assert X.shape == ((1200, 2) if name in REGRESSION else (500, 2))
    if name in REGRESSION:
        # reg-plane: |x + y + nx + ny| / 10 <= (12 + 2 * 6 * 0.2) / 10; reg-gauss: |label| <= 1
        assert np.all(np.abs(X) <= 6) and np.all(np.abs(y) <= 1.44 + 1e-12)
    else:
        assert set(np.unique(y)) == {-1.0, 1.0}


def test_spiral_at_noise_zero_is_the_same_for_every_seed_and_follows_the_formula():
    X0, y0 = playground_points("spiral", rng(0, "data"))
    X1, _ = playground_points("spiral", rng(1, "data"))
    np.testing.assert_array_equal(X0, X1)
    i = 100  # r = 5 * 100/250 = 2, t = 1.75 * 2 pi * 100/250 = 1.4 pi
    np.testing.assert_allclose(X0[i], [2 * np.sin(1.4 * np.pi), 2 * np.cos(1.4 * np.pi)])
    np.testing.assert_allclose(X0[250 + i], -X0[i], atol=1e-12)  # the other arm: t + pi
    assert y0[i] == 1 and y0[250 + i] == -1
    np.testing.assert_array_equal(X0[0], X0[250])  # the contradicting pair at the origin


def test_circle_xor_gauss_geometry_at_noise_zero():
    X, y = playground_points("circle", rng(3, "data"))
    r = np.hypot(*X.T)
    assert np.all(r[y > 0] < 2.5) and np.all((r[y < 0] >= 3.5) & (r[y < 0] <= 5))
    X, y = playground_points("xor", rng(3, "data"))
    assert np.all(np.abs(X) >= 0.3) and np.all(y == np.where(X[:, 0] * X[:, 1] >= 0, 1, -1))
    X, y = playground_points("gauss", rng(3, "data"))
    assert np.allclose(X[y > 0].mean(0), [2, 2], atol=0.15) and np.allclose(X[y > 0].var(0), 0.5, atol=0.12)


def test_split_is_unstratified_half_half():
    positives = {int((playground_split("spiral", rng(s, "data")).Y_train > 0).sum()) for s in range(10)}
    assert len(positives) > 1  # the class balance of the training set varies with the seed
    split = playground_split("spiral", rng(0, "data"), train_pct=30)
    assert split.X_train.shape == (150, 2) and split.X_test.shape == (350, 2)


def test_features_in_playground_order():
    X = np.array([[2.0, 3.0]])
    np.testing.assert_allclose(features(X, ["x2", "x1x2", "x1"]), [[2.0, 3.0, 6.0]])  # fixed order
    assert list(FEATURES) == ["x1", "x2", "x1^2", "x2^2", "x1x2", "sin_x1", "sin_x2"]
    np.testing.assert_allclose(features(X, list(FEATURES)), [[2, 3, 4, 9, 6, np.sin(2), np.sin(3)]])


def test_truth_table_in_the_lectures_row_order():
    X = truth_table_inputs(3)
    np.testing.assert_array_equal(X[:3], [[-1, -1, -1], [-1, -1, 1], [-1, 1, -1]])  # Table 3.6
    np.testing.assert_array_equal(truth_table_inputs(2, "01"), [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(function_outputs(NAMED_2["XOR"], 2, "01"), [0, 1, 1, 0])
    np.testing.assert_array_equal(function_outputs(NAMED_2["AND"], 2), [-1, -1, -1, 1])


def test_seeds_are_derived_and_streams_independent():
    assert rng(1, "init").random() == rng(1, "init").random()
    assert rng(1, "init").random() != rng(1, "data").random()
    assert rng(1, "init").random() != rng(2, "init").random()


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda: playground_points("moons", rng(0)), r"unknown dataset 'moons'; allowed: \['circle'"),
        (lambda: playground_points("spiral", rng(0), noise=0.7), r"noise must lie in \[0, 0.5\], got 0.7"),
        (lambda: playground_split("spiral", rng(0), train_pct=95), r"train_pct must lie in \[10, 90\], got 95"),
        (lambda: features(np.zeros((1, 2)), ["x3"]), r"unknown or empty features \['x3'\]"),
        (lambda: target_1d("cosine", np.zeros(3)), r"unknown target 'cosine'; allowed"),
        (lambda: truth_table_inputs(0), r"n must be a positive integer, got 0"),
        (lambda: truth_table_inputs(2, "bool"), r"unknown encoding 'bool'; allowed"),
        (lambda: rng(-1), r"seed must be a non-negative integer, got -1"),
    ],
)
def test_bad_input_is_rejected_naming_the_value(call, message):
    with pytest.raises(ValueError, match=message):
        call()
