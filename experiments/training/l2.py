"""C14: the L2 regulariser of the ERM objective lambda Omega(theta) + (1/N) sum_i L_i.

One Playground task with label noise and a small training split, where an [8, 8] net
overfits at lambda = 0. Each lambda is one sweep cell: n_seeds members (own data draw,
own Playground initial weights) trained together by `mlp.train.train(l2=lambda)`. The
same seeds are used at every lambda, so gaps can be compared seed by seed.
"""

import numpy as np
import pandas as pd

from mlp.data import playground_split, stack_splits
from mlp.network import Net, init, omega
from mlp.seeding import rngs
from mlp.train import train

N_LARGEST = 2  # the gap must shrink at this many largest lambdas
N_SE = 2.0  # by more than this many standard errors of the paired difference


def l2_cell(cfg: dict, lam: float) -> pd.DataFrame:
    """Per seed: Omega of the trained weights, final train/test loss and accuracy, gap."""
    seeds = range(cfg["n_seeds"])
    net = Net((2, *cfg["hidden_sizes"], 1), cfg["activation"], "tanh", "squared")  # Playground classifier
    data = stack_splits(
        [
            playground_split(cfg["dataset"], r, noise=cfg["noise"], train_pct=cfg["train_pct"])
            for r in rngs(seeds, "l2", "data")
        ]
    )
    res = train(
        net,
        init(net, "playground", rngs(seeds, "l2", "init")),
        data,
        lr=cfg["lr"],
        batch_size=cfg["batch_size"],
        epochs=cfg["epochs"],
        l2=lam,
        eval_epochs=[cfg["epochs"]],
        classify=True,
    )
    h = pd.DataFrame(res.history)
    return pd.DataFrame(
        {
            "lam": lam,
            "seed": list(seeds),
            "omega": omega(res.params),
            "train_loss": h["train_loss"],
            "test_loss": h["test_loss"],
            "gap": h["test_loss"] - h["train_loss"],
            "train_acc": h["train_acc"],
            "test_acc": h["test_acc"],
            "diverged": res.diverged_at >= 0,
        }
    )


def summarise(cells: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard error over seeds per lambda, and the gap's paired difference to
    the smallest lambda (same seeds) with its standard error."""
    cells = cells.sort_values(["lam", "seed"])
    base = cells[cells["lam"] == cells["lam"].min()].set_index("seed")["gap"]
    rows = []
    for lam, d in cells.groupby("lam"):
        diff = d.set_index("seed")["gap"] - base
        row = {"lam": lam, "n_seeds": len(d), "n_diverged": int(d["diverged"].sum())}
        for col in ("omega", "train_loss", "test_loss", "gap", "train_acc", "test_acc"):
            row[col] = d[col].mean()
            row[f"{col}_se"] = d[col].std(ddof=1) / np.sqrt(len(d))
        row["gap_change"] = diff.mean()
        row["gap_change_se"] = diff.std(ddof=1) / np.sqrt(len(diff))
        rows.append(row)
    return pd.DataFrame(rows)


def verdict_parts(summary: pd.DataFrame) -> tuple[bool, bool]:
    """(mean Omega strictly falls with lambda, the gap at the N_LARGEST largest lambdas is
    below the gap at the smallest lambda by more than N_SE paired standard errors)."""
    s = summary.sort_values("lam")
    falls = bool(np.all(np.diff(s["omega"]) < 0))
    top = s.tail(N_LARGEST)
    shrinks = bool(np.all(top["gap_change"] < -N_SE * top["gap_change_se"]))
    return falls, shrinks
