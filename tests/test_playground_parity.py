"""TensorFlow Playground parity: the deterministic scenario of
shared/reference/playground.md section 5, whose expected numbers come from Playground's
own nn.ts and dataset.ts (tabulated in experiments/playground/reference.py). The core must
match them to 1e-12."""

import numpy as np
import pandas as pd
import pytest

from experiments.playground.reference import PARITY_LOSSES, PARITY_WEIGHTS
from mlp.data import Split, playground_points
from mlp.network import Net
from mlp.seeding import rng
from mlp.train import train

# the scenario's numbers, written once beside the experiment that also uses them (parity row)
W_INIT, EXPECTED = PARITY_WEIGHTS, PARITY_LOSSES


def scenario():
    X, y = playground_points("spiral", rng(0, "unused"), noise=0.0)  # deterministic at noise 0
    train_idx = np.ravel(np.column_stack([np.arange(0, 250, 2), np.arange(250, 500, 2)]))
    test_idx = train_idx + 1
    data = Split(X[train_idx], y[train_idx, None], X[test_idx], y[test_idx, None])
    w = np.array(W_INIT)
    params = [
        (w[:8].reshape(1, 4, 2), np.full((1, 4), 0.1)),
        (w[8:16].reshape(1, 2, 4), np.full((1, 2), 0.1)),
        (w[16:].reshape(1, 1, 2), np.full((1, 1), 0.1)),
    ]
    return data, params


def test_training_list_matches_reference():
    data, _ = scenario()
    np.testing.assert_allclose(
        data.X_train[:3], [[0, 0], [0, 0], [0.003514047862029727, 0.0398453443657269]], atol=1e-15
    )
    np.testing.assert_array_equal(data.Y_train[:3, 0], [1, -1, 1])
    np.testing.assert_allclose(data.X_test[0], [0.0008793623663572981, 0.019980658693562494], atol=1e-15)


@pytest.mark.parametrize("hidden,batch", list(EXPECTED))
def test_losses_match_playground(hidden, batch):
    data, params = scenario()
    net = Net((2, 4, 2, 1), hidden=hidden, output="tanh", loss="squared")
    expected = EXPECTED[(hidden, batch)]
    result = train(net, params, data, lr=0.03, batch_size=batch, epochs=1000, eval_epochs=expected, classify=True)
    got = pd.DataFrame(result.history).set_index("epoch")
    for epoch, (tr, te) in expected.items():
        assert abs(got.loc[epoch, "train_loss"] - tr) < 1e-12, (epoch, got.loc[epoch, "train_loss"], tr)
        assert abs(got.loc[epoch, "test_loss"] - te) < 1e-12, (epoch, got.loc[epoch, "test_loss"], te)


def test_parameters_after_epoch_1():
    data, params = scenario()
    net = Net((2, 4, 2, 1), hidden="tanh", output="tanh", loss="squared")
    (W1, b1), (W2, b2), (W3, b3) = train(net, params, data, lr=0.03, batch_size=10, epochs=1).params
    np.testing.assert_allclose(
        W1[0],
        [
            [0.102498999337154, -0.276401241690209],
            [0.353183598261807, -0.033954993780518],
            [-0.408495206360938, 0.212717655662745],
            [-0.159417190224055, 0.452347710760814],
        ],
        atol=1e-14,
    )
    np.testing.assert_allclose(
        b1[0], [0.095492369246701, 0.101428300646426, 0.098131505989686, 0.102857633544117], atol=1e-14
    )
    np.testing.assert_allclose(W3[0], [[-0.004876792332409, -0.394987743842419]], atol=1e-14)
    np.testing.assert_allclose(b3[0], [0.063813662861390], atol=1e-14)
