"""What each step of the logic family reads from the family's config block, its sweep cells,
the cross-field checks, and the cost of each job (imported by the Snakefile: stdlib only).

Each `*_cfg(block) -> {cell name: cfg}` is used by both rules.smk (a job's params) and the
CLI (`Step(cells=...)`), so a rule and `python -m experiments.logic STEP` run the same thing.
"""

from experiments.config import Cost


def only(block: dict, *keys: str) -> dict:
    return {k: block[k] for k in keys}


def exact_cfg(block: dict) -> dict[str, dict]:
    return {"": only(block, "count_n", "enumerate_max_n", "parity_n")}


def neuron_cfg(block: dict) -> dict[str, dict]:
    return {"": only(block, "neuron", "xor_mlp", "boundary")}


def xor_cells(block: dict) -> dict[str, dict]:
    """One cell per hidden activation: every width, all seeds of a width in one ensemble."""
    sweep = {k: v for k, v in block["xor_mlp"].items() if k != "activations"}
    return {a: {**sweep, "activation": a} for a in block["xor_mlp"]["activations"]}


def xor_summary_cfg(block: dict) -> dict[str, dict]:
    return {"": only(block, "xor_mlp")}


def linear_cfg(block: dict) -> dict[str, dict]:
    return {"": only(block, "linear")}


def claims_cfg(block: dict) -> dict[str, dict]:
    return {"": {}}


def check(block: dict) -> list[str]:
    return []


def cost(block: dict) -> list[Cost]:
    return []
