"""The measurement of the depth family: parameters in, a table, a figure and claim rows out.

Example (replace it): the sigmoid's symmetry sigma(-z) = 1 - sigma(z) on a grid.
"""

import numpy as np
import pandas as pd

from experiments import claims
from experiments.plotting import color, figure
from mlp.activations import ACTIVATIONS


def measure(points: int, z_max: float) -> pd.DataFrame:
    """|sigma(-z) - (1 - sigma(z))| on `points` equally spaced z in [-z_max, z_max]."""
    z = np.linspace(-z_max, z_max, points)
    sigma = ACTIVATIONS["sigmoid"].g
    return pd.DataFrame({"z": z, "error": np.abs(sigma(-z) - (1 - sigma(z)))})


def claim_rows(table: pd.DataFrame, tolerance: float) -> pd.DataFrame:
    worst = float(table["error"].max())
    return pd.DataFrame(
        [
            claims.row(
                "C22",
                f"max |sigma(-z) - (1 - sigma(z))| = {worst:.2g} over {len(table)} points",
                f"<= {tolerance:g}",
                claims.verdict(worst <= tolerance),
                "results/depth/measurements.csv; figures/depth/measurements.png",
                kind="sanity check",
            )
        ]
    )


def plot(table: pd.DataFrame):
    fig, axes = figure(1, 1)
    ax = axes[0, 0]
    ax.plot(table["z"], table["error"], color=color("sigmoid"))
    ax.set(xlabel="z", ylabel="|sigma(-z) - (1 - sigma(z))|", title="sigmoid symmetry: error on the grid")
    return fig
