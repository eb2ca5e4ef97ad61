"""The regions family (C12): pure functions, the plan, the verdict logic, and a smoke run of
every step as the CLI runs it."""

import json

import numpy as np
import pandas as pd
import pytest

from experiments.config import load_config
from experiments.io import TableError
from experiments.regions import plan
from experiments.regions.__main__ import STEPS
from experiments.regions.construction import bound_columns, construction_table, lecture_formula
from experiments.regions.depth import cell_nets, count_cell, growth, random_params, schedule
from experiments.regions.validation import grid_patterns, n_checks, validation_table
from experiments.regions.verdicts import depth_row, formula_row
from mlp.data import N_CLASSIFY

TINY = {
    "construction": {
        "grid": [{"D": 1, "K": [2, 4], "L": [1, 2, 3]}, {"D": 2, "K": [4], "L": [1, 2, 3]}],
        "max_regions": 50,
    },
    "validation": {
        "zaslavsky_K": [1, 3, 4],
        "n_seeds": 1,
        "grid_points": 60,
        "grid_constructions": [[4, 2]],
        "grid_random_depths": [1, 2],
        "grid_random_neurons": 6,
        "bias_std": 0.5,
        "tent_L": [1, 3],
    },
    "depth": {
        "n_neurons": 6,
        "depths": [1, 2],
        "n_seeds": 2,
        "bias_std": 0.5,
        "box": [[-1.0, 1.0], [-1.0, 1.0]],
        "segment": [[-1.0, -1.0], [1.0, 1.0]],
        "input_scale": 6.0,
        "construction_max_regions": 200,
        "exponential_growth_per_layer": 2.0,
        "train": {
            "dataset": "spiral",
            "noise": 0.0,
            "train_pct": 50,
            "lr": 0.03,
            "batch_size": 10,
            "epochs": 4,
            "settle_epochs": 2,
            "settle_factor": 0.1,
            "converged_change": 0.02,
        },
    },
    "maps": {"depths": [1, 2], "seed": 0, "construction": {"K": 4, "L": 2}},
}


def run_step(name, block, res, fig):
    """A step as the CLI runs it without --cfg: every cell of the family block in turn."""
    step = STEPS[name]
    for cfg in step.cells(block).values():
        step.run(json.loads(json.dumps(cfg)), res, fig)  # the cfg as the JSON a rule passes


# ---------------------------------------------------------------- formulas and bounds


def test_lecture_formula_as_printed():
    # D=2, K=4, L=3: C(4, 2)^(2*2) * 4^2 = 6^4 * 16 = 1296 * 16 = 20736
    assert lecture_formula(2, 4, 3) == 20736
    # D=1: C(K, 1)^(L-1) K = K^L; K=3, L=4: 81
    assert lecture_formula(1, 3, 4) == 81


def test_widths_for_spreads_all_units():
    assert plan.widths_for(48, 5) == [10, 10, 10, 9, 9]
    assert plan.widths_for(48, 6) == [8] * 6
    assert plan.widths_for(7, 1) == [7]


def test_bound_columns_for_uneven_widths():
    b = bound_columns(2, [10, 9])
    # floor(10/2)^2 * (1 + 9 + 36) = 25 * 46 = 1150; 2^19 patterns; no lecture value for unequal widths
    assert b["montufar_lower_bound"] == 1150
    assert b["pattern_bound_2N"] == 2**19
    assert b["lecture_formula_as_printed"] is None
    assert b["montufar_lower_bound"] <= b["serra_upper_bound"] <= b["montufar2017_upper_bound"]


