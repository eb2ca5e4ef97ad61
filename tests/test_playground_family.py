"""The Playground family (C13): plan checks and costs, the port's seed bookkeeping, the tables,
statistics by hand, verdicts from synthetic numbers, and a smoke run of every step."""

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.config import load_config
from experiments.io import TableError
from experiments.playground import __main__ as steps
from experiments.playground import budgets, plan, port, runs, verdicts
from experiments.playground import summary as pgs
from experiments.playground.reference import LECTURE
from mlp.network import init
from mlp.seeding import rngs

ROOT = Path(__file__).resolve().parents[1]
TINY = {
    "lr": 0.03,
    "batch_size": 10,
    "train_pct": 50,
    "noise": 0.0,
    "features": ["x1", "x2"],
    "epochs": 10,
    "eval_every": 2,
    "slide_epochs": {"tanh": 10, "relu": 6},
    "seed_epochs": [0, 4],
    "seed0": 0,
    "stationary_tol": 1.0,
    "fitted_loss": 0.01,
}
SPIRAL = {"dataset": "spiral", "hidden": [4, 2], "activation": "tanh", "seeds": 3}


# ---------------------------------------------------------------- plan


def test_parameter_counts_by_hand():
    # [2 -> 4 -> 2 -> 1]: (2 + 1) 4 + (4 + 1) 2 + (2 + 1) 1 = 12 + 10 + 3 = 25
    assert plan.n_params([4, 2]) == 25
    assert plan.n_params([6]) == 3 * 6 + 7 == 25  # one layer of K: 4K + 1
    assert plan.n_params([8, 8, 8, 8]) == 24 + 3 * 72 + 9 == 249


def test_runs_join_configs_and_budget_candidates_once():
    block = {
        **TINY,
        "configs": [SPIRAL],
        "budget_seeds": 5,
        "budgets": [{"activation": "tanh", "candidates": [[6], [4, 2]]}],
    }
    r = plan.runs(block)
    assert list(r) == ["spiral-4-2-tanh", "spiral-6-tanh"]
    assert r["spiral-4-2-tanh"]["seeds"] == 3  # the configuration's own seeds win
    assert r["spiral-6-tanh"] == {"dataset": "spiral", "hidden": [6], "activation": "tanh", "seeds": 5}
    cells = plan.train_cells(block)
    assert set(cells["spiral-6-tanh"]) == {*plan.TRAIN_KEYS, "run", "config"}  # no budget or verdict knobs


def test_recorded_epochs_include_the_stationarity_window():
    cfg = {
        **TINY,
        "epochs": 2536,
        "eval_every": 8,
        "slide_epochs": {"tanh": 2536, "relu": 1968},
        "seed_epochs": [0, 100],
    }
    assert plan.stationary_from(cfg) == 2282  # the last 10% of 2,536 epochs: 2,282 .. 2,536
    assert plan.seed_epochs(cfg) == [0, 100, 1968, 2282, 2536]
    assert set(plan.seed_epochs(cfg)) <= set(plan.curve_epochs(cfg))


def default_block() -> dict:
    return load_config(ROOT / "config.yaml")["playground"]


def test_default_config_is_clean_and_pins_the_slides():
    block = default_block()
    assert plan.check(block) == []
    assert (block["lr"], block["batch_size"], block["train_pct"], block["noise"]) == (0.03, 10, 50, 0.0)
    assert block["slide_epochs"] == {"tanh": 2536, "relu": 1968} and block["epochs"] >= 2536
    seeds = {plan.config_name(c): c["seeds"] for c in block["configs"]}
    # +-3 percentile points at 95%: 1.96 sqrt(p (1 - p) / n) <= 0.03 for p near 1/2 needs n ~ 1,000
    assert seeds["spiral-4-2-tanh"] >= 1000 and seeds["spiral-4-2-relu"] >= 1000
    widths = {max(h) for b in block["budgets"] for h in b["candidates"] if len(h) == 1}
    assert max(widths) >= 16  # one hidden layer beyond Playground's 8 units


