"""Parity of our port with TensorFlow Playground's own code on its deterministic scenario
(reference section 5: no randomness, so every loss must agree to rounding): the noise-0 spiral,
a fixed interleaved split, fixed initial weights, tanh and relu at batch 10, and tanh at batch
30 where 10 leftover points carry over into the next epoch."""

import numpy as np
import pandas as pd

from experiments.playground.port import fit, make_net
from experiments.playground.reference import PARITY_LOSSES, PARITY_LR, PARITY_WEIGHTS, SLIDE_HIDDEN
from mlp.data import Split, playground_points
from mlp.seeding import rng


def scenario() -> tuple[Split, list]:
    """The scenario's data (training d[2k], d[250 + 2k]; test d[2k + 1], d[251 + 2k]) and weights."""
    X, y = playground_points("spiral", rng(0, "parity"))  # noise 0: the same points for any stream
    train_idx = np.ravel(np.column_stack([np.arange(0, 250, 2), np.arange(250, 500, 2)]))
    test_idx = train_idx + 1
    data = Split(X[train_idx], y[train_idx, None], X[test_idx], y[test_idx, None])
    w, sizes, params, i = np.asarray(PARITY_WEIGHTS), [2, *SLIDE_HIDDEN, 1], [], 0
    for k_in, k_out in zip(sizes, sizes[1:]):
        params.append((w[i : i + k_in * k_out].reshape(1, k_out, k_in), np.full((1, k_out), 0.1)))
        i += k_in * k_out
    return data, params


def parity_table() -> pd.DataFrame:
    """Our port's train and test losses next to Playground's at every epoch of the scenario."""
    data, params = scenario()
    rows = []
    for (activation, batch), expected in PARITY_LOSSES.items():
        net = make_net({"hidden": SLIDE_HIDDEN, "activation": activation})
        cfg = {"lr": PARITY_LR, "batch_size": batch}
        got = pd.DataFrame(fit(net, params, data, cfg, max(expected), list(expected)).history).set_index("epoch")
        for epoch, losses in expected.items():
            for split, theirs in zip(("train", "test"), losses):
                ours = float(got.loc[epoch, f"{split}_loss"])
                rows.append(
                    {
                        "activation": activation,
                        "batch_size": batch,
                        "epoch": epoch,
                        "split": split,
                        "ours": ours,
                        "playground": theirs,
                        "abs_diff": abs(ours - theirs),
                    }
                )
    return pd.DataFrame(rows)