def test_construction_counts_equal_formula_and_skip_large_cells():
    table = construction_table(TINY["construction"]["grid"], max_regions=50)
    t = table.set_index(["D", "K", "L"])
    # D=1, K=4: 4^(L-1) * (1 + 4) = 5, 20, 80; 80 > 50 is listed, not counted
    assert t.loc[(1, 4, 1), "exact_linear"] == 5 and t.loc[(1, 4, 2), "exact_linear"] == 20
    assert not t.loc[(1, 4, 3), "counted"] and pd.isna(t.loc[(1, 4, 3), "exact_linear"])
    assert t.loc[(1, 4, 3), "montufar_lower_bound"] == 80
    # D=2, K=4, L=2: floor(4/2)^2 * (1 + 4 + 6) = 4 * 11 = 44
    assert t.loc[(2, 4, 2), "exact_activation"] == 44 == t.loc[(2, 4, 2), "exact_linear"]
    counted = table[table["counted"]]
    assert counted["equal"].all() and len(counted) == 7
    assert (counted["noise_band"] == 0).all() and (counted["decisions"] > 0).all()


# ---------------------------------------------------------------- validation of the counter


def test_validation_checks_hold():
    v = validation_table(TINY["validation"])
    assert v["holds"].all(), v[~v["holds"]]
    assert len(v) == n_checks(TINY["validation"])  # 2 D x 3 K x 2 kinds + (1 + 2) grid nets + 2 x 2 tent rows
    z = v[(v["check"] == "zaslavsky") & v["case"].str.startswith("D=2, K=3,")]
    assert (z["measured"] == 7).all() and len(z) == 2  # 1 + 3 + 3 regions, activation and linear
    tent = v[v["check"] == "tent map"]
    assert sorted(tent["measured"]) == [2, 2, 8, 8]  # 2^1, 2^3
    assert set(v["check"]) == {"zaslavsky", "dense grid", "tent map"}


def test_grid_patterns_of_two_crossing_lines():
    # units x1 > 0 and x2 > 0 cut [-1, 1]^2 into 4 quadrants: 4 distinct patterns on a grid
    params = [(np.eye(2), np.zeros(2)), (np.ones((1, 2)), np.zeros(1))]
    assert len(grid_patterns(params, [[-1, 1], [-1, 1]], 20)) == 4


# ---------------------------------------------------------------- random and trained nets


def test_random_params_derived_and_biased():
    a = random_params([5, 5], [0, 1], 0.5, "k")
    b = random_params([5, 5], [1], 0.5, "k")
    assert [W.shape for W, _ in a[0]] == [(5, 2), (5, 5), (1, 5)]
    for (Wa, ba), (Wb, bb) in zip(a[1], b[0], strict=True):  # a member draws what it draws alone
        np.testing.assert_array_equal(Wa, Wb)
        np.testing.assert_array_equal(ba, bb)
    assert np.all(a[0][0][1] != 0)  # biases spread (He's own b = 0 would make every region a cone)
    assert np.all(random_params([5], [0], 0.0, "k")[0][0][1] == 0)


def test_schedule_splits_the_settle_phase_at_90_percent():
    t = {"lr": 0.03, "epochs": 800, "settle_epochs": 200, "settle_factor": 0.1}
    # 800 epochs at 0.03, then 0.003 from 800 to 900 (= 0.9 x 1000) and from 900 to 1000
    assert schedule(t) == [(0.03, 0, 800), (pytest.approx(0.003), 800, 900), (pytest.approx(0.003), 900, 1000)]


def test_depth_cell_deterministic_with_stationarity_columns():
    p = {**plan.depth_cells(TINY)["L2"]}
    a = count_cell(p, *cell_nets(p))
    b = count_cell(p, *cell_nets(p))
    pd.testing.assert_frame_equal(a, b)
    assert sorted(a["kind"]) == ["random", "random", "trained", "trained"]
    assert (a["widths"] == "3 3").all() and (a["n_linear"] <= a["n_activation"]).all()
    trained = a[a["kind"] == "trained"]
    assert trained["count_change"].between(0, 1).all() and trained["last_change"].notna().all()
    assert (trained["converged"] == (trained["count_change"] <= 0.02)).all()
    assert (a["noise_band"] == 0).all()


