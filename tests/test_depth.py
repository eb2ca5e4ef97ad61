"""The depth family (C22, C23): its pure functions on hand-checkable cases, the plan's checks and
costs, and a smoke run of every step at a small size."""

import numpy as np
import pandas as pd
import pytest

from experiments import stats
from experiments.config import ROOT, load_config
from experiments.depth import __main__ as steps
from experiments.depth import cells, kink, kink_runs, plan, summary, task
from mlp.activations import ACTIVATIONS
from mlp.network import Net, init, objective
from mlp.seeding import rngs
from mlp.train import train

pytestmark = [pytest.mark.filterwarnings("error"), pytest.mark.usefixtures("restore_activations")]

DEFAULT = load_config(ROOT / "config.yaml")["depth"]
SMALL = {
    "seed": 0,
    "stationary_tol": 0.01,
    "task": {"dataset": "circle", "noise": 0.0, "width": 6, "batch": 25, "epochs": 20, "bar": 0.95, "seeds": 6},
    "kink": {
        "count_every": 5,
        "spiral": {"hidden": [4, 2], "lr": 0.03, "batch": 10, "epochs": 20, "seeds": 6},
        "deep": {"depth": 3, "init": "he", "lr": 0.03},
    },
    "vanishing": {
        "activations": ["sigmoid", "tanh", "relu"],
        "inits": ["glorot", "he"],
        "depths": [2, 4],
        "lr": {"sigmoid": 1.0, "tanh": 0.1, "relu": 0.03},
        "grad_points": 20,
        "sparse_threshold": 0.25,
        "figure_depth": 4,
    },
}


# ---------------------------------------------------------------- C22: the kink
@pytest.mark.parametrize("name, at_zero", kink.CONVENTIONS.items())
def test_each_convention_takes_its_value_at_zero_and_relu_prime_elsewhere(name, at_zero):
    kink.register()
    z = np.array([-2.0, -1e-300, -0.0, 0.0, 1e-300, 3.0])
    d = ACTIVATIONS[name].derivative(z, np.maximum(z, 0))
    assert d.tolist() == [0.0, 0.0, at_zero, at_zero, 1.0, 1.0]
    buffer = z.copy()  # training writes g'(z) over z itself
    assert ACTIVATIONS[name].derivative(buffer, np.maximum(z, 0), out=buffer) is buffer
    assert buffer.tolist() == d.tolist()


def test_register_adds_the_variants_once_and_leaves_the_core_relu():
    core = ACTIVATIONS["relu"]
    assert kink.register() == kink.CONVENTIONS and kink.register() == kink.CONVENTIONS
    assert ACTIVATIONS["relu"] is core and {"relu_half", "relu_one"} <= set(ACTIVATIONS)


def test_one_sided_quotients_are_exact_with_binary_steps():
    kink.register()
    rows = pd.DataFrame(kink.one_sided())
    at0 = rows[rows["z0"] == 0]
    assert (at0["right"] == 1).all() and (at0["left"] == 0).all()
    assert (rows.loc[rows["z0"] == 1, ["right", "left"]] == 1).all().all()
    assert (rows.loc[rows["z0"] == -1, ["right", "left"]] == 0).all().all()


def test_zero_counts_tell_structural_zeros_from_cancellations():
    # one member, [2, 2, 1, 1]. Layer 1: unit 1 is w = (1, -1), b = 0 (z = x1 - x2), unit 2 is
    # w = (1, 1), b = -1. At the origin unit 1 has z = 0 with input 0 and b = 0 (structural), unit
    # 2 z = -1; at (0.5, 0.5) both are 0 by cancellation (0.5 - 0.5 and 0.5 + 0.5 - 1); at (2, 1)
    # z = (1, 2). Layer 2: w = (1, 1), b = 0: at the origin and at (0.5, 0.5) all of layer 1 is
    # off, so z = 0 structurally; at (2, 1) z = 3.
    net = Net((2, 2, 1, 1), hidden="relu")
    params = [
        (np.array([[[1.0, -1.0], [1.0, 1.0]]]), np.array([[0.0, -1.0]])),
        (np.array([[[1.0, 1.0]]]), np.array([[0.0]])),
        (np.array([[[1.0]]]), np.array([[0.0]])),
    ]
    X = np.array([[0.0, 0.0], [0.5, 0.5], [2.0, 1.0]])
    zeros, structural, _ = kink.zero_counts(net, params, X)
    # layer 1: the origin's unit 1 (structural), (0.5, 0.5)'s units 1 and 2 (cancellations);
    # layer 2: the origin and (0.5, 0.5), where all of layer 1 is off and b = 0 (structural)
    assert zeros.tolist() == [[3, 2]] and structural.tolist() == [[1, 2]]


