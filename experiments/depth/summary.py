"""C23 summaries over the cells' member tables: gradient slopes at initialisation and the
fraction of seeds reaching the bar, per (activation, initialisation, depth), with intervals."""

import numpy as np
import pandas as pd

from experiments import stats
from experiments.depth.task import CONVERGED

KEYS = ["activation", "init", "depth"]


def median_slope(values) -> stats.Estimate:
    """Median over members with its distribution-free interval, a dead member (slope -inf)
    ranking below every live one; a value that falls on or beside a dead member is -inf."""
    v = np.asarray(values, dtype=float)
    live = v[np.isfinite(v)]
    if live.size == 0:
        return stats.Estimate(-np.inf, -np.inf, -np.inf) if np.isneginf(v).any() else stats.Estimate(*[np.nan] * 3)
    floor = live.min()
    est = stats.median(np.where(np.isneginf(v), floor - 1.0, v))  # dead: below every live member
    return stats.Estimate(*(x if x >= floor else -np.inf for x in est))


def estimate_columns(prefix: str, e: stats.Estimate) -> dict:
    return {prefix: e.value, f"{prefix}_lo": e.lo, f"{prefix}_hi": e.hi}


def gradient_summary(members: pd.DataFrame) -> pd.DataFrame:
    """Per cell: median per-member slope of log10 ||dl/dz^(l)|| and of log10 ||dl/dW^(l)|| per
    layer back from the output (95% intervals), dead members, median log10 of the ratio
    ||dl/dz^(1)|| / ||dl/dz^(L)||."""
    rows = []
    for key, g in members.groupby(KEYS, sort=False):
        weight = g["slope_weight"].dropna()
        rows.append(
            {
                **dict(zip(KEYS, key)),
                "members": len(g),
                "dead": int((g["dead_layers_init"] > 0).sum()),
                **estimate_columns("slope_delta", median_slope(g["slope_delta"])),
                **estimate_columns(
                    "slope_weight", median_slope(weight) if len(weight) else stats.Estimate(*[np.nan] * 3)
                ),
                "log10_delta_ratio": float(np.median(g["log10_delta_ratio"].fillna(-np.inf))),
            }
        )
    return pd.DataFrame(rows)


def trainability(members: pd.DataFrame) -> pd.DataFrame:
    """Per cell: status counts, members reaching the bar (all, converged) with the exact
    intervals of the fractions."""
    rows = []
    for key, g in members.groupby(KEYS, sort=False):
        conv = g[g["status"].isin(CONVERGED)]
        k, kc = int(g["reached"].sum()), int(conv["reached"].sum())
        share = stats.fraction(kc, len(conv)) if len(conv) else stats.Estimate(np.nan, 0.0, 1.0)
        rows.append(
            {
                **dict(zip(KEYS, key)),
                "members": len(g),
                **{s: int((g["status"] == s).sum()) for s in ("diverged", "stationary", "settled", "moving")},
                "converged": len(conv),
                "reached": k,
                "reached_converged": kc,
                **estimate_columns("fraction", share),
                **estimate_columns("fraction_all", stats.fraction(k, len(g))),
            }
        )
    return pd.DataFrame(rows)