def cells_with_growth(factor_random: float, factor_trained: float, converged=True) -> pd.DataFrame:
    """Synthetic depth cells: counts 100 * factor^(L - 1) with a small seed spread."""
    rows = []
    for L in (1, 2, 3, 4):
        for seed in range(6):
            for kind, f in (("random", factor_random), ("trained", factor_trained)):
                n = round(100 * f ** (L - 1) * (1 + 0.02 * (seed - 2.5)))
                rows.append(
                    {"L": L, "kind": kind, "seed": seed, "diverged": False, "n_linear": n, "noise_band": 0,
                     "last_change": 0.01 if kind == "trained" else np.nan,
                     "converged": converged if kind == "trained" else np.nan}
                )  # fmt: skip
    return pd.DataFrame(rows)


def test_growth_is_the_fitted_factor_per_layer():
    g = growth(cells_with_growth(3.0, 0.5), "random")
    assert g.value == pytest.approx(3.0, rel=0.01) and g.lo < 3.0 < g.hi
    assert growth(cells_with_growth(3.0, 0.5), "trained").value == pytest.approx(0.5, rel=0.01)
    assert np.isnan(growth(cells_with_growth(3.0, 0.5, converged=False), "trained").value)  # none counts


def summary_for(cells: pd.DataFrame, N: int = 48) -> pd.DataFrame:
    depths = sorted(cells["L"].unique())
    rows = [{"L": L, "montufar_lower_bound": 100 * 8 ** (L - 1), "trained_n": 6} for L in depths]
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("random", "trained", "verdict"),
    [
        (3.0, 2.5, "reproduced"),  # both grow >= x2 per layer
        (0.8, 1.2, "not reproduced"),  # both below x2: the measured finding
        (3.0, 1.2, "partly"),  # only the random nets grow exponentially
    ],
)
def test_depth_row_verdict_from_the_growth_intervals(random, trained, verdict):
    cells = cells_with_growth(random, trained)
    p = {**TINY["depth"], "n_neurons": 48, "n_seeds": 6}
    row = depth_row(cells, summary_for(cells), p)
    assert row["verdict"] == verdict and row["kind"] == "finding"
    assert f"growth per added layer x{growth(cells, 'random').fmt()}" in row["measured"]


def test_formula_row_compares_the_printed_formula_with_the_upper_bound():
    table = construction_table(TINY["construction"]["grid"], max_regions=50)
    summary = pd.DataFrame([{"L": 1, **bound_columns(2, [6])}])
    row = formula_row(table, summary, 6)
    # D=2, K=4, L=1: C(4, 2)^0 * 4^2 = 16 > 11 = 1 + 4 + 6, the exact maximum of 4 lines
    assert row["verdict"] == "not reproduced" and "D=2, K=4, L=1: 16 > 11" in row["measured"]
    # the printed formula replaced by the paper's lower bound never exceeds the upper bound
    table["lecture_formula_as_printed"] = table["montufar_lower_bound"]
    summary["lecture_formula_as_printed"] = summary["montufar_lower_bound"]
    assert formula_row(table, summary, 6)["verdict"] == "reproduced"


# ---------------------------------------------------------------- the plan


def test_plan_accepts_the_default_and_quick_configs():
    root = plan.__file__.rsplit("/experiments/", 1)[0]
    default = load_config(f"{root}/config.yaml")
    quick = load_config(f"{root}/config.yaml", load_config(f"{root}/config.quick.yaml"))
    for config in (default, quick):
        assert plan.check(config["regions"]) == []
        costs = plan.cost(config["regions"])
        assert costs and all(c.memory_gb > 0 and c.model_steps > 0 for c in costs)


def test_playground_size_matches_the_core():
    assert plan.PLAYGROUND_POINTS == N_CLASSIFY


