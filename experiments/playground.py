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
"""

import numpy as np
import pandas as pd

from experiments import claims
from experiments.io import cli, write_table
from mlp.data import playground_split, stack_splits
from mlp.network import Net, init
from mlp.seeding import rng, rngs
from mlp.train import train

# The lecture's screenshots: spiral, [4, 2], lr 0.03, batch 10, 50 %, noise 0, X1 and X2
LECTURE = {
    "tanh": {"epoch": 2536, "train": 0.302, "test": 0.416},
    "relu": {"epoch": 1968, "train": 0.321, "test": 0.340},
}
# Playground's own code on two of its seeds (shared/reference/playground.md, section 6):
# (seed, activation, epoch, train loss, test loss) for the spiral with [4, 2]
PLAYGROUND_SEEDS = [
    ("0.26288", "tanh", 0, 0.509319, 0.520945),
    ("0.26288", "tanh", 100, 0.466607, 0.485242),
    ("0.26288", "tanh", 1968, 0.299567, 0.402244),
    ("0.26288", "tanh", 2536, 0.295677, 0.408977),
    ("0.26288", "relu", 0, 0.505793, 0.506962),
    ("0.26288", "relu", 100, 0.449479, 0.472177),
    ("0.26288", "relu", 1968, 0.365152, 0.436708),
    ("0.26288", "relu", 2536, 0.365856, 0.437238),
    ("0.87646", "tanh", 0, 0.508295, 0.496014),
    ("0.87646", "tanh", 100, 0.476163, 0.472901),
    ("0.87646", "tanh", 1968, 0.327209, 0.485809),
    ("0.87646", "tanh", 2536, 0.324336, 0.487160),
    ("0.87646", "relu", 0, 0.515839, 0.504156),
    ("0.87646", "relu", 100, 0.475308, 0.473367),
    ("0.87646", "relu", 1968, 0.314357, 0.338957),
    ("0.87646", "relu", 2536, 0.312401, 0.340032),
]
SLIDE_HIDDEN = [4, 2]
LEARNED_ACC, NOT_LEARNED_ACC = 0.95, 0.90  # median test accuracy: learned >= 0.95, not learned < 0.90
ALPHA = 0.05  # significance level of "four relu layers do better"
QUANTILES = {"p10": 10, "median": 50, "p90": 90}
METRICS = ["train_loss", "test_loss", "train_acc", "test_acc"]


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
    histories, diverged = [first.history], first.diverged_at
    if E > e_map:
        rest = train(
            net, first.params, data, epochs=E - e_map, eval_epochs=[e - e_map for e in curve_epochs if e > e_map], **kw
        )
        histories.append(rest.history.assign(epoch=rest.history["epoch"] + e_map))
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


def percentile_of(values: np.ndarray, x: float) -> float:
    """Percentile rank of x among values: % below plus half the % equal (ties split)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    return float(100 * (np.mean(v < x) + 0.5 * np.mean(v == x)))


def _stats(values) -> dict:
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    return {
        "min": v.min(),
        "p10": np.percentile(v, 10),
        "median": np.median(v),
        "p90": np.percentile(v, 90),
        "max": v.max(),
    }


def summary_table(seeds: dict[str, pd.DataFrame], specs: dict[str, dict], params: dict) -> pd.DataFrame:
    """Per configuration and per slide epoch (and the budget): seed-distribution statistics."""
    epochs = sorted(
        {*params["slide_epochs"].values(), params["epochs"]} & {e for df in seeds.values() for e in df["epoch"]}
    )
    rows = []
    for name, df in seeds.items():
        spec = specs[name]
        for e in epochs:
            at = df[df["epoch"] == e]
            if at.empty:
                continue
            row = {
                "config": name,
                "dataset": spec["dataset"],
                "hidden": "-".join(map(str, spec["hidden"])),
                "activation": spec["activation"],
                "epoch": e,
                "n_seeds": len(at),
                "n_diverged": int(at["test_loss"].isna().sum()),
            }
            for m in METRICS:
                s = _stats(at[m])
                row |= {f"{m}_{k}": s[k] for k in ("p10", "median", "p90")}
            rows.append(row)
    return pd.DataFrame(rows)


