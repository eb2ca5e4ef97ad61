"""C15 (c): loss curves of full-batch GD, SGD (B = 1) and mini-batch SGD at an equal budget of
per-example gradient evaluations (epochs x N), each method at its own tuned learning rate.

The lecture: a full-batch step "requires a full pass over the data ... too slow"; SGD
takes N steps for the same pass. Comparing methods at one shared learning rate measures the
learning rate, not the method (a rate that suits B = 1 leaves GD nearly flat), so each batch
size B tunes its own rate on the candidates fixed in the config: the rate with the lowest
median final training loss over tuning seeds (own initial weights, never the evaluation
seeds; a rate at which any run diverged is not eligible). The evaluation seeds then train
at the chosen rate from the same initial weights for every B, so methods compare paired.
"""

import numpy as np
import pandas as pd

from experiments import claims, stats
from experiments.progress import progress
from experiments.stats import last_change
from experiments.training.gradients import data, net
from mlp.network import init
from mlp.seeding import rngs
from mlp.train import train

EVIDENCE = "results/training/sgd_curves.csv; results/training/sgd_tuning.csv; figures/training/sgd_curves.png"


def method(B: int, N: int) -> str:
    return "GD" if B == N else "SGD" if B == 1 else f"mini-batch B={B}"


def run(cfg: dict, B: int, lr: float, seeds, key: str) -> pd.DataFrame:
    """Training and test loss per epoch of `seeds` at batch size B and rate lr, each seed
    reshuffling its training order every epoch; initial weights depend on the seed only."""
    model = net(cfg)
    res = train(
        model,
        init(model, "playground", rngs(seeds, "sgd", key, "init")),
        data(cfg),
        lr=lr,
        batch_size=B,
        epochs=cfg["curve_epochs"],
        shuffle_rngs=rngs(seeds, "sgd", key, "shuffle", B),
        classify=False,
    )
    return pd.DataFrame(res.history).rename(columns={"member": "seed"})


def tune(cfg: dict) -> pd.DataFrame:
    """Per candidate rate: the median final training loss over the tuning seeds and how many diverged."""
    rows = []
    for lr in progress(cfg["curve_lrs"], f"B = {cfg['batch_size']}: learning rates"):
        h = run(cfg, cfg["batch_size"], lr, range(cfg["tune_seeds"]), "tune")
        final = h[h["epoch"] == cfg["curve_epochs"]]["train_loss"]
        rows.append({"lr": lr, "train_loss": float(final.median()), "n_diverged": int(final.isna().sum())})
    return pd.DataFrame(rows).assign(batch_size=cfg["batch_size"])


def chosen_lr(tuning: pd.DataFrame) -> float:
    """The eligible rate (no run diverged) with the lowest median final training loss."""
    ok = tuning[tuning["n_diverged"] == 0].sort_values("lr")
    if ok.empty:
        raise ValueError(
            f"every candidate learning rate diverged at B = {tuning['batch_size'].iloc[0]}: "
            f"add smaller rates to training.sgd.curve_lrs (now {sorted(tuning['lr'])})"
        )
    return float(ok["lr"].iloc[int(np.argmin(ok["train_loss"].to_numpy()))])


def cell(cfg: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(tuning table, curves of the evaluation seeds at the chosen rate) for cfg["batch_size"]."""
    B, N = cfg["batch_size"], data(cfg).X_train.shape[0]
    tuning = tune(cfg)
    lr = chosen_lr(tuning)
    h = run(cfg, B, lr, range(cfg["curve_seeds"]), "curves")
    curves = h.assign(
        method=method(B, N), batch_size=B, lr=lr, grad_evals=h["epoch"] * N, updates=h["epoch"] * (N // B)
    )
    cols = ["method", "batch_size", "lr", "seed", "epoch", "grad_evals", "updates", "train_loss", "test_loss"]
    return tuning.assign(chosen=tuning["lr"] == lr), curves[cols]


def final_losses(curves: pd.DataFrame) -> pd.DataFrame:
    """Per method and seed: the final training loss and its stationarity (relative change over
    the last 10% of the budget)."""
    by = curves.sort_values("epoch").groupby(["method", "seed"])["train_loss"]
    return pd.DataFrame({"final": by.last(), "stationarity": by.apply(last_change)}).reset_index()


def curves_row(curves: pd.DataFrame, tuning: pd.DataFrame) -> dict:
    f = final_losses(curves)
    final = f.pivot(index="seed", columns="method", values="final")
    still = f.groupby("method")["stationarity"].median()
    order = curves.sort_values("batch_size", ascending=False)["method"].unique()  # GD first
    grid = sorted(tuning["lr"].unique())
    candidates = ", ".join(f"{x:g}" for x in grid)
    lrs = curves.groupby("method")["lr"].first()
    edge = {m for m in order if lrs[m] in (grid[0], grid[-1])}
    per = "; ".join(
        f"{m} at lr {lrs[m]:g}{' (edge of the grid)' if m in edge else ''}: {stats.median(final[m]).fmt()}, "
        f"relative change over the last 10% {still[m]:.2g}"
        for m in order
    )
    others = order[1:]  # the SGD variants, largest batch first
    vs_gd = {m: stats.paired(final[m], final["GD"]) for m in others}
    compared = [(m, "GD", p) for m, p in vs_gd.items()]
    if len(others) >= 2:  # B = 1 against the largest mini-batch
        compared.append((others[-1], others[0], stats.paired(final[others[-1]], final[others[0]])))
    pairs = "; ".join(f"{a} - {b} {p.median_diff.fmt('+.3g')} (sign test p = {p.p_value:.2g})" for a, b, p in compared)
    below = [p.median_diff.hi < 0 for p in vs_gd.values()]
    return claims.row(
        "C15",
        f"(c) median final training loss after {int(curves['epoch'].max())} epochs (equal per-example gradient "
        f"evaluations), each method at its own rate tuned on training loss over {candidates}: {per}; paired by seed: {pairs}",
        "(c) every SGD variant ends below full-batch GD at equal gradient evaluations, each at its tuned rate (95% "
        "interval of the paired median difference below 0); partly if some do",
        claims.verdict(all(below), any(below)),
        EVIDENCE,
    )
