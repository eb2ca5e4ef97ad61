"""C24 (a): one neuron on XOR, on the raw inputs (x1, x2) and with Playground's product feature
x1 x2 added (the lecture, L277: a single neuron can't solve XOR "unless input is transformed
into a better representation").

Exact: `mlp.threshold.separate` decides by linear programming whether a threshold unit on the
features separates the +-1 truth table (a checked (w, b) with margin 1, or a Farkas witness).
Trained: logistic regression Net((F, 1), sigmoid, binary cross-entropy) on {0, 1} targets, all
seeds of both input sets in one ensemble per set. A point is decided right when its output
pre-activation has the target's sign by at least DECISION_MARGIN, (2y - 1) z >= 1e-6, wrong
when (2y - 1) z <= -1e-6 and undecided between (on XOR without the product the best logistic
fit is z = 0 everywhere, where the sign is round-off and may differ between CPUs).
"""

import numpy as np
import pandas as pd

from experiments.convergence import loss_curves, train_on_table
from mlp.boolean import NAMED_2, function_outputs, truth_table_inputs
from mlp.data import features
from mlp.network import Net, forward, init
from mlp.seeding import rngs
from mlp.threshold import separate

INPUTS = {"raw": ("x1", "x2"), "product": ("x1", "x2", "x1x2")}  # Playground's features, by name
DECISION_MARGIN = 1e-6  # |z| below this: the point's decision is round-off (undecided)


def xor_table(names) -> tuple[np.ndarray, np.ndarray]:
    """The features (4, F) of the +-1 truth table and XOR's +-1 labels (4,)."""
    X = truth_table_inputs(2)  # (4, 2), rows in the truth table's order
    return features(X, names), function_outputs(NAMED_2["XOR"], 2, "pm1")


def certificates() -> pd.DataFrame:
    """Per input set: LP separability of XOR, the certificate (w, b) and its least margin
    y_i (w.x_i + b) (>= 1), or the Farkas witness lambda (a point in both classes' hulls)."""
    rows = []
    for name, names in INPUTS.items():
        Phi, y = xor_table(names)
        cert = separate(Phi, y)
        margin = float(np.min(y * (Phi @ cert.w + cert.b))) if cert.separable else np.nan
        rows.append(
            {
                "inputs": name,
                "features": " ".join(names),
                "separable": bool(cert.separable),
                "w": " ".join(f"{v + 0.0:.4g}" for v in cert.w) if cert.separable else "",
                "b": cert.b if cert.separable else np.nan,
                "margin": margin,
                "witness": "" if cert.separable else " ".join(f"{v:.4g}" for v in cert.witness),
            }
        )
    return pd.DataFrame(rows)


def neuron_runs(cfg: dict) -> pd.DataFrame:
    """Logistic regression on XOR for each input set, all seeds in one ensemble per set; per member
    the points decided right and undecided at the end, the loss curve's checkpoints (E j / 10) and
    its relative change over the last 10% of the budget, and divergence."""
    frames = []
    seeds = range(cfg["seeds"])
    for name, names in INPUTS.items():
        Phi, y = xor_table(names)
        Y = (y[:, None] + 1) / 2  # (4, 1) {0, 1} targets
        net = Net((Phi.shape[1], 1), output="sigmoid", loss="binary_cross_entropy")
        params = init(net, cfg["init"], rngs(seeds, "init", "xor_neuron", name))
        result = train_on_table(net, params, Phi, Y, cfg, rngs(seeds, "shuffle", "xor_neuron", name))
        z = forward(net, result.params, Phi)[1][-1][0][..., 0]  # (M, 4) output pre-activations
        signed = y * z  # > 0 where the point is right
        frames.append(
            pd.DataFrame(
                {
                    "inputs": name,
                    "seed": list(seeds),
                    "correct": np.sum(signed >= DECISION_MARGIN, axis=-1),
                    "undecided": np.sum(np.abs(z) < DECISION_MARGIN, axis=-1),
                    **loss_curves(result),
                    "diverged": result.diverged_at >= 0,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
