"""The training engine: the fixed-order step against a pure-Python evaluation (bit for
bit), against the BLAS path, members against nets trained alone (exactly), the tree order."""

import numpy as np
import pandas as pd
import pytest

import mlp.ordered
from mlp.data import Split
from mlp.engine import BatchedSGD, SlabSGD, engine_for
from mlp.losses import pairs
from mlp.network import Net, init, objective
from mlp.ordered import tree_sum
from mlp.seeding import rngs
from mlp.train import gradient, train


def py_tree(terms):
    """mlp.ordered.tree_sum's order on a list of Python floats."""
    terms = list(terms)
    while len(terms) > 1:
        n, h = len(terms), len(terms) // 2
        pairs = [terms[i] + terms[i + h] for i in range(h)]
        if n % 2:
            pairs[-1] = pairs[-1] + terms[2 * h]
        terms = pairs
    return terms[0]


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 7, 8, 13, 64])
def test_tree_sum_follows_its_documented_order(n):
    a = np.random.default_rng(n).normal(size=(n, 3)) * 10.0 ** np.arange(n)[:, None] % 7  # order-sensitive
    expected = [py_tree(a[:, j].tolist()) for j in range(3)]
    assert tree_sum(a.copy(), 0).tolist() == expected
    out = np.empty(3)
    assert tree_sum(a.copy(), 0, out=out) is out and out.tolist() == expected


def py_gradient(params, X, Y, l2):
    """lambda Omega + mean squared loss of a relu net with linear output, and its gradient,
    in pure Python floats (no NumPy arithmetic), sums in tree order."""
    B = len(X)
    hs, zs = [X], []
    for l, (W, b) in enumerate(params):
        z = [[py_tree(W[j][k] * h[k] for k in range(len(h))) + b[j] for j in range(len(W))] for h in hs[-1]]
        zs.append(z)
        hs.append(z if l == len(params) - 1 else [[max(v, 0.0) for v in row] for row in z])
    grad_z = [[(f - y) / B for f, y in zip(fr, yr)] for fr, yr in zip(hs[-1], Y)]
    grads = [None] * len(params)
    for l in range(len(params) - 1, -1, -1):
        W, _ = params[l]
        h = hs[l]
        gW = [
            [py_tree(grad_z[i][j] * h[i][k] for i in range(B)) + l2 * W[j][k] for k in range(len(W[0]))]
            for j in range(len(W))
        ]
        gb = [py_tree(grad_z[i][j] for i in range(B)) for j in range(len(W))]
        grads[l] = (gW, gb)
        if l:
            grad_h = [
                [py_tree(W[j][k] * grad_z[i][j] for j in range(len(W))) for k in range(len(W[0]))] for i in range(B)
            ]
            grad_z = [[g * (1.0 if z > 0 else 0.0) for g, z in zip(gr, zr)] for gr, zr in zip(grad_h, zs[l - 1])]
    return hs[-1], grads


def test_fixed_order_step_equals_pure_python_bit_for_bit():
    net = Net((3, 5, 4, 2), hidden="relu", output="linear", loss="squared")
    params = init(net, "he", rngs([1, 2], "init"))
    params = [(W, b + 0.1) for W, b in params]
    r = np.random.default_rng(0)
    X, Y = r.normal(size=(2, 6, 3)), r.normal(size=(2, 6, 2))
    engine = engine_for(net, params, 0.1, 0.01)
    assert isinstance(engine, SlabSGD)
    _, f = engine.predict(engine.inputs(X))
    engine.gradient(engine.inputs(X), engine.targets(Y))
    for m in range(2):
        member = [(W[m].tolist(), b[m].tolist()) for W, b in params]
        f_py, grads_py = py_gradient(member, X[m].tolist(), Y[m].tolist(), 0.01)
        assert f[m].tolist() == f_py
        for (gW, gb), (gW_py, gb_py) in zip(engine.grads(), grads_py):
            assert gW[m].tolist() == gW_py and gb[m].tolist() == gb_py
    # mlp.network's forward/backward use the same order: objective's gradient is the same bits
    _, _, grads = objective(net, params, X, Y, l2=0.01)
    for (gW, gb), (oW, ob) in zip(engine.grads(), grads):
        np.testing.assert_array_equal(gW, oW)
        np.testing.assert_array_equal(gb, ob)


