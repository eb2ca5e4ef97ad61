"""Backpropagation is the chain rule (C17): the lecture's worked example and backprop against
central finite differences for every registry combination.

The perturbed copies of the parameters ride on the core's ensemble axis, so one `objective`
call evaluates all of them.
"""

import numpy as np
import pandas as pd

from experiments.activations.losses import targets
from mlp.activations import ACTIVATIONS
from mlp.losses import pairs
from mlp.network import Net, init, objective
from mlp.params import flatten, unflatten
from mlp.seeding import rng

TOL_REL, TOL_ABS = 1e-6, 1e-8


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
    denom = np.linalg.norm(bp) + np.linalg.norm(fd)
    both_zero = int(np.sum((bp == 0) & (fd == 0)))
    return {
        "n_params": P,
        "grad_norm": float(np.linalg.norm(bp)),
        "rel_err": float(np.linalg.norm(bp - fd) / denom) if denom > 0 else np.nan,
        "max_abs_err": float(np.abs(bp - fd).max()),
        "params_zero_grad": both_zero,
    }


def gradcheck_table(
    depths, width: int, inputs: int, classes: int, batch: int, l2s, step: float, seed: int
) -> pd.DataFrame:
    """Every hidden activation x every valid (output, loss) pair x depth x lambda: backprop vs FD."""
    rows = []
    for hidden in sorted(ACTIVATIONS):
        for out, loss in pairs():
            for depth in depths:
                r = rng(seed, "gradcheck", hidden, out, loss, depth)
                net = Net((inputs, *[width] * depth, classes), hidden=hidden, output=out, loss=loss)
                params = [(W, b + 0.1 * r.standard_normal(b.shape)) for W, b in init(net, "glorot", [r])]
                X = r.standard_normal((batch, inputs))  # (B, D)
                Y = targets(loss, (batch, classes), r)  # (B, C)
                for l2 in l2s:
                    rows.append(
                        {
                            "hidden": hidden,
                            "output": out,
                            "loss": loss,
                            "depth": depth,
                            "l2": l2,
                            "step": step,
                            **gradient_check(net, params, X, Y, l2, step),
                        }
                    )
    df = pd.DataFrame(rows)
    df["error_used"] = np.where(df["rel_err"].notna(), "relative", "absolute (relative undefined: zero gradient)")
    df["passes"] = np.where(df["rel_err"].notna(), df["rel_err"] <= TOL_REL, df["max_abs_err"] <= TOL_ABS)
    return df
