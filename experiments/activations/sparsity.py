"""Exact zeros of relu units (C06, "relu leads to sparse activity"), at initialisation and
after training.

Sparse activity, numerically: on a typical input, a substantial fraction of the hidden relu
units output exactly 0 (sigmoid and tanh units never do). Measured per net and hidden layer as
the fraction of (input, unit) pairs with h = 0 exactly, over held-out inputs; a unit that is 0
on every input is counted as dead as well, so that sparsity from dead units shows.
"""

import numpy as np
import pandas as pd

from experiments import stats
from experiments.progress import progress
from mlp.data import REGRESSION, playground_split, stack_splits
from mlp.network import Net, forward, init, objective
from mlp.params import flatten
from mlp.seeding import rng, rngs
from mlp.train import train


def zero_fractions(net: Net, params, X) -> tuple[np.ndarray, np.ndarray]:
    """(fraction of units exactly 0, fraction of dead units), each (M, L) per member and hidden
    layer, over the inputs X (B, D) or (M, B, D)."""
    _, cache = forward(net, params, X)
    h = [cache[l][1] for l in range(1, net.L + 1)]  # L arrays (M, B, K_l)
    zero = np.stack([np.mean(a == 0.0, axis=(-2, -1)) for a in h], axis=-1)
    dead = np.stack([np.mean(np.all(a == 0.0, axis=-2), axis=-1) for a in h], axis=-1)
    return zero, dead


