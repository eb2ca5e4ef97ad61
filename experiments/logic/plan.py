"""The logic family's plan: what each step reads from the config block `logic`, its sweep cells,
the cross-field checks, and what each job costs (imported by the Snakefile: stdlib only).

Each `*_cfg(block) -> {cell name: cfg}` is used by rules.smk (a job's params) and by the CLI
(`Step(cells=...)`), so a rule and `python -m experiments.logic STEP` run the same thing. A cell
of `xor_cell` is one (activation, width) with all its seeds: its params hold only its own values
and the training knobs, so appending a width or an activation reruns only the new cells.
"""

from math import ceil

from experiments.config import Cost, ensemble_gb

ROWS = 4  # truth-table rows of a 2-input function: the training set of every trained net here
TRAINED = ("neuron", "xor_mlp", "linear")  # the blocks that train nets on a truth table
PROCESS_GB = 0.3  # a step's interpreter with numpy, scipy, pandas and matplotlib loaded
NPN_CLASSES = {1: 2, 2: 4, 3: 14, 4: 222}  # functions of n inputs up to permuting/negating inputs and output


def only(block: dict, *keys: str) -> dict:
    """The entries `keys` of a block; a key the block lacks is left out (the CLI's --help lists
    what a step reads even from an empty block; a step run without it fails on the key)."""
    return {k: block[k] for k in keys if k in block}


def exact_cfg(block: dict) -> dict[str, dict]:
    return {"": only(block, "count_n", "enumerate_max_n", "parity_n", "parity_tree_n")}


def neuron_cfg(block: dict) -> dict[str, dict]:
    """Logistic regression, and the boundary figure's MLP (trained with xor_mlp's knobs, not its sweep)."""
    boundary = {**block.get("boundary", {}), **only(block.get("xor_mlp", {}), "lr", "epochs", "batch_size", "init")}
    return {"": {**only(block, "neuron", "stationary_change"), "boundary": boundary}}


def xor_cell_name(activation: str, width: int) -> str:
    return f"{activation}_{width}"


def xor_cells(block: dict) -> dict[str, dict]:
    """One cell per (hidden activation, width K): all seeds of the cell in one ensemble."""
    x = block.get("xor_mlp", {})
    knobs = only(x, "seeds", "lr", "epochs", "batch_size", "init")
    return {
        xor_cell_name(a, K): {"activation": a, "width": K, **knobs}
        for a in x.get("activations", [])
        for K in x.get("widths", [])
    }


def xor_summary_cfg(block: dict) -> dict[str, dict]:
    return {"": only(block, "xor_mlp", "stationary_change")}


def linear_cfg(block: dict) -> dict[str, dict]:
    return {"": only(block, "linear", "stationary_change")}


def claims_cfg(block: dict) -> dict[str, dict]:
    return {"": {}}


def _bad(key: str, value, what: str) -> str:
    return f"config key 'logic.{key}': value {value!r} is not allowed: {what}"


def check(block: dict) -> list[str]:
    """Cross-field checks the schema cannot express."""
    out = []
    for name in TRAINED:
        if block[name]["batch_size"] > ROWS:
            out.append(
                _bad(f"{name}.batch_size", block[name]["batch_size"], f"must be <= {ROWS}, the truth table's rows")
            )
    x, b = block["xor_mlp"], block["boundary"]
    if b["activation"] not in x["activations"]:
        out.append(
            _bad(
                "boundary.activation",
                b["activation"],
                f"must be one of xor_mlp.activations {x['activations']} (the figure draws a net whose success "
                "rate the sweep measures)",
            )
        )
    if b["width"] not in x["widths"]:
        out.append(_bad("boundary.width", b["width"], f"must be one of xor_mlp.widths {x['widths']}"))
    if 1 not in x["widths"]:
        out.append(_bad("xor_mlp.widths", x["widths"], "must include 1 (C03: one hidden unit cannot solve XOR)"))
    if block["enumerate_max_n"] > max(block["count_n"]):
        out.append(
            _bad(
                "enumerate_max_n",
                block["enumerate_max_n"],
                f"must be <= max(count_n) = {max(block['count_n'])} (it cross-checks those counts)",
            )
        )
    return out


def _steps(cfg: dict) -> int:
    """Optimisation steps of one member: epochs x batches per epoch."""
    return cfg["epochs"] * ceil(ROWS / cfg["batch_size"])


def cost(block: dict) -> list[Cost]:
    """Per job: peak memory and model-steps (members x optimisation steps; for the exact step,
    the LPs it solves). The trained nets are tiny: memory is the interpreter's."""
    lps = sum(2 ** (2**n) for n in range(1, block["enumerate_max_n"] + 1))  # every function by its own LP
    lps += 2 * sum(NPN_CLASSES[n] for n in block["count_n"]) + sum(block["parity_n"])
    n, x, lin = block["neuron"], block["xor_mlp"], block["linear"]
    out = [
        Cost("logic_exact", "enumerate_max_n", PROCESS_GB, lps),
        Cost("logic_neuron", "neuron.seeds", PROCESS_GB, 3 * n["seeds"] * _steps(n) + 3 * (_steps(n) + _steps(x))),
    ]
    out += [
        Cost(f"logic_xor_cell[{name}]", "xor_mlp.seeds", PROCESS_GB, cell["seeds"] * _steps(cell))
        for name, cell in xor_cells(block).items()
    ]
    deepest = [2, *[lin["width"]] * max(lin["train_depths"]), 1]
    memory = PROCESS_GB + ensemble_gb(lin["seeds"], deepest, 4)
    out.append(Cost("logic_linear", "linear.width", memory, len(lin["train_depths"]) * lin["seeds"] * _steps(lin)))
    return out
