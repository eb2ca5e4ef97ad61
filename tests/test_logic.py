"""Logic family (claims C02-C05): exact tables, trained-net summaries, the verdict rows and their
sabotage tests (each row's computation at a small size with a named defect must lose its
verdict, and the undamaged computation at the same size must keep it), the plan, and a smoke
run of every step."""

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from defects import gradient_ascent

from experiments.io import TableError
from experiments.logic import __main__ as steps
from experiments.logic import exact, locality, plan, trained, verdicts
from mlp.activations import ACTIVATIONS
from mlp.boolean import NAMED_2, function_outputs, truth_table_inputs
from mlp.threshold import monomial_features, separate

pytestmark = pytest.mark.filterwarnings("error")

TOL = 1e-3  # stationary_change
TINY = {
    "count_n": [1, 2],
    "enumerate_max_n": 2,
    "parity_n": [2, 3],
    "parity_tree_n": [3, 4],
    "stationary_change": TOL,
    "neuron": {"seeds": 4, "lr": 0.5, "epochs": 30, "batch_size": 1, "init": "glorot"},
    "xor_mlp": {"activations": ["tanh", "relu"], "widths": [1, 2, 3], "seeds": 4, "lr": 1.0, "epochs": 60,
                "batch_size": 4, "init": "glorot"},
    "boundary": {"activation": "tanh", "width": 3},
    "linear": {"depths": [1, 3], "width": 3, "check_nets": 2, "check_points": 5, "train_depths": [2], "seeds": 4,
               "lr": 0.2, "epochs": 30, "batch_size": 4, "init": "glorot"},
}  # fmt: skip
# small sizes at which the undamaged rows reproduce (the sabotage tests' controls)
NEURON = {"seeds": 8, "lr": 0.5, "epochs": 40, "batch_size": 1, "init": "glorot"}
XOR = {"seeds": 40, "lr": 1.0, "epochs": 300, "batch_size": 4, "init": "glorot"}  # 40/40: lower bound 0.91
LINEAR = {"seeds": 10, "lr": 0.2, "epochs": 200, "batch_size": 4, "init": "glorot"}

# The 16 functions written as Boolean formulas, independently of the bit-index convention.
FORMULAS = {
    "FALSE": lambda a, b: False, "NOR": lambda a, b: not (a or b), "NOT x1 AND x2": lambda a, b: not a and b,
    "NOT x1": lambda a, b: not a, "x1 AND NOT x2": lambda a, b: a and not b, "NOT x2": lambda a, b: not b,
    "XOR": lambda a, b: a != b, "NAND": lambda a, b: not (a and b), "AND": lambda a, b: a and b,
    "XNOR": lambda a, b: a == b, "x2": lambda a, b: b, "NOT x1 OR x2": lambda a, b: (not a) or b,
    "x1": lambda a, b: a, "x1 OR NOT x2": lambda a, b: a or not b, "OR": lambda a, b: a or b,
    "TRUE": lambda a, b: True,
}  # fmt: skip


def verdict_of(rows: pd.DataFrame, claim: str, kind: str) -> str:
    (v,) = rows.loc[(rows["claim"] == claim) & (rows["kind"] == kind), "verdict"]
    return v


def lost(verdict: str) -> bool:
    return verdict in ("partly", "not reproduced")


# --- exact: C02 ----------------------------------------------------------------------------


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


def exact_rows(count_n=(1, 2), parity_n=(2, 3), tree_n=(3, 4)) -> pd.DataFrame:
    """The exact step's claim rows (C02 certificates and counts, C04 both sides) at a small size."""
    certs, best = exact.certificates_2(), exact.best_linear()
    counts = exact.threshold_counts(list(count_n), enumerate_max_n=max(count_n))
    parity, tree = locality.parity_order(list(parity_n)), locality.parity_tree_check(list(tree_n))
    return verdicts.claims_exact(certs, counts, best, parity, tree)