@pytest.mark.parametrize(
    "path,value,message",
    [
        (
            ("slide_epochs", "relu"),
            3000,
            "'playground.slide_epochs.relu': value 3000 is not allowed: must be <= epochs",
        ),
        (("seed_epochs",), [0, 9999], "'playground.seed_epochs[1]': value 9999 is not allowed"),
        (("eval_every",), 5000, "'playground.eval_every': value 5000 is not allowed"),
        (("batch_size",), 30, "'playground.batch_size': value 30 is not allowed: must divide the 250 training points"),
        (("train_pct",), 10, None),  # 50 training points still hold a batch of 10
        (("budgets", 0, "candidates"), [[6], [40]], "parameter counts [25, 161] differ"),
        (("budgets", 0, "candidates"), [[6], [7]], "needs at least two depths"),
        (("configs",), "twice", "'playground.configs[1]': value spiral-4-2-tanh is not allowed: appears twice"),
    ],
)
def test_check_names_the_key_and_what_is_allowed(path, value, message):
    block = default_block()
    if value == "twice":
        block["configs"] = [block["configs"][0], dict(block["configs"][0])]
    else:
        target = block
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    found = plan.check(block)
    assert (found == []) if message is None else any(message in m for m in found), found


def test_check_allows_a_leftover_batch_when_nothing_pauses():
    block = {**default_block(), "batch_size": 30, "slide_epochs": {"tanh": 2536, "relu": 2536}}
    assert plan.check(block) == []  # 250 % 30 = 10 leftover points carry over; no pause needed


def test_cost_counts_seeds_epochs_and_batches():
    cost = {c.job: c for c in plan.cost(default_block())}
    c = cost["playground_train spiral-4-2-tanh"]
    assert c.model_steps == 1000 * 2536 * 25 and c.key == "configs[0].seeds"  # 250 points / batch 10 = 25 steps
    assert cost["playground_train spiral-62-relu"].key == "budget_seeds"
    assert all(0 < x.memory_gb < 1 for x in cost.values())


# ---------------------------------------------------------------- the port


def test_init_is_shared_across_activations_and_data_across_architectures():
    relu = {**SPIRAL, "activation": "relu"}
    assert port.net_key(SPIRAL) == port.net_key(relu) == "spiral-4-2"
    for (Wa, ba), (Wb, bb) in zip(port.init_params(SPIRAL, [0, 1]), port.init_params(relu, [0, 1])):
        np.testing.assert_array_equal(Wa, Wb)
        np.testing.assert_array_equal(ba, bb)
    s0, s1 = port.split_of(TINY, "spiral", 0), port.split_of(TINY, "spiral", 1)
    assert s0.X_train.shape == (250, 2) and s0.X_test.shape == (250, 2)  # 500 points, 50 %
    assert not np.array_equal(s0.X_train, s1.X_train)  # each seed its own shuffle
    p0 = np.sort(np.concatenate([s0.X_train, s0.X_test]), axis=0)  # noise 0: the same 500 points
    np.testing.assert_array_equal(p0, np.sort(np.concatenate([s1.X_train, s1.X_test]), axis=0))


def test_chunked_ensemble_equals_seeds_trained_alone(monkeypatch):
    whole = port.train_config(TINY, SPIRAL)
    monkeypatch.setattr(port, "CHUNK", 2)  # 3 seeds in chunks of 2 and 1
    chunked = port.train_config(TINY, SPIRAL)
    pd.testing.assert_frame_equal(whole.history, chunked.history)
    for s in range(3):
        alone = port.train_config({**TINY, "seed0": s}, {**SPIRAL, "seeds": 1})
        mine = whole.history[whole.history["seed"] == s].reset_index(drop=True)
        np.testing.assert_allclose(mine[port.METRICS], alone.history[port.METRICS], rtol=0, atol=1e-12)
        np.testing.assert_allclose(whole.params[0][0][s], alone.params[0][0][0], rtol=0, atol=1e-12)


