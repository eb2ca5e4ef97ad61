"""Every evidence row of C25 can fail: each named defect, injected into the row's own
computation at a small size, flips the row's verdict away from `reproduced`; the undamaged
computation at the same size is `reproduced`."""

import numpy as np
import pandas as pd
import pytest

from experiments.universality import constructions, dimension, widths
from experiments.universality.constructions import cone_quadrature
from experiments.universality.dimension import CONSTRUCTION, RANDOM, TARGETS, cell_curves, needed
from experiments.universality.polynomials import activation, polynomial_fit
from experiments.universality.verdicts import dimension_rows, ridge_random_row, width_rows
from mlp.data import target_1d

POLY = {
    "targets": ["sine", "abs"],
    "activations": ["linear", "quadratic", "sigmoid", "tanh", "relu"],
    "widths": [2, 4, 8, 16, 32],
    "n_seeds": 3,
    "grid_points": 201,
    "w_scale": 2.0,
    "plateau_tol": 1e-4,
    "flat_slope": 0.01,
    "stationarity": 1e-8,
}
DIM = {
    "dims": [1, 2, 3, 4],
    "eps": 0.1,
    "ridge_profile": "sine",
    "eval_points": 625,  # 5^4 at D = 4
    "widths": [2, 4, 8, 16, 32, 64, 128, 256, 512],
    "fit_ratio": 4,
    "n_seeds": 3,
    "growth_bar": 2.0,
    "flat_bar": 1.25,
    "decision_margin": 1e-6,
    "stationarity": 1e-6,
}


def width_verdicts() -> dict[str, str]:
    """Verdict per part-(a) row: 'linear', 'quadratic' (plateaus) and 'falling'."""
    errors, _ = widths.width_table(POLY)
    rows = width_rows(errors, widths.polynomial_table(POLY), POLY)
    return dict(zip(["linear", "quadratic", "falling"], [r["verdict"] for r in rows], strict=True))


def dimension_verdicts() -> dict[str, str]:
    """Verdict per part-(b) row: 'lipschitz', 'ridge' (construction) and the random-feature finding."""
    curves = pd.concat([cell_curves({**DIM, "D": D}) for D in DIM["dims"]], ignore_index=True)
    rows = dimension_rows(needed(curves, DIM["eps"]), DIM)
    return dict(zip(["lipschitz", "ridge", "ridge_random"], [r["verdict"] for r in rows], strict=True))


def replaced(name: str, by: str):
    """The family's activation lookup with `name` computed by `by`."""
    return lambda n: activation(by) if n == name else activation(n)


@pytest.fixture(scope="module")
def undamaged_dimension():
    return dimension_verdicts()


def test_undamaged_width_rows_are_reproduced():
    assert width_verdicts() == {"linear": "reproduced", "quadratic": "reproduced", "falling": "reproduced"}


def test_undamaged_dimension_rows_are_reproduced(undamaged_dimension):
    assert undamaged_dimension["lipschitz"] == "reproduced"
    assert undamaged_dimension["ridge"] == "reproduced"
    assert undamaged_dimension["ridge_random"] == "not reproduced"  # the finding: random features cannot follow


# ---------------------------------------------------------------- (a) the plateaus and the fall


def test_sabotage_quadratic_replaced_by_cubic(monkeypatch):
    monkeypatch.setattr(widths, "activation", replaced("quadratic", "cubic"))
    assert width_verdicts()["quadratic"] != "reproduced"  # the sine's cubic fit lies below its quadratic one


def test_sabotage_quadratic_replaced_by_tanh(monkeypatch):
    monkeypatch.setattr(widths, "activation", replaced("quadratic", "tanh"))
    assert width_verdicts()["quadratic"] == "not reproduced"


def test_sabotage_linear_replaced_by_relu(monkeypatch):
    monkeypatch.setattr(widths, "activation", replaced("linear", "relu"))
    assert width_verdicts()["linear"] == "not reproduced"


def test_sabotage_polynomial_fit_of_the_wrong_degree(monkeypatch):
    monkeypatch.setattr(widths, "polynomial_fit", lambda x, Y, d: polynomial_fit(x, Y, max(d - 1, 0)))
    got = width_verdicts()
    assert got["linear"] != "reproduced" and got["quadratic"] != "reproduced"


def test_sabotage_sigmoid_replaced_by_a_polynomial(monkeypatch):
    monkeypatch.setattr(widths, "activation", replaced("sigmoid", "quadratic"))
    assert width_verdicts()["falling"] == "partly"  # tanh and relu still fall


# ---------------------------------------------------------------- (b) units needed vs D


def test_sabotage_construction_with_one_unit_missing(monkeypatch):
    """The quadrature net without its last unit relu(-u_M . x) (at D = 1: |x| becomes relu(x))."""

    def missing_a_unit(D, n):
        (W1, b1), (W2, b2) = cone_quadrature(D, n)
        return [(W1[:, :-1], b1[:, :-1]), (W2[:, :, :-1], b2)]

    monkeypatch.setattr(dimension, "cone_quadrature", missing_a_unit)
    assert dimension_verdicts()["lipschitz"] != "reproduced"


def test_sabotage_construction_units_counted_per_face(monkeypatch):
    monkeypatch.setattr(dimension, "cone_units", lambda D, n: n ** (D - 1))
    assert dimension_verdicts()["lipschitz"] != "reproduced"


def test_sabotage_target_not_a_ridge(monkeypatch):
    """The 'ridge' target replaced by the mean of g over the coordinates: a sum of D ridges."""
    monkeypatch.setattr(dimension, "ridge_target", lambda X, profile: np.mean(target_1d(profile, X), axis=-1))
    assert dimension_verdicts()["ridge"] == "not reproduced"


def test_sabotage_ridge_construction_along_the_wrong_direction(monkeypatch):
    monkeypatch.setattr(constructions, "ridge_direction", lambda D: np.eye(D)[0])
    assert dimension_verdicts()["ridge"] == "not reproduced"


def synthetic_need(units_by_D: dict[int, int]) -> pd.DataFrame:
    """A units-needed table with the same count for every member: random features get `units_by_D`."""
    rows = [
        {"D": D, "target": t, "method": m, "seed": s, "units_needed": u if m == RANDOM else 7, "reached": True,
         "sup": 0.05, "stationarity": 0.0 if m == RANDOM else np.nan, "margin": 0.5}
        for D, u in units_by_D.items()
        for t in TARGETS
        for m, seeds in ((CONSTRUCTION, [np.nan]), (RANDOM, range(3)))
        for s in seeds
    ]  # fmt: skip
    return pd.DataFrame(rows)


def test_the_finding_is_computed_from_the_random_feature_counts():
    """The random-feature ridge row says 'reproduced' when those counts do not grow with D, and
    'not reproduced' when they multiply per dimension."""
    flat = ridge_random_row(synthetic_need({1: 20, 2: 20, 3: 21, 4: 20}), DIM)
    growing = ridge_random_row(synthetic_need({1: 20, 2: 80, 3: 320, 4: 1280}), DIM)
    assert (flat["verdict"], growing["verdict"]) == ("reproduced", "not reproduced")
