"""Losses and their gradients at the output pre-activation (C16).

Every (output map, loss) pair comes from the registries (`mlp.losses.pairs()`, read at call
time): a loss with `LOSSES[name].output` pairs with that map only, `squared` with every map.
Finite differences are central and in float64.
"""

import numpy as np
import pandas as pd

from mlp.activations import ACTIVATIONS, simplex_names
from mlp.losses import LOSSES, loss_value_and_grad, pairs
from mlp.seeding import rng

LECTURE_GRADIENT = {
    "squared": "dL/df = f - y",
    "cross_entropy": "softmax(z) - onehot(y)",
    "binary_cross_entropy": "sigmoid(z) - y",
    "sparsemax": "sparsemax(z) - onehot(y)",
}


def targets(loss: str, shape, r: np.random.Generator) -> np.ndarray:
    """Targets of the output's shape: real for squared, {0,1} for binary CE, one-hot rows otherwise."""
    if loss == "squared":
        return r.standard_normal(shape)
    if LOSSES[loss].output in simplex_names():
        return np.eye(shape[-1])[r.integers(shape[-1], size=shape[:-1])]
    return r.integers(0, 2, size=shape).astype(float)


def value_and_grad(out: str, loss: str, z, Y):
    """The core's per-sample loss and gradient at z for the output map `out`."""
    return loss_value_and_grad(out, loss, z, ACTIVATIONS[out].g(z), Y)


def loss_gradients(batch: int, classes: int, step: float, seed: int) -> pd.DataFrame:
    """Per valid pair: the core's gradient at z vs central FD of the core's loss value, and vs
    the closed form: o(z) - Y for fused losses, J_o(z)^T (f - Y) for the squared loss with
    J_o by finite differences of the output map (independent of the core's vjp)."""
    rows = []
    for out, loss in pairs():
        r = rng(seed, "gradcheck", "loss", out, loss)
        z = r.standard_normal((batch, classes))  # (B, C)
        Y = targets(loss, z.shape, r)
        _, grad = value_and_grad(out, loss, z, Y)
        E = step * np.eye(classes)  # (C, C): perturb one logit at a time
        zp, zm = z[:, None, :] + E, z[:, None, :] - E  # (B, C, C)
        fd = (value_and_grad(out, loss, zp, Y[:, None, :])[0] - value_and_grad(out, loss, zm, Y[:, None, :])[0]) / (
            2 * step
        )  # (B, C)
        g = ACTIVATIONS[out].g
        if LOSSES[loss].output:
            closed, formula = g(z) - Y, f"{out}(z) - y"
        else:
            J = (g(zp) - g(zm)) / (2 * step)  # (B, C_in, C_out): J[b, k, c] = d f_c / d z_k
            closed, formula = np.einsum("bkc,bc->bk", J, g(z) - Y), f"J_{out}(z)^T (f - y)"
        rows.append(
            {
                "loss": loss,
                "output": out,
                "gradient_at_z": formula,
                "lecture": LECTURE_GRADIENT.get(loss, ""),
                "max_abs_grad": float(np.abs(grad).max()),
                "max_abs_err_fd": float(np.abs(grad - fd).max()),
                "max_abs_err_closed_form": float(np.abs(grad - closed).max()),
            }
        )
    return pd.DataFrame(rows)


def zero_one_loss(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """1[argmax_c z_c != y] (ties go to the first maximal class)."""
    return (np.argmax(z, axis=-1) != y).astype(float)


def zero_one_fd(points: int, classes: int, steps, seed: int) -> pd.DataFrame:
    """Central differences of the 0/1 loss in every coordinate, at random logits and at ties.

    At a random point the difference is nonzero only if the step crosses the decision boundary
    (margin = top logit - runner-up <= step); at a tie z = (a, a, ...) it is 1/(2 step),
    unbounded as step -> 0: the loss jumps there.
    """
    r = rng(seed, "gradcheck", "zero_one")
    z = r.standard_normal((points, classes))
    y = r.integers(classes, size=points)
    top2 = -np.sort(-z, axis=-1)[:, :2]
    margin = top2[:, 0] - top2[:, 1]  # (N,) distance (in logits) to the nearest decision boundary
    tie = np.zeros((1, classes))
    tie[0, :2] = 1.0  # classes 1 and 2 tied
    rows = []
    for h in steps:
        E = h * np.eye(classes)
        fd = (zero_one_loss(z[:, None] + E, y[:, None]) - zero_one_loss(z[:, None] - E, y[:, None])) / (2 * h)
        nonzero = np.any(fd != 0, axis=1)
        fd_tie = (zero_one_loss(tie + E, 0) - zero_one_loss(tie - E, 0)) / (2 * h)
        rows.append(
            {
                "step": h,
                "points": points,
                "classes": classes,
                "fraction_fd_exactly_0": float(np.mean(fd == 0)),
                "points_with_nonzero_fd": int(nonzero.sum()),
                "nonzero_fd_with_margin_gt_2step": int(np.sum(nonzero & (margin > 2 * h))),
                "max_abs_fd_at_tie": float(np.abs(fd_tie).max()),
            }
        )
    return pd.DataFrame(rows)


def loss_curves(s_lim: float = 3.0, n: int = 601) -> pd.DataFrame:
    """Classification losses vs s = z2 - z1 with the correct label y = 1 (the first class),
    and dL/ds. Simplex maps: z = (0, s), Y = (1, 0). An elementwise output (binary CE with a
    sigmoid) scores class 1 with the single logit z1 - z2 = -s, Y = 1. The squared loss is drawn
    on every simplex map, for contrast."""
    s = np.linspace(-s_lim, s_lim, n)
    parts = [pd.DataFrame({"curve": "0/1 loss", "s": s, "loss": (s > 0).astype(float), "dloss_ds": 0.0})]
    for out, loss in pairs():
        if out in simplex_names():
            z, Y, ds = np.column_stack([np.zeros_like(s), s]), np.tile([1.0, 0.0], (n, 1)), np.array([0.0, 1.0])
        elif out == LOSSES[loss].output:
            z, Y, ds = -s[:, None], np.ones((n, 1)), np.array([-1.0])
        else:
            continue  # squared on an elementwise output is regression, not a classification loss
        value, grad = value_and_grad(out, loss, z, Y)
        label = f"{loss} ({out} of z1 - z2)" if out not in simplex_names() else f"{loss} ({out})"
        parts.append(pd.DataFrame({"curve": label, "s": s, "loss": value, "dloss_ds": grad @ ds}))
    return pd.concat(parts, ignore_index=True)
