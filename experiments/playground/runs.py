"""The tables one training job writes and the later steps read (runs/<name>_<kind>.csv): loss
curves as seed percentiles (curve), every seed's losses at the recorded epochs (seeds), every
seed's losses on the validation and held-out halves of its test points at the end (end), and
the parameters of the picked nets, typical and best seed, for the maps (nets)."""

import numpy as np
import pandas as pd

from experiments.io import read_table
from experiments.playground.plan import curve_epochs, n_params, runs, seed_epochs, seeds_of
from experiments.playground.port import METRICS, PortRun, make_net
from mlp.train import evaluate

QUANTILES = {"p10": 10, "median": 50, "p90": 90}


def curve_table(history: pd.DataFrame) -> pd.DataFrame:
    """Per epoch: 10th, 50th and 90th percentile over seeds of every metric (NaN = diverged)."""
    out = {"epoch": np.sort(history["epoch"].unique())}
    for m in METRICS:
        table = history.pivot(index="epoch", columns="seed", values=m).to_numpy()  # (epochs, M)
        for q, p in QUANTILES.items():
            out[f"{m}_{q}"] = np.nanpercentile(table, p, axis=1)
    out["n_finite"] = history.groupby("epoch")["test_loss"].count().to_numpy()
    return pd.DataFrame(out)


def seed_table(history: pd.DataFrame, epochs, diverged_at=None) -> pd.DataFrame:
    """Every seed's losses and accuracies at the given epochs."""
    out = history[history["epoch"].isin(list(epochs))].reset_index(drop=True)
    if diverged_at is not None:
        seeds = np.sort(history["seed"].unique())
        out["diverged_at"] = pd.Series(diverged_at, index=seeds).loc[out["seed"]].to_numpy()
    return out


def pick_seeds(seeds_df: pd.DataFrame, epoch: int) -> dict[str, int]:
    """The typical seed (lower median of the test loss) and the best seed at `epoch`."""
    at = seeds_df[(seeds_df["epoch"] == epoch) & seeds_df["test_loss"].notna()]
    at = at.sort_values(["test_loss", "seed"], kind="stable")
    return {"typical": int(at["seed"].iloc[(len(at) - 1) // 2]), "best": int(at["seed"].iloc[0])}


def nets_table(theta, seeds: list[int], picks: dict[str, int], epoch: int) -> pd.DataFrame:
    """The parameters of the picked members, one row per weight or bias (col -1 = bias)."""
    rows = []
    for role, seed in picks.items():
        m = seeds.index(seed)
        for layer, (W, b) in enumerate(theta, start=1):
            K_out, K_in = W.shape[1:]
            r, c = np.divmod(np.arange(K_out * K_in), K_in)
            rows.append(
                pd.DataFrame(
                    {
                        "role": role,
                        "seed": seed,
                        "epoch": epoch,
                        "layer": layer,
                        "row": np.r_[r, np.arange(K_out)],
                        "col": np.r_[c, np.full(K_out, -1)],
                        "value": np.r_[W[m].ravel(), b[m]],
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)


def params_from_table(nets: pd.DataFrame, role: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """One picked net as a core parameter list (M = 1)."""
    theta = []
    for _, g in nets[nets["role"] == role].groupby("layer", sort=True):
        w, b = g[g["col"] >= 0], g[g["col"] < 0]
        W = np.zeros((1, int(w["row"].max()) + 1, int(w["col"].max()) + 1))
        W[0, w["row"].to_numpy(), w["col"].to_numpy()] = w["value"].to_numpy()
        theta.append((W, b.sort_values("row")["value"].to_numpy()[None, :]))
    return theta


def end_table(run: PortRun, spec: dict, seeds: list[int], epoch: int) -> pd.DataFrame:
    """Every seed's final net on the two halves of its test points: the first half validates
    (choices between architectures are made on it), the second is held out for comparisons."""
    net, X, Y = make_net(spec, run.data.X_test.shape[-1]), run.data.X_test, run.data.Y_test
    half = X.shape[-2] // 2
    out = {"seed": seeds, "epoch": epoch}
    with np.errstate(invalid="ignore", over="ignore"):  # diverged seeds have NaN parameters
        for part, sl in (("val", slice(None, half)), ("heldout", slice(half, None))):
            loss, acc = evaluate(net, run.params, X[:, sl], Y[:, sl], classify=True)
            out[f"{part}_loss"], out[f"{part}_acc"] = loss, np.where(np.isfinite(loss), acc, np.nan)
    return pd.DataFrame(out)


RUN_COLUMNS = {
    "curve": ["epoch", *(f"{m}_{q}" for m in METRICS for q in QUANTILES), "n_finite"],
    "seeds": ["seed", "epoch", *METRICS, "diverged_at"],
    "end": ["seed", "epoch", "val_loss", "val_acc", "heldout_loss", "heldout_acc"],
    "nets": ["role", "seed", "epoch", "layer", "row", "col", "value"],
}


def run_path(results, name: str, kind: str):
    return results / "runs" / f"{name}_{kind}.csv"


def read_runs(cfg: dict, results, kind: str) -> dict[str, pd.DataFrame]:
    """Every run's table of one kind, checked against the config: each holds every seed and
    every recorded epoch (the nets: both picked nets, every parameter)."""
    out = {}
    for name, spec in runs(cfg).items():
        seeds, n = seeds_of(cfg, spec), spec["seeds"]
        expect = {
            "curve": (len(curve_epochs(cfg)), {"epoch": curve_epochs(cfg)}),
            "seeds": (n * len(seed_epochs(cfg)), {"seed": seeds, "epoch": seed_epochs(cfg)}),
            "end": (n, {"seed": seeds, "epoch": [cfg["epochs"]]}),
            "nets": (2 * n_params(spec["hidden"], len(cfg["features"])), {"role": ["typical", "best"]}),
        }[kind]
        out[name] = read_table(run_path(results, name, kind), RUN_COLUMNS[kind], *expect)
    return out