def test_exact_rows_reproduce_with_their_kinds():
    rows = exact_rows()
    assert rows[["claim", "kind"]].values.tolist() == [
        ["C02", "evidence"],
        ["C02", "evidence"],
        ["C04", "evidence"],
        ["C04", "finding"],
    ]
    assert (rows["verdict"] == "reproduced").all(), rows[["claim", "measured", "verdict"]]


def dropping_last_constraint(X, y):
    """A defective LP: the last point's constraint y_N (w.x_N + b) >= 1 is left out."""
    X, y = np.asarray(X, float), np.asarray(y, float)
    cert = separate(X[:-1], y[:-1])
    return cert._replace(witness=None if cert.witness is None else np.r_[cert.witness, 0.0])


def test_sabotage_lp_drops_a_constraint_flips_the_certificates(monkeypatch):
    assert exact_rows()["verdict"].iloc[0] == "reproduced"
    monkeypatch.setattr(exact, "separate", dropping_last_constraint)
    assert exact_rows()["verdict"].iloc[0] == "not reproduced"


def test_sabotage_xor_labels_swapped_to_and_flips_the_certificates(monkeypatch):
    def outputs(index, n, encoding="pm1"):
        return function_outputs(NAMED_2["AND"] if (index, n) == (NAMED_2["XOR"], 2) else index, n, encoding)

    monkeypatch.setattr(exact, "function_outputs", outputs)
    rows = exact_rows()
    assert rows["verdict"].iloc[0] == "not reproduced"
    assert "XOR 4/4" in rows["measured"].iloc[0]  # the MILP finds the swapped labels separable


def test_sabotage_counter_drops_a_constraint_flips_the_counts(monkeypatch):
    import mlp.threshold

    assert exact_rows(count_n=(1, 2, 3))["verdict"].iloc[1] == "reproduced"
    monkeypatch.setattr(mlp.threshold, "separate", dropping_last_constraint)  # the NPN-class count's LP
    assert lost(exact_rows(count_n=(1, 2, 3))["verdict"].iloc[1])


# --- exact: C04 ----------------------------------------------------------------------------


def test_parity_needs_order_n():
    par = locality.parity_order([2, 3])
    assert len(par) == 2 + 3
    assert (par["separable"] == (par["k"] == par["n"])).all()
    # every product of fewer than n inputs sums to 0 against parity over the cube
    assert (par.loc[par["k"] < par["n"], "uniform_residual"] == 0).all()


@pytest.mark.parametrize("n", range(2, 11))
def test_parity_tree_computes_parity_with_two_input_units(n):
    layers = locality.parity_tree(n)
    # depth: one XOR level (2 layers) per halving, ceil(log2 n) levels
    assert len(layers) == 2 * int(np.ceil(np.log2(n)))
    assert all(np.count_nonzero(W, axis=1).max() <= 2 for W, _ in layers)
    row = locality.parity_tree_check([n]).iloc[0]
    assert row["correct"] == row["inputs"] == 2**n
    assert row["min_abs_z"] == 1  # pre-activations are odd integers: never near sgn's threshold


def test_sabotage_features_of_full_order_flip_parity_order(monkeypatch):
    """A defective feature map: every order k includes the product of all n inputs."""
    monkeypatch.setattr(locality, "monomial_features", lambda X, k: monomial_features(X, X.shape[1]))
    assert lost(exact_rows()["verdict"].iloc[2])


def test_sabotage_parity_lp_drops_a_constraint(monkeypatch):
    monkeypatch.setattr(locality, "separate", dropping_last_constraint)
    assert lost(exact_rows()["verdict"].iloc[2])


def test_sabotage_tree_with_a_unit_missing(monkeypatch):
    original = locality.parity_tree

    def broken(n):
        (W, b), *rest = original(n)
        W, b = W.copy(), b.copy()
        W[0], b[0] = 0.0, 0.0  # the first unit reads nothing: sgn(0) = +1 on every input
        return [(W, b), *rest]

    monkeypatch.setattr(locality, "parity_tree", broken)
    assert lost(exact_rows()["verdict"].iloc[3])


