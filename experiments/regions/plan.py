"""The regions family's jobs, planned from its config block before any job runs: the sweep
cells of the depth step (shared by rules.smk and the CLI), cross-field checks the schema
cannot express, and cost estimates. Standard library only (the Snakefile imports this at
load), plus the core's bounds (pure Python integers)."""

from experiments.config import Cost, ensemble_gb
from mlp.bounds import montufar_lower_bound

PLAYGROUND_POINTS = 500  # points of a Playground classification set (mlp.data.N_CLASSIFY)
DEPTH_CELL_KEYS = ("n_neurons", "n_seeds", "bias_std", "box", "segment", "input_scale", "train")
BYTES_PER_REGION_UNIT = 64  # counter memory per (polygon, hidden unit): vertices, patterns, copies


def widths_for(N: int, L: int) -> list[int]:
    """N units over L layers, as equal as integers allow (the first N mod L layers get one more)."""
    return [N // L + (i < N % L) for i in range(L)]


def depth_cells(block: dict) -> dict[str, dict]:
    """One job per depth L: random and trained nets of N = n_neurons units over L layers.
    A cell gets its own L and the knobs it reads, never the list of depths."""
    depth = block.get("depth", {})  # absent when the CLI lists the steps without a config
    return {f"L{L}": {"L": L, **{k: depth[k] for k in DEPTH_CELL_KEYS}} for L in depth.get("depths", [])}


def maps_cells(block: dict) -> dict[str, dict]:
    """The region maps read the maps block and the random nets' knobs of the depth block."""
    depth = {k: v for k, v in block.get("depth", {}).items() if k in ("n_neurons", "bias_std", "box")}
    return {"": {"maps": block.get("maps", {}), "depth": depth}}


def sub_blocks(*keys: str):
    """The cells of a step that reads these sub-blocks of the family block (one job)."""

    def cells(block: dict) -> dict[str, dict]:
        return {"": {k: block[k] for k in keys if k in block}}

    return cells


CELLS = {  # step -> its jobs' parameters {cell name: cfg}; used by rules.smk and the CLI alike
    "construction": sub_blocks("construction"),
    "validation": sub_blocks("validation"),
    "depth_cell": depth_cells,
    "depth": sub_blocks("depth"),
    "maps": maps_cells,
    "claims": sub_blocks("construction", "validation", "depth"),
}


def _bad(key: str, value, allowed: str) -> str:
    return f"config key 'regions.{key}': value {value!r} is not allowed: {allowed}"


def _sweeps(block: dict) -> list[str]:
    """Construction widths, depths that leave >= 1 unit per layer, maps within the sweep."""
    out = []
    for i, cell in enumerate(block["construction"]["grid"]):
        if any(K < cell["D"] + 1 for K in cell["K"]):
            why = (
                f"every K must be >= D + 1 = {cell['D'] + 1} (the last layer's all-off cell must be bounded, "
                "or folded copies of it merge and the count falls below the formula)"
            )
            out.append(_bad(f"construction.grid[{i}].K", cell["K"], why))
    depth, val = block["depth"], block["validation"]
    for key, depths, N in (
        ("depth.depths", depth["depths"], depth["n_neurons"]),
        ("validation.grid_random_depths", val["grid_random_depths"], val["grid_random_neurons"]),
    ):
        if any(L > N for L in depths):
            out.append(_bad(key, depths, f"every depth must be <= {N} units (>= 1 unit per layer)"))
    if any(L not in depth["depths"] for L in block["maps"]["depths"]):
        why = f"must be depths of the sweep depth.depths = {depth['depths']}: the maps show the sweep's random nets"
        out.append(_bad("maps.depths", block["maps"]["depths"], why))
    return out


def _training(t: dict) -> list[str]:
    """Batches within the training set; the stationarity window after the step decay."""
    out, n_train = [], PLAYGROUND_POINTS * t["train_pct"] // 100
    if t["batch_size"] > n_train:
        why = f"must be <= the {n_train} training points ({PLAYGROUND_POINTS} x train_pct {t['train_pct']}%)"
        out.append(_bad("depth.train.batch_size", t["batch_size"], why))
    budget = t["epochs"] + t["settle_epochs"]
    if 10 * t["settle_epochs"] <= budget:
        why = (
            f"must be more than 10% of the budget epochs + settle_epochs = {budget}: stationarity is measured "
            "over the last 10%, which must lie after the step decay"
        )
        out.append(_bad("depth.train.settle_epochs", t["settle_epochs"], why))
    return out


def check(block: dict) -> list[str]:
    """Cross-field checks of the regions block, one message per problem."""
    box = block["depth"]["box"]
    bad_box = (
        []
        if all(lo < hi for lo, hi in box)
        else [_bad("depth.box", box, "each [lo, hi] needs lo < hi (the counting box must have positive area)")]
    )
    return _sweeps(block) + _training(block["depth"]["train"]) + bad_box


def _counting_cost(job: str, key: str, regions: int, units: int) -> Cost:
    """Counting work ~ regions x units clip tests; memory ~ regions x units x BYTES_PER_REGION_UNIT."""
    return Cost(job, key, regions * units * BYTES_PER_REGION_UNIT / 1e9, regions * units)


def cost(block: dict) -> list[Cost]:
    """Per job: training work (members x SGD steps) and the folding nets' region counts, which
    grow like (K/D)^{D(L-1)} with depth (each counted cell holds at most its formula's regions)."""
    out = []
    con = block["construction"]
    for cell in con["grid"]:
        for K in cell["K"]:
            for L in cell["L"]:
                regions = montufar_lower_bound(cell["D"], [K] * L)
                if regions <= con["max_regions"]:
                    out.append(
                        _counting_cost(
                            f"regions_construction D={cell['D']} K={K} L={L}", "construction.grid", regions, K * L
                        )
                    )
    depth = block["depth"]
    t = depth["train"]
    steps = (t["epochs"] + t["settle_epochs"]) * (PLAYGROUND_POINTS * t["train_pct"] // 100 // t["batch_size"])
    for name, cell in depth_cells(block).items():
        widths = widths_for(depth["n_neurons"], cell["L"])
        memory = 0.05 * depth["n_seeds"] + ensemble_gb(depth["n_seeds"], [2, *widths, 1], t["batch_size"])
        out.append(Cost(f"regions_depth_cell {name}", "depth.n_neurons", memory, depth["n_seeds"] * steps))
        if min(widths[:-1] + [2]) >= 2:
            regions = montufar_lower_bound(2, widths)
            if regions <= depth["construction_max_regions"]:
                out.append(
                    _counting_cost(
                        f"regions_depth {name} construction",
                        "depth.construction_max_regions",
                        regions,
                        depth["n_neurons"],
                    )
                )
    K, L = block["maps"]["construction"]["K"], block["maps"]["construction"]["L"]
    out.append(
        _counting_cost("regions_maps construction", "maps.construction", montufar_lower_bound(2, [K] * L), K * L)
    )
    return out
