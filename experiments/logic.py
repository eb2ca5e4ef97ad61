"""Logic and separability, the exact half (claims C02, C04): linear programming, `mlp.threshold`.

Separability certificates for the 16 functions of 2 inputs, the number of threshold functions
of n = 1..4 inputs against OEIS A000609, the best linear accuracy on XOR, and Minsky-Papert
locality for n-bit parity, and the merge of the family's claim rows. The trained half (C02,
C03, C05) is `experiments.logic_trained`, with its own CLI.

Inputs are +-1 (the lecture's encoding, `mlp.boolean`).
"""

import numpy as np
import pandas as pd

from experiments import claims
from experiments.io import cli, write_figure, write_table
from experiments.plotting import PM_COLORS, figure
from mlp.boolean import NAMED_2, function_outputs, truth_table_inputs
from mlp.threshold import (
    best_linear_accuracy,
    count_threshold_functions,
    monomial_features,
    parity_labels,
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


# --- exact: linear programming ------------------------------------------------------------------


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
    for n in ns:
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


def parity_order(ns) -> pd.DataFrame:
    """n-bit parity vs a threshold over all products of at most k inputs, k = 1..n (LP).

    `uniform_residual` = max_S |mean_i y_i prod_{i in S} x_i| over the features and the
    constant: 0 means the uniform weights 1/2^n are themselves a Farkas witness (parity is
    orthogonal to every product of fewer than n inputs).
    """
    rows = []
    for n in ns:
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


# --- claims ------------------------------------------------------------------------------------


def claims_exact(certs: pd.DataFrame, counts: pd.DataFrame, best: pd.DataFrame, parity: pd.DataFrame):
    sep = dict(zip(certs["name"], certs["separable"]))
    n_sep = int(certs["separable"].sum())
    xor_best = int(best.set_index("function").loc["XOR", "best_correct"])
    counts_txt = ", ".join(f"n={r.n}: {r.count}" for r in counts.itertuples())
    oeis_ok = bool(counts["matches_oeis"].all())
    enum = counts.dropna(subset=["count_enumerated"])
    enum_ok = bool((enum["count_enumerated"] == enum["count"]).all())
    holds = (
        sep["AND"]
        and sep["OR"]
        and not sep["XOR"]
        and not sep["XNOR"]
        and n_sep == 14
        and oeis_ok
        and enum_ok
        and xor_best == 3
    )
    wrong = parity[parity["separable"] != parity["expected"]]
    ns = sorted(parity["n"].unique())
    return pd.DataFrame(
        [
            claims.row(
                "C02",
                f"LP certificates: {n_sep}/16 functions of 2 inputs separable (AND, OR by (w, b) with "
                f"margin >= 1; XOR, XNOR by Farkas witness); threshold functions {counts_txt} "
                f"(OEIS A000609: {', '.join(str(OEIS_A000609[n]) for n in counts['n'])}; "
                f"{int(counts['lps'].sum())} LPs over NPN classes, every function decided directly for "
                f"n <= {int(enum['n'].max()) if len(enum) else 0}); best linear classifier on XOR: "
                f"{xor_best}/4 (exact MILP)",
                "AND, OR separable, XOR, XNOR not, 14/16; counts equal A000609; XOR best = 3/4",
                claims.verdict(holds, partly=sep["AND"] and sep["OR"] and not sep["XOR"]),
                "results/logic/certificates_2.csv; results/logic/threshold_counts.csv; results/logic/best_linear.csv",
            ),
            claims.row(
                "C04",
                f"n-bit parity by a threshold over all products of <= k inputs, n = {ns[0]}..{ns[-1]}: "
                f"separable exactly for k = n in {len(parity) - len(wrong)}/{len(parity)} (n, k) LPs; for k < n "
                f"the uniform weights are a Farkas witness (max residual "
                f"{parity.loc[~parity['expected'], 'uniform_residual'].max():.1e})",
                "separable iff k = n, for every n and k",
                claims.verdict(wrong.empty),
                "results/logic/parity_order.csv",
            ),
        ]
    )


# --- figures -----------------------------------------------------------------------------------


def plot_certificates(certs: pd.DataFrame, counts: pd.DataFrame):
    """4 x 4 grid, one panel per function of 2 inputs: the LP's separating line w.x + b = 0 (its
    positive side shaded), or for a non-separable function the point where the Farkas witness
    says the two classes' convex hulls meet."""
    fig, axes = figure(4, 4, width=2.2, height=2.2)
    X = truth_table_inputs(2)
    g = np.linspace(-1.6, 1.6, 81)
    x1, x2 = np.meshgrid(g, g)
    for ax, r in zip(axes.flat, certs.itertuples()):
        y = function_outputs(r.index, 2)
        if r.separable:
            v = r.w1 * x1 + r.w2 * x2 + r.b
            ax.contourf(x1, x2, v, levels=[-np.inf, 0, np.inf], colors=[PM_COLORS[-1.0], PM_COLORS[1.0]], alpha=0.2)
            if r.w1 or r.w2:
                ax.contour(x1, x2, v, levels=[0], colors="k", linewidths=1.2)
            cert = f"w = ({r.w1:g}, {r.w2:g}), b = {r.b:g}"
        else:
            lam = np.array([r.lambda1, r.lambda2, r.lambda3, r.lambda4])
            pos = y > 0
            meet = lam[pos] @ X[pos] / lam[pos].sum()  # (2,) common point of the two hulls
            for cls in (pos, ~pos):
                ax.plot(*X[cls].T, "--", color=PM_COLORS[1.0 if cls is pos else -1.0], lw=1.2)
            ax.scatter(*meet, marker="x", s=80, color="k", zorder=4)
            cert = "Farkas: hulls meet at x"
        ax.scatter(X[:, 0], X[:, 1], s=50, c=[PM_COLORS[float(v)] for v in y], edgecolor="k", zorder=3)
        ax.set(xlim=(-1.6, 1.6), ylim=(-1.6, 1.6), aspect="equal", xticks=[-1, 1], yticks=[-1, 1])
        ax.set_title(f"{r.name}\n{cert}", fontsize=8, color="k" if r.separable else "firebrick")
    for ax in axes[-1]:
        ax.set_xlabel("x1")
    for ax in axes[:, 0]:
        ax.set_ylabel("x2")
    txt = ", ".join(str(c) for c in counts["count"])
    fig.suptitle(
        f"{int(certs['separable'].sum())} of 16 functions of 2 inputs are computed by one threshold unit "
        f"(all but {', '.join(certs.loc[~certs['separable'], 'name'])})\nthreshold functions of n = {counts['n'].min()}..{counts['n'].max()} inputs: {txt} "
        "(OEIS A000609)"
    )
    return fig


# --- steps -------------------------------------------------------------------------------------


def exact(params: dict, results, figures) -> None:
    certs = certificates_2()
    counts = threshold_counts(params["count_n"], params["enumerate_max_n"])
    best, parity = best_linear(), parity_order(params["parity_n"])
    write_table(certs, results / "certificates_2.csv")
    write_table(counts, results / "threshold_counts.csv")
    write_table(best, results / "best_linear.csv")
    write_table(parity, results / "parity_order.csv")
    write_table(claims_exact(certs, counts, best, parity), results / "claims_exact.csv")
    write_figure(plot_certificates(certs, counts), figures / "certificates_2.png")


PARTS = ("exact", "neuron", "xor", "linear")


def merge_claims(params: dict, results, figures) -> None:
    write_table(claims.concat_parts(results / f"claims_{p}.csv" for p in PARTS), results / "claims.csv")


if __name__ == "__main__":
    cli({"exact": exact, "claims": merge_claims})