# --- trained: C02 logistic regression -------------------------------------------------------


def neuron_verdict(cfg=NEURON) -> str:
    summary = trained.neuron_summary(trained.neuron_runs(range(cfg["seeds"]), cfg), exact.certificates_2(), TOL)
    return verdicts.claims_neuron(summary)["verdict"].item()


def test_neuron_runs_and_summary():
    runs = trained.neuron_runs(range(5), TINY["neuron"])
    assert len(runs) == 3 * 5 and runs["correct"].between(0, 4).all()
    summary = trained.neuron_summary(runs, exact.certificates_2(), TOL).set_index("function")
    assert summary.loc["AND", "all_4"] == 5 and summary.loc["OR", "all_4"] == 5
    assert summary.loc["XOR", "max_correct"] <= 3
    assert not summary.loc["XOR", "lp_separable"]


def test_sabotage_gradient_sign_flipped_flips_logistic_regression(monkeypatch):
    assert neuron_verdict() == "reproduced"
    gradient_ascent(monkeypatch, "binary_cross_entropy")
    assert lost(neuron_verdict())


# --- trained: C03 MLPs on XOR -------------------------------------------------------------


def xor_rows(widths=(1, 8), activations=("tanh",), cfg=XOR) -> pd.DataFrame:
    runs = pd.concat(
        [trained.xor_cell_runs(a, K, range(cfg["seeds"]), cfg) for a in activations for K in widths],
        ignore_index=True,
    )
    return verdicts.claims_xor(trained.success_rates(runs, TOL))


def test_xor_cell_width_one_never_succeeds_and_is_deterministic():
    cfg = TINY["xor_mlp"]
    a, b = (trained.xor_cell_runs("tanh", 1, range(6), cfg) for _ in range(2))
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 6 and not a["success"].any() and (a["correct"] <= 3).all()


def test_xor_rows_reproduce_with_their_kinds():
    rows = xor_rows(widths=(1, 2, 8), activations=("relu",))  # relu: K = 2 solves XOR in ~1/4 of seeds
    assert dict(zip(rows["kind"], rows["verdict"])) == {
        "evidence": "reproduced",
        "finding": "reproduced",
        "sanity check": "reproduced",
    }


def test_sabotage_gradient_sign_flipped_flips_the_xor_success(monkeypatch):
    assert verdict_of(xor_rows(), "C03", "evidence") == "reproduced"
    gradient_ascent(monkeypatch, "binary_cross_entropy")
    assert verdict_of(xor_rows(), "C03", "evidence") == "not reproduced"


def test_sabotage_success_criterion_off_by_one_flips_the_single_unit_check(monkeypatch):
    assert verdict_of(xor_rows(), "C03", "sanity check") == "reproduced"
    monkeypatch.setattr(trained, "SUCCESS_POINTS", 3)  # 3 of 4 points counted as solving XOR
    assert verdict_of(xor_rows(), "C03", "sanity check") == "not reproduced"


def member(**kw) -> dict:
    base = {"correct": 4, "loss": 0.01, "loss_90": 0.011, "last_change": 0.1, "diverged": False}
    return base | kw


def test_member_status_by_hand():
    runs = pd.DataFrame(
        [
            member(),  # every point right, certified at 90% (loss < ln(2)/4 = 0.173), loss falling: settled
            member(loss=0.012),  # the loss rose over the last 10%: moving
            member(correct=3, loss=0.35, loss_90=0.35, last_change=5e-4),  # stuck below 4/4: stationary
            member(loss_90=0.2, loss=0.1),  # not certified right at 90% of the budget: moving
            member(last_change=np.nan, diverged=True),
        ]
    )
    assert trained.member_status(runs, TOL).tolist() == ["settled", "moving", "stationary", "moving", "diverged"]