def bad(**changes) -> list[str]:
    block = json.loads(json.dumps(TINY))
    for path, value in changes.items():
        *keys, last = path.split("__")
        target = block
        for k in keys:
            target = target[int(k)] if k.isdigit() else target[k]
        target[last] = value
    return plan.check(block)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"construction__grid__1__K": [2, 4]}, "'regions.construction.grid[1].K': value [2, 4] is not allowed: every K must be >= D + 1 = 3"),
        ({"maps__depths": [1, 5]}, "'regions.maps.depths': value [1, 5] is not allowed: must be depths of the sweep"),
        ({"depth__depths": [1, 2, 7]}, "'regions.depth.depths': value [1, 2, 7] is not allowed: every depth must be <= 6 units"),
        ({"depth__train__batch_size": 300}, "'regions.depth.train.batch_size': value 300 is not allowed: must be <= the 250 training points"),
        ({"depth__train__settle_epochs": 0}, "'regions.depth.train.settle_epochs': value 0 is not allowed: must be more than 10% of the budget"),
        ({"depth__box": [[1.0, -1.0], [-1.0, 1.0]]}, "'regions.depth.box'"),
        ({"validation__grid_random_depths": [1, 9]}, "'regions.validation.grid_random_depths': value [1, 9]"),
    ],
)  # fmt: skip
def test_plan_check_names_key_value_and_what_is_allowed(changes, message):
    problems = bad(**changes)
    assert len(problems) == 1 and f"config key {message}" in problems[0], problems


def test_construction_cost_grows_with_depth():
    block = {**TINY, "construction": {"grid": [{"D": 2, "K": [8], "L": [1, 2, 3]}], "max_regions": 10**6}}
    work = [c.model_steps for c in plan.cost(block) if c.job.startswith("regions_construction")]
    assert work == sorted(work) and work[-1] > 100 * work[0]  # 37, 592, 9472 regions x 8 L units


def test_adding_a_depth_adds_one_cell_and_leaves_the_others_unchanged():
    longer = {**TINY, "depth": {**TINY["depth"], "depths": [1, 2, 3]}}
    old, new = plan.depth_cells(TINY), plan.depth_cells(longer)
    assert set(new) - set(old) == {"L3"} and all(new[k] == old[k] for k in old)
    assert "depths" not in new["L3"]


# ---------------------------------------------------------------- the steps


def test_every_step_smoke(tmp_path):
    res, fig = tmp_path / "results", tmp_path / "figures"
    for name in ("construction", "validation", "depth_cell", "depth", "maps", "claims"):
        run_step(name, TINY, res, fig)
    for f in ("construction", "validation", "depth", "depth_summary", "region_maps", "claims"):
        assert (res / f"{f}.csv").exists() and (res / f"{f}.md").exists()
    for f in ("construction", "regions_vs_depth", "region_maps"):
        assert (fig / f"{f}.png").stat().st_size > 0
    claims = pd.read_csv(res / "claims.csv")
    assert list(claims["kind"]) == ["evidence", "evidence", "finding", "finding"]
    assert list(claims["verdict"][:3]) == ["reproduced", "reproduced", "not reproduced"]
    summary = pd.read_csv(res / "depth_summary.csv")
    # one layer of 6 units: the folding net is 6 lines in general position, 1 + 6 + 15 = 22 regions
    assert summary.set_index("L").loc[1, "construction_exact_linear"] == 22


def test_depth_step_rejects_a_cell_missing_a_seed(tmp_path):
    res, fig = tmp_path / "results", tmp_path / "figures"
    run_step("depth_cell", TINY, res, fig)
    cell = pd.read_csv(res / "depth" / "L2.csv")
    cell[cell["seed"] != 1].to_csv(res / "depth" / "L2.csv", index=False)
    with pytest.raises(TableError, match=r"L2.csv: 2 rows, the configuration implies 4"):
        run_step("depth", TINY, res, fig)
