"""Seed distributions of the Playground family (C13): percentiles over seeds with intervals,
convergence, where the lecture's and Playground's own numbers fall (percentile ranks with
intervals and an exact two-sided rank test), and relu vs tanh on the same seeds."""

import numpy as np
import pandas as pd

from experiments import stats
from experiments.playground.plan import map_epoch, n_params, stationary_from
from experiments.playground.port import METRICS
from experiments.playground.reference import LECTURE, PLAYGROUND_SEEDS, SLIDE_HIDDEN
from experiments.stats import Estimate

TIE = 1e-9  # losses this close to a reference value count as ties: ranks do not move with a few ulps


def arch(spec: dict) -> str:
    """'[4,2] tanh'."""
    return "[" + ",".join(map(str, spec["hidden"])) + "] " + spec["activation"]


def at_epoch(df: pd.DataFrame, epoch: int) -> pd.DataFrame:
    return df[df["epoch"] == epoch]


def stationarity(seeds_df: pd.DataFrame, cfg: dict) -> pd.DataFrame:
    """Per seed: the relative change of the train loss over the last 10% of the epochs
    (stats.last_change) and whether the seed counts as converged: the change is at most
    stationary_tol, or the train loss ended below fitted_loss. Diverged seeds never count."""
    start = at_epoch(seeds_df, stationary_from(cfg)).set_index("seed")["train_loss"]
    end = at_epoch(seeds_df, cfg["epochs"]).set_index("seed")["train_loss"]
    change = pd.Series(
        [stats.last_change([a, b], frac=1.0) for a, b in zip(start, end.loc[start.index])],
        index=start.index,
        dtype=float,
    )
    ok = np.isfinite(change) & ((change <= cfg["stationary_tol"]) | (end.loc[start.index] <= cfg["fitted_loss"]))
    return pd.DataFrame({"seed": start.index, "last_change": change.to_numpy(), "converged": ok.to_numpy()})


def stationarity_table(seeds: dict[str, pd.DataFrame], specs: dict, cfg: dict) -> pd.DataFrame:
    """Per run: how many seeds converged, and the median relative change over the last 10%."""
    rows = []
    for name, df in seeds.items():
        st = stationarity(df, cfg)
        med = stats.median(st["last_change"])
        rows.append(
            {
                "config": name,
                "n_seeds": len(st),
                "n_converged": int(st["converged"].sum()),
                "last_change_median": med.value,
                "last_change_lo": med.lo,
                "last_change_hi": med.hi,
                "last_change_p90": np.nanpercentile(st["last_change"], 90)
                if st["last_change"].notna().any()
                else np.nan,
                "from_epoch": stationary_from(cfg),
                "to_epoch": cfg["epochs"],
            }
        )
    return pd.DataFrame(rows)


def summary_table(seeds: dict[str, pd.DataFrame], specs: dict, cfg: dict) -> pd.DataFrame:
    """Per run and per slide epoch (and the budget): percentiles over seeds of every metric,
    with the 95% interval of the median test accuracy and test loss."""
    epochs = sorted({e for e in [*cfg["slide_epochs"].values(), cfg["epochs"]] if e <= cfg["epochs"]})
    rows = []
    for name, df in seeds.items():
        spec = specs[name]
        for e in epochs:
            at = at_epoch(df, e)
            row = {
                "config": name,
                "dataset": spec["dataset"],
                "hidden": "-".join(map(str, spec["hidden"])),
                "activation": spec["activation"],
                "params": n_params(spec["hidden"], len(cfg["features"])),
                "epoch": e,
                "n_seeds": len(at),
                "n_diverged": int(at["test_loss"].isna().sum()),
            }
            for m in METRICS:
                v = at[m].dropna()
                row |= {f"{m}_p10": np.percentile(v, 10), f"{m}_median": np.median(v), f"{m}_p90": np.percentile(v, 90)}
            for m in ("test_acc", "test_loss"):
                med = stats.median(at[m])
                row |= {f"{m}_median_lo": med.lo, f"{m}_median_hi": med.hi}
            rows.append(row)
    return pd.DataFrame(rows)


def slide_name(specs: dict, activation: str) -> str | None:
    """The run of the lecture's spiral [4, 2] net with this activation, if configured."""
    for name, s in specs.items():
        if s["dataset"] == "spiral" and list(s["hidden"]) == SLIDE_HIDDEN and s["activation"] == activation:
            return name
    return None


def rank_p(value: float, sample) -> float:
    """Exact two-sided p-value of `value` being one more draw of `sample`'s distribution: its
    rank among the n + 1 values is uniform, so p = 2 min(#(x <= v) + 1, #(x >= v) + 1) / (n + 1)."""
    x = np.asarray(sample, dtype=float)
    x = x[np.isfinite(x)]
    below, above = np.sum(x <= value + TIE), np.sum(x >= value - TIE)
    return float(min(1.0, 2 * (min(below, above) + 1) / (x.size + 1)))


def references(cfg: dict) -> list[tuple]:
    """(source, activation, our epoch, their epoch, train loss, test loss) of every reference."""
    refs = [
        ("lecture", a, map_epoch(cfg, {"activation": a}), v["epoch"], v["train"], v["test"]) for a, v in LECTURE.items()
    ]
    return refs + [
        (f"playground seed {s}", a, e, e, tr, te) for s, a, e, tr, te in PLAYGROUND_SEEDS if e <= cfg["epochs"]
    ]


