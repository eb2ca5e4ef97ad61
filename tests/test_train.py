"""Training: M nets trained together equal each trained alone; determinism; divergence;
the batch schedule; bad arguments."""

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from mlp.activations import ACTIVATIONS, elementwise
from mlp.data import Split, playground_split, stack_splits
from mlp.network import Net, init, objective
from mlp.seeding import rng, rngs
from mlp.train import train, train_schedule

NET = Net((2, 5, 3, 1), hidden="tanh", output="tanh", loss="squared")
SEEDS = [11, 12, 13, 14]


def ensemble_run(seeds, epochs=15, batch=7):
    data = stack_splits([playground_split("circle", rng(s, "data"), noise=0.1) for s in seeds])
    params = init(NET, "playground", rngs(seeds, "init"))
    return train(NET, params, data, lr=0.05, batch_size=batch, epochs=epochs, shuffle_rngs=rngs(seeds, "shuffle"))


def test_ensemble_equals_each_member_trained_alone():
    together = ensemble_run(SEEDS)
    for m, seed in enumerate(SEEDS):
        alone = ensemble_run([seed])
        for (W, b), (W1, b1) in zip(together.params, alone.params):
            assert np.max(np.abs(W[m] - W1[0])) <= 1e-12
            assert np.max(np.abs(b[m] - b1[0])) <= 1e-12
        h, h1 = pd.DataFrame(together.history), pd.DataFrame(alone.history)
        np.testing.assert_allclose(h[h.member == m].test_loss.to_numpy(), h1.test_loss.to_numpy(), rtol=0, atol=1e-12)


def test_same_seed_same_history():
    pd.testing.assert_frame_equal(
        pd.DataFrame(ensemble_run(SEEDS[:2]).history), pd.DataFrame(ensemble_run(SEEDS[:2]).history)
    )


def assert_full_batch_epoch_is_one_gradient_step(net, X, Y):
    """B = N: an epoch of `train` is exactly theta <- theta - lr * grad of the full objective."""
    params = init(net, "glorot", rngs([0, 1, 2], "init"))
    _, _, grads = objective(net, params, X, Y, l2=0.01)
    expected = [(W - 0.1 * gW, b - 0.1 * gb) for (W, b), (gW, gb) in zip(params, grads)]
    got = train(net, params, Split(X, Y, X, Y), lr=0.1, batch_size=len(X), epochs=1, l2=0.01).params
    for (W, b), (We, be) in zip(got, expected):
        np.testing.assert_allclose(W, We, atol=1e-15)
        np.testing.assert_allclose(b, be, atol=1e-15)


@pytest.mark.parametrize("hidden", sorted(ACTIVATIONS))
@pytest.mark.parametrize(
    "output, loss", [("linear", "squared"), ("softmax", "cross_entropy"), ("sigmoid", "binary_cross_entropy")]
)
def test_full_batch_step_is_one_gradient_step(hidden, output, loss):
    """For every hidden activation: the step's in-place path (elementwise) and its vjp path
    (softmax, sparsemax as hidden maps)."""
    r = np.random.default_rng(0)
    C = 1 if loss == "binary_cross_entropy" else 2
    X, Y = r.normal(size=(20, 2)), r.normal(size=(20, C))
    if loss != "squared":
        Y = np.eye(2)[r.integers(0, 2, 20)] if C == 2 else r.integers(0, 2, (20, 1)).astype(float)
    assert_full_batch_epoch_is_one_gradient_step(Net((2, 3, 4, C), hidden=hidden, output=output, loss=loss), X, Y)


def test_a_new_elementwise_activation_trains(monkeypatch):
    """The README's recipe: softplus added with `elementwise` trains like the built-in ones."""
    softplus = elementwise(lambda z, out=None: np.logaddexp(0.0, z, out=out), lambda z, h, out=None: expit(z, out=out))
    monkeypatch.setitem(ACTIVATIONS, "softplus", softplus)
    r = np.random.default_rng(3)
    X, Y = r.normal(size=(12, 2)), r.normal(size=(12, 1))
    assert_full_batch_epoch_is_one_gradient_step(Net((2, 5, 1), hidden="softplus"), X, Y)


def test_leftover_points_join_the_next_epochs_first_batch():
    """N = 5, B = 2: epoch 1 updates on {0,1}, {2,3}; epoch 2 on {4,0,1}, {2,3}."""
    r = np.random.default_rng(1)
    X, Y = r.normal(size=(5, 2)), r.normal(size=(5, 1))
    net = Net((2, 3, 1), hidden="tanh", output="linear", loss="squared")
    params = init(net, "glorot", rngs([0], "init"))
    expected = params
    for idx in ([0, 1], [2, 3], [4, 0, 1], [2, 3]):
        _, _, grads = objective(net, expected, X[idx], Y[idx])
        expected = [(W - 0.1 * gW, b - 0.1 * gb) for (W, b), (gW, gb) in zip(expected, grads)]
    got = train(net, params, Split(X, Y, X, Y), lr=0.1, batch_size=2, epochs=2).params
    for (W, b), (We, be) in zip(got, expected):
        np.testing.assert_allclose(W, We, atol=1e-15)
        np.testing.assert_allclose(b, be, atol=1e-15)


