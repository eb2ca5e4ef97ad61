"""What trained nets do on truth tables (claims C02, C03, C05).

Seeds vectorised as one ensemble per cell (`mlp.train`): logistic regression on AND / OR /
XOR, MLPs on XOR by hidden width and activation, deep linear nets on XOR, and the check that
a stack of linear layers is one affine map.

Inputs are +-1 (the lecture's encoding, `mlp.boolean`); the sigmoid nets are trained with
binary cross-entropy on {0, 1} targets, and a point counts as correct when f(x) > 1/2 iff
its target is 1.
"""

from functools import reduce
from statistics import NormalDist

import numpy as np
import pandas as pd

from mlp.boolean import NAMED_2, function_outputs, truth_table_inputs
from mlp.data import Split
from mlp.network import Net, forward, init
from mlp.seeding import rng, rngs
from mlp.train import train

TRAINED_FUNCTIONS = ("AND", "OR", "XOR")
SIGMOID_NET = {"output": "sigmoid", "loss": "binary_cross_entropy"}


def targets01(name: str) -> np.ndarray:
    """{0, 1} targets of a named 2-input function, shape (4, 1)."""
    return function_outputs(NAMED_2[name], 2, "01")[:, None]


def train_on_table(net: Net, params, X, Y, cfg: dict, shuffle_rngs, eval_epochs):
    """Train on a truth table (X, Y) with the config's lr, batch size and epochs; each member
    reshuffles its order with its own Generator unless a batch is the whole table (full-batch GD)."""
    return train(
        net,
        params,
        Split(X, Y, X, Y),
        lr=cfg["lr"],
        batch_size=cfg["batch_size"],
        epochs=cfg["epochs"],
        shuffle_rngs=None if cfg["batch_size"] == len(X) else shuffle_rngs,
        eval_epochs=eval_epochs,
    )


def train_functions(net: Net, functions, seeds, key: str, cfg: dict):
    """Train len(functions) x len(seeds) nets as ONE ensemble (member = (function, seed)),
    each on its function's 4-row truth table; returns (params, n_correct (M,), loss (M,), member frame)."""
    X = truth_table_inputs(2)  # (4, 2) shared by all members
    Y = np.stack([targets01(f) for f in functions for _ in seeds])  # (M, 4, 1)
    members = pd.DataFrame([{"function": f, "seed": s} for f in functions for s in seeds])
    init_rngs = [rng(s, "init", key, f) for f in functions for s in seeds]
    params = init(net, cfg["init"], init_rngs)
    shuffle = [rng(s, "shuffle", key, f) for f in functions for s in seeds]
    result = train_on_table(net, params, X, Y, cfg, shuffle, [cfg["epochs"]])
    f = forward(net, result.params, X)[0]  # (M, 4, 1)
    n_correct = np.sum((f[..., 0] > 0.5) == (Y[..., 0] > 0.5), axis=-1)  # (M,)
    loss = pd.DataFrame(result.history).sort_values("member")["train_loss"].to_numpy()
    members["diverged"] = result.diverged_at >= 0
    return result.params, n_correct, loss, members


def neuron_runs(seeds, cfg: dict) -> pd.DataFrame:
    """Logistic regression Net((2, 1), sigmoid, binary CE) on AND, OR, XOR over `seeds`, one
    ensemble; per member: points correct (of 4), final loss and the weights (w1, w2, b)."""
    net = Net((2, 1), **SIGMOID_NET)
    params, n_correct, loss, df = train_functions(net, TRAINED_FUNCTIONS, seeds, "neuron", cfg)
    W, b = params[0]  # (M, 1, 2), (M, 1)
    return df.assign(correct=n_correct, loss=loss, w1=W[:, 0, 0], w2=W[:, 0, 1], b=b[:, 0])


def neuron_summary(runs: pd.DataFrame, certs: pd.DataFrame) -> pd.DataFrame:
    """Per function: LP separability, seeds, how often 4/4 was reached, min/max points correct."""
    sep = dict(zip(certs["name"], certs["separable"]))
    g = runs.groupby("function", sort=False)["correct"]
    out = pd.DataFrame(
        {
            "seeds": g.size(),
            "all_4": g.apply(lambda c: int((c == 4).sum())),
            "min_correct": g.min(),
            "max_correct": g.max(),
            "mean_correct": g.mean(),
        }
    )
    out.insert(0, "lp_separable", [sep[f] for f in out.index])
    return out.reset_index()


def mlp_xor_cell(activation: str, widths, seeds, cfg: dict) -> pd.DataFrame:
    """Net((2, K, 1), activation, sigmoid output, binary CE) on XOR: one ensemble of all seeds
    per width K. Per member: points correct after training and at half the epochs, final loss.
    Success = all 4 points correct after training."""
    X, Y = truth_table_inputs(2), targets01("XOR")
    half = cfg["epochs"] // 2
    frames = []
    for K in widths:
        net = Net((2, K, 1), hidden=activation, **SIGMOID_NET)
        params = init(net, cfg["init"], rngs(seeds, "init", "xor_mlp", activation, K))
        shuffle = rngs(seeds, "shuffle", "xor_mlp", activation, K)
        res = train_on_table(net, params, X, Y, cfg, shuffle, [half, cfg["epochs"]])
        h = pd.DataFrame(res.history).pivot(index="member", columns="epoch")
        correct = np.rint(4 * h["train_acc"][cfg["epochs"]].to_numpy())
        frames.append(
            pd.DataFrame(
                {
                    "activation": activation,
                    "width": K,
                    "seed": list(seeds),
                    "correct": correct,
                    "correct_half": np.rint(4 * h["train_acc"][half].to_numpy()),
                    "loss": h["train_loss"][cfg["epochs"]].to_numpy(),
                    "success": correct == 4,
                    "diverged": res.diverged_at >= 0,
                }
            )
        )
    return pd.concat(frames, ignore_index=True).astype({"correct": "Int64", "correct_half": "Int64"})


