"""C19, the lecture's conclusion: MLPs trained by SGD with backpropagation learn these
functions. Summarised from the other families' trained results, each with a stated bar:

- XOR (logic family): full-batch gradient descent; success rate at the largest width.
- Playground (playground family): mini-batch SGD (B = 10); median test accuracy of the
  simple targets with one hidden layer and of the best spiral architecture.
- 1-D targets (approximation family): plain SGD at a fixed budget; RMS error at the largest
  width vs width 1.
"""

import pandas as pd

from experiments import claims


def xor_summary(xor: pd.DataFrame, bar: float) -> dict:
    widest = xor[xor.width == xor.width.max()]
    rates = ", ".join(f"{r.activation} {r.successes}/{r.seeds}" for r in widest.itertuples())
    return {
        "part": "XOR",
        "holds": bool((widest.rate >= bar).all()),
        "measured": f"XOR, width {widest.width.iloc[0]}: {rates} seeds solve all 4 points (bar {bar:.0%})",
    }


def playground_summary(pg: pd.DataFrame, bar: float, epoch: int) -> list[dict]:
    at = pg[pg.epoch == epoch]
    simple = at[at.dataset != "spiral"]
    spiral = at[at.dataset == "spiral"].sort_values("test_acc_median", ascending=False).iloc[0]
    accs = ", ".join(f"{r.dataset} {r.test_acc_median:.3f}" for r in simple.itertuples())
    return [
        {
            "part": "Playground simple targets",
            "holds": bool((simple.test_acc_median >= bar).all()),
            "measured": f"Playground simple targets, one hidden layer, median test accuracy: {accs} (bar {bar})",
        },
        {
            "part": "Playground spiral",
            "holds": bool(spiral.test_acc_median >= bar),
            "measured": f"Playground spiral, best architecture {spiral.config}: median test accuracy "
            f"{spiral.test_acc_median:.3f} (bar {bar})",
        },
    ]


def approximation_summary(errors: pd.DataFrame, bar: float) -> dict:
    sgd = errors[errors.method == "sgd"]
    ends = sgd.sort_values("K").groupby(["target", "activation"]).rms.agg(["first", "last"])
    falls, reaches = int((ends["last"] < ends["first"]).sum()), int((ends["last"] <= bar).sum())
    return {
        "part": "1-D targets",
        "holds": falls == len(ends) and reaches == len(ends),
        "partly": falls == len(ends),
        "measured": f"1-D targets by plain SGD: RMS error falls from width 1 to {sgd.K.max()} in "
        f"{falls}/{len(ends)} (target, activation) cells and reaches RMS <= {bar} in "
        f"{reaches}/{len(ends)} (median at the largest width "
        f"{ends['last'].median():.3g})",
    }


def claim_rows(parts: list[dict]) -> pd.DataFrame:
    holds = [p["holds"] for p in parts]
    return pd.DataFrame(
        [
            claims.row(
                "C19",
                "; ".join(p["measured"] for p in parts),
                "every trained result reaches its bar (stated in each part); partly if some do",
                claims.verdict(all(holds), partly=any(holds) or any(p.get("partly", False) for p in parts)),
                "results/logic/xor_success.csv; results/playground/summary.csv; results/approximation/width_errors.csv",
            )
        ]
    )
