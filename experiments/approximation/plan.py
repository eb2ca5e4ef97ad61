"""The approximation family's jobs, planned from its config block (stdlib only: the Snakefile
imports this at load).

Each step's parameters come from one function `block -> {cell name: cfg}`, used by both the
rules (rules.smk) and the command line (`Step(cells=...)`), so a job gets the same parameters
either way, and only those it reads: adding an activation or a trained depth reruns only the
new cell. `check` holds the cross-field rules the JSON schema cannot express, `cost` the
estimated size of each job.
"""

from functools import wraps

from experiments.config import Cost

WIDTH_KEYS = ("targets", "widths", "train_points", "eval_points", "restarts", "unit_budget", "lbfgs_maxiter", "sgd")
SUMMARY_KEYS = (
    "targets",
    "activations",
    "widths",
    "restarts",
    "unit_budget",
    "sgd",
    "construction_widths",
    "eval_points",
    "points_per_unit",
    "fit_last",
    "sup_tol",
    "few_units",
    "slope_tol",
    "optimisation_factor",
)
SHALLOW_KEYS = ("widths", "l1_target", "restarts", "unit_budget", "lbfgs_maxiter", "points_per_piece")
DEPTH_KEYS = ("depths", "trained_depths", "plot_depths", "l1_target", "log2_slope_min")
W_SCALE = 1.0  # first-layer scale of an activation that width.w_scale does not list


def _pick(d: dict, keys) -> dict:
    return {k: d[k] for k in keys}


def planned(cells):
    """Cells of a step; an empty block (no config.yaml at hand) plans no jobs."""

    @wraps(cells)
    def plan(block: dict) -> dict[str, dict]:
        return cells(block) if block else {}

    return plan


def restarts_for(K: int, cfg: dict) -> int:
    """Restarts at width K: cfg["restarts"], cut so that restarts * K <= cfg["unit_budget"] (at
    least 1). Wide nets depend little on their start, and this keeps the big widths affordable."""
    return max(1, min(cfg["restarts"], cfg["unit_budget"] // K))


@planned
def width_cells(block: dict) -> dict[str, dict]:
    """One job per activation: every width and target, their restarts vectorised."""
    w = block["width"]
    return {
        a: {"seed": block["seed"], "activation": a, "w_scale": w["w_scale"].get(a, W_SCALE), **_pick(w, WIDTH_KEYS)}
        for a in w["activations"]
    }


@planned
def width_summary(block: dict) -> dict[str, dict]:
    """The C10 summary reads every cell's table and builds the constructions itself."""
    return {"": {"stationary_tol": block["stationary_tol"], **_pick(block["width"], SUMMARY_KEYS)}}


@planned
def shallow_cells(block: dict) -> dict[str, dict]:
    """One job per trained depth L of the tent map (C11)."""
    d = block["depth"]
    return {f"L{L}": {"seed": block["seed"], "L": L, **_pick(d, SHALLOW_KEYS)} for L in d["trained_depths"]}


@planned
def depth_summary(block: dict) -> dict[str, dict]:
    return {"": {"stationary_tol": block["stationary_tol"], **_pick(block["depth"], DEPTH_KEYS)}}


@planned
def claims(block: dict) -> dict[str, dict]:
    return {"": {}}


def _problem(key: str, value, allowed: str) -> str:
    return f"config key 'approximation.{key}': value {value} is not allowed: {allowed}"


def check(block: dict) -> list[str]:
    """Cross-field rules of the approximation block, one message per violation."""
    w, d = block["width"], block["depth"]
    out = []
    fewest = min(len(w["widths"]), len(w["construction_widths"]))
    if w["fit_last"] > fewest:
        out.append(
            _problem(
                "width.fit_last",
                w["fit_last"],
                f"must be <= the number of widths and of construction widths ({fewest})",
            )
        )
    smallest = min(w["widths"] + w["construction_widths"])
    if w["few_units"] < smallest:
        out.append(_problem("width.few_units", w["few_units"], f"must be >= the smallest width ({smallest})"))
    extra = sorted(set(w["sgd"]["widths"]) - set(w["widths"]))
    if extra:
        out.append(_problem("width.sgd.widths", w["sgd"]["widths"], f"must be among width.widths (not: {extra})"))
    if w["sgd"]["batch_size"] > w["sgd"]["train_points"]:
        out.append(
            _problem(
                "width.sgd.batch_size",
                w["sgd"]["batch_size"],
                f"must be <= width.sgd.train_points ({w['sgd']['train_points']}), the size of the training grid",
            )
        )
    if sum(L >= 3 for L in d["depths"]) < 3:
        out.append(
            _problem(
                "depth.depths",
                d["depths"],
                "must hold at least 3 depths >= 3 (the growth slope of the shallow units is fitted there)",
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
    """Per job: peak memory (the (members, points, K) arrays of the widest net) and model-steps
    (members x optimisation steps; an L-BFGS iteration counted as its ~3 objective calls)."""
    out = []
    for name, cfg in width_cells(block).items():
        s, T = cfg["sgd"], len(cfg["targets"])
        sgd_steps = sum(seg["epochs"] for seg in s["schedule"]) * -(-s["train_points"] // s["batch_size"])
        members = {K: T * restarts_for(K, cfg) for K in cfg["widths"]}
        steps = sum(m * (3 * cfg["lbfgs_maxiter"] + sgd_steps * (K in s["widths"])) for K, m in members.items())
        mem = max(m * K * max(cfg["train_points"], cfg["eval_points"]) for K, m in members.items()) * 8 * 12 / 1e9
        out.append(Cost(f"approximation_width {name}", "width.widths", mem, steps))
    for name, cfg in shallow_cells(block).items():
        n = cfg["points_per_piece"] * 2 ** cfg["L"] + 1
        members = {K: restarts_for(K, cfg) for K in cfg["widths"]}
        steps = sum(m * 3 * cfg["lbfgs_maxiter"] for m in members.values())
        mem = max(m * K * n for K, m in members.items()) * 8 * 12 / 1e9
        out.append(Cost(f"approximation_shallow {name}", "depth.widths", mem, steps))
    return out
