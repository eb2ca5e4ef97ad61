"""Depth against width at equal parameter count on the spiral (C13): in every budget of the
config, the best candidate of each depth is chosen on validation data (the first half of each
seed's test points: median validation loss over converged seeds), and the chosen nets of two
depths are compared on the held-out second half, paired by seed (same data split), counting
only seeds where both nets converged."""

import pandas as pd

from experiments import stats
from experiments.playground.plan import candidate, config_name, n_params


def candidates_table(ends: dict[str, pd.DataFrame], conv: dict[str, pd.DataFrame], cfg: dict) -> pd.DataFrame:
    """Per budget and candidate: size, depth, converged seeds, validation medians (what the
    choice uses), the held-out median accuracy with its interval, and whether it was chosen."""
    rows = []
    for b, budget in enumerate(cfg["budgets"]):
        for hidden in budget["candidates"]:
            name = config_name(candidate(budget, hidden, 0))
            end = ends[name].merge(conv[name], on="seed")
            ok = end[end["converged"]]
            acc = stats.median(ok["heldout_acc"]) if len(ok) else stats.Estimate(*[float("nan")] * 3)
            rows.append(
                {
                    "budget": b,
                    "activation": budget["activation"],
                    "config": name,
                    "hidden": "-".join(map(str, hidden)),
                    "depth": len(hidden),
                    "params": n_params(hidden, len(cfg["features"])),
                    "n_seeds": len(end),
                    "n_converged": len(ok),
                    "val_loss_median": ok["val_loss"].median(),
                    "val_acc_median": ok["val_acc"].median(),
                    "heldout_acc_median": acc.value,
                    "heldout_acc_lo": acc.lo,
                    "heldout_acc_hi": acc.hi,
                }
            )
    table = pd.DataFrame(rows)
    best = table.dropna(subset=["val_loss_median"]).sort_values(["val_loss_median", "params"], kind="stable")
    chosen = best.groupby(["budget", "depth"]).head(1).index
    return table.assign(chosen=table.index.isin(chosen))


def compare(shallow: pd.DataFrame, deep: pd.DataFrame) -> dict:
    """Deep vs shallow on the same seeds (both converged): the fraction of seeds where the deep
    net's held-out loss is lower, the median difference deep - shallow, and the sign test."""
    m = shallow.merge(deep, on="seed", suffixes=("_shallow", "_deep"))
    m = m[m["converged_shallow"] & m["converged_deep"]]
    loss = stats.paired(m["heldout_loss_deep"], m["heldout_loss_shallow"])
    acc = stats.median(m["heldout_acc_deep"] - m["heldout_acc_shallow"]) if len(m) else stats.Estimate(0.0, 0.0, 0.0)
    return {
        "n_pairs": loss.n,
        "deep_lower": loss.a_lower.value,
        "deep_lower_lo": loss.a_lower.lo,
        "deep_lower_hi": loss.a_lower.hi,
        "loss_diff": loss.median_diff.value,
        "loss_diff_lo": loss.median_diff.lo,
        "loss_diff_hi": loss.median_diff.hi,
        "acc_diff": acc.value,
        "acc_diff_lo": acc.lo,
        "acc_diff_hi": acc.hi,
        "p_value": loss.p_value,
    }


def depth_table(cands: pd.DataFrame, ends: dict, conv: dict) -> pd.DataFrame:
    """Per budget, every pair of depths (shallower, deeper) among the chosen candidates."""
    rows = []
    for b, group in cands[cands["chosen"]].groupby("budget", sort=True):
        group = group.sort_values("depth")
        for i, s in enumerate(group.itertuples()):
            for d in group.iloc[i + 1 :].itertuples():
                pair = {n: ends[n].merge(conv[n], on="seed") for n in (s.config, d.config)}
                rows.append(
                    {
                        "budget": b,
                        "activation": s.activation,
                        "shallow": s.config,
                        "shallow_depth": s.depth,
                        "shallow_params": s.params,
                        "deep": d.config,
                        "deep_depth": d.depth,
                        "deep_params": d.params,
                        "shallow_acc_median": s.heldout_acc_median,
                        "deep_acc_median": d.heldout_acc_median,
                        **compare(pair[s.config], pair[d.config]),
                    }
                )
    return pd.DataFrame(rows)