def test_recorded_epochs_hold_the_start_every_kth_epoch_90_percent_and_the_end():
    assert kink.recorded_epochs(40, 15).tolist() == [*range(11), 15, 30, 36, 40]
    assert kink.recorded_epochs(5, 10).tolist() == [0, 1, 2, 3, 4, 5]


@pytest.mark.parametrize("reshuffle", [False, True])
def test_training_in_segments_is_one_training_run(reshuffle):
    net = Net((2, 5, 5, 1), hidden="relu", output="sigmoid", loss="binary_cross_entropy")
    data = task.task_data("circle", 0.0, 0)
    params = init(net, "he", rngs(range(3), "t"))
    order = (lambda: rngs(range(3), "s")) if reshuffle else (lambda: None)
    whole = train(net, params, data, lr=0.05, batch_size=25, epochs=23, eval_epochs=[], shuffle_rngs=order())
    traced = kink.trace(net, params, data, lr=0.05, batch=25, epochs=23, every=4, shuffle_rngs=order())
    for (W, b), (V, c) in zip(whole.params, traced["params"]):
        assert np.array_equal(W, V) and np.array_equal(b, c)
    assert traced["epochs"].tolist() == kink.recorded_epochs(23, 4).tolist()
    assert traced["zeros"].shape == (len(traced["epochs"]), 3, 2)


def test_identical_compares_bit_for_bit():
    a = [(np.ones((2, 3, 2)), np.zeros((2, 3)))]
    b = [(a[0][0].copy(), a[0][1].copy())]
    b[0][0][1, 0, 0] = np.nextafter(1.0, 2.0)
    assert kink.identical(b, a).tolist() == [True, False]


def test_the_spiral_setup_has_zero_biases_and_the_origin_in_some_training_sets():
    kink.register()
    nets, params, data, origin = kink_runs.spiral_setup({**SMALL["kink"], "seed": 0})
    assert all((b == 0).all() for _, b in params) and set(nets) == set(kink.CONVENTIONS)
    assert ((params[0][0] >= -0.5) & (params[0][0] < 0.5)).all()
    assert origin.tolist() == np.sum(np.all(data.X_train == 0, axis=-1), axis=-1).tolist() and origin.max() >= 1


# ---------------------------------------------------------------- C23: gradients, training
def test_per_example_norms_equal_objective_on_each_point_alone():
    net = task.deep_net("tanh", 3, 4)
    params = init(net, "glorot", rngs(range(2), "g"))
    data = task.task_data("circle", 0.0, 0)
    X, Y = data.X_train[:5], data.Y_train[:5]
    delta, weight = cells.layer_norms(net, params, X, Y)
    one = [objective(net, params, X[i : i + 1], Y[i : i + 1])[2] for i in range(5)]  # per point
    for l in range(3):
        d = np.sqrt(np.mean([np.sum(g[l][1] ** 2, -1) for g in one], axis=0))
        w = np.sqrt(np.mean([np.sum(g[l][0] ** 2, (-2, -1)) for g in one], axis=0))
        np.testing.assert_allclose(delta[:, l], d, rtol=1e-12)
        np.testing.assert_allclose(weight[:, l], w, rtol=1e-12)


def test_slopes_of_a_geometric_decay_dead_members_and_too_few_layers():
    L = 6
    x = L - np.arange(1, L + 1)  # layers back from the output
    norms = np.stack([10.0 ** (-0.5 * x), 10.0 ** (0.25 * x), np.r_[0.0, 10.0 ** (-0.5 * x[1:])]])
    got = cells.slopes(norms)
    np.testing.assert_allclose(got[:2], [-0.5, 0.25], rtol=1e-12)
    assert got[2] == -np.inf
    assert np.isnan(cells.slopes(norms[:, :2], first=2)).all()


def test_median_slope_ranks_dead_members_lowest():
    live = np.linspace(-1.0, 1.0, 11)
    assert summary.median_slope(live) == stats.median(live)
    with_dead = summary.median_slope(np.r_[live, [-np.inf] * 3])
    assert with_dead.value == stats.median(np.r_[live, [-9.0] * 3]).value  # any value below the live ones
    assert with_dead.lo == -np.inf  # the interval reaches the dead members
    assert summary.median_slope([-np.inf] * 8) == (-np.inf, -np.inf, -np.inf)


