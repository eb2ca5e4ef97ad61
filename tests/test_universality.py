"""The universality family (C25): its pure functions against written-out facts, and a smoke run
of every step at a small size."""

import numpy as np
import pandas as pd
import pytest

from experiments.universality import plan
from experiments.universality.__main__ import STEPS
from experiments.universality.constructions import (
    cone_quadrature,
    cone_units,
    face_directions,
    ridge_direction,
    ridge_interpolant,
    sphere_moment,
)
from experiments.universality.dimension import cube_grid, grid_side, needed
from experiments.universality.polynomials import POLYNOMIAL, activation, minimax_error, polynomial_fit
from experiments.universality.readout import lstsq_readout, prefix_readouts, relu_columns
from mlp.data import TARGETS_1D, target_1d
from mlp.network import Net, forward

POLY = {
    "targets": ["sine", "abs"],
    "activations": ["linear", "quadratic", "sigmoid", "tanh", "relu"],
    "widths": [2, 4, 8, 16],
    "n_seeds": 3,
    "grid_points": 101,
    "w_scale": 2.0,
    "plateau_tol": 1e-4,
    "flat_slope": 0.01,
    "stationarity": 1e-8,
}
DIM = {
    "dims": [1, 2, 3],
    "eps": 0.2,
    "ridge_profile": "sine",
    "eval_points": 125,
    "widths": [2, 4, 8, 16, 32, 64],
    "fit_ratio": 4,
    "n_seeds": 3,
    "growth_bar": 2.0,
    "flat_bar": 1.25,
    "decision_margin": 1e-6,
    "stationarity": 1e-6,
}
BLOCK = {"polynomial": POLY, "dimension": DIM}


def run_all(results, figures, block=BLOCK):
    """Every step, every cell, in pipeline order (as the CLI runs them without --cfg)."""
    for name in ("widths", "dimension_cell", "dimension", "claims"):
        step = STEPS[name]
        for cfg in step.cells(block).values():
            step.run(cfg, results, figures)


# ---------------------------------------------------------------- polynomial activations


def test_a_quadratic_net_of_any_width_is_a_polynomial_of_degree_2():
    g = np.random.default_rng(0)
    x = np.linspace(-1, 1, 201)[:, None]
    W, b, v = g.normal(size=(1, 50)), g.normal(size=50), g.uniform(0.5, 1.5, (50, 1))  # x^2 coefficient > 0
    f = activation("quadratic").g(x @ W + b) @ v  # sum_k v_k (w_k x + b_k)^2
    assert np.abs(polynomial_fit(x[:, 0], f, 2) - f).max() < 1e-9 * np.abs(f).max()
    assert np.abs(polynomial_fit(x[:, 0], f, 1) - f).max() > 1e-3 * np.abs(f).max()


@pytest.mark.parametrize("name", sorted(POLYNOMIAL))
def test_polynomial_activations_have_the_derivative_of_their_formula(name):
    z = np.linspace(-3, 3, 61)
    a = POLYNOMIAL[name]
    step = 1e-5
    fd = (a.g(z + step) - a.g(z - step)) / (2 * step)
    assert np.abs(a.derivative(z, a.g(z)) - fd).max() < 1e-8


def test_unknown_activation_names_the_allowed_ones():
    with pytest.raises(ValueError, match="'swish'.*quadratic"):
        activation("swish")


def test_minimax_errors_are_the_chebyshev_values():
    x = np.linspace(-1, 1, 401)  # holds -1, -1/2, 0, 1/2, 1
    # best line for x^2 on [-1, 1]: 1/2, error x^2 - 1/2 equioscillates at -1, 0, 1 with size 1/2
    assert minimax_error(x, x**2, 1) == pytest.approx(0.5, abs=1e-9)
    # best quadratic for |x|: x^2 + 1/8, error |x| - x^2 - 1/8 = -1/8, +1/8, -1/8, +1/8, -1/8 at -1, -1/2, 0, 1/2, 1
    assert minimax_error(x, np.abs(x), 2) == pytest.approx(0.125, abs=1e-9)
    # and a polynomial of degree d is fitted exactly by degree d
    assert minimax_error(x, 3 * x**3 - x, 3) < 1e-9


# ---------------------------------------------------------------- readouts


def test_lstsq_readout_equals_numpy_least_squares_and_projects_rank_deficient_features():
    g = np.random.default_rng(1)
    x = np.linspace(-1, 1, 80)
    Y = np.stack([np.sin(3 * x), np.abs(x)], axis=1)
    H = np.tanh(g.normal(size=(2, 1, 6)) * x[None, :, None] + g.normal(size=(2, 1, 6)))  # (M=2, N, K=6)
    F, stationarity = lstsq_readout(H, Y)
    for m in range(2):
        A = np.c_[np.ones(len(x)), H[m]]
        assert np.allclose(F[m], A @ np.linalg.lstsq(A, Y, rcond=None)[0], atol=1e-10)
    assert stationarity.max() < 1e-10
    # 30 quadratic units span the quadratics only: the fit is the degree-2 least-squares polynomial
    Q = activation("quadratic").g(g.normal(size=(1, 1, 30)) * x[None, :, None] + g.normal(size=(1, 1, 30)))
    assert np.allclose(lstsq_readout(Q, Y)[0][0], polynomial_fit(x, Y, 2), atol=1e-10)


