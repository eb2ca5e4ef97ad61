"""The training family (C14, C15, C18, C26): unit tests of its pure functions, its plan
(cross-field checks, jobs, costs) and a smoke run of every step on the quick configuration."""

import runpy
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from experiments.claims import VERDICTS
from experiments.training import curves, gradients, l2, l2_verdicts, minima, minima_verdicts, nonconvex, plan
from mlp.network import Net, forward, init, objective
from mlp.params import flatten
from mlp.seeding import rngs

ROOT = Path(__file__).resolve().parents[1]
QUICK = yaml.safe_load((ROOT / "config.quick.yaml").read_text())["training"]
DEFAULT = yaml.safe_load((ROOT / "config.yaml").read_text())["training"]
STEPS = runpy.run_path(str(ROOT / "experiments/training/__main__.py"), run_name="steps")["STEPS"]


# ---------------------------------------------------------------- C15 (a, b)


def test_per_example_grads_average_to_the_full_gradient():
    # oracle: the core's objective on the whole batch (mean-loss gradient, one call)
    net, params, data = gradients.problem(QUICK["sgd"])
    G = gradients.per_example_grads(net, params, data.X_train, data.Y_train)
    _, _, grads = objective(net, params, data.X_train, data.Y_train)
    full = flatten(grads)[0]
    assert G.shape == (data.X_train.shape[0], full.size)
    np.testing.assert_allclose(G.mean(axis=0), full, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("replace", [True, False])
def test_batch_weights_are_batches(replace):
    w = gradients.batch_weights(np.random.default_rng(0), 50, 7, 3, replace)
    assert w.shape == (50, 7)
    np.testing.assert_allclose(w.sum(axis=1), 1.0)  # B weights of 1/B each
    if not replace:  # each index at most once
        assert set(np.unique(w)) <= {0.0, 1 / 3}


def test_batch_variance_matches_hand_computed_formulas():
    # G rows 1, -1, 3, -3: g = 0, var_1 = (1 + 1 + 9 + 9) / 4 = 5.
    # With replacement tr Cov = 5 / B; without, 5 / B * (4 - B) / 3: B = 2 -> 5/3, B = 4 -> 0.
    G = np.array([[1.0], [-1.0], [3.0], [-3.0]])
    v = gradients.batch_variance({"var_batch_sizes": [1, 2, 4], "var_draws": 20000, "init_seed": 0}, G)
    assert v["var_formula"].tolist() == pytest.approx([5.0, 2.5, 1.25, 5.0, 5 / 3, 0.0])
    v = v.set_index(["replace", "batch_size"])
    measured = v["var_measured"]
    assert measured[(True, 2)] == pytest.approx(2.5, rel=0.05)
    assert measured[(False, 2)] == pytest.approx(5 / 3, rel=0.05)
    assert measured[(False, 4)] == pytest.approx(0.0, abs=1e-24)
    assert (v["var_lo"] <= v["var_measured"]).all() and (v["var_measured"] <= v["var_hi"]).all()


# ---------------------------------------------------------------- C15 (c)


def test_chosen_rate_is_the_lowest_training_loss_among_rates_without_divergence():
    tuning = pd.DataFrame({"lr": [0.1, 1.0, 10.0], "train_loss": [0.3, 0.1, 0.01], "n_diverged": [0, 0, 1]})
    assert curves.chosen_lr(tuning) == 1.0  # 10 has the lowest median but a run diverged


def test_methods_are_named_by_batch_size():
    assert [curves.method(B, 250) for B in (1, 10, 250)] == ["SGD", "mini-batch B=10", "GD"]


# ---------------------------------------------------------------- C14, C26


def cells_table(val, test, stationarity=0.0, test_change=0.0):
    """Cells of two seeds at lambdas 0 and 0.1 with the given (lambda-major) columns."""
    n = len(val)
    return pd.DataFrame(
        {
            "lam": [0.0, 0.0, 0.1, 0.1][:n],
            "seed": [0, 1, 0, 1][:n],
            "val_loss": val,
            "test_loss": test,
            "stationarity": stationarity,
            "test_change": test_change,
            "diverged": False,
        }
    )


def test_each_seed_selects_its_lowest_validation_loss():
    cells = cells_table(val=[0.5, 0.2, 0.3, 0.4], test=[0.5, 0.5, 0.4, 0.6])
    assert l2_verdicts.select_lambda(cells).to_dict() == {0: 0.1, 1: 0.0}
    sel = l2_verdicts.selection(cells).set_index("seed")
    assert sel["lam"].to_dict() == {0: 0.1, 1: 0.0}
    assert sel["lam_on_test"].to_dict() == {0: 0.1, 1: 0.0}  # shown only: seed 1's lowest test loss is at 0
    assert sel["test_loss_zero"].to_dict() == {0: 0.5, 1: 0.5}


def test_unsettled_runs_are_not_counted_but_lambda_zero_counts_when_no_longer_improving():
    # lambda = 0 run of seed 0 still moves but its test loss rose: counts; seed 1's fell: does not
    cells = cells_table(
        val=[0.5, 0.2, 0.3, 0.4], test=[0.5, 0.5, 0.4, 0.6], stationarity=0.5, test_change=[0.01, -0.01, 0, 0]
    )
    assert l2_verdicts.settled(cells).tolist() == [True, False, False, False]


def test_choices_off_the_validation_minimum_and_leaks_are_found():
    cells = cells_table(val=[0.5, 0.2, 0.3, 0.4], test=[0.5, 0.5, 0.4, 0.6]).assign(val_in_test=0)
    good = pd.DataFrame({"seed": [0, 1], "lam": [0.1, 0.0]})
    assert l2_verdicts.clean_choices(cells, good) == (0, 0)
    assert l2_verdicts.clean_choices(
        cells,
        good.assign(lam=[0.1, 0.1]),
    ) == (1, 0)
    assert l2_verdicts.clean_choices(cells.assign(val_in_test=[0, 2, 0, 2]), good) == (0, 4)


def test_shared_points_counts_rows_present_in_both():
    A = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])
    assert l2.shared_points(A, np.array([[2.0, 3.0], [9.0, 9.0]])) == 1
    assert l2.shared_points(A, np.array([[1.0, 0.0]])) == 0


