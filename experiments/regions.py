"""Linear regions of relu nets (C12): exact counts of Montufar's folding construction, bounds,
and what random and trained nets reach at a fixed neuron budget as depth grows.

The lecture prints O( C(K, D)^{D(L-1)} K^D ). Montufar et al. 2014 prove a LOWER bound on the
maximum number of regions, prod_{l<L} floor(K_l / D)^D * sum_{j<=D} C(K_L, j), i.e.
Omega((K/D)^{D(L-1)} K^D) for equal widths, reached by hand-built (folding) weights. Counts are
exact (mlp.regions): activation regions (pieces with one activation pattern) and linear regions
(adjacent pieces with one output affine map merged).

Random nets: He weights N(0, 2 / fan_in) and biases N(0, bias_std^2). He's own b = 0 makes
every zero set of every unit a union of rays from the origin (the net is positively
homogeneous), so every region would be a cone; the bias spread puts the lines in the box.
Trained nets start from exactly these random nets and are trained on the Playground spiral with
inputs divided by `input_scale` (6: Playground's box [-6, 6]^2 becomes [-1, 1]^2).

CPU seconds of counting are machine-dependent, so they go to a separate cost table (its path is
`cost_table` in the step's params, outside results/) and never into the deterministic tables.
Figures are drawn by experiments.region_maps.
"""

import time
from math import comb
from pathlib import Path

import numpy as np
import pandas as pd

from experiments import claims
from experiments.io import cli, write_figure, write_table
from experiments.region_maps import plot_construction, plot_region_maps, plot_regions_vs_depth
from mlp.bounds import (
    activation_pattern_bound,
    montufar2017_upper_bound,
    montufar_lower_bound,
    serra_upper_bound,
    zaslavsky,
)
from mlp.constructions import montufar_net, tent_map_net
from mlp.data import playground_split, stack_splits
from mlp.network import Net, init
from mlp.regions import activation_pattern, count_regions_1d, count_regions_2d
from mlp.seeding import rng, rngs
from mlp.train import train

PHI = (np.sqrt(5.0) - 1) / 2  # grid phase: irrational, so no grid point falls on a rational boundary


# ---------------------------------------------------------------- counting and bounds


def lecture_formula(D: int, K: int, L: int) -> int:
    """The lecture's expression as printed, C(K, D)^{D(L-1)} K^D (the O() dropped)."""
    return comb(K, D) ** (D * (L - 1)) * K**D


def count(params, box) -> tuple:
    """Exact regions of one net on a box (D, 2), D in {1, 2} (D = 1: the segment [x0, x1]), and CPU seconds."""
    box = np.asarray(box, dtype=float)
    if len(box) == 1:
        return count_segment(params, box[:, 0], box[:, 1])
    t0 = time.process_time()
    r = count_regions_2d(params, box)
    return r, time.process_time() - t0


def count_segment(params, xa, xb) -> tuple:
    """Exact regions of one net along the segment xa -> xb, and CPU seconds."""
    t0 = time.process_time()
    r = count_regions_1d(params, xa, xb)
    return r, time.process_time() - t0


