"""Losses and their gradients at the output pre-activation (C16).

Every (output map, loss) pair comes from the registries (`mlp.losses.pairs()`, read at call
time): a loss with `LOSSES[name].output` pairs with that map only, `squared` with every map.
Finite differences are central and in float64.
"""

import numpy as np
import pandas as pd

from experiments.activations.maps import sparsemax_bisection
from mlp.activations import ACTIVATIONS, simplex_names
from mlp.losses import LOSSES, loss_value_and_grad, pairs
from mlp.seeding import rng

LECTURE_NAME = {  # the lecture's words for the losses (figure labels)
    "squared": "squared loss",
    "cross_entropy": "cross-entropy",
    "binary_cross_entropy": "binary cross-entropy",
    "sparsemax": "sparsemax loss",
}
LECTURE_GRADIENT = {
    "squared": "dL/df = f - y",
    "cross_entropy": "softmax(z) - onehot(y)",
    "binary_cross_entropy": "sigmoid(z) - y",
    "sparsemax": "sparsemax(z) - onehot(y)",
}


def softmax_formula(z: np.ndarray) -> np.ndarray:
    """The lecture's softmax exp(z_c) / sum_c' exp(z_c'), written out (shifted by max z)."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# The lecture's gradients at z of the losses fused with their output map, computed here from
# the formulas (softmax written out, sigmoid by C07's identity, sparsemax by bisection), so
# that the core's own output maps and gradients are not their own reference
CLOSED_FORM = {
    "cross_entropy": lambda z, Y: softmax_formula(z) - Y,
    "binary_cross_entropy": lambda z, Y: (1 + np.tanh(z / 2)) / 2 - Y,
    "sparsemax": lambda z, Y: sparsemax_bisection(z) - Y,
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


def closed_form(out: str, loss: str, z, Y, step: float) -> tuple[np.ndarray, str]:
    """The gradient at z from a formula independent of the core's gradient code: CLOSED_FORM
    for a fused loss; J_o(z)^T (f - Y) for the squared loss, with the output map's Jacobian J_o
    by central differences (not the core's vjp). NaN where no formula is written down."""
    if LOSSES[loss].output is None:
        g = ACTIVATIONS[out].g
        E = step * np.eye(z.shape[-1])  # (C, C): perturb one logit at a time
        J = (g(z[..., None, :] + E) - g(z[..., None, :] - E)) / (2 * step)  # (B, C_in, C_out)
        return np.einsum("bkc,bc->bk", J, g(z) - Y), f"J_{out}(z)^T (f - y)"
    if loss in CLOSED_FORM:
        return CLOSED_FORM[loss](z, Y), f"{out}(z) - y"
    return np.full_like(z, np.nan), "none written"


def loss_gradients(batch: int, classes: int, step: float, seed: int) -> pd.DataFrame:
    """Per valid pair: the core's gradient at z vs central FD of the core's loss value, and vs
    the closed form written out here (`closed_form`)."""
    rows = []
    for out, loss in pairs():
        r = rng(seed, "gradcheck", "loss", out, loss)
        z = r.standard_normal((batch, classes))  # (B, C)
        Y = targets(loss, z.shape, r)
        _, grad = value_and_grad(out, loss, z, Y)
        E = step * np.eye(classes)  # (C, C): perturb one logit at a time
        zp, zm, Yc = z[:, None, :] + E, z[:, None, :] - E, Y[:, None, :]  # (B, C, C)
        fd = (value_and_grad(out, loss, zp, Yc)[0] - value_and_grad(out, loss, zm, Yc)[0]) / (2 * step)  # (B, C)
        closed, formula = closed_form(out, loss, z, Y, step)
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
    and dL/ds from the core's gradients. Simplex maps: z = (0, s), Y = (1, 0). An elementwise
    output (binary CE with a sigmoid) scores class 1 with the single logit z1 - z2 = -s, Y = 1.
    The squared loss is drawn on every simplex map, for contrast; "0/1 loss" is 1[s > 0]."""
    s = np.linspace(-s_lim, s_lim, n)
    zero_one = {"curve": "0/1 loss", "loss_name": "0/1", "output": "argmax", "loss": (s > 0).astype(float)}
    parts = [pd.DataFrame({**zero_one, "s": s, "dloss_ds": 0.0})]
    for out, loss in pairs():
        if out in simplex_names():
            z, Y, ds = np.column_stack([np.zeros_like(s), s]), np.tile([1.0, 0.0], (n, 1)), np.array([0.0, 1.0])
            label = f"{LECTURE_NAME.get(loss, loss)} on {out}"
        elif out == LOSSES[loss].output:
            z, Y, ds = -s[:, None], np.ones((n, 1)), np.array([-1.0])
            label = f"{LECTURE_NAME.get(loss, loss)} on {out}(z1 - z2)"
        else:
            continue  # squared on an elementwise output is regression, not a classification loss
        value, grad = value_and_grad(out, loss, z, Y)
        parts.append(
            pd.DataFrame(
                {"curve": label, "loss_name": loss, "output": out, "s": s, "loss": value, "dloss_ds": grad @ ds}
            )
        )
    return pd.concat(parts, ignore_index=True)
