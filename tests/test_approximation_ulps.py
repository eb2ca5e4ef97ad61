"""Cross-CPU stability of the approximation family's integers and verdicts: matmul, lstsq and
np.exp/np.power differ in their last bits between machines, so every decision must survive
inputs moved by a few ulps (x * (1 + k 2^-52)). Same small runs as the sabotage tests."""

import numpy as np
import pandas as pd
import pytest
from test_approximation_sabotage import C10, C11

from experiments.approximation import depth as ds
from experiments.approximation import trained as tr
from experiments.approximation.errors import width_tables
from experiments.approximation.rates import slopes
from experiments.approximation.verdicts import c10_rows, c11_rows, cell_checks
from mlp.data import TARGETS_1D

ULP = 2.0**-52


def c10_decisions(p=C10) -> dict:
    """Every integer and decision of a small C10 run: verdicts, per-cell checks, the method that
    gives each width's approximation error, stationary counts, slope judgements."""
    cells = pd.concat([tr.width_cell(a, {**p, "activation": a}) for a in p["activations"]], ignore_index=True)
    errs, best = width_tables(cells, p)
    sl = slopes(errs, p["fit_last"], p["slope_tol"])
    return {
        "verdicts": c10_rows(errs, best, sl, p)["verdict"].tolist(),
        "cells": cell_checks(best, p)["ok"].tolist(),
        "best_method": best["method"].tolist(),
        "n_converged": errs["n_converged"].fillna(-1).astype(int).tolist(),
        "near_theory": sl["near_theory"].tolist(),
        "sup": errs["sup"].to_numpy(),
    }


def c11_decisions(p=C11) -> dict:
    deep, con = ds.deep_rows(p["depths"]), ds.constructed_rows(p["depths"], p["l1_target"])
    trained = ds.shallow_cell(p["L"], p)
    need = ds.needed(deep, con, trained)
    return {
        "verdict": c11_rows(deep, con, trained, need, p)["verdict"].iloc[0],
        "constructed": con["K"].tolist(),
        "pieces": con["pieces"].tolist() + deep["pieces"].tolist(),
        "trained": trained[["K", "pieces", "reached"]].to_numpy().tolist(),
    }


@pytest.fixture(scope="module")
def c10_reference():
    return c10_decisions()


@pytest.mark.parametrize("k", [1, -3])
def test_c10_decisions_survive_targets_moved_by_a_few_ulps(k, monkeypatch, c10_reference):
    for name in C10["targets"]:
        f = TARGETS_1D[name]
        monkeypatch.setitem(TARGETS_1D, name, lambda x, f=f: f(x) * (1 + k * ULP))
    moved = c10_decisions()
    for key in ("verdicts", "cells", "best_method", "n_converged", "near_theory"):
        assert moved[key] == c10_reference[key], key
    np.testing.assert_allclose(moved["sup"], c10_reference["sup"], rtol=1e-6)


@pytest.mark.parametrize("k", [1, -3])
def test_c10_decisions_survive_starting_nets_moved_by_a_few_ulps(k, monkeypatch, c10_reference):
    whole = tr.spread_features

    def moved(*args):
        W1, b1 = whole(*args)
        return W1 * (1 + k * ULP), b1

    monkeypatch.setattr(tr, "spread_features", moved)
    got = c10_decisions()
    for key in ("verdicts", "cells", "best_method", "n_converged", "near_theory"):
        assert got[key] == c10_reference[key], key


@pytest.mark.parametrize("k", [1, -3])
def test_c11_integers_survive_nets_moved_by_a_few_ulps(k, monkeypatch):
    reference = c11_decisions()
    whole_interp, whole_start = ds.relu_interpolant, ds.spread_features

    def interp(nodes, values):
        (W1, b1), (W2, b2) = whole_interp(nodes, values)
        return [(W1, b1 * (1 + k * ULP)), (W2 * (1 - k * ULP), b2)]

    def start(*args):
        W1, b1 = whole_start(*args)
        return W1 * (1 + k * ULP), b1

    monkeypatch.setattr(ds, "relu_interpolant", interp)
    monkeypatch.setattr(ds, "spread_features", start)
    assert c11_decisions() == reference
