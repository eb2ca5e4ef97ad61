"""The training family's jobs, cross-field checks and cost estimates, from its config block
(stdlib only: the Snakefile imports this at load).

Each step's job parameters come from one function `block -> {cell name: cfg}` used by both
rules.smk and the CLI, so a rule's params hold exactly what its job reads."""

from experiments.config import Cost

TASKS = ("spiral", "xor")  # C18's tasks, one job each
MINIMA_SHARED = ("gap_decades", "min_seeds", "near_zero")  # minima knobs every task job reads


# A missing part of the block (a broken config.yaml, read for --help) gives no jobs.


def lam_name(lam: float) -> str:
    """The file-name form of a lambda (cells are results/training/l2/lam_<name>.csv)."""
    return f"{lam:g}"


def l2_cells(block: dict) -> dict[str, dict]:
    """One job per lambda: the l2 knobs without the sweep list, plus its `lam`."""
    l2 = block.get("l2", {})
    knobs = {k: v for k, v in l2.items() if k != "lambdas"}
    return {lam_name(lam): {**knobs, "lam": lam} for lam in l2.get("lambdas", [])}


def l2_summary(block: dict) -> dict[str, dict]:
    return {"": block.get("l2", {})}


def sgd(block: dict) -> dict[str, dict]:
    return {"": block.get("sgd", {})}


def minima_cells(block: dict) -> dict[str, dict]:
    """One job per task: its sub-block, its name and the shared cluster knobs."""
    m = block.get("minima", {})
    return {t: {**m[t], "task": t, **{k: m[k] for k in MINIMA_SHARED}} for t in TASKS if t in m}


def claims(block: dict) -> dict[str, dict]:
    return {"": block}


def n_train(train_pct: int) -> int:
    """Training points of a Playground split: 500 points, the first train_pct% (mlp.data)."""
    return 500 * train_pct // 100


def check(block: dict) -> list[str]:
    return []


def cost(block: dict) -> list[Cost]:
    return []
