"""C15 (a, b): the mini-batch gradient is a noisy but unbiased estimate of the full
gradient, and its noise falls as 1/B.

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

from experiments import claims, stats
from experiments.progress import progress
from mlp.data import Split, playground_split
from mlp.network import Net, init, objective
from mlp.params import flatten
from mlp.seeding import rng, rngs

MEAN_SLOPE = (-0.6, -0.4)  # log-log slope of the running mean's error vs draws, theory -1/2
VAR_SLOPE = (-1.1, -0.9)  # log-log slope of tr Cov vs B (with replacement), theory -1
GROUPS = 10  # the running-mean chains form this many independent groups, one slope each
FORMULA_TOL = 0.1  # max relative deviation of the measured variance from the formula
ROUND_OFF = 1e-20  # without replacement at B = N the variance is 0: below this times var_1
EVIDENCE = (
    "results/training/sgd_running_mean.csv; results/training/sgd_variance.csv; figures/training/sgd_gradient_noise.png"
)


def net(cfg: dict) -> Net:
    """The Playground classifier: tanh output, squared loss."""
    return Net((2, *cfg["hidden_sizes"], 1), cfg["activation"], "tanh", "squared")


def data(cfg: dict) -> Split:
    """The one fixed data set of C15 (training part: the N points SGD samples from)."""
    return playground_split(
        cfg["dataset"], rng(cfg["data_seed"], "sgd", "data"), noise=cfg["noise"], train_pct=cfg["train_pct"]
    )


def problem(cfg: dict) -> tuple[Net, list, Split]:
    """The fixed net, its parameters theta_0 (M = 1) and the data set."""
    model = net(cfg)
    return model, init(model, "playground", rngs([cfg["init_seed"]], "sgd", "init")), data(cfg)


def per_example_grads(net: Net, params, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """G (N, P): row i is the flattened gradient of L(f(x_i), y_i) at `params` (M = 1)."""
    # each example its own member, a batch of 1: (N, 1, D), (N, 1, C)
    _, _, grads = objective(net, params, X[:, None, :], Y[:, None, :])  # [(N, K_l, K_{l-1}), (N, K_l)]
    return flatten(grads)


def batch_weights(gen: np.random.Generator, S: int, N: int, B: int, replace: bool) -> np.ndarray:
    """(S, N) weights: row s puts 1/B on each index of draw s (counted with multiplicity)."""
    if replace:
        idx = gen.integers(0, N, (S, B))  # (S, B)
    else:
        idx = np.argsort(gen.random((S, N)), axis=1)[:, :B]  # first B of a random permutation
    counts = np.bincount((np.arange(S)[:, None] * N + idx).ravel(), minlength=S * N)
    return counts.reshape(S, N) / B


def variance_formula(var1: float, B: int, N: int, replace: bool) -> float:
    """tr Cov of the mean of B per-example gradients: var_1 / B, times the finite-population
    factor (N - B) / (N - 1) when the B examples are distinct."""
    return var1 / B * (1.0 if replace else (N - B) / (N - 1))


def gradient_stats(G: np.ndarray) -> tuple[np.ndarray, float]:
    """The full gradient g (P,) and var_1 = tr Cov of one example's gradient."""
    g = G.mean(axis=0)
    return g, float(np.mean(np.sum((G - g) ** 2, axis=1)))


def running_mean(cfg: dict, G: np.ndarray) -> pd.DataFrame:
    """RMS relative error ||mean of t mini-batch gradients - g|| / ||g|| vs t over each group
    of chains (GROUPS independent groups, so the spread of their slopes gives an honest
    interval), with the prediction sqrt(var_1 / (B t)) / ||g|| (draws with replacement)."""
    N = G.shape[0]
    g, var1 = gradient_stats(G)
    T, R = cfg["mean_draws"], cfg["mean_chains"] // GROUPS
    t = np.unique(np.geomspace(1, T, 40).round().astype(int))
    rows = []
    for B in progress(cfg["mean_batch_sizes"], "running means: batch sizes"):
        gen = rng(cfg["init_seed"], "sgd", "mean", B)
        for group in range(GROUPS):
            gb = (batch_weights(gen, R * T, N, B, replace=True) @ G).reshape(R, T, -1)  # (R, T, P)
            means = np.cumsum(gb, axis=1)[:, t - 1] / t[None, :, None]  # running means at t: (R, len(t), P)
            err = np.sqrt(np.mean(np.sum((means - g) ** 2, axis=2), axis=0)) / np.linalg.norm(g)
            predicted = np.sqrt(var1 / (B * t)) / np.linalg.norm(g)
            rows.append(
                pd.DataFrame({"batch_size": B, "group": group, "draws": t, "rel_error": err, "predicted": predicted})
            )
    return pd.concat(rows, ignore_index=True)


