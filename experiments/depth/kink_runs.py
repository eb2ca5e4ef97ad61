"""The two relu runs of C22, each trained once per convention relu'(0) in {0, 1/2, 1} on the
same seeds, and their tables.

- spiral: Playground's spiral with Playground's semantics (per-seed shuffle and 50% split, raw
  x, y, tanh output, squared loss, fixed order, no reshuffling), the lecture's relu net [4, 2],
  Playground's weights W ~ U[-0.5, 0.5) but zero biases (Playground uses 0.1): the spiral's two
  points at the origin then sit exactly on the kink of every unit at initialisation.
- deep: C23's task with a deep relu net and He initialisation (zero biases): a point at which a
  whole layer is off sends an exact 0 into every unit above it.
"""

import numpy as np
import pandas as pd

from experiments import stats
from experiments.depth.kink import CONVENTIONS, CORE, identical, register, trace
from experiments.depth.task import CONVERGED, deep_net, shuffles, start, status, task_data
from experiments.progress import progress
from mlp.data import playground_split, stack_splits
from mlp.network import Net, init
from mlp.seeding import rng, rngs

RUNS = ("spiral", "deep")


def zero_biases(params) -> list:
    """The parameters with every bias set to 0 (weights kept)."""
    return [(W, np.zeros_like(b)) for W, b in params]


def spiral_setup(cfg: dict):
    """(net per convention, initial params, per-member data, origin points in each training set)."""
    s = cfg["spiral"]
    seeds = range(cfg["seed"], cfg["seed"] + s["seeds"])
    data = stack_splits([playground_split("spiral", rng(seed, "depth", "spiral_data")) for seed in seeds])
    nets = {g: Net((2, *s["hidden"], 1), hidden=g, output="tanh", loss="squared") for g in CONVENTIONS}
    params = zero_biases(init(nets[CORE], "playground", rngs(seeds, "depth", "spiral_init")))  # Playground's W
    origin = np.sum(np.all(data.X_train == 0, axis=-1), axis=-1)
    return nets, params, data, origin


def deep_setup(cfg: dict):
    """The same for the deep relu run on C23's task (shared data, no origin point)."""
    t, d = cfg["task"], cfg["deep"]
    seeds = range(cfg["seed"], cfg["seed"] + t["seeds"])
    nets = {g: deep_net(g, d["depth"], t["width"]) for g in CONVENTIONS}
    params = start(nets[CORE], d["init"], seeds)
    data = task_data(t["dataset"], t["noise"], cfg["seed"])
    origin = np.full(len(seeds), int(np.sum(np.all(data.X_train == 0, axis=-1))))
    return nets, params, data, origin


def run_traces(cfg: dict) -> dict:
    """{"traces": {(run, convention): trace}, "origin": {run: origin points per member}} for both
    runs and every convention, all conventions of a run starting from the same parameters."""
    register()
    t = cfg["task"]
    runs = {
        "spiral": (spiral_setup(cfg), cfg["spiral"], False),
        "deep": (deep_setup(cfg), {**cfg["deep"], "batch": t["batch"], "epochs": t["epochs"]}, True),
    }
    traces = {}
    for run, g in progress([(r, g) for r in RUNS for g in CONVENTIONS], "kink runs"):
        (nets, params, data, _), knobs, reshuffle = runs[run]
        seeds = range(cfg["seed"], cfg["seed"] + params[0][0].shape[0])
        order = shuffles(cfg["deep"]["init"], knobs["depth"], seeds) if reshuffle else None
        traces[run, g] = trace(
            nets[g],
            params,
            data,
            lr=knobs["lr"],
            batch=knobs["batch"],
            epochs=knobs["epochs"],
            every=cfg["count_every"],
            shuffle_rngs=order,
        )
    return {"traces": traces, "origin": {run: runs[run][0][3] for run in RUNS}}


