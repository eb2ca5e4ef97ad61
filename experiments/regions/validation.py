"""The region counter against independent facts: Zaslavsky's count for one layer of lines in
general position, the distinct activation patterns on a dense grid (a lower bound, and every
grid pattern must be one of the exact regions), and the tent map's 2^L pieces."""

import numpy as np
import pandas as pd

from experiments.progress import progress
from experiments.regions.depth import random_params
from experiments.regions.plan import widths_for
from mlp.bounds import zaslavsky
from mlp.constructions import montufar_net, tent_map_net
from mlp.regions import activation_pattern, count_regions
from mlp.seeding import rng

PHI = (np.sqrt(5.0) - 1) / 2  # grid phase: irrational, so no grid point falls on a rational boundary


def general_position_layer(D: int, K: int, gen) -> tuple[list, np.ndarray]:
    """One hidden layer of K random hyperplanes in R^D (D in {1, 2}) with a generic output, and a
    box (D, 2) that contains every vertex of the arrangement (so every region meets it)."""
    W, b = gen.normal(size=(K, D)), gen.normal(size=K)
    params = [(W, b), (gen.normal(size=(1, K)), np.zeros(1))]
    if D == 1:
        pts = (-b / W[:, 0])[:, None]  # (K, 1)
    else:
        pairs = [(i, j) for i in range(K) for j in range(i + 1, K)]
        pts = np.array([np.linalg.solve(W[[i, j]], -b[[i, j]]) for i, j in pairs]).reshape(-1, 2)
        pts = np.concatenate([pts, -b[:, None] * W / (W**2).sum(1, keepdims=True)])  # a point of each line
    return params, np.stack([pts.min(0) - 1, pts.max(0) + 1], axis=1)


def grid_patterns(params, box, n: int) -> np.ndarray:
    """Distinct activation patterns at the n x n grid points of the box (cell centres shifted by
    an irrational phase): a lower bound on the number of activation regions."""
    axes = [lo + (np.arange(n) + PHI) * (hi - lo) / n for lo, hi in np.asarray(box, dtype=float)]
    X = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 2)
    return np.unique(np.packbits(activation_pattern(params, X), axis=1), axis=0)


def zaslavsky_rows(p: dict) -> list[dict]:
    rows = []
    for D in (1, 2):
        for K in p["zaslavsky_K"]:
            for seed in range(p["n_seeds"]):
                r = count_regions(*general_position_layer(D, K, rng(seed, "zaslavsky", D, K)))
                expected = zaslavsky(D, K)
                for kind, got in (("activation", r.n_activation), ("linear", r.n_linear)):
                    rows.append(
                        {
                            "check": "zaslavsky",
                            "case": f"D={D}, K={K}, seed {seed}, {kind}",
                            "expected": f"= {expected}",
                            "measured": got,
                            "holds": got == expected,
                        }
                    )
    return rows


def grid_rows(p: dict) -> list[dict]:
    nets = {f"folding D=2, K={K}, L={L}": montufar_net(2, K, L) for K, L in p["grid_constructions"]}
    for L in p["grid_random_depths"]:
        widths = widths_for(p["grid_random_neurons"], L)
        for seed in range(p["n_seeds"]):
            nets[f"random widths {widths}, seed {seed}"] = (
                random_params(widths, [seed], p["bias_std"], "grid")[0],
                np.array([[-1.0, 1.0], [-1.0, 1.0]]),
            )
    rows = []
    for name, (params, box) in progress(nets.items(), "dense-grid nets"):
        r = count_regions(params, box)
        found = grid_patterns(params, box, p["grid_points"])
        exact = np.unique(np.packbits(r.pattern, axis=1), axis=0)
        missing = len(np.unique(np.concatenate([exact, found]), axis=0)) - len(exact)
        rows.append(
            {
                "check": "dense grid",
                "case": f"{name}: {p['grid_points']}^2 points, {missing} grid patterns not among the exact regions",
                "expected": f"<= {r.n_activation} (exact activation regions)",
                "measured": len(found),
                "holds": len(found) <= r.n_activation and missing == 0,
            }
        )
    return rows


def tent_rows(p: dict) -> list[dict]:
    rows = []
    for L in p["tent_L"]:
        r = count_regions(tent_map_net(L), [[0.0, 1.0]])
        for kind, got in (("activation", r.n_activation), ("linear", r.n_linear)):
            rows.append(
                {
                    "check": "tent map",
                    "case": f"m^{L} on [0, 1], {kind}",
                    "expected": f"= {2**L}",
                    "measured": got,
                    "holds": got == 2**L,
                }
            )
    return rows


def n_checks(p: dict) -> int:
    """Rows of the validation table the config implies."""
    zas = 2 * 2 * len(p["zaslavsky_K"]) * p["n_seeds"]  # D in {1, 2}, activation and linear
    grid = len(p["grid_constructions"]) + len(p["grid_random_depths"]) * p["n_seeds"]
    return zas + grid + 2 * len(p["tent_L"])


def validation_table(p: dict) -> pd.DataFrame:
    """Every check of the counter, one row each: check, case, expected, measured, holds."""
    return pd.DataFrame(zaslavsky_rows(p) + grid_rows(p) + tent_rows(p))
