"""What the activations family's jobs get from its config block, cross-field checks and costs.

Imported by the Snakefile at load (stdlib and `experiments.config.Cost` only). Each step is one
job that reads its own sub-block plus the family's seed; `cells` gives that cfg to both the
rules and the CLI, so they agree.
"""

from experiments.config import Cost

STEPS = ("functions", "maps", "losses", "backprop")  # the computing steps, one sub-block each
CLAIM_PARTS = [f"claims_{step}.csv" for step in STEPS]  # merged by the claims step into claims.csv


def job_cfg(block: dict, step: str) -> dict:
    """The parameters of a step's one job: its sub-block with the family's seed ({} for a
    block without them, as the CLI has when it finds no config.yaml)."""
    return {**block[step], "seed": block["seed"]} if step in block else {}


def cells(step: str):
    """block -> {"": job_cfg(block, step)}, the split the CLI uses (one job per step)."""
    return lambda block: {"": job_cfg(block, step)}


def check(block: dict) -> list[str]:
    """Cross-field checks the schema cannot express."""
    return []


def cost(block: dict) -> list[Cost]:
    """Per job: estimated peak memory (GB) and work (forward/backward passes of one net)."""
    return []