def reference_table(seeds: dict[str, pd.DataFrame], specs: dict, cfg: dict) -> pd.DataFrame:
    """Where the lecture's numbers and Playground's own seeds fall in our seed distributions of
    the spiral [4, 2]: percentile rank with its 95% interval and the two-sided rank test."""
    rows = []
    for source, act, epoch, ref_epoch, tr, te in references(cfg):
        name = slide_name(specs, act)
        at = at_epoch(seeds[name], epoch) if name else pd.DataFrame()
        for split, value in (("train", tr), ("test", te)) if len(at) else ():
            x = at[f"{split}_loss"].dropna().to_numpy()
            x = np.where(np.abs(x - value) <= TIE, value, x)  # a tie stays a tie across CPUs
            rank = stats.percentile_rank(value, x)
            rows.append(
                {
                    "source": source,
                    "config": name,
                    "activation": act,
                    "epoch": epoch,
                    "reference_epoch": ref_epoch,
                    "split": split,
                    "value": value,
                    "percentile": rank.value,
                    "percentile_lo": rank.lo,
                    "percentile_hi": rank.hi,
                    "p_value": rank_p(value, x),
                    "median": np.median(x),
                    "p10": np.percentile(x, 10),
                    "p90": np.percentile(x, 90),
                    "n_seeds": x.size,
                }
            )
    return pd.DataFrame(rows)


def epoch_pairs(cfg: dict) -> list[tuple[int, int]]:
    """(relu epoch, tanh epoch): each recorded slide epoch and the budget, and the slides' own pair."""
    slide, E = cfg["slide_epochs"], cfg["epochs"]
    pairs = [(e, e) for e in sorted({*slide.values(), E}) if e <= E]
    if {"relu", "tanh"} <= set(slide) and slide["relu"] != slide["tanh"] and max(slide["relu"], slide["tanh"]) <= E:
        pairs.append((slide["relu"], slide["tanh"]))
    return pairs


def paired_table(seeds: dict[str, pd.DataFrame], specs: dict, cfg: dict) -> pd.DataFrame:
    """relu vs tanh on the same seeds (same split, same initial weights) for every architecture
    trained with both: how often relu's test loss is lower, and the median difference."""
    by_arch = {}
    for name, s in specs.items():
        by_arch.setdefault((s["dataset"], tuple(s["hidden"])), {})[s["activation"]] = name
    rows = []
    for (dataset, hidden), acts in sorted(by_arch.items()):
        if not {"tanh", "relu"} <= set(acts):
            continue
        for er, et in epoch_pairs(cfg):
            r, t = at_epoch(seeds[acts["relu"]], er), at_epoch(seeds[acts["tanh"]], et)
            m = pd.merge(r, t, on="seed", suffixes=("_relu", "_tanh"))
            test = stats.paired(m["test_loss_relu"], m["test_loss_tanh"])
            train = stats.paired(m["train_loss_relu"], m["train_loss_tanh"])
            rows.append(
                {
                    "dataset": dataset,
                    "hidden": "-".join(map(str, hidden)),
                    "relu_epoch": er,
                    "tanh_epoch": et,
                    "n_seeds": test.n,
                    "relu_lower_test": test.a_lower.value,
                    "relu_lower_test_lo": test.a_lower.lo,
                    "relu_lower_test_hi": test.a_lower.hi,
                    "median_diff_test": test.median_diff.value,
                    "median_diff_test_lo": test.median_diff.lo,
                    "median_diff_test_hi": test.median_diff.hi,
                    "p_value_test": test.p_value,
                    "relu_lower_train": train.a_lower.value,
                    "relu_lower_train_lo": train.a_lower.lo,
                    "relu_lower_train_hi": train.a_lower.hi,
                    "relu_test_median": m["test_loss_relu"].median(),
                    "tanh_test_median": m["test_loss_tanh"].median(),
                }
            )
    return pd.DataFrame(rows)


def final_table(seeds: dict[str, pd.DataFrame], conv: dict[str, pd.DataFrame], specs: dict, cfg: dict) -> pd.DataFrame:
    """Per run at the end of the budget, converged seeds only: the median test accuracy and
    loss with their 95% intervals (what the learned / not learned verdicts use)."""
    rows = []
    for name, df in seeds.items():
        spec, E = specs[name], cfg["epochs"]
        at = at_epoch(df, E).merge(conv[name], on="seed")
        ok = at[at["converged"]]
        acc, loss = (stats.median(ok[m]) if len(ok) else Estimate(*[np.nan] * 3) for m in ("test_acc", "test_loss"))
        rows.append(
            {
                "config": name,
                "dataset": spec["dataset"],
                "hidden": ",".join(map(str, spec["hidden"])),
                "activation": spec["activation"],
                "depth": len(spec["hidden"]),
                "width": max(spec["hidden"]),
                "params": n_params(spec["hidden"], len(cfg["features"])),
                "epoch": E,
                "n_all": len(at),
                "n_seeds": len(ok),
                "test_acc_median": acc.value,
                "test_acc_median_lo": acc.lo,
                "test_acc_median_hi": acc.hi,
                "test_loss_median": loss.value,
                "test_loss_median_lo": loss.lo,
                "test_loss_median_hi": loss.hi,
            }
        )
    return pd.DataFrame(rows)


def paired_runs(a: pd.DataFrame, b: pd.DataFrame, epoch: int, metric: str = "test_loss") -> stats.Paired:
    """Run a vs run b on the seeds both have, both converged (seeds tables merged with
    their stationarity), at one epoch."""
    m = at_epoch(a, epoch).merge(at_epoch(b, epoch), on="seed", suffixes=("_a", "_b"))
    m = m[m["converged_a"] & m["converged_b"]]
    return stats.paired(m[f"{metric}_a"], m[f"{metric}_b"])