def test_pausing_at_the_slide_epoch_is_exact():
    relu = {**SPIRAL, "activation": "relu"}
    paused = port.train_config(TINY, relu)  # pauses at 6, resumes to 10
    straight = port.train_config({**TINY, "slide_epochs": {"tanh": 10, "relu": 10}}, relu)
    pd.testing.assert_frame_equal(paused.history, straight.history)
    again = port.train_seeds({**TINY, "epochs": 6}, relu, range(3), [6])
    np.testing.assert_array_equal(paused.paused[0][0], again.params[0][0])
    with pytest.raises(ValueError, match="leftover points of 250"):  # 250 % 30 = 10 points carry over
        port.train_seeds({**TINY, "batch_size": 30}, relu, range(3), [10], pause=6)


# ---------------------------------------------------------------- run tables


def test_curve_percentiles_by_hand():
    # 11 seeds with test loss 1.0, 0.9, ..., 0: linear-interpolated p10 = 0.1, median 0.5, p90 0.9
    v = np.arange(11) / 10
    hist = pd.DataFrame(
        {
            "seed": np.arange(11),
            "epoch": 5,
            "train_loss": v,
            "test_loss": v[::-1],
            "train_acc": 1 - v,
            "test_acc": 1 - v,
        }
    )
    c = runs.curve_table(hist).iloc[0]
    assert (c["test_loss_p10"], c["test_loss_median"], c["test_loss_p90"]) == pytest.approx((0.1, 0.5, 0.9))
    assert c["n_finite"] == 11


def test_pick_seeds_typical_and_best():
    df = pd.DataFrame({"seed": range(5), "epoch": 7, "test_loss": [0.3, 0.1, 0.5, 0.2, 0.4]})
    # sorted: seed 1 (0.1), 3 (0.2), 0 (0.3), 4, 2 -> median is seed 0, best seed 1
    assert runs.pick_seeds(df, 7) == {"typical": 0, "best": 1}


def test_nets_table_roundtrip():
    theta = init(port.make_net({**SPIRAL, "hidden": [3, 2]}), "playground", rngs([5, 6, 7], "t"))
    table = runs.nets_table(theta, [5, 6, 7], {"typical": 6, "best": 7}, 9)
    for role, m in (("typical", 1), ("best", 2)):
        for (W, b), (W1, b1) in zip(theta, runs.params_from_table(table, role)):
            np.testing.assert_array_equal(W[m], W1[0])
            np.testing.assert_array_equal(b[m], b1[0])


def test_end_table_splits_the_test_points_in_halves():
    run = port.train_config(TINY, SPIRAL)
    end = runs.end_table(run, SPIRAL, [0, 1, 2], 10)
    full = run.history[run.history["epoch"] == 10]["test_loss"].to_numpy()
    # Playground's test loss is the mean over 250 points; the halves hold 125 each
    np.testing.assert_allclose((end["val_loss"] + end["heldout_loss"]) / 2, full, rtol=1e-12)


# ---------------------------------------------------------------- statistics


def seeds_df(values, epoch=10, column="test_loss") -> pd.DataFrame:
    v = np.asarray(values, dtype=float)
    return pd.DataFrame(
        {"seed": np.arange(len(v)), "epoch": epoch, "train_loss": v, "test_loss": v, "train_acc": 0.5, "test_acc": 0.5}
    ).assign(**{column: v})


def test_stationarity_by_hand():
    cfg = {"epochs": 10, "stationary_tol": 0.02, "fitted_loss": 0.01}  # last 10%: epochs 9 .. 10
    start, end = seeds_df([0.50, 0.40, 0.005, np.nan], epoch=9), seeds_df([0.495, 0.30, 0.004, np.nan], epoch=10)
    st = pgs.stationarity(pd.concat([start, end]), cfg)
    # |0.495 - 0.5| / 0.495 = 1.0% (converged); |0.3 - 0.4| / 0.3 = 33% (not); 0.004 < 0.01 (fitted); NaN: diverged
    np.testing.assert_allclose(st["last_change"][:3], [0.005 / 0.495, 0.1 / 0.3, 0.001 / 0.004])
    assert list(st["converged"]) == [True, False, True, False]


