"""Random and trained relu nets with a fixed number N of hidden units spread over L layers:
exact region counts in a 2-D box and along a segment, per seed and depth, and their summary
next to the bounds and the folding construction of the same widths.

Random nets: He weights N(0, 2 / fan_in) and biases N(0, bias_std^2). He's own b = 0 makes
every zero set of every unit a union of rays from the origin (the net is positively
homogeneous), so every region would be a cone; the bias spread puts the lines in the box.
Trained nets start from exactly these random nets and are trained on the Playground spiral with
inputs divided by `input_scale` (6: Playground's box [-6, 6]^2 becomes [-1, 1]^2).
"""

import numpy as np
import pandas as pd

from experiments import stats
from experiments.progress import progress
from experiments.regions.construction import bound_columns
from experiments.regions.plan import widths_for
from mlp.constructions import montufar_net
from mlp.data import playground_split, stack_splits
from mlp.network import Net, init
from mlp.params import stack
from mlp.regions import count_regions, count_segment
from mlp.seeding import rng, rngs
from mlp.train import train

TRAIN_COLUMNS = ("train_loss", "test_loss", "train_acc", "test_acc", "last_change")


def random_params(widths, seeds, bias_std: float, *key) -> list:
    """He-initialised relu nets (2, *widths, 1), biases N(0, bias_std^2); one net per seed, each
    a list [(W, b), ...] without ensemble axis. Stream per seed: ("init", *key), ("bias", *key)."""
    net = Net((2, *widths, 1), hidden="relu")
    P = init(net, "he", rngs(seeds, "init", *key))
    out = []
    for m, seed in enumerate(seeds):
        g = rng(seed, "bias", *key)
        out.append([(W[m], g.normal(0.0, bias_std, b.shape[1:])) for W, b in P])
    return out


def curve_epochs(t: dict) -> list[int]:
    """Epochs at which the training loss is recorded: every 5% of the budget, so the last 10%
    (stats.last_change) is measured on the recorded curve."""
    budget = t["epochs"] + t["settle_epochs"]
    return sorted({round(budget * k / 20) for k in range(21)})


def schedule(t: dict) -> list[tuple[float, int, int]]:
    """(lr, first epoch, last epoch) of each training call: `epochs` at lr, then the settle
    phase at lr * settle_factor, split at 90% of the budget (the checkpoint for stationarity)."""
    E1, budget = t["epochs"], t["epochs"] + t["settle_epochs"]
    mark, lr_settle = round(0.9 * budget), t["lr"] * t["settle_factor"]
    return [(t["lr"], 0, E1), (lr_settle, E1, mark), (lr_settle, mark, budget)]


def train_nets(p: dict, widths, nets) -> tuple[list, list, pd.DataFrame]:
    """The random nets trained on the spiral with Playground's semantics (tanh output, squared
    loss, fixed order): `epochs` of SGD at lr, then `settle_epochs` at lr * settle_factor (a step
    decay, so the SGD noise settles).

    Returns (trained nets, the same nets at 90% of the budget, per member: final loss and
    accuracy, and last_change = relative change of the training loss over the last 10%)."""
    seeds, t = list(range(p["n_seeds"])), p["train"]
    net = Net((2, *widths, 1), hidden="relu", output="tanh", loss="squared")
    data = stack_splits(
        [playground_split(t["dataset"], rng(s, "data"), noise=t["noise"], train_pct=t["train_pct"]) for s in seeds]
    )
    data = data._replace(X_train=data.X_train / p["input_scale"], X_test=data.X_test / p["input_scale"])
    params, history, marks = stack(nets), [], curve_epochs(t)
    snapshots = []
    for lr, start, end in schedule(t):
        record = [e - start for e in marks if start < e <= end or e == start == 0]
        res = train(
            net, params, data, lr=lr, batch_size=t["batch_size"], epochs=end - start, eval_epochs=record, classify=True
        )
        params = res.params
        snapshots.append(params)
        history.append(pd.DataFrame(res.history).assign(epoch=lambda h, s=start: h["epoch"] + s))
    history = pd.concat(history, ignore_index=True).sort_values(["member", "epoch"])
    final = history.groupby("member").tail(1).set_index("member")
    final["last_change"] = history.groupby("member")["train_loss"].apply(lambda c: stats.last_change(c.to_numpy()))

    def members_of(P):
        return [[(W[m], b[m]) for W, b in P] for m in range(len(seeds))]

    return members_of(params), members_of(snapshots[-2]), final


def count_row(params, box, seg) -> dict:
    """Exact counts of one net: in the box, and along the segment (per unit length)."""
    r2, r1 = count_regions(params, box), count_segment(params, seg[0], seg[1])
    length = float(np.linalg.norm(seg[1] - seg[0]))
    return {"n_activation": r2.n_activation, "n_linear": r2.n_linear, "n_linear_1d": r1.n_linear,
            "linear_1d_per_unit_length": r1.n_linear / length,
            "noise_band": r2.decisions.noise_band + r1.decisions.noise_band}  # fmt: skip


