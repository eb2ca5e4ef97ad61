"""Every evidence row of the approximation family can fail: each test runs the row's computation
at a small size with a named defect and asserts the verdict drops to 'partly' or 'not
reproduced'; the control runs the same computation undamaged and asserts 'reproduced'."""

import numpy as np
import pandas as pd

from experiments.approximation import constructions as cs
from experiments.approximation import depth as ds
from experiments.approximation.errors import width_tables
from experiments.approximation.evaluate import ASYMPTOTES, Asymptotes
from experiments.approximation.rates import slopes
from experiments.approximation.trained import width_cell
from experiments.approximation.verdicts import c10_rows, c11_rows
from mlp.activations import ACTIVATIONS
from mlp.data import TARGETS_1D

C10 = {  # a small C10 run: two targets, two activations, constructions up to 4096 units
    "seed": 0,
    "stationary_tol": 0.01,
    "targets": ["sines", "kink"],
    "activations": ["relu", "tanh"],
    "widths": [1, 2, 4, 8],
    "train_points": 65,
    "eval_points": 257,
    "restarts": 2,
    "unit_budget": 8,
    "lbfgs_maxiter": 20,
    "w_scale": 1.0,
    "sgd": {"widths": [1], "train_points": 50, "batch_size": 10, "schedule": [{"lr": 1.0, "epochs": 10}]},
    "construction_widths": [2**j for j in range(13)],
    "points_per_unit": 8,
    "fit_last": 5,
    "sup_tol": 0.01,
    "few_units": 2,
    "slope_tol": 0.1,
    "optimisation_factor": 2.0,
}
C11 = {  # a small C11 run: depths 1..7, one trained depth
    "seed": 0,
    "stationary_tol": 0.01,
    "depths": [1, 2, 3, 4, 5, 6, 7],
    "l1_target": 0.0625,
    "log2_slope_min": 0.8,
    "L": 2,
    "widths": [1, 2, 4],
    "restarts": 2,
    "unit_budget": 8,
    "lbfgs_maxiter": 20,
    "points_per_piece": 4,
}
APPROXIMATION, RATES = 0, 1  # the C10 evidence rows


def c10_verdicts(p=C10) -> list[str]:
    cells = pd.concat([width_cell(a, {**p, "activation": a}) for a in p["activations"]], ignore_index=True)
    errs, best = width_tables(cells, p)
    return c10_rows(errs, best, slopes(errs, p["fit_last"], p["slope_tol"]), p)["verdict"].tolist()


def c11_verdict(p=C11) -> str:
    deep, con = ds.deep_rows(p["depths"]), ds.constructed_rows(p["depths"], p["l1_target"])
    trained = ds.shallow_cell(p["L"], p)
    return c11_rows(deep, con, trained, ds.needed(deep, con, trained), p)["verdict"].iloc[0]


def test_undamaged_c10_rows_are_reproduced():
    verdicts = c10_verdicts()
    assert verdicts[APPROXIMATION] == "reproduced" and verdicts[RATES] == "reproduced"


def test_undamaged_c11_row_is_reproduced():
    assert c11_verdict() == "reproduced"


def test_sabotage_target_in_the_model_class(monkeypatch):
    """The kink target replaced by |x| = relu(x) + relu(-x): two relu units represent it
    exactly, so the relu cell no longer starts above the bar."""
    monkeypatch.setitem(TARGETS_1D, "kink", np.abs)
    assert c10_verdicts()[APPROXIMATION] == "partly"


def test_sabotage_relu_computes_the_identity(monkeypatch):
    """The relu nonlinearity lost (relu(z) = z in the forward pass and in the exact evaluator):
    every relu net is affine and its error stops falling (a polynomial activation, C25)."""
    monkeypatch.setitem(ACTIVATIONS, "relu", ACTIVATIONS["linear"])
    monkeypatch.setitem(ASYMPTOTES, "relu", Asymptotes(0.0, (0.0, 1.0), (0.0, 1.0)))
    assert c10_verdicts()[APPROXIMATION] in ("partly", "not reproduced")


def test_sabotage_interpolant_with_one_unit_missing(monkeypatch):
    """The relu interpolant loses its middle unit: the slope change there is never made, the
    error past it grows like h, and the rate drops from -2 to -1 on the smooth target."""
    whole = cs.relu_interpolant

    def missing_unit(nodes, values):
        (W1, b1), (W2, b2) = whole(nodes, values)
        keep = np.arange(len(b1)) != len(b1) // 2
        return [(W1[keep], b1[keep]), (W2[:, keep], b2)]

    monkeypatch.setattr(cs, "relu_interpolant", missing_unit)
    assert c10_verdicts()[RATES] in ("partly", "not reproduced")


def test_sabotage_staircase_steepness_that_does_not_grow_with_K(monkeypatch):
    """The staircase's units keep the steepness of K = 256 at every wider width: the steps
    blur into each other and the error stops falling like 1/K."""
    whole = cs.staircase

    def blunt(K, fn, activation="sigmoid", lo=-1.0, hi=1.0):
        (W1, b1), out = whole(K, fn, activation, lo, hi)
        s = min(1.0, 256 / K)
        return [(W1 * s, b1 * s), out]

    monkeypatch.setattr(cs, "staircase", blunt)
    assert c10_verdicts()[RATES] in ("partly", "not reproduced")


def test_sabotage_tent_map_net_with_one_unit_missing(monkeypatch):
    """The deep net's first layer loses its second unit relu(x - 1/2): it no longer computes m^L."""
    whole = ds.tent_map_net

    def missing_unit(L):
        (W1, b1), (W2, b2), *rest = whole(L)
        return [(W1[:1], b1[:1]), (W2[:, :1], b2), *rest]

    monkeypatch.setattr(ds, "tent_map_net", missing_unit)
    assert c11_verdict() == "not reproduced"


def test_sabotage_l1_measured_on_an_aliased_grid(monkeypatch):
    """The L1 error measured only at the midpoints of the 2^L pieces, where m^L = 1/2: a flat
    net looks exact, the shallow units needed stop growing and fall below the lower bound."""
    monkeypatch.setattr(ds, "eval_x", lambda L: ds.midpoints(2**L))
    assert c11_verdict() == "not reproduced"