def test_prefix_readouts_equal_least_squares_on_each_prefix():
    g = np.random.default_rng(2)
    X = g.uniform(-1, 1, (300, 2))
    W, b = g.normal(size=(20, 2)), g.normal(size=20) * 0.5
    Y = np.stack([np.linalg.norm(X, axis=1), np.sin(X.sum(1))], axis=1)
    P = np.c_[np.ones(300), np.maximum(X @ W.T + b, 0)]
    for K, V, stationarity in prefix_readouts(relu_columns(X, W, b), 300, Y, [1, 3, 7, 20]):
        assert np.allclose(V, np.linalg.lstsq(P[:, : K + 1], Y, rcond=None)[0], atol=1e-6)
        assert stationarity < 1e-8


# ---------------------------------------------------------------- constructions and grids


def test_grid_has_odd_side_with_origin_and_corners():
    assert [grid_side(D, 6561) for D in (1, 2, 3, 4)] == [6561, 81, 17, 9]  # 17^3 = 4913 <= 6561 < 19^3
    X = cube_grid(3, 4913)
    assert len(X) == 17**3 and (np.abs(X).sum(1) == 0).any() and (np.abs(X) == 1).all(1).sum() == 8


def net_values(params, X):
    K = params[0][0].shape[1]
    return forward(Net((X.shape[1], K, 1), hidden="relu"), params, X)[0][0, :, 0]


def test_cone_quadrature_is_exact_in_1d_and_converges_in_higher_d():
    x = np.linspace(-1, 1, 11)[:, None]
    assert np.allclose(net_values(cone_quadrature(1, 1), x), np.abs(x[:, 0]))  # |x| = relu(x) + relu(-x)
    assert sphere_moment(2) == pytest.approx(2 / np.pi)  # E|cos theta| over the circle
    X = cube_grid(3, 1331)
    errors = [
        np.abs(net_values(cone_quadrature(3, n), X) - np.linalg.norm(X, axis=1) / np.sqrt(3)).max() for n in (1, 4)
    ]
    assert errors[1] < errors[0] / 4
    U, omega = face_directions(3, 4)
    assert len(U) == cone_units(3, 4) // 2 == 48 and omega.sum() == pytest.approx(1)


def test_ridge_interpolant_meets_the_profile_at_every_knot():
    D, u = 3, 6
    t = np.linspace(-1, 1, u + 1)
    X = t[:, None] * np.ones(D)  # points on the diagonal with mean t
    assert np.allclose(net_values(ridge_interpolant(D, u, "sine"), X), target_1d("sine", t), atol=1e-12)
    assert np.allclose(ridge_direction(4), 0.25)


def test_needed_takes_the_first_size_below_eps_with_its_margin():
    curves = pd.DataFrame(
        {"D": 2, "target": "ridge", "method": "random features", "seed": 0, "units": [2, 4, 8, 16],
         "sup": [0.5, 0.12, 0.09, 0.01], "rms": 0.0, "stationarity": 1e-12}
    )  # fmt: skip
    row = needed(curves, 0.1).iloc[0]
    assert row["units_needed"] == 8 and row["reached"] and row["margin"] == pytest.approx(0.1)  # |0.09/0.1 - 1|
    short = needed(curves.assign(sup=1.0), 0.1).iloc[0]
    assert short["units_needed"] == 16 and not short["reached"]  # a lower bound


# ---------------------------------------------------------------- plan and steps


def test_plan_checks_name_the_key_and_what_is_allowed():
    bad = {
        "polynomial": {**POLY, "activations": ["cubic", "relu"], "widths": [2, 64]},
        "dimension": {**DIM, "dims": [1, 5], "eval_points": 100, "widths": [2, 8]},
    }
    problems = plan.check(bad)
    assert any("universality.dimension.widths" in m and ">= 2 max(dims) = 10" in m for m in problems)
    assert any("universality.polynomial.widths" in m and ">= 3" in m for m in problems)
    assert any("universality.polynomial.widths" in m and "grid_points / 4" in m for m in problems)
    assert any("universality.dimension.eval_points" in m and "D = [5]" in m for m in problems)
    assert plan.check(BLOCK) == []
    assert set(plan.dimension_cells(BLOCK)) == {"D1", "D2", "D3"}


def test_every_step_runs_and_the_claim_rows_are_computed(tmp_path):
    run_all(tmp_path / "r", tmp_path / "f")
    rows = pd.read_csv(tmp_path / "r" / "claims.csv")
    assert list(rows["claim"].unique()) == ["C25"] and len(rows) == 6
    assert list(rows["kind"]) == ["evidence"] * 5 + ["finding"]
    assert set(rows["verdict"]) <= {"reproduced", "partly", "not reproduced"}
    assert rows["verdict"].iloc[:3].tolist() == ["reproduced"] * 3  # plateaus and the fall show at this size
    need = pd.read_csv(tmp_path / "r" / "dimension.csv")
    assert len(need) == 3 * 2 * (1 + DIM["n_seeds"]) and need["units_needed"].dtype.kind == "i"
    for name in ("widths.png", "dimension.png"):
        assert (tmp_path / "f" / name).stat().st_size > 10_000


def test_same_config_gives_identical_tables(tmp_path):
    run_all(tmp_path / "a", tmp_path / "fa")
    run_all(tmp_path / "b", tmp_path / "fb")
    for name in ("widths.csv", "polynomials.csv", "dimension.csv", "dimension_summary.csv", "claims.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_a_polynomial_target_is_refused_with_its_name(monkeypatch, tmp_path):
    monkeypatch.setitem(TARGETS_1D, "parabola", lambda x: x**2)
    with pytest.raises(ValueError, match="'parabola' is a polynomial of degree <= 2"):
        STEPS["widths"].run({**POLY, "targets": ["parabola"]}, tmp_path / "r", tmp_path / "f")