def init_sparsity(widths, inits, biases, depth: int, inputs: int, batch: int, seeds) -> pd.DataFrame:
    """Per init scheme, bias, width, seed and hidden layer: the fraction of relu units exactly 0
    at initialisation over `batch` standard-normal inputs (one ensemble member per seed). Each
    bias is added to the scheme's own biases (0 for he and glorot, 0.1 for playground); a nonzero
    bias breaks the symmetry of z."""
    X = rng(0, "activations", "relu_inputs").standard_normal((batch, inputs))  # (B, D)
    seeds = list(seeds)
    parts = []
    for scheme, shift, width in ((s, b, w) for s in inits for b in biases for w in widths):
        net = Net((inputs, *[width] * depth, 1), hidden="relu")
        drawn = init(net, scheme, rngs(seeds, "activations", "relu_init", scheme, width))
        params = [(W, b + shift) for W, b in drawn]
        b_all = np.concatenate([b.ravel() for _, b in params[:-1]])  # hidden biases
        bias = float(b_all[0]) if np.all(b_all == b_all[0]) else np.nan  # NaN: not one constant
        zero, dead = zero_fractions(net, params, X)  # (M, L)
        parts.append(
            pd.DataFrame(
                {
                    "group": f"{scheme}, b = {bias:g}, K = {width}",
                    "init": scheme,
                    "bias": bias,
                    "width": width,
                    "seed": np.repeat(seeds, depth),
                    "layer": np.tile(np.arange(1, depth + 1), len(seeds)),
                    "fraction_zero": zero.ravel(),
                    "fraction_dead": dead.ravel(),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def relative_grad_norm(net: Net, params, start, data) -> np.ndarray:
    """(M,) ||grad of the mean training loss at params|| / ||the same at start||: the
    stationarity of each member (0 at a stationary point)."""
    norm = [np.linalg.norm(flatten(objective(net, p, data.X_train, data.Y_train)[2]), axis=1) for p in (params, start)]
    return norm[0] / norm[1]


def trained_sparsity(cfg: dict) -> pd.DataFrame:
    """Relu nets trained on one Playground dataset (cfg["dataset"]), one ensemble member per
    seed, with Playground's semantics (tanh output and squared loss for classification,
    linear output for regression, fixed order, no reshuffling). Per member and hidden layer:
    the fraction of units exactly 0 on the test inputs at initialisation, at 90% of the budget
    and at the end, the dead units, and the member's relative gradient norm at the end."""
    seeds = range(cfg["seed"], cfg["seed"] + cfg["seeds"])
    dataset, epochs = cfg["dataset"], cfg["epochs"]
    data = stack_splits([playground_split(dataset, rng(s, "activations", "sparsity_data", dataset)) for s in seeds])
    out = "linear" if dataset in REGRESSION else "tanh"
    net = Net((2, *cfg["hidden"], 1), hidden="relu", output=out, loss="squared")
    start = init(net, cfg["init"], rngs(seeds, "activations", "sparsity_init", dataset))
    params, zeros = start, [zero_fractions(net, start, data.X_test)[0]]
    done = 0
    for until in progress([epochs - epochs // 10, epochs], f"sparsity {dataset}: training segments"):
        res = train(net, params, data, lr=cfg["lr"], batch_size=cfg["batch"], epochs=until - done, eval_epochs=[])
        params, done = res.params, until  # fixed order, batch divides N (plan.check): = one run
        zeros.append(zero_fractions(net, params, data.X_test)[0])
    dead = zero_fractions(net, params, data.X_test)[1]
    grad = relative_grad_norm(net, params, start, data)
    M, L = dead.shape
    return pd.DataFrame(
        {
            "dataset": dataset,
            "group": dataset,
            "seed": np.repeat(list(seeds), L),
            "layer": np.tile(np.arange(1, L + 1), M),
            "fraction_zero_init": zeros[0].ravel(),
            "fraction_zero_at_90pct": zeros[1].ravel(),
            "fraction_zero": zeros[2].ravel(),
            "fraction_dead": dead.ravel(),
            "relative_grad_norm": np.repeat(grad, L),
            "diverged": np.repeat(res.diverged_at >= 0, L),
        }
    )


def converged(trained: pd.DataFrame, tol: float) -> pd.Series:
    """Members that count: not diverged, relative gradient norm at the end <= tol."""
    return ~trained["diverged"].astype(bool) & (trained["relative_grad_norm"] <= tol)


def init_summary(init: pd.DataFrame) -> pd.DataFrame:
    """Median over seeds (95% interval) of the fraction of units exactly 0 and of dead units,
    per initialisation group (scheme, bias, width) and layer."""
    rows = [
        {"phase": "init", "group": group, "bias": g["bias"].iloc[0], "layer": layer, "members": len(g), **medians(g)}
        for (group, layer), g in init.groupby(["group", "layer"], sort=False)
    ]
    return pd.DataFrame(rows)


def trained_summary(trained: pd.DataFrame, counted: pd.Series) -> pd.DataFrame:
    """The same per dataset and layer for the members that count, with the paired change from
    their own initialisation and the largest change over the last 10% of the budget."""
    rows = []
    for (dataset, layer), g in trained.groupby(["dataset", "layer"], sort=False):
        c = g[counted[g.index]]
        change = stats.paired(c["fraction_zero"], c["fraction_zero_init"]).median_diff if len(c) else None
        last = (c["fraction_zero"] - c["fraction_zero_at_90pct"]).abs()
        rows.append(
            {
                "phase": "trained",
                "group": dataset,
                "layer": layer,
                "members": len(g),
                **medians(c),
                "median_change_from_init": change.value if change else np.nan,
                "change_lo": change.lo if change else np.nan,
                "change_hi": change.hi if change else np.nan,
                "max_change_last_10pct": float(last.max()) if len(c) else np.nan,
            }
        )
    return pd.DataFrame(rows)


def medians(g: pd.DataFrame) -> dict:
    """The median fraction of exact zeros and of dead units over the nets of `g`, with intervals."""
    if not len(g):
        return {"counted": 0, **dict.fromkeys(["median_zero", "zero_lo", "zero_hi", "median_dead", "dead_hi"], np.nan)}
    zero, dead = stats.median(g["fraction_zero"]), stats.median(g["fraction_dead"])
    return {
        "counted": len(g),
        "median_zero": zero.value,
        "zero_lo": zero.lo,
        "zero_hi": zero.hi,
        "median_dead": dead.value,
        "dead_hi": dead.hi,
    }