def _slide_name(specs: dict, activation: str) -> str | None:
    for name, s in specs.items():
        if s["dataset"] == "spiral" and list(s["hidden"]) == SLIDE_HIDDEN and s["activation"] == activation:
            return name
    return None


def reference_table(seeds: dict[str, pd.DataFrame], specs: dict[str, dict], params: dict) -> pd.DataFrame:
    """Where the lecture's numbers and Playground's own seeds fall in our seed distributions
    of the spiral [4, 2] (percentile rank; inside = within the observed [min, max])."""
    refs = [
        (
            "lecture",
            a,
            params["slide_epochs"].get(a, LECTURE[a]["epoch"]),
            LECTURE[a]["epoch"],
            LECTURE[a]["train"],
            LECTURE[a]["test"],
        )
        for a in LECTURE
    ]
    refs += [(f"playground seed {s}", a, e, e, tr, te) for s, a, e, tr, te in PLAYGROUND_SEEDS]
    rows = []
    for source, act, epoch, ref_epoch, tr, te in refs:
        name = _slide_name(specs, act)
        if name is None:
            continue
        at = seeds[name][seeds[name]["epoch"] == epoch]
        if at.empty:
            continue
        for split, value in (("train", tr), ("test", te)):
            s = _stats(at[f"{split}_loss"])
            rows.append(
                {
                    "source": source,
                    "config": name,
                    "epoch": epoch,
                    "reference_epoch": ref_epoch,
                    "split": split,
                    "value": value,
                    "percentile": percentile_of(at[f"{split}_loss"], value),
                    **s,
                    "inside": bool(s["min"] <= value <= s["max"]),
                    "n_seeds": len(at),
                }
            )
    return pd.DataFrame(rows)


def paired_table(seeds: dict[str, pd.DataFrame], specs: dict[str, dict], params: dict) -> pd.DataFrame:
    """relu vs tanh on the same seeds (same split, same initial weights) for every architecture
    trained with both: at each common epoch, and at the slides' counts (relu 1968 vs tanh 2536)."""
    by_arch = {}
    for name, s in specs.items():
        by_arch.setdefault((s["dataset"], tuple(s["hidden"])), {})[s["activation"]] = name
    slide = params["slide_epochs"]
    rows = []
    for (dataset, hidden), acts in sorted(by_arch.items()):
        if not {"tanh", "relu"} <= set(acts):
            continue
        r, t = seeds[acts["relu"]], seeds[acts["tanh"]]
        pairs = [(e, e) for e in sorted({*slide.values(), params["epochs"]})]
        if "relu" in slide and "tanh" in slide and slide["relu"] != slide["tanh"]:
            pairs.append((slide["relu"], slide["tanh"]))
        for er, et in pairs:
            m = pd.merge(r[r["epoch"] == er], t[t["epoch"] == et], on="seed", suffixes=("_relu", "_tanh"))
            m = m.dropna(subset=["test_loss_relu", "test_loss_tanh"])
            if m.empty:
                continue
            d_test, d_train = m["test_loss_relu"] - m["test_loss_tanh"], m["train_loss_relu"] - m["train_loss_tanh"]
            rows.append(
                {
                    "dataset": dataset,
                    "hidden": "-".join(map(str, hidden)),
                    "relu_epoch": er,
                    "tanh_epoch": et,
                    "n_seeds": len(m),
                    "frac_relu_lower_test": float(np.mean(d_test < 0)),
                    "median_diff_test": d_test.median(),
                    "frac_relu_lower_train": float(np.mean(d_train < 0)),
                    "median_diff_train": d_train.median(),
                    "relu_test_median": m["test_loss_relu"].median(),
                    "tanh_test_median": m["test_loss_tanh"].median(),
                }
            )
    return pd.DataFrame(rows)


def _fmt_hidden(spec) -> str:
    return "[" + ",".join(map(str, spec["hidden"])) + "]"


