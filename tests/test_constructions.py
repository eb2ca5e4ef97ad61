"""Hand-built nets: the tent map and Montufar's folding net, counted exactly."""

import numpy as np
import pytest

from mlp.constructions import montufar_net, tent_map_net
from mlp.regions import count_regions


def forward(params, x):
    """Output (n, K_out) of the relu net at x (n, D)."""
    h = x
    for W, b in params[:-1]:
        h = np.maximum(h @ W.T + b, 0.0)
    W, b = params[-1]
    return h @ W.T + b


@pytest.mark.parametrize("L", range(1, 9))
def test_tent_map_net_has_2_to_the_L_pieces_on_the_unit_interval(L):
    r = count_regions(tent_map_net(L), [[0.0, 1.0]])
    assert r.n_activation == r.n_linear == 2**L
    # the pieces of m^{oL} are [k / 2^L, (k + 1) / 2^L], k = 0..2^L - 1
    np.testing.assert_allclose(r.t, np.arange(2**L + 1) / 2**L, atol=1e-12)


@pytest.mark.parametrize("L", range(1, 9))
def test_tent_map_net_computes_the_composed_tent_map(L):
    x = np.linspace(0, 1, 1001)
    y = x.copy()
    for _ in range(L):
        y = np.where(y <= 0.5, 2 * y, 2 - 2 * y)  # m(y) = 2y on [0, 1/2], 2 - 2y on [1/2, 1]
    np.testing.assert_allclose(forward(tent_map_net(L), x[:, None])[:, 0], y, atol=1e-12)


def montufar_count(D, K, L):
    """prod_{l<L} floor(K/D)^D * sum_{j<=D} C(K, j), written out for D = 1, 2."""
    per_cell = K + 1 if D == 1 else 1 + K + K * (K - 1) // 2
    return (K // D) ** (D * (L - 1)) * per_cell


@pytest.mark.parametrize(
    ("D", "K", "L"),
    [(1, K, L) for K in (2, 3, 4) for L in range(1, 5)] + [(2, K, L) for K in (4, 6) for L in range(1, 4)],
)
def test_montufar_net_counts_equal_the_formula(D, K, L):
    params, box = montufar_net(D, K, L)
    r = count_regions(params, box)
    assert r.n_activation == r.n_linear == montufar_count(D, K, L)


def test_montufar_examples_from_the_reference():
    # D = 1: K^(L-1) (K + 1); D = 2, K = 4: 11, 44, 176 for L = 1, 2, 3
    assert [montufar_count(1, 4, L) for L in (1, 2, 3, 4)] == [5, 20, 80, 320]
    assert [montufar_count(2, 4, L) for L in (1, 2, 3)] == [11, 44, 176]


def test_montufar_net_shapes_and_box():
    params, box = montufar_net(2, [5, 4, 3], 3)
    assert [W.shape for W, _ in params] == [(5, 2), (4, 5), (3, 4), (1, 3)]
    np.testing.assert_array_equal(box, [[0.0, 1.0], [0.0, 1.0]])  # p_1 = floor(5/2) = 2, box [0, p_1/2]^2


def test_montufar_output_is_generic_not_axis_parallel():
    params, _ = montufar_net(2, 4, 1)
    W = params[0][0]
    assert np.all(abs(W) > 1e-3)  # no last-layer normal parallel to an axis (trap 2)


@pytest.mark.parametrize(
    ("args", "match"),
    [((0, 4, 2), "D=0"), ((2, 4, 0), "L=0"), ((2, 1, 2), r"K_l >= D=2"), ((2, [4, 4], 3), "3 ints")],
)
def test_montufar_bad_input_raises(args, match):
    with pytest.raises(ValueError, match=match):
        montufar_net(*args)


def test_tent_map_bad_input_raises():
    with pytest.raises(ValueError, match="L must be a positive int, got 0"):
        tent_map_net(0)
