"""Part (a): error vs width K of one-hidden-layer nets on 1-D targets, per activation.

For each width K and seed, one random hidden layer (`readout.hidden_layer`, slopes
w_scale sqrt(K) U[0.5, 1.5]) is shared by every activation (a paired comparison); the output
weights are the exact least-squares fit on the dense grid, the best net over its output weights.
Errors (sup and RMS) are measured on the same grid, next to the best polynomial fits of degree
0..3 of each target on that grid (least squares and minimax).
"""

import numpy as np
import pandas as pd

from experiments.progress import progress
from experiments.universality.polynomials import DEGREE, activation, minimax_error, polynomial_fit
from experiments.universality.readout import hidden_layer, lstsq_readout
from mlp.data import target_1d
from mlp.seeding import rng

DEGREES = range(0, max(DEGREE.values()) + 1)  # the polynomial fits tabulated per target
POLYNOMIAL_TOL = 1e-9  # a target whose degree-d fit is this close (relative sup) is a polynomial


def grid(points: int) -> np.ndarray:
    """The dense grid on [-1, 1] (fit and error)."""
    return np.linspace(-1.0, 1.0, points)


def targets(names, x: np.ndarray) -> np.ndarray:
    """(N, T): the named 1-D targets at x."""
    return np.stack([target_1d(t, x) for t in names], axis=1)


def errors(F: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sup and RMS errors over the points axis (-2) of fits F (..., N, T) of Y (N, T): each (..., T)."""
    r = F - Y
    return np.abs(r).max(axis=-2), np.sqrt(np.mean(r**2, axis=-2))


def polynomial_table(p: dict) -> pd.DataFrame:
    """Per target and degree d = 0..3: sup and RMS error of the least-squares polynomial on the
    grid, and the minimax (best sup) error of any polynomial of degree <= d."""
    x = grid(p["grid_points"])
    Y = targets(p["targets"], x)
    rows = []
    for d in DEGREES:
        sup, rms = errors(polynomial_fit(x, Y, d), Y)
        for t, name in enumerate(p["targets"]):
            if sup[t] <= POLYNOMIAL_TOL * np.abs(Y[:, t]).max():
                raise ValueError(
                    f"target {name!r} is a polynomial of degree <= {d} on the grid (least-squares sup error "
                    f"{sup[t]:.2g}): no plateau can be told from its fit; choose targets outside the polynomials "
                    f"of degree <= {max(DEGREES)}"
                )
            rows.append(
                {
                    "target": name,
                    "degree": d,
                    "ls_sup": sup[t],
                    "ls_rms": rms[t],
                    "minimax_sup": minimax_error(x, Y[:, t], d),
                }
            )
    return pd.DataFrame(rows)


def hidden_layers(K: int, p: dict) -> tuple[np.ndarray, np.ndarray]:
    """The n_seeds hidden layers of width K: W (M, K, 1), b (M, K)."""
    layers = [hidden_layer(1, K, rng(s, "universality", "widths", K), p["w_scale"] * np.sqrt(K)) for s in seeds(p)]
    return np.stack([W for W, _ in layers]), np.stack([b for _, b in layers])


def seeds(p: dict) -> range:
    return range(p["n_seeds"])


def width_table(p: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Errors of every (width, activation, seed, target), and the fitted curves at the largest
    width for seed 0 (for the figure)."""
    x = grid(p["grid_points"])
    Y = targets(p["targets"], x)
    rows, curves = [], []
    for K in progress(p["widths"], "widths"):
        W, b = hidden_layers(K, p)
        Z = x[None, :, None] * W[:, None, :, 0] + b[:, None, :]  # z = w x + b: (M, N, K)
        for name in p["activations"]:
            F, stationarity = lstsq_readout(activation(name).g(Z), Y)  # (M, N, T), (M,)
            sup, rms = errors(F, Y)  # (M, T)
            for s in seeds(p):
                for t, target in enumerate(p["targets"]):
                    rows.append(
                        {
                            "target": target,
                            "activation": name,
                            "K": K,
                            "seed": s,
                            "sup": sup[s, t],
                            "rms": rms[s, t],
                            "stationarity": stationarity[s],
                        }
                    )
            if K == max(p["widths"]):
                for t, target in enumerate(p["targets"]):
                    curves.append(pd.DataFrame({"target": target, "activation": name, "x": x, "f": F[0, :, t]}))
    return pd.DataFrame(rows), pd.concat(curves, ignore_index=True)
