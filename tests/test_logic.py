"""Logic family (claims C02-C05): exact tables, trained-net summaries, verdicts, and a smoke run of every step."""

import numpy as np
import pandas as pd
import pytest

from experiments.logic import __main__ as steps
from experiments.logic import exact, trained, verdicts
from mlp.boolean import function_outputs, truth_table_inputs

pytestmark = pytest.mark.filterwarnings("error")

TRAIN = {"lr": 1.0, "epochs": 60, "batch_size": 4, "init": "glorot"}
TINY = {
    "count_n": [1, 2],
    "enumerate_max_n": 2,
    "parity_n": [2, 3],
    "neuron": {"seeds": 4, "lr": 0.5, "epochs": 30, "batch_size": 1, "init": "glorot"},
    "xor_mlp": {"activations": ["tanh", "relu"], "widths": [1, 3], "seeds": 4, **TRAIN},
    "boundary": {"activation": "tanh", "width": 3},
    "linear": {"depths": [1, 3], "width": 3, "check_nets": 2, "check_points": 5, "train_depths": [2], "seeds": 4,
               "lr": 0.2, "epochs": 30, "batch_size": 4, "init": "glorot"},
}  # fmt: skip

# The 16 functions written as Boolean formulas, independently of the bit-index convention.
FORMULAS = {
    "FALSE": lambda a, b: False, "NOR": lambda a, b: not (a or b), "NOT x1 AND x2": lambda a, b: not a and b,
    "NOT x1": lambda a, b: not a, "x1 AND NOT x2": lambda a, b: a and not b, "NOT x2": lambda a, b: not b,
    "XOR": lambda a, b: a != b, "NAND": lambda a, b: not (a and b), "AND": lambda a, b: a and b,
    "XNOR": lambda a, b: a == b, "x2": lambda a, b: b, "NOT x1 OR x2": lambda a, b: (not a) or b,
    "x1": lambda a, b: a, "x1 OR NOT x2": lambda a, b: a or not b, "OR": lambda a, b: a or b,
    "TRUE": lambda a, b: True,
}  # fmt: skip


def test_names_of_the_16_functions_match_their_truth_tables():
    X = truth_table_inputs(2) > 0
    assert sorted(exact.NAMES_2.values()) == sorted(FORMULAS)
    for index, name in exact.NAMES_2.items():
        expected = [FORMULAS[name](a, b) for a, b in X]
        np.testing.assert_array_equal(function_outputs(index, 2) > 0, expected, err_msg=name)


def test_certificates_2():
    certs = exact.certificates_2().set_index("name")
    assert certs["separable"].sum() == 14
    assert certs.loc["AND", "separable"] and certs.loc["OR", "separable"]
    assert not certs.loc["XOR", "separable"] and not certs.loc["XNOR", "separable"]
    sep = certs[certs["separable"]]
    assert (sep["check"] >= 1 - 1e-6).all()  # margin y (w.x + b) >= 1 on every row
    assert sep[["lambda1", "lambda2", "lambda3", "lambda4"]].isna().all().all()
    # XOR: lambda1 - lambda2 + lambda3 - lambda4 = 0 (x1), lambda1 + lambda2 - lambda3 - lambda4 = 0 (x2),
    # -lambda1 + lambda2 + lambda3 - lambda4 = 0 (bias), sum 1  =>  the unique witness is 1/4 each
    for name in ("XOR", "XNOR"):
        lam = certs.loc[name, ["lambda1", "lambda2", "lambda3", "lambda4"]].to_numpy(float)
        np.testing.assert_allclose(lam, 0.25, atol=1e-7)
        assert certs.loc[name, "check"] < 1e-7


def test_threshold_counts_match_oeis_and_enumeration():
    counts = exact.threshold_counts([1, 2, 3], enumerate_max_n=2)
    # OEIS A000609 (threshold functions of n or fewer variables): 4, 14, 104 for n = 1, 2, 3
    assert counts["count"].tolist() == [4, 14, 104]
    assert counts["matches_oeis"].all()
    assert counts["count_enumerated"].iloc[:2].tolist() == [4, 14]
    assert pd.isna(counts["count_enumerated"].iloc[2])
    # n = 2 directly: 16 primal LPs, plus a Farkas LP for XOR and XNOR
    assert counts["lps_enumerated"].iloc[1] == 18


def test_best_linear_on_xor_is_3_of_4():
    best = exact.best_linear().set_index("function")
    assert best.loc["XOR", "best_correct"] == 3 and best.loc["XNOR", "best_correct"] == 3
    assert best.loc["AND", "best_correct"] == 4
    assert (best["correct_by_w_b"] == best["best_correct"]).all()


def test_parity_needs_order_n():
    par = exact.parity_order([2, 3])
    assert len(par) == 2 + 3
    assert (par["separable"] == (par["k"] == par["n"])).all()
    # every product of fewer than n inputs sums to 0 against parity over the cube
    assert (par.loc[par["k"] < par["n"], "uniform_residual"] == 0).all()


