"""C23 per cell (activation g, initialisation, depth L): gradient norms per layer at
initialisation, training within a fixed budget, and the exact zeros of the hidden units before
and after training. One ensemble per cell (the seeds), one `train` call.

Gradient norms: per training point i and hidden layer l, the back-propagated gradient
||dl_i/dz^(l)|| and the weight gradient ||dl_i/dW^(l)||_F, then the root mean square over the
points per member (Glorot and Bengio 2010 study these variances). Per member, the slope of
log10 norm against the layer's distance from the output (x = L - l): the log10 of the factor
the gradient gains per layer it travels back; "vanishing" = negative. Weight gradients are
fitted over l = 2..L only (W^(1) has the input's fan-in, not K). A member whose gradient is
exactly 0 at some layer (a layer off at every point: a dead net) has slope -inf.
"""

import numpy as np
import pandas as pd

from experiments import stats
from experiments.depth.task import deep_net, reaches, shuffles, start, status
from mlp.network import Net, forward, objective
from mlp.train import train


def layer_norms(net: Net, params, X, Y) -> tuple[np.ndarray, np.ndarray]:
    """RMS over the points X (P, D) of ||dl_i/dz^(l)|| and ||dl_i/dW^(l)||_F, each (M, L) per
    member and hidden layer. Every point is an ensemble axis of its own (params (M, 1, ...),
    inputs (P, 1, D)), so objective's batch mean over one point is that point's loss."""
    per_point = [(W[:, None], b[:, None]) for W, b in params]
    _, _, grads = objective(net, per_point, X[:, None, :], Y[:, None, :])
    hidden = grads[:-1]  # l = 1..L: grad_W (M, P, K_l, K_l-1), grad_b = dl_i/dz^(l) (M, P, K_l)
    delta = np.stack([np.sqrt(np.mean(np.sum(gb * gb, axis=-1), axis=1)) for _, gb in hidden], axis=-1)
    weight = np.stack([np.sqrt(np.mean(np.sum(gW * gW, axis=(-2, -1)), axis=1)) for gW, _ in hidden], axis=-1)
    return delta, weight


def slopes(norms: np.ndarray, first: int = 1) -> np.ndarray:
    """(M,) least-squares slope of log10 norm against x = L - l over hidden layers l = first..L;
    -inf for a member with a zero norm there, NaN with fewer than two layers."""
    L = norms.shape[-1]
    x = L - np.arange(first, L + 1)
    if len(x) < 2:
        return np.full(norms.shape[0], np.nan)
    fitted = norms[:, first - 1 :]
    return np.array([stats.slope(x, np.log10(n)).value if np.all(n > 0) else -np.inf for n in fitted])


def zero_fraction(net: Net, params, X) -> np.ndarray:
    """(M, L) fraction of hidden units exactly 0 (h = 0) over the inputs X, per member and layer."""
    _, cache = forward(net, params, X)
    return np.stack([np.mean(cache[l][1] == 0, axis=(-2, -1)) for l in range(1, net.L + 1)], axis=-1)


def log10_or_nan(x: np.ndarray) -> np.ndarray:
    """log10 x, NaN where x = 0 (a dead layer), without a warning."""
    return np.log10(np.where(x > 0, x, np.nan))


def column_quantiles(a: np.ndarray, qs) -> np.ndarray:
    """(len(qs), columns): quantiles of each column's finite values (NaN for none)."""
    out = np.full((len(qs), a.shape[1]), np.nan)
    for j, col in enumerate(a.T):
        finite = col[np.isfinite(col)]
        if finite.size:
            out[:, j] = np.quantile(finite, qs)
    return out