def synthetic_runs(successes: dict, seeds: int = 100) -> pd.DataFrame:
    """A per-member XOR table, width -> successes; the successes settled, the others stationary."""
    frames = []
    for K, k in successes.items():
        ok = np.arange(seeds) < k
        frames.append(
            pd.DataFrame(
                {"activation": "tanh", "width": K, "seed": range(seeds), "correct": np.where(ok, 4, 3),
                 "undecided": 0, "loss_half": np.where(ok, 0.02, 0.35), "loss_90": np.where(ok, 0.011, 0.35),
                 "loss": np.where(ok, 0.01, 0.35), "last_change": np.where(ok, 0.1, 0.0), "margin": 0.5,
                 "min_abs_z": 0.5, "max_abs_z": 3.0, "success": ok, "diverged": False}
            )
        )  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def test_success_rates_and_c03_verdicts():
    rates = trained.success_rates(synthetic_runs({1: 0, 2: 60, 8: 99}), TOL)
    assert rates["rate"].tolist() == [0.0, 0.6, 0.99] and rates["converged"].tolist() == [100] * 3
    assert (rates["ci_low"] <= rates["rate"]).all() and (rates["rate"] <= rates["ci_high"]).all()
    rows = verdicts.claims_xor(rates)
    assert (rows["verdict"] == "reproduced").all()
    rows = verdicts.claims_xor(trained.success_rates(synthetic_runs({1: 3, 2: 60, 8: 99}), TOL))
    assert verdict_of(rows, "C03", "sanity check") == "not reproduced"  # width 1 solved XOR
    rows = verdicts.claims_xor(trained.success_rates(synthetic_runs({1: 0, 2: 90, 8: 88}), TOL))
    assert verdict_of(rows, "C03", "evidence") == "partly"  # widest below 90%
    assert verdict_of(rows, "C03", "finding") == "not reproduced"  # K = 2 not below the widest
    rows = verdicts.claims_xor(trained.success_rates(synthetic_runs({1: 0, 2: 0, 8: 0}), TOL))
    assert verdict_of(rows, "C03", "evidence") == "not reproduced"


def test_unconverged_members_do_not_count():
    runs = synthetic_runs({1: 0, 8: 100})
    runs.loc[runs["width"] == 8, "loss"] = 0.02  # the loss rose over the last 10%: every member moving
    rates = trained.success_rates(runs, TOL)
    assert rates["converged"].tolist() == [100, 0]
    assert (
        verdict_of(verdicts.claims_xor(rates), "C03", "evidence") == "not reproduced"
    )  # 100 successes, none converged


# --- trained: C05 deep linear nets ---------------------------------------------------------


def test_collapse_affine_by_hand():
    # h = [1, 2] x + 1, f = 3 h - 1 = [3, 6] x + 2
    params = [(np.array([[1.0, 2.0]]), np.array([1.0])), (np.array([[3.0]]), np.array([-1.0]))]
    W, b = trained.collapse_affine(params)
    np.testing.assert_array_equal(W, [[3.0, 6.0]])
    np.testing.assert_array_equal(b, [2.0])


def test_linear_composition_is_round_off():
    comp = trained.linear_composition([1, 3], width=4, n_seeds=3, n_points=7)
    assert (comp["relative"] < 1e-13).all()


def linear_rows() -> pd.DataFrame:
    lin = trained.linear_xor(trained.linear_xor_runs([1, 2], 8, range(LINEAR["seeds"]), LINEAR), 8, TOL)
    return verdicts.claims_linear(trained.linear_composition([1, 2], 4, 2, 5), lin)


def test_linear_nets_end_at_f_one_half():
    lin = trained.linear_xor(trained.linear_xor_runs([1, 2], 8, range(LINEAR["seeds"]), LINEAR), 8, TOL)
    assert (lin["min_loss_converged"] >= np.log(2) * (1 - 1e-9)).all()  # ln 2: z = 0 on every point
    assert (lin["max_correct"] == 0).all() and (lin["undecided"] == lin["seeds"]).all()


