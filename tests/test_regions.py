"""Exact region counting: Zaslavsky's count, grid sampling as an independent lower bound."""

from itertools import combinations

import numpy as np
import pytest

from mlp.bounds import zaslavsky
from mlp.decisions import SIGN, Decisions, affine, side, tally
from mlp.regions import activation_pattern, count_regions, count_segment


def random_net(rng, widths, D=2):
    """A generic random net [(W, b), ...] with hidden widths `widths` and one output."""
    params, K_prev = [], D
    for K in [*widths, 1]:
        params.append((rng.normal(size=(K, K_prev)) * np.sqrt(2 / K_prev), rng.normal(size=K) * 0.5))
        K_prev = K
    return params


def lines_and_box(rng, K):
    """K random lines w . x + b = 0 (unit normals, within 1/2 of 0) and a box holding all their vertices."""
    W = rng.normal(size=(K, 2))
    W /= np.linalg.norm(W, axis=1, keepdims=True)
    b = rng.uniform(-0.5, 0.5, size=K)
    vertices = [np.linalg.solve(W[[i, j]], -b[[i, j]]) for i, j in combinations(range(K), 2)]
    pts = np.array([[-1.0, -1.0], [1.0, 1.0], *vertices])
    return W, b, np.stack([pts.min(0) - 1, pts.max(0) + 1], axis=1)  # box (2, 2)


def polygon_areas(r):
    """Shoelace areas (P,) of the counter-clockwise polygons of a Regions2D."""
    return np.array(
        [0.5 * np.sum(v[:, 0] * np.roll(v[:, 1], -1) - np.roll(v[:, 0], -1) * v[:, 1]) for v in r.polygons()]
    )


@pytest.mark.parametrize("K", range(1, 9))
def test_one_layer_in_general_position_has_zaslavsky_many_regions_2d(K):
    rng = np.random.default_rng(K)
    W, b, box = lines_and_box(rng, K)
    r = count_regions([(W, b), (rng.normal(size=(1, K)), np.zeros(1))], box)
    # sum_{j<=2} C(K, j) = 1 + K + K (K - 1) / 2
    assert r.n_activation == r.n_linear == 1 + K + K * (K - 1) // 2 == zaslavsky(2, K)


@pytest.mark.parametrize("K", range(1, 9))
def test_k_breakpoints_inside_a_segment_give_k_plus_1_pieces(K):
    rng = np.random.default_rng(K)
    D = 3
    xa, xb = rng.normal(size=D), rng.normal(size=D)
    q = rng.uniform(0.05, 0.95, size=K)  # breakpoints t = q_i of z_i(x(t)) = w_i . x(t) + b_i
    W = rng.normal(size=(K, D))
    b = -W @ xa - q * (W @ (xb - xa))
    r = count_segment([(W, b), (rng.normal(size=(1, K)), np.zeros(1))], xa, xb)
    assert r.n_activation == r.n_linear == K + 1
    np.testing.assert_allclose(r.t[1:-1], np.sort(q), rtol=1e-12)


def test_units_with_zero_output_weight_do_not_split_linear_regions():
    rng = np.random.default_rng(0)
    W, b, box = lines_and_box(rng, 6)
    v = np.array([[1.0, -2.0, 0.5, 0.0, 0.0, 0.0]])  # only lines 0, 1, 2 bend the output
    r = count_regions([(W, b), (v, np.zeros(1))], box)
    assert (r.n_activation, r.n_linear) == (zaslavsky(2, 6), zaslavsky(2, 3))  # 22, 7
    r1 = count_segment([(np.ones((5, 1)), -np.arange(1, 6) / 6), (v[:, :5], np.zeros(1))], [0.0], [1.0])
    assert (r1.n_activation, r1.n_linear) == (6, 4)  # breakpoints 1/6..5/6, three of them bend


def test_constant_output_is_one_linear_region():
    rng = np.random.default_rng(1)
    params = random_net(rng, [8, 8, 8])
    params[-1] = (np.zeros((1, 8)), np.ones(1))
    r = count_regions(params, [[-2, 2], [-2, 2]])
    assert r.n_activation > 50 and r.n_linear == 1
    assert count_segment(params, [-2.0, -1.0], [2.0, 1.0]).n_linear == 1


def test_polygons_tile_the_box_and_carry_their_patterns():
    rng = np.random.default_rng(2)
    params = random_net(rng, [8, 8, 8])
    box = np.array([[-2.0, 1.0], [-1.0, 2.0]])
    r = count_regions(params, box)
    areas = polygon_areas(r)
    assert np.all(areas > 0) and np.isclose(areas.sum(), 9.0)  # 3 x 3 box
    centroids = np.array([v.mean(0) for v in r.polygons()])  # inside each convex polygon
    np.testing.assert_array_equal(activation_pattern(params, centroids), r.pattern)
    assert r.n_activation == len(r.n_vertices)  # one polygon per pattern


def test_segment_pieces_carry_their_patterns():
    rng = np.random.default_rng(3)
    params = random_net(rng, [8, 8, 8])
    xa, xb = np.array([-2.0, 0.5]), np.array([2.0, -1.0])
    r = count_segment(params, xa, xb)
    t_mid = (r.t[1:] + r.t[:-1]) / 2
    np.testing.assert_array_equal(activation_pattern(params, xa + t_mid[:, None] * (xb - xa)), r.pattern)