def test_rank_p_by_hand():
    sample = np.arange(1, 100)  # 99 values: 1 .. 99
    assert pgs.rank_p(50.5, sample) == pytest.approx(1.0)  # 50 below, 49 above: 2 * 50 / 100 = 1
    assert pgs.rank_p(0.5, sample) == pytest.approx(2 / 100)  # below all: the most extreme of 100
    assert pgs.rank_p(99.5, sample) == pytest.approx(2 / 100)
    assert pgs.rank_p(10.5, sample) == pytest.approx(2 * 11 / 100)  # 10 below


def test_percentile_ranks_do_not_move_with_a_few_ulps():
    """A sample value that equals the reference counts as a tie on every CPU: moving it by a few
    ulps (what another CPU's exp/log or BLAS gives) changes neither the rank nor the p-value."""
    v = 0.416
    base = np.array([0.30, 0.35, v, 0.45, 0.50])
    refs = []
    for k in (-4, 0, 4):
        x = base.copy()
        x[2] = v * (1 + k * 2**-52)
        df = seeds_df(x, epoch=2536)
        specs = {"spiral-4-2-tanh": SPIRAL}
        cfg = {**TINY, "epochs": 2536, "slide_epochs": {"tanh": 2536}}
        r = pgs.reference_table({"spiral-4-2-tanh": df}, specs, cfg)
        refs.append(r[(r["source"] == "lecture") & (r["split"] == "test")][["percentile", "p_value"]].to_numpy())
    assert refs[0].tolist() == refs[1].tolist() == refs[2].tolist()
    assert refs[1][0, 0] == pytest.approx(100 * 2.5 / 5)  # two below, one tie (half)


def test_reference_table_places_the_lecture():
    specs = {"spiral-4-2-tanh": SPIRAL}
    cfg = {**TINY, "epochs": 2536, "slide_epochs": {"tanh": 2536}}
    v = np.linspace(0.30, 0.50, 21)  # 0.30, 0.31, ..., 0.50
    refs = pgs.reference_table({"spiral-4-2-tanh": seeds_df(v, epoch=2536)}, specs, cfg)
    lec = refs[(refs["source"] == "lecture") & (refs["split"] == "test")].iloc[0]
    assert lec["percentile"] == pytest.approx(100 * 12 / 21)  # 0.416 lies above 0.30 .. 0.41 (12 of 21)
    assert lec["p_value"] == pytest.approx(2 * (9 + 1) / 22)  # 9 values above: the nearer tail
    pg_rows = refs[refs["source"] == "playground seed 0.87646"]
    assert set(pg_rows["value"]) == {0.324336, 0.487160}  # reference section 6 at epoch 2536


def test_paired_relu_vs_tanh_by_hand():
    specs = {"spiral-4-2-tanh": SPIRAL, "spiral-4-2-relu": {**SPIRAL, "activation": "relu"}}
    cfg = {"slide_epochs": {"tanh": 10, "relu": 10}, "epochs": 10}
    tanh, relu = [0.40, 0.40, 0.40, 0.40], [0.30, 0.35, 0.45, 0.38]  # relu - tanh: -0.10, -0.05, +0.05, -0.02
    p = pgs.paired_table({"spiral-4-2-tanh": seeds_df(tanh), "spiral-4-2-relu": seeds_df(relu)}, specs, cfg)
    assert len(p) == 1 and p["relu_lower_test"].iloc[0] == 0.75  # relu lower on 3 of 4
    assert p["median_diff_test"].iloc[0] == pytest.approx((-0.05 - 0.02) / 2)  # median of the middle two
    assert p["p_value_test"].iloc[0] == pytest.approx(0.625)  # sign test: P(X <= 1 or X >= 3 | n = 4) = 10/16


