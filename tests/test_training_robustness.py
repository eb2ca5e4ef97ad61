"""Integer results of the training family (choices of lambda, counts of settled runs, run
outcomes, clusters, midpoint witnesses) do not move when the floats they are computed from
move by a few ulps, as they do between CPUs (other SIMD paths, other BLAS kernels)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from experiments.training import l2, l2_verdicts, minima, minima_verdicts, nonconvex
from mlp.params import pick

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = yaml.safe_load((ROOT / "config.yaml").read_text())["training"]
ULPS = (-4, 4)


def nudge(df: pd.DataFrame, columns, k: int) -> pd.DataFrame:
    """`columns` multiplied by 1 + k * 2^-52 (k ulps of a number near 1, relative)."""
    return df.assign(**{c: df[c] * (1 + k * 2.0**-52) for c in columns})


@pytest.fixture(scope="module")
def cells():
    cfg = {k: v for k, v in DEFAULT["l2"].items() if k != "lambdas"}
    return pd.concat([l2.l2_cell({**cfg, "lam": lam}) for lam in (0.0, 0.01, 0.03, 0.3)], ignore_index=True)


@pytest.fixture(scope="module")
def xor():
    cfg = {**DEFAULT["minima"]["xor"], "task": "xor", "n_seeds": 60, "epochs": 1000}
    final, params = minima.final_losses(cfg)
    net = minima.task_net(cfg)
    data = minima.task_data(cfg, net)
    keep = final["outcome"].isin(minima.COUNTED).to_numpy()
    return final, nonconvex.midpoint_losses(net, pick(params, keep), data.X_train, data.Y_train)


@pytest.mark.parametrize("k", ULPS)
def test_lambda_choices_and_settled_counts_survive_a_few_ulps(cells, k):
    losses = ["train_loss", "val_loss", "test_loss", "stationarity", "test_change", "out_std", "omega"]
    moved = nudge(cells, losses, k)
    pd.testing.assert_frame_equal(
        l2_verdicts.selection(moved)[["seed", "lam", "counted", "lam_on_test"]],
        l2_verdicts.selection(cells)[["seed", "lam", "counted", "lam_on_test"]],
    )
    assert l2_verdicts.settled(moved).tolist() == l2_verdicts.settled(cells).tolist()
    a, b = l2_verdicts.summarise(moved), l2_verdicts.summarise(cells)
    assert a["collapsed"].tolist() == b["collapsed"].tolist() and a["n_settled"].tolist() == b["n_settled"].tolist()
    assert l2_verdicts.pooled_choice(a) == l2_verdicts.pooled_choice(b)


@pytest.mark.parametrize("k", ULPS)
def test_run_outcomes_and_clusters_survive_a_few_ulps(xor, k):
    final, _ = xor
    moved = nudge(final, ["train_loss", "stationarity", "norm_change", "curvature"], k)
    again = minima.outcome(moved["train_acc"] == 1.0, moved["stationarity"], moved["norm_change"], moved["curvature"])
    assert again.tolist() == final["outcome"].tolist()
    a, b = minima_verdicts.clusters(moved, 0.1, 2), minima_verdicts.clusters(final, 0.1, 2)
    assert a["n_seeds"].tolist() == b["n_seeds"].tolist() and a["kind"].tolist() == b["kind"].tolist()


@pytest.mark.parametrize("k", ULPS)
def test_midpoint_witnesses_survive_a_few_ulps(xor, k):
    _, mids = xor
    assert nonconvex.witnesses(nudge(mids, mids.columns, k)) == nonconvex.witnesses(mids)
    assert nonconvex.witnesses(nudge(mids, ["loss_permuted"], k)) == nonconvex.witnesses(mids)


def test_thresholds_keep_a_margin_from_the_measured_values(xor):
    """No run sits within 1% of an outcome threshold (relative), so a CPU's last bits cannot
    move it across; the XOR runs at this size are far from every threshold."""
    final, _ = xor
    for column, tol in (
        ("stationarity", minima.STATIONARY_TOL),
        ("norm_change", minima.NORM_TOL),
        ("curvature", -minima.SADDLE_TOL),
    ):
        values = final[column].to_numpy()
        assert np.all(np.abs(values - tol) > 0.01 * abs(tol)), column
