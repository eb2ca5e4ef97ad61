"""TensorFlow Playground parity: the deterministic scenario of
shared/reference/playground.md section 5, whose expected numbers come from Playground's
own nn.ts and dataset.ts. Our port must match them to 1e-12."""

import numpy as np
import pandas as pd
import pytest

from mlp.data import Split, playground_points
from mlp.network import Net
from mlp.seeding import rng
from mlp.train import train

W_INIT = [
    0.118,
    -0.2639,
    0.3541,
    -0.0279,
    -0.4098,
    0.2082,
    -0.1738,
    0.4443,
    0.0623,
    -0.3197,
    0.2984,
    -0.0836,
    -0.4656,
    0.1525,
    -0.2295,
    0.3885,
    0.0066,
    -0.3754,
]

EXPECTED = {  # epoch: (train, test) per case, reference table 5.2
    ("tanh", 10): {
        0: (0.483697538395, 0.483885513779),
        1: (0.480425485068, 0.480587282877),
        2: (0.479211247247, 0.479335359030),
        10: (0.476310356105, 0.476131674285),
        100: (0.476776361520, 0.476179594531),
        1000: (0.472573888293, 0.472314613598),
    },
    ("relu", 10): {
        0: (0.488048080372, 0.488010890638),
        1: (0.484216464193, 0.484192034688),
        2: (0.482097207903, 0.482027909206),
        10: (0.475495351992, 0.475381665310),
        100: (0.473425946293, 0.473076105734),
        1000: (0.432152166110, 0.430489071538),
    },
    ("tanh", 30): {
        0: (0.483697538395, 0.483885513779),
        1: (0.482120285317, 0.482368374896),
        2: (0.481066758835, 0.481338176123),
        10: (0.477941721241, 0.478349069762),
        100: (0.474470553654, 0.474849532610),
        1000: (0.471447113073, 0.472139509982),
    },
}


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