def depth_table(seeds: dict[str, pd.DataFrame], specs: dict[str, dict], params: dict) -> pd.DataFrame:
    """Four relu layers vs [4, 2] relu on the spiral: test-loss medians, the probability that a
    four-layer seed beats a two-layer seed (1 - U / (n1 n2)) and the one-sided Mann-Whitney p-value."""
    from scipy.stats import mannwhitneyu  # here: scipy.stats takes ~1 s to import, the training jobs skip it

    base = _slide_name(specs, "relu")
    deep = [
        n for n, s in specs.items() if s["dataset"] == "spiral" and len(s["hidden"]) == 4 and s["activation"] == "relu"
    ]
    rows = []
    for name in deep if base else []:
        for e in sorted({params["slide_epochs"].get("relu", params["epochs"]), params["epochs"]}):
            a = seeds[name].loc[seeds[name]["epoch"] == e, "test_loss"].dropna()
            b = seeds[base].loc[seeds[base]["epoch"] == e, "test_loss"].dropna()
            if a.empty or b.empty:
                continue
            U, p = mannwhitneyu(a, b, alternative="less")
            rows.append(
                {
                    "config": name,
                    "epoch": e,
                    "n_seeds": len(a),
                    "test_median": a.median(),
                    "base_config": base,
                    "base_n_seeds": len(b),
                    "base_median": b.median(),
                    "prob_lower": 1 - U / (len(a) * len(b)),  # U counts pairs with a > b
                    "p_value": p,
                    "better": bool(p < ALPHA),
                }
            )
    return pd.DataFrame(rows)


