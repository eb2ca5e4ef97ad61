"""Seed-distribution summaries of the Playground family (C13): percentiles over seeds, where the
lecture's and Playground's own numbers fall, relu vs tanh on the same seeds, four relu layers vs
two."""

import numpy as np
import pandas as pd
from scipy.stats import mannwhitneyu

from experiments.playground.port import METRICS

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
ALPHA = 0.05  # significance level of "four relu layers do better"


def percentile_of(values: np.ndarray, x: float) -> float:
    """Percentile rank of x among values: % below plus half the % equal (ties split)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    return float(100 * (np.mean(v < x) + 0.5 * np.mean(v == x)))


def seed_stats(values) -> dict:
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
                s = seed_stats(at[m])
                row |= {f"{m}_{k}": s[k] for k in ("p10", "median", "p90")}
            rows.append(row)
    return pd.DataFrame(rows)


def slide_name(specs: dict, activation: str) -> str | None:
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
        name = slide_name(specs, act)
        if name is None:
            continue
        at = seeds[name][seeds[name]["epoch"] == epoch]
        if at.empty:
            continue
        for split, value in (("train", tr), ("test", te)):
            s = seed_stats(at[f"{split}_loss"])
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


def fmt_hidden(spec) -> str:
    return "[" + ",".join(map(str, spec["hidden"])) + "]"


def depth_table(seeds: dict[str, pd.DataFrame], specs: dict[str, dict], params: dict) -> pd.DataFrame:
    """Four relu layers vs [4, 2] relu on the spiral: test-loss medians, the probability that a
    four-layer seed beats a two-layer seed (1 - U / (n1 n2)) and the one-sided Mann-Whitney p-value."""
    base = slide_name(specs, "relu")
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
