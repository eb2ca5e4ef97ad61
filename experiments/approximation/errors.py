"""Error tables of C10: the trained nets (best stationary restart per width), the explicit
constructions, and the approximation error of each width (the best net of either kind).

The sup norm decides (the theorem is about uniform approximation); the RMS is reported beside it.
The constructions are evaluated exactly (evaluate.py) on node-aligned grids of
`points_per_unit` points per unit, so the widths reach ~10^4 in seconds.
"""

import numpy as np
import pandas as pd

from experiments.approximation.constructions import CONSTRUCTIONS, construct
from experiments.approximation.evaluate import evaluate
from experiments.approximation.trained import errors
from experiments.progress import progress
from mlp.data import target_1d

COLUMNS = ["target", "activation", "method", "K", "restarts", "n_converged", "last_change", "train_loss", "sup", "rms"]


def stationary(last_change, tol: float) -> np.ndarray:
    """Members whose training loss moved by at most `tol` (relative) over the last 10% of the budget."""
    return np.asarray(last_change, float) <= tol


def best_restarts(cells: pd.DataFrame, tol: float) -> pd.DataFrame:
    """One row per (target, activation, method, K) of the trained nets: the stationary restart
    with the lowest training loss (sup, rms, train_loss, last_change NaN if none is stationary),
    with the number of restarts and of stationary ones."""
    df = cells.assign(ok=stationary(cells["last_change"], tol) & np.isfinite(cells["train_loss"]))
    keys = ["target", "activation", "method", "K"]
    rows = []
    for key, g in df.groupby(keys, sort=True):
        row = dict(zip(keys, key, strict=True)) | {"restarts": len(g), "n_converged": int(g["ok"].sum())}
        ok = g[g["ok"]]
        best = ok.loc[ok["train_loss"].idxmin()] if len(ok) else None
        for col in ("last_change", "train_loss", "sup", "rms"):
            row[col] = float(best[col]) if best is not None else np.nan
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def construction_grid(K: int, eval_points: int, points_per_unit: int) -> np.ndarray:
    """The dense grid on which a width-K construction is scored: eval_points points of [-1, 1],
    or points_per_unit per unit (node-aligned) when that is more."""
    return np.linspace(-1.0, 1.0, max(eval_points - 1, points_per_unit * K) + 1)


def construction_errors(targets, activations, widths, eval_points: int, points_per_unit: int) -> pd.DataFrame:
    """Sup and RMS error of the construction of every activation that has one, for every target
    and width (rows in the layout of COLUMNS)."""
    rows = []
    for target in progress(targets, "construction targets"):
        fn = lambda x, t=target: target_1d(t, x)  # noqa: E731
        for activation in [a for a in activations if a in CONSTRUCTIONS]:
            for K in widths:
                x = construction_grid(K, eval_points, points_per_unit)
                sup, rms = errors(evaluate(activation, construct(activation, K, fn), x), fn(x))
                rows.append(
                    {
                        "target": target,
                        "activation": activation,
                        "method": CONSTRUCTIONS[activation],
                        "K": K,
                        "restarts": 1,
                        "n_converged": np.nan,
                        "last_change": np.nan,
                        "train_loss": np.nan,
                        "sup": float(sup),
                        "rms": float(rms),
                    }
                )
    return pd.DataFrame(rows, columns=COLUMNS)


def approximation_error(errs: pd.DataFrame, methods) -> pd.DataFrame:
    """Per (target, activation, K): the smallest sup error of any net of width K among `methods`
    (stationary trained restarts and constructions), with its RMS and the method that reached it."""
    d = errs[errs["method"].isin(methods) & errs["sup"].notna()]
    best = d.loc[d.groupby(["target", "activation", "K"], sort=True)["sup"].idxmin()]
    return best[["target", "activation", "K", "method", "sup", "rms"]].reset_index(drop=True)


def width_tables(cells: pd.DataFrame, cfg: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """From the trained cells and the config: the error table (best stationary restarts and the
    constructions) and the approximation error of every width (constructions and L-BFGS)."""
    errs = pd.concat(
        [
            best_restarts(cells, cfg["stationary_tol"]),
            construction_errors(
                cfg["targets"],
                cfg["activations"],
                cfg["construction_widths"],
                cfg["eval_points"],
                cfg["points_per_unit"],
            ),
        ],
        ignore_index=True,
    ).sort_values(["target", "activation", "method", "K"], kind="stable", ignore_index=True)
    return errs, approximation_error(errs, {"lbfgs", *CONSTRUCTIONS.values()})
