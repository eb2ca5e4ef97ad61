"""The activations family (C06-C09, C16, C17): pure functions, the registry hooks, the plan,
and a smoke run of every step. Sabotage tests live in test_activations_sabotage.py."""

import numpy as np
import pandas as pd
import pytest

from experiments.activations import backprop, functions, losses, maps, plan, sparsity
from experiments.activations.__main__ import STEPS
from experiments.activations.figures import plot_activations, plot_simplex
from experiments.claims import VERDICTS
from experiments.config import load_config
from experiments.io import TableError, write_table
from mlp.activations import ACTIVATIONS, Activation, elementwise, elementwise_names, simplex_names
from mlp.losses import LOSSES, pairs

pytestmark = pytest.mark.filterwarnings("error")

TRAINED = {"hidden": [6, 6], "init": "playground", "lr": 0.03, "batch": 10, "epochs": 20, "seeds": 10}
SMALL = {
    "seed": 0,
    "functions": {"grid_max": 1e4, "grid_points": 101, "fd_step": 1e-5},
    "sparsity": {
        "threshold": 0.25,
        "converged_tol": 1.0,  # 20 epochs do not converge to 0.01; the smoke run checks the plumbing
        "init": {
            "widths": [8],
            "inits": ["he"],
            "biases": [0.0, 0.1],
            "depth": 2,
            "inputs": 4,
            "batch": 50,
            "seeds": 6,
        },
        "trained": {**TRAINED, "datasets": ["circle"]},
    },
    "maps": {"scales": [1, 1000], "classes": 5, "samples": 50, "simplex_grid": 5, "simplex_logit_max": 3},
    "losses": {"batch": 4, "classes": 3, "fd_step": 1e-6, "zero_one_points": 50, "zero_one_steps": [1e-2, 1e-4]},
    "backprop": {
        "chain_t": [-1, 2],
        "fd_step": 1e-6,
        "depths": [1, 2],
        "width": 3,
        "inputs": 2,
        "classes": 3,
        "batch": 3,
        "l2s": [0.0, 0.01],
    },
}
SOFTPLUS = elementwise(
    lambda z, out=None: np.logaddexp(0.0, z, out=out), lambda z, h, out=None: 0.5 + 0.5 * np.tanh(z / 2)
)


def run_all(results, figures) -> pd.DataFrame:
    """Every step on SMALL, each of its cells in turn, as the CLI runs them."""
    for step in STEPS.values():
        for cfg in step.cells(SMALL).values():
            step.run(cfg, results, figures)
    return pd.read_csv(results / "claims.csv")


def test_chain_rule_worked_example_by_hand():
    # t = 2: u = 4, v = 7, r = 28; dr/dt = 2tv + 3u = 28 + 12 = 40 = 9*4 + 2*2
    row = backprop.chain_rule([2.0], 1e-6).iloc[0]
    assert (row.u, row.v, row.r) == (4.0, 7.0, 28.0)
    assert row.chain_rule == 40.0 and row.closed_form == 40.0
    assert row.finite_difference == pytest.approx(40.0, abs=1e-6)


def test_loss_curves_match_the_slide_at_hand_computed_points():
    c = losses.loss_curves(s_lim=2.0, n=5).set_index(["loss_name", "output", "s"])["loss"]  # s in {-2, ..., 2}
    # s = 0: cross-entropy log 2; sparsemax loss (s + 1)^2 / 4 = 1/4; squared on softmax sigmoid(0)^2 = 1/4
    assert c[("cross_entropy", "softmax", 0.0)] == pytest.approx(np.log(2))
    assert c[("sparsemax", "sparsemax", 0.0)] == pytest.approx(0.25)
    assert c[("squared", "softmax", 0.0)] == pytest.approx(0.25)
    # sparsemax loss: 0 for s <= -1, s for s >= 1; 0/1 loss: 0 when class 1 wins, 1 when class 2 wins
    assert c[("sparsemax", "sparsemax", -2.0)] == 0.0 and c[("sparsemax", "sparsemax", 2.0)] == pytest.approx(2.0)
    assert c[("0/1", "argmax", -1.0)] == 0.0 and c[("0/1", "argmax", 1.0)] == 1.0
    # binary CE on the single logit z1 - z2 = -s is log(1 + e^s), the same as two-class cross-entropy
    assert c[("binary_cross_entropy", "sigmoid", 1.0)] == pytest.approx(np.log1p(np.e))
    assert set(c.index.get_level_values(0)) == set(LOSSES) | {"0/1"}


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


