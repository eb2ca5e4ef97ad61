"""What one threshold unit computes, decided exactly by linear programming (`mlp.threshold`;
claim C02): separability certificates for the 16 functions of 2 inputs, the number of threshold
functions of n inputs against OEIS A000609, and the best linear accuracy on XOR.
Inputs are +-1 (the lecture's encoding, `mlp.boolean`).
"""

import numpy as np
import pandas as pd

from experiments.progress import progress
from mlp.boolean import NAMED_2, function_outputs, truth_table_inputs
from mlp.threshold import (
    best_linear_accuracy,
    count_threshold_functions,
    separate,
)

# OEIS A000609, "number of threshold functions of n or fewer variables" (Muroga 1971):
# 2, 4, 14, 104, 1882, 94572, ... for n = 0, 1, 2, ...; https://oeis.org/A000609
OEIS_A000609 = {0: 2, 1: 4, 2: 14, 3: 104, 4: 1882, 5: 94572}

# The 16 functions of 2 inputs by index (bit r of the index = output on row r; rows
# (x1, x2) = (-,-), (-,+), (+,-), (+,+), i.e. false first, x1 slowest).
NAMES_2 = {
    **{index: name for name, index in NAMED_2.items()},
    0b0010: "NOT x1 AND x2", 0b0011: "NOT x1", 0b0100: "x1 AND NOT x2", 0b0101: "NOT x2",
    0b1010: "x2", 0b1011: "NOT x1 OR x2", 0b1100: "x1", 0b1101: "x1 OR NOT x2",
}  # fmt: skip


def certificates_2() -> pd.DataFrame:
    """All 16 functions of 2 inputs: LP certificate (w, b) with margin >= 1, or Farkas witness.

    `check` recomputes the certificate from the data: min_i y_i (w.x_i + b) for a separator
    (>= 1), max |sum_i lambda_i y_i [x_i, 1]| for a witness (0: the class hulls meet).
    """
    X = truth_table_inputs(2)  # (4, 2)
    rows = []
    for index in range(16):
        y = function_outputs(index, 2)  # (4,) +-1
        cert = separate(X, y)
        row = {
            "index": index,
            "name": NAMES_2[index],
            "outputs": "".join("+" if v > 0 else "-" for v in y),
            "separable": cert.separable,
        }
        if cert.separable:
            row |= {"w1": cert.w[0], "w2": cert.w[1], "b": cert.b, "check": np.min(y * (X @ cert.w + cert.b))}
            row |= {f"lambda{i + 1}": np.nan for i in range(4)}
        else:
            lam = cert.witness
            row |= {
                "w1": np.nan,
                "w2": np.nan,
                "b": np.nan,
                "check": np.abs((lam * y) @ np.column_stack([X, np.ones(4)])).max(),
            }
            row |= {f"lambda{i + 1}": lam[i] for i in range(4)}
        rows.append(row)
    return pd.DataFrame(rows)


def threshold_counts(ns, enumerate_max_n: int) -> pd.DataFrame:
    """Threshold functions of n inputs: one LP per NPN class (`count_threshold_functions`),
    and, for n <= enumerate_max_n, a second count deciding every function by its own LP.
    (What the count costs is measured in benchmarks/, not here.)
    """
    rows = []
    for n in progress(ns, "threshold counts: n"):
        c = count_threshold_functions(n)
        row = {
            "n": n,
            "functions": c.n_functions,
            "npn_classes": c.n_classes,
            "threshold_classes": c.n_separable_classes,
            "count": c.count,
            "lps": c.n_lps,
            "oeis_A000609": OEIS_A000609[n],
            "matches_oeis": c.count == OEIS_A000609[n],
            "count_enumerated": pd.NA,
            "lps_enumerated": pd.NA,
        }
        if n <= enumerate_max_n:
            X = truth_table_inputs(n)
            separable = [separate(X, function_outputs(k, n)).separable for k in range(c.n_functions)]
            row |= {"count_enumerated": int(sum(separable)), "lps_enumerated": 2 * c.n_functions - int(sum(separable))}
        rows.append(row)
    return pd.DataFrame(rows).astype({"count_enumerated": "Int64", "lps_enumerated": "Int64"})


def best_linear() -> pd.DataFrame:
    """max over (w, b) of the points sgn(w.x + b) gets right, exactly (MILP), on XOR and XNOR."""
    X = truth_table_inputs(2)
    rows = []
    for name in ("XOR", "XNOR", "AND", "OR"):
        y = function_outputs(NAMED_2[name], 2)
        acc = best_linear_accuracy(X, y)
        rows.append(
            {
                "function": name,
                "points": len(y),
                "best_correct": acc.n_correct,
                "w1": acc.w[0],
                "w2": acc.w[1],
                "b": acc.b,
                "correct_by_w_b": int(np.sum(y * (X @ acc.w + acc.b) > 0)),
            }
        )
    return pd.DataFrame(rows)
