"""Smoke tests of the outputs family's steps, its plan (cells, checks, costs) and its
determinism."""

import copy

import pandas as pd
import pytest

from experiments.config import load_config
from experiments.io import TableError
from experiments.outputs import plan
from experiments.outputs.__main__ import STEPS, summary, train
from experiments.outputs.trained import members_table, train_models

BLOCK = load_config()["outputs"]
SMALL = {  # the default block, shrunk
    **BLOCK,
    "seeds": 6,
    "points": {"train": 200, "validation": 200, "test": 600},
    "hidden": [6],
    "schedule": [{"lr": 1.0, "epochs": 10}],
}


def test_steps_write_tables_figures_and_computed_rows(tmp_path):
    results, figures = tmp_path / "r", tmp_path / "f"
    for cfg in plan.train_cells(SMALL).values():
        train(cfg, results, figures)
    summary(plan.summary_cells(SMALL)[""], results, figures)
    rows = pd.read_csv(results / "claims.csv")
    assert (rows.claim == "C21").all() and len(rows) == 7
    assert set(rows.kind) == {"evidence", "finding", "sanity check"}
    assert set(rows.verdict) <= {"reproduced", "partly", "not reproduced"}
    for name in ("members", "summary", "convergence", "loss_metric", "own_metric", "support", "bayes"):
        assert (results / f"{name}.csv").exists() and (results / f"{name}.md").exists()
    for d in SMALL["datasets"]:
        for f in ("maps", "reliability"):
            assert (figures / f"{f}_{d}.png").stat().st_size > 10_000
    members = pd.read_csv(results / "members.csv")
    assert len(members) == 6 * sum(len(s["losses"]) for s in SMALL["datasets"].values())


def test_summary_refuses_a_truncated_members_table(tmp_path):
    cells = plan.train_cells(SMALL)
    name = next(iter(cells))
    train(cells[name], tmp_path, tmp_path)
    table = pd.read_csv(tmp_path / "members" / f"{name}.csv")
    table.iloc[:-1].to_csv(tmp_path / "members" / f"{name}.csv", index=False)
    with pytest.raises(TableError, match=f"{name}.csv"):
        summary(plan.summary_cells({**SMALL, "datasets": {name: SMALL["datasets"][name]}})[""], tmp_path, tmp_path)


def test_same_config_same_members_table():
    cfg = plan.train_cells(SMALL)["three_class"]
    a, b = (members_table(train_models(cfg)[2]) for _ in range(2))
    pd.testing.assert_frame_equal(a, b)


def test_cells_hold_only_their_data_set_and_the_shared_knobs():
    cells = plan.train_cells(BLOCK)
    assert list(cells) == list(BLOCK["datasets"])
    for name, cell in cells.items():
        assert cell["dataset"] == name and cell["data"] == BLOCK["datasets"][name]["data"]
        assert "datasets" not in cell and "criteria" not in cell
        assert list(cell["losses"]) == sorted(cell["losses"])  # the order Snakemake's JSON gives
    assert set(plan.summary_cells(BLOCK)[""]) == {"datasets", *plan.SUMMARY_KNOBS}
    assert set(STEPS) == {"train", "summary"}


def test_default_block_passes_the_checks_and_fits_the_limits():
    assert plan.check(BLOCK) == []
    limits = load_config()["limits"]
    for cost in plan.cost(BLOCK):
        assert cost.memory_gb <= limits["job_memory_gb"] and cost.model_steps <= limits["job_model_steps"]


@pytest.mark.parametrize(
    "edit, key, allowed",
    [
        (
            lambda b: b["datasets"]["three_class"]["losses"].update(squared="sigmoid"),
            "datasets.three_class.losses",
            "sigmoid",
        ),
        (lambda b: b["datasets"]["binary"]["data"].pop("blobs_per_class"), "datasets.binary.data", "blobs_per_class"),
        (lambda b: b["datasets"]["multilabel"]["losses"].pop("sparsemax"), "datasets.multilabel.losses", "sparsemax"),
        (lambda b: b.update(batch=5000), "batch", "points.train"),
        (lambda b: b.update(schedule=[{"lr": 0.1, "epochs": 3}]), "schedule", ">= 10 epochs"),
    ],
)
def test_check_names_the_key_the_value_and_what_is_allowed(edit, key, allowed):
    block = copy.deepcopy(BLOCK)
    edit(block)
    (message,) = plan.check(block)
    assert message.startswith(f"config key 'outputs.{key}")
    assert "is not allowed" in message and allowed in message
