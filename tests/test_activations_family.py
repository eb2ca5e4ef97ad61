"""The activations family (C06-C09, C16, C17): pure functions and a smoke run of every step."""

import numpy as np
import pandas as pd
import pytest

from experiments.activations import backprop, functions, losses, maps, sparsity
from experiments.activations.__main__ import STEPS
from experiments.claims import VERDICTS
from experiments.io import write_table
from mlp.activations import ACTIVATIONS, Activation, elementwise_names, simplex_names
from mlp.losses import LOSSES, pairs
from mlp.network import Net, init

pytestmark = pytest.mark.filterwarnings("error")

SMALL = {
    "functions": {
        "seed": 0,
        "grid_max": 1e4,
        "grid_points": 101,
        "fd_step": 1e-5,
        "relu_widths": [8],
        "relu_inits": ["he", "glorot"],
        "relu_depth": 2,
        "relu_inputs": 4,
        "relu_batch": 50,
        "relu_seeds": 2,
    },
    "maps": {"seed": 0, "scales": [1, 1000], "classes": 5, "samples": 50, "simplex_grid": 5, "simplex_logit_max": 3},
    "losses": {
        "seed": 0,
        "batch": 4,
        "classes": 3,
        "fd_step": 1e-6,
        "zero_one_points": 50,
        "zero_one_steps": [1e-2, 1e-4],
    },
    "backprop": {
        "seed": 0,
        "chain_t": [-1, 2],
        "fd_step": 1e-6,
        "depths": [1],
        "width": 3,
        "inputs": 2,
        "classes": 3,
        "batch": 3,
        "l2s": [0.0, 0.01],
    },
}


def test_chain_rule_worked_example_by_hand():
    # t = 2: u = 4, v = 7, r = 28; dr/dt = 2tv + 3u = 28 + 12 = 40 = 9*4 + 2*2
    row = backprop.chain_rule([2.0], 1e-6).iloc[0]
    assert (row.u, row.v, row.r) == (4.0, 7.0, 28.0)
    assert row.chain_rule == 40.0 and row.closed_form == 40.0
    assert row.finite_difference == pytest.approx(40.0, abs=1e-6)


def test_loss_curves_match_the_slide_at_hand_computed_points():
    c = losses.loss_curves(s_lim=2.0, n=5).set_index(["curve", "s"])["loss"]  # s in {-2, -1, 0, 1, 2}
    # s = 0: cross-entropy log 2; sparsemax loss (s + 1)^2 / 4 = 1/4; squared on softmax sigmoid(0)^2 = 1/4
    assert c[("cross_entropy (softmax)", 0.0)] == pytest.approx(np.log(2))
    assert c[("sparsemax (sparsemax)", 0.0)] == pytest.approx(0.25)
    assert c[("squared (softmax)", 0.0)] == pytest.approx(0.25)
    # sparsemax loss: 0 for s <= -1, s for s >= 1; 0/1 loss: 0 when class 1 wins, 1 when class 2 wins
    assert c[("sparsemax (sparsemax)", -2.0)] == 0.0 and c[("sparsemax (sparsemax)", 2.0)] == pytest.approx(2.0)
    assert c[("0/1 loss", -1.0)] == 0.0 and c[("0/1 loss", 1.0)] == 1.0
    # binary CE on the single logit z1 - z2 = -s is log(1 + e^s), the same as two-class cross-entropy
    assert c[("binary_cross_entropy (sigmoid of z1 - z2)", 1.0)] == pytest.approx(np.log1p(np.e))
    drawn = {name.split(" ")[0] for name, _ in c.index}
    assert drawn == set(LOSSES) | {"0/1"}


def test_two_class_maps():
    tc = maps.two_class(t_lim=2.0, n=9).set_index(["map", "t"])["p1"]  # t in steps of 0.5
    assert set(tc.index.get_level_values(0)) == set(simplex_names())
    # sparsemax([t, 0])_1 = clip((t + 1)/2, 0, 1): 0.75 at t = 0.5, exactly 1 at t = 2 and 0 at t = -2
    assert tc[("sparsemax", 0.5)] == pytest.approx(0.75)
    assert tc[("sparsemax", 2.0)] == 1.0 and tc[("sparsemax", -2.0)] == 0.0
    # softmax([t, 0])_1 = 1 / (1 + e^-t): 1/(1 + e^-2) in (0, 1)
    assert tc[("softmax", 2.0)] == pytest.approx(1 / (1 + np.exp(-2.0)))
    assert 0 < tc[("softmax", -2.0)] < tc[("softmax", 2.0)] < 1