def test_closed_forms_by_hand():
    # z = (0, log 3): softmax = (1/4, 3/4); with y = class 1 the gradient is (1/4 - 1, 3/4)
    np.testing.assert_allclose(losses.CLOSED_FORM["cross_entropy"](np.array([[0.0, np.log(3)]]), np.eye(2)[[0]]),
                               [[-0.75, 0.75]])  # fmt: skip
    # sigmoid(0) = 1/2: binary CE gradient 1/2 - y
    assert losses.CLOSED_FORM["binary_cross_entropy"](np.array([[0.0]]), np.array([[1.0]]))[0, 0] == -0.5
    # sparsemax(1, 0.5, -1) = (0.75, 0.25, 0) (see above) minus onehot(class 2)
    np.testing.assert_allclose(
        losses.CLOSED_FORM["sparsemax"](np.array([[1.0, 0.5, -1.0]]), np.eye(3)[[1]]), [[0.75, -0.75, 0.0]], atol=1e-14
    )


def test_zero_one_differences():
    zo = losses.zero_one_fd(points=200, classes=3, steps=[1e-1, 1e-3], seed=1)
    assert (zo["nonzero_fd_with_margin_gt_2step"] == 0).all()
    # at a tie z = (1, 1, 0) moving z1 by +-h flips the decision: |FD| = 1 / (2h)
    np.testing.assert_allclose(zo["max_abs_fd_at_tie"], [5.0, 500.0])


def test_zero_fractions_by_hand():
    # one hidden layer of 2 relu units, W = I, b = (0, -1): inputs (1, 2) and (-1, 0.5)
    # z = (1, 1) and (-1, -0.5): h = (1, 1) and (0, 0); 2 of 4 exactly 0, no unit dead
    from mlp.network import Net

    net = Net((2, 2, 1), hidden="relu")
    params = [(np.eye(2)[None], np.array([[0.0, -1.0]])), (np.ones((1, 1, 2)), np.zeros((1, 1)))]
    zero, dead = sparsity.zero_fractions(net, params, np.array([[1.0, 2.0], [-1.0, 0.5]]))
    assert zero.tolist() == [[0.5]] and dead.tolist() == [[0.0]]


def test_init_sparsity_zero_bias_is_one_half_and_a_positive_bias_lowers_it():
    sp = sparsity.init_sparsity([32], ["he"], [0.0, 1.0], depth=1, inputs=5, batch=400, seeds=range(6))
    by_bias = sp.groupby("bias")["fraction_zero"].median()
    assert abs(by_bias[0.0] - 0.5) < 0.05  # zero biases, symmetric weights: P(z <= 0) = 1/2
    assert by_bias[1.0] < by_bias[0.0] - 0.1  # z shifted up by 1 ~ half its spread: far fewer zeros


def test_gradcheck_and_layer_tables_cover_the_registries():
    t = backprop.gradcheck_table([1], width=2, inputs=2, classes=2, batch=2, l2s=[0.0], step=1e-6, seed=0)
    assert set(t["hidden"]) == set(ACTIVATIONS)
    assert set(zip(t["output"], t["loss"])) == set(pairs())
    assert t["passes"].all()
    # a sign output has g' = 0: with lambda = 0 the gradient is exactly 0 and the absolute error is used
    sign_out = t[t["output"] == "sign"]
    assert sign_out["rel_err"].isna().all() and (sign_out["grad_norm"] == 0).all()
    lt = backprop.layer_table([2], width=3, inputs=2, classes=2, batch=2, step=1e-6, seed=0)
    assert set(lt["hidden"]) == set(ACTIVATIONS) and set(lt["layer"]) == {1, 2}
    assert set(lt["quantity"]) == {"grad_h", "grad_z"} and lt["passes"].all()


def test_layer_gradients_match_a_hand_computed_net():
    # x = 1, h1 = tanh(z1), z1 = w x, f = v h1 (linear output), L = (f - y)^2 / 2 with w = 0.5, v = 2, y = 0
    from mlp.network import Net

    net = Net((1, 1, 1), hidden="tanh", output="linear", loss="squared")
    params = [(np.array([[[0.5]]]), np.zeros((1, 1))), (np.array([[[2.0]]]), np.zeros((1, 1)))]
    rows = {r["quantity"]: r for r in backprop.layer_gradients(net, params, np.ones((1, 1)), np.zeros((1, 1)), 1e-6)}
    # dL/dh1 = (f - y) v = 2 tanh(0.5) * 2; dL/dz1 = dL/dh1 (1 - tanh(0.5)^2): both match FD
    assert rows["grad_h"]["rel_err"] < 1e-8 and rows["grad_z"]["rel_err"] < 1e-8


