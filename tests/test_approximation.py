"""Approximation family (C10, C11): constructions and their error laws, the exact 1-D evaluator,
the batched optimiser, rates and slope intervals, the plan's checks, and a smoke run of every
step on config.quick.yaml."""

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import ROOT

from experiments.approximation import constructions as cs
from experiments.approximation import depth as ds
from experiments.approximation import fitting as ft
from experiments.approximation import plan, rates
from experiments.approximation.__main__ import STEPS
from experiments.approximation.errors import approximation_error, best_restarts, construction_grid
from experiments.approximation.evaluate import ASYMPTOTES, evaluate
from experiments.approximation.trained import width_cell
from experiments.cli import step_cfgs
from experiments.io import TableError
from mlp.constructions import tent_map_net
from mlp.data import target_1d
from mlp.network import Net, objective, predict
from mlp.seeding import rngs

QUICK = yaml.safe_load((ROOT / "config.quick.yaml").read_text())["approximation"]


def _eval(params, x, act="relu"):
    return predict(Net((1, params[0][0].shape[0], 1), hidden=act), params, x[:, None])[:, 0]


@pytest.mark.parametrize("K", [1, 2, 5, 16])
def test_relu_interpolant_is_the_piecewise_linear_interpolant(K):
    nodes = cs.interp_nodes(K)
    assert len(nodes) == K + 1 and nodes[0] == -1 and nodes[-1] == 1
    x = np.linspace(-1, 1, 1001)
    params = cs.relu_interpolant(nodes, np.sin(3 * nodes))
    assert params[0][0].shape == (K, 1)  # K relu units
    np.testing.assert_allclose(_eval(params, x), np.interp(x, nodes, np.sin(3 * nodes)), atol=1e-12)


def test_interpolant_errors_follow_the_theory():
    # C2 target sin(pi x): sup error -> h^2/8 max|f''| = (2/K)^2 / 8 * pi^2 (max at a piece's middle)
    x = np.linspace(-1, 1, 8 * 256 + 1)
    for K in (64, 256):
        err = np.abs(_eval(cs.construct("relu", K, lambda t: np.sin(np.pi * t)), x) - np.sin(np.pi * x)).max()
        assert err == pytest.approx((2 / K) ** 2 / 8 * np.pi**2, rel=0.01)
    # kink |x - c| at c = -1/3, 1/3 of the way into its piece for K = 2^j: the chord is
    # 2 theta (1 - theta) h = (4/9) (2/K) above the V at c
    f = lambda t: np.abs(t + 1 / 3)  # noqa: E731
    for K in (64, 256):
        err = np.abs(_eval(cs.construct("relu", K, f), np.array([-1 / 3])) - 0.0).max()
        assert err == pytest.approx(4 / 9 * 2 / K, rel=1e-9)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_staircase_error_is_about_lip_h_over_2_and_the_same_for_sigmoid_and_tanh(activation):
    # sin(pi x): Lipschitz constant pi, spacing h = 2/K, so sup error ~ pi h / 2 = pi / K
    x = np.linspace(-1, 1, 20001)
    for K in (32, 128):
        g = _eval(cs.staircase(K, lambda t: np.sin(np.pi * t), activation), x, activation)
        assert 0.5 * np.pi / K < np.abs(g - np.sin(np.pi * x)).max() < 1.2 * np.pi / K
        ref = _eval(cs.staircase(K, lambda t: np.sin(np.pi * t), "sigmoid"), x, "sigmoid")
        np.testing.assert_allclose(g, ref, atol=1e-12)  # sigmoid(z) = (1 + tanh(z / 2)) / 2


def test_no_construction_for_other_activations():
    with pytest.raises(ValueError, match=r"no construction for activation 'linear'; allowed: \['relu'"):
        cs.construct("linear", 4, np.sin)


