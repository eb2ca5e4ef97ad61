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


def train_nets(p: dict, widths, nets) -> tuple[list, pd.DataFrame]:
    """The random nets trained on the spiral, Playground semantics (tanh output, squared loss).
    Returns (trained nets, final loss and accuracy per member)."""
    seeds, t = list(range(p["n_seeds"])), p["train"]
    net = Net((2, *widths, 1), hidden="relu", output="tanh", loss="squared")
    data = stack_splits(
        [playground_split(t["dataset"], rng(s, "data"), noise=t["noise"], train_pct=t["train_pct"]) for s in seeds]
    )
    data = data._replace(X_train=data.X_train / p["input_scale"], X_test=data.X_test / p["input_scale"])
    res = train(
        net,
        stack(nets),
        data,
        lr=t["lr"],
        batch_size=t["batch_size"],
        epochs=t["epochs"],
        eval_epochs=[t["epochs"]],
        classify=True,
    )
    trained = [[(W[m], b[m]) for W, b in res.params] for m in range(len(seeds))]
    return trained, pd.DataFrame(res.history).set_index("member")


def count_row(params, box, seg) -> dict:
    """Exact counts of one net: in the box, and along the segment (per unit length)."""
    r2, r1 = count_regions(params, box), count_segment(params, seg[0], seg[1])
    length = float(np.linalg.norm(seg[1] - seg[0]))
    return {"n_activation": r2.n_activation, "n_linear": r2.n_linear, "n_linear_1d": r1.n_linear,
            "linear_1d_per_unit_length": r1.n_linear / length}  # fmt: skip


def cell_nets(p: dict) -> tuple[list, list, pd.DataFrame]:
    """The random nets of depth L = p["L"] (N = n_neurons units) and the same nets trained:
    (random nets, trained nets, final loss and accuracy per member)."""
    widths, seeds = widths_for(p["n_neurons"], int(p["L"])), list(range(p["n_seeds"]))
    nets = random_params(widths, seeds, p["bias_std"], "depth", int(p["L"]))
    return nets, *train_nets(p, widths, nets)


def count_cell(p: dict, nets, trained, acc: pd.DataFrame) -> pd.DataFrame:
    """Exact counts in the box and along the segment of every random and trained net of the
    cell, one row per seed and kind (a diverged member gets no count)."""
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
            if kind == "trained":
                row |= {k: acc.loc[m, k] for k in ("train_loss", "test_loss", "train_acc", "test_acc")}
        rows.append(row)
    return pd.DataFrame(rows)


def depth_summary(cells: pd.DataFrame, p: dict) -> pd.DataFrame:
    """Per depth: median, min and max over seeds of random and trained counts, next to the bounds
    and the construction's exact count for the same widths."""
    ok = cells[~cells["diverged"].astype(bool)]
    stats = ok.groupby(["L", "kind"])[["n_linear", "n_activation", "linear_1d_per_unit_length"]]
    agg = stats.agg(["median", "min", "max"])
    agg.columns = [f"{a}_{b}" for a, b in agg.columns]
    wide = agg.reset_index().pivot(index="L", columns="kind")
    wide.columns = [f"{kind}_{col}" for col, kind in wide.columns]
    rows = []
    for L in sorted(cells["L"].unique()):
        widths = widths_for(p["n_neurons"], int(L))
        row = {"L": int(L), "widths": " ".join(map(str, widths)), **bound_columns(2, widths)}
        row["n_seeds_random"] = int(((ok["L"] == L) & (ok["kind"] == "random")).sum())
        row["n_seeds_trained"] = int(((ok["L"] == L) & (ok["kind"] == "trained")).sum())
        lb = row["montufar_lower_bound"]
        row["construction_exact_linear"] = None
        if lb is not None and lb <= p["construction_max_regions"]:
            row["construction_exact_linear"] = count_regions(*montufar_net(2, widths, int(L))).n_linear
        rows.append(row)
    out = pd.DataFrame(rows).set_index("L").join(wide).reset_index()
    return out.astype({"construction_exact_linear": "Int64"})


def growth_per_layer(values: pd.Series) -> float:
    """Geometric mean ratio per added layer, from the first to the last depth: (v_last / v_first)^(1/(L_last - L_first))."""
    values = values.dropna()
    L0, L1 = values.index.min(), values.index.max()
    return float((float(values[L1]) / float(values[L0])) ** (1 / (L1 - L0)))