def test_wilson_interval_by_hand():
    # k = 0: lower 0, upper z^2 / (n + z^2) = 3.8415 / 203.8415 with z = 1.95996
    low, high = trained.wilson_interval(0, 200)
    assert low == 0 and high == pytest.approx(1.959964**2 / (200 + 1.959964**2), rel=1e-5)
    low, high = trained.wilson_interval(200, 200)
    assert high == 1 and low == pytest.approx(200 / (200 + 1.959964**2), rel=1e-5)
    low, high = trained.wilson_interval(5, 10)  # symmetric about 1/2
    assert low + high == pytest.approx(1.0)
    for n in range(1, 60):  # the interval contains k / n even at k = 0 and k = n (no round-off outside)
        for k in (0, n):
            low, high = trained.wilson_interval(k, n)
            assert low <= k / n <= high


def test_collapse_affine_by_hand():
    # h = [1, 2] x + 1, f = 3 h - 1 = [3, 6] x + 2
    params = [(np.array([[1.0, 2.0]]), np.array([1.0])), (np.array([[3.0]]), np.array([-1.0]))]
    W, b = trained.collapse_affine(params)
    np.testing.assert_array_equal(W, [[3.0, 6.0]])
    np.testing.assert_array_equal(b, [2.0])


def test_linear_composition_is_round_off():
    comp = trained.linear_composition([1, 3], width=4, n_seeds=3, n_points=7)
    assert (comp["relative"] < 1e-13).all()


def test_neuron_runs_and_summary():
    runs = trained.neuron_runs(range(5), TINY["neuron"])
    assert len(runs) == 3 * 5 and runs["correct"].between(0, 4).all()
    summary = trained.neuron_summary(runs, exact.certificates_2()).set_index("function")
    assert summary.loc["AND", "all_4"] == 5 and summary.loc["OR", "all_4"] == 5
    assert summary.loc["XOR", "max_correct"] <= 3
    assert not summary.loc["XOR", "lp_separable"]


def test_xor_cell_width_one_never_succeeds_and_is_deterministic():
    a = trained.mlp_xor_cell("tanh", [1, 2], range(6), TRAIN)
    b = trained.mlp_xor_cell("tanh", [1, 2], range(6), TRAIN)
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 12 and not a.loc[a["width"] == 1, "success"].any()
    assert (a.loc[a["width"] == 1, "correct"] <= 3).all()


def _rates(successes):
    """A success table with widths 1, 2, 8 and 100 seeds, for one activation."""
    runs = pd.concat(
        pd.DataFrame({"activation": "tanh", "width": w, "seed": range(100), "correct": 4 * (np.arange(100) < k),
                      "correct_half": 0, "success": np.arange(100) < k, "diverged": False})
        for w, k in zip([1, 2, 8], successes)
    )  # fmt: skip
    return trained.success_rates(runs)


def test_success_rates_and_c03_verdict():
    rates = _rates([0, 60, 99])
    assert rates["rate"].tolist() == [0.0, 0.6, 0.99]
    assert (rates["ci_low"] <= rates["rate"]).all() and (rates["rate"] <= rates["ci_high"]).all()
    assert verdicts.claims_xor(rates)["verdict"].item() == "reproduced"
    assert verdicts.claims_xor(_rates([3, 60, 99]))["verdict"].item() == "partly"  # width 1 solved XOR
    assert verdicts.claims_xor(_rates([0, 90, 40]))["verdict"].item() == "partly"  # widest below 90%, falls
    assert verdicts.claims_xor(_rates([0, 0, 0]))["verdict"].item() == "not reproduced"


def test_c05_verdict_fails_when_a_linear_net_solves_xor():
    comp = trained.linear_composition([1], width=2, n_seeds=1, n_points=3)
    lin = pd.DataFrame([{"hidden_layers": 2, "seeds": 10, "max_correct": 4, "diverged": 0}])
    assert verdicts.claims_linear(comp, lin)["verdict"].item() == "partly"


def run_step(name, block, results, figures):
    """A step of the family on every cell of `block`, as the CLI runs it without --cfg."""
    step = steps.STEPS[name]
    for cfg in step.cells(block).values():
        step.run(cfg, results, figures)


def test_steps_smoke(tmp_path):
    results, figures = tmp_path / "results", tmp_path / "figures"
    for name in steps.STEPS:  # in dependency order
        run_step(name, TINY, results, figures)
    table = pd.read_csv(results / "claims.csv", keep_default_na=False)
    assert sorted(set(table["claim"])) == ["C02", "C03", "C04", "C05"]
    assert table.set_index("claim").loc["C04", "verdict"] == "reproduced"
    for name in ("certificates_2", "decision_boundaries", "neuron_accuracy", "xor_success"):
        assert (figures / f"{name}.png").stat().st_size > 10_000
    rates = pd.read_csv(results / "xor_success.csv")
    assert rates["activation"].tolist() == ["tanh", "tanh", "relu", "relu"]  # config order
    # same parameters, same tables
    before = (results / "xor_mlp_tanh.csv").read_bytes()
    run_step("xor_cell", TINY, results, figures)
    assert (results / "xor_mlp_tanh.csv").read_bytes() == before
