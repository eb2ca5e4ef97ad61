"""Every evidence row of C12 can fail: each named defect, injected into the row's own
computation at a small size, flips the row's verdict away from `reproduced`; the undamaged
computation at the same size is `reproduced`."""

import numpy as np
import pytest

from experiments.regions import construction, validation
from experiments.regions.construction import construction_table
from experiments.regions.validation import validation_table
from experiments.regions.verdicts import construction_row, counter_row
from mlp.bounds import zaslavsky
from mlp.constructions import montufar_net
from mlp.regions import count_regions

GRID = [{"D": 1, "K": [3, 4], "L": [1, 2, 3]}, {"D": 2, "K": [4], "L": [1, 2]}]
CHECKS = {
    "zaslavsky_K": [1, 3, 5],
    "n_seeds": 1,
    "grid_points": 60,
    "grid_constructions": [[4, 2]],
    "grid_random_depths": [1, 2],
    "grid_random_neurons": 6,
    "bias_std": 0.5,
    "tent_L": [1, 3],
}


def construction_verdict() -> str:
    return construction_row(construction_table(GRID, 10**4))["verdict"]


def counter_verdict() -> str:
    return counter_row(validation_table(CHECKS))["verdict"]


def counter_dropping_a_hyperplane(params, box):
    """The counter with the first unit's hyperplane ignored (its unit never switches on)."""
    (W, b), *rest = params
    W, b = np.array(W, dtype=float), np.array(b, dtype=float)
    W[0], b[0] = 0.0, -1.0
    return count_regions([(W, b), *rest], box)


def net_missing_a_unit(D, K, L):
    """The folding net with the last hidden layer's last unit removed."""
    params, box = montufar_net(D, K, L)
    (W_L, b_L), (W_out, b_out) = params[-2], params[-1]
    return [*params[:-2], (W_L[:-1], b_L[:-1]), (W_out[:, :-1], b_out)], box


def test_undamaged_rows_are_reproduced():
    assert construction_verdict() == "reproduced"
    assert counter_verdict() == "reproduced"


def test_sabotage_counter_drops_a_hyperplane_in_the_validation(monkeypatch):
    monkeypatch.setattr(validation, "count_regions", counter_dropping_a_hyperplane)
    assert counter_verdict() == "not reproduced"


def test_sabotage_counter_drops_a_hyperplane_in_the_construction(monkeypatch):
    monkeypatch.setattr(construction, "count_regions", counter_dropping_a_hyperplane)
    assert construction_verdict() == "not reproduced"


def test_sabotage_construction_with_one_unit_missing(monkeypatch):
    monkeypatch.setattr(construction, "montufar_net", net_missing_a_unit)
    assert construction_verdict() == "not reproduced"


def test_sabotage_construction_with_the_wrong_widths(monkeypatch):
    monkeypatch.setattr(construction, "montufar_net", lambda D, K, L: montufar_net(D, K - 1, L))
    assert construction_verdict() == "not reproduced"


def test_sabotage_lower_bound_off_by_one(monkeypatch):
    def off_by_one(D, widths):  # (floor(K/D) + 1)^D per folding layer, Serra et al.'s Thm 6 form
        return int(np.prod([(K // D + 1) ** D for K in widths[:-1]])) * zaslavsky(D, widths[-1])

    monkeypatch.setattr(construction, "montufar_lower_bound", off_by_one)
    assert construction_verdict() == "partly"  # one-layer cells have no folding factor and still agree


@pytest.mark.parametrize("D", [1, 2])
def test_the_counter_that_drops_a_hyperplane_undercounts(D):
    # the defect itself, so the sabotage above cannot pass for another reason: one line fewer
    params, box = montufar_net(D, 4, 1)
    assert counter_dropping_a_hyperplane(params, box).n_linear < count_regions(params, box).n_linear
