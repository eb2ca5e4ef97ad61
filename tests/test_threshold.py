"""Threshold units by LP (claims C02 and C04): certificates, counts, best accuracy, parity order."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlp.boolean import NAMED_2, function_outputs, truth_table_inputs
from mlp.threshold import (
    best_linear_accuracy,
    count_threshold_functions,
    monomial_features,
    npn_canonical,
    order_k_separable,
    parity_labels,
    separate,
)

pytestmark = pytest.mark.filterwarnings("error")

NOT_SEPARABLE_2 = {NAMED_2["XOR"], NAMED_2["XNOR"]}


def assert_valid_certificate(X, y, cert):
    """Check a Separation against the data, independently of how it was found."""
    X, y = np.asarray(X, float), np.asarray(y, float)
    if cert.separable:
        assert cert.witness is None
        assert np.all(y * (X @ cert.w + cert.b) >= 1 - 1e-6)
    else:
        assert cert.w is None and cert.b is None
        lam = cert.witness  # sum_i lam_i y_i [x_i, 1] = 0: the class hulls meet
        assert lam.shape == y.shape and lam.min() >= -1e-9
        assert lam.sum() == pytest.approx(1.0)
        np.testing.assert_allclose((lam * y) @ X, 0.0, atol=1e-7)
        assert abs(lam @ y) <= 1e-7


def best_by_subsets(X, y):
    """Oracle for best_linear_accuracy: the largest subset that `separate` accepts."""
    N = len(y)
    for size in range(N, 0, -1):
        for S in itertools.combinations(range(N), size):
            if separate(X[list(S)], y[list(S)]).separable:
                return size
    raise AssertionError("a single point is always separable")


# --- the 16 functions of 2 inputs (C02) ---


@pytest.mark.parametrize("index", range(16))
def test_two_input_certificates(index):
    X, y = truth_table_inputs(2), function_outputs(index, 2)
    cert = separate(X, y)
    assert cert.separable == (index not in NOT_SEPARABLE_2)
    assert_valid_certificate(X, y, cert)


def test_named_two_input_functions():
    X = truth_table_inputs(2)
    for name in ["AND", "OR", "NAND", "NOR", "TRUE", "FALSE"]:
        assert separate(X, function_outputs(NAMED_2[name], 2)).separable, name
    for name in ["XOR", "XNOR"]:
        assert not separate(X, function_outputs(NAMED_2[name], 2)).separable, name


def test_xor_witness_is_the_centre():
    # XOR: sum_i y_i x_i = -(-1,-1) + (-1,1) + (1,-1) - (1,1) = 0 and sum_i y_i = 0, so
    # lambda = 1/4 each is a witness; any witness puts mass 1/2 on each class
    X, y = truth_table_inputs(2), function_outputs(NAMED_2["XOR"], 2)
    lam = separate(X, y).witness
    assert lam[y > 0].sum() == pytest.approx(0.5)


def test_exactly_14_of_16_separable():
    X = truth_table_inputs(2)
    assert sum(separate(X, function_outputs(k, 2)).separable for k in range(16)) == 14


# --- counting threshold functions ---


# OEIS A000609, number of threshold functions of n or fewer variables: 2, 4, 14, 104, 1882, ...
@pytest.mark.parametrize(("n", "expected"), [(1, 4), (2, 14), (3, 104), (4, 1882)])
def test_count_matches_oeis_a000609(n, expected):
    result = count_threshold_functions(n)
    assert result.count == expected
    assert result.n_functions == 2 ** (2**n)


def test_npn_class_counts():
    # n = 2: classes {FALSE, TRUE} (2), the 4 literals, the 8 AND-like (AND/OR/NAND/NOR and
    # with one input negated), {XOR, XNOR}: 4 classes, 3 of them threshold, 2 + 4 + 8 = 14.
    two = count_threshold_functions(2)
    assert (two.n_classes, two.n_separable_classes) == (4, 3)
    # n = 4: 222 NPN classes (OEIS A000370: 2, 4, 14, 222, 616126 for n = 1..5)
    assert len(np.unique(npn_canonical(4))) == 222


def test_npn_classes_of_two_inputs_by_hand():
    canon = npn_canonical(2)
    assert canon[NAMED_2["XOR"]] == canon[NAMED_2["XNOR"]]
    assert len({canon[NAMED_2[f]] for f in ["AND", "OR", "NAND", "NOR"]}) == 1
    assert canon[NAMED_2["AND"]] != canon[NAMED_2["XOR"]]


def test_symmetry_reduced_count_matches_brute_force_lp():
    X = truth_table_inputs(3)
    brute = sum(separate(X, function_outputs(k, 3)).separable for k in range(256))
    assert count_threshold_functions(3).count == brute


def test_lp_matches_integer_weight_enumeration():
    # Second oracle without LP: every sign pattern of w.x + b, w in {-3..3}^3, b in {-3..3}, with
    # no zero; for n = 3 weights of size <= 2 already realise every threshold function.
    X = truth_table_inputs(3)  # (8, 3)
    grid = np.array(list(itertools.product(range(-3, 4), repeat=4)), dtype=float)  # (7^4, 4)
    z = grid[:, :3] @ X.T + grid[:, 3:]  # (7^4, 8)
    patterns = (z[np.all(z != 0, axis=1)] > 0).astype(int)
    by_weights = set((patterns << np.arange(8)).sum(axis=1).tolist())
    by_lp = {k for k in range(256) if separate(X, function_outputs(k, 3)).separable}
    assert by_weights == by_lp


# --- best linear accuracy ---


@pytest.mark.parametrize("index", range(16))
def test_best_accuracy_two_inputs(index):
    # Separable: all 4. XOR/XNOR: not 4, and any 3 corners of the square are affinely
    # independent, so every labelling of them is separable: 3.
    X, y = truth_table_inputs(2), function_outputs(index, 2)
    result = best_linear_accuracy(X, y)
    assert result.n_correct == (3 if index in NOT_SEPARABLE_2 else 4)
    assert np.sum(y * (X @ result.w + result.b) > 0) == result.n_correct


def test_best_accuracy_xor_and():
    X = truth_table_inputs(2)
    assert best_linear_accuracy(X, function_outputs(NAMED_2["XOR"], 2)).n_correct == 3
    assert best_linear_accuracy(X, function_outputs(NAMED_2["AND"], 2)).n_correct == 4


# parity, its complement, majority, true on rows {3, 4}, all-equal, its complement
@pytest.mark.parametrize("index", [0b10010110, 0b01101001, 0b11101000, 0b00011000, 0b10000001, 0b01111110])
def test_best_accuracy_matches_subset_enumeration(index):
    X, y = truth_table_inputs(3), function_outputs(index, 3)
    result = best_linear_accuracy(X, y)
    assert result.n_correct == best_by_subsets(X, y)
    assert np.sum(y * (X @ result.w + result.b) > 0) == result.n_correct


# --- locality: parity needs order n (C04) ---


@pytest.mark.parametrize(("n", "k"), [(n, k) for n in range(2, 5) for k in range(1, n + 1)])
def test_parity_needs_order_n(n, k):
    cert = order_k_separable(n, k)
    assert cert.separable == (k == n)
    assert_valid_certificate(monomial_features(truth_table_inputs(n), k), parity_labels(n), cert)


def test_parity_labels_by_hand():
    # rows (-1,-1), (-1,1), (1,-1), (1,1): odd number of +1 only in the middle two = XOR
    np.testing.assert_array_equal(parity_labels(2), function_outputs(NAMED_2["XOR"], 2))


def test_monomial_features_shape_and_orthogonality():
    X = truth_table_inputs(4)
    assert monomial_features(X, 2).shape == (16, 4 + 6)
    full = monomial_features(X, 4)  # (16, 15): all nonempty subsets, C(4,1)+...+C(4,4)
    # distinct monomials in +-1 variables are orthogonal over the cube (Walsh functions)
    np.testing.assert_array_equal(full.T @ full, 16 * np.eye(15))
    np.testing.assert_array_equal(monomial_features(X, 1), X)


# --- cross-CPU: LP decisions do not sit on float noise ---

# inputs moved by a few ulps: x (1 + k 2^-52), and the next float toward +inf
PERTURBATIONS = {
    "1 ulp up": lambda X: X * (1 + 2.0**-52),
    "2 ulps down": lambda X: X * (1 - 2 * 2.0**-52),
    "3 ulps up": lambda X: X * (1 + 3 * 2.0**-52),
    "nextafter": lambda X: np.nextafter(X, np.inf),
}


@pytest.mark.parametrize("perturb", PERTURBATIONS.values(), ids=PERTURBATIONS.keys())
def test_lp_decisions_stable_under_ulp_perturbation(perturb):
    for n in (2, 3):
        X = truth_table_inputs(n)
        for index in range(2 ** (2**n)):
            y = function_outputs(index, n)
            assert separate(perturb(X), y).separable == separate(X, y).separable, (n, index)


@pytest.mark.parametrize("perturb", PERTURBATIONS.values(), ids=PERTURBATIONS.keys())
def test_counts_and_parity_order_stable_under_ulp_perturbation(perturb, monkeypatch):
    import mlp.threshold

    monkeypatch.setattr(mlp.threshold, "truth_table_inputs", lambda n: perturb(truth_table_inputs(n)))
    assert [count_threshold_functions(n).count for n in (1, 2, 3)] == [4, 14, 104]  # OEIS A000609
    for n in (2, 3, 4):
        assert [order_k_separable(n, k).separable for k in range(1, n + 1)] == [False] * (n - 1) + [True]


def test_count_of_four_inputs_stable_under_ulp_perturbation(monkeypatch):
    import mlp.threshold

    monkeypatch.setattr(mlp.threshold, "truth_table_inputs", lambda n: np.nextafter(truth_table_inputs(n), -np.inf))
    assert count_threshold_functions(4).count == 1882  # OEIS A000609


# --- properties ---

points = st.integers(1, 3).flatmap(
    lambda n: st.integers(1, 12).flatmap(
        lambda N: st.tuples(
            st.lists(st.lists(st.integers(-3, 3), min_size=n, max_size=n), min_size=N, max_size=N),
            st.lists(st.sampled_from([-1.0, 1.0]), min_size=N, max_size=N),
        )
    )
)


@settings(max_examples=60, deadline=None, database=None)
@given(points)
def test_certificate_always_valid(data):
    X, y = np.array(data[0], float), np.array(data[1])
    assert_valid_certificate(X, y, separate(X, y))


@settings(max_examples=60, deadline=None, database=None)
@given(
    st.integers(1, 3).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(-3, 3), min_size=n, max_size=n),
            st.integers(-4, 4),
            st.lists(st.lists(st.integers(-3, 3), min_size=n, max_size=n), min_size=1, max_size=15),
        )
    )
)
def test_hyperplane_data_always_separable(data):
    # integer w, x and b + 1/2 give |w.x + b + 1/2| >= 1/2: a margin
    w, b, X = np.array(data[0], float), data[1] + 0.5, np.array(data[2], float)
    y = np.sign(X @ w + b)
    cert = separate(X, y)
    assert cert.separable
    assert_valid_certificate(X, y, cert)


# --- bad input ---


@pytest.mark.parametrize(
    ("call", "needle"),
    [
        (lambda: separate(truth_table_inputs(2), [1, 0, -1, 1]), "got [0.]"),
        (lambda: separate(truth_table_inputs(2), [1, 2, -1, 1]), "got [2.]"),
        (lambda: separate(truth_table_inputs(2), [1, -1, 1]), "got shape (3,)"),
        (lambda: separate(np.ones(4), np.ones(4)), "got shape (4,)"),
        (lambda: separate([[np.nan, 1.0]], [1]), "got [nan]"),
        (lambda: count_threshold_functions(0), "got 0"),
        (lambda: count_threshold_functions(5), "got 5"),
        (lambda: count_threshold_functions(2.0), "got 2.0"),
        (lambda: best_linear_accuracy([[0.5, 1.0]], [1]), "got [0.5]"),
        (lambda: monomial_features(truth_table_inputs(3), 0), "got 0"),
        (lambda: monomial_features(truth_table_inputs(3), 4), "got 4"),
    ],
)
def test_bad_input_names_the_value(call, needle):
    with pytest.raises(ValueError) as info:
        call()
    assert needle in str(info.value)
