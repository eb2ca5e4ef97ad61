"""Representations family (C20, C24): the pure functions against independent oracles, the plan's
cells and cross-field checks, and a smoke run of every step at a tiny size."""

import copy
import shutil

import numpy as np
import pandas as pd
import pytest
from scipy.linalg import subspace_angles

from experiments import claims, convergence
from experiments.config import ROOT, load_config
from experiments.convergence import checkpoints
from experiments.io import TableError
from experiments.representations import __main__ as steps
from experiments.representations import features, neuron, plan, projection, stability
from mlp.data import FEATURES, Split, playground_split
from mlp.network import init
from mlp.seeding import rng, rngs
from mlp.train import train

TINY = {
    "projection": {
        "spectra": {"gap": [3.0, 2.0, 1.0, 0.5], "tie": [3.0, 1.0, 1.0, 0.5]},
        "K": 2, "points": 60, "data_seed": 0, "seeds": 3, "init": "glorot", "lr": 0.1, "lr_decay_epochs": 10,
        "batch_size": 10, "epochs": 20, "checkpoints": 10, "stationary_change": 1e-3, "angle_tol": 0.01,
        "excess_tol": 1e-3,
    },
    "xor_neuron": {"seeds": 3, "lr": 0.5, "epochs": 20, "batch_size": 4, "init": "glorot", "stationary_change": 1e-3},
    "features": {
        "datasets": ["xor", "spiral"], "solvable": ["xor"], "engineered": ["x1", "x2", "x1x2"], "width": 3,
        "activation": "tanh", "seeds": 3, "epochs": 10, "lr": 0.03, "batch_size": 10, "train_pct": 50, "noise": 0.0,
        "init": "playground", "stationary_change": 0.05, "accuracy_bar": 0.9, "map_seed": 1, "map_points": 5,
    },
}  # fmt: skip


def run_all(block: dict, results, figures) -> None:
    """Every step of the family on `block`, cell by cell, as the pipeline runs them."""
    for step in steps.STEPS.values():
        for cfg in step.cells(block).values():
            step.run(cfg, results, figures)


# --- C20: data, subspaces, optimum ------------------------------------------------------------


def test_rotation_is_orthogonal():
    U = projection.rotation(7, rng(0, "t"))
    assert np.allclose(U.T @ U, np.eye(7), atol=1e-13)


def test_whitened_points_have_exactly_the_prescribed_covariance():
    spectrum = [5.0, 2.0, 2.0, 0.1]
    U = projection.rotation(4, rng(1, "rot"))
    X = projection.whitened_points(spectrum, 50, rng(1, "pts"), U)
    assert np.allclose(X.mean(axis=0), 0, atol=1e-13)
    assert np.allclose(X.T @ X / 50, U @ np.diag(spectrum) @ U.T, atol=1e-12)
    assert np.allclose(np.linalg.eigvalsh(X.T @ X / 50)[::-1], spectrum, atol=1e-12)


def test_optimum_is_the_best_rank_k_reconstruction_by_svd():
    """Eckart-Young's value against an independent computation: the centred data's singular values."""
    spectrum = [4.0, 3.0, 1.0, 0.5, 0.2]
    X = projection.whitened_points(spectrum, 80, rng(2, "p"), projection.rotation(5, rng(2, "r")))
    s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    for K in range(1, 5):
        assert projection.optimum(spectrum, K) == pytest.approx(0.5 * np.sum(s[K:] ** 2) / 80, rel=1e-12)


def test_sine_of_the_largest_principal_angle_on_known_angles():
    e = np.eye(3)
    for theta in (0.3, 1e-9, np.pi / 2):
        b = np.cos(theta) * e[:, [0]] + np.sin(theta) * e[:, [1]]
        assert projection.sin_largest_angle(e[:, [0]], b) == pytest.approx(np.sin(theta), rel=1e-6, abs=1e-15)
    assert projection.sin_largest_angle(e[:, :2], e[:, [1, 0]]) < 1e-15  # same plane, other basis
    assert projection.sin_largest_angle(e[:, :2], e[:, [0]]) == pytest.approx(1.0)  # dimensions differ
    assert projection.outside(e[:, [0]], e[:, :2]) < 1e-15  # a line inside a plane


def test_sines_agree_with_scipy_principal_angles():
    g = rng(3, "angles")
    for _ in range(5):
        A, B = projection.basis(g.normal(size=(6, 3))), projection.basis(g.normal(size=(6, 3)))
        assert projection.sin_largest_angle(A, B) == pytest.approx(np.sin(subspace_angles(A, B).max()), rel=1e-10)