def train_cell(cfg: dict, scheme: str, depth: int, data) -> dict:
    """One cell: gradients at initialisation, training, zeros before and after; arrays per
    member (M,) or per member and layer (M, L)."""
    seeds = range(cfg["seed"], cfg["seed"] + cfg["seeds"])
    net = deep_net(cfg["activation"], depth, cfg["width"])
    params = start(net, scheme, seeds)
    P = cfg["grad_points"]
    delta, weight = layer_norms(net, params, data.X_train[:P], data.Y_train[:P])
    E = cfg["epochs"]
    res = train(
        net,
        params,
        data,
        lr=cfg["lr"],
        batch_size=cfg["batch"],
        epochs=E,
        eval_epochs=[E * 9 // 10, E],
        shuffle_rngs=shuffles(scheme, depth, seeds),
    )
    h = {k: v.reshape(2, len(seeds)) for k, v in res.history.items()}  # rows: epoch 0.9 E, E
    change = np.array([stats.last_change(curve) for curve in h["train_loss"].T])
    diverged = res.diverged_at >= 0
    with np.errstate(invalid="ignore"):  # diverged members are NaN
        zero_trained = zero_fraction(net, res.params, data.X_test)
    return {
        "delta": delta,
        "weight": weight,
        "slope_delta": slopes(delta),
        "slope_weight": slopes(weight, first=2),
        "loss_90": h["train_loss"][0],
        "loss": h["train_loss"][1],
        "last_change": change,
        "acc": h["train_acc"][1],
        "test_acc": h["test_acc"][1],
        "diverged": diverged,
        "status": status(diverged, change, h["train_acc"][0], h["train_acc"][1], cfg["stationary_tol"], cfg["bar"]),
        "reached": reaches(h["train_acc"][1], diverged, cfg["bar"]),
        "zero_init": zero_fraction(net, params, data.X_test),
        "zero_trained": zero_trained,
    }


def members_frame(cfg: dict, scheme: str, depth: int, c: dict) -> pd.DataFrame:
    """Per member: slopes, dead layers at init, training outcome, mean zero fractions."""
    seeds = np.arange(cfg["seed"], cfg["seed"] + cfg["seeds"])
    return pd.DataFrame(
        {
            "activation": cfg["activation"],
            "init": scheme,
            "depth": depth,
            "seed": seeds,
            "slope_delta": c["slope_delta"],
            "slope_weight": c["slope_weight"],
            "dead_layers_init": np.sum(c["delta"] == 0, axis=-1),
            "log10_delta_ratio": log10_or_nan(c["delta"][:, 0]) - log10_or_nan(c["delta"][:, -1]),
            **{k: c[k] for k in ("loss_90", "loss", "last_change", "acc", "test_acc", "diverged", "status", "reached")},
            "zero_init": c["zero_init"].mean(-1),
            "zero_trained": c["zero_trained"].mean(-1),
        }
    )


def layers_frame(cfg: dict, scheme: str, depth: int, c: dict) -> pd.DataFrame:
    """Per hidden layer: quartiles over members of log10 gradient norms at init (dead members
    left out), median zero fractions at init (all members) and after training (members that
    converged and reached the bar)."""
    counted = np.isin(c["status"], ("stationary", "settled")) & c["reached"]
    q25, q50, q75 = column_quantiles(log10_or_nan(c["delta"]), [0.25, 0.5, 0.75])
    trained = [
        stats.median(col) if counted.any() else stats.Estimate(np.nan, np.nan, np.nan)
        for col in c["zero_trained"][counted].T
    ]
    return pd.DataFrame(
        {
            "activation": cfg["activation"],
            "init": scheme,
            "depth": depth,
            "layer": np.arange(1, depth + 1),
            "dead": np.sum(c["delta"] == 0, axis=0),
            "log10_delta_q25": q25,
            "log10_delta_median": q50,
            "log10_delta_q75": q75,
            "log10_weight_median": column_quantiles(log10_or_nan(c["weight"]), [0.5])[0],
            "zero_init_median": np.median(c["zero_init"], axis=0),
            "counted": int(counted.sum()),
            "zero_trained_median": [e.value for e in trained],
            "zero_trained_lo": [e.lo for e in trained],
            "zero_trained_hi": [e.hi for e in trained],
        }
    )
