"""C15: the mini-batch gradient is a noisy but unbiased estimate of the full gradient, and
its noise falls as 1/B.

One fixed net at fixed weights theta_0 on one fixed training set of N points. The
per-example gradients G_i = grad L_i(theta_0), (N, P), come from one batched call: every
example is its own ensemble member (inputs (N, 1, D), parameters broadcast from M = 1).
A mini-batch gradient is then a weighted row sum w^T G with w (N,) holding 1/B at the
drawn indices, so S draws are one (S, N) @ (N, P) product; no loop over samples.

With replacement:    E[g_B] = g,  tr Cov[g_B] = var_1 / B
Without replacement: E[g_B] = g,  tr Cov[g_B] = var_1 / B * (N - B) / (N - 1)
where g = (1/N) sum_i G_i and var_1 = (1/N) sum_i ||G_i - g||^2.
"""

import numpy as np
import pandas as pd

from mlp.data import playground_split
from mlp.network import Net, init, objective
from mlp.seeding import rng, rngs
from mlp.train import train

VAR_SLOPE = (-1.1, -0.9)  # log-log slope of tr Cov vs B (with replacement), theory -1
MEAN_SLOPE = (-0.6, -0.4)  # log-log slope of the running mean's error vs draws, theory -1/2
FORMULA_TOL = 0.1  # max relative deviation of the measured variance from the formula


def problem(cfg: dict):
    """The fixed net, its parameters theta_0 (M = 1) and the training set (N, D), (N, 1)."""
    net = Net((2, *cfg["hidden_sizes"], 1), cfg["activation"], "tanh", "squared")  # Playground classifier
    data = playground_split(
        cfg["dataset"], rng(cfg["data_seed"], "sgd", "data"), noise=cfg["noise"], train_pct=cfg["train_pct"]
    )
    params = init(net, "playground", rngs([cfg["init_seed"]], "sgd", "init"))
    return net, params, data


