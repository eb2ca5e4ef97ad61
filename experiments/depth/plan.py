"""What the depth family's jobs get from its config block, cross-field checks and costs.

Imported by the Snakefile at load (standard library and `experiments.config.Cost` only). Jobs:
`kink` (C22, one job: both runs, every convention), `cell` (C23, one job per activation: every
initialisation and depth, each cell's seeds one ensemble), `vanishing` (C23's summaries,
figures and rows from the cells' tables) and `claims`. The same functions feed rules.smk and
the CLI, so both run the same jobs.
"""

from experiments.config import Cost

TRAIN_POINTS = 250  # a Playground classification set (500 points) split 50/50
COMPARED = {"activations": ("sigmoid", "tanh", "relu"), "inits": ("glorot", "he")}  # the rows compare these
CLAIM_PARTS = ["claims_kink.csv", "claims_vanishing.csv"]  # merged by the claims step into claims.csv
PROCESS_GB = 0.3  # the interpreter with numpy, pandas and matplotlib


def kink_cells(block: dict) -> dict[str, dict]:
    """C22's one job: the kink block, the task it trains its deep run on, seed and tolerance."""
    if "kink" not in block:  # the CLI listing steps without a config
        return {"": {}}
    return {
        "": {**block["kink"], "task": block["task"], "seed": block["seed"], "stationary_tol": block["stationary_tol"]}
    }


def cell_cells(block: dict) -> dict[str, dict]:
    """One job per activation: its learning rate, the sweep of inits and depths, the task."""
    if "vanishing" not in block:
        return {}
    v = block["vanishing"]
    knobs = {k: v[k] for k in ("inits", "depths", "grad_points")}
    common = {**block["task"], **knobs, "seed": block["seed"], "stationary_tol": block["stationary_tol"]}
    return {g: {**common, "activation": g, "lr": v["lr"][g]} for g in v["activations"]}


def vanishing_cells(block: dict) -> dict[str, dict]:
    """C23's summary: what the cells' tables must hold and the verdicts' knobs."""
    if "vanishing" not in block:
        return {"": {}}
    v, t = block["vanishing"], block["task"]
    keep = ("activations", "inits", "depths", "sparse_threshold", "figure_depth")
    return {
        "": {**{k: v[k] for k in keep}, **{k: t[k] for k in ("seeds", "width", "bar", "epochs")}, "seed": block["seed"]}
    }


CELLS = {  # step -> its jobs' parameters {cell name: cfg}; used by rules.smk and the CLI alike
    "kink": kink_cells,
    "cell": cell_cells,
    "vanishing": vanishing_cells,
    "claims": lambda block: {"": {}},
}


def _bad(key: str, value, allowed: str) -> str:
    return f"config key 'depth.{key}': value {value!r} is not allowed: {allowed}"


def check(block: dict) -> list[str]:
    """Cross-field checks the schema cannot express, one message per problem."""
    out = []
    v, t, k = block["vanishing"], block["task"], block["kink"]
    for key, names in COMPARED.items():
        missing = [n for n in names if n not in v[key]]
        if missing:
            out.append(
                _bad(f"vanishing.{key}", v[key], f"must include {', '.join(names)} (the claim rows compare them)")
            )
    lacking = [g for g in v["activations"] if g not in v["lr"]]
    if lacking:
        out.append(
            _bad("vanishing.lr", v["lr"], f"needs a learning rate for every activation (missing: {', '.join(lacking)})")
        )
    if v["figure_depth"] not in v["depths"]:
        out.append(_bad("vanishing.figure_depth", v["figure_depth"], f"must be one of vanishing.depths {v['depths']}"))
    if v["grad_points"] > TRAIN_POINTS:
        out.append(_bad("vanishing.grad_points", v["grad_points"], f"must be <= the {TRAIN_POINTS} training points"))
    for key, batch in (("task.batch", t["batch"]), ("kink.spiral.batch", k["spiral"]["batch"])):
        if TRAIN_POINTS % batch:
            why = f"must divide the {TRAIN_POINTS} training points (the kink runs train in segments that must equal one run)"
            out.append(_bad(key, batch, why))
    for key, epochs in (("task.epochs", t["epochs"]), ("kink.spiral.epochs", k["spiral"]["epochs"])):
        if epochs % 10:
            out.append(
                _bad(key, epochs, "must be a multiple of 10 (stationarity is measured over the last 10% of epochs)")
            )
    return out


def cost(block: dict) -> list[Cost]:
    """Per job: peak memory (GB) and model-steps (members x SGD steps)."""
    t, k = block["task"], block["kink"]
    steps = t["epochs"] * (TRAIN_POINTS // t["batch"])
    spiral = k["spiral"]["seeds"] * k["spiral"]["epochs"] * (TRAIN_POINTS // k["spiral"]["batch"])
    out = [Cost("depth_kink", "kink.spiral.epochs", PROCESS_GB, 3 * (spiral + t["seeds"] * steps))]
    v = block["vanishing"]
    grads_gb = 8 * t["seeds"] * v["grad_points"] * t["width"] ** 2 * max(v["depths"]) / 1e9  # per-example dl/dW
    for g in cell_cells(block):
        work = len(v["inits"]) * len(v["depths"]) * t["seeds"] * steps
        out.append(Cost(f"depth_cell[{g}]", "task.epochs", PROCESS_GB + 2 * grads_gb, work))
    return out