def test_validation_split_holds_out_the_last_training_points():
    from mlp.data import Split

    X = np.arange(20.0).reshape(10, 2)
    fit, Xv, Yv = l2.validation_split(Split(X, X[:, :1], X[:2], X[:2, :1]), 30)
    assert fit.X_train.shape == (7, 2) and Xv.shape == (3, 2)
    np.testing.assert_array_equal(Xv, X[7:])
    np.testing.assert_array_equal(fit.X_test, X[:2])


# ---------------------------------------------------------------- C18


def test_swapping_hidden_units_computes_the_same_function():
    net = Net((2, 3, 2, 1), "tanh", "tanh", "squared")
    params = init(net, "glorot", rngs(range(4), "test"))
    X = np.random.default_rng(0).normal(size=(5, 2))
    swapped = nonconvex.swap_units(params)
    np.testing.assert_allclose(forward(net, swapped, X)[0], forward(net, params, X)[0], rtol=1e-13)
    assert not np.allclose(swapped[0][0], params[0][0])  # the parameters did change


def test_curvature_is_negative_at_a_saddle_and_not_at_a_minimum():
    # f = w2 (w1 x + b1) + b2, L = (f - y)^2 / 2 at x = y = 1. At theta = 0 the residual is
    # r = -1 and the Hessian J^T J + r grad^2 f has the block -[[0,0,1],[0,0,1],[1,1,0]] over
    # (w1, b1, w2): eigenvalues -sqrt(2), 0, sqrt(2); b2 adds 1. Smallest / largest |.| = -1.
    net = Net((1, 1, 1), "linear", "linear", "squared")
    X, Y = np.ones((1, 1)), np.ones((1, 1))
    zero = [(np.zeros((1, 1, 1)), np.zeros((1, 1))), (np.zeros((1, 1, 1)), np.zeros((1, 1)))]
    assert minima.curvature(net, zero, X, Y)[0] == pytest.approx(-1.0, abs=1e-6)
    # at w1 = w2 = 1, b = 0: r = 0 and H = J^T J with J = (1, 1, 1, 1): eigenvalues 0, 0, 0, 4
    one = [(np.ones((1, 1, 1)), np.zeros((1, 1))), (np.ones((1, 1, 1)), np.zeros((1, 1)))]
    assert minima.curvature(net, one, X, Y)[0] == pytest.approx(0.0, abs=1e-6)


def test_outcomes_follow_the_rules():
    out = minima.outcome(
        all_correct=np.array([True, False, False, False, False]),
        stationarity=np.array([0.5, 1e-4, 1e-4, 1e-4, 0.5]),
        norm_change=np.array([0.1, 0.0, 0.1, 0.0, 0.0]),
        curvature=np.array([0.0, 0.0, 0.0, -0.5, 0.0]),
    )
    assert out.tolist() == ["zero-loss valley", "finite minimum", "valley, weights growing", "saddle", "still moving"]