def test_a_diverging_member_is_marked_and_the_others_go_on():
    r = np.random.default_rng(2)
    X = r.normal(size=(30, 2))
    Y = np.tanh(X[:, :1])
    net = Net((2, 4, 1), hidden="relu", output="linear", loss="squared")
    data = Split(np.stack([X, 1e3 * X]), np.stack([Y, Y]), X, Y)  # member 1: huge inputs, diverges
    params = init(net, "he", rngs([0, 1], "init"))
    result = train(net, params, data, lr=0.5, batch_size=30, epochs=50)
    assert result.diverged_at[0] == -1 and result.diverged_at[1] >= 1
    assert np.all(np.isnan(result.params[0][0][1])) and np.all(np.isfinite(result.params[0][0][0]))
    history = pd.DataFrame(result.history)
    last = history[history.epoch == 50].set_index("member")
    assert np.isnan(last.loc[1, "train_loss"]) and np.isfinite(last.loc[0, "train_loss"])
    alone = train(net, [(W[:1], b[:1]) for W, b in params], Split(X, Y, X, Y), lr=0.5, batch_size=30, epochs=50)
    np.testing.assert_allclose(result.params[0][0][0], alone.params[0][0][0], atol=1e-12)


def test_float32_training_stays_float32():
    data = playground_split("gauss", rng(0, "data"))
    params = init(NET, "playground", rngs([0], "init"), dtype=np.float32)
    result = train(NET, params, data, lr=0.03, batch_size=10, epochs=2, classify=True)
    assert result.params[0][0].dtype == np.float32
    assert result.history["test_acc"][-1] > 0.9  # gauss is separable: learned within 2 epochs


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"batch_size": 0}, r"batch_size must lie in \[1, 250\].*got 0"),
        ({"batch_size": 251}, r"batch_size must lie in \[1, 250\].*got 251"),
        ({"lr": -0.1}, r"lr must be > 0, got -0.1"),
        ({"epochs": -1}, r"epochs must be >= 0, got -1"),
    ],
)
def test_bad_training_arguments_are_rejected(kwargs, message):
    data = playground_split("gauss", rng(0, "data"))
    params = init(NET, "playground", rngs([0], "init"))
    with pytest.raises(ValueError, match=message):
        train(NET, params, data, **({"lr": 0.1, "batch_size": 10, "epochs": 1} | kwargs))


def xor_run(lr, seeds=range(6), epochs=300):
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    net = Net((2, 2, 1), hidden="sigmoid", output="sigmoid", loss="binary_cross_entropy")
    return train(net, init(net, "glorot", rngs(seeds, "init")), Split(X, Y, X, Y), lr=lr, batch_size=4, epochs=epochs)


def test_a_member_whose_loss_grows_without_bound_is_diverged():
    """XOR at lr 1e6: the loss stays finite (about 1e5 to 1e6) but grows far beyond the start."""
    result = xor_run(1e6)
    assert np.all(result.diverged_at >= 1)
    assert all(np.isnan(A).all() for layer in result.params for A in layer)
    last = pd.DataFrame(result.history).query("epoch == 300")
    assert last.train_loss.isna().all()


def test_sabotage_no_growth_check_misses_the_xor_divergence(monkeypatch):
    """The growth check is what flags it: without it (factor infinite) no member is flagged."""
    import mlp.train

    monkeypatch.setattr(mlp.train, "DIVERGENCE_FACTOR", np.inf)
    assert np.all(xor_run(1e6).diverged_at == -1)


@pytest.mark.parametrize("lr", [0.5, 1.0, 10.0])
def test_ordinary_xor_runs_are_not_diverged(lr):
    assert np.all(xor_run(lr).diverged_at == -1)


def test_the_lectures_playground_runs_are_not_diverged():
    data = stack_splits([playground_split("spiral", rng(s, "data"), noise=0.0) for s in range(20)])
    for hidden in ("tanh", "relu"):
        net = Net((2, 4, 2, 1), hidden=hidden, output="tanh", loss="squared")
        result = train(net, init(net, "playground", rngs(range(20), "init")), data, lr=0.03, batch_size=10, epochs=60)
        assert np.all(result.diverged_at == -1)


def test_progress_is_reported_at_most_every_few_seconds(monkeypatch):
    import mlp.train

    calls = []
    result = xor_run(0.5, epochs=50)
    train_again = lambda: train(  # noqa: E731
        Net((2, 2, 1), hidden="sigmoid", output="sigmoid", loss="binary_cross_entropy"),
        result.params,
        Split(np.zeros((4, 2)), np.zeros((4, 1)), np.zeros((4, 2)), np.zeros((4, 1))),
        lr=0.1,
        batch_size=4,
        epochs=50,
        progress=lambda e, n: calls.append((e, n)),
    )
    train_again()
    assert calls == [(50, 50)]  # 50 fast epochs: only the final call
    calls.clear()
    monkeypatch.setattr(mlp.train, "PROGRESS_SECONDS", 0.0)
    train_again()
    assert calls == [(e, 50) for e in range(1, 51)]


def test_a_schedule_at_one_rate_is_one_run():
    """Segments at the same rate continue each other: the same parameters, history and
    divergence epochs as one run of their total length (N a multiple of B: no carry-over)."""
    net = Net((2, 4, 1), hidden="tanh", output="linear", loss="squared")
    g = rng(0, "schedule-test")
    X = g.uniform(-1, 1, (20, 2))
    data = Split(X, np.sin(X.sum(-1, keepdims=True)), X[:5], X[:5, :1])
    params = init(net, "glorot", rngs(range(3), "schedule-test"))
    one = train(net, params, data, lr=0.1, batch_size=5, epochs=6, shuffle_rngs=rngs(range(3), "s"))
    segments = [{"lr": 0.1, "epochs": 4}, {"lr": 0.1, "epochs": 2}]
    split = train_schedule(
        net, params, data, segments, eval_epochs=range(7), batch_size=5, shuffle_rngs=rngs(range(3), "s")
    )
    for (W, b), (W2, b2) in zip(one.params, split.params):
        assert np.array_equal(W, W2) and np.array_equal(b, b2)
    assert all(np.array_equal(one.history[k], split.history[k]) for k in one.history)
    assert np.array_equal(one.diverged_at, split.diverged_at)