CASES = [  # (sizes, hidden, output, loss)
    ((2, 4, 2, 1), "tanh", "tanh", "squared"),
    ((2, 3, 1), "relu", "linear", "squared"),
    ((2, 2, 1), "sigmoid", "sigmoid", "binary_cross_entropy"),
    ((3, 4, 3), "tanh", "softmax", "cross_entropy"),
    ((2, 3, 3), "softmax", "linear", "squared"),  # a simplex map as hidden activation
]


def problem(sizes, loss, seeds, N=13):
    r = np.random.default_rng(7)
    X = r.normal(size=(len(seeds), N, sizes[0]))
    C = sizes[-1]
    if loss == "squared":
        Y = np.tanh(r.normal(size=(len(seeds), N, C)))
    elif loss == "binary_cross_entropy":
        Y = r.integers(0, 2, (len(seeds), N, 1)).astype(float)
    else:
        Y = np.eye(C)[r.integers(0, C, (len(seeds), N))]
    return Split(X, Y, X[0, :5], Y[0, :5])


def run(case, seeds, epochs=12, **kw):
    sizes, hidden, output, loss = case
    net = Net(sizes, hidden=hidden, output=output, loss=loss)
    params = init(net, "glorot", rngs(seeds, "init"))
    data = problem(sizes, loss, seeds)
    return train(net, params, data, lr=0.2, batch_size=5, epochs=epochs, shuffle_rngs=rngs(seeds, "shuffle"), **kw)


@pytest.mark.parametrize("case", CASES)
def test_a_member_is_exactly_the_net_trained_alone(case):
    """N = 13, B = 5: reshuffled per member, leftover points carried over, L2 on."""
    seeds = [3, 4, 5]
    data = problem(case[0], case[3], seeds)
    together = run(case, seeds, l2=0.01)
    for m, seed in enumerate(seeds):
        net = Net(case[0], hidden=case[1], output=case[2], loss=case[3])
        alone_data = Split(data.X_train[m : m + 1], data.Y_train[m : m + 1], data.X_test, data.Y_test)
        params = init(net, "glorot", rngs([seed], "init"))
        alone = train(
            net, params, alone_data, lr=0.2, batch_size=5, epochs=12, shuffle_rngs=rngs([seed], "shuffle"), l2=0.01
        )
        for (W, b), (W1, b1) in zip(together.params, alone.params):
            np.testing.assert_array_equal(W[m], W1[0])
            np.testing.assert_array_equal(b[m], b1[0])
        h, h1 = pd.DataFrame(together.history), pd.DataFrame(alone.history)
        np.testing.assert_array_equal(h[h.member == m].test_loss.to_numpy(), h1.test_loss.to_numpy())


@pytest.mark.parametrize("case", CASES)
def test_fixed_order_path_equals_the_blas_path(case, monkeypatch):
    seeds = [3, 4]
    fixed = run(case, seeds, l2=0.01)
    monkeypatch.setattr(mlp.ordered, "FIXED_MAX_WEIGHTS", 0)  # every layer "wide": BatchedSGD and BLAS products
    net = Net(case[0], hidden=case[1], output=case[2], loss=case[3])
    assert isinstance(engine_for(net, init(net, "glorot", rngs(seeds, "init")), 0.1, 0.0), BatchedSGD)
    blas = run(case, seeds, l2=0.01)
    for (W, b), (Wb, bb) in zip(fixed.params, blas.params):
        np.testing.assert_allclose(W, Wb, rtol=0, atol=1e-12)
        np.testing.assert_allclose(b, bb, rtol=0, atol=1e-12)
    np.testing.assert_allclose(fixed.history["train_loss"], blas.history["train_loss"], rtol=0, atol=1e-12)


