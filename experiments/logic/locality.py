"""Minsky and Papert's locality, both sides (claim C04).

One unit: n-bit parity is not sgn of a weighted sum of features that each depend on fewer than
n inputs. Every Boolean feature of at most k inputs is a linear combination of the products
prod_{i in S} x_i with |S| <= k (its Fourier expansion on the +-1 cube), so "a threshold over
order-k features" is exactly "a threshold over all products of at most k inputs", an LP.

A network: parity is XOR of the parities of two halves, and XOR is Figure 3.11's block of
three threshold units with two inputs each, so a tree of such blocks computes n-bit parity with
every unit seeing at most 2 values. Locality limits one unit, not a network of units.
"""

import numpy as np
import pandas as pd

from experiments.progress import progress
from mlp.boolean import truth_table_inputs
from mlp.network import Net, forward
from mlp.threshold import monomial_features, parity_labels, separate

# Figure 3.11 on +-1 inputs (u, v): z1 = sgn(1 - u + v), z2 = sgn(-1 - u + v), y = sgn(1 - z1 + z2)
XOR_HIDDEN = (np.array([[-1.0, 1.0], [-1.0, 1.0]]), np.array([1.0, -1.0]))  # rows: z1, z2
XOR_OUT = (np.array([[-1.0, 1.0]]), np.array([1.0]))  # y from (z1, z2)


def parity_order(ns) -> pd.DataFrame:
    """n-bit parity vs a threshold over all products of at most k inputs, k = 1..n (LP).

    `uniform_residual` = max_S |mean_i y_i prod_{i in S} x_i| over the features and the
    constant: 0 means the uniform weights 1/2^n are themselves a Farkas witness (parity is
    orthogonal to every product of fewer than n inputs).
    """
    rows = []
    for n in progress(ns, "parity order: n"):
        X, y = truth_table_inputs(n), parity_labels(n)
        for k in range(1, n + 1):
            Phi = monomial_features(X, k)  # (2^n, sum_{j<=k} C(n, j))
            cert = separate(Phi, y)
            A = np.column_stack([Phi, np.ones(len(y))])
            rows.append(
                {
                    "n": n,
                    "k": k,
                    "features": Phi.shape[1],
                    "separable": cert.separable,
                    "expected": k == n,
                    "uniform_residual": np.abs(y @ A).max() / len(y),
                    "margin": np.min(y * (Phi @ cert.w + cert.b)) if cert.separable else np.nan,
                }
            )
    return pd.DataFrame(rows)


def _block_diag(blocks, width_in: int) -> tuple[np.ndarray, np.ndarray]:
    """One layer from (rows of W reading input columns, b) blocks: [(cols, W_block, b_block)]."""
    W = np.zeros((sum(len(b) for _, _, b in blocks), width_in))
    b = np.concatenate([bb for _, _, bb in blocks])
    r = 0
    for cols, Wb, bb in blocks:
        W[r : r + len(bb), cols] = Wb
        r += len(bb)
    return W, b


def parity_tree(n: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Layers [(W (K_l, K_{l-1}), b (K_l))] of threshold units computing n-bit parity (+1 iff an
    odd number of inputs are +1): pair up the signals, XOR each pair with Figure 3.11's block
    (two layers), copy an unpaired signal through both layers with sgn(s); repeat until one
    signal is left. Depth 2 ceil(log2 n); every unit reads at most 2 signals."""
    if not isinstance(n, int | np.integer) or n < 2:
        raise ValueError(f"n must be an integer >= 2, got {n!r}")
    copy = (np.array([[1.0]]), np.array([0.0]))  # sgn(s) = s on +-1 signals
    layers, width = [], n
    while width > 1:
        pairs, odd = width // 2, width % 2
        first = [([2 * p, 2 * p + 1], *XOR_HIDDEN) for p in range(pairs)] + [([width - 1], *copy)] * odd
        layers.append(_block_diag(first, width))
        second = [([2 * p, 2 * p + 1], *XOR_OUT) for p in range(pairs)] + [([2 * pairs], *copy)] * odd
        layers.append(_block_diag(second, 2 * pairs + odd))
        width = pairs + odd
    return layers


def parity_tree_check(ns) -> pd.DataFrame:
    """The tree of XOR blocks on all 2^n inputs (`mlp.network.forward`, sgn units): rows right,
    its size, and the largest fan-in (nonzero weights into one unit) and the smallest |z| of
    any unit on any input (decisions are at least that far from the threshold)."""
    rows = []
    for n in progress(ns, "parity tree: n"):
        layers = parity_tree(n)
        net = Net((n, *(len(b) for _, b in layers)), hidden="sign", output="sign")
        X = truth_table_inputs(n)  # (2^n, n)
        y, cache = forward(net, layers, X)  # (2^n, 1)
        rows.append(
            {
                "n": n,
                "inputs": len(X),
                "correct": int(np.sum(y[:, 0] == parity_labels(n))),
                "layers": len(layers),
                "units": sum(len(b) for _, b in layers),
                "max_fan_in": max(int(np.count_nonzero(W, axis=1).max()) for W, _ in layers),
                "min_abs_z": min(float(np.abs(z).min()) for z, _ in cache[1:]),
            }
        )
    return pd.DataFrame(rows)
