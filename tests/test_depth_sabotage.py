"""Every evidence row of the depth family (and three of its findings) can fail: each test injects
a named defect into the row's computation at a small size and asserts that the verdict drops
from 'reproduced'; the undamaged computation at the same size is 'reproduced'
(test_undamaged_rows_are_reproduced), so the tests can fail."""

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from experiments.depth import cells, kink, kink_runs, summary
from experiments.depth import verdicts_depth as vd
from experiments.depth import verdicts_kink as vk
from experiments.depth.task import task_data
from mlp.activations import ACTIVATIONS, Activation, elementwise
from mlp.network import INITS

pytestmark = pytest.mark.filterwarnings("error")

NOT_REPRODUCED = {"partly", "not reproduced"}
TASK = {"dataset": "circle", "noise": 0.0, "width": 8, "batch": 25, "epochs": 100, "bar": 0.95, "seeds": 8}
KINK = {
    "seed": 0,
    "stationary_tol": 0.01,
    "count_every": 5,
    "task": {**TASK, "epochs": 20},
    "spiral": {"hidden": [4, 2], "lr": 0.03, "batch": 10, "epochs": 20, "seeds": 8},
    "deep": {"depth": 4, "init": "he", "lr": 0.03},
}
LR = {"sigmoid": 1.0, "tanh": 0.1, "relu": 0.03}


@pytest.fixture(autouse=True)
def registry():
    """The relu variants exist only inside a test: other tests iterate over the registry."""
    before = dict(ACTIVATIONS)
    yield
    ACTIVATIONS.clear()
    ACTIVATIONS.update(before)


# ---------------------------------------------------------------- the rows at a small size
def kink_tables():
    out = kink_runs.run_traces(KINK)
    zeros = kink_runs.zeros_table(out["traces"], out["origin"], 0)
    final = kink_runs.final_table(out["traces"], 0, KINK["stationary_tol"], TASK["bar"])
    return zeros, kink_runs.paired_table(final)


def kink_verdicts() -> dict:
    zeros, paired = kink_tables()
    return {
        "origin": vk.row_origin(zeros)["verdict"],
        "after": vk.row_after(zeros)["verdict"],
        "conventions": vk.row_conventions(paired)["verdict"],
    }


def depth_tables(activations, depths, epochs: int, seeds: int = 8, inits=("glorot", "he")):
    """Members and layers of the (activation, init, depth) cells at a small size."""
    data = task_data("circle", 0.0, 0)
    members, layers = [], []
    for g in activations:
        cfg = {
            **TASK,
            "seeds": seeds,
            "epochs": epochs,
            "activation": g,
            "lr": LR[g],
            "seed": 0,
            "grad_points": 50,
            "stationary_tol": 0.01,
        }
        for scheme in inits:
            for L in depths:
                c = cells.train_cell(cfg, scheme, L, data)
                members.append(cells.members_frame(cfg, scheme, L, c))
                layers.append(cells.layers_frame(cfg, scheme, L, c))
    return pd.concat(members, ignore_index=True), pd.concat(layers, ignore_index=True)


def gradient_verdicts() -> dict:
    members, _ = depth_tables(("sigmoid", "relu"), [3, 6], epochs=10)
    grad = summary.gradient_summary(members)
    return {"vanishing": vd.row_vanishing(grad, ["glorot", "he"])["verdict"], "he": vd.row_he(grad, 8)["verdict"]}


def trainable() -> str:
    members, _ = depth_tables(("sigmoid", "relu"), [2, 5], epochs=100)
    return vd.row_trainability(summary.trainability(members), ["glorot", "he"], TASK["bar"], 100)["verdict"]


def sparse() -> str:
    _, layers = depth_tables(("relu",), [2, 5], epochs=100, seeds=16)  # 8: a median's interval is min..max
    return vd.row_sparsity(layers, 0.25)["verdict"]


def test_undamaged_rows_are_reproduced():
    assert kink_verdicts() == {"origin": "reproduced", "after": "reproduced", "conventions": "reproduced"}
    assert gradient_verdicts() == {"vanishing": "reproduced", "he": "reproduced"}
    assert trainable() == "reproduced"
    assert sparse() == "reproduced"


# ---------------------------------------------------------------- defects
def sigmoid_backward_relu() -> Activation:
    """relu forward, but sigmoid's derivative sigma(z)(1 - sigma(z)) in the backward pass."""

    def derivative(z, h, out=None):
        s = expit(z)
        return np.multiply(s, 1 - s, out=out)

    return elementwise(ACTIVATIONS["relu"].g, derivative)