def cell_nets(p: dict) -> tuple[list, list, list, pd.DataFrame]:
    """The random nets of depth L = p["L"] (N = n_neurons units) and the same nets trained:
    (random nets, trained nets, trained nets at 90% of the budget, training figures per member)."""
    widths, seeds = widths_for(p["n_neurons"], int(p["L"])), list(range(p["n_seeds"]))
    nets = random_params(widths, seeds, p["bias_std"], "depth", int(p["L"]))
    return nets, *train_nets(p, widths, nets)


def count_cell(p: dict, nets, trained, checkpoint, fit: pd.DataFrame) -> pd.DataFrame:
    """Exact counts in the box and along the segment of every random and trained net of the
    cell, one row per seed and kind (a diverged member gets no count). A trained net is
    converged when its count in the box moved by <= converged_change over the last 10% of the
    budget (count_change; the training loss's last_change is reported beside it)."""
    L = int(p["L"])
    widths, seeds = widths_for(p["n_neurons"], L), list(range(p["n_seeds"]))
    box, seg = np.array(p["box"], dtype=float), np.array(p["segment"], dtype=float)
    members = [("random", m, params) for m, params in enumerate(nets)]
    members += [("trained", m, params) for m, params in enumerate(trained)]
    rows = []
    for kind, m, params in progress(members, f"L={L} nets counted"):
        row = {"L": L, "kind": kind, "seed": seeds[m], "diverged": not np.all(np.isfinite(params[0][0]))}
        if not row["diverged"]:
            row |= {"widths": " ".join(map(str, widths)), **count_row(params, box, seg)}
        if kind == "trained" and not row["diverged"]:
            before = count_regions(checkpoint[m], box).n_linear
            change = abs(row["n_linear"] - before) / row["n_linear"]
            row |= {k: fit.loc[m, k] for k in TRAIN_COLUMNS}
            row |= {"count_change": change, "converged": change <= p["train"]["converged_change"]}
        rows.append(row)
    return pd.DataFrame(rows)


def members(cells: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The nets of one kind a statistic uses: random nets that were counted, and trained nets
    that converged (a stationary region count)."""
    ok = (cells["kind"] == kind) & ~cells["diverged"].astype(bool)
    if kind == "trained":
        ok &= cells["converged"].astype(bool)
    return cells[ok]


def growth(cells: pd.DataFrame, kind: str, column: str = "n_linear") -> stats.Estimate:
    """Growth factor per added layer: exp of the least-squares slope of log(count) on L over
    every counted net of the kind, with its 95% interval."""
    m = members(cells, kind)
    if m["L"].nunique() < 2:
        return stats.Estimate(np.nan, 0.0, np.inf)  # no trend from one depth
    s = stats.slope(m["L"], np.log(m[column].astype(float)))
    return stats.Estimate(*np.exp(s))


def kind_columns(cells: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Per depth: how many nets of the kind count, and the median with its 95% interval of the
    linear regions in the box and per unit length along the segment."""
    rows = []
    for L, g in members(cells, kind).groupby("L"):
        row = {"L": L, f"{kind}_n": len(g)}
        for col in ("n_linear", "linear_1d_per_unit_length"):
            est = stats.median(g[col])
            row |= {f"{kind}_{col}_median": est.value, f"{kind}_{col}_lo": est.lo, f"{kind}_{col}_hi": est.hi}
        rows.append(row)
    return pd.DataFrame(rows).set_index("L")


def depth_summary(cells: pd.DataFrame, p: dict) -> pd.DataFrame:
    """Per depth: the bounds for the sweep's widths, the folding construction's exact count
    (up to construction_max_regions), and the random and trained nets' medians with intervals."""
    rows = []
    for L in sorted(cells["L"].unique()):
        widths = widths_for(p["n_neurons"], int(L))
        row = {"L": int(L), "widths": " ".join(map(str, widths)), **bound_columns(2, widths)}
        lb = row["montufar_lower_bound"]
        row["construction_exact_linear"] = None
        if lb is not None and lb <= p["construction_max_regions"]:
            row["construction_exact_linear"] = count_regions(*montufar_net(2, widths, int(L))).n_linear
        rows.append(row)
    out = pd.DataFrame(rows).set_index("L").join([kind_columns(cells, k) for k in ("random", "trained")])
    counts = [c for c in out.columns if c.endswith("_n")]
    return (
        out.fillna({c: 0 for c in counts})
        .astype({c: int for c in counts})
        .reset_index()
        .astype({"construction_exact_linear": "Int64"})
    )
