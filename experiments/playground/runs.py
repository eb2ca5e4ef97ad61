"""The tables one training job writes and the later steps read: loss curves as seed
percentiles, every seed's losses at the recorded epochs, and the parameters of the picked nets
(typical and best seed) for the maps."""

import numpy as np
import pandas as pd

from experiments.playground.plan import config_name
from experiments.playground.port import METRICS

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


def config_specs(params: dict) -> dict[str, dict]:
    """Every configuration by its name (config_name), in config order; names must be distinct."""
    names = [config_name(s) for s in params["configs"]]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate playground configurations: {names}")
    return dict(zip(names, params["configs"]))


def load_runs(params: dict, results, kind: str) -> dict[str, pd.DataFrame]:
    return {n: pd.read_csv(results / "runs" / f"{n}_{kind}.csv") for n in config_specs(params)}
