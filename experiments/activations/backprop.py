"""Backpropagation is the chain rule (C17): the lecture's worked example and backprop against
central finite differences for every registry combination.

The perturbed copies of the parameters ride on the core's ensemble axis, so one `objective`
call evaluates all of them.
"""

import numpy as np
import pandas as pd

from experiments.activations.losses import targets
from experiments.progress import progress
from mlp.activations import ACTIVATIONS
from mlp.losses import pairs
from mlp.network import Net, forward, init, objective
from mlp.params import flatten, unflatten
from mlp.seeding import rng

TOL_REL, TOL_ABS = 1e-6, 1e-8  # FD in float64 with step 1e-6: truncation ~1e-12, rounding ~1e-10


def chain_rule(ts, step: float) -> pd.DataFrame:
    """The lecture's example u = t^2, v = 3t + 1, r = u v: chain rule by hand, closed form, FD."""
    t = np.asarray(ts, dtype=float)
    u, v = t**2, 3 * t + 1
    chain = v * 2 * t + u * 3  # dr/du du/dt + dr/dv dv/dt = v (2t) + u (3)
    closed = 9 * t**2 + 2 * t
    fd = ((t + step) ** 2 * (3 * (t + step) + 1) - (t - step) ** 2 * (3 * (t - step) + 1)) / (2 * step)
    return pd.DataFrame(
        {
            "t": t,
            "u": u,
            "v": v,
            "r": u * v,
            "chain_rule": chain,
            "closed_form": closed,
            "finite_difference": fd,
            "abs_chain_minus_closed": np.abs(chain - closed),
            "abs_chain_minus_fd": np.abs(chain - fd),
        }
    )


def gradient_check(net: Net, params, X, Y, l2: float, step: float) -> dict:
    """Backprop gradient of `objective` vs central FD for all P parameters of one net (M = 1)."""
    bp = flatten(objective(net, params, X, Y, l2)[2])[0]  # (P,)
    theta = flatten(params)[0]
    P = theta.size
    E = step * np.eye(P)
    pert = unflatten(np.concatenate([theta + E, theta - E]), params)  # 2P ensemble members
    obj = objective(net, pert, X, Y, l2)[0]  # (2P,)
    fd = (obj[:P] - obj[P:]) / (2 * step)
    return {
        "n_params": P,
        "grad_norm": float(np.linalg.norm(bp)),
        **relative_error(bp, fd),
        "params_zero_grad": int(np.sum((bp == 0) & (fd == 0))),
    }


def relative_error(bp: np.ndarray, fd: np.ndarray) -> dict:
    """||bp - fd|| / (||bp|| + ||fd||) (NaN if both are 0) and the max absolute error."""
    denom = np.linalg.norm(bp) + np.linalg.norm(fd)
    return {
        "rel_err": float(np.linalg.norm(bp - fd) / denom) if denom > 0 else np.nan,
        "max_abs_err": float(np.abs(bp - fd).max()),
    }