def per_example_grads(net: Net, params, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """G (N, P): row i is the flattened gradient of L(f(x_i), y_i) at `params` (M = 1)."""
    # each example its own member, a batch of 1: (N, 1, D), (N, 1, C)
    _, _, grads = objective(net, params, X[:, None, :], Y[:, None, :])  # [(N, K_l, K_{l-1}), (N, K_l)]
    N = X.shape[0]
    return np.concatenate([a.reshape(N, -1) for gW, gb in grads for a in (gW, gb)], axis=1)


def batch_weights(gen: np.random.Generator, S: int, N: int, B: int, replace: bool) -> np.ndarray:
    """(S, N) weights: row s puts 1/B on each index of draw s (counted with multiplicity)."""
    if replace:
        idx = gen.integers(0, N, (S, B))  # (S, B)
    else:
        idx = np.argsort(gen.random((S, N)), axis=1)[:, :B]  # first B of a random permutation
    counts = np.bincount((np.arange(S)[:, None] * N + idx).ravel(), minlength=S * N)
    return counts.reshape(S, N) / B


def _gradient_stats(G: np.ndarray):
    g = G.mean(axis=0)  # the full gradient (P,)
    return g, np.mean(np.sum((G - g) ** 2, axis=1))  # var_1 = tr Cov of one example's gradient


def running_mean(cfg: dict, G: np.ndarray) -> pd.DataFrame:
    """RMS (over chains) relative error ||mean of t mini-batch gradients - g|| / ||g|| vs t,
    with the prediction sqrt(var_1 / (B t)) / ||g|| (draws with replacement)."""
    N = G.shape[0]
    g, var1 = _gradient_stats(G)
    T, R = cfg["mean_draws"], cfg["mean_chains"]
    t = np.unique(np.geomspace(1, T, 40).round().astype(int))
    rows = []
    for B in cfg["mean_batch_sizes"]:
        w = batch_weights(rng(cfg["init_seed"], "sgd", "mean", B), R * T, N, B, replace=True)
        gb = (w @ G).reshape(R, T, -1)  # (R, T, P) mini-batch gradients
        means = np.cumsum(gb, axis=1)[:, t - 1] / t[None, :, None]  # running means at t: (R, len(t), P)
        err = np.sqrt(np.mean(np.sum((means - g) ** 2, axis=2), axis=0)) / np.linalg.norm(g)
        rows.append(
            pd.DataFrame(
                {
                    "batch_size": B,
                    "draws": t,
                    "rel_error": err,
                    "predicted": np.sqrt(var1 / (B * t)) / np.linalg.norm(g),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def batch_variance(cfg: dict, G: np.ndarray) -> pd.DataFrame:
    """Measured tr Cov of the mini-batch gradient vs B, with and without replacement,
    next to the formulas var_1 / B and var_1 / B * (N - B) / (N - 1)."""
    N = G.shape[0]
    g, var1 = _gradient_stats(G)
    rows = []
    for replace in (True, False):
        for B in cfg["var_batch_sizes"]:
            if not 1 <= B <= N:
                raise ValueError(f"var_batch_sizes must lie in [1, N = {N}], got {B}")
            w = batch_weights(rng(cfg["init_seed"], "sgd", "var", B, int(replace)), cfg["var_draws"], N, B, replace)
            d = w @ G - g  # (S, P) deviations from the exact mean
            formula = var1 / B * (1.0 if replace else (N - B) / (N - 1))
            rows.append(
                {
                    "replace": replace,
                    "batch_size": B,
                    "N": N,
                    "var_measured": np.mean(np.sum(d**2, axis=1)),
                    "var_formula": formula,
                    "bias_norm": np.linalg.norm(d.mean(axis=0)),
                }
            )
    return pd.DataFrame(rows)


def loss_curves(cfg: dict) -> pd.DataFrame:
    """Train loss per epoch of full-batch GD and SGD with each batch size, equal budget
    (epochs x N per-example gradient evaluations), same initial weights per seed."""
    net, _, data = problem(cfg)
    N = data.X_train.shape[0]
    seeds = range(cfg["curve_seeds"])
    theta0 = init(net, "playground", rngs(seeds, "sgd", "curves", "init"))  # the same start for every B
    rows = []
    for B in sorted(set(cfg["curve_batch_sizes"]) | {N}):
        res = train(
            net,
            theta0,
            data,
            lr=cfg["curve_lr"],
            batch_size=B,
            epochs=cfg["curve_epochs"],
            shuffle_rngs=rngs(seeds, "sgd", "curves", "shuffle", B),
            classify=False,
        )
        h = pd.DataFrame(res.history).rename(columns={"member": "seed"})
        rows.append(
            h.assign(
                batch_size=B,
                method="GD" if B == N else "SGD" if B == 1 else f"mini-batch B={B}",
                grad_evals=h["epoch"] * N,
                updates=h["epoch"] * (N // B),
            )
        )
    cols = ["method", "batch_size", "seed", "epoch", "grad_evals", "updates", "train_loss", "test_loss"]
    return pd.concat(rows, ignore_index=True)[cols]


def loglog_slope(x, y) -> float:
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


def mean_slopes(running: pd.DataFrame) -> dict:
    """Log-log slope of the running mean's error vs draws t >= 10, per batch size."""
    return {
        int(B): loglog_slope(d["draws"][d["draws"] >= 10], d["rel_error"][d["draws"] >= 10])
        for B, d in running.groupby("batch_size")
    }


def summary(running: pd.DataFrame, variance: pd.DataFrame, curves: pd.DataFrame) -> dict:
    """The numbers that decide C15."""
    wr = variance[variance["replace"]]
    wo = variance[~variance["replace"] & (variance["batch_size"] < variance["N"])]
    full = variance[~variance["replace"] & (variance["batch_size"] == variance["N"])]
    last = curves[curves["epoch"] == curves["epoch"].max()].groupby("method")["train_loss"].median()
    gd = last["GD"]
    sgd_better = bool((last.drop("GD") < gd).all())
    rises = (
        curves.sort_values(["method", "seed", "epoch"])
        .groupby(["method", "seed"])["train_loss"]
        .apply(lambda s: float(np.mean(np.diff(s.to_numpy()) > 0)))
        .groupby("method")
        .mean()
    )
    return {
        "mean_slopes": mean_slopes(running),
        "var_slope": loglog_slope(wr["batch_size"], wr["var_measured"]),
        "wr_dev": float(np.max(np.abs(wr["var_measured"] / wr["var_formula"] - 1))),
        "wo_dev": float(np.max(np.abs(wo["var_measured"] / wo["var_formula"] - 1))) if len(wo) else 0.0,
        "full_var": float(full["var_measured"].max()) if len(full) else 0.0,
        "final_loss": last.to_dict(),
        "sgd_better": sgd_better,
        "rises": rises.to_dict(),
    }


def claim_holds(s: dict) -> tuple[bool, bool]:
    """(all parts hold, some part holds)."""
    parts = [
        all(MEAN_SLOPE[0] <= v <= MEAN_SLOPE[1] for v in s["mean_slopes"].values()),
        VAR_SLOPE[0] <= s["var_slope"] <= VAR_SLOPE[1] and s["wr_dev"] <= FORMULA_TOL,
        s["wo_dev"] <= FORMULA_TOL,
        s["sgd_better"],
    ]
    return all(parts), any(parts)
