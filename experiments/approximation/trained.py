"""Trained one-hidden-layer nets of every width for one activation and every target (C10; the
plain-SGD rows are also the C19 evidence of the conclusion family).

f(x) = sum_k a_k g(w_k x + b_k) + c on [-1, 1]. Per width K, R = `restarts_for(K)` starting
nets with `spread_features`, each trained on every target, all in one ensemble:
* "lbfgs": least-squares readout, then full-batch L-BFGS on p["train_points"] grid points for
  p["lbfgs_maxiter"] iterations (a strong optimiser: how good a net of width K can be found);
* "sgd": zero readout, then plain mini-batch SGD (mlp.train.train, reshuffled every epoch) on
  p["sgd"]["train_points"] grid points for a fixed budget of epochs, the rate stepped down at
  the end (p["sgd"]["schedule"], in units of `sgd_rate`'s bound) so that SGD's noise settles,
  at the widths p["sgd"]["widths"].
Every member reports its stationarity (`stats.last_change` of its training loss over the last
10% of the budget) and its sup and RMS error on a dense grid of p["eval_points"] points.
"""

import numpy as np
import pandas as pd

from experiments.approximation.fitting import fit_lbfgs, lstsq_readout, sgd_rate, spread_features
from experiments.approximation.plan import restarts_for
from experiments.progress import progress
from experiments.stats import last_change
from mlp.data import Split, target_1d
from mlp.network import Net, predict
from mlp.seeding import rngs
from mlp.train import train_schedule

RECORDS = 100  # points of the SGD loss curve (every budget / RECORDS epochs)


def grid(n: int) -> np.ndarray:
    """n equally spaced points of [-1, 1] as inputs (n, 1)."""
    return np.linspace(-1.0, 1.0, n)[:, None]


def errors(f: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sup norm and RMS of f - y over the last axis of (..., N)."""
    d = f - y
    return np.abs(d).max(axis=-1), np.sqrt(np.mean(d**2, axis=-1))


def fit_sgd(net: Net, W1: np.ndarray, b1: np.ndarray, targets: list[str], s: dict, shuffle):
    """Plain SGD from the first layers (W1, b1) (M = len(targets) x R members, member t R + r
    learns targets[t]) and a zero readout, on the piecewise-constant rate s["schedule"] (each
    segment's lr in units of `sgd_rate`'s bound; the shuffling streams run on across segments).
    Returns (params, final training loss (M,), last_change (M,))."""
    M, K = W1.shape[0], W1.shape[1]
    X = grid(s["train_points"])
    Y = member_targets(targets, X, M)
    unit = sgd_rate(net, W1, b1, X, 1.0)
    total = sum(seg["epochs"] for seg in s["schedule"])
    res = train_schedule(
        net,
        [(W1, b1), (np.zeros((M, 1, K)), np.zeros((M, 1)))],
        Split(X, Y, X[:1], Y[:1, :1]),
        [{"lr": seg["lr"] * unit, "epochs": seg["epochs"]} for seg in s["schedule"]],
        eval_epochs=range(0, total + 1, max(1, total // RECORDS)),
        batch_size=s["batch_size"],
        shuffle_rngs=shuffle,
    )
    curve = pd.DataFrame(res.history).pivot(index="epoch", columns="member", values="train_loss").to_numpy()
    return res.params, curve[-1], np.array([last_change(c) for c in curve.T])


def member_targets(targets: list[str], X: np.ndarray, M: int) -> np.ndarray:
    """Targets of M = len(targets) x R members at X (N, 1): member t R + r learns targets[t]. (M, N, 1)"""
    Y = np.stack([target_1d(t, X) for t in targets])  # (T, N, 1)
    return np.repeat(Y, M // len(targets), axis=0)


def per_member(R: int, targets: list[str], *key) -> list:
    """Generators of the M = len(targets) x R members: restart r draws the same stream for every
    target (the same starting net and shuffling), a fresh Generator per member."""
    return [g for _ in targets for g in rngs(range(R), *key)]


def width_cell(activation: str, p: dict) -> pd.DataFrame:
    """One row per (target, method, K, restart): target, activation, method, K, restart,
    train_loss, last_change, sup, rms (see the module docstring). Every target is learnt by R
    restarts from the same R starting nets, all in one ensemble."""
    targets = p["targets"]
    X, Xe = grid(p["train_points"]), grid(p["eval_points"])
    key = ("approximation", p["seed"], activation)
    rows = []
    for K in progress(p["widths"], f"{activation} widths"):
        R = restarts_for(K, p)
        members = [(t, r) for t in targets for r in range(R)]  # member t R + r
        net = Net((1, K, 1), hidden=activation, output="linear", loss="squared")
        W1, b1 = spread_features(K, per_member(R, targets, *key, "init", K), -1.0, 1.0, p["w_scale"])
        Y = member_targets(targets, X, len(members))
        params, loss, history = fit_lbfgs(net, lstsq_readout(net, W1, b1, X, Y), X, Y, p["lbfgs_maxiter"])
        fits = {"lbfgs": (params, loss, np.array([last_change(c) for c in history.T]))}
        if K in p["sgd"]["widths"]:
            fits["sgd"] = fit_sgd(net, W1, b1, targets, p["sgd"], per_member(R, targets, *key, "shuffle", K))
        ye = member_targets(targets, Xe, len(members))[..., 0]  # (M, N_eval)
        for method, (params, loss, change) in fits.items():
            with np.errstate(over="ignore", invalid="ignore"):
                sup, rms = errors(predict(net, params, Xe)[..., 0], ye)  # (M,)
            rows += [
                {
                    "target": t,
                    "activation": activation,
                    "method": method,
                    "K": K,
                    "restart": r,
                    "train_loss": loss[m],
                    "last_change": change[m],
                    "sup": sup[m],
                    "rms": rms[m],
                }
                for m, (t, r) in enumerate(members)
            ]
    return pd.DataFrame(rows)
