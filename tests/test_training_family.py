"""The training family (C14, C15, C18): unit tests of its pure functions and a smoke run
of every step on the quick configuration."""

import runpy
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from experiments.claims import VERDICTS
from experiments.training import l2, minima, sgd
from mlp.network import objective

ROOT = Path(__file__).resolve().parents[1]
QUICK = yaml.safe_load((ROOT / "config.quick.yaml").read_text())["training"]
STEPS = runpy.run_path(str(ROOT / "experiments/training/__main__.py"), run_name="steps")["STEPS"]


def test_per_example_grads_average_to_the_full_gradient():
    # oracle: the core's objective on the whole batch (mean-loss gradient, one call)
    cfg = QUICK["sgd"]
    net, params, data = sgd.problem(cfg)
    G = sgd.per_example_grads(net, params, data.X_train, data.Y_train)
    _, _, grads = objective(net, params, data.X_train, data.Y_train)
    full = np.concatenate([a.ravel() for gW, gb in grads for a in (gW, gb)])
    assert G.shape == (data.X_train.shape[0], full.size)
    np.testing.assert_allclose(G.mean(axis=0), full, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("replace", [True, False])
def test_batch_weights_are_batches(replace):
    w = sgd.batch_weights(np.random.default_rng(0), 50, 7, 3, replace)
    assert w.shape == (50, 7)
    np.testing.assert_allclose(w.sum(axis=1), 1.0)  # B weights of 1/B each
    if not replace:  # each index at most once
        assert set(np.unique(w)) <= {0.0, 1 / 3}


def test_batch_variance_matches_hand_computed_formulas():
    # G rows 1, -1, 3, -3: g = 0, var_1 = (1 + 1 + 9 + 9) / 4 = 5.
    # With replacement tr Cov = 5 / B; without, 5 / B * (4 - B) / 3: B = 2 -> 5/3, B = 4 -> 0.
    G = np.array([[1.0], [-1.0], [3.0], [-3.0]])
    v = sgd.batch_variance({"var_batch_sizes": [1, 2, 4], "var_draws": 20000, "init_seed": 0}, G)
    v = v.set_index(["replace", "batch_size"])["var_measured"]
    assert v[(True, 2)] == pytest.approx(2.5, rel=0.05)
    assert v[(False, 2)] == pytest.approx(5 / 3, rel=0.05)
    assert v[(False, 4)] == pytest.approx(0.0, abs=1e-24)
    assert v[(True, 1)] == pytest.approx(5.0, rel=0.05) and v[(False, 1)] == pytest.approx(5.0, rel=0.05)


def test_clusters_split_at_gaps_and_flag_stragglers():
    # log10 gaps: 1e-3 -> 1.1e-3 is 0.04 decades (same cluster); 1.1e-3 -> 0.3 and 0.31 -> 0.5 are > 0.1
    final = pd.DataFrame({"train_loss": [0.5, 1e-3, 0.3, 1.1e-3, 0.31], "train_acc": [0.75, 1, 0.5, 1, 0.5]})
    table = minima.clusters(final, gap_decades=0.1, min_seeds=2)
    assert table["n_seeds"].tolist() == [2, 2, 1]
    assert table["counted"].tolist() == [True, True, False]
    assert table["train_acc_mean"].tolist() == [1.0, 0.5, 0.75]


def test_l2_verdict_parts():
    base = {"n_seeds": 4, "gap_change_se": [0.0, 0.01, 0.01]}
    falling = pd.DataFrame({**base, "lam": [0, 0.1, 1], "omega": [3.0, 2.0, 1.0], "gap_change": [0.0, -0.1, -0.1]})
    assert l2.verdict_parts(falling) == (True, True)
    rising = falling.assign(omega=[1.0, 2.0, 3.0], gap_change=[0.0, -0.1, -0.01])  # -0.01 is within 2 s.e.
    assert l2.verdict_parts(rising) == (False, False)


def _run_all(out: Path):
    R, F = out / "results", out / "figures"
    for step in STEPS.values():  # in order: cells before the steps that read them
        for cfg in step.cells(QUICK).values():
            step.run(cfg, R, F)
    return R, F


def test_every_step_runs_and_is_deterministic(tmp_path):
    R, F = _run_all(tmp_path / "a")
    rows = pd.read_csv(R / "claims.csv")
    assert sorted(rows["claim"]) == ["C14", "C15", "C18", "C18"]
    assert set(rows["verdict"]) <= set(VERDICTS)
    for name in ("l2_sweep", "sgd_gradient_noise", "sgd_curves", "minima_xor", "minima_spiral"):
        assert (F / f"{name}.png").stat().st_size > 0
    curves = pd.read_csv(R / "sgd_curves.csv")
    N = curves["batch_size"].max()  # GD is always added with B = N
    assert set(curves["method"]) == {"GD", "SGD"} and (curves["grad_evals"] == curves["epoch"] * N).all()
    again = l2.l2_cell(QUICK["l2"], QUICK["l2"]["lambdas"][1])
    pd.testing.assert_frame_equal(again, l2.l2_cell(QUICK["l2"], QUICK["l2"]["lambdas"][1]))