def test_candidates_are_chosen_on_validation_points_not_held_out_ones():
    cfg = {"features": ["x1", "x2"], "budgets": [{"activation": "tanh", "candidates": [[6], [4, 2], [3, 3]]}]}
    seeds = np.arange(5)

    def end(val, held):
        return pd.DataFrame(
            {"seed": seeds, "epoch": 10, "val_loss": val, "val_acc": 0.6, "heldout_loss": held, "heldout_acc": 0.6}
        )

    conv = {
        n: pd.DataFrame({"seed": seeds, "converged": True})
        for n in ("spiral-6-tanh", "spiral-4-2-tanh", "spiral-3-3-tanh")
    }
    ends = {"spiral-6-tanh": end(0.30, 0.30), "spiral-4-2-tanh": end(0.40, 0.10), "spiral-3-3-tanh": end(0.35, 0.45)}
    c = budgets.candidates_table(ends, conv, cfg)
    # two-layer candidates: [3,3] validates better (0.35 < 0.40) although [4,2] holds out better
    assert set(c.loc[c["chosen"], "config"]) == {"spiral-6-tanh", "spiral-3-3-tanh"}
    d = budgets.depth_table(c, ends, conv)
    assert d["deep"].iloc[0] == "spiral-3-3-tanh" and d["deep_lower"].iloc[0] == 0.0  # 0.45 > 0.30 on every seed


def test_depth_comparison_counts_only_pairs_that_converged():
    seeds = np.arange(6)
    shallow = pd.DataFrame({"seed": seeds, "heldout_loss": 0.5, "heldout_acc": 0.6, "converged": True})
    deep = shallow.assign(heldout_loss=0.4, heldout_acc=0.7, converged=[True] * 4 + [False] * 2)
    r = budgets.compare(shallow, deep)
    assert r["n_pairs"] == 4 and r["deep_lower"] == 1.0 and r["acc_diff"] == pytest.approx(0.1)


# ---------------------------------------------------------------- verdicts from numbers


def ranks(source, act, values) -> pd.DataFrame:
    """Reference rows with percentile ranks (value, lo, hi) for train and test."""
    return pd.DataFrame(
        [
            {
                "source": source,
                "config": f"spiral-4-2-{act}",
                "activation": act,
                "epoch": 10,
                "reference_epoch": 10,
                "split": s,
                "value": 0.4,
                "percentile": v,
                "percentile_lo": lo,
                "percentile_hi": hi,
                "median": 0.4,
                "n_seeds": 1000,
                "p_value": 0.5,
            }
            for s, (v, lo, hi) in zip(("train", "test"), values)
        ]
    )


@pytest.mark.parametrize(
    "values,verdict,kind",
    [
        ([(47, 44, 50), (67, 64, 70)], "reproduced", "evidence"),  # both pinned inside [10, 90]
        ([(47, 44, 50), (5, 3.7, 6.6)], "partly", "finding"),  # a lucky seed: below 10, inside 2.5
        ([(47, 44, 50), (0.5, 0.1, 1.2)], "not reproduced", "finding"),  # beyond what our seeds give
        ([(50, 20, 80), (40, 0, 60)], "partly", "finding"),  # too few seeds to pin it
    ],
)
def test_screenshot_verdicts(values, verdict, kind):
    row = verdicts.screenshot_row(ranks("lecture", "tanh", values), 990)
    assert (row["verdict"], row["kind"]) == (verdict, kind)


def test_playground_seeds_verdict_is_a_bonferroni_rank_test():
    tested = pd.DataFrame(
        {
            "source": "playground seed 0.87646",
            "activation": "tanh",
            "epoch": [100, 2536],
            "value": 0.4,
            "percentile": 50.0,
            "percentile_lo": 45.0,
            "percentile_hi": 55.0,
            "p_value": [0.5, 0.03],
            "n_seeds": 1000,
        }
    )
    assert verdicts.playground_seeds_row(tested)["verdict"] == "reproduced"  # 0.03 >= 0.05 / 2
    tested["p_value"] = [0.5, 0.02]
    assert verdicts.playground_seeds_row(tested)["verdict"] == "partly"  # 0.02 < 0.025
    tested["p_value"] = [0.002, 0.01]
    assert verdicts.playground_seeds_row(tested)["verdict"] == "not reproduced"


def final_rows(accs) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "config": f"spiral-{w}-tanh",
                "dataset": "spiral",
                "hidden": str(w),
                "activation": "tanh",
                "depth": 1,
                "width": w,
                "params": 4 * w + 1,
                "epoch": 10,
                "n_all": 100,
                "n_seeds": 90,
                "test_acc_median": a,
                "test_acc_median_lo": lo,
                "test_acc_median_hi": hi,
            }
            for w, (a, lo, hi) in zip((4, 8, 16), accs)
        ]
    )


