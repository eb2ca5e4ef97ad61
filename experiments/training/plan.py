"""The training family's jobs, cross-field checks and cost estimates, from its config block
(stdlib only: the Snakefile imports this at load).

Each step's job parameters come from one function `block -> {cell name: cfg}` used by both
rules.smk and the CLI, so a rule's params hold exactly what its job reads; a missing part
of the block (a broken config.yaml, read for --help) gives no jobs."""

from experiments.config import Cost

TASKS = ("spiral", "xor")  # C18's tasks, one job each
MINIMA_SHARED = ("gap_decades", "min_seeds")  # cluster knobs every task job reads
PROBLEM = ("dataset", "noise", "train_pct", "data_seed", "hidden_sizes", "activation")  # C15's fixed data and net
GRADIENT_KEYS = (*PROBLEM, "init_seed", "mean_batch_sizes", "mean_draws", "mean_chains", "var_batch_sizes", "var_draws")
CURVE_KEYS = (*PROBLEM, "curve_lrs", "curve_epochs", "tune_seeds", "curve_seeds")
BYTES = 8  # float64


def n_train(train_pct: int) -> int:
    """Training points of a Playground split: the first train_pct% of its 500 points (mlp.data)."""
    return 500 * train_pct // 100


def n_fit(l2: dict) -> int:
    """C14's fitting points per seed: the training points minus the validation part."""
    n = n_train(l2["train_pct"])
    return n - n * l2["val_pct"] // 100


def lam_name(lam: float) -> str:
    """The file-name form of a lambda (cells are results/training/l2/lam_<name>.csv)."""
    return f"{lam:g}"


def pick(block: dict, keys) -> dict:
    return {k: block[k] for k in keys if k in block}


def l2_cells(block: dict) -> dict[str, dict]:
    """One job per lambda: the l2 knobs without the sweep list, plus its `lam`."""
    l2 = block.get("l2", {})
    knobs = {k: v for k, v in l2.items() if k != "lambdas"}
    return {lam_name(lam): {**knobs, "lam": lam} for lam in l2.get("lambdas", [])}


def l2_summary(block: dict) -> dict[str, dict]:
    return {"": block.get("l2", {})}


def sgd_gradients(block: dict) -> dict[str, dict]:
    return {"": pick(block.get("sgd", {}), GRADIENT_KEYS)}


def curve_batch_sizes(sgd: dict) -> list[int]:
    """C15 (c)'s batch sizes: the configured ones and full-batch GD (B = N)."""
    if "train_pct" not in sgd:
        return []
    return sorted({*sgd.get("curve_batch_sizes", []), n_train(sgd["train_pct"])})


def sgd_tune_cells(block: dict) -> dict[str, dict]:
    """One job per batch size (B<size>): its learning-rate tuning and evaluation runs."""
    sgd = block.get("sgd", {})
    return {f"B{B}": {**pick(sgd, CURVE_KEYS), "batch_size": B} for B in curve_batch_sizes(sgd)}


def sgd_curves(block: dict) -> dict[str, dict]:
    return {
        "": pick(block.get("sgd", {}), ("train_pct", "curve_batch_sizes", "curve_lrs", "curve_epochs", "curve_seeds"))
    }


def minima_cells(block: dict) -> dict[str, dict]:
    """One job per task: its sub-block, its name and the shared cluster knobs."""
    m = block.get("minima", {})
    return {t: {**m[t], "task": t, **pick(m, MINIMA_SHARED)} for t in TASKS if t in m}


def claims(block: dict) -> dict[str, dict]:
    return {"": block}


def message(key: str, value, allowed: str) -> str:
    return f"config key 'training.{key}': value {value} is not allowed: {allowed}"


def check(block: dict) -> list[str]:
    """Cross-field checks the schema cannot express."""
    out = []
    l2, sgd = block["l2"], block["sgd"]
    if 0 not in l2["lambdas"]:
        out.append(message("l2.lambdas", l2["lambdas"], "must contain 0 (lambda = 0 is the reference of C14 and C26)"))
    fit = n_fit(l2)
    if l2["batch_size"] > fit:
        out.append(
            message(
                "l2.batch_size",
                l2["batch_size"],
                f"must be <= {fit}, the fitting points per seed "
                f"(500 * train_pct / 100 = {n_train(l2['train_pct'])} minus val_pct = {l2['val_pct']}%)",
            )
        )
    N = n_train(sgd["train_pct"])
    for key in ("mean_batch_sizes", "var_batch_sizes", "curve_batch_sizes"):
        big = [B for B in sgd[key] if B > N]
        if big:
            out.append(
                message(
                    f"sgd.{key}",
                    sgd[key],
                    f"every batch size must be <= N = 500 * train_pct / 100 = {N} "
                    f"(the training points; {big} are larger)",
                )
            )
    for task, cfg in minima_cells(block).items():
        N = 4 if task == "xor" else n_train(cfg["train_pct"])
        if cfg["batch_size"] > N:
            out.append(
                message(
                    f"minima.{task}.batch_size",
                    cfg["batch_size"],
                    f"must be <= {N}, the training points of the task (0 = full batch)",
                )
            )
        if cfg["loss"] == "binary_cross_entropy" and cfg["output"] != "sigmoid":
            out.append(
                message(
                    f"minima.{task}.output", repr(cfg["output"]), "must be 'sigmoid' with loss binary_cross_entropy"
                )
            )
        if cfg["hidden_sizes"][0] < 2:
            out.append(
                message(
                    f"minima.{task}.hidden_sizes",
                    cfg["hidden_sizes"],
                    "the first hidden layer needs >= 2 units (its units 0 and 1 are swapped to show non-convexity)",
                )
            )
    return out


def params(sizes: list[int]) -> int:
    """Weights and biases of a [2, *sizes, 1] net."""
    widths = [2, *sizes, 1]
    return sum((a + 1) * b for a, b in zip(widths, widths[1:]))


def cost(block: dict) -> list[Cost]:
    """Per job: peak memory (GB) and model-steps (ensemble members x optimisation steps)."""
    out = []
    for name, cfg in l2_cells(block).items():
        steps = cfg["n_seeds"] * cfg["epochs"] * max(1, n_fit(cfg) // cfg["batch_size"])
        out.append(Cost(f"training_l2_cell {name}", "l2.n_seeds", 0.2, steps))
    sgd = block["sgd"]
    N, P = n_train(sgd["train_pct"]), params(sgd["hidden_sizes"])
    draws = max(sgd["mean_chains"] // 10 * sgd["mean_draws"] * (N + P), sgd["var_draws"] * (N + P))  # 10 groups
    out.append(Cost("training_sgd_gradients", "sgd.var_draws", 0.2 + 3 * draws * BYTES / 1e9, N))
    for name, cfg in sgd_tune_cells(block).items():
        runs = len(cfg["curve_lrs"]) * cfg["tune_seeds"] + cfg["curve_seeds"]
        steps = runs * cfg["curve_epochs"] * max(1, N // cfg["batch_size"])
        out.append(Cost(f"training_sgd_tune {name}", "sgd.curve_epochs", 0.2, steps))
    for task, cfg in minima_cells(block).items():
        N = 4 if task == "xor" else n_train(cfg["train_pct"])
        steps = cfg["n_seeds"] * cfg["epochs"] * max(1, N // (cfg["batch_size"] or N))
        out.append(Cost(f"training_minima {task}", f"minima.{task}.epochs", 0.2, steps))
    return out
