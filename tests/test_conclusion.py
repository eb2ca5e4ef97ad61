"""C19: the conclusion row from the other families' tables, read through `read_inputs` (each
table checked), and the cross-family check of the conclusion's config."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from experiments.conclusion import plan
from experiments.conclusion.inputs import read_inputs
from experiments.conclusion.summary import claim_rows, parts
from experiments.io import TableError, write_table

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "config.yaml").read_text())
CFG = {
    "xor": {"width": 8, "activations": ["tanh", "relu"], "success_rate": 0.9},
    "playground": {"epoch": 100, "configs": ["circle-4-tanh", "spiral-8-8-relu"], "test_accuracy": 0.9},
    "approximation": {"width": 512, "rms": 0.05},
}


def write_inputs(root: Path, xor_successes=200, spiral_acc=0.97, sgd_last=0.01, circle_acc=0.99, converged=3) -> Path:
    """Tables shaped like the other families' (the columns they keep), under root/results."""
    R = root / "results"
    xor = pd.DataFrame(
        {
            "activation": ["tanh", "tanh", "relu", "relu"],
            "width": [1, 8, 1, 8],
            "seeds": 200,
            "successes": [0, xor_successes, 0, xor_successes],
        }
    ).assign(rate=lambda d: d["successes"] / d["seeds"])
    write_table(xor, R / plan.INPUTS["xor_success"])
    seeds = np.arange(30)
    accs = {"circle-4-tanh": circle_acc, "spiral-8-8-relu": spiral_acc}
    summary = [
        {"config": c, "dataset": c.split("-")[0], "epoch": e, "test_acc_median": a if e else 0.5}
        for c, a in accs.items()
        for e in (0, 100)
    ]
    write_table(pd.DataFrame(summary), R / plan.INPUTS["playground_summary"])
    for c, a in accs.items():  # accuracies spread by +-0.01 around the level (0.5 before training)
        runs = [
            pd.DataFrame({"seed": seeds, "epoch": e, "test_acc": level + 0.01 * np.sin(seeds)})
            for e, level in ((0, 0.5), (100, a))
        ]
        write_table(pd.concat(runs), R / plan.playground_seeds(c))
    errors = pd.DataFrame(
        {
            "target": ["sine"] * 4 + ["abs"] * 4,
            "activation": "tanh",
            "method": ["sgd", "sgd", "lbfgs", "lbfgs"] * 2,
            "K": [1, 512] * 4,
            "rms": [0.3, sgd_last, 0.3, 1e-4] * 2,
            "n_converged": converged,
        }
    )
    write_table(errors, R / plan.INPUTS["width_errors"])
    return R


def verdict(R: Path) -> pd.Series:
    return claim_rows(parts(read_inputs(R, CFG), CFG)).iloc[0]


def test_all_bars_met_is_reproduced(tmp_path):
    row = verdict(write_inputs(tmp_path))
    assert row.claim == "C19" and row.verdict == "reproduced" and row.kind == "evidence"
    assert "tanh 1.000 [0.982, 1.000]" in row.measured  # 200/200: Clopper-Pearson lower end 0.025^(1/200)
    assert "spiral-8-8-relu 0.97" in row.measured and "(30 seeds)" in row.measured


def test_sabotage_xor_nets_never_solve(tmp_path):
    # what a broken trainer (e.g. a gradient of the wrong sign) writes: no seed solves XOR
    assert verdict(write_inputs(tmp_path, xor_successes=0)).verdict == "partly"


def test_sabotage_playground_at_chance(tmp_path):
    assert verdict(write_inputs(tmp_path, spiral_acc=0.5)).verdict == "partly"


def test_sabotage_every_trained_result_fails(tmp_path):
    row = verdict(
        write_inputs(tmp_path, xor_successes=100, spiral_acc=0.5, sgd_last=0.9, circle_acc=0.6)
    )  # K: rms rises
    assert row.verdict == "not reproduced"


def test_a_bar_inside_the_interval_does_not_count(tmp_path):
    # 185/200 = 0.925 > 0.9, but the 95% interval [0.88, 0.96] reaches below the bar
    assert verdict(write_inputs(tmp_path, xor_successes=185)).verdict == "partly"


def test_sabotage_sgd_runs_that_never_converge_do_not_count(tmp_path):
    """An SGD fit whose runs are all still moving at the judged width has no RMS that counts."""
    rows = claim_rows(parts(read_inputs(write_inputs(tmp_path, converged=0), CFG), CFG))
    assert rows["verdict"].iloc[0] != "reproduced" and "0/2 (target, activation) cells" in rows["measured"].iloc[0]


def test_sgd_falling_with_width_but_missing_its_bar_is_partly(tmp_path):
    assert verdict(write_inputs(tmp_path, sgd_last=0.2)).verdict == "partly"


@pytest.mark.parametrize(
    "table, damage, message",
    [
        ("xor_success", lambda d: d.drop(columns="successes"), "missing columns ['successes']"),
        ("xor_success", lambda d: d[d["width"] == 1], "no rows for width 8, tanh"),
        ("playground_summary", lambda d: d[d["epoch"] == 0], "no rows for config circle-4-tanh at epoch 100"),
        ("width_errors", lambda d: d[d["K"] == 1], "no rows for method sgd at K = 512"),
    ],
)
def test_tables_that_lack_what_the_config_judges_name_the_file(tmp_path, table, damage, message):
    R = write_inputs(tmp_path)
    path = R / plan.INPUTS[table]
    write_table(damage(pd.read_csv(path)), path)
    with pytest.raises(TableError, match=re.escape(message)) as err:
        read_inputs(R, CFG)
    assert path.name in str(err.value)


def test_cross_check_names_what_the_other_families_do_not_train():
    assert plan.cross_check(CONFIG) == []
    bad = yaml.safe_load(yaml.safe_dump(CONFIG))
    bad["conclusion"]["playground"]["epoch"] = 2500
    bad["conclusion"]["playground"]["configs"] = ["spiral-9-relu"]
    bad["conclusion"]["xor"]["width"] = 7
    bad["conclusion"]["approximation"]["width"] = 100
    problems = "\n".join(plan.cross_check(bad))
    assert "config key 'conclusion.playground.epoch': value 2500 is not allowed" in problems
    assert "[1968, 2536]" in problems
    assert "'conclusion.playground.configs': value ['spiral-9-relu']" in problems
    assert "'conclusion.xor.width': value 7" in problems and "'conclusion.approximation.width': value 100" in problems


def test_quick_config_passes_the_cross_check():
    from experiments.config import load_config

    quick = load_config(ROOT / "config.yaml", yaml.safe_load((ROOT / "config.quick.yaml").read_text()))
    assert plan.cross_check(quick) == []
