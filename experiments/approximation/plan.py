"""The approximation family's jobs, planned from its config block (stdlib only: the Snakefile
imports this at load).

Each step's parameters come from one function `block -> {cell name: cfg}`, used by both the
rules (rules.smk) and the command line (`Step(cells=...)`), so a job gets the same
parameters either way, and only those it reads: adding a target or an activation reruns only
the new cells. `check` holds the cross-field rules the JSON schema cannot express, `cost` the
estimated size of each job.
"""

from functools import wraps

from experiments.config import Cost

WIDTH_KEYS = ("widths", "train_points", "eval_points", "restarts", "unit_budget", "lbfgs_maxiter", "sgd")
SHALLOW_KEYS = ("widths", "l1_target", "restarts", "unit_budget", "lbfgs_maxiter", "points_per_piece")


def _pick(d: dict, keys) -> dict:
    return {k: d[k] for k in keys}


def planned(cells):
    """Cells of a step; an empty block (no config.yaml at hand) plans no jobs."""

    @wraps(cells)
    def plan(block: dict) -> dict[str, dict]:
        return cells(block) if block else {}

    return plan


@planned
def width_cells(block: dict) -> dict[str, dict]:
    """One job per (target, activation): all widths, their restarts vectorised."""
    w = block["width"]
    return {
        f"{t}_{a}": {
            "seed": block["seed"],
            "target": t,
            "activation": a,
            "w_scale": w["w_scale"][a],
            **_pick(w, WIDTH_KEYS),
        }
        for t in w["targets"]
        for a in w["activations"]
    }


@planned
def width_summary(block: dict) -> dict[str, dict]:
    """The C10 summary reads every cell's table and builds the constructions itself."""
    return {"": {k: v for k, v in block["width"].items() if k not in ("train_points", "lbfgs_maxiter", "w_scale")}}


@planned
def shallow_cells(block: dict) -> dict[str, dict]:
    """One job per trained depth L of the tent map (C11)."""
    d = block["depth"]
    return {f"L{L}": {"seed": block["seed"], "L": L, **_pick(d, SHALLOW_KEYS)} for L in d["trained_depths"]}


@planned
def depth_summary(block: dict) -> dict[str, dict]:
    d = block["depth"]
    return {"": _pick(d, ("depths", "trained_depths", "plot_depths", "l1_target"))}


@planned
def claims(block: dict) -> dict[str, dict]:
    return {"": {}}


def _problem(key: str, value, allowed: str) -> str:
    return f"config key 'approximation.{key}': value {value} is not allowed: {allowed}"


def check(block: dict) -> list[str]:
    """Cross-field rules of the approximation block, one message per violation."""
    w, d = block["width"], block["depth"]
    out = []
    if w["fit_last"] > len(w["widths"]):
        out.append(_problem("width.fit_last", w["fit_last"], f"must be <= the number of widths ({len(w['widths'])})"))
    if w["sgd"]["batch_size"] > w["train_points"]:
        out.append(
            _problem(
                "width.sgd.batch_size",
                w["sgd"]["batch_size"],
                f"must be <= width.train_points ({w['train_points']}), the size of the training grid",
            )
        )
    for key in ("trained_depths", "plot_depths"):
        extra = sorted(set(d[key]) - set(d["depths"]))
        if extra:
            out.append(
                _problem(f"depth.{key}", d[key], f"every depth must be in depth.depths {d['depths']} (not: {extra})")
            )
    return out


def cost(block: dict) -> list[Cost]:
    """Per job: peak memory (the (restarts, points, K) feature arrays) and model-steps (restarts x
    optimisation steps, an L-BFGS iteration counted as its ~2 objective calls)."""
    out = []
    for name, cfg in width_cells(block).items():
        n, s = cfg["train_points"], cfg["sgd"]
        sgd_steps = s["epochs"] * -(-n // s["batch_size"])
        members = [min(max(cfg["unit_budget"] // K, 1), cfg["restarts"]) for K in cfg["widths"]]
        steps = sum(m * (2 * cfg["lbfgs_maxiter"] + sgd_steps) for m in members)
        mem = max(m * K * (n + cfg["eval_points"]) for m, K in zip(members, cfg["widths"], strict=True)) * 8 * 12 / 1e9
        out.append(Cost(f"approximation_width {name}", "width.widths", mem, steps))
    for name, cfg in shallow_cells(block).items():
        n = cfg["points_per_piece"] * 2 ** cfg["L"] + 1
        members = [min(max(cfg["unit_budget"] // K, 1), cfg["restarts"]) for K in cfg["widths"]]
        steps = sum(m * 2 * cfg["lbfgs_maxiter"] for m in members)
        mem = max(m * K * n for m, K in zip(members, cfg["widths"], strict=True)) * 8 * 12 / 1e9
        out.append(Cost(f"approximation_shallow {name}", "depth.widths", mem, steps))
    return out
