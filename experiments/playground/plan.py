"""What each step of the playground family reads from the family's config block, its sweep
cells, the cross-field checks and the cost of each job (imported by the Snakefile: stdlib only).

`train_cells(block) -> {run name: cfg}` is used by both rules.smk (a job's params) and the CLI
(`Step(cells=...)`), so a rule and `python -m experiments.playground train` run the same thing;
a job's cfg holds only the knobs training reads, so a new configuration or budget candidate
reruns only its own job. The runs are the configurations plus the budgets' candidates (spiral,
`budget_seeds` seeds) that are not configurations already.
"""

from experiments.config import Cost

N_POINTS = 500  # Playground's classification data sets (NUM_SAMPLES_CLASSIFY)
TRAIN_KEYS = ("lr", "batch_size", "train_pct", "noise", "features", "epochs", "eval_every", "slide_epochs",
              "seed_epochs", "seed0")  # fmt: skip
BUDGET_SPREAD = 1.1  # candidates of one budget: largest / smallest parameter count at most this
CURVE_BYTES = 8 * 8 * 4  # per seed and recorded epoch: 8 columns of float64, ~4x for pandas' copies


def config_name(spec: dict) -> str:
    """'spiral-4-2-tanh': dataset, hidden widths, activation (the name of its job and tables)."""
    return "-".join([spec["dataset"], *map(str, spec["hidden"]), spec["activation"]])


def n_params(hidden, n_in: int = 2) -> int:
    """Weights and biases of a net n_in -> hidden -> 1: sum over layers of (K_{l-1} + 1) K_l."""
    sizes = [n_in, *hidden, 1]
    return sum((k_in + 1) * k_out for k_in, k_out in zip(sizes, sizes[1:]))


def seeds_of(cfg: dict, spec: dict) -> list[int]:
    return list(range(cfg["seed0"], cfg["seed0"] + spec["seeds"]))


def candidate(budget: dict, hidden, seeds: int) -> dict:
    return {"dataset": "spiral", "hidden": list(hidden), "activation": budget["activation"], "seeds": seeds}


def runs(block: dict) -> dict[str, dict]:
    """Every trained configuration by name: the configs, then budget candidates not among them."""
    out = {config_name(c): c for c in block.get("configs", [])}
    for budget in block.get("budgets", []):
        for hidden in budget["candidates"]:
            spec = candidate(budget, hidden, block["budget_seeds"])
            out.setdefault(config_name(spec), spec)
    return out


def train_cells(block: dict) -> dict[str, dict]:
    """One cell per run: its seeds train as one ensemble (none for an empty block)."""
    common = {k: block[k] for k in TRAIN_KEYS if k in block}
    return {name: {**common, "run": name, "config": spec} for name, spec in runs(block).items()}


def n_train(cfg: dict) -> int:
    return N_POINTS * cfg["train_pct"] // 100


def map_epoch(cfg: dict, spec: dict) -> int:
    """Epoch of the decision maps: the slide's count for the activation, else the budget."""
    return min(cfg["slide_epochs"].get(spec["activation"], cfg["epochs"]), cfg["epochs"])


def stationary_from(cfg: dict) -> int:
    """First epoch of the last 10% of the budget (stationarity is measured from here to the end)."""
    return cfg["epochs"] * 9 // 10


def seed_epochs(cfg: dict) -> list[int]:
    """Epochs of the per-seed tables: seed_epochs, the slides' counts, 90% of the budget and its end."""
    E = cfg["epochs"]
    return sorted({e for e in [*cfg["seed_epochs"], *cfg["slide_epochs"].values(), stationary_from(cfg), E] if e <= E})


def curve_epochs(cfg: dict) -> list[int]:
    """Epochs of the loss curves: every eval_every, plus the per-seed epochs."""
    return sorted(set(range(0, cfg["epochs"] + 1, cfg["eval_every"])) | set(seed_epochs(cfg)))


def _bad(path: str, value, what: str) -> str:
    return f"config key 'playground.{path}': value {value} is not allowed: {what}"


def check(block: dict) -> list[str]:
    """Cross-field checks the schema cannot express (one message per problem)."""
    E, N, B = block["epochs"], n_train(block), block["batch_size"]
    out = [_bad(f"slide_epochs.{a}", e, f"must be <= epochs ({E}): the slide's count is recorded within the budget")
           for a, e in block["slide_epochs"].items() if e > E]  # fmt: skip
    out += [
        _bad(f"seed_epochs[{i}]", e, f"must be <= epochs ({E})") for i, e in enumerate(block["seed_epochs"]) if e > E
    ]
    if block["eval_every"] > E:
        out.append(_bad("eval_every", block["eval_every"], f"must be <= epochs ({E}) so the curves have points"))
    if B > N:
        out.append(_bad("batch_size", B, f"must be <= the {N} training points ({block['train_pct']}% of {N_POINTS})"))
    elif N % B:
        paused = sorted({map_epoch(block, s) for s in runs(block).values()} - {E})
        if paused:
            out.append(_bad("batch_size", B, f"must divide the {N} training points while slide_epochs {paused} < "
                            f"epochs: a leftover batch carries over between epochs, so training cannot pause there"))  # fmt: skip
    names = [config_name(c) for c in block["configs"]]
    out += [_bad(f"configs[{i}]", n, "appears twice") for i, n in enumerate(names) if n in names[:i]]
    for i, budget in enumerate(block["budgets"]):
        sizes = [n_params(h) for h in budget["candidates"]]
        if max(sizes) > BUDGET_SPREAD * min(sizes):
            out.append(_bad(f"budgets[{i}].candidates", budget["candidates"], f"parameter counts {sizes} differ by "
                            f"more than a factor {BUDGET_SPREAD}: compare nets of (nearly) equal size"))  # fmt: skip
        if len({len(h) for h in budget["candidates"]}) < 2:
            out.append(_bad(f"budgets[{i}].candidates", budget["candidates"], "needs at least two depths to compare"))
    return out


def cost(block: dict) -> list[Cost]:
    """Per training job: model-steps = seeds x epochs x batches per epoch; memory for its curves."""
    batches = -(-n_train(block) // block["batch_size"])
    n_curve = len(curve_epochs(block))
    keys = {config_name(c): f"configs[{i}].seeds" for i, c in enumerate(block["configs"])}
    return [
        Cost(f"playground_train {name}", keys.get(name, "budget_seeds"),
             0.2 + spec["seeds"] * n_curve * CURVE_BYTES / 1e9, spec["seeds"] * block["epochs"] * batches)
        for name, spec in runs(block).items()
    ]  # fmt: skip
