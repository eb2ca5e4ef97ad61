"""The universality family's jobs, planned from its config block before any job runs: the sweep
cells (one job per input dimension D, shared by rules.smk and the CLI), cross-field checks the
schema cannot express, and cost estimates. Standard library only (the Snakefile imports this at
load)."""

from experiments.config import Cost

DEGREE = {"linear": 1, "quadratic": 2, "cubic": 3}  # the polynomial activations and their degrees; others are not
DIMENSION_CELL_KEYS = ("eps", "ridge_profile", "eval_points", "widths", "fit_ratio", "n_seeds")
GRID_PER_UNIT = 4  # grid points per hidden unit at least: fewer, and the readout interpolates the grid


def dimension_cells(block: dict) -> dict[str, dict]:
    """One job per input dimension D; a cell gets its own D and the knobs it reads, never the list."""
    dim = block.get("dimension", {})  # absent when the CLI lists the steps without a config
    return {f"D{D}": {"D": D, **{k: dim[k] for k in DIMENSION_CELL_KEYS}} for D in dim.get("dims", [])}


def sub_block(key: str):
    """The cells of a step that reads one sub-block of the family block (one job, that sub-block)."""

    def cells(block: dict) -> dict[str, dict]:
        return {"": block.get(key, {})}

    return cells


def claims_cells(block: dict) -> dict[str, dict]:
    """The claims read both sub-blocks."""
    return {"": {k: block[k] for k in ("polynomial", "dimension") if k in block}}


CELLS = {  # step -> its jobs' parameters {cell name: cfg}; used by rules.smk and the CLI alike
    "widths": sub_block("polynomial"),
    "dimension_cell": dimension_cells,
    "dimension": sub_block("dimension"),
    "claims": claims_cells,
}


def _bad(key: str, value, allowed: str) -> str:
    return f"config key 'universality.{key}': value {value!r} is not allowed: {allowed}"


def check(block: dict) -> list[str]:
    """Cross-field checks of the universality block, one message per problem."""
    out, poly, dim = [], block["polynomial"], block["dimension"]
    degree = max([DEGREE[a] for a in poly["activations"] if a in DEGREE], default=0)
    if min(poly["widths"]) < degree:
        why = f"every width must be >= {degree}: K units of a degree-{degree} activation span the degree-{degree} polynomials only from K = {degree}"
        out.append(_bad("polynomial.widths", poly["widths"], why))
    if GRID_PER_UNIT * max(poly["widths"]) > poly["grid_points"]:
        why = f"every width must be <= grid_points / {GRID_PER_UNIT} = {poly['grid_points'] // GRID_PER_UNIT} (else the readout interpolates the grid)"
        out.append(_bad("polynomial.widths", poly["widths"], why))
    if max(dim["widths"]) < 2 * max(dim["dims"]):
        why = f"the largest width must be >= 2 max(dims) = {2 * max(dim['dims'])} (the smallest quadrature net has 2D units)"
        out.append(_bad("dimension.widths", dim["widths"], why))
    too_big = [D for D in dim["dims"] if 3**D > dim["eval_points"]]
    if too_big:
        why = f"needs 3^D <= eval_points = {dim['eval_points']} for every D (a grid with the origin and both ends of each axis); too small for D = {too_big}"
        out.append(_bad("dimension.eval_points", dim["eval_points"], why))
    return out


def cost(block: dict) -> list[Cost]:
    """Per job: peak memory of its matrices and its work as forward passes of one net over its
    points (a least-squares solve with K units costs about K of them)."""
    poly, dim = block["polynomial"], block["dimension"]
    K, M, N = max(poly["widths"]), poly["n_seeds"], poly["grid_points"]
    work = M * len(poly["activations"]) * sum(k + 1 for k in poly["widths"])
    out = [Cost("universality_widths", "polynomial.widths", 5 * M * N * (K + 1) * 8 / 1e9, work)]
    K = max(dim["widths"])
    points = dim["fit_ratio"] * K + dim["eval_points"]
    memory = (points * (K + 1) + 3 * (K + 1) ** 2) * 8 / 1e9  # features at fit and grid points, Gram matrices
    for name in dimension_cells(block):
        out.append(Cost(f"universality_dimension_cell {name}", "dimension.widths", memory, dim["n_seeds"] * (K + 1)))
    return out
