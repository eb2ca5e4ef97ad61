"""The conclusion's inputs (other families' tables), its job parameters and checks (stdlib
only: the Snakefile imports this at load)."""

from experiments.config import Cost

INPUTS = {  # the tables C19 reads, under results/: name -> path
    "xor_success": "logic/xor_success.csv",
    "playground_summary": "playground/summary.csv",
    "width_errors": "approximation/width_errors.csv",
}


def run(block: dict) -> dict[str, dict]:
    return {"": block}


def check(block: dict) -> list[str]:
    return []


def cost(block: dict) -> list[Cost]:
    return []
