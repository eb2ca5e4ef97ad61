"""The regions family (C12): pure functions, the verdict logic, and a smoke run of every step."""

import numpy as np
import pandas as pd
import pytest

from experiments.regions import plan
from experiments.regions.__main__ import STEPS
from experiments.regions.construction import bound_columns, construction_table, lecture_formula
from experiments.regions.depth import cell_nets, count_cell, growth_per_layer, random_params
from experiments.regions.validation import grid_patterns, validation_table
from experiments.regions.verdicts import claim_rows

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
        "train": {"dataset": "spiral", "noise": 0.0, "train_pct": 50, "lr": 0.03, "batch_size": 10, "epochs": 2},
    },
    "maps": {"depths": [1, 2], "seed": 0, "construction": {"K": 4, "L": 2}},
}


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
    # D=1, K=4: 4^(L-1) * (1 + 4) = 5, 20, 80 (reference: 20/80 for L=2/3); 80 > 50 is not counted
    assert t.loc[(1, 4, 1), "exact_linear"] == 5 and t.loc[(1, 4, 2), "exact_linear"] == 20
    assert not t.loc[(1, 4, 3), "counted"] and pd.isna(t.loc[(1, 4, 3), "exact_linear"])
    assert t.loc[(1, 4, 3), "montufar_lower_bound"] == 80
    # D=2, K=4, L=2: floor(4/2)^2 * (1 + 4 + 6) = 4 * 11 = 44
    assert t.loc[(2, 4, 2), "exact_activation"] == 44 == t.loc[(2, 4, 2), "exact_linear"]
    counted = table[table["counted"]]
    assert counted["equal"].all() and len(counted) == 7


def test_validation_checks_hold():
    v = validation_table(TINY["validation"])
    assert v["holds"].all(), v[~v["holds"]]
    z = v[(v["check"] == "zaslavsky") & v["case"].str.startswith("D=2, K=3,")]
    assert (z["measured"] == 7).all() and len(z) == 2  # 1 + 3 + 3 regions, activation and linear
    tent = v[v["check"] == "tent map"]
    assert sorted(tent["measured"]) == [2, 2, 8, 8]  # 2^1, 2^3
    assert set(v["check"]) == {"zaslavsky", "dense grid", "tent map"}


def test_grid_patterns_of_two_crossing_lines():
    # units x1 > 0 and x2 > 0 cut [-1, 1]^2 into 4 quadrants: 4 distinct patterns on a grid
    params = [(np.eye(2), np.zeros(2)), (np.ones((1, 2)), np.zeros(1))]
    assert len(grid_patterns(params, [[-1, 1], [-1, 1]], 20)) == 4


def test_random_params_derived_and_biased():
    a = random_params([5, 5], [0, 1], 0.5, "k")
    b = random_params([5, 5], [1], 0.5, "k")
    assert [W.shape for W, _ in a[0]] == [(5, 2), (5, 5), (1, 5)]
    for (Wa, ba), (Wb, bb) in zip(a[1], b[0], strict=True):  # a member draws what it draws alone
        np.testing.assert_array_equal(Wa, Wb)
        np.testing.assert_array_equal(ba, bb)
    assert np.all(a[0][0][1] != 0)  # biases spread (He's own b = 0 would make every region a cone)
    assert np.all(random_params([5], [0], 0.0, "k")[0][0][1] == 0)


def test_growth_per_layer():
    assert growth_per_layer(pd.Series({1: 10.0, 3: 40.0})) == pytest.approx(2.0)  # (40/10)^(1/2)
    assert growth_per_layer(pd.Series({1: 100.0, 2: 50.0})) == pytest.approx(0.5)


def _claim_inputs(equal: bool, random_counts, trained_counts):
    construction = pd.DataFrame(
        {
            "counted": [True, True],
            "equal": [True, equal],
            "lecture_formula_as_printed": [16, 576],
            "pattern_bound_2N": [16, 256],
        }
    )
    validation = pd.DataFrame({"check": ["zaslavsky", "tent map"], "holds": [True, True]})
    summary = pd.DataFrame(
        {
            "L": [1, 2, 3],
            "montufar_lower_bound": [37, 592, 9472],
            "serra_upper_bound": [37, 1369, 50653],
            "lecture_formula_as_printed": [64, 50176, 39337984],
            "random_n_linear_median": random_counts,
            "trained_n_linear_median": trained_counts,
        }
    )
    return construction, validation, summary


@pytest.mark.parametrize(
    ("equal", "rand", "verdict"),
    [
        (True, [100, 90, 80], "partly"),  # construction holds, random nets shrink with depth
        (True, [100, 300, 900], "reproduced"),  # x3 per layer >= x2
        (False, [100, 300, 900], "not reproduced"),  # the construction misses its formula
    ],
)
def test_claim_verdict_from_numbers(equal, rand, verdict):
    p = {"n_neurons": 8, "exponential_growth_per_layer": 2.0}
    rows = claim_rows(*_claim_inputs(equal, rand, [x * 2 for x in rand]), p)
    assert list(rows["claim"]) == ["C12"] and rows["verdict"].iloc[0] == verdict
    growth = (rand[2] / rand[0]) ** 0.5  # two added layers
    assert f"random He nets (median over seeds) {rand[0]} -> {rand[2]} (x{growth:.2f} per layer)" in rows["measured"][0]


def test_depth_cell_deterministic():
    p = {**TINY["depth"], "L": 2}
    a = count_cell(p, *cell_nets(p))
    b = count_cell(p, *cell_nets(p))
    pd.testing.assert_frame_equal(a, b)
    assert sorted(a["kind"]) == ["random", "random", "trained", "trained"]
    assert (a["widths"] == "3 3").all() and (a["n_linear"] <= a["n_activation"]).all()


def run_step(name, block, res, fig):
    """A step as the CLI runs it without --cfg: every cell of the family block in turn."""
    step = STEPS[name]
    for cfg in step.cells(block).values():
        step.run(cfg, res, fig)


def test_every_step_smoke(tmp_path):
    res, fig = tmp_path / "results", tmp_path / "figures"
    for name in ("construction", "validation", "depth_cell", "depth", "maps", "claims"):
        run_step(name, TINY, res, fig)
    for f in ("construction", "validation", "depth", "depth_summary", "region_maps", "claims"):
        assert (res / f"{f}.csv").exists() and (res / f"{f}.md").exists()
    for f in ("construction", "regions_vs_depth", "region_maps"):
        assert (fig / f"{f}.png").stat().st_size > 0
    claims = pd.read_csv(res / "claims.csv")
    assert claims["verdict"].iloc[0] in ("reproduced", "partly", "not reproduced")
    summary = pd.read_csv(res / "depth_summary.csv")
    # one layer of 6 units: the folding net is 6 lines in general position, 1 + 6 + 15 = 22 regions
    assert summary.set_index("L").loc[1, "construction_exact_linear"] == 22