def test_autoencoder_cell_table_and_divergence_marked(tmp_path):
    cfg = {"name": "gap", "spectrum": TINY["projection"]["spectra"]["gap"], **TINY["projection"]}
    runs = projection.train_autoencoder(cfg)
    assert len(runs) == cfg["seeds"] * (cfg["checkpoints"] + 1)
    assert not runs["diverged"].any() and runs["loss"].ge(runs["optimum"] * (1 - 1e-9)).all()
    blown = projection.train_autoencoder({**cfg, "lr": 50.0})
    assert blown.loc[blown["epoch"] == cfg["epochs"], "diverged"].all()


def test_same_config_gives_identical_tables():
    cfg = {"name": "tie", "spectrum": TINY["projection"]["spectra"]["tie"], **TINY["projection"]}
    pd.testing.assert_frame_equal(projection.train_autoencoder(cfg), projection.train_autoencoder(cfg))


# --- C24: features, LP, convergence -----------------------------------------------------------


def test_xor_certificates_separate_with_the_product_only():
    certs = neuron.certificates().set_index("inputs")
    assert not certs.loc["raw", "separable"] and certs.loc["product", "separable"]
    assert certs.loc["product", "margin"] >= 1 - 1e-6


def test_every_model_of_a_seed_sees_the_same_data_draw():
    cfg = TINY["features"]
    raw = features.draws("xor", features.RAW, cfg)
    eng = features.draws("xor", cfg["engineered"], cfg)
    assert np.array_equal(raw.X_train, eng.X_train[..., :2]) and np.array_equal(raw.Y_test, eng.Y_test)
    assert np.array_equal(eng.X_train[..., 2], raw.X_train[..., 0] * raw.X_train[..., 1])


def test_lp_separability_of_playground_draws():
    split = playground_split("circle", rng(0, "data", "circle"), feature_names=("x1", "x2", "x1^2", "x2^2"))
    assert features.separable(Split(*(a[None] for a in split))).tolist() == [True]
    split = playground_split("circle", rng(0, "data", "circle"))
    assert features.separable(Split(*(a[None] for a in split))).tolist() == [False]


def test_shadowed_training_is_one_train_call_for_its_members():
    """Split at 90% of the budget for the shadow run, the members train exactly as in one call."""
    cfg = {**TINY["features"], "epochs": 30}
    names, net = features.model("hidden", cfg)
    data = features.draws("xor", names, cfg)
    params = init(net, cfg["init"], rngs(range(cfg["seeds"]), "init"))
    shadowed = stability.train_shadowed(net, params, data, cfg, "test")
    plain = train(net, params, data, lr=0.03, batch_size=10, epochs=30, eval_epochs=checkpoints(30), classify=True)
    for (W, b), (W_plain, b_plain) in zip(shadowed.params, plain.params):
        assert np.array_equal(W, W_plain) and np.array_equal(b, b_plain)
    order = ["epoch", "member"]
    got = pd.DataFrame(shadowed.history).sort_values(order, ignore_index=True)
    pd.testing.assert_frame_equal(got, pd.DataFrame(plain.history).sort_values(order, ignore_index=True))
    assert (shadowed.amplification <= stability.STABLE_GROWTH).all()


def test_shadow_run_flags_chaotic_sgd():
    """The engineered unit on the spiral at 10x Playground's rate: chaotic members amplify the
    shadow's 1e-10 perturbation by many orders; the settled unit on the circle contracts it."""
    cfg = {**TINY["features"], "engineered": list(FEATURES), "seeds": 8}
    names, net = features.model("engineered", cfg)
    amplification = {}
    for dataset, lr, epochs in (("spiral", 0.3, 200), ("circle", 0.03, 200)):
        run = {**cfg, "lr": lr, "epochs": epochs}
        params = init(net, run["init"], rngs(range(8), "init", dataset))
        result = stability.train_shadowed(net, params, features.draws(dataset, names, run), run, dataset)
        amplification[dataset] = result.amplification
    assert np.max(amplification["spiral"]) > 1e5 * stability.STABLE_GROWTH
    assert np.max(amplification["circle"]) <= stability.STABLE_GROWTH


def test_unknown_model_is_rejected_naming_the_allowed():
    with pytest.raises(ValueError, match=r"'deep'.*raw.*engineered.*hidden"):
        features.model("deep", TINY["features"])


