"""Exact zeros of relu units (C06, "relu leads to sparse activity")."""

import numpy as np
import pandas as pd

from mlp.network import Net, forward, init
from mlp.seeding import rng, rngs


def relu_sparsity(widths, inits, depth: int, inputs: int, batch: int, seeds) -> pd.DataFrame:
    """Fraction of relu units exactly 0 per hidden layer at initialisation, over `batch`
    standard-normal inputs and one ensemble member per seed."""
    X = rng(0, "activations", "relu_inputs").standard_normal((batch, inputs))  # (B, D)
    rows = []
    for scheme in inits:
        for width in widths:
            net = Net((inputs, *[width] * depth, 1), hidden="relu")
            params = init(net, scheme, rngs(seeds, "activations", "relu_init", scheme, width))
            _, cache = forward(net, params, X)
            for layer in range(1, depth + 1):
                h = cache[layer][1]  # (M, B, K)
                rows.append(
                    {
                        "init": scheme,
                        "width": width,
                        "layer": layer,
                        "units": h.size,
                        "fraction_zero": float(np.mean(h == 0.0)),
                    }
                )
    return pd.DataFrame(rows)