def wilson_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion k / n:
    (p + z^2/2n -+ z sqrt(p(1 - p)/n + z^2/4n^2)) / (1 + z^2/n), z the two-sided normal quantile."""
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = k / n
    centre, half = p + z**2 / (2 * n), z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    low, high = (centre - half) / (1 + z**2 / n), (centre + half) / (1 + z**2 / n)
    return min(p, max(0.0, low)), max(p, min(1.0, high))  # clip round-off at k = 0 and k = n


def success_rates(runs: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Success rate per (activation, width) with its Wilson binomial confidence interval, and
    the rate at half the epochs (a plateau check: equal rates mean training had settled)."""
    rows = []
    for (act, K), g in runs.groupby(["activation", "width"], sort=True):
        k, n = int(g["success"].sum()), len(g)
        ci_low, ci_high = wilson_interval(k, n, confidence)
        rows.append(
            {
                "activation": act,
                "width": K,
                "seeds": n,
                "successes": k,
                "rate": k / n,
                "ci_low": ci_low,
                "ci_high": ci_high,
                "rate_half_epochs": float((g["correct_half"] == 4).mean()),
                "max_correct": int(g["correct"].max()),
                "diverged": int(g["diverged"].sum()),
            }
        )
    return pd.DataFrame(rows)


def collapse_affine(params):
    """The one affine map (W (..., C, D), b (..., C)) equal to a stack of linear layers:
    W = W_{L+1} ... W_1 and b = W_{L+1}(... (W_2 b_1 + b_2) ...) + b_{L+1}."""
    W = reduce(lambda acc, layer: layer[0] @ acc, params[1:], params[0][0])
    b = reduce(lambda acc, layer: (layer[0] @ acc[..., None])[..., 0] + layer[1], params[1:], params[0][1])
    return W, b


def linear_composition(depths, width: int, n_seeds: int, n_points: int) -> pd.DataFrame:
    """Deep linear nets Net((3, K, ..., K, 2), hidden="linear", output="linear") with random
    weights and biases (glorot W, biases N(0, 1)): max |f(x) - (W x + b)| over the ensemble and
    random inputs, where (W, b) is the product of the layers (`collapse_affine`)."""
    rows = []
    for L in depths:
        net = Net((3, *[width] * L, 2), hidden="linear", output="linear")
        seeds = range(n_seeds)
        params = init(net, "glorot", rngs(seeds, "init", "linear", L))
        bias_rng = rng(0, "bias", "linear", L)
        params = [(W, bias_rng.normal(size=b.shape)) for W, b in params]  # nonzero biases: (M, K_l)
        X = rng(0, "points", "linear", L).normal(size=(n_points, 3))  # (B, 3)
        f = forward(net, params, X)[0]  # (M, B, 2)
        W, b = collapse_affine(params)  # (M, 2, 3), (M, 2)
        diff = np.abs(f - (X @ W.swapaxes(-1, -2) + b[:, None, :])).max()
        rows.append(
            {
                "hidden_layers": L,
                "width": width,
                "nets": n_seeds,
                "points": n_points,
                "max_abs_diff": diff,
                "max_abs_output": np.abs(f).max(),
                "relative": diff / np.abs(f).max(),
                "eps_float64": np.finfo(float).eps,
            }
        )
    return pd.DataFrame(rows)


def linear_xor(depths, width: int, seeds, cfg: dict) -> pd.DataFrame:
    """Deep linear nets (hidden="linear", sigmoid output, binary CE) trained on XOR, one
    ensemble of all seeds per depth; per depth: distribution of points correct."""
    X, Y = truth_table_inputs(2), targets01("XOR")
    rows = []
    for L in depths:
        net = Net((2, *[width] * L, 1), hidden="linear", **SIGMOID_NET)
        params = init(net, cfg["init"], rngs(seeds, "init", "linear_xor", L))
        shuffle = rngs(seeds, "shuffle", "linear_xor", L)
        res = train_on_table(net, params, X, Y, cfg, shuffle, [cfg["epochs"]])
        acc = pd.DataFrame(res.history).sort_values("member")["train_acc"].to_numpy()  # (M,), NaN for a diverged member
        correct = np.rint(4 * acc[np.isfinite(acc)]).astype(int)
        rows.append(
            {
                "hidden_layers": L,
                "width": width,
                "seeds": len(seeds),
                **{f"correct_{c}": int((correct == c).sum()) for c in range(5)},
                "max_correct": int(correct.max(initial=0)),
                "diverged": int((res.diverged_at >= 0).sum()),
            }
        )
    return pd.DataFrame(rows)
