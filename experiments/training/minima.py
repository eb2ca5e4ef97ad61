"""C18: training is non-convex; the same net on the same data ends in different minima.

Many initial weights (one ensemble, one member per seed) on fixed data and a fixed order,
so the initial weights are the only thing that varies. Each run is measured at the end of
its budget and 10% of the budget earlier, so it reports how far it still moves:

- all training points classified correctly: the run is in a valley of the loss that falls
  to 0 as the output layer grows (scaling the output layer by c > 1 lowers every point's
  loss), so its limit is the global infimum 0 whatever its current loss;
- otherwise it counts as settled if its training loss changed by less than STATIONARY_TOL
  (relative) over the last 10% of the budget and the Hessian of the training loss has no
  clearly negative eigenvalue (a settled run on a saddle's plateau would leave it); a settled
  run whose weight norm still grows by more than NORM_TOL is in a valley reached only as the
  weights grow, not at a finite minimum;
- anything else is still moving (or at a saddle) and is not counted.

Non-convexity is also shown directly: swapping two hidden units of the first hidden layer
(rows of W1 and b1, columns of W2) gives another solution with the same loss; if the loss
were convex, the midpoint of the two could not have a higher loss than they have.
"""

import numpy as np
import pandas as pd

from mlp.boolean import NAMED_2, function_outputs, truth_table_inputs
from mlp.data import Split, playground_split
from mlp.network import Net, init, objective
from mlp.params import flatten, pick, unflatten
from mlp.seeding import rng, rngs
from mlp.train import train

STATIONARY_TOL = 1e-3  # relative change of the training loss over the last 10% of the budget
NORM_TOL = 1e-3  # relative growth of ||theta|| over the last 10%: above it, the weights still grow
SADDLE_TOL = 1e-3  # smallest Hessian eigenvalue below -SADDLE_TOL x the largest |eigenvalue|: a saddle
FD_STEP = 1e-5  # central-difference step of the Hessian (float64 gradients: error ~ 1e-10)
OUTCOMES = ("zero-loss valley", "finite minimum", "valley, weights growing", "saddle", "still moving", "diverged")
COUNTED = OUTCOMES[:3]  # runs whose end point is known
COLUMNS = [
    "task",
    "seed",
    "train_loss",
    "train_acc",
    "stationarity",
    "norm",
    "norm_change",
    "grad_norm",
    "curvature",
    "outcome",
]


def task_net(cfg: dict) -> Net:
    return Net((2, *cfg["hidden_sizes"], 1), cfg["activation"], cfg["output"], cfg["loss"])


def task_data(cfg: dict, net: Net) -> Split:
    """XOR's 4 rows (+-1 inputs; targets {0, 1} for a sigmoid output, else +-1) or one
    fixed Playground split."""
    if cfg["task"] == "xor":
        X, y = truth_table_inputs(2), function_outputs(NAMED_2["XOR"], 2)[:, None]
        Y = (y + 1) / 2 if net.output == "sigmoid" else y
        return Split(X, Y, X, Y)
    return playground_split(
        cfg["dataset"], rng(cfg["data_seed"], "minima", "data"), noise=cfg["noise"], train_pct=cfg["train_pct"]
    )


def initial_params(cfg: dict, net: Net) -> list:
    """One initial draw per seed."""
    return init(net, cfg["init"], rngs(range(cfg["n_seeds"]), "minima", cfg["task"], "init"))


def norm(params) -> np.ndarray:
    """||theta|| per member, over every weight and bias."""
    return np.linalg.norm(flatten(params), axis=1)


def curvature(net: Net, params, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Per member: the smallest eigenvalue of the Hessian of the training loss over the
    largest |eigenvalue| (negative: a direction of descent, a saddle). The Hessian comes
    from central differences of the backprop gradient, one parameter at a time."""
    theta = flatten(params)  # (M, P)
    ok = np.isfinite(theta).all(axis=1)  # diverged members: NaN

    def grad(t):
        return flatten(objective(net, unflatten(t, pick(params, ok)), X, Y)[2])

    steps = FD_STEP * np.eye(theta.shape[1])
    H = np.stack([grad(theta[ok] + e) - grad(theta[ok] - e) for e in steps], axis=-1) / (2 * FD_STEP)  # (M, P, P)
    eig = np.linalg.eigvalsh((H + H.swapaxes(-1, -2)) / 2)  # ascending
    out = np.full(len(theta), np.nan)
    out[ok] = eig[:, 0] / np.maximum(np.abs(eig).max(axis=1), np.finfo(float).tiny)
    return out


def outcome(all_correct, stationarity, norm_change, curvature) -> np.ndarray:
    """Each run's outcome (see the module docstring)."""
    settled = stationarity < STATIONARY_TOL
    saddle = curvature < -SADDLE_TOL
    return np.select(
        [all_correct, settled & saddle, settled & (norm_change > NORM_TOL), settled],
        [OUTCOMES[0], OUTCOMES[3], OUTCOMES[2], OUTCOMES[1]],
        OUTCOMES[4],
    )


def final_losses(cfg: dict) -> tuple[pd.DataFrame, list]:
    """Per seed: training loss and accuracy at the end of the budget, the relative change of
    the loss and of ||theta|| over its last 10%, the gradient norm and the outcome; and the
    final parameters. Trained in two legs (90%, then 10%) so the earlier point is exact."""
    net = task_net(cfg)
    data = task_data(cfg, net)
    B = cfg["batch_size"] or data.X_train.shape[0]  # 0: full batch
    E = cfg["epochs"]
    tail = max(1, E // 10)
    fit = dict(lr=cfg["lr"], batch_size=B, classify=True)
    early = train(net, initial_params(cfg, net), data, epochs=E - tail, eval_epochs=[], **fit).params  # 90%
    res = train(net, early, data, epochs=tail, eval_epochs=[0, tail], **fit)  # the last 10%
    params = res.params
    h = pd.DataFrame(res.history)
    start, end = h[h["epoch"] == 0].sort_values("member"), h[h["epoch"] == tail].sort_values("member")
    loss, before = end["train_loss"].to_numpy(), start["train_loss"].to_numpy()
    n0, n1 = norm(early), norm(params)
    _, _, grads = objective(net, params, data.X_train, data.Y_train)
    stationarity = np.abs(loss - before) / np.maximum(loss, np.finfo(float).tiny)
    table = pd.DataFrame(
        {
            "task": cfg["task"],
            "seed": range(cfg["n_seeds"]),
            "train_loss": loss,
            "train_acc": end["train_acc"].to_numpy(),
            "stationarity": stationarity,
            "norm": n1,
            "norm_change": (n1 - n0) / n0,
            "grad_norm": np.linalg.norm(flatten(grads), axis=1),
        }
    )
    table["curvature"] = curvature(net, params, data.X_train, data.Y_train)
    table["outcome"] = outcome(table["train_acc"] == 1.0, stationarity, table["norm_change"], table["curvature"])
    table.loc[~np.isfinite(loss), "outcome"] = OUTCOMES[5]
    return table[COLUMNS], params
