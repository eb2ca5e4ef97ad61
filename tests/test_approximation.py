"""Approximation family (C10, C11): constructions, rates, the batched optimiser, smoke runs."""

import numpy as np
import pandas as pd
import pytest

from experiments.approximation import __main__ as steps
from experiments.approximation import depth as ds
from experiments.approximation import fitting as ft
from experiments.approximation import width as ap
from mlp.constructions import tent_map_net
from mlp.network import Net, objective, predict
from mlp.seeding import rngs


def _eval(params, x, act="relu"):
    K = params[0][0].shape[0]
    return predict(Net((1, K, 1), hidden=act), params, x[:, None])[:, 0]


@pytest.mark.parametrize("placement", ["grid", "mid"])
@pytest.mark.parametrize("K", [1, 2, 5, 16])
def test_relu_interpolant_is_the_piecewise_linear_interpolant(placement, K):
    nodes = ft.interp_nodes(K, placement)
    assert len(nodes) == K + 1 and nodes[0] == -1 and nodes[-1] == 1
    x = np.linspace(-1, 1, 1001)
    params = ft.relu_interpolant(nodes, np.sin(3 * nodes))
    assert params[0][0].shape == (K, 1)  # K relu units
    np.testing.assert_allclose(_eval(params, x), np.interp(x, nodes, np.sin(3 * nodes)), atol=1e-12)


def test_interpolant_error_on_abs_matches_the_derivation():
    x = np.linspace(-1, 1, 4001)  # contains 0
    for K in (4, 8, 16):
        # grid nodes -1 + 2k/K contain 0 for even K: |x| is reproduced exactly
        g = ft.relu_interpolant(ft.interp_nodes(K, "grid"), np.abs(ft.interp_nodes(K, "grid")))
        assert np.abs(_eval(g, x) - np.abs(x)).max() < 1e-12
        # mid knots: 0 lies in the piece [-1/K, 1/K] where g = 1/K, so sup = 1/K at x = 0
        m = ft.relu_interpolant(ft.interp_nodes(K, "mid"), np.abs(ft.interp_nodes(K, "mid")))
        assert np.abs(_eval(m, x) - np.abs(x)).max() == pytest.approx(1 / K, rel=1e-9)


def test_staircase_error_is_about_lip_h_over_2():
    # sin(pi x): Lipschitz constant pi, spacing h = 2/K, so sup error ~ pi h / 2 = pi / K
    x = np.linspace(-1, 1, 20001)
    for K in (32, 128):
        err = np.abs(_eval(ft.staircase(K, lambda t: np.sin(np.pi * t)), x, "sigmoid") - np.sin(np.pi * x)).max()
        assert 0.5 * np.pi / K < err < 1.2 * np.pi / K


def test_theory_rates_and_slope_fit():
    assert ap.theory_rate("relu_interp", "sine", "sup")[0] == -2
    assert ap.theory_rate("relu_interp_mid", "abs", "sup")[0] == -1
    assert ap.theory_rate("relu_interp_mid", "abs", "rms")[0] == -1.5
    assert np.isnan(ap.theory_rate("relu_interp", "abs", "sup")[0])
    assert ap.theory_rate("staircase", "oscillating", "rms")[0] == -1
    K = np.array([1, 2, 4, 8, 16])
    assert ap.fit_slope(K, 3.0 * K**-2.0, 3) == pytest.approx(-2.0)
    assert np.isnan(ap.fit_slope(K, np.zeros(5), 3))  # exact fits have no slope


def test_batched_lbfgs_matches_separate_quadratics():
    # f_m(x) = 1/2 sum_i a_mi (x_i - c_mi)^2: each member's minimiser is c_m, whatever the others do
    rng = np.random.default_rng(0)
    a, c = rng.uniform(0.1, 100, (3, 5)), rng.normal(size=(3, 5))
    theta, f, _ = ft.batched_lbfgs(lambda t: (0.5 * np.sum(a * (t - c) ** 2, 1), a * (t - c)), np.zeros((3, 5)), 100)
    np.testing.assert_allclose(theta, c, atol=1e-6)
    assert f.max() < 1e-10


def test_fit_lbfgs_lowers_every_members_loss_and_readout_is_least_squares():
    X = np.linspace(-1, 1, 40)[:, None]
    Y = np.sin(np.pi * X)
    net = Net((1, 6, 1), hidden="tanh")
    W1, b1 = ft.spread_features(6, rngs(range(3), "t"), -1, 1, 1.0)
    init = ft.lstsq_readout(net, W1, b1, X, Y)
    # least squares: the readout gradient vanishes at the fitted output layer
    _, loss0, grads = objective(net, init, X, Y)
    assert np.abs(grads[1][0]).max() < 1e-6
    params, loss = ft.fit_lbfgs(net, init, X, Y, 50)
    assert np.all(loss < loss0)


