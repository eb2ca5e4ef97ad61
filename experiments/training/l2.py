"""C14 and C26: the L2 regulariser of the ERM objective lambda Omega(theta) + (1/N) sum_i L_i,
and lambda chosen on validation data.

One Playground task with label noise and a small training split, where an [8, 8] net
overfits at lambda = 0. Each seed draws its own data and initial weights; its training
points are split once into a fitting part and a validation part (the last `val_pct`% of
the already shuffled training points), so the test points are never seen before the
choice is made. Each lambda is one sweep cell: the seeds are one ensemble trained by
`mlp.train.train(l2=lambda)` on their fitting parts, with the same data and initial
weights at every lambda, so every comparison between lambdas is paired by seed.
"""

import numpy as np
import pandas as pd

from experiments.stats import last_change
from mlp.data import Split, playground_split, stack_splits
from mlp.network import Net, forward, init, objective, omega
from mlp.seeding import rngs
from mlp.train import train

CELL_COLUMNS = [
    "lam",
    "seed",
    "omega",
    "train_loss",
    "val_loss",
    "test_loss",
    "train_acc",
    "test_acc",
    "out_std",
    "stationarity",
    "test_change",
    "val_in_test",
    "diverged",
]


def net(cfg: dict) -> Net:
    """The Playground classifier: tanh output, squared loss, labels +-1."""
    return Net((2, *cfg["hidden_sizes"], 1), cfg["activation"], "tanh", "squared")


def validation_split(split: Split, val_pct: int) -> tuple[Split, np.ndarray, np.ndarray]:
    """(fit/test split, validation X, validation Y): the last val_pct% of the training
    points are held out for choosing lambda; the test points stay the test points."""
    n_val = split.X_train.shape[0] * val_pct // 100
    cut = split.X_train.shape[0] - n_val
    fit = Split(split.X_train[:cut], split.Y_train[:cut], split.X_test, split.Y_test)
    return fit, split.X_train[cut:], split.Y_train[cut:]


def shared_points(A: np.ndarray, B: np.ndarray) -> int:
    """How many rows of A (n, D) also occur in B (m, D), exactly (a leak check)."""
    return int(np.sum(np.any(np.all(A[:, None, :] == B[None, :, :], axis=-1), axis=1)))


def seed_data(cfg: dict) -> tuple[Split, np.ndarray, np.ndarray]:
    """Every seed's fit/test split (M, ...) and validation points (M, n_val, D), (M, n_val, 1)."""
    parts = [
        validation_split(
            playground_split(cfg["dataset"], r, noise=cfg["noise"], train_pct=cfg["train_pct"]), cfg["val_pct"]
        )
        for r in rngs(range(cfg["n_seeds"]), "l2", "data")
    ]
    return stack_splits([p[0] for p in parts]), np.stack([p[1] for p in parts]), np.stack([p[2] for p in parts])


def l2_cell(cfg: dict) -> pd.DataFrame:
    """One lambda (cfg["lam"]), per seed: Omega of the trained weights, final train /
    validation / test loss, accuracies, the spread of the output over the test inputs
    (near 0: the net has collapsed to a constant), the stationarity of the training loss
    and the change of the test loss over the last 10% of the budget, and how many
    validation points are test points."""
    seeds, E = range(cfg["n_seeds"]), cfg["epochs"]
    model = net(cfg)
    data, X_val, Y_val = seed_data(cfg)
    res = train(
        model,
        init(model, "playground", rngs(seeds, "l2", "init")),
        data,
        lr=cfg["lr"],
        batch_size=cfg["batch_size"],
        epochs=E,
        l2=cfg["lam"],
        eval_epochs=[E - max(1, E // 10), E],
        classify=True,
    )
    h = pd.DataFrame(res.history)
    last = h[h["epoch"] == E].sort_values("member")
    curve = h.pivot(index="epoch", columns="member", values="train_loss")
    test = h.pivot(index="epoch", columns="member", values="test_loss")
    _, val_loss, _ = objective(model, res.params, X_val, Y_val)
    f_test, _ = forward(model, res.params, data.X_test)
    return pd.DataFrame(
        {
            "lam": cfg["lam"],
            "seed": list(seeds),
            "omega": omega(res.params),
            "train_loss": last["train_loss"].to_numpy(),
            "val_loss": val_loss,
            "test_loss": last["test_loss"].to_numpy(),
            "train_acc": last["train_acc"].to_numpy(),
            "test_acc": last["test_acc"].to_numpy(),
            "out_std": np.std(f_test[..., 0], axis=-1),
            "stationarity": [last_change(curve[m]) for m in curve.columns],
            "test_change": (test.iloc[-1] - test.iloc[0]).to_numpy(),
            "val_in_test": [shared_points(v, t) for v, t in zip(X_val, data.X_test)],
            "diverged": res.diverged_at >= 0,
        }
    )[CELL_COLUMNS]
