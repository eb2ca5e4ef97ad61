"""TensorFlow Playground reproduced over many seeds (C13): the lecture's spiral screenshots,
one hidden layer on the spiral, four relu layers, and the simple targets.

Every configuration (dataset, hidden layers, activation) trains as ONE ensemble of M seeds
with Playground's exact semantics (the core: `playground_split`, init "playground", tanh
output, 1/2-MSE, mini-batch SGD on a fixed order; one Playground iteration is one epoch).
Seed s draws its data (generate, shuffle once, split) from rng(s, "data", dataset) and its
weights from rng(s, "init", dataset-hidden); the weights do not depend on the activation, so
tanh and relu of one architecture train on the same split from the same initial weights,
as on Playground's page when only the activation changes. Integer seeds drive numpy
Generators, not Playground's seedrandom strings, so single seeds differ from the page's but
the distributions over seeds are the ones Playground gives.

This module trains one configuration and holds the steps; the seed-distribution summaries and
claim rows live in experiments.playground_summary, the figures in experiments.playground_plots.
"""

import numpy as np
import pandas as pd

from experiments.io import cli, write_table
from mlp.data import playground_split, stack_splits
from mlp.network import Net, init
from mlp.seeding import rng, rngs
from mlp.train import train

METRICS = ["train_loss", "test_loss", "train_acc", "test_acc"]
QUANTILES = {"p10": 10, "median": 50, "p90": 90}


def config_name(spec: dict) -> str:
    """'spiral-4-2-tanh': dataset, hidden widths, activation (the Snakemake wildcard)."""
    return "-".join([spec["dataset"], *map(str, spec["hidden"]), spec["activation"]])


def net_key(spec: dict) -> str:
    """The init stream's key: dataset and architecture, not the activation."""
    return "-".join([spec["dataset"], *map(str, spec["hidden"])])


def seeds_of(params: dict, spec: dict) -> list[int]:
    return list(range(params["seed0"], params["seed0"] + spec["seeds"]))


def make_net(spec: dict, n_features: int = 2) -> Net:
    return Net((n_features, *spec["hidden"], 1), hidden=spec["activation"], output="tanh", loss="squared")


def split_of(params: dict, dataset: str, seed: int):
    """One seed's Playground data (the same for every architecture and activation)."""
    return playground_split(
        dataset,
        rng(seed, "data", dataset),
        noise=params["noise"],
        train_pct=params["train_pct"],
        feature_names=tuple(params["features"]),
    )


def map_epoch(params: dict, spec: dict) -> int:
    """Epoch of the decision maps: the slide's count for the activation, else the budget."""
    return min(params["slide_epochs"].get(spec["activation"], params["epochs"]), params["epochs"])


def record_epochs(params: dict) -> tuple[list[int], list[int]]:
    """(curve epochs: every eval_every plus the per-seed epochs; per-seed table epochs)."""
    E = params["epochs"]
    per_seed = sorted({e for e in [*params["seed_epochs"], *params["slide_epochs"].values(), E] if 0 <= e <= E})
    return sorted(set(range(0, E + 1, params["eval_every"])) | set(per_seed)), per_seed


def train_config(params: dict, spec: dict):
    """Train all seeds of one configuration as one ensemble.

    Returns (history with a seed column, parameters at map_epoch, diverged_at per seed).
    Training pauses at map_epoch to keep a copy of the parameters and resumes; this is
    exact because no leftover batch carries over between epochs (checked).
    """
    seeds = seeds_of(params, spec)
    data = stack_splits([split_of(params, spec["dataset"], s) for s in seeds])  # X (M, N, D)
    net = make_net(spec, data.X_train.shape[-1])
    theta = init(net, "playground", rngs(seeds, "init", net_key(spec)))
    E, e_map = params["epochs"], map_epoch(params, spec)
    n_train, B = data.X_train.shape[-2], params["batch_size"]
    if 0 < e_map < E and n_train % B:
        raise ValueError(f"batch_size {B} leaves leftover points of {n_train}; cannot pause at epoch {e_map}")
    curve_epochs, _ = record_epochs(params)
    kw = {"lr": params["lr"], "batch_size": B, "classify": True}
    first = train(net, theta, data, epochs=e_map, eval_epochs=[e for e in curve_epochs if e <= e_map], **kw)
    histories, diverged = [pd.DataFrame(first.history)], first.diverged_at
    if E > e_map:
        rest = train(
            net, first.params, data, epochs=E - e_map, eval_epochs=[e - e_map for e in curve_epochs if e > e_map], **kw
        )
        histories.append(pd.DataFrame(rest.history).assign(epoch=rest.history["epoch"] + e_map))
        diverged = np.where(diverged >= 0, diverged, np.where(rest.diverged_at >= 0, rest.diverged_at + e_map, -1))
    history = pd.concat(histories, ignore_index=True)
    history.insert(0, "seed", np.asarray(seeds)[history["member"]])
    history = history.drop(columns="member").sort_values(["epoch", "seed"], kind="stable").reset_index(drop=True)
    return history, first.params, diverged


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


# ---------------------------------------------------------------- steps


def _specs(params: dict) -> dict[str, dict]:
    names = [config_name(s) for s in params["configs"]]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate playground configurations: {names}")
    return dict(zip(names, params["configs"]))


def run_one(params: dict, results, figures) -> None:
    """Step `train`: one configuration (params["run"], params["config"]) -> runs/<name>_*.csv."""
    spec, name = params["config"], params["run"]
    if config_name(spec) != name:
        raise ValueError(f"run {name!r} does not match its configuration {config_name(spec)!r}")
    history, theta, diverged = train_config(params, spec)
    _, per_seed = record_epochs(params)
    seeds_df = seed_table(history, per_seed, diverged)
    e = map_epoch(params, spec)
    runs = results / "runs"
    write_table(curve_table(history), runs / f"{name}_curve.csv")
    write_table(seeds_df, runs / f"{name}_seeds.csv")
    write_table(
        nets_table(theta, seeds_of(params, spec), pick_seeds(seeds_df, e), e),
        runs / f"{name}_nets.csv",
        float_format="%.17g",
    )


def load_runs(params: dict, results, kind: str) -> dict[str, pd.DataFrame]:
    return {n: pd.read_csv(results / "runs" / f"{n}_{kind}.csv") for n in _specs(params)}


def summarise(params: dict, results, figures) -> None:
    """Step `summarise`: seed-distribution tables and the claim rows."""
    from experiments import playground_summary as pgs  # not imported by the training jobs

    specs, seeds = _specs(params), load_runs(params, results, "seeds")
    summary = pgs.summary_table(seeds, specs, params)
    refs = pgs.reference_table(seeds, specs, params)
    paired = pgs.paired_table(seeds, specs, params)
    write_table(summary, results / "summary.csv")
    write_table(refs, results / "reference_percentiles.csv")
    write_table(paired, results / "paired_relu_tanh.csv")
    depth = pgs.depth_table(seeds, specs, params)
    write_table(depth, results / "depth_relu.csv")
    write_table(pgs.claim_rows(summary, refs, paired, depth, specs, params), results / "claims.csv")


def plots(params: dict, results, figures) -> None:
    """Step `plots`: every figure (experiments.playground_plots)."""
    from experiments import playground_plots

    playground_plots.write_all(params, results, figures)


if __name__ == "__main__":
    cli({"train": run_one, "summarise": summarise, "plots": plots})