def batch_variance(cfg: dict, G: np.ndarray) -> pd.DataFrame:
    """Measured tr Cov of the mini-batch gradient vs B (with its 95% interval over the
    draws), with and without replacement, next to `variance_formula`."""
    N, S = G.shape[0], cfg["var_draws"]
    g, var1 = gradient_stats(G)
    rows = []
    for replace in (True, False):
        for B in cfg["var_batch_sizes"]:
            w = batch_weights(rng(cfg["init_seed"], "sgd", "var", B, int(replace)), S, N, B, replace)
            sq = np.sum((w @ G - g) ** 2, axis=1)  # (S,) squared deviations from the exact mean
            half = 1.96 * np.std(sq, ddof=1) / np.sqrt(S)
            rows.append(
                {
                    "replace": replace,
                    "batch_size": B,
                    "N": N,
                    "var_1": var1,
                    "var_measured": sq.mean(),
                    "var_lo": sq.mean() - half,
                    "var_hi": sq.mean() + half,
                    "var_formula": variance_formula(var1, B, N, replace),
                }
            )
    return pd.DataFrame(rows)


def mean_slopes(running: pd.DataFrame) -> dict[int, stats.Estimate]:
    """Per B: the median over groups of the log-log slope of the running mean's error vs
    draws t >= 10, with the median's distribution-free 95% interval."""
    late = running[running["draws"] >= 10]
    out = {}
    for B, d in late.groupby("batch_size"):
        slopes = [np.polyfit(np.log(c["draws"]), np.log(c["rel_error"]), 1)[0] for _, c in d.groupby("group")]
        out[int(B)] = stats.median(slopes)
    return out


def max_deviation(d: pd.DataFrame) -> float:
    """The largest |measured / formula - 1| over the rows (0 for none)."""
    return float(np.max(np.abs(d["var_measured"] / d["var_formula"] - 1))) if len(d) else 0.0


def variance_numbers(variance: pd.DataFrame) -> dict:
    """The numbers that decide C15 (b)."""
    wr = variance[variance["replace"]]
    wo = variance[~variance["replace"] & (variance["batch_size"] < variance["N"])]
    full = variance[~variance["replace"] & (variance["batch_size"] == variance["N"])]
    return {
        "slope": stats.slope(np.log(wr["batch_size"]), np.log(wr["var_measured"])),
        "wr_dev": max_deviation(wr),
        "wo_dev": max_deviation(wo),
        "full": float((full["var_measured"] / full["var_1"]).max()) if len(full) else 0.0,
        "N": int(variance["N"].iloc[0]),
    }


def within(est: stats.Estimate, band: tuple[float, float]) -> bool:
    """The whole 95% interval inside the band."""
    return band[0] <= est.lo and est.hi <= band[1]


def unbiased_row(running: pd.DataFrame) -> dict:
    slopes = mean_slopes(running)
    lo, hi = MEAN_SLOPE
    return claims.row(
        "C15",
        "(a) unbiased: the RMS error of the running mean of t mini-batch gradients (with replacement) falls with "
        "log-log slope "
        + ", ".join(f"{s.fmt('.3f')} (B = {B})" for B, s in slopes.items())
        + f" over t >= 10 (median of {GROUPS} independent groups of chains)",
        f"(a) every slope's 95% interval inside [{lo}, {hi}] (theory -1/2; a biased estimate levels off at its bias)",
        claims.verdict(all(within(s, MEAN_SLOPE) for s in slopes.values())),
        EVIDENCE,
    )


def variance_row(variance: pd.DataFrame) -> dict:
    v = variance_numbers(variance)
    lo, hi = VAR_SLOPE
    return claims.row(
        "C15",
        f"(b) noise falls as 1/B: tr Cov of the mini-batch gradient vs B (N = {v['N']}) has log-log slope "
        f"{v['slope'].fmt('.3f')} with replacement; max deviation from var_1/B {v['wr_dev']:.1%} (with replacement), "
        f"from var_1/B (N-B)/(N-1) {v['wo_dev']:.1%} (without, B < N); without replacement at B = N "
        f"{v['full']:.1g} var_1",
        f"(b) slope's 95% interval inside [{lo}, {hi}], both formulas within {FORMULA_TOL:.0%} at every B, and 0 at "
        f"B = N without replacement (< {ROUND_OFF:g} var_1)",
        claims.verdict(
            within(v["slope"], VAR_SLOPE) and max(v["wr_dev"], v["wo_dev"]) <= FORMULA_TOL and v["full"] < ROUND_OFF
        ),
        EVIDENCE,
    )