def test_sawtooth_closed_form_and_deep_net():
    # m(x) = 2x on [0, 1/2], 2 - 2x on [1/2, 1]; m(m(1/4)) = m(1/2) = 1, m(m(1/8)) = m(1/4) = 1/2
    assert ds.sawtooth(1, np.array([0.25, 0.5, 0.75, 1.0])).tolist() == [0.5, 1.0, 0.5, 0.0]
    assert ds.sawtooth(2, np.array([0.125, 0.25, 0.5])).tolist() == [0.5, 1.0, 0.0]
    deep = ds.deep_rows([1, 3, 5])
    assert deep["pieces"].tolist() == [2, 8, 32]
    assert (deep["max_abs_err"] < 1e-12).all()
    x = np.linspace(0, 1, 101)[:, None]
    f = predict(Net((1, 2, 2, 1), hidden="relu"), tent_map_net(2), x)[:, 0]
    np.testing.assert_allclose(f, ds.sawtooth(1, ds.sawtooth(1, x[:, 0])), atol=1e-12)


def test_lower_bound_formula_and_against_random_piecewise_linear_functions():
    # K >= 2^(L-2) - 1: L = 4 -> 3, L = 6 -> 15; (1 - (2s + 2)/2^L)/8 at L = 5, s = 3 is (1 - 8/32)/8 = 3/32
    assert [ds.min_units_bound(L) for L in (1, 2, 3, 4, 6)] == [1, 1, 1, 3, 15]
    assert ds.l1_lower_bound(5, 3) == pytest.approx(3 / 32)
    rng = np.random.default_rng(1)
    L, x = 6, ds.midpoints(2**14)
    for _ in range(20):
        K = int(rng.integers(1, 12))
        nodes = np.concatenate([[0], np.sort(rng.uniform(0, 1, K - 1)), [1]])
        g = ds.relu_interpolant(nodes, rng.uniform(0, 1, K + 1))
        l1 = np.mean(np.abs(predict(Net((1, K, 1), hidden="relu"), g, x)[:, 0] - ds.sawtooth(L, x[:, 0])))
        assert l1 >= ds.l1_lower_bound(L, K) - 1e-6


def test_plateau_construction_reaches_the_target_at_three_quarters_of_2L():
    # exact up to a = (K - 3/2)/2^L, then 1/2: L1 = (1 - a)/4 < 1/16 iff K >= 3 * 2^(L-2) + 2
    L, x = 5, ds.midpoints(2**13)
    for K, ok in ((25, False), (26, True)):
        l1 = np.mean(
            np.abs(predict(Net((1, K, 1), hidden="relu"), ds.plateau_net(L, K), x)[:, 0] - ds.sawtooth(L, x[:, 0]))
        )
        assert l1 == pytest.approx((1 - (K - 1.5) / 32) / 4, abs=1e-6)
        assert (l1 < 1 / 16) == ok


QUICK_W = {
    "seed": 0,
    "targets": ["sine", "abs"],
    "activations": ["relu", "tanh"],
    "widths": [1, 2, 4],
    "train_points": 30,
    "eval_points": 101,
    "restarts": 2,
    "unit_budget": 4,
    "lbfgs_maxiter": 10,
    "w_scale": {"sigmoid": 2.0, "tanh": 1.0, "relu": 1.0},
    "sgd": {"lr": 1.0, "batch_size": 10, "epochs": 2},
    "fit_last": 2,
    "rms_tol": 0.5,
    "slope_tol": 0.5,
}
QUICK_D = {
    "seed": 0,
    "depths": [1, 2, 3],
    "trained_depths": [2],
    "plot_depths": [2],
    "widths": [1, 2, 4],
    "l1_target": 0.0625,
    "restarts": 2,
    "unit_budget": 4,
    "lbfgs_maxiter": 10,
    "points_per_piece": 4,
}


def test_width_cell_is_deterministic_and_restarts_are_cut():
    a = ap.width_cell("abs", "relu", {**QUICK_W, "w_scale": 1.0})
    b = ap.width_cell("abs", "relu", {**QUICK_W, "w_scale": 1.0})
    pd.testing.assert_frame_equal(a, b)
    assert a.loc[a["K"] == 4, "restarts"].tolist() == [1, 1]  # unit_budget 4 // K = 1
    assert set(a["method"]) == {"lbfgs", "sgd"}


def test_steps_smoke(tmp_path):
    res, fig = tmp_path / "results", tmp_path / "figures"
    for t in QUICK_W["targets"]:
        for act in QUICK_W["activations"]:
            steps.width({**QUICK_W, "target": t, "activation": act, "w_scale": 1.0}, res, fig)
    steps.width_summary(QUICK_W, res, fig)
    steps.shallow({**QUICK_D, "L": 2}, res, fig)
    steps.depth_summary(QUICK_D, res, fig)
    steps.claims_step({}, res, fig)
    rows = pd.read_csv(res / "claims.csv")
    assert rows["claim"].tolist() == ["C10", "C10", "C10", "C11"]
    assert (fig / "width_errors.png").stat().st_size > 0 and (fig / "depth_units.png").stat().st_size > 0
    need = pd.read_csv(res / "depth_needed.csv")
    assert need["deep_units"].tolist() == [2, 4, 6]
