"""The Playground family (C13): seed bookkeeping, statistics, verdicts, and a smoke run of
every step at tiny sizes."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from experiments.playground import __main__ as steps
from experiments.playground import port, runs, verdicts
from experiments.playground import summary as pgs
from experiments.playground.plan import config_name
from mlp.network import init
from mlp.seeding import rngs

ROOT = Path(__file__).resolve().parents[1]
TINY = {
    "lr": 0.03,
    "batch_size": 10,
    "train_pct": 50,
    "noise": 0.0,
    "features": ["x1", "x2"],
    "epochs": 6,
    "eval_every": 2,
    "slide_epochs": {"tanh": 6, "relu": 4},
    "seed_epochs": [0, 4, 6],
    "seed0": 0,
}
SPIRAL = {"dataset": "spiral", "hidden": [4, 2], "activation": "tanh", "seeds": 3}


def test_config_name_and_shared_init_across_activations():
    relu = {**SPIRAL, "activation": "relu"}
    assert config_name(SPIRAL) == "spiral-4-2-tanh"
    assert port.net_key(SPIRAL) == port.net_key(relu) == "spiral-4-2"
    a = init(port.make_net(SPIRAL), "playground", rngs([0, 1], "init", port.net_key(SPIRAL)))
    b = init(port.make_net(relu), "playground", rngs([0, 1], "init", port.net_key(relu)))
    for (Wa, ba), (Wb, bb) in zip(a, b):
        np.testing.assert_array_equal(Wa, Wb)
        np.testing.assert_array_equal(ba, bb)


def test_split_depends_on_dataset_and_seed_only():
    s0, s1 = port.split_of(TINY, "spiral", 0), port.split_of(TINY, "spiral", 1)
    assert s0.X_train.shape == (250, 2) and s0.X_test.shape == (250, 2)  # 500 points, 50 %
    assert not np.array_equal(s0.X_train, s1.X_train)  # each seed its own shuffle
    # noise 0: the spiral itself is fixed, so both seeds hold the same 500 points
    p0 = np.sort(np.concatenate([s0.X_train, s0.X_test]), axis=0)
    p1 = np.sort(np.concatenate([s1.X_train, s1.X_test]), axis=0)
    np.testing.assert_array_equal(p0, p1)


def test_ensemble_equals_seeds_trained_alone():
    hist, _, _ = port.train_config(TINY, SPIRAL)
    for s in range(3):
        alone, _, _ = port.train_config({**TINY, "seed0": s}, {**SPIRAL, "seeds": 1})
        mine = hist[hist["seed"] == s].reset_index(drop=True)
        np.testing.assert_allclose(mine[port.METRICS].to_numpy(), alone[port.METRICS].to_numpy(), rtol=0, atol=1e-12)


def test_pausing_at_the_slide_epoch_is_exact():
    relu = {**SPIRAL, "activation": "relu"}
    paused, _, _ = port.train_config(TINY, relu)  # pauses at 4, resumes to 6
    straight, _, _ = port.train_config({**TINY, "slide_epochs": {"tanh": 6, "relu": 6}}, relu)
    pd.testing.assert_frame_equal(paused, straight)
    with pytest.raises(ValueError, match="leftover"):  # 250 % 30 = 10 points would carry over
        port.train_config({**TINY, "batch_size": 30}, relu)


def test_curve_percentiles_by_hand():
    # 11 seeds with test loss 0, 0.1, ..., 1.0: linear-interpolated p10 = 0.1, median 0.5, p90 0.9
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


def test_percentile_of_splits_ties():
    assert pgs.percentile_of([1, 2, 3, 4], 2.5) == 50.0  # two of four below
    assert pgs.percentile_of([1, 2, 3, 4], 2) == 37.5  # one below (25 %) plus half of one tie (12.5 %)
    assert pgs.percentile_of([1, 2, np.nan], 5) == 100.0  # diverged seeds are left out


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


def _seeds(test, train=None, epoch=10):
    test = np.asarray(test, dtype=float)
    return pd.DataFrame(
        {
            "seed": np.arange(len(test)),
            "epoch": epoch,
            "test_loss": test,
            "train_loss": test if train is None else train,
            "train_acc": 0.5,
            "test_acc": 0.5,
        }
    )


def test_paired_relu_vs_tanh():
    specs = {"spiral-4-2-tanh": SPIRAL, "spiral-4-2-relu": {**SPIRAL, "activation": "relu"}}
    params = {"slide_epochs": {"tanh": 10, "relu": 10}, "epochs": 10}
    tanh = [0.40, 0.40, 0.40, 0.40]
    relu = [0.30, 0.35, 0.45, 0.38]  # differences -0.10, -0.05, +0.05, -0.02: relu lower on 3 of 4
    p = pgs.paired_table({"spiral-4-2-tanh": _seeds(tanh), "spiral-4-2-relu": _seeds(relu)}, specs, params)
    assert len(p) == 1
    assert p["frac_relu_lower_test"].iloc[0] == 0.75
    assert p["median_diff_test"].iloc[0] == pytest.approx((-0.05 - 0.02) / 2)  # median of the middle two


def test_reference_table_places_the_lecture():
    specs = {"spiral-4-2-tanh": SPIRAL}
    params = {"slide_epochs": {"tanh": 2536}, "epochs": 2536}
    v = np.linspace(0.30, 0.50, 21)  # 0.30, 0.31, ..., 0.50
    refs = pgs.reference_table({"spiral-4-2-tanh": _seeds(v, epoch=2536)}, specs, params)
    lec = refs[(refs["source"] == "lecture") & (refs["split"] == "test")].iloc[0]
    # 0.416 lies above 0.30..0.41 (12 of 21 values)
    assert lec["percentile"] == pytest.approx(100 * 12 / 21)
    assert lec["inside"]
    pg_rows = refs[refs["source"] == "playground seed 0.87646"]
    assert set(pg_rows["value"]) == {0.324336, 0.487160}  # reference section 6 at epoch 2536
    train = refs[(refs["source"] == "lecture") & (refs["split"] == "train")].iloc[0]
    assert train["percentile"] == pytest.approx(100 / 21)  # 0.302: only 0.30 lies below


def test_depth_table_mann_whitney_by_hand():
    specs = {
        "spiral-4-2-relu": {**SPIRAL, "activation": "relu"},
        "spiral-4-4-4-4-relu": {**SPIRAL, "hidden": [4, 4, 4, 4], "activation": "relu"},
    }
    params = {"slide_epochs": {"relu": 10}, "epochs": 10}
    base = _seeds([0.4, 0.5, 0.6, 0.7])
    d = pgs.depth_table({"spiral-4-2-relu": base, "spiral-4-4-4-4-relu": _seeds([0.1, 0.2, 0.3])}, specs, params)
    # every four-layer seed beats every two-layer seed: P(lower) = 1; exact one-sided p = the chance that
    # the 3 smallest of 7 ranks all fall in the first sample = 1 / C(7, 3) = 1/35
    assert d["prob_lower"].iloc[0] == 1.0
    assert d["p_value"].iloc[0] == pytest.approx(1 / 35)
    assert d["better"].iloc[0]
    same = pgs.depth_table({"spiral-4-2-relu": base, "spiral-4-4-4-4-relu": base}, specs, params)
    assert same["prob_lower"].iloc[0] == 0.5 and not same["better"].iloc[0]


def test_claim_verdicts_follow_the_numbers():
    specs = {
        f"{d}-4-tanh": {"dataset": d, "hidden": [4], "activation": "tanh", "seeds": 3}
        for d in ("circle", "xor", "gauss")
    }
    params = {"epochs": 10, "slide_epochs": {}}
    rows = [
        {"config": n, "epoch": 10, "test_acc_median": a, "test_acc_p10": a, "test_loss_median": 0.1}
        for n, a in zip(specs, (1.0, 0.97, 0.90))
    ]
    out = verdicts.claim_rows(pd.DataFrame(rows), pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), specs, params)
    assert list(out["verdict"]) == ["partly"]  # 0.90 < 0.95 on gauss
    rows[2]["test_acc_median"] = 0.99
    out = verdicts.claim_rows(pd.DataFrame(rows), pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), specs, params)
    assert list(out["verdict"]) == ["reproduced"]


def test_default_config_meets_the_brief():
    cfg = yaml.safe_load((ROOT / "config.yaml").read_text())["playground"]
    assert (cfg["lr"], cfg["batch_size"], cfg["train_pct"], cfg["noise"]) == (0.03, 10, 50, 0.0)
    assert cfg["slide_epochs"] == {"tanh": 2536, "relu": 1968} and cfg["epochs"] >= 2536
    names = [config_name(c) for c in cfg["configs"]]
    for c, n in zip(cfg["configs"], names):
        assert c["seeds"] >= (100 if n in ("spiral-4-2-tanh", "spiral-4-2-relu") else 50), n
    for n in [
        "spiral-4-tanh",
        "spiral-4-relu",
        "spiral-8-tanh",
        "spiral-8-relu",
        "spiral-8-8-8-8-relu",
        "spiral-4-4-4-4-relu",
        "spiral-4-2-2-2-relu",
        "circle-4-tanh",
        "xor-4-tanh",
        "gauss-4-tanh",
    ]:
        assert n in names


def test_steps_smoke_and_determinism(tmp_path):
    configs = [
        SPIRAL,
        {**SPIRAL, "activation": "relu"},
        {**SPIRAL, "hidden": [4], "seeds": 2},
        {**SPIRAL, "hidden": [4, 2, 2, 2], "activation": "relu", "seeds": 2},
        {"dataset": "xor", "hidden": [4], "activation": "tanh", "seeds": 2},
    ]
    params = {**TINY, "configs": configs}
    for out in (tmp_path / "a", tmp_path / "b"):
        for c in configs:
            steps.train({**params, "config": c, "run": config_name(c)}, out, out)
        steps.summarise(params, out, out)
    for f in ["summary", "reference_percentiles", "paired_relu_tanh", "claims", "runs/spiral-4-2-relu_nets"]:
        assert (tmp_path / "a" / f"{f}.csv").read_bytes() == (tmp_path / "b" / f"{f}.csv").read_bytes(), f
    claims = pd.read_csv(tmp_path / "a" / "claims.csv")
    assert set(claims["claim"]) == {"C13"} and len(claims) == 4  # simple, one layer, [4,2] vs lecture, four layers
    assert set(claims["verdict"]) <= {"reproduced", "partly", "not reproduced"}
    steps.plots(params, tmp_path / "a", tmp_path / "a")
    for f in ["loss_curves", "lecture_percentiles", "decision_maps", "decision_maps_all", "hidden_units"]:
        assert (tmp_path / "a" / f"{f}.png").stat().st_size > 10_000


def test_train_step_rejects_a_run_name_that_does_not_match_its_config(tmp_path):
    with pytest.raises(ValueError, match="does not match"):
        steps.train({**TINY, "config": SPIRAL, "run": "spiral-4-2-relu"}, tmp_path, tmp_path)