def test_a_new_activation_appears_in_every_table_and_figure(monkeypatch):
    before = elementwise_names()
    monkeypatch.setitem(ACTIVATIONS, "softplus", SOFTPLUS)  # registered from user code: no other edit
    deriv = functions.derivative_check(1e-5)
    assert list(deriv["activation"]) == sorted([*before, "softplus"])
    assert deriv.set_index("activation").loc["softplus", "max_abs_err_registry"] < 1e-8
    curves = functions.activation_curves(n=11)
    assert "softplus" in set(curves["activation"])
    assert "softplus" in set(functions.activation_ranges(10.0, 11)["activation"])
    assert len(plot_activations(curves, deriv).axes) == len(before) + 1
    assert "softplus" in set(backprop.gradcheck_table([1], 2, 2, 2, 2, [0.0], 1e-6, 0)["hidden"])
    lt = backprop.layer_table([1], 2, 2, 2, 2, 1e-6, 0)
    assert lt.loc[lt["hidden"] == "softplus", "passes"].all()


def test_a_new_output_map_appears_in_every_table_and_figure(monkeypatch):
    # softmax at temperature 1/2: softmax(2z), vjp 2 J_softmax(2z)^T g
    sm = ACTIVATIONS["softmax"]
    hot = Activation(lambda z: sm.g(2 * z), lambda z, h, g: 2 * sm.vjp(2 * z, h, g), None)
    monkeypatch.setitem(ACTIVATIONS, "softmax_hot", hot)
    assert "softmax_hot" in set(maps.map_support([1.0], 3, 10, 0)["map"])
    assert "softmax_hot" in set(maps.two_class(n=5)["map"])
    pts = maps.simplex_points(3, 2.0)
    assert len(plot_simplex(pts).axes) == len(simplex_names())
    lg = losses.loss_gradients(3, 3, 1e-6, 0).set_index(["output", "loss"])
    assert lg.loc[("softmax_hot", "squared"), "max_abs_err_closed_form"] < 1e-6
    assert ("softmax_hot", "squared") in set(zip(*losses.loss_curves(n=5)[["output", "loss_name"]].T.to_numpy()))
    t = backprop.gradcheck_table([1], 2, 2, 3, 2, [0.0], 1e-6, 0)
    assert t.loc[t["output"] == "softmax_hot", "passes"].all()


def test_plan_checks_name_the_key_and_what_is_allowed():
    block = load_config()["activations"]
    assert plan.check(block) == []
    bad = {
        **block,
        "sparsity": {**block["sparsity"], "init": {**block["sparsity"]["init"], "biases": [0.1, 0.2]}},
        "losses": {**block["losses"], "zero_one_steps": [0.1, 0.1]},
    }
    msgs = plan.check(bad)
    assert any(m.startswith("config key 'activations.sparsity.init.biases': value [0.1, 0.2]") for m in msgs)
    assert sum("activations.losses.zero_one_steps" in m for m in msgs) == 2  # one distinct step, and > 0.01
    big = {**block, "sparsity": {**block["sparsity"], "trained": {**block["sparsity"]["trained"], "batch": 300}}}
    assert any("value 300 is not allowed: must divide 250, the training set of circle" in m for m in plan.check(big))
    costs = plan.cost(block)
    assert {c.job for c in costs} >= {"activations_functions", "activations_backprop", "activations_sparsity"}
    assert all(c.memory_gb > 0 and c.model_steps >= 0 for c in costs)


def test_steps_smoke_and_deterministic(tmp_path):
    claims = run_all(tmp_path / "r", tmp_path / "f")
    assert set(claims["claim"]) == {"C06", "C07", "C08", "C09", "C16", "C17"}
    assert claims["verdict"].isin(VERDICTS).all()
    assert set(claims.loc[claims["kind"] == "sanity check", "claim"]) == {"C06", "C17"}
    assert (claims["verdict"] == "reproduced").all(), claims[["claim", "measured", "verdict"]].to_string()
    for name in ["activations", "relu_sparsity", "two_class", "simplex", "losses", "gradcheck", "layer_gradients"]:
        assert (tmp_path / "f" / f"{name}.png").stat().st_size > 10_000
    # a truncated cell table stops the summary with the file's name
    cell = tmp_path / "r" / "relu_sparsity_trained" / "circle.csv"
    full = cell.read_bytes()
    cell.write_text("\n".join(cell.read_text().splitlines()[:-2]) + "\n")
    with pytest.raises(TableError, match="circle.csv: 18 rows, the configuration implies 20"):
        STEPS["sparsity"].run(STEPS["sparsity"].cells(SMALL)[""], tmp_path / "r", tmp_path / "f")
    cell.write_bytes(full)
    # same parameters, same table: every draw is derived from the seed
    cfg = STEPS["sparsity_trained"].cells(SMALL)["circle"]
    write_table(sparsity.trained_sparsity(cfg), tmp_path / "again.csv")
    assert (tmp_path / "again.csv").read_bytes() == (
        tmp_path / "r" / "relu_sparsity_trained" / "circle.csv"
    ).read_bytes()
