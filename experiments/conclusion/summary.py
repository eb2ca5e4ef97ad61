"""C19, the lecture's conclusion: MLPs trained by SGD with backpropagation learn these
functions. Summarised from the other families' trained results, each part against a bar
fixed in the config before the run, with a 95% interval:

- XOR (logic family): full-batch gradient descent at the configured width; the success
  fraction per activation (Clopper-Pearson) must lie above its bar;
- Playground (playground family): mini-batch SGD (B = 10); the median test accuracy of each
  configured architecture at the configured epoch (distribution-free interval) must lie
  above its bar;
- 1-D targets (approximation family): plain SGD; the RMS error at the configured width must
  reach its bar in every (target, activation) cell (partly: it falls from width 1 in all).
"""

from typing import NamedTuple

import pandas as pd

from experiments import claims, stats
from experiments.conclusion.inputs import Inputs

EVIDENCE = (
    "results/logic/xor_success.csv; results/playground/summary.csv; results/playground/runs/<config>_seeds.csv; "
    "results/approximation/width_errors.csv"
)


class Part(NamedTuple):
    part: str
    holds: bool
    partly: bool
    measured: str


def xor_part(xor: pd.DataFrame, cfg: dict) -> Part:
    at = xor[(xor["width"] == cfg["width"]) & xor["activation"].isin(cfg["activations"])]
    rates = {r.activation: stats.fraction(int(r.successes), int(r.seeds)) for r in at.itertuples()}
    text = ", ".join(f"{a} {r.fmt('.3f')}" for a, r in rates.items())
    return bar_part(
        "XOR", rates, cfg["success_rate"], f"XOR, width {cfg['width']}: fraction of seeds solving all 4 points {text}"
    )


def playground_part(seeds: dict[str, pd.DataFrame], cfg: dict) -> Part:
    medians = {name: stats.median(d["test_acc"]) for name, d in seeds.items()}
    text = ", ".join(f"{name} {m.fmt('.3f')} ({len(seeds[name])} seeds)" for name, m in medians.items())
    return bar_part(
        "Playground", medians, cfg["test_accuracy"], f"Playground at epoch {cfg['epoch']}: median test accuracy {text}"
    )


def bar_part(name: str, estimates: dict, bar: float, measured: str) -> Part:
    """A part that holds when every estimate's 95% interval lies above `bar` (partly: some)."""
    above = [e.lo >= bar for e in estimates.values()]
    return Part(name, all(above), any(above), f"{measured} (bar: interval above {bar})")


def approximation_part(errors: pd.DataFrame, cfg: dict) -> Part:
    """A cell counts at a width only with a stationary run there (n_converged > 0; its RMS is
    that of the converged runs); a cell without one at width 1 or at the judged width fails."""
    at = errors[errors["K"].isin([1, cfg["width"]])]
    n_cells = at.groupby(["target", "activation"]).ngroups
    ends = at[at["n_converged"] > 0].pivot_table(index=["target", "activation"], columns="K", values="rms")
    ends = ends.reindex(columns=[1, cfg["width"]])
    falls, reaches = ends[cfg["width"]] < ends[1], ends[cfg["width"]] <= cfg["rms"]
    share = stats.fraction(int(reaches.sum()), n_cells)
    converged = int(ends[cfg["width"]].notna().sum())
    return Part(
        "1-D targets",
        bool(reaches.sum() == n_cells),
        bool(falls.sum() == n_cells),
        f"1-D targets by plain SGD: {converged}/{n_cells} (target, activation) cells have a stationary run at width "
        f"{cfg['width']}; RMS error falls from width 1 to {cfg['width']} in {int(falls.sum())}/{n_cells} cells and "
        f"reaches RMS <= {cfg['rms']} in a fraction {share.fmt('.2f')} of them"
        + (
            f" (median RMS at width {cfg['width']}: {stats.median(ends[cfg['width']].dropna()).fmt()})"
            if converged
            else ""
        )
        + "; bar: every cell",
    )


def parts(data: Inputs, cfg: dict) -> list[Part]:
    return [
        xor_part(data.xor, cfg["xor"]),
        playground_part(data.seeds, cfg["playground"]),
        approximation_part(data.errors, cfg["approximation"]),
    ]


def claim_rows(found: list[Part]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            claims.row(
                "C19",
                "; ".join(p.measured for p in found),
                "every trained result reaches its bar (stated in each part; judged architectures, widths and the "
                "epoch fixed in the config before the run); partly if some part reaches it or holds in part",
                claims.verdict(all(p.holds for p in found), any(p.holds or p.partly for p in found)),
                EVIDENCE,
            )
        ]
    )
