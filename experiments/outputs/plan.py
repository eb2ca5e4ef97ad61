"""What the outputs family's jobs get from its config block, cross-field checks and costs.

Imported by the Snakefile at load (stdlib and `experiments.config.Cost` only). One `train` job
per data set (`train_cells`: the data set's own entry plus the shared training knobs, so
adding a data set reruns only its job), then one `summary` job over all of them.
"""

import json

from experiments.config import Cost

PROCESS_GB = 0.3  # the interpreter with numpy, pandas and matplotlib
TRAIN_KNOBS = ("seed", "seeds", "points", "hidden", "activation", "init", "batch", "schedule")
SCORE_KNOBS = ("converged_tol", "bins", "probability_floor", "thresholds")
SUMMARY_KNOBS = ("seed", "seeds", "converged_tol", "quadrature_step", "criteria")


def canonical(cfg: dict) -> dict:
    """`cfg` with every mapping's keys sorted, as the pipeline's --cfg JSON passes it: data sets
    and losses are then iterated in the same order with and without Snakemake."""
    return json.loads(json.dumps(cfg, sort_keys=True))


def train_cells(block: dict) -> dict[str, dict]:
    """One job per data set: its data and losses, and the knobs of training and scoring."""
    knobs = {k: block[k] for k in TRAIN_KNOBS + SCORE_KNOBS if k in block}
    return {name: canonical({"dataset": name, **spec, **knobs}) for name, spec in block.get("datasets", {}).items()}


def summary_cells(block: dict) -> dict[str, dict]:
    """The summary: every data set's entry (what its table must hold) and the verdicts' knobs."""
    if "datasets" not in block:
        return {"": {}}
    return {"": canonical({"datasets": block["datasets"], **{k: block[k] for k in SUMMARY_KNOBS}})}


def _bad(key: str, value, allowed: str) -> str:
    return f"config key 'outputs.{key}': value {value} is not allowed: {allowed}"


def check(block: dict) -> list[str]:
    """Cross-field checks the schema cannot express."""
    out = []
    for name, spec in block["datasets"].items():
        data, losses = spec["data"], spec["losses"]
        key = f"datasets.{name}"
        if data["labels"] == "classes" and "blobs_per_class" not in data:
            out.append(_bad(f"{key}.data", data, "labels: classes needs blobs_per_class (blobs of each class)"))
        if data["labels"] == "sets" and "blobs_per_class" in data:
            out.append(_bad(f"{key}.data.blobs_per_class", data["blobs_per_class"], "only for labels: classes"))
        if "sigmoid" in losses.values() and (data["labels"], data["classes"]) != ("classes", 2):
            why = "a sigmoid output is one unit: only for labels: classes with classes: 2"
            out.append(_bad(f"{key}.losses", losses, why))
        if data["labels"] == "sets" and not {"cross_entropy", "sparsemax"} <= set(losses):
            why = "multi-label data need cross_entropy (thresholded softmax) and sparsemax (its support) to compare"
            out.append(_bad(f"{key}.losses", losses, why))
    if block["batch"] > block["points"]["train"]:
        out.append(_bad("batch", block["batch"], f"must be <= points.train = {block['points']['train']}"))
    total = sum(seg["epochs"] for seg in block["schedule"])
    if total < 10:
        out.append(_bad("schedule", total, "needs >= 10 epochs in all (the last 10% is at least one epoch)"))
    return out


def cost(block: dict) -> list[Cost]:
    """Per job: peak memory (GB) and model-steps (ensemble members x SGD steps)."""
    steps = sum(seg["epochs"] for seg in block["schedule"]) * -(-block["points"]["train"] // block["batch"])
    out = []
    for name, cell in train_cells(block).items():
        C = cell["data"]["classes"]
        arrays_gb = 40 * 8 * block["seeds"] * max(block["points"].values()) * max(C, max(block["hidden"])) / 1e9
        models = len(cell["losses"])
        out.append(Cost(f"outputs_train[{name}]", "seeds", PROCESS_GB + arrays_gb, block["seeds"] * models * steps))
    return out