def test_sabotage_relu_slipped_into_the_linear_layers(monkeypatch):
    assert verdict_of(linear_rows(), "C05", "evidence") == "reproduced"
    monkeypatch.setitem(ACTIVATIONS, "linear", ACTIVATIONS["relu"])
    assert verdict_of(linear_rows(), "C05", "evidence") == "not reproduced"


# --- cross-CPU: integer results under ulp perturbations --------------------------------------


@pytest.mark.parametrize("k", [1, -2, 3])
def test_xor_outcomes_stable_under_ulp_perturbation_of_the_inputs(monkeypatch, k):
    """Inputs moved by a few ulps: the same points right, successes and statuses."""
    cfg = TINY["xor_mlp"]
    before = [trained.xor_cell_runs("tanh", K, range(20), cfg) for K in (1, 2)]
    monkeypatch.setattr(trained, "truth_table_inputs", lambda n: truth_table_inputs(n) * (1 + k * 2.0**-52))
    after = [trained.xor_cell_runs("tanh", K, range(20), cfg) for K in (1, 2)]
    for a, b in zip(before, after):
        for col in ("correct", "undecided", "success"):
            pd.testing.assert_series_equal(a[col], b[col])
        pd.testing.assert_series_equal(trained.member_status(a, TOL), trained.member_status(b, TOL))


# --- the plan ------------------------------------------------------------------------------


def test_cells_hold_only_their_own_values():
    cells = plan.xor_cells(TINY)
    assert list(cells) == ["tanh_1", "tanh_2", "tanh_3", "relu_1", "relu_2", "relu_3"]
    assert cells["tanh_2"] == {"activation": "tanh", "width": 2, **{k: TINY["xor_mlp"][k] for k in XOR}}
    # appending a width or an activation leaves every existing cell's parameters unchanged
    grown = {
        **TINY,
        "xor_mlp": {**TINY["xor_mlp"], "widths": [1, 2, 3, 16], "activations": ["tanh", "relu", "sigmoid"]},
    }
    assert all(plan.xor_cells(grown)[name] == cfg for name, cfg in cells.items())


def test_steps_read_what_the_plan_gives():
    for name, step in steps.STEPS.items():
        assert step.cells is not None, name
    assert steps.STEPS["xor_cell"].cells is plan.xor_cells


@pytest.mark.parametrize(
    ("path", "value", "needle"),
    [
        (("neuron", "batch_size"), 5, "'logic.neuron.batch_size': value 5 is not allowed: must be <= 4"),
        (("xor_mlp", "batch_size"), 8, "'logic.xor_mlp.batch_size': value 8"),
        (("boundary", "activation"), "sigmoid", "must be one of xor_mlp.activations"),
        (("boundary", "width"), 5, "'logic.boundary.width': value 5 is not allowed: must be one of xor_mlp.widths"),
        (("xor_mlp", "widths"), [2, 3], "must include 1"),
        (("enumerate_max_n",), 3, "must be <= max(count_n) = 2"),
    ],
)
def test_plan_check_names_the_key(path, value, needle):
    bad = json.loads(json.dumps(TINY))
    target = bad
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    problems = plan.check(bad)
    assert len(problems) == 1 and needle in problems[0], problems
    assert plan.check(TINY) == []


def test_plan_cost():
    costs = {c.job: c for c in plan.cost(TINY)}
    assert costs["logic_xor_cell[relu_3]"].model_steps == 4 * 60  # 4 seeds x 60 full-batch steps
    assert costs["logic_neuron"].model_steps == 3 * 4 * 30 * 4 + 3 * (30 * 4 + 60)  # + the boundary figure
    assert costs["logic_linear"].model_steps == 1 * 4 * 30
    assert costs["logic_exact"].model_steps == 4 + 16 + 2 * (2 + 4) + 2 + 3  # enumeration, NPN classes, parity


