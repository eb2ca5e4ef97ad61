"""The activations family's integers do not move when their inputs move by a few ulps (as they
do between CPUs: BLAS kernels, AVX-512 exp/log), so the same commit gives the same counts and
verdicts on another machine."""

import numpy as np
import pytest

from experiments.activations import maps, sparsity
from mlp.network import Net, init
from mlp.seeding import rng, rngs

pytestmark = pytest.mark.filterwarnings("error")

ULPS = (-4, -1, 1, 4)


def nudged(x: np.ndarray, k: int) -> np.ndarray:
    """x moved by about k ulps, relatively: x * (1 + k 2^-52)."""
    return x * (1 + k * 2.0**-52)


@pytest.mark.parametrize("k", ULPS)
def test_exact_zero_counts_of_relu_units_do_not_move(k):
    net = Net((10, 64, 64, 1), hidden="relu")
    X = rng(0, "test", "x").standard_normal((200, 10))
    for bias in (0.0, 0.1):
        params = [(W, b + bias) for W, b in init(net, "he", rngs(range(6), "test"))]
        zero, dead = sparsity.zero_fractions(net, params, X)
        moved = [(nudged(W, k), nudged(b, k)) for W, b in params]
        assert np.array_equal(sparsity.zero_fractions(net, moved, nudged(X, k))[0], zero)
        assert np.array_equal(sparsity.zero_fractions(net, moved, X)[1], dead)


@pytest.mark.parametrize("k", ULPS)
@pytest.mark.parametrize("scale", [0.1, 1.0, 1000.0])
def test_simplex_map_counts_and_decisions_do_not_move(k, scale):
    z = scale * rng(0, "test", "z").standard_normal((500, 10))
    integers = ["samples_with_zero", "min_entry_ge_0", "all_finite", "zeros_are_underflow"]
    integers += ["positive_where_representable", "entries_in_gray_zone"]
    for name in ("softmax", "sparsemax"):
        a, b = maps.map_row(name, z, scale), maps.map_row(name, nudged(z, k), scale)
        assert {c: a[c] for c in integers} == pytest.approx({c: b[c] for c in integers}, nan_ok=True)
        if name == "sparsemax":
            assert a["fraction_zero"] == b["fraction_zero"]  # exact zeros of the projection
            assert b["max_abs_diff_bisection"] <= b["tolerance"]