@pytest.mark.parametrize("case", CASES)
def test_gradient_is_objectives_gradient(case):
    sizes, hidden, output, loss = case
    net = Net(sizes, hidden=hidden, output=output, loss=loss)
    params = init(net, "glorot", rngs([1, 2], "init"))
    data = problem(sizes, loss, [1, 2])
    _, _, expected = objective(net, params, data.X_train, data.Y_train, l2=0.03)
    for (gW, gb), (eW, eb) in zip(gradient(net, params, data.X_train, data.Y_train, l2=0.03), expected):
        np.testing.assert_allclose(gW, eW, rtol=0, atol=1e-14)
        np.testing.assert_allclose(gb, eb, rtol=0, atol=1e-14)


def test_float32_stays_float32_in_both_engines(monkeypatch):
    net = Net((2, 3, 1), hidden="tanh")
    data = problem((2, 3, 1), "squared", [0])
    for limit in (mlp.ordered.FIXED_MAX_WEIGHTS, 0):
        monkeypatch.setattr(mlp.ordered, "FIXED_MAX_WEIGHTS", limit)
        params = init(net, "glorot", rngs([0], "init"), dtype=np.float32)
        result = train(net, params, data, lr=0.1, batch_size=5, epochs=3)
        assert {a.dtype for layer in result.params for a in layer} == {np.dtype(np.float32)}
        assert result.history["train_loss"].dtype == np.float32


def test_the_layout_follows_the_layer_sizes_not_the_ensemble_size():
    small, wide = Net((2, 32, 32, 1)), Net((2, 33, 32, 1))
    for M in (1, 1000):
        assert isinstance(engine_for(small, init(small, "glorot", rngs(range(M), "i")), 0.1, 0.0), SlabSGD)
        assert isinstance(engine_for(wide, init(wide, "glorot", rngs(range(M), "i")), 0.1, 0.0), BatchedSGD)


def test_sigmoid_through_tanh_is_within_its_documented_error_of_expit():
    from scipy.special import expit

    from mlp.activations import ACTIVATIONS

    z = np.linspace(-50, 50, 200001)
    np.testing.assert_allclose(ACTIVATIONS["sigmoid"].g(z), expit(z), rtol=0, atol=2.3e-16)


def test_softmax_without_np_exp_is_within_a_few_ulp_of_scipys():
    from scipy.special import softmax as scipy_softmax

    from mlp.activations import ACTIVATIONS

    z = np.random.default_rng(0).normal(size=(2000, 5)) * 10  # logsumexp up to about 40
    p = ACTIVATIONS["softmax"].g(z)
    ref = scipy_softmax(z, axis=-1)
    normal = ref > 1e-300  # relative error is meaningless for subnormal probabilities
    eps = np.finfo(float).eps
    assert np.max(np.abs(p - ref)[normal] / ref[normal]) < 64 * eps  # about (3 + |logsumexp z|) ulp
    np.testing.assert_allclose(p.sum(-1), 1.0, rtol=0, atol=64 * eps)


@pytest.mark.parametrize("output,loss", pairs())
@pytest.mark.parametrize("hidden", ["tanh", "sigmoid", "relu"])
def test_gradient_is_objectives_gradient_for_every_output_map_and_loss(hidden, output, loss):
    """Every (output map, loss) pair the core accepts, read from the registries (the engine's
    output gradient once read sigma from a buffer it had just overwritten, for sigmoid with the
    squared loss only)."""
    C = 1 if loss == "binary_cross_entropy" else 3
    net = Net((2, 4, C), hidden=hidden, output=output, loss=loss)
    params = init(net, "glorot", rngs([1, 2], "init"))
    r = np.random.default_rng(5)
    X = r.normal(size=(9, 2))
    Y = np.eye(C)[r.integers(0, C, 9)] if C > 1 else r.integers(0, 2, (9, 1)).astype(float)
    _, _, expected = objective(net, params, X, Y, l2=0.01)
    for (gW, gb), (eW, eb) in zip(gradient(net, params, X, Y, l2=0.01), expected):
        np.testing.assert_allclose(gW, eW, rtol=0, atol=1e-14)
        np.testing.assert_allclose(gb, eb, rtol=0, atol=1e-14)
