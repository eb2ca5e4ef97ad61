"""Montufar et al.'s folding construction counted exactly on a grid of (D, K, L), next to the
paper's lower bound, the published upper bounds and the lecture's formula as printed.

The lecture prints O( C(K, D)^{D(L-1)} K^D ). Montufar et al. 2014 prove a LOWER bound on the
maximum number of regions, prod_{l<L} floor(K_l / D)^D * sum_{j<=D} C(K_L, j), i.e.
Omega((K/D)^{D(L-1)} K^D) for equal widths, reached by hand-built (folding) weights. Counts are
exact (mlp.regions): activation regions (pieces with one activation pattern) and linear regions
(adjacent pieces with one output affine map merged).
"""

from math import comb

import pandas as pd

from experiments.progress import progress
from mlp.bounds import (
    activation_pattern_bound,
    montufar2017_upper_bound,
    montufar_lower_bound,
    serra_upper_bound,
)
from mlp.constructions import montufar_net
from mlp.regions import count_regions

COUNTS = ["exact_activation", "exact_linear", "decisions", "noise_band"]  # integers, absent where not counted


def lecture_formula(D: int, K: int, L: int) -> int:
    """The lecture's expression as printed, C(K, D)^{D(L-1)} K^D (the O() dropped)."""
    return comb(K, D) ** (D * (L - 1)) * K**D


def bound_columns(D: int, widths) -> dict:
    """Bounds on the number of regions of a net with these hidden widths (exact ints)."""
    return {
        "montufar_lower_bound": montufar_lower_bound(D, widths) if min(widths[:-1] + [D]) >= D else None,
        "serra_upper_bound": serra_upper_bound(D, widths),
        "montufar2017_upper_bound": montufar2017_upper_bound(D, widths),
        "pattern_bound_2N": activation_pattern_bound(widths),
        "lecture_formula_as_printed": lecture_formula(D, widths[0], len(widths)) if len(set(widths)) == 1 else None,
    }


def grid_cells(grid) -> list[tuple[int, int, int]]:
    """The (D, K, L) cells of the config's grid [{"D": D, "K": [...], "L": [...]}, ...]."""
    return [(cell["D"], K, L) for cell in grid for K in cell["K"] for L in cell["L"]]


def construction_table(grid, max_regions: int) -> pd.DataFrame:
    """Montufar's folding net for every (D, K, L) of the grid: formula vs exact counts on its box.

    Cells whose formula exceeds max_regions are listed with their bounds but not counted.
    """
    rows = []
    for D, K, L in progress(grid_cells(grid), "construction cells"):
        row = {"D": D, "K": K, "L": L, "N": K * L, **bound_columns(D, [K] * L)}
        row["counted"] = row["montufar_lower_bound"] <= max_regions
        if row["counted"]:
            r = count_regions(*montufar_net(D, K, L))
            row |= {"exact_activation": r.n_activation, "exact_linear": r.n_linear}
            row |= {"decisions": r.decisions.total, "noise_band": r.decisions.noise_band}
        rows.append(row)
    df = pd.DataFrame(rows)
    df = df.reindex(columns=list(dict.fromkeys([*df.columns, *COUNTS]))).astype({c: "Int64" for c in COUNTS})
    df["equal"] = (df["exact_activation"] == df["montufar_lower_bound"]) & (
        df["exact_linear"] == df["montufar_lower_bound"]
    )
    first = ["D", "K", "L", "N", "montufar_lower_bound", "exact_activation", "exact_linear", "equal", "counted"]
    return df[first + [c for c in df.columns if c not in first]].sort_values(["D", "K", "L"])