def widths_for(N: int, L: int) -> list[int]:
    """N units over L layers, as equal as integers allow (the first N mod L layers get one more)."""
    return [N // L + (i < N % L) for i in range(L)]


def bound_columns(D: int, widths) -> dict:
    """Bounds on the number of regions of a net with these hidden widths (exact ints)."""
    return {
        "montufar_lower_bound": montufar_lower_bound(D, widths) if min(widths[:-1] + [D]) >= D else None,
        "serra_upper_bound": serra_upper_bound(D, widths),
        "montufar2017_upper_bound": montufar2017_upper_bound(D, widths),
        "pattern_bound_2N": activation_pattern_bound(widths),
        "lecture_formula_as_printed": lecture_formula(D, widths[0], len(widths)) if len(set(widths)) == 1 else None,
    }


def _cost(kind: str, n_regions: int, seconds: float) -> dict:
    return {"kind": kind, "n_regions": n_regions, "cpu_s": seconds}


def cost_summary(cost: pd.DataFrame) -> pd.DataFrame:
    """Regions counted, CPU seconds and regions per second, per kind of net and overall."""
    g = cost.groupby("kind", sort=True)[["n_regions", "cpu_s"]].sum().reset_index()
    g = pd.concat([g, pd.DataFrame([{"kind": "all", **cost[["n_regions", "cpu_s"]].sum().to_dict()}])])
    g["n_nets"] = [*cost.groupby("kind", sort=True).size(), len(cost)]
    g["regions_per_s"] = g["n_regions"] / g["cpu_s"].clip(lower=1e-9)
    return g[["kind", "n_nets", "n_regions", "cpu_s", "regions_per_s"]].reset_index(drop=True)


# ---------------------------------------------------------------- the construction


def construction_table(grid, max_regions: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Montufar's folding net for every (D, K, L) of the grid: formula vs exact counts on its box.

    grid: [{"D": D, "K": [...], "L": [...]}, ...]. Cells whose formula exceeds max_regions are
    listed with their bounds but not counted. Returns (table, cost).
    """
    rows, cost = [], []
    for cell in grid:
        D = cell["D"]
        for K in cell["K"]:
            for L in cell["L"]:
                widths = [K] * L
                row = {"D": D, "K": K, "L": L, "N": K * L, **bound_columns(D, widths)}
                row["counted"] = row["montufar_lower_bound"] <= max_regions
                if row["counted"]:
                    params, box = montufar_net(D, K, L)
                    r, s = count(params, box)
                    row |= {"exact_activation": r.n_activation, "exact_linear": r.n_linear}
                    cost.append(_cost(f"construction D={D}", r.n_activation, s))
                rows.append(row)
    df = pd.DataFrame(rows).astype({"exact_activation": "Int64", "exact_linear": "Int64"})
    df["equal"] = (df["exact_activation"] == df["montufar_lower_bound"]) & (
        df["exact_linear"] == df["montufar_lower_bound"]
    )
    first = ["D", "K", "L", "N", "montufar_lower_bound", "exact_activation", "exact_linear", "equal", "counted"]
    return df[first + [c for c in df.columns if c not in first]].sort_values(["D", "K", "L"]), pd.DataFrame(cost)


# ---------------------------------------------------------------- validation of the counter


def _general_position_layer(D: int, K: int, gen) -> tuple[list, np.ndarray]:
    """One hidden layer of K random hyperplanes in R^D (D in {1, 2}) with a generic output, and a
    box (D, 2) that contains every vertex of the arrangement (so every region meets it)."""
    W, b = gen.normal(size=(K, D)), gen.normal(size=K)
    params = [(W, b), (gen.normal(size=(1, K)), np.zeros(1))]
    if D == 1:
        pts = (-b / W[:, 0])[:, None]  # (K, 1)
    else:
        pairs = [(i, j) for i in range(K) for j in range(i + 1, K)]
        pts = np.array([np.linalg.solve(W[[i, j]], -b[[i, j]]) for i, j in pairs]).reshape(-1, 2)
        pts = np.concatenate([pts, -b[:, None] * W / (W**2).sum(1, keepdims=True)])  # a point of each line
    return params, np.stack([pts.min(0) - 1, pts.max(0) + 1], axis=1)


def grid_patterns(params, box, n: int) -> np.ndarray:
    """Distinct activation patterns at the n x n grid points of the box (cell centres shifted by
    an irrational phase): a lower bound on the number of activation regions."""
    axes = [lo + (np.arange(n) + PHI) * (hi - lo) / n for lo, hi in np.asarray(box, dtype=float)]
    X = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 2)
    return np.unique(np.packbits(activation_pattern(params, X), axis=1), axis=0)


def validation_table(p: dict) -> pd.DataFrame:
    """The counter against independent facts: Zaslavsky for one layer in general position, the
    dense-grid lower bound (and every grid pattern is one of the exact regions), the tent map."""
    rows = []
    for D in (1, 2):
        for K in p["zaslavsky_K"]:
            for seed in range(p["n_seeds"]):
                params, box = _general_position_layer(D, K, rng(seed, "zaslavsky", D, K))
                r, _ = count(params, box)
                expected = zaslavsky(D, K)
                for kind, got in (("activation", r.n_activation), ("linear", r.n_linear)):
                    rows.append(
                        {
                            "check": "zaslavsky",
                            "case": f"D={D}, K={K}, seed {seed}, {kind}",
                            "expected": f"= {expected}",
                            "measured": got,
                            "holds": got == expected,
                        }
                    )
    nets = {f"folding D=2, K={K}, L={L}": montufar_net(2, K, L) for K, L in p["grid_constructions"]}
    for L in p["grid_random_depths"]:
        widths = widths_for(p["grid_random_neurons"], L)
        for seed in range(p["n_seeds"]):
            nets[f"random widths {widths}, seed {seed}"] = (
                random_params(widths, [seed], p["bias_std"], "grid")[0],
                np.array([[-1.0, 1.0], [-1.0, 1.0]]),
            )
    for name, (params, box) in nets.items():
        r, _ = count(params, box)
        found = grid_patterns(params, box, p["grid_points"])
        exact = np.unique(np.packbits(r.pattern, axis=1), axis=0)
        missing = len(np.unique(np.concatenate([exact, found]), axis=0)) - len(exact)
        rows.append(
            {
                "check": "dense grid",
                "case": f"{name}: {p['grid_points']}^2 points, {missing} grid patterns not among the exact regions",
                "expected": f"<= {r.n_activation} (exact activation regions)",
                "measured": len(found),
                "holds": len(found) <= r.n_activation and missing == 0,
            }
        )
    for L in p["tent_L"]:
        r, _ = count(tent_map_net(L), [[0.0, 1.0]])
        for kind, got in (("activation", r.n_activation), ("linear", r.n_linear)):
            rows.append(
                {
                    "check": "tent map",
                    "case": f"m^{L} on [0, 1], {kind}",
                    "expected": f"= {2**L}",
                    "measured": got,
                    "holds": got == 2**L,
                }
            )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- random and trained nets vs depth


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


def _stack(nets) -> list:
    """Per-net parameter lists -> one ensemble [(W (M, ...), b (M, ...)), ...]."""
    return [(np.stack([n[l][0] for n in nets]), np.stack([n[l][1] for n in nets])) for l in range(len(nets[0]))]


def depth_cell(p: dict, L: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Random and trained nets with N = n_neurons units over L layers: exact counts in the box,
    and along the segment. Returns (rows per seed and kind, cost)."""
    widths, seeds = widths_for(p["n_neurons"], L), list(range(p["n_seeds"]))
    nets = random_params(widths, seeds, p["bias_std"], "depth", L)
    t = p["train"]
    net = Net((2, *widths, 1), hidden="relu", output="tanh", loss="squared")  # Playground: tanh, squared
    data = stack_splits(
        [playground_split(t["dataset"], rng(s, "data"), noise=t["noise"], train_pct=t["train_pct"]) for s in seeds]
    )
    data = data._replace(X_train=data.X_train / p["input_scale"], X_test=data.X_test / p["input_scale"])
    res = train(
        net,
        _stack(nets),
        data,
        lr=t["lr"],
        batch_size=t["batch_size"],
        epochs=t["epochs"],
        eval_epochs=[t["epochs"]],
        classify=True,
    )
    acc = pd.DataFrame(res.history).set_index("member")
    trained = [[(W[m], b[m]) for W, b in res.params] for m in range(len(seeds))]
    box, seg = np.array(p["box"], dtype=float), np.array(p["segment"], dtype=float)
    length = float(np.linalg.norm(seg[1] - seg[0]))
    rows, cost = [], []
    for kind, members in (("random", nets), ("trained", trained)):
        for m, params in enumerate(members):
            if not np.all(np.isfinite(params[0][0])):  # a diverged member: no count
                rows.append({"L": L, "kind": kind, "seed": seeds[m], "diverged": True})
                continue
            r2, s2 = count(params, box)
            r1, s1 = count_segment(params, seg[0], seg[1])
            cost += [_cost(f"{kind} 2-D", r2.n_activation, s2), _cost(f"{kind} 1-D", r1.n_activation, s1)]
            row = {"L": L, "kind": kind, "seed": seeds[m], "diverged": False}
            row |= {"widths": " ".join(map(str, widths)), "n_activation": r2.n_activation, "n_linear": r2.n_linear}
            row |= {"n_linear_1d": r1.n_linear, "linear_1d_per_unit_length": r1.n_linear / length}
            if kind == "trained":
                row |= {k: acc.loc[m, k] for k in ("train_loss", "test_loss", "train_acc", "test_acc")}
            rows.append(row)
    return pd.DataFrame(rows), pd.DataFrame(cost)


def depth_summary(cells: pd.DataFrame, p: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per depth: median, min and max over seeds of random and trained counts, next to the bounds
    and the construction's exact count for the same widths. Returns (summary, cost)."""
    ok = cells[~cells["diverged"].astype(bool)]
    stats = ok.groupby(["L", "kind"])[["n_linear", "n_activation", "linear_1d_per_unit_length"]]
    agg = stats.agg(["median", "min", "max"])
    agg.columns = [f"{a}_{b}" for a, b in agg.columns]
    wide = agg.reset_index().pivot(index="L", columns="kind")
    wide.columns = [f"{kind}_{col}" for col, kind in wide.columns]
    rows, cost = [], []
    for L in sorted(cells["L"].unique()):
        widths = widths_for(p["n_neurons"], int(L))
        row = {"L": int(L), "widths": " ".join(map(str, widths)), **bound_columns(2, widths)}
        row["n_seeds_random"] = int(((ok["L"] == L) & (ok["kind"] == "random")).sum())
        row["n_seeds_trained"] = int(((ok["L"] == L) & (ok["kind"] == "trained")).sum())
        lb = row["montufar_lower_bound"]
        row["construction_exact_linear"] = None
        if lb is not None and lb <= p["construction_max_regions"]:
            params, box = montufar_net(2, widths, int(L))
            r, s = count(params, box)
            row["construction_exact_linear"] = r.n_linear
            cost.append(_cost("construction D=2", r.n_activation, s))
        rows.append(row)
    out = pd.DataFrame(rows).set_index("L").join(wide).reset_index()
    return out.astype({"construction_exact_linear": "Int64"}), pd.DataFrame(cost)


def growth_per_layer(values: pd.Series) -> float:
    """Geometric mean ratio per added layer, from the first to the last depth: (v_last / v_first)^(1/(L_last - L_first))."""
    values = values.dropna()
    L0, L1 = values.index.min(), values.index.max()
    return float((float(values[L1]) / float(values[L0])) ** (1 / (L1 - L0)))


# ---------------------------------------------------------------- the claim


def claim_rows(construction: pd.DataFrame, validation: pd.DataFrame, summary: pd.DataFrame, p: dict) -> pd.DataFrame:
    counted = construction[construction["counted"]]
    n_eq, n_cells = int(counted["equal"].astype(bool).sum()), len(counted)
    n_val, n_val_ok = len(validation), int(validation["holds"].sum())
    by_check = validation.groupby("check")["holds"].agg(["sum", "size"])
    checks = ", ".join(f"{c} {k}/{n}" for c, k, n in zip(by_check.index, by_check["sum"], by_check["size"]))
    s = summary.set_index("L")
    L0, L1 = int(s.index.min()), int(s.index.max())
    g_con = growth_per_layer(s["montufar_lower_bound"].astype(float))
    g_rand = growth_per_layer(s["random_n_linear_median"])
    g_train = growth_per_layer(s["trained_n_linear_median"])
    threshold = p["exponential_growth_per_layer"]
    over = construction[construction["lecture_formula_as_printed"] > construction["pattern_bound_2N"]]
    N = int(p["n_neurons"])
    measured = (
        "Lecture prints O( C(K,D)^{D(L-1)} K^D ), an upper-bound notation with C(K,D) in the base; "
        f"evaluated it exceeds even the trivial 2^N bound on {len(over)}/{len(construction)} grid cells "
        f"(and at N={N}, L={L1}: {s.loc[L1, 'lecture_formula_as_printed']:.3g} > 2^{N}). "
        "Montufar et al. 2014 prove a LOWER bound on the maximum, prod_{l<L} floor(K_l/D)^D * sum_{j<=D} C(K_L,j) "
        "= Omega((K/D)^{D(L-1)} K^D), attained by hand-built folding weights. "
        f"Folding construction: exact activation and linear counts equal the formula on {n_eq}/{n_cells} "
        f"grid cells (D, K, L); counter checks hold on {n_val_ok}/{n_val} "
        f"({checks}). "
        f"At N={N} units in [-1,1]^2 from L={L0} to L={L1}: the construction's bound grows "
        f"{s.loc[L0, 'montufar_lower_bound']} -> {s.loc[L1, 'montufar_lower_bound']} (x{g_con:.2f} per layer); "
        f"random He nets (median over seeds) {s.loc[L0, 'random_n_linear_median']:.0f} -> "
        f"{s.loc[L1, 'random_n_linear_median']:.0f} (x{g_rand:.2f} per layer); nets trained on the spiral "
        f"{s.loc[L0, 'trained_n_linear_median']:.0f} -> {s.loc[L1, 'trained_n_linear_median']:.0f} "
        f"(x{g_train:.2f} per layer); Serra upper bound at L={L1}: {s.loc[L1, 'serra_upper_bound']:.3g}."
    )
    construction_ok = n_eq == n_cells > 0 and n_val_ok == n_val
    practice_ok = min(g_rand, g_train) >= threshold
    return pd.DataFrame(
        [
            claims.row(
                "C12",
                measured,
                "reproduced if the construction's exact counts equal the formula on every grid cell, the counter "
                "passes every check, AND random and trained nets at fixed N grow by "
                f">= x{threshold} per added layer; partly if only the construction part holds",
                claims.verdict(construction_ok and practice_ok, partly=construction_ok),
                "results/regions/construction.csv; results/regions/validation.csv; results/regions/depth_summary.csv; "
                "figures/regions/regions_vs_depth.png; figures/regions/region_maps.png",
            )
        ]
    )


# ---------------------------------------------------------------- steps


def _write_cost(cost: pd.DataFrame, p: dict) -> None:
    if p.get("cost_table"):
        write_table(cost, Path(p["cost_table"]))


def step_construction(p: dict, results: Path, figures: Path) -> None:
    table, cost = construction_table(p["grid"], p["max_regions"])
    write_table(table, results / "construction.csv")
    write_figure(plot_construction(table), figures / "construction.png")
    _write_cost(cost, p)


def step_validation(p: dict, results: Path, figures: Path) -> None:
    write_table(validation_table(p), results / "validation.csv")


def step_depth_cell(p: dict, results: Path, figures: Path) -> None:
    rows, cost = depth_cell(p, int(p["L"]))
    write_table(rows, results / "depth" / f"L{int(p['L'])}.csv")
    _write_cost(cost, p)


def step_depth(p: dict, results: Path, figures: Path) -> None:
    cells = pd.concat([pd.read_csv(results / "depth" / f"L{L}.csv") for L in p["depths"]], ignore_index=True)
    cells = cells.sort_values(["L", "kind", "seed"]).reset_index(drop=True)
    summary, cost = depth_summary(cells, p)
    write_table(cells, results / "depth.csv")
    write_table(summary, results / "depth_summary.csv")
    write_figure(plot_regions_vs_depth(summary, cells, p), figures / "regions_vs_depth.png")
    _write_cost(cost, p)


def step_maps(p: dict, results: Path, figures: Path) -> None:
    """p: the depth block (n_neurons, bias_std, box) with the maps block under "maps"; the random
    nets are those of the depth sweep (same seed streams)."""
    m, box = p["maps"], np.array(p["box"], dtype=float)
    panels = []
    for L in m["depths"]:
        widths = widths_for(p["n_neurons"], L)
        params = random_params(widths, [m["seed"]], p["bias_std"], "depth", L)[0]
        panels.append((f"random He net, widths {widths}", count_regions_2d(params, box)))
    K, L = m["construction"]["K"], m["construction"]["L"]
    params, cbox = montufar_net(2, K, L)
    panels.append((f"folding construction, K={K}, L={L}", count_regions_2d(params, cbox)))
    table = pd.DataFrame([{"net": n, "n_activation": r.n_activation, "n_linear": r.n_linear} for n, r in panels])
    write_table(table, results / "region_maps.csv")
    write_figure(plot_region_maps(panels, m["seed"]), figures / "region_maps.png")


def step_cost(p: dict, results: Path, figures: Path) -> None:
    """Merge the cost parts (p["parts"]) into the regions-per-second table p["cost_table"]."""
    cost = pd.concat([pd.read_csv(f) for f in p["parts"]], ignore_index=True)
    write_table(cost_summary(cost), Path(p["cost_table"]))


def step_claims(p: dict, results: Path, figures: Path) -> None:
    tables = [pd.read_csv(results / f"{n}.csv") for n in ("construction", "validation", "depth_summary")]
    write_table(claim_rows(*tables, p), results / "claims.csv")


STEPS = {
    "construction": step_construction,
    "validation": step_validation,
    "depth_cell": step_depth_cell,
    "depth": step_depth,
    "maps": step_maps,
    "cost": step_cost,
    "claims": step_claims,
}

if __name__ == "__main__":
    cli(STEPS)
