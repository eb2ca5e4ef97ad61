"""The claims table: one row per lecture claim, with the verdict computed from numbers.

Each family contributes rows through `row(...)`; `merge` joins them with the lecture's
statements and marks every claim no family checked as "not checked". Run as
`python -m experiments.claims OUT.csv PART.csv ...`.
"""

import sys
from pathlib import Path

import pandas as pd

from experiments.io import write_table

STATEMENTS = {
    "C01": "McCulloch-Pitts threshold logic: v = -2 + 2x1 + 4x2 - x3, y = sgn(v) computes y = x2(x1 + not x3) (Table 3.6).",
    "C02": "A single sigmoid neuron is logistic regression, a linear classifier: it solves AND and OR but not XOR.",
    "C03": "XOR is computed by a two-layer threshold network (Figure 3.11); multi-layer perceptrons solve XOR.",
    "C04": "Locality (Minsky and Papert): to compute arbitrary logic functions a unit must see all inputs.",
    "C05": "Composing linear layers gives a linear layer: no expressive power from depth without a nonlinearity.",
    "C06": "Activations: linear; sigmoid in (0,1); tanh in (-1,1); relu >= 0, unbounded, sparse activity.",
    "C07": "sigma(z) = (1 + tanh(z/2)) / 2.",
    "C08": "Derivatives: sigma' = sigma(1 - sigma), tanh' = 1 - tanh^2, relu' = 1[z > 0], linear' = 1.",
    "C09": "Softmax maps onto the simplex with full support; sparsemax can return exact zeros.",
    "C10": "Universal approximation: one hidden layer with a linear output approximates any continuous function.",
    "C11": "Caveat: a shallow network may need exponentially many hidden units.",
    "C12": "Deeper relu networks carve exponentially more linear regions (Montufar et al. 2014).",
    "C13": "Playground: one hidden layer learns simple targets but not the spiral; deeper nets do (0.416 tanh, 0.340 relu).",
    "C14": "Empirical risk minimisation: objective = lambda Omega(theta) + mean loss; the regulariser controls fitting.",
    "C15": "SGD gives a noisy but unbiased gradient; mini-batches reduce the noise.",
    "C16": "Losses: squared-loss gradient f - y; cross-entropy softmax - onehot; sparsemax loss sparsemax - onehot; 0/1 loss unusable.",
    "C17": "Backpropagation is the chain rule (dr/dt = 9t^2 + 2t for u = t^2, v = 3t + 1, r = uv).",
    "C18": "Training is non-convex: different seeds reach different minima.",
    "C19": "MLPs trained by SGD with backpropagation learn these functions.",
}
VERDICTS = ("reproduced", "partly", "not reproduced")
COLUMNS = ["claim", "statement", "measured", "criterion", "verdict", "evidence"]


def concat_parts(paths) -> pd.DataFrame:
    """A family's claim-row files in one table, rows ordered by claim (stable within a claim)."""
    parts = [pd.read_csv(p, keep_default_na=False) for p in paths]
    return pd.concat(parts, ignore_index=True).sort_values("claim", kind="stable")


def verdict(holds: bool, partly: bool = False) -> str:
    """'reproduced' if the criterion holds, 'partly' if it holds only in part."""
    return "reproduced" if holds else "partly" if partly else "not reproduced"


def row(claim: str, measured: str, criterion: str, verdict: str, evidence: str) -> dict:
    """One verdict row; `evidence` names the tables and figures that hold the numbers."""
    if claim not in STATEMENTS:
        raise ValueError(f"unknown claim id {claim!r}; allowed: {sorted(STATEMENTS)}")
    if verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}; allowed: {list(VERDICTS)}")
    return {
        "claim": claim,
        "statement": STATEMENTS[claim],
        "measured": measured,
        "criterion": criterion,
        "verdict": verdict,
        "evidence": evidence,
    }


def merge(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """All claims in id order; claims no family checked are listed as 'not checked'."""
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    missing = [
        {"claim": c, "statement": s, "measured": "", "criterion": "", "verdict": "not checked", "evidence": ""}
        for c, s in STATEMENTS.items()
        if c not in set(rows["claim"])
    ]
    table = pd.concat([rows, pd.DataFrame(missing, columns=COLUMNS)], ignore_index=True)
    return table[COLUMNS].sort_values("claim", kind="stable").reset_index(drop=True)


def main(argv=None) -> None:
    out, *parts = sys.argv[1:] if argv is None else argv
    write_table(merge([pd.read_csv(p, keep_default_na=False) for p in parts]), Path(out))


if __name__ == "__main__":
    main()