def test_sabotage_counter_on_outputs(monkeypatch):
    """Counting relu outputs h = 0 (every unit below the kink) instead of pre-activations z = 0."""
    counts = kink.zero_counts

    def on_outputs(net, params, X):
        zeros, structural, cache = counts(net, params, X)
        return np.stack([np.sum(cache[l][1] == 0, axis=(-2, -1)) for l in range(1, net.L + 1)], -1), structural, cache

    monkeypatch.setattr(kink, "zero_counts", on_outputs)
    assert kink_verdicts()["origin"] in NOT_REPRODUCED


def test_sabotage_nonzero_biases(monkeypatch):
    """The spiral's biases left at Playground's 0.1: the origin no longer sits on the kink."""
    monkeypatch.setattr(kink_runs, "zero_biases", lambda params: params)
    assert kink_verdicts()["origin"] in NOT_REPRODUCED


def test_sabotage_counter_with_a_tolerance(monkeypatch):
    """|z| < 1e-2 counted as 0: near-zeros of rounding pass for kinks, not all structural."""
    counts = kink.zero_counts

    def near_zero(net, params, X):
        _, structural, cache = counts(net, params, X)
        zeros = np.stack([np.sum(np.abs(cache[l][0]) < 1e-2, axis=(-2, -1)) for l in range(1, net.L + 1)], -1)
        return zeros, structural, cache

    monkeypatch.setattr(kink, "zero_counts", near_zero)
    assert kink_verdicts()["after"] in NOT_REPRODUCED


def test_sabotage_variants_with_the_core_derivative(monkeypatch):
    """relu_half and relu_one registered with relu'(0) = 0: no seed can change."""
    derivative = kink.relu_derivative
    monkeypatch.setattr(kink, "relu_derivative", lambda at_zero: derivative(0.0))
    assert kink_verdicts()["conventions"] in NOT_REPRODUCED


def test_sabotage_relu_derivative_of_sigmoid_at_init(monkeypatch):
    """relu's backward pass multiplies by sigmoid's derivative: relu vanishes like sigmoid."""
    monkeypatch.setitem(ACTIVATIONS, "relu", sigmoid_backward_relu())
    assert gradient_verdicts()["vanishing"] in NOT_REPRODUCED


def test_sabotage_he_init_too_small(monkeypatch):
    """He's weights at a quarter of their scale: relu's gradient shrinks by 1/4 per layer (the He
    finding flips; sigmoid shrinks alike, so relu stays above it and the comparison holds)."""
    he = INITS["he"]

    def small(rng, k_out, k_in):
        W, b = he(rng, k_out, k_in)
        return 0.25 * W, b

    monkeypatch.setitem(INITS, "he", small)
    assert gradient_verdicts()["he"] in NOT_REPRODUCED


def test_sabotage_norms_from_the_wrong_layer(monkeypatch):
    """Gradient norms assigned to the layers in reverse order (input and output swapped)."""
    norms = cells.layer_norms
    monkeypatch.setattr(cells, "layer_norms", lambda *a: tuple(n[:, ::-1] for n in norms(*a)))
    assert gradient_verdicts()["vanishing"] in NOT_REPRODUCED


def test_sabotage_bar_never_checked(monkeypatch):
    """Every member that did not diverge counts as reaching the bar."""
    monkeypatch.setattr(cells, "reaches", lambda acc, diverged, bar: ~np.asarray(diverged, dtype=bool))
    assert trainable() in NOT_REPRODUCED


def test_sabotage_relu_derivative_of_sigmoid_in_training(monkeypatch):
    """Training relu nets with sigmoid's derivative in the backward pass."""
    monkeypatch.setitem(ACTIVATIONS, "relu", sigmoid_backward_relu())
    assert trainable() in NOT_REPRODUCED


def test_sabotage_leaky_relu(monkeypatch):
    """relu replaced by a leaky relu (slope 0.01 below 0): no unit is ever exactly 0."""

    def leaky(z, out=None):
        return np.maximum(z, 0.01 * z, out=out)

    def leaky_derivative(z, h, out=None):
        return np.add(0.01, 0.99 * (z > 0), out=out)

    monkeypatch.setitem(ACTIVATIONS, "relu", elementwise(leaky, leaky_derivative))
    assert sparse() in NOT_REPRODUCED