# --- steps -----------------------------------------------------------------------------------


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
    assert table.loc[table["claim"] == "C04", "verdict"].tolist() == ["reproduced", "reproduced"]
    for name in ("certificates_2", "decision_boundaries", "neuron_accuracy", "xor_success"):
        assert (figures / f"{name}.png").stat().st_size > 10_000
    rates = pd.read_csv(results / "xor_success.csv")
    assert rates["activation"].tolist() == ["tanh"] * 3 + ["relu"] * 3  # config order
    assert {"width", "activation", "successes", "seeds", "rate"} <= set(rates.columns)  # read by the conclusion
    # same parameters, same tables
    before = (results / "xor_mlp_tanh_2.csv").read_bytes()
    run_step("xor_cell", TINY, results, figures)
    assert (results / "xor_mlp_tanh_2.csv").read_bytes() == before
    # a truncated cell table stops the summary with its name
    cell = results / "xor_mlp_relu_3.csv"
    cell.write_text("".join(cell.read_text().splitlines(keepends=True)[:3]))
    with pytest.raises(TableError, match="xor_mlp_relu_3.csv: 2 rows, the configuration implies 4"):
        run_step("xor_summary", TINY, results, figures)


def test_cli_runs_on_config_defaults_from_any_directory(tmp_path):
    """`python -m experiments.logic exact` with no other argument, outside the checkout."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    r = subprocess.run(
        [sys.executable, "-m", "experiments.logic", "exact"], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert r.returncode == 0, r.stderr[-2000:]
    assert "logic exact: done" in r.stderr
    rows = pd.read_csv(tmp_path / "results/logic/claims_exact.csv", keep_default_na=False)
    assert (rows["verdict"] == "reproduced").all()


# --- cross-CPU: the family's tables with numpy's AVX-512 kernels disabled ---------------------

AVX512 = "AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX512_SPR X86_V4"
RUN_ALL = """
import json, sys
from pathlib import Path
from experiments.logic.__main__ import STEPS
block, out = json.loads(sys.argv[1]), Path(sys.argv[2])
for step in STEPS.values():
    for cfg in step.cells(block).values():
        step.run(cfg, out / "results", out / "figures")
"""


def has_avx512() -> bool:
    try:
        with open("/proc/cpuinfo") as f:
            return " avx512f" in f.read()
    except OSError:
        return False


def run_family(out, extra_env: dict) -> dict[str, pd.DataFrame]:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", **extra_env}
    r = subprocess.run(
        [sys.executable, "-c", RUN_ALL, json.dumps(TINY), str(out)], capture_output=True, text=True, env=env
    )
    assert r.returncode == 0, r.stderr[-3000:]
    return {p.name: pd.read_csv(p, keep_default_na=False) for p in sorted((out / "results").glob("*.csv"))}


@pytest.mark.skipif(not has_avx512(), reason="compares numpy's AVX-512 kernels with its AVX2 ones")
def test_tables_equal_without_avx512_kernels(tmp_path):
    """Same tables with NPY_DISABLE_CPU_FEATURES set (the code paths of an AVX2 machine): verdicts,
    integer and text columns identical; real columns within 1e-9 relative."""
    normal = run_family(tmp_path / "normal", {})
    avx2 = run_family(tmp_path / "avx2", {"NPY_DISABLE_CPU_FEATURES": AVX512})
    assert normal.keys() == avx2.keys() and "claims.csv" in normal
    for name, a in normal.items():
        b = avx2[name]
        assert list(a.columns) == list(b.columns), name
        for col in a.columns:
            if pd.api.types.is_float_dtype(a[col]):
                np.testing.assert_allclose(a[col], b[col], rtol=1e-9, atol=0, err_msg=f"{name}: {col}")
            else:
                pd.testing.assert_series_equal(a[col], b[col], obj=f"{name}: {col}")