def test_status_of_members():
    runs = pd.DataFrame(
        {
            "loss_90": [1.0, 1.0, 0.5, 0.5, np.nan],
            "loss": [1.0, 0.5, 0.4, 0.4, np.nan],
            "last_change": [0.0, 0.5, 0.25, 0.25, np.nan],
            "diverged": [False, False, False, False, True],
        }
    )
    settled = pd.Series([False, False, True, False, False])
    got = convergence.status(runs, settled, tol=0.1).tolist()
    assert got == ["stationary", "moving", "settled", "moving", "diverged"]


# --- plan: cells and cross-field checks ---------------------------------------------------------


def test_adding_a_spectrum_or_dataset_adds_one_cell_and_changes_no_other():
    block = copy.deepcopy(TINY)
    before = (plan.projection_cells(block), plan.feature_cells(block))
    block["projection"]["spectra"]["steep"] = [9.0, 3.0, 1.0, 0.1]
    block["features"]["datasets"].append("circle")
    after = (plan.projection_cells(block), plan.feature_cells(block))
    for old, new in zip(before, after):
        assert len(new) == len(old) + 1 and all(new[k] == v for k, v in old.items())


@pytest.mark.parametrize(
    "path, value, words",
    [
        (("projection", "spectra", "gap"), [1.0, 2.0, 0.5, 0.1], "descending"),
        (("projection", "K"), 4, "spectra.gap': value [3.0, 2.0, 1.0, 0.5] is not allowed: must have more than K = 4"),
        (("projection", "spectra", "tie"), [3.0, 1.0, 1.0, 1.0], "tie of exactly two"),
        (("projection", "spectra"), {"a": [3.0, 2.0, 1.0], "b": [4.0, 2.0, 1.0]}, "one with a tie"),
        (("projection", "batch_size"), 7, "must divide points = 60"),
        (("projection", "checkpoints"), 30, "<= epochs = 20"),
        (("features", "solvable"), ["xor", "circle"], "among features.datasets"),
        (("features", "solvable"), [], "must include xor"),
        (("features", "map_seed"), 3, "< seeds = 3"),
        (("features", "batch_size"), 7, "must divide the 250 training points"),
    ],
)
def test_check_names_key_value_and_what_is_allowed(path, value, words):
    block = copy.deepcopy(TINY)
    where = block
    for key in path[:-1]:
        where = where[key]
    where[path[-1]] = value
    problems = plan.check(block)
    key = "representations.projection" if path[-1] == "K" else f"representations.{'.'.join(path)}"
    assert any(f"'{key}" in p and words in p for p in problems), problems


def test_shipped_blocks_pass_the_checks_and_the_limits():
    for name in ("config.yaml", "config.quick.yaml"):
        block = load_config(ROOT / name)["representations"]
        assert plan.check(block) == []
        assert all(c.model_steps < 1e9 for c in plan.cost(block))
    assert plan.check(TINY) == []


# --- steps: smoke run, computed verdicts, checked inputs ---------------------------------------


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """(results, figures) of every step run once on TINY."""
    root = tmp_path_factory.mktemp("tiny")
    run_all(TINY, root / "r", root / "f")
    return root / "r", root / "f"


def test_every_step_runs_and_writes_computed_rows(tiny_run):
    results, figures = tiny_run
    rows = pd.read_csv(results / "claims.csv", keep_default_na=False)
    assert list(rows.columns) == claims.COLUMNS
    assert rows["claim"].tolist() == ["C20"] * 3 + ["C24"] * 4
    assert rows["verdict"].isin(claims.VERDICTS).all() and rows["kind"].isin(list(claims.KINDS)).all()
    for name in ("projection", "feature_accuracy", "hidden_units"):
        assert (figures / f"{name}.png").stat().st_size > 5000
    maps = pd.read_csv(results / "maps_xor.csv")
    assert len(maps) == 25 and [f"unit_{k}" for k in (1, 2, 3)] == [c for c in maps if c.startswith("unit_")]


def test_summary_rejects_a_truncated_cell_table(tiny_run, tmp_path):
    results = tmp_path / "r"
    shutil.copytree(tiny_run[0], results)
    table = results / "features_spiral.csv"
    table.write_text("".join(table.read_text().splitlines(keepends=True)[:-2]))
    with pytest.raises(TableError, match="features_spiral.csv"):
        steps.summary(plan.summary_cfg(TINY)[""], results, tmp_path / "f")