def test_status_of_members():
    got = task.status(
        diverged=[True, False, False, False, False],
        change=[np.nan, 0.001, 0.5, 0.5, 0.5],
        acc_90=[0.0, 0.5, 0.96, 0.5, 0.96],
        acc=[0.0, 0.5, 0.97, 0.97, 0.9],
        tol=0.01,
        bar=0.95,
    )
    assert got.tolist() == ["diverged", "stationary", "settled", "moving", "moving"]
    assert task.status([False], [0.5], [1.0], [1.0], 0.01, None).tolist() == ["moving"]
    assert task.reaches([0.95, 0.99, 0.5], [False, True, False], 0.95).tolist() == [True, False, False]


def test_members_start_alike_whatever_their_activation():
    a, b = (task.start(task.deep_net(g, 4, 5), "he", range(3)) for g in ("relu", "sigmoid"))
    assert all(np.array_equal(W, V) for (W, _), (V, _) in zip(a, b))


# ---------------------------------------------------------------- plan
def test_plan_accepts_the_configs_and_names_bad_values():
    quick = load_config(ROOT / "config.yaml", load_config(ROOT / "config.quick.yaml"))["depth"]
    assert plan.check(DEFAULT) == [] and plan.check(quick) == [] and plan.check(SMALL) == []
    bad = {
        **DEFAULT,
        "task": {**DEFAULT["task"], "batch": 30, "epochs": 95},
        "vanishing": {**DEFAULT["vanishing"], "activations": ["relu", "tanh"], "figure_depth": 7, "lr": {"relu": 0.1}},
    }
    problems = "\n".join(plan.check(bad))
    for key in ("task.batch", "task.epochs", "vanishing.activations", "vanishing.figure_depth", "vanishing.lr"):
        assert f"config key 'depth.{key}'" in problems
    assert "value 30 is not allowed: must divide the 250" in problems


def test_plan_cells_give_each_job_only_its_own_knobs():
    jobs = plan.cell_cells(DEFAULT)
    assert list(jobs) == DEFAULT["vanishing"]["activations"]
    assert jobs["relu"]["lr"] == DEFAULT["vanishing"]["lr"]["relu"] and "activations" not in jobs["relu"]
    assert "vanishing" not in plan.kink_cells(DEFAULT)[""]
    costs = plan.cost(DEFAULT)
    assert {c.job for c in costs} == {"depth_kink", *(f"depth_cell[{g}]" for g in jobs)}
    assert all(c.model_steps > 0 and c.memory_gb > 0 for c in costs)


# ---------------------------------------------------------------- smoke run of every step
def test_every_step_writes_its_tables_figures_and_rows(tmp_path):
    results, figures = tmp_path / "results", tmp_path / "figures"
    for step in steps.STEPS.values():
        for cfg in step.cells(SMALL).values():
            step.run(cfg, results, figures)
    rows = pd.read_csv(results / "claims.csv")
    assert rows["claim"].tolist() == ["C22"] * 4 + ["C23"] * 5
    assert set(rows["verdict"]) <= {"reproduced", "partly", "not reproduced"}
    assert rows.loc[0, "verdict"] == "reproduced"  # the one-sided quotients: exact
    members = pd.read_csv(results / "members.csv")
    assert len(members) == 3 * 2 * 2 * 6 and set(members["status"]) <= {"diverged", "stationary", "settled", "moving"}
    for f in ("kink", "gradients", "trainability", "sparsity"):
        assert (figures / f"{f}.png").stat().st_size > 10_000


def test_a_step_run_twice_gives_identical_tables(tmp_path):
    cfg = plan.cell_cells(SMALL)["relu"]
    for run in ("a", "b"):
        steps.cell(cfg, tmp_path / run, tmp_path / run)
    for name in ("relu_members.csv", "relu_layers.csv"):
        assert (tmp_path / "a" / "cells" / name).read_bytes() == (tmp_path / "b" / "cells" / name).read_bytes()


def test_the_summary_refuses_a_cell_table_that_lacks_a_depth(tmp_path):
    for cfg in plan.cell_cells(SMALL).values():
        steps.cell(cfg, tmp_path, tmp_path)
    cfg = plan.vanishing_cells({**SMALL, "vanishing": {**SMALL["vanishing"], "depths": [2, 4, 6]}})[""]
    with pytest.raises(ValueError, match="sigmoid_members.csv"):
        steps.vanishing(cfg, tmp_path, tmp_path)