def test_dense_grid_sampling_is_a_lower_bound_close_to_the_exact_count():
    rng = np.random.default_rng(4)
    params = random_net(rng, [6, 6, 6])
    r = count_regions(params, [[-1, 1], [-1, 1]])
    g = np.linspace(-1, 1, 400)
    x = np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2)  # (160000, 2)
    sampled = np.unique(activation_pattern(params, x), axis=0)
    exact = {row.tobytes() for row in r.pattern}
    assert all(row.tobytes() in exact for row in sampled)  # every sampled pattern is a region
    assert 0.9 * r.n_activation <= len(sampled) <= r.n_activation


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ([(np.ones((3, 4, 2)), np.zeros((3, 4))), (np.ones((3, 1, 4)), np.zeros((3, 1)))], "ensemble"),
        ([(np.ones((4, 3)), np.zeros(4)), (np.ones((1, 4)), np.zeros(1))], r"W.shape=\(4, 3\)"),
        ([(np.ones((4, 2)), np.zeros(4)), (np.ones((1, 5)), np.zeros(1))], r"W.shape=\(1, 5\)"),
        ([(np.ones((1, 2)), np.zeros(1))], "1 layer"),
    ],
)
def test_bad_params_raise(params, match):
    with pytest.raises(ValueError, match=match):
        count_regions(params, [[0, 1], [0, 1]])


def test_bad_box_or_segment_raises():
    params = random_net(np.random.default_rng(0), [3])
    with pytest.raises(ValueError, match=r"box must be .* got \[\[0.0, 1.0\], \[0.0, 1.0\], \[0.0, 1.0\]\]"):
        count_regions(params, [[0, 1], [0, 1], [0, 1]])
    with pytest.raises(ValueError, match="lo < hi"):
        count_regions(params, [[1, 0], [0, 1]])
    with pytest.raises(ValueError, match=r"\(2,\) and \(3,\)"):
        count_segment(params, [0, 0], [1, 1, 1])
    with pytest.raises(ValueError, match=r"W.shape=\(3, 2\), expected \(3, 3\)"):
        count_segment(params, [0, 0, 0], [1, 1, 1])


# ---------------------------------------------------------------- margins and fixed-order arithmetic


def test_affine_sums_in_a_fixed_order_and_agrees_with_matmul():
    rng = np.random.default_rng(5)
    h, W, b = rng.normal(size=(7, 3, 5)), rng.normal(size=(4, 5)), rng.normal(size=4)
    expected = ((((h[..., :1] * W[:, 0] + h[..., 1:2] * W[:, 1]) + h[..., 2:3] * W[:, 2]) + h[..., 3:4] * W[:, 3])
                + h[..., 4:5] * W[:, 4]) + b  # fmt: skip
    np.testing.assert_array_equal(affine(h, W, b), expected)  # bit for bit: j = 0, 1, ... in order
    np.testing.assert_allclose(affine(h, W, b), h @ W.T + b, rtol=1e-12)


def test_side_reads_values_within_the_margin_as_on_the_line():
    m = np.ones(5)
    z = np.array([1e-3, -1e-3, 0.5 * SIGN, -0.5 * SIGN, 0.0])
    np.testing.assert_array_equal(side(z, m), [1, -1, 0, 0, 0])
    # 0.5 SIGN is above the float-noise level NOISE: inside the noise band; 0 is a clean zero
    assert tally(z, m) == Decisions(total=5, zero=1, noise_band=2)


def three_lines(offset):
    """x = 0, y = 0 and x + y = offset in [-1, 1]^2, with a generic output."""
    W, b = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), np.array([0.0, 0.0, -offset])
    return [(W, b), (np.array([[1.0, -2.0, 3.5]]), np.zeros(1))]


def test_concurrent_lines_do_not_cut_a_sliver():
    # three lines through one point: 6 regions, not Zaslavsky's 7 of general position
    r = count_regions(three_lines(0.0), [[-1, 1], [-1, 1]])
    assert r.n_activation == r.n_linear == 6
    assert r.decisions.zero > 0 and r.decisions.noise_band == 0


def test_a_thin_triangle_above_the_margin_is_resolved():
    # x + y = 1e-6 misses the crossing of x = 0 and y = 0: a triangle of legs 1e-6, 7 regions
    r = count_regions(three_lines(1e-6), [[-1, 1], [-1, 1]])
    assert r.n_activation == r.n_linear == 7 and r.decisions.noise_band == 0


def test_a_triangle_inside_the_noise_band_is_read_as_a_point_and_tallied():
    # offset 2^-40 (~9e-13) on magnitudes ~2: between float noise and the margin, read as 0
    r = count_regions(three_lines(2.0**-40), [[-1, 1], [-1, 1]])
    assert r.n_activation == 6 and r.decisions.noise_band > 0


def test_random_nets_make_no_decision_in_the_noise_band():
    rng = np.random.default_rng(7)
    for widths in ([12], [6, 6], [4, 4, 4]):
        params = random_net(rng, widths)
        assert count_regions(params, [[-1, 1], [-1, 1]]).decisions.noise_band == 0
        assert count_segment(params, [-1.0, -1.0], [1.0, 1.0]).decisions.noise_band == 0