def claim_rows(
    summary: pd.DataFrame, refs: pd.DataFrame, paired: pd.DataFrame, depth: pd.DataFrame, specs: dict, params: dict
) -> pd.DataFrame:
    """C13's rows, each verdict computed from the seed distributions."""
    E = params["epochs"]
    final = summary[summary["epoch"] == E].set_index("config")
    ev = "results/playground/summary.csv"
    rows = []

    simple = [n for n, s in specs.items() if s["dataset"] != "spiral" and len(s["hidden"]) == 1]
    if simple:
        ok = [final.loc[n, "test_acc_median"] >= LEARNED_ACC for n in simple]
        meas = "; ".join(
            f"{specs[n]['dataset']} {_fmt_hidden(specs[n])} {specs[n]['activation']}: median test "
            f"accuracy {final.loc[n, 'test_acc_median']:.3f} (p10 {final.loc[n, 'test_acc_p10']:.3f}), "
            f"test loss {final.loc[n, 'test_loss_median']:.3f}"
            for n in simple
        )
        rows.append(
            claims.row(
                "C13",
                f"simple target learned with one hidden layer, epoch {E}: {meas}",
                f"median test accuracy >= {LEARNED_ACC} on every simple target",
                claims.verdict(all(ok), partly=any(ok)),
                f"{ev}; figures/playground/decision_maps_all.png",
            )
        )

    shallow = [n for n, s in specs.items() if s["dataset"] == "spiral" and len(s["hidden"]) == 1]
    if shallow:
        ok = [final.loc[n, "test_acc_median"] < NOT_LEARNED_ACC for n in shallow]
        meas = "; ".join(
            f"{_fmt_hidden(specs[n])} {specs[n]['activation']}: median test loss "
            f"{final.loc[n, 'test_loss_median']:.3f}, test accuracy {final.loc[n, 'test_acc_median']:.3f}"
            f" (p90 {final.loc[n, 'test_acc_p90']:.3f})"
            for n in shallow
        )
        rows.append(
            claims.row(
                "C13",
                f"spiral with one hidden layer, epoch {E}: {meas}",
                f"median test accuracy < {NOT_LEARNED_ACC} for every one-hidden-layer net (not learned)",
                claims.verdict(all(ok), partly=any(ok)),
                f"{ev}; figures/playground/loss_curves.png",
            )
        )

    lec = refs[refs["source"] == "lecture"] if len(refs) else refs
    if len(lec):
        typical = (lec["p10"] <= lec["value"]) & (lec["value"] <= lec["p90"])
        meas = "; ".join(
            f"{r.config} {r.split} {r.value:.3f} at epoch {r.epoch}: percentile {r.percentile:.0f} "
            f"(p10-p90 {r.p10:.3f}-{r.p90:.3f}, median {r['median']:.3f}, range {r['min']:.3f}-"
            f"{r['max']:.3f}, {r.n_seeds} seeds)"
            for _, r in lec.iterrows()
        )
        rows.append(
            claims.row(
                "C13",
                f"two hidden layers [4,2] reach the lecture's numbers: {meas}",
                "each lecture number lies within the 10th-90th percentile of the seed distribution "
                "(partly: all within the observed range)",
                claims.verdict(bool(typical.all()), partly=bool(lec["inside"].all())),
                "results/playground/reference_percentiles.csv; figures/playground/lecture_percentiles.png",
            )
        )
        if len(paired):
            p = paired[(paired["hidden"] == "-".join(map(str, SLIDE_HIDDEN))) & (paired["dataset"] == "spiral")]
            if len(p):
                rows[-1]["measured"] += "; paired relu vs tanh on the same seeds: " + "; ".join(
                    f"relu@{r.relu_epoch} vs tanh@{r.tanh_epoch}: relu test loss lower on "
                    f"{100 * r.frac_relu_lower_test:.0f}% of {r.n_seeds} seeds, median difference "
                    f"{r.median_diff_test:+.3f}"
                    for _, r in p.iterrows()
                )

    pg = refs[refs["source"].str.startswith("playground")] if len(refs) else refs
    pg = pg[pg["epoch"].isin(list(params["slide_epochs"].values()))] if len(pg) else pg
    if len(pg):
        meas = "; ".join(
            f"{r.source[-7:]} {r.config.split('-')[-1]} {r.split}@{r.epoch} {r.value:.3f}: "
            f"percentile {r.percentile:.0f}"
            for _, r in pg.iterrows()
        )
        rows.append(
            claims.row(
                "C13",
                f"Playground's own code on two of its seeds, placed in our seed distributions: {meas}",
                "every value within the observed range of our seeds (our port gives Playground's distribution)",
                claims.verdict(bool(pg["inside"].all()), partly=bool(pg["inside"].any())),
                "results/playground/reference_percentiles.csv",
            )
        )

    if len(depth):
        ok = list(depth["better"])
        meas = "; ".join(
            f"{r.config} at epoch {r.epoch}: median test loss {r.test_median:.3f} vs [4,2] relu {r.base_median:.3f}, "
            f"P(lower) {r.prob_lower:.2f}, one-sided Mann-Whitney p = {r.p_value:.2g}"
            for r in depth.itertuples()
        )
        rows.append(
            claims.row(
                "C13",
                f"four relu layers vs two on the spiral: {meas}",
                f"every four-layer relu net's test losses are lower than [4,2] relu's (one-sided Mann-Whitney "
                f"p < {ALPHA}) at each epoch",
                claims.verdict(all(ok), partly=any(ok)),
                "results/playground/depth_relu.csv; figures/playground/loss_curves.png",
            )
        )
    return pd.DataFrame(rows)


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
    specs, seeds = _specs(params), load_runs(params, results, "seeds")
    summary = summary_table(seeds, specs, params)
    refs = reference_table(seeds, specs, params)
    paired = paired_table(seeds, specs, params)
    write_table(summary, results / "summary.csv")
    write_table(refs, results / "reference_percentiles.csv")
    write_table(paired, results / "paired_relu_tanh.csv")
    depth = depth_table(seeds, specs, params)
    write_table(depth, results / "depth_relu.csv")
    write_table(claim_rows(summary, refs, paired, depth, specs, params), results / "claims.csv")


def plots(params: dict, results, figures) -> None:
    """Step `plots`: every figure (experiments.playground_plots)."""
    from experiments import playground_plots

    playground_plots.write_all(params, results, figures)


if __name__ == "__main__":
    cli({"train": run_one, "summarise": summarise, "plots": plots})
