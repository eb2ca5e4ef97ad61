"""Integer results and verdicts of the universality family do not depend on the CPU.

Another CPU gives other last bits for BLAS and LAPACK products (the least-squares readouts) and,
with or without AVX-512, for some NumPy ufuncs. The units-needed integers compare a sup error
with eps, so: they do not move when every input (hidden weights, fit points, grid) moves by a
few ulps, nor when the fit points are summed in another order (as another BLAS kernel would);
the decisions of the default configuration clear eps by a margin far above rounding; and the
quick steps give the same integers and verdicts with AVX-512 disabled.
"""

import numpy as np
import pandas as pd
import pytest
from lowered import needs_avx512, same_tables_without_avx512

from experiments.config import ROOT, load_config
from experiments.universality import dimension, widths
from experiments.universality.dimension import cell_curves, needed
from experiments.universality.verdicts import width_rows

DEFAULT = load_config(ROOT / "config.yaml")["universality"]
QUICK = load_config(ROOT / "config.yaml", load_config(ROOT / "config.quick.yaml"))["universality"]
CHEAP_DIMS = [1, 2, 3]  # the default cells that take a second or two (D = 4 takes about ten)


def move(a: np.ndarray, how: str, seed: int = 0) -> np.ndarray:
    """`a` moved by ulps: to the next float up or down, or scaled by 1 + k 2^-52, k in [-16, 16]."""
    if how == "up":
        return np.nextafter(a, np.inf)
    if how == "down":
        return np.nextafter(a, -np.inf)
    return a * (1 + np.random.default_rng(seed).integers(-16, 17, a.shape) * 2.0**-52)


def default_units(D: int) -> pd.DataFrame:
    p = {**DEFAULT["dimension"], "D": D}
    return needed(cell_curves(p), p["eps"])[["D", "target", "method", "seed", "units_needed", "reached"]]


@pytest.fixture(scope="module")
def undisturbed() -> dict[int, pd.DataFrame]:
    return {D: default_units(D) for D in CHEAP_DIMS}


@pytest.mark.timeout(300)
@pytest.mark.parametrize("how", ["up", "down", "scaled"])
def test_default_units_needed_survive_ulp_perturbations(monkeypatch, undisturbed, how):
    """Every hidden weight, bias, fit point and grid point moved by ulps: the same integers."""
    draw, grid = dimension.random_features, dimension.cube_grid
    monkeypatch.setattr(dimension, "random_features", lambda D, s, p: tuple(move(a, how, s) for a in draw(D, s, p)))
    monkeypatch.setattr(dimension, "cube_grid", lambda D, m: move(grid(D, m), how))
    for D in CHEAP_DIMS:
        pd.testing.assert_frame_equal(default_units(D), undisturbed[D])


def test_default_units_needed_do_not_depend_on_the_summation_order(monkeypatch, undisturbed):
    """The fit points in reverse order: every Gram entry is summed in another order."""
    draw = dimension.random_features
    monkeypatch.setattr(dimension, "random_features", lambda D, s, p: (*draw(D, s, p)[:2], draw(D, s, p)[2][::-1]))
    for D in CHEAP_DIMS:
        pd.testing.assert_frame_equal(default_units(D), undisturbed[D])


def test_default_decisions_clear_eps_by_a_margin(undisturbed):
    """|sup/eps - 1| of every comparison that decided a default integer (D <= 3 here; the
    pipeline's claim row reports the smallest over all D) is far above rounding (~1e-12)."""
    p = DEFAULT["dimension"]
    margins = pd.concat([needed(cell_curves({**p, "D": D}), p["eps"]) for D in CHEAP_DIMS])["margin"]
    assert margins.min() >= p["decision_margin"] > 1e-9


def test_width_verdicts_survive_ulp_perturbations(monkeypatch):
    p = QUICK["polynomial"]

    def verdicts():
        errors, _ = widths.width_table(p)
        return [r["verdict"] for r in width_rows(errors, widths.polynomial_table(p), p)]

    original = verdicts()
    layers = widths.hidden_layers
    monkeypatch.setattr(widths, "hidden_layers", lambda K, q: tuple(move(a, "scaled", K) for a in layers(K, q)))
    assert verdicts() == original


@pytest.mark.timeout(300)
@needs_avx512
def test_quick_steps_give_the_same_tables_without_avx512(tmp_path):
    tables = same_tables_without_avx512("universality", QUICK, tmp_path, rtol=1e-6)
    assert len(tables) >= 7
