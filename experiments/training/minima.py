"""C18: training is non-convex; the same net on the same data ends in different minima.

Many initial weights (one ensemble, one member per seed) on fixed data and a fixed
(unshuffled) order, so the initial weights are the only thing that varies. The final
training losses are grouped by a gap rule on the sorted log10 losses: a new cluster
starts wherever two neighbours differ by more than `gap_decades`.
"""

import numpy as np
import pandas as pd

from mlp.boolean import NAMED_2, function_outputs, truth_table_inputs
from mlp.data import Split, playground_split
from mlp.network import Net, init
from mlp.seeding import rng, rngs
from mlp.train import train


def task_data(cfg: dict, net: Net) -> Split:
    """XOR's 4 rows (+-1 inputs; targets {0, 1} for a sigmoid output, else +-1) or one
    fixed Playground split."""
    if cfg["task"] == "xor":
        X, y = truth_table_inputs(2), function_outputs(NAMED_2["XOR"], 2)[:, None]
        Y = (y + 1) / 2 if net.output == "sigmoid" else y
        return Split(X, Y, X, Y)
    return playground_split(
        cfg["dataset"], rng(cfg["data_seed"], "minima", "data"), noise=cfg["noise"], train_pct=cfg["train_pct"]
    )


def final_losses(cfg: dict) -> pd.DataFrame:
    """Per seed: final training loss and accuracy after `epochs` epochs."""
    net = Net((2, *cfg["hidden_sizes"], 1), cfg["activation"], cfg["output"], cfg["loss"])
    data = task_data(cfg, net)
    seeds = range(cfg["n_seeds"])
    B = cfg["batch_size"] or data.X_train.shape[0]  # 0: full batch
    res = train(
        net,
        init(net, cfg["init"], rngs(seeds, "minima", cfg["task"], "init")),
        data,
        lr=cfg["lr"],
        batch_size=B,
        epochs=cfg["epochs"],
        eval_epochs=[cfg["epochs"]],
        classify=True,
    )
    h = pd.DataFrame(res.history)
    return pd.DataFrame(
        {
            "task": cfg["task"],
            "seed": list(seeds),
            "train_loss": h["train_loss"],
            "train_acc": h["train_acc"],
            "test_loss": h["test_loss"],
            "diverged": res.diverged_at >= 0,
        }
    )


def clusters(final: pd.DataFrame, gap_decades: float, min_seeds: int) -> pd.DataFrame:
    """Clusters of the sorted log10 final losses split at gaps > gap_decades, lowest first.

    A cluster with fewer than `min_seeds` seeds (a straggler still on its way) is listed
    but not counted as a distinct minimum.
    """
    d = final[np.isfinite(final["train_loss"])].sort_values("train_loss", kind="stable")
    lg = np.log10(d["train_loss"].to_numpy())
    labels = np.concatenate([[0], np.cumsum(np.diff(lg) > gap_decades)])
    rows = []
    for k in np.unique(labels):
        c = d[labels == k]
        v = c["train_loss"]
        rows.append(
            {
                "cluster": int(k),
                "n_seeds": len(c),
                "fraction": len(c) / len(final),
                "loss_min": v.min(),
                "loss_median": v.median(),
                "loss_max": v.max(),
                "train_acc_mean": c["train_acc"].mean(),
                "counted": len(c) >= min_seeds,
            }
        )
    return pd.DataFrame(rows)


def global_fraction(final: pd.DataFrame, near_zero: float) -> float:
    """Fraction of seeds at the global minimum: loss below `near_zero`, every point correct."""
    return float(np.mean((final["train_loss"] < near_zero) & (final["train_acc"] == 1.0)))
