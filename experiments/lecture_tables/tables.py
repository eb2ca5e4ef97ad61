"""The lecture's exact tables, recomputed by the core: Table 3.6 (C01) and the threshold
network for XOR of Figure 3.11 (C03, first half).

Both are networks of McCulloch-Pitts units, i.e. the core's `sign` activation
(sgn(z) = +1 for z >= 0) with hand-set weights, evaluated with `mlp.network.forward`.
"""

import numpy as np
import pandas as pd

from experiments import claims
from mlp.boolean import NAMED_2, function_outputs, truth_table_inputs
from mlp.network import Net, forward

# Table 3.6 as printed: v = -2 + 2x1 + 4x2 - x3 and y = sgn(v), in the table's row order
TABLE_3_6_V = [-7, -9, 1, -1, -3, -5, 5, 3]
TABLE_3_6_Y = [-1, -1, 1, -1, -1, -1, 1, 1]
NET_3_6 = Net((3, 1), output="sign")
PARAMS_3_6 = [(np.array([[2.0, 4.0, -1.0]]), np.array([-2.0]))]

# Figure 3.11: z1 = sgn(1 - x1 + x2), z2 = sgn(-1 - x1 + x2), y = sgn(1 - z1 + z2)
NET_3_11 = Net((2, 2, 1), hidden="sign", output="sign")
PARAMS_3_11 = [
    (np.array([[-1.0, 1.0], [-1.0, 1.0]]), np.array([1.0, -1.0])),
    (np.array([[-1.0, 1.0]]), np.array([1.0])),
]


def table_3_6() -> pd.DataFrame:
    """Every row of Table 3.6: inputs, v and y from the core, the printed values, and the
    Boolean formula y = x2 AND (x1 OR NOT x3) in the +-1 encoding."""
    X = truth_table_inputs(3)
    y, cache = forward(NET_3_6, PARAMS_3_6, X)
    x1, x2, x3 = (X[:, i] > 0 for i in range(3))
    return pd.DataFrame(
        {
            "x1": X[:, 0],
            "x2": X[:, 1],
            "x3": X[:, 2],
            "v": cache[-1][0][:, 0],
            "v_printed": TABLE_3_6_V,
            "y": y[:, 0],
            "y_printed": TABLE_3_6_Y,
            "y_formula": np.where(x2 & (x1 | ~x3), 1.0, -1.0),
        }
    ).astype({"x1": int, "x2": int, "x3": int, "v": int, "y": int, "y_formula": int})


def xor_threshold_net() -> pd.DataFrame:
    """The four rows of Figure 3.11's network: hidden units z1, z2, output y, and XOR."""
    X = truth_table_inputs(2)
    y, cache = forward(NET_3_11, PARAMS_3_11, X)
    z = cache[1][1]
    return pd.DataFrame(
        {
            "x1": X[:, 0],
            "x2": X[:, 1],
            "z1": z[:, 0],
            "z2": z[:, 1],
            "y": y[:, 0],
            "xor": function_outputs(NAMED_2["XOR"], 2),
        }
    ).astype(int)


def claim_rows(t36: pd.DataFrame, xor: pd.DataFrame) -> pd.DataFrame:
    v_ok = int((t36["v"] == t36["v_printed"]).sum())
    y_ok = int(((t36["y"] == t36["y_printed"]) & (t36["y"] == t36["y_formula"])).sum())
    xor_ok = int((xor["y"] == xor["xor"]).sum())
    return pd.DataFrame(
        [
            claims.row(
                "C01",
                f"v matches the printed column on {v_ok}/8 rows; y = sgn(v) matches the printed "
                f"column and the formula x2(x1 + not x3) on {y_ok}/8 rows",
                "all 8 rows equal",
                claims.verdict(v_ok == 8 and y_ok == 8),
                "results/lecture_tables/table_3_6.csv",
            ),
            claims.row(
                "C03",
                f"the threshold network of Figure 3.11 outputs XOR on {xor_ok}/4 inputs "
                "(trained MLPs: see the logic family's row)",
                "all 4 rows equal XOR",
                claims.verdict(xor_ok == 4),
                "results/lecture_tables/xor_threshold_net.csv; figures/lecture_tables/xor_threshold_net.png",
            ),
        ]
    )