def test_not_learned_verdicts():
    row = verdicts.not_learned_row(final_rows([(0.65, 0.63, 0.67), (0.82, 0.80, 0.84)]), "x")
    assert row["verdict"] == "reproduced"
    row = verdicts.not_learned_row(final_rows([(0.65, 0.63, 0.67), (0.90, 0.88, 0.92)]), "x")
    assert row["verdict"] == "partly"  # an interval straddles the bar
    row = verdicts.not_learned_row(final_rows([(0.65, 0.63, 0.67), (0.93, 0.91, 0.94)]), "x", "finding")
    assert (row["verdict"], row["kind"]) == ("not reproduced", "finding")


def depth_rows(fractions) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "budget": i,
                "activation": "relu",
                "shallow": "a",
                "shallow_depth": 2,
                "shallow_params": 77,
                "deep": "b",
                "deep_depth": 4,
                "deep_params": 77,
                "shallow_acc_median": 0.7,
                "deep_acc_median": 0.8,
                "n_pairs": 100,
                "deep_lower": f,
                "deep_lower_lo": lo,
                "deep_lower_hi": hi,
                "acc_diff": 0.1,
                "acc_diff_lo": 0.05,
                "acc_diff_hi": 0.15,
            }
            for i, (f, lo, hi) in enumerate(fractions)
        ]
    )


def test_depth_verdicts_need_every_budget():
    assert verdicts.depth_row(depth_rows([(0.8, 0.7, 0.87)] * 2), 2, 4, "x")["verdict"] == "reproduced"
    assert verdicts.depth_row(depth_rows([(0.8, 0.7, 0.87), (0.5, 0.4, 0.6)]), 2, 4, "x")["verdict"] == "partly"
    assert verdicts.depth_row(depth_rows([(0.2, 0.13, 0.3)] * 2), 2, 4, "x")["verdict"] == "not reproduced"


def test_relu_tanh_verdict_follows_the_interval():
    row = {
        "dataset": "spiral",
        "hidden": "4-2",
        "relu_epoch": 1968,
        "tanh_epoch": 2536,
        "n_seeds": 1000,
        "relu_lower_test": 0.24,
        "relu_lower_test_lo": 0.21,
        "relu_lower_test_hi": 0.27,
        "median_diff_test": 0.05,
        "median_diff_test_lo": 0.04,
        "median_diff_test_hi": 0.06,
        "p_value_test": 1e-50,
    }
    assert verdicts.relu_tanh_row(pd.DataFrame([row]))["verdict"] == "not reproduced"
    row |= {"relu_lower_test": 0.6, "relu_lower_test_lo": 0.55, "relu_lower_test_hi": 0.65}
    assert verdicts.relu_tanh_row(pd.DataFrame([row]))["verdict"] == "reproduced"


# ---------------------------------------------------------------- steps


def tiny_block() -> dict:
    configs = [
        SPIRAL,
        {**SPIRAL, "activation": "relu"},
        {**SPIRAL, "hidden": [4], "seeds": 2},
        {"dataset": "xor", "hidden": [4], "activation": "tanh", "seeds": 2},
    ]
    budgets_ = [
        {"activation": "tanh", "candidates": [[6], [4, 2]]},
        {"activation": "relu", "candidates": [[4, 2], [2, 2, 2, 2]]},
    ]
    return {**TINY, "configs": configs, "budget_seeds": 2, "budgets": budgets_}


def run_all(block: dict, out: Path) -> None:
    for cfg in plan.train_cells(block).values():
        steps.train(cfg, out, out)
    steps.parity(block, out, out)
    steps.summarise(block, out, out)


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tiny")
    run_all(tiny_block(), out)
    return out


