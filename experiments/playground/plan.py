"""What each step of the playground family reads from the family's config block, its sweep
cells, the cross-field checks and the cost of each job (imported by the Snakefile: stdlib only).

`train_cells(block) -> {configuration name: cfg}` is used by both rules.smk (a job's params) and
the CLI (`Step(cells=...)`), so a rule and `python -m experiments.playground train` run the same
thing; a job's cfg holds only the knobs training reads, so a new configuration reruns only its
own job.
"""

from experiments.config import Cost

N_POINTS = 500  # Playground's classification data sets (NUM_SAMPLES_CLASSIFY)
TRAIN_KEYS = ("lr", "batch_size", "train_pct", "noise", "features", "epochs", "eval_every", "slide_epochs",
              "seed_epochs", "seed0")  # fmt: skip


def config_name(spec: dict) -> str:
    """'spiral-4-2-tanh': dataset, hidden widths, activation (the name of its job and tables)."""
    return "-".join([spec["dataset"], *map(str, spec["hidden"]), spec["activation"]])


def train_cells(block: dict) -> dict[str, dict]:
    """One cell per configuration: its seeds train as one ensemble (none for an empty block)."""
    common = {k: block[k] for k in TRAIN_KEYS if k in block}
    return {config_name(c): {**common, "run": config_name(c), "config": c} for c in block.get("configs", [])}


def check(block: dict) -> list[str]:
    return []


def cost(block: dict) -> list[Cost]:
    return []