def test_simplex_points_support():
    pts = maps.simplex_points(grid=3, logit_max=4.0)  # z1, z2 in {-4, 0, 4}
    assert (pts.loc[pts["map"] == "softmax", "support"] == 3).all()
    # z = (4, -4, 0): sparsemax puts all mass on class 1 (gap 4 >= 1), a corner
    corner = pts[(pts["map"] == "sparsemax") & (pts["z1"] == 4) & (pts["z2"] == -4)].iloc[0]
    assert (corner.p1, corner.p2, corner.p3, corner.support) == (1.0, 0.0, 0.0, 1)
    np.testing.assert_allclose(pts[["p1", "p2", "p3"]].sum(axis=1), 1.0)


def test_bisection_oracle_by_hand():
    # z = (1, 0.5, -1): support {1, 2}, tau = (1 + 0.5 - 1) / 2 = 0.25, p = (0.75, 0.25, 0)
    np.testing.assert_allclose(maps.sparsemax_bisection(np.array([[1.0, 0.5, -1.0]])), [[0.75, 0.25, 0.0]], atol=1e-14)


def test_zero_one_differences():
    zo = losses.zero_one_fd(points=200, classes=3, steps=[1e-1, 1e-3], seed=1)
    assert (zo["nonzero_fd_with_margin_gt_2step"] == 0).all()
    # at a tie z = (1, 1, 0) moving z1 by +-h flips the decision: |FD| = 1 / (2h)
    np.testing.assert_allclose(zo["max_abs_fd_at_tie"], [5.0, 500.0])


def test_relu_sparsity_near_half():
    sp = sparsity.relu_sparsity([32], ["he"], depth=1, inputs=5, batch=400, seeds=[0, 1])
    assert sp["units"].iloc[0] == 2 * 400 * 32
    assert abs(sp["fraction_zero"].iloc[0] - 0.5) < 0.05  # zero biases, symmetric weights: P(z <= 0) = 1/2


def test_gradient_check_passes_for_core_and_catches_a_wrong_derivative(monkeypatch):
    r = np.random.default_rng(0)
    net = Net((2, 3, 2), hidden="tanh", output="softmax", loss="cross_entropy")
    params = init(net, "glorot", [r])
    X, Y = r.standard_normal((4, 2)), np.eye(2)[[0, 1, 1, 0]]
    assert backprop.gradient_check(net, params, X, Y, 0.01, 1e-6)["rel_err"] < 1e-6
    # the same check must fail when tanh's derivative is wrong (1 instead of 1 - tanh^2)
    wrong = Activation(np.tanh, lambda z, h, g: g, lambda z, h: np.ones_like(z))
    monkeypatch.setitem(ACTIVATIONS, "tanh", wrong)
    assert backprop.gradient_check(net, params, X, Y, 0.01, 1e-6)["rel_err"] > 1e-3


def test_a_new_activation_adds_rows_and_panels(monkeypatch):
    softplus = Activation(lambda z: np.logaddexp(0, z), None, lambda z, h: 1 / (1 + np.exp(-z)))
    before = elementwise_names()
    monkeypatch.setitem(ACTIVATIONS, "softplus", softplus)  # registered from user code: no other edit
    deriv = functions.derivative_check(1e-5)
    assert list(deriv["activation"]) == sorted([*before, "softplus"])
    assert deriv.set_index("activation").loc["softplus", "max_abs_err_registry"] < 1e-8
    assert "softplus" in set(functions.activation_curves(n=11)["activation"])
    assert "softplus" in set(functions.activation_ranges(10.0, 11)["activation"])


def test_gradcheck_table_covers_the_registries():
    t = backprop.gradcheck_table([1], width=2, inputs=2, classes=2, batch=2, l2s=[0.0], step=1e-6, seed=0)
    assert set(t["hidden"]) == set(ACTIVATIONS)
    assert set(zip(t["output"], t["loss"])) == set(pairs())
    assert t["passes"].all()
    # a sign output has g' = 0: with lambda = 0 the gradient is exactly 0 and the absolute error is used
    sign_out = t[t["output"] == "sign"]
    assert sign_out["rel_err"].isna().all() and (sign_out["grad_norm"] == 0).all()


def test_steps_smoke_and_deterministic(tmp_path):
    res, fig = tmp_path / "r", tmp_path / "f"
    for step in ["functions", "maps", "losses", "backprop", "claims"]:
        STEPS[step].run(SMALL.get(step, {}), res, fig)
    claims = pd.read_csv(res / "claims.csv")
    assert set(claims["claim"]) == {"C06", "C07", "C08", "C09", "C16", "C17"}
    assert claims["verdict"].isin(VERDICTS).all()
    for name in ["activations", "two_class", "simplex", "losses", "gradcheck"]:
        assert (fig / f"{name}.png").stat().st_size > 0
    # same parameters, same table: every draw is derived from the seed
    m = SMALL["maps"]
    again = maps.map_support(m["scales"], m["classes"], m["samples"], m["seed"])
    write_table(again, tmp_path / "again.csv")
    assert (tmp_path / "again.csv").read_bytes() == (res / "map_support.csv").read_bytes()
