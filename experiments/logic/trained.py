"""What trained nets do on truth tables (claims C02, C03, C05).

Seeds vectorised as one ensemble per cell (`mlp.train`): logistic regression on AND / OR /
XOR, MLPs on XOR by hidden width and activation, deep linear nets on XOR, and the check that
a stack of linear layers is one affine map.

Inputs are +-1 (the lecture's encoding, `mlp.boolean`); the sigmoid nets are trained with
binary cross-entropy on {0, 1} targets. A point is decided right when its output
pre-activation z has the sign of its target by at least DECISION_MARGIN, (2y - 1) z >= 1e-6
(f(x) = sigma(z) > 1/2 iff y = 1, away from round-off), wrong when (2y - 1) z <= -1e-6, and
undecided in between: trained nets often end at f = 1/2 on some points (deep linear nets on all
four, the ln2/2 valley on two), where the sign of z is round-off and may differ between CPUs.
A member succeeds when all four points are decided right.

Stationarity (`member_status`): the training loss is recorded at epochs E j / 10, j = 0..10;
a member is 'stationary' when its loss moved by at most `tol` (relative) over the last 10% of
the budget (`experiments.stats.last_change`), 'settled' when every point is decided right at
the end, was right already at 90% of the budget and the loss is still falling (on separable
data the infimum 0 of the loss lies at infinite weights, so the loss never stops moving but
the decisions have), else 'moving' (or 'diverged'). Converged = stationary or settled. "Right
at epoch e" is certified from the loss, robustly: a mean loss below ln(2) / 4 means every
point's loss is below ln 2, i.e. f is on the point's side of 1/2.
"""

from functools import reduce

import numpy as np
import pandas as pd

from experiments.convergence import CHECKPOINTS, CONVERGED, curves, status, train_on_table
from experiments.progress import progress
from experiments.stats import Estimate, fraction, last_change
from mlp.boolean import NAMED_2, function_outputs, truth_table_inputs
from mlp.network import Net, forward, init
from mlp.seeding import rng, rngs

TRAINED_FUNCTIONS = ("AND", "OR", "XOR")
SIGMOID_NET = {"output": "sigmoid", "loss": "binary_cross_entropy"}
POINTS = 4  # rows of a 2-input truth table
SUCCESS_POINTS = 4  # a member succeeds when this many points are decided right: all of them
DECISION_MARGIN = 1e-6  # |z| below this: the point's decision is round-off (undecided)
CERTIFIED_LOSS = float(np.log(2.0)) / POINTS  # a mean loss below this: every point right (f on its side of 1/2)


def targets01(name: str) -> np.ndarray:
    """{0, 1} targets of a named 2-input function, shape (4, 1)."""
    return function_outputs(NAMED_2[name], 2, "01")[:, None]


