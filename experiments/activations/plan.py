"""What the activations family's jobs get from its config block, cross-field checks and costs.

Imported by the Snakefile at load (stdlib and `experiments.config.Cost` only). Most steps are
one job reading its own sub-block plus the family's seed (`job_cfg`); the trained relu nets of
C06 are one job per dataset (`sparsity_cells`). The same functions feed the rules and the CLI,
so both run the same jobs.
"""

from experiments.config import Cost

STEPS = ("functions", "sparsity", "maps", "losses", "backprop")  # the steps that write claim rows
CLAIM_PARTS = [f"claims_{step}.csv" for step in STEPS]  # merged by the claims step into claims.csv
PROCESS_GB = 0.3  # the interpreter with numpy, pandas and matplotlib
# Playground's data (mlp.data): 500 points (1200 for reg-*), half of them for training
TRAIN_SIZE = {"reg-plane": 600, "reg-gauss": 600}
TRAIN_SIZE_CLASSIFY = 250
REGISTRY_NETS = 7 * 10  # hidden activations x (output, loss) pairs in the registries (for the estimate only)


def job_cfg(block: dict, step: str) -> dict:
    """The parameters of a step's one job: its sub-block with the family's seed ({} for a
    block without them, as the CLI has when it finds no config.yaml)."""
    return {**block[step], "seed": block["seed"]} if step in block else {}


def cells(step: str):
    """block -> {"": job_cfg(block, step)}, the split the CLI uses (one job per step)."""
    return lambda block: {"": job_cfg(block, step)}


def sparsity_cells(block: dict) -> dict[str, dict]:
    """One job per dataset of `sparsity.trained`: the training knobs and that dataset."""
    trained = block.get("sparsity", {}).get("trained", {})
    knobs = {k: v for k, v in trained.items() if k != "datasets"}
    return {d: {**knobs, "dataset": d, "seed": block["seed"]} for d in trained.get("datasets", [])}


def summary_cfg(block: dict) -> dict[str, dict]:
    """The sparsity summary: the init sweep, the verdict's knobs, and what the cells hold."""
    if "sparsity" not in block:
        return {"": {}}
    s = block["sparsity"]
    knobs = {k: s[k] for k in ("threshold", "converged_tol", "init")}
    cells = {k: s["trained"][k] for k in ("datasets", "seeds", "hidden")}  # what the cells' tables hold
    return {"": {**knobs, **cells, "seed": block["seed"]}}


def _bad(key: str, value, allowed: str) -> str:
    return f"config key 'activations.{key}': value {value} is not allowed: {allowed}"


def check(block: dict) -> list[str]:
    """Cross-field checks the schema cannot express."""
    out = []
    biases = block["sparsity"]["init"]["biases"]
    if 0 not in biases or all(b == 0 for b in biases):
        out.append(_bad("sparsity.init.biases", biases, "needs 0 (the symmetric sanity check) and a nonzero bias"))
    trained = block["sparsity"]["trained"]
    for d in trained["datasets"]:
        n = TRAIN_SIZE.get(d, TRAIN_SIZE_CLASSIFY)
        if n % trained["batch"]:
            why = f"must divide {n}, the training set of {d} (so the two training segments equal one run)"
            out.append(_bad("sparsity.trained.batch", trained["batch"], why))
    steps = block["losses"]["zero_one_steps"]
    if len(set(steps)) < 2:
        out.append(_bad("losses.zero_one_steps", steps, "needs >= 2 distinct steps (|FD| at a tie must grow)"))
    if max(steps) > 0.01:
        out.append(
            _bad("losses.zero_one_steps", steps, "every step must be <= 0.01 (the criterion expects > 99% zero FD)")
        )
    return out


def cost(block: dict) -> list[Cost]:
    """Per job: peak memory (GB) and model-steps (forward/backward passes of one net x members)."""
    f, s, b = block["functions"], block["sparsity"], block["backprop"]
    grid_gb = 8 * 12 * (f["grid_points"] + 30_001) / 1e9  # a dozen float64 arrays over the grid
    i = s["init"]
    init_nets = len(i["inits"]) * len(i["biases"]) * len(i["widths"]) * i["seeds"]
    init_gb = 8 * 3 * i["seeds"] * i["batch"] * max(i["widths"]) * i["depth"] / 1e9
    out = [
        Cost("activations_functions", "functions.grid_points", PROCESS_GB + grid_gb, 0),
        Cost("activations_sparsity", "sparsity.init.seeds", PROCESS_GB + init_gb, init_nets),
    ]
    for name, cell in sparsity_cells(block).items():
        per_epoch = -(-TRAIN_SIZE.get(name, TRAIN_SIZE_CLASSIFY) // cell["batch"])
        out.append(
            Cost(
                f"activations_sparsity_trained[{name}]",
                "sparsity.trained.seeds",
                PROCESS_GB,
                cell["seeds"] * cell["epochs"] * per_epoch,
            )
        )
    width, depth = b["width"], max(b["depths"])
    params = b["inputs"] * width + depth * width**2 + width * b["classes"] + depth * width + b["classes"]
    out.append(
        Cost(
            "activations_backprop",
            "backprop.depths",
            PROCESS_GB,
            REGISTRY_NETS * len(b["depths"]) * (len(b["l2s"]) * 2 * params + 2 * b["batch"] * depth * width),
        )
    )
    return out