@pytest.mark.parametrize("activation", sorted(ASYMPTOTES))
def test_exact_evaluator_equals_the_forward_pass(activation):
    """Random nets with slopes of both signs and zero slopes, at grid points and exactly at the
    band edges: the evaluator is the network, to round-off."""
    rng = np.random.default_rng(0)
    for K in (1, 3, 60):
        w = rng.normal(0, 30, K)
        w[: K // 5] = 0.0
        b, a = rng.normal(0, 10, K), rng.normal(size=K)
        params = [(w[:, None], b), (a[None], np.array([0.3]))]
        Z = ASYMPTOTES[activation].Z
        edges = np.concatenate([(s - b[w != 0]) / w[w != 0] for s in (-Z, Z)])
        x = np.concatenate([np.linspace(-1, 1, 1001), edges])
        ref = _eval(params, x, activation)
        np.testing.assert_allclose(evaluate(activation, params, x), ref, rtol=0, atol=1e-12 * np.abs(a).sum() * 300)


def test_exact_evaluator_on_wide_constructions():
    f = lambda t: target_1d("bumps", t)  # noqa: E731
    for act in ASYMPTOTES:
        for K in (64, 1024):
            x = construction_grid(K, 257, 8)
            np.testing.assert_allclose(
                evaluate(act, cs.construct(act, K, f), x), _eval(cs.construct(act, K, f), x, act), atol=1e-12
            )
    with pytest.raises(ValueError, match="no asymptotes for activation 'linear'"):
        evaluate("linear", cs.construct("relu", 4, f), np.zeros(3))


def test_construction_grid_holds_every_node_and_midpoint():
    x = construction_grid(1024, 4097, 8)
    assert len(x) == 8 * 1024 + 1
    nodes = np.linspace(-1, 1, 2 * 1024 + 1)  # nodes and piece midpoints
    assert np.isin(nodes, x).all()
    assert len(construction_grid(4, 4097, 8)) == 4097


def test_theory_rates_and_slope_interval():
    assert rates.theory_rate("relu_interp", "sines")[0] == -2
    assert rates.theory_rate("relu_interp", "kink")[0] == -1
    assert rates.theory_rate("staircase", "bumps")[0] == -1
    assert np.isnan(rates.theory_rate("lbfgs", "sines")[0])
    assert np.isnan(rates.theory_rate("relu_interp", "abs")[0])  # no class listed: not judged
    K = np.array([1, 2, 4, 8, 16])
    est = rates.fit_slope(K, 3.0 * K**-2.0, 3)
    assert est.value == pytest.approx(-2.0) and est.lo == pytest.approx(-2.0) == est.hi  # an exact power law
    noisy = rates.fit_slope(K, 3.0 * K**-2.0 * np.array([1, 1.3, 0.8, 1.2, 0.9]), 5)
    assert noisy.lo < -2.0 < noisy.hi and noisy.hi - noisy.lo > 0.1
    assert np.isnan(rates.fit_slope(K, np.zeros(5), 3).value)  # exact fits have no slope


def test_slopes_table_judges_the_interval_not_the_point():
    K = 2.0 ** np.arange(10, 15)
    errs = pd.DataFrame(
        {"target": "sines", "activation": "relu", "method": "relu_interp", "K": K, "sup": K**-1.85, "rms": K**-2.0}
    )
    sl = rates.slopes(errs, 5, 0.1).set_index("norm")
    assert sl.loc["sup", "theory"] == -2 and not sl.loc["sup", "near_theory"]  # -1.85 is 0.15 off
    assert np.isnan(sl.loc["rms", "theory"])  # the sup norm decides
    errs["sup"] = K**-1.95
    assert rates.slopes(errs, 5, 0.1).set_index("norm").loc["sup", "near_theory"]


def test_best_restart_counts_only_stationary_members():
    cells = pd.DataFrame(
        {
            "target": "sines",
            "activation": "tanh",
            "method": "lbfgs",
            "K": [4, 4, 4, 8],
            "restart": [0, 1, 2, 0],
            "train_loss": [1e-3, 1e-5, 1e-4, 1e-6],
            "last_change": [0.0, 0.5, 0.001, 0.2],  # restart 1 is best but still moving
            "sup": [0.3, 0.01, 0.1, 0.001],
            "rms": [0.1, 0.001, 0.01, 1e-4],
        }
    )
    best = best_restarts(cells, 0.01).set_index("K")
    assert best.loc[4, "n_converged"] == 2 and best.loc[4, "sup"] == 0.1  # restart 2, not restart 1
    assert best.loc[8, "n_converged"] == 0 and np.isnan(best.loc[8, "sup"])
    approx = approximation_error(best.reset_index(), {"lbfgs"})
    assert approx["K"].tolist() == [4]


def test_batched_lbfgs_matches_separate_quadratics():
    # f_m(x) = 1/2 sum_i a_mi (x_i - c_mi)^2: each member's minimiser is c_m, whatever the others do
    rng = np.random.default_rng(0)
    a, c = rng.uniform(0.1, 100, (3, 5)), rng.normal(size=(3, 5))
    theta, f, history = ft.batched_lbfgs(
        lambda t: (0.5 * np.sum(a * (t - c) ** 2, 1), a * (t - c)), np.zeros((3, 5)), 100
    )
    np.testing.assert_allclose(theta, c, atol=1e-6)
    assert f.max() < 1e-10 and history.shape == (101, 3)
    assert (np.diff(history, axis=0) <= 0).all()  # Armijo: never uphill
    np.testing.assert_array_equal(history[-1], f)


def test_fit_lbfgs_lowers_every_members_loss_and_readout_is_least_squares():
    X = np.linspace(-1, 1, 40)[:, None]
    Y = np.sin(np.pi * X)
    net = Net((1, 6, 1), hidden="tanh")
    W1, b1 = ft.spread_features(6, rngs(range(3), "t"), -1, 1, 1.0)
    init = ft.lstsq_readout(net, W1, b1, X, Y)
    _, loss0, grads = objective(net, init, X, Y)
    assert np.abs(grads[1][0]).max() < 1e-6  # least squares: the readout gradient vanishes
    params, loss, history = ft.fit_lbfgs(net, init, X, Y, 50)
    assert np.all(loss < loss0) and np.allclose(history[0], loss0)


def test_width_cell_is_deterministic_and_shares_starts_across_targets():
    cfg = step_cfgs(STEPS["width"], QUICK)["tanh"]
    a, b = width_cell("tanh", cfg), width_cell("tanh", cfg)
    pd.testing.assert_frame_equal(a, b)
    assert set(a["method"]) == {"lbfgs", "sgd"} and set(a["target"]) == set(QUICK["width"]["targets"])
    assert a.groupby("K")["restart"].nunique().to_dict() == {K: plan.restarts_for(K, cfg) for K in cfg["widths"]}
    assert set(a.loc[a["method"] == "sgd", "K"]) == set(cfg["sgd"]["widths"])


def test_sawtooth_closed_form_and_deep_net():
    # m(x) = 2x on [0, 1/2], 2 - 2x on [1/2, 1]; m(m(1/4)) = m(1/2) = 1, m(m(1/8)) = m(1/4) = 1/2
    assert ds.sawtooth(1, np.array([0.25, 0.5, 0.75, 1.0])).tolist() == [0.5, 1.0, 0.5, 0.0]
    assert ds.sawtooth(2, np.array([0.125, 0.25, 0.5])).tolist() == [0.5, 1.0, 0.0]
    deep = ds.deep_rows([1, 3, 5])
    assert deep["pieces"].tolist() == [2, 8, 32] and deep["units"].tolist() == [2, 6, 10]
    assert (deep["max_abs_err"] < 1e-12).all()
    x = np.linspace(0, 1, 101)[:, None]
    f = predict(ds.relu_net(tent_map_net(2)), tent_map_net(2), x)[:, 0]
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
        g = cs.relu_interpolant(nodes, rng.uniform(0, 1, K + 1))
        assert ds.l1_error(g, x, ds.sawtooth(L, x[:, 0])) >= ds.l1_lower_bound(L, K) - 1e-6


def test_plateau_construction_reaches_the_target_at_three_quarters_of_2L():
    # exact up to a = (K - 3/2)/2^L, then 1/2: L1 = (1 - a)/4 < 1/16 iff K >= 3 * 2^(L-2) + 2
    L, x = 5, ds.midpoints(2**13)
    for K, ok in ((25, False), (26, True)):
        l1 = ds.l1_error(ds.plateau_net(L, K), x, ds.sawtooth(L, x[:, 0]))
        assert l1 == pytest.approx((1 - (K - 1.5) / 32) / 4, abs=1e-6)
        assert (l1 < 1 / 16) == ok


def test_growth_slope_interval():
    need = pd.DataFrame({"L": [3, 4, 5, 6], "shallow_constructed": [8, 16, 32, 64]})
    est = ds.growth_slope(need)
    assert est.value == pytest.approx(1.0) and est.lo == pytest.approx(1.0)
    assert np.isnan(ds.growth_slope(need.head(2)).value)


# ---------------------------------------------------------------- plan and config


def test_cells_hold_only_their_own_parameters():
    block = yaml.safe_load((ROOT / "config.yaml").read_text())["approximation"]
    cells = plan.width_cells(block)
    assert sorted(cells) == sorted(block["width"]["activations"])
    assert all("activations" not in c and "fit_last" not in c for c in cells.values())
    assert cells["tanh"]["w_scale"] == 1.0  # not listed in w_scale: the default
    assert cells["sigmoid"]["w_scale"] == block["width"]["w_scale"]["sigmoid"]
    shallow = plan.shallow_cells(block)
    assert sorted(shallow) == sorted(f"L{L}" for L in block["depth"]["trained_depths"])
    assert all("depths" not in c and "plot_depths" not in c for c in shallow.values())
    assert plan.check(block) == [] and all(c.model_steps > 0 for c in plan.cost(block))


def test_a_newly_listed_activation_needs_no_w_scale_entry():
    block = {**QUICK, "width": {**QUICK["width"], "activations": ["relu", "linear"], "w_scale": {}}}
    assert plan.width_cells(block)["linear"]["w_scale"] == plan.W_SCALE


@pytest.mark.parametrize(
    "path, value, says",
    [
        (("width", "fit_last"), 99, "'approximation.width.fit_last': value 99 is not allowed: must be <="),
        (("width", "few_units"), 0, "'approximation.width.few_units': value 0 is not allowed: must be >= the smallest"),
        (("width", "sgd", "widths"), [3], "'approximation.width.sgd.widths': value [3] is not allowed: must be among"),
        (("width", "sgd", "batch_size"), 999, "'approximation.width.sgd.batch_size': value 999 is not allowed"),
        (("depth", "plot_depths"), [9], "'approximation.depth.plot_depths': value [9] is not allowed: every depth"),
        (
            ("depth", "depths"),
            [1, 2, 3, 4],
            "'approximation.depth.depths': value [1, 2, 3, 4] is not allowed: must hold",
        ),
        (("depth", "trained_depths"), [9], "'approximation.depth.trained_depths': value [9] is not allowed"),
    ],
)
def test_check_names_the_key_the_value_and_what_is_allowed(path, value, says):
    block = yaml.safe_load(yaml.safe_dump(QUICK))
    parent = block
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    problems = plan.check(block)
    assert len(problems) == 1 and problems[0].startswith("config key " + says), problems


# ---------------------------------------------------------------- steps


def run_steps(block, res, fig):
    for name in ("width", "width_summary", "shallow", "depth_summary", "claims"):
        for cfg in step_cfgs(STEPS[name], block).values():
            STEPS[name].run(cfg, res, fig)


def test_steps_smoke(tmp_path):
    res, fig = tmp_path / "results", tmp_path / "figures"
    run_steps(QUICK, res, fig)
    rows = pd.read_csv(res / "claims.csv")
    assert rows["claim"].tolist() == ["C10", "C10", "C10", "C11"]
    assert rows["kind"].tolist() == ["evidence", "evidence", "finding", "evidence"]
    for name in ("width_errors", "depth_units", "depth_functions"):
        assert (fig / f"{name}.png").stat().st_size > 0
    errs = pd.read_csv(res / "width_errors.csv")
    # the columns the conclusion family reads: plain-SGD rows by target, activation and K
    sgd = errs[errs["method"] == "sgd"]
    assert {"method", "K", "target", "activation", "rms", "sup", "n_converged"} <= set(errs.columns)
    assert sorted(sgd["K"].unique()) == QUICK["width"]["sgd"]["widths"]
    need = pd.read_csv(res / "depth_needed.csv")
    assert need["deep_units"].tolist() == [2 * L for L in QUICK["depth"]["depths"]]


def test_summary_refuses_a_cell_table_with_missing_widths(tmp_path):
    res, fig = tmp_path / "results", tmp_path / "figures"
    for cfg in step_cfgs(STEPS["width"], QUICK).values():
        STEPS["width"].run(cfg, res, fig)
    cells = pd.read_csv(res / "width" / "relu.csv")
    cells[cells["K"] != 8].to_csv(res / "width" / "relu.csv", index=False)
    with pytest.raises(TableError, match=r"relu\.csv: \d+ rows, the configuration implies"):
        STEPS["width_summary"].run(step_cfgs(STEPS["width_summary"], QUICK)[""], res, fig)