def outcome(net: Net, result, X, Y) -> pd.DataFrame:
    """Per member of a trained ensemble: points decided right and undecided at the end (from z),
    the loss at half, at 90% and at the end of the budget, its relative change over the last 10%
    of the budget, the margin min_i (2y_i - 1) z_i, the range of |z_i|, and divergence."""
    loss = curves(result, "train_loss")  # (M, 11)
    z = forward(net, result.params, X)[1][-1][0][..., 0]  # (M, 4) output pre-activations
    signed = (2 * Y[..., 0] - 1) * z  # (M, 4): > 0 where the point is right
    return pd.DataFrame(
        {
            "correct": np.sum(signed >= DECISION_MARGIN, axis=-1),
            "undecided": np.sum(np.abs(z) < DECISION_MARGIN, axis=-1),
            "loss_half": loss[:, CHECKPOINTS // 2],
            "loss_90": loss[:, CHECKPOINTS - 1],
            "loss": loss[:, -1],
            "last_change": [last_change(curve) for curve in loss],
            "margin": signed.min(axis=-1),
            "min_abs_z": np.abs(z).min(axis=-1),
            "max_abs_z": np.abs(z).max(axis=-1),
            "diverged": result.diverged_at >= 0,
        }
    )


def member_status(runs: pd.DataFrame, tol: float) -> pd.Series:
    """'diverged', 'stationary', 'settled' or 'moving' per member (see the module docstring)."""
    return status(runs, (runs["correct"] == POINTS) & (runs["loss_90"] < CERTIFIED_LOSS), tol)


def train_functions(net: Net, functions, seeds, key: str, cfg: dict):
    """Train len(functions) x len(seeds) nets as ONE ensemble (member = (function, seed)), each
    on its function's 4-row truth table; returns (final params, per-member frame)."""
    X = truth_table_inputs(2)  # (4, 2) shared by all members
    Y = np.stack([targets01(f) for f in functions for _ in seeds])  # (M, 4, 1)
    members = pd.DataFrame([{"function": f, "seed": s} for f in functions for s in seeds])
    params = init(net, cfg["init"], [rng(s, "init", key, f) for f in functions for s in seeds])
    shuffle = [rng(s, "shuffle", key, f) for f in functions for s in seeds]
    result = train_on_table(net, params, X, Y, cfg, shuffle)
    return result.params, pd.concat([members, outcome(net, result, X, Y)], axis=1)


def neuron_runs(seeds, cfg: dict) -> pd.DataFrame:
    """Logistic regression Net((2, 1), sigmoid, binary CE) on AND, OR, XOR over `seeds`, one
    ensemble; per member its `outcome` and the weights (w1, w2, b)."""
    params, runs = train_functions(Net((2, 1), **SIGMOID_NET), TRAINED_FUNCTIONS, seeds, "neuron", cfg)
    W, b = params[0]  # (M, 1, 2), (M, 1)
    return runs.assign(w1=W[:, 0, 0], w2=W[:, 0, 1], b=b[:, 0])


def neuron_summary(runs: pd.DataFrame, certs: pd.DataFrame, tol: float) -> pd.DataFrame:
    """Per function: LP separability, seeds, converged members, how often 4/4 was reached (all
    members, converged members), points correct, and the smallest |z| (decision robustness)."""
    sep = dict(zip(certs["name"], certs["separable"]))
    runs = runs.assign(converged=member_status(runs, tol).isin(CONVERGED))
    rows = []
    for name, g in runs.groupby("function", sort=False):
        conv = g[g["converged"]]
        rows.append(
            {
                "function": name,
                "lp_separable": sep[name],
                "seeds": len(g),
                "all_4": int((g["correct"] == POINTS).sum()),
                "min_correct": int(g["correct"].min()),
                "max_correct": int(g["correct"].max()),
                "mean_correct": g["correct"].mean(),
                "converged": len(conv),
                "all_4_converged": int((conv["correct"] == POINTS).sum()),
                "max_correct_converged": int(conv["correct"].max()) if len(conv) else -1,
                "median_last_change": g["last_change"].median(),
                "undecided": int((g["undecided"] > 0).sum()),
                "diverged": int(g["diverged"].sum()),
            }
        )
    return pd.DataFrame(rows)


def xor_cell_runs(activation: str, K: int, seeds, cfg: dict) -> pd.DataFrame:
    """Net((2, K, 1), activation, sigmoid output, binary CE) on XOR, all seeds as one ensemble;
    per member its `outcome` and success = SUCCESS_POINTS points correct after training."""
    X, Y = truth_table_inputs(2), targets01("XOR")
    net = Net((2, K, 1), hidden=activation, **SIGMOID_NET)
    params = init(net, cfg["init"], rngs(seeds, "init", "xor_mlp", activation, K))
    result = train_on_table(net, params, X, Y, cfg, rngs(seeds, "shuffle", "xor_mlp", activation, K))
    runs = outcome(net, result, X, Y)
    runs.insert(0, "seed", list(seeds))
    runs.insert(0, "width", K)
    runs.insert(0, "activation", activation)
    return runs.assign(success=runs["correct"] >= SUCCESS_POINTS)


def success_rates(runs: pd.DataFrame, tol: float) -> pd.DataFrame:
    """Per (activation, width): success over all seeds and over converged members, each with its
    exact 95% interval; the share certified right at half the epochs (loss < ln(2) / 4); how
    many members converged, still move, diverged, or end with a point undecided."""
    runs = runs.assign(status=member_status(runs, tol))
    rows = []
    for (act, K), g in runs.groupby(["activation", "width"], sort=False):
        conv = g[g["status"].isin(CONVERGED)]
        k, n, kc, nc = int(g["success"].sum()), len(g), int(conv["success"].sum()), len(conv)
        everyone, converged = fraction(k, n), fraction(kc, nc) if nc else Estimate(np.nan, 0.0, 1.0)
        rows.append(
            {
                "activation": act,
                "width": K,
                "seeds": n,
                "successes": k,
                "rate": k / n,
                "ci_low": everyone.lo,
                "ci_high": everyone.hi,
                "converged": nc,
                "successes_converged": kc,
                "rate_converged": converged.value,
                "converged_low": converged.lo,
                "converged_high": converged.hi,
                "rate_half_epochs": float((g["loss_half"] < CERTIFIED_LOSS).mean()),
                "stationary": int((g["status"] == "stationary").sum()),
                "settled": int((g["status"] == "settled").sum()),
                "moving": int((g["status"] == "moving").sum()),
                "max_correct": int(g["correct"].max()),
                "undecided": int((g["undecided"] > 0).sum()),
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


def linear_xor_runs(depths, width: int, seeds, cfg: dict) -> pd.DataFrame:
    """Deep linear nets Net((2, K, ..., K, 1), hidden="linear", sigmoid output, binary CE)
    trained on XOR, one ensemble of all seeds per depth; per member its `outcome`."""
    X, Y = truth_table_inputs(2), targets01("XOR")
    frames = []
    for L in progress(depths, "deep linear nets on XOR: depth"):
        net = Net((2, *[width] * L, 1), hidden="linear", **SIGMOID_NET)
        params = init(net, cfg["init"], rngs(seeds, "init", "linear_xor", L))
        result = train_on_table(net, params, X, Y, cfg, rngs(seeds, "shuffle", "linear_xor", L))
        runs = outcome(net, result, X, Y)
        runs.insert(0, "seed", list(seeds))
        runs.insert(0, "hidden_layers", L)
        frames.append(runs)
    return pd.concat(frames, ignore_index=True)


def linear_xor(runs: pd.DataFrame, width: int, tol: float) -> pd.DataFrame:
    """Per depth: how many members end with 0..4 points decided right, the most any member (and
    any converged member) gets, the lowest loss of a converged member (ln 2 is the least any
    affine map reaches on XOR), the largest |z|, converged / undecided / diverged counts."""
    runs = runs.assign(converged=member_status(runs, tol).isin(CONVERGED))
    rows = []
    for L, g in runs.groupby("hidden_layers", sort=False):
        alive = g[~g["diverged"]]
        conv = g[g["converged"]]
        rows.append(
            {
                "hidden_layers": L,
                "width": width,
                "seeds": len(g),
                **{f"correct_{c}": int((alive["correct"] == c).sum()) for c in range(POINTS + 1)},
                "max_correct": int(alive["correct"].max()) if len(alive) else -1,
                "converged": len(conv),
                "max_correct_converged": int(conv["correct"].max()) if len(conv) else -1,
                "min_loss_converged": conv["loss"].min(),
                "median_last_change": g["last_change"].median(),
                "max_abs_z": g["max_abs_z"].max(),
                "undecided": int((g["undecided"] > 0).sum()),
                "diverged": int(g["diverged"].sum()),
            }
        )
    return pd.DataFrame(rows)