def loss_from(net: Net, params, l: int, h: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """The loss as a function of layer l's activations: layers l+1..L+1 applied to h (M, 1, K_l)
    with the matching members of `params`; (M,)."""
    rest = Net(net.sizes[l:], hidden=net.hidden, output=net.output, loss=net.loss)
    return objective(rest, params[l:], h, Y)[1]


def fd_wrt(net: Net, params, l: int, a: np.ndarray, Y: np.ndarray, step: float, of_z: bool) -> np.ndarray:
    """Central FD of each sample's loss wrt its h^(l) (or z^(l) if `of_z`, then h = g(z)):
    perturb one unit at a time and propagate forward. a (B, K), Y (B, C) -> (B, K)."""
    B, K = a.shape
    E = step * np.eye(K)
    pert = np.concatenate([a[:, None, :] + E, a[:, None, :] - E], axis=1).reshape(2 * B * K, 1, K)  # (2BK, 1, K)
    h = ACTIVATIONS[net.hidden].g(pert) if of_z else pert
    member = np.repeat(np.arange(B), 2 * K)  # sample of each perturbed copy
    loss = loss_from(net, [(W[member], b[member]) for W, b in params], l, h, Y[member][:, None, :])
    loss = loss.reshape(B, 2, K)
    return (loss[:, 0] - loss[:, 1]) / (2 * step)


def layer_gradients(net: Net, params, X, Y, step: float) -> list[dict]:
    """The recursion's intermediate quantities per hidden layer l vs central FD wrt that layer:
    grad_z^(l) from the core's backward (its grad_b^(l) for single-sample members, B = 1, is
    grad_z^(l) itself), and grad_h^(l) = W^(l+1)^T grad_z^(l+1) from the core's grad_z^(l+1).
    One net (M = 1) and B samples; each sample rides on the ensemble axis."""
    B = X.shape[0]
    per_sample = [(np.repeat(W, B, axis=0), np.repeat(b, B, axis=0)) for W, b in params]  # M = B members
    Xs, Ys = X[:, None, :], Y[:, None, :]  # (B, 1, D), (B, 1, C)
    grads = objective(net, per_sample, Xs, Ys)[2]
    _, cache = forward(net, per_sample, Xs)
    rows = []
    for l in range(1, net.L + 1):
        z, h = (a[:, 0, :] for a in cache[l])  # (B, K_l)
        grad_z = grads[l - 1][1]  # (B, K_l): grad_b^(l) of a one-sample member
        grad_h = np.einsum("bk,bkj->bj", grads[l][1], per_sample[l][0])  # W^(l+1)^T grad_z^(l+1)
        for name, bp, a, of_z in (("grad_h", grad_h, h, False), ("grad_z", grad_z, z, True)):
            fd = fd_wrt(net, per_sample, l, a, Y, step, of_z)
            rows.append({"layer": l, "quantity": name, **relative_error(bp, fd)})
    return rows


def check_nets(depths, width: int, inputs: int, classes: int, batch: int, seed: int):
    """Every hidden activation x every valid (output, loss) pair x depth (registries read now):
    yields (keys, net, params, X, Y) with Glorot weights, biases ~ 0.1 N(0, 1) and random data."""
    for hidden in progress(sorted(ACTIVATIONS), "backprop checks: hidden activations"):
        for out, loss in pairs():
            for depth in depths:
                r = rng(seed, "gradcheck", hidden, out, loss, depth)
                net = Net((inputs, *[width] * depth, classes), hidden=hidden, output=out, loss=loss)
                params = [(W, b + 0.1 * r.standard_normal(b.shape)) for W, b in init(net, "glorot", [r])]
                X = r.standard_normal((batch, inputs))  # (B, D)
                Y = targets(loss, (batch, classes), r)  # (B, C)
                yield {"hidden": hidden, "output": out, "loss": loss, "depth": depth}, net, params, X, Y


def judged(df: pd.DataFrame) -> pd.DataFrame:
    """A check passes if its relative error is <= TOL_REL or, for a gradient so small that
    FD's rounding noise (~eps |L| / step ~ 1e-10) dominates it, its absolute error is <= TOL_ABS."""
    rel_ok = df["rel_err"].fillna(np.inf) <= TOL_REL
    df["error_used"] = np.where(rel_ok, "relative", "absolute")
    df["passes"] = rel_ok | (df["max_abs_err"] <= TOL_ABS)
    return df


def gradcheck_table(
    depths, width: int, inputs: int, classes: int, batch: int, l2s, step: float, seed: int
) -> pd.DataFrame:
    """Every hidden activation x every valid (output, loss) pair x depth x lambda: backprop vs FD
    for every parameter."""
    rows = [
        {**keys, "l2": l2, "step": step, **gradient_check(net, params, X, Y, l2, step)}
        for keys, net, params, X, Y in check_nets(depths, width, inputs, classes, batch, seed)
        for l2 in l2s
    ]
    return judged(pd.DataFrame(rows))


def layer_table(depths, width: int, inputs: int, classes: int, batch: int, step: float, seed: int) -> pd.DataFrame:
    """The same nets (lambda = 0): grad_h and grad_z of every hidden layer vs FD (`layer_gradients`)."""
    rows = [
        {**keys, "step": step, **row}
        for keys, net, params, X, Y in check_nets(depths, width, inputs, classes, batch, seed)
        for row in layer_gradients(net, params, X, Y, step)
    ]
    return judged(pd.DataFrame(rows))