def zeros_table(traces: dict, origin: dict, seed0: int) -> pd.DataFrame:
    """Per run, convention, seed and hidden layer: exact zeros (and the structural ones) at epoch
    0, summed over the recorded epochs >= 1, the recorded epochs with any, the last such epoch
    (-1: none) and at the end."""
    parts = []
    for (run, g), tr in traces.items():
        zeros, structural = tr["zeros"], tr["structural"]  # (R, M, L) at the recorded epochs
        _, M, L = zeros.shape
        units = [W.shape[-2] for W, _ in tr["params"][:-1]]  # K_l
        after = zeros[1:] > 0  # recorded epochs >= 1
        epochs = tr["epochs"][1:, None, None]
        last = np.where(after.any(0), np.max(np.where(after, epochs, 0), axis=0), -1)
        cols = {
            "zeros_init": zeros[0],
            "structural_init": structural[0],
            "zeros_after": zeros[1:].sum(0),
            "structural_after": structural[1:].sum(0),
            "recorded_with_zero": after.sum(0),
            "last_epoch_with_zero": last,
            "zeros_final": zeros[-1],
        }
        parts.append(
            pd.DataFrame(
                {
                    "run": run,
                    "convention": g,
                    "relu_prime_0": CONVENTIONS[g],
                    "seed": np.repeat(np.arange(seed0, seed0 + M), L),
                    "layer": np.tile(np.arange(1, L + 1), M),
                    "units": np.tile(units, M),
                    "origin_points": np.repeat(origin[run], L),
                    **{k: v.ravel() for k, v in cols.items()},
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def epochs_table(traces: dict) -> pd.DataFrame:
    """Per run, convention, layer and recorded epoch: members with an exact zero, and the zeros
    summed over members (the figure's data)."""
    rows = []
    for (run, g), tr in traces.items():
        for e, counts in zip(tr["epochs"], tr["zeros"]):  # counts (M, L)
            for l, per_member in enumerate(counts.T, start=1):
                rows.append(
                    {
                        "run": run,
                        "convention": g,
                        "layer": l,
                        "epoch": int(e),
                        "members_with_zero": int(np.sum(per_member > 0)),
                        "zeros": int(per_member.sum()),
                    }
                )
    return pd.DataFrame(rows)


def final_table(traces: dict, seed0: int, tol: float, bar: float) -> pd.DataFrame:
    """Per run, convention and seed: final training loss and accuracy, stationarity, status, and
    whether the trained net is bit-identical to the same seed's under relu'(0) = 0."""
    parts = []
    for (run, g), tr in traces.items():
        loss, acc = tr["loss"], tr["acc"]  # (R, M) at the recorded epochs
        i90 = int(np.searchsorted(tr["epochs"], tr["epochs"][-1] * 9 // 10))  # a recorded epoch (recorded_epochs)
        change = np.array([stats.last_change(curve) for curve in loss[[i90, -1]].T])  # over the last 10%
        M = loss.shape[1]
        parts.append(
            pd.DataFrame(
                {
                    "run": run,
                    "convention": g,
                    "relu_prime_0": CONVENTIONS[g],
                    "seed": np.arange(seed0, seed0 + M),
                    "loss": loss[-1],
                    "loss_90": loss[i90],
                    "last_change": change,
                    "acc": acc[-1],
                    "status": status(
                        tr["diverged"] >= 0, change, acc[i90], acc[-1], tol, bar if run == "deep" else None
                    ),
                    "identical": identical(tr["params"], traces[run, CORE]["params"]),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def paired_columns(p) -> dict:
    """The paired comparison's numbers (NaN when no pair converged)."""
    if p is None:
        return dict.fromkeys(
            ["variant_lower", "median_diff", "median_diff_lo", "median_diff_hi", "sign_test_p"], np.nan
        )
    return {
        "variant_lower": p.a_lower.value,
        "median_diff": p.median_diff.value,
        "median_diff_lo": p.median_diff.lo,
        "median_diff_hi": p.median_diff.hi,
        "sign_test_p": p.p_value,
    }


def paired_table(final: pd.DataFrame) -> pd.DataFrame:
    """Per run and variant vs relu'(0) = 0: members changed, and the paired final losses of the
    members converged under both (sign test, median difference with its interval)."""
    rows = []
    for run, f in final.groupby("run", sort=False):
        core = f[f["convention"] == CORE].set_index("seed")
        for g in [g for g in CONVENTIONS if g != CORE]:
            var = f[f["convention"] == g].set_index("seed")
            both = var["status"].isin(CONVERGED) & core["status"].isin(CONVERGED)
            p = stats.paired(var["loss"][both], core["loss"][both]) if both.any() else None
            changed = int((~var["identical"]).sum())
            share = stats.fraction(changed, len(var))
            rows.append(
                {
                    "run": run,
                    "convention": g,
                    "members": len(var),
                    "changed": changed,
                    "changed_lo": share.lo,
                    "changed_hi": share.hi,
                    "converged_pairs": int(both.sum()),
                    **paired_columns(p),
                }
            )
    return pd.DataFrame(rows)