def test_steps_smoke_and_determinism(tiny_run, tmp_path):
    block = tiny_block()
    run_all(block, tmp_path / "b")
    shutil.copytree(tiny_run, tmp_path / "a")
    for f in [*steps.SUMMARY_FILES.values(), "claims", "runs/spiral-4-2-relu_nets", "runs/spiral-6-tanh_end"]:
        assert (tmp_path / "a" / f"{f}.csv").read_bytes() == (tmp_path / "b" / f"{f}.csv").read_bytes(), f
    claims = pd.read_csv(tmp_path / "a" / "claims.csv")
    assert set(claims["claim"]) == {"C13"} and len(claims) >= 8
    assert set(claims["verdict"]) <= {"reproduced", "partly", "not reproduced"}
    summary = pd.read_csv(tmp_path / "a" / "summary.csv")
    assert {"epoch", "dataset", "config", "test_acc_median"} <= set(summary.columns)  # what C19 reads
    steps.plots(block, tmp_path / "a", tmp_path / "a")
    for f in ["loss_curves", "lecture_percentiles", "budgets", "decision_maps", "decision_maps_all", "hidden_units"]:
        assert (tmp_path / "a" / f"{f}.png").stat().st_size > 10_000


def test_integer_results_do_not_move_with_a_few_ulps(tiny_run, tmp_path):
    """Counts, choices and verdicts are the same when every loss and accuracy the summary reads
    moves by a few ulps (what another CPU's exp/log or BLAS kernels give)."""
    block = tiny_block()
    changes = np.sort(
        np.concatenate(
            [pgs.stationarity(pd.read_csv(p), block)["last_change"] for p in (tiny_run / "runs").glob("*_seeds.csv")]
        )
    )
    mid = len(changes) // 2
    block["stationary_tol"] = (changes[mid - 1] + changes[mid]) / 2  # seeds on both sides, none on the line
    base, moved = tmp_path / "base", tmp_path / "moved"
    for d in (base, moved):
        shutil.copytree(tiny_run, d)
    for path in [*(moved / "runs").glob("*_seeds.csv"), *(moved / "runs").glob("*_end.csv")]:
        df = pd.read_csv(path)
        cols = [c for c in df.columns if c.endswith(("_loss", "_acc"))]
        k = np.random.default_rng(0).integers(-4, 5, (len(df), len(cols)))
        df[cols] = df[cols] * (1 + k * 2.0**-52)
        df.to_csv(path, index=False, float_format="%.17g")
    for d in (base, moved):
        steps.summarise(block, d, d)
    keep = {
        "claims": ["verdict", "kind"],
        "stationarity": ["n_converged"],
        "budget_candidates": ["chosen", "n_converged"],
        "depth_comparisons": ["n_pairs", "deep_lower"],
        "paired_relu_tanh": ["relu_lower_test"],
    }
    for name, cols in keep.items():
        a, b = (pd.read_csv(d / f"{name}.csv")[cols] for d in (base, moved))
        pd.testing.assert_frame_equal(a, b, obj=name)
    st = pd.read_csv(base / "stationarity.csv")
    assert ((st["n_converged"] > 0) & (st["n_converged"] < st["n_seeds"])).any()  # the threshold splits a run


def test_summarise_rejects_a_run_table_missing_a_seed(tiny_run, tmp_path):
    block = tiny_block()
    shutil.copytree(tiny_run, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "runs" / "spiral-4-2-tanh_seeds.csv"
    df = pd.read_csv(path)
    df[df["seed"] != 2].to_csv(path, index=False)
    with pytest.raises(TableError, match=r"spiral-4-2-tanh_seeds.csv: \d+ rows, the configuration implies"):
        steps.summarise(block, tmp_path, tmp_path)


def test_train_step_rejects_a_run_name_that_does_not_match_its_config(tmp_path):
    with pytest.raises(ValueError, match="does not match"):
        steps.train({**TINY, "config": SPIRAL, "run": "spiral-4-2-relu"}, tmp_path, tmp_path)


def test_lecture_numbers_are_the_slides():
    assert LECTURE == {
        "tanh": {"epoch": 2536, "train": 0.302, "test": 0.416},
        "relu": {"epoch": 1968, "train": 0.321, "test": 0.340},
    }
