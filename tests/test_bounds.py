"""Region-count bounds against the worked examples of the reference."""

from math import comb, prod

import pytest

from mlp.bounds import (
    activation_pattern_bound,
    montufar2017_upper_bound,
    montufar_lower_bound,
    serra_upper_bound,
    zaslavsky,
)


def test_zaslavsky_small_cases():
    # D = 2: 1 + K + C(K, 2) for K = 1..6
    assert [zaslavsky(2, K) for K in range(1, 7)] == [2, 4, 7, 11, 16, 22]
    assert zaslavsky(10, 10) == 2**10  # D >= K: every sign pattern


def test_serra_bottleneck_examples():
    # D = 3, widths (3, 3): sum_{j1} C(3, j1) sum_{j2 <= 3 - j1} C(3, j2) = 1*8 + 3*7 + 3*4 + 1*1 = 42
    assert serra_upper_bound(3, [3, 3]) == 42
    assert montufar2017_upper_bound(3, [3, 3]) == 8 * 8 == 64
    # D = 2, widths (2, 8): 1*(1 + 8 + 28) + 2*(1 + 8) + 1*1 = 56; Montufar 2017: 4 * 37 = 148
    assert serra_upper_bound(2, [2, 8]) == 56
    assert montufar2017_upper_bound(2, [2, 8]) == 148


@pytest.mark.parametrize("widths", [[3], [3, 4], [5, 2, 7], [2, 2, 2, 2]])
def test_serra_for_one_input_is_the_product_of_widths_plus_one(widths):
    # with K_l >= 2, K_l - j_l >= 1 = D, so J = {0, 1}^L
    assert serra_upper_bound(1, widths) == prod(K + 1 for K in widths)


@pytest.mark.parametrize(("D", "K"), [(1, 5), (2, 6), (3, 4), (4, 9)])
def test_serra_for_one_layer_is_zaslavsky(D, K):
    assert serra_upper_bound(D, [K]) == zaslavsky(D, K) == sum(comb(K, j) for j in range(D + 1))


def test_shallow_beats_deep_when_inputs_exceed_units():
    # D = 10: one layer of 10 units reaches 2^10; two layers of 5 are <= 638 (Serra)
    assert serra_upper_bound(10, [10]) == 1024
    assert serra_upper_bound(10, [5, 5]) == 638


def test_montufar_lower_bound_examples():
    assert [montufar_lower_bound(1, [4] * L) for L in (1, 2, 3, 4)] == [5, 20, 80, 320]  # 4^(L-1) * 5
    assert [montufar_lower_bound(2, [4] * L) for L in (1, 2, 3)] == [11, 44, 176]
    assert montufar_lower_bound(2, [6, 6, 6]) == 3**2 * 3**2 * 22


@pytest.mark.parametrize(("D", "widths"), [(1, [4, 4]), (2, [4, 4, 4]), (2, [6, 6]), (3, [6, 7, 8])])
def test_bounds_are_ordered(D, widths):
    lower, serra = montufar_lower_bound(D, widths), serra_upper_bound(D, widths)
    assert lower <= serra <= montufar2017_upper_bound(D, widths) <= activation_pattern_bound(widths)


def test_activation_pattern_bound_is_2_to_the_N():
    assert activation_pattern_bound([3, 4, 5]) == 2**12


@pytest.mark.parametrize(("D", "widths", "match"), [(0, [3], "D must"), (2, [], "widths"), (2, [3, 0], "widths")])
def test_bad_input_raises(D, widths, match):
    with pytest.raises(ValueError, match=match):
        serra_upper_bound(D, widths)
