"""C19: the conclusion row is computed from the other families' trained results."""

import pandas as pd

from experiments.conclusion import summary as conclusion


def tables(xor_rate=1.0, spiral_acc=0.95, sgd_last=0.01):
    xor = pd.DataFrame(
        {
            "activation": ["tanh", "tanh"],
            "width": [1, 8],
            "seeds": [200, 200],
            "successes": [0, int(200 * xor_rate)],
            "rate": [0.0, xor_rate],
        }
    )
    pg = pd.DataFrame(
        {
            "config": ["circle-4-tanh", "spiral-8-8-relu"],
            "dataset": ["circle", "spiral"],
            "epoch": [100, 100],
            "test_acc_median": [0.99, spiral_acc],
        }
    )
    errors = pd.DataFrame(
        {
            "target": ["sine"] * 2,
            "activation": ["tanh"] * 2,
            "method": ["sgd"] * 2,
            "K": [1, 512],
            "rms": [0.3, sgd_last],
        }
    )
    return xor, pg, errors


def parts(xor, pg, errors):
    return [
        conclusion.xor_summary(xor, 0.9),
        *conclusion.playground_summary(pg, 0.9, 100),
        conclusion.approximation_summary(errors, 0.05),
    ]


def test_all_bars_met_is_reproduced():
    row = conclusion.claim_rows(parts(*tables())).iloc[0]
    assert row.claim == "C19" and row.verdict == "reproduced"
    assert "tanh 200/200" in row.measured and "spiral-8-8-relu: median test accuracy 0.950" in row.measured


def test_a_missed_bar_makes_it_partly_and_all_missed_not_reproduced():
    assert conclusion.claim_rows(parts(*tables(sgd_last=0.2))).iloc[0].verdict == "partly"
    xor, pg, errors = tables(xor_rate=0.5, spiral_acc=0.6, sgd_last=0.5)
    pg.loc[0, "test_acc_median"] = 0.5
    errors.loc[1, "rms"] = 0.25  # still falls with K (from 0.3): that alone counts as "partly"
    assert conclusion.claim_rows(parts(xor, pg, errors)).iloc[0].verdict == "partly"
    errors.loc[1, "rms"] = 0.9  # rises with K
    assert conclusion.claim_rows(parts(xor, pg, errors)).iloc[0].verdict == "not reproduced"