def test_clusters_split_at_gaps_among_counted_runs_and_flag_stragglers():
    # log10 gaps: 1e-3 -> 1.1e-3 is 0.04 decades (same cluster); 1.1e-3 -> 0.3 and 0.31 -> 0.5 are > 0.1
    final = pd.DataFrame(
        {
            "train_loss": [0.5, 1e-3, 0.3, 1.1e-3, 0.31, 0.9],
            "outcome": [
                "finite minimum",
                "zero-loss valley",
                *["valley, weights growing"] * 2,
                "finite minimum",
                "still moving",
            ],
            "stationarity": 0.0,
            "norm_change": 0.0,
            "grad_norm": 0.0,
        }
    )
    table = minima_verdicts.clusters(final, gap_decades=0.1, min_seeds=2)
    assert table["n_seeds"].tolist() == [2, 2, 1]  # the still-moving run is left out
    assert table["counted"].tolist() == [True, True, False]
    assert table["fraction"].tolist() == pytest.approx([2 / 6, 2 / 6, 1 / 6])


# ---------------------------------------------------------------- plan


def test_plan_jobs_hold_only_their_own_values():
    cells = plan.l2_cells(DEFAULT)
    assert list(cells) == [plan.lam_name(x) for x in DEFAULT["l2"]["lambdas"]]
    assert all("lambdas" not in c for c in cells.values())
    tune = plan.sgd_tune_cells(DEFAULT)
    N = plan.n_train(DEFAULT["sgd"]["train_pct"])
    assert list(tune) == [f"B{B}" for B in sorted({*DEFAULT["sgd"]["curve_batch_sizes"], N})]
    assert set(plan.minima_cells(DEFAULT)) == {"xor", "spiral"}


@pytest.mark.parametrize(
    "path, value, message",
    [
        (("sgd", "var_batch_sizes"), [1, 300], "every batch size must be <= N = 500 * train_pct / 100 = 250"),
        (("sgd", "curve_batch_sizes"), [1, 251], "[251] are larger"),
        (("l2", "lambdas"), [0.1, 0.3, 1.0], "must contain 0"),
        (("l2", "batch_size"), 80, "must be <= 75"),
        (("minima", "xor", "batch_size"), 5, "must be <= 4"),
        (("minima", "spiral", "hidden_sizes"), [1, 4], "needs >= 2 units"),
    ],
)
def test_plan_check_names_the_bad_key(path, value, message):
    block = yaml.safe_load(yaml.safe_dump(DEFAULT))
    sub = block
    for key in path[:-1]:
        sub = sub[key]
    sub[path[-1]] = value
    problems = plan.check(block)
    key = "training." + ".".join(path)
    assert any(f"config key '{key}'" in p and message in p for p in problems), problems
    assert plan.check(DEFAULT) == []


def test_plan_costs_cover_every_job_within_the_limits():
    costs = plan.cost(DEFAULT)
    jobs = {c.job.split()[0] for c in costs}
    assert jobs == {"training_l2_cell", "training_sgd_gradients", "training_sgd_tune", "training_minima"}
    assert all(0 < c.model_steps < 1e9 and 0 < c.memory_gb < 8 for c in costs)


# ---------------------------------------------------------------- smoke


def run_all(out: Path):
    R, F = out / "results", out / "figures"
    for step in STEPS.values():  # in order: cells before the steps that read them
        for cfg in step.cells(QUICK).values():
            step.run(cfg, R, F)
    return R, F


def test_every_step_runs_and_is_deterministic(tmp_path):
    R, F = run_all(tmp_path / "a")
    rows = pd.read_csv(R / "claims.csv")
    assert sorted(rows["claim"]) == ["C14", "C15", "C15", "C15", "C18", "C18", "C18", "C26"]
    assert set(rows["verdict"]) <= set(VERDICTS) and set(rows["kind"]) == {"evidence"}
    for name in ("l2_sweep", "sgd_gradient_noise", "sgd_curves", "minima_xor", "minima_spiral"):
        assert (F / f"{name}.png").stat().st_size > 0
    curve = pd.read_csv(R / "sgd_curves.csv")
    N = curve["batch_size"].max()  # GD is always added with B = N
    assert set(curve["method"]) == {"GD", "SGD"} and (curve["grad_evals"] == curve["epoch"] * N).all()
    R2, _ = run_all(tmp_path / "b")
    for table in sorted(R.rglob("*.csv")):
        assert table.read_bytes() == (R2 / table.relative_to(R)).read_bytes(), table.name


def test_a_truncated_cell_stops_the_summary_with_the_file_name(tmp_path):
    R, F = tmp_path / "results", tmp_path / "figures"
    cfg = plan.l2_cells(QUICK)
    for c in cfg.values():
        STEPS["l2_cell"].run(c, R, F)
    path = R / "l2" / f"lam_{plan.lam_name(QUICK['l2']['lambdas'][0])}.csv"
    path.write_text("\n".join(path.read_text().splitlines()[:-1]) + "\n")  # one seed lost
    with pytest.raises(ValueError, match=path.name):
        STEPS["l2_summary"].run(plan.l2_summary(QUICK)[""], R, F)
