"""The conclusion's inputs (other families' tables), its job parameters and its checks (stdlib
only: the Snakefile imports this at load).

`check(block)` sees only the conclusion's block; `cross_check(config)` takes the whole
configuration and checks that every name the block judges is one the other families train
and record (the Snakefile must call it: see the family's README note)."""

from experiments.config import Cost

INPUTS = {  # the tables C19 reads, under results/
    "xor_success": "logic/xor_success.csv",
    "playground_summary": "playground/summary.csv",
    "width_errors": "approximation/width_errors.csv",
}


def playground_seeds(config_name: str) -> str:
    """The per-seed table of one Playground configuration, under results/."""
    return f"playground/runs/{config_name}_seeds.csv"


def inputs(block: dict) -> list[str]:
    """Every table the job reads, under results/."""
    return [*INPUTS.values(), *(playground_seeds(c) for c in block.get("playground", {}).get("configs", []))]


def run(block: dict) -> dict[str, dict]:
    return {"": block}


def check(block: dict) -> list[str]:
    return []  # the block alone has no cross-field constraint; see cross_check


def message(key: str, value, allowed: str) -> str:
    return f"config key 'conclusion.{key}': value {value} is not allowed: {allowed}"


def playground_name(spec: dict) -> str:
    """A Playground configuration's name as the playground family writes it: dataset-hidden-activation."""
    return "-".join([spec["dataset"], *map(str, spec["hidden"]), spec["activation"]])


def cross_check(config: dict) -> list[str]:
    """The names the conclusion judges against what the other families' blocks train and record."""
    block, out = config["conclusion"], []
    xor = config.get("logic", {}).get("xor_mlp", {})
    if block["xor"]["width"] not in xor.get("widths", []):
        out.append(
            message("xor.width", block["xor"]["width"], f"must be one of logic.xor_mlp.widths {xor.get('widths')}")
        )
    missing = sorted(set(block["xor"]["activations"]) - set(xor.get("activations", [])))
    if missing:
        out.append(
            message("xor.activations", missing, f"must be among logic.xor_mlp.activations {xor.get('activations')}")
        )
    pg = config.get("playground", {})
    recorded = sorted({*pg.get("slide_epochs", {}).values(), pg.get("epochs")} - {None})
    if block["playground"]["epoch"] not in recorded:
        out.append(
            message(
                "playground.epoch",
                block["playground"]["epoch"],
                f"must be an epoch the playground summary records: {recorded} (playground.slide_epochs, playground.epochs)",
            )
        )
    names = [playground_name(c) for c in pg.get("configs", [])]
    names += [  # the spiral nets of the equal-parameter budgets train and record too
        playground_name({"dataset": "spiral", "hidden": h, "activation": b["activation"]})
        for b in pg.get("budgets", [])
        for h in b["candidates"]
    ]
    unknown = [c for c in block["playground"]["configs"] if c not in names]
    if unknown:
        out.append(
            message("playground.configs", unknown, f"must be among the playground runs (configs and budgets) {names}")
        )
    widths = config.get("approximation", {}).get("width", {}).get("sgd", {}).get("widths", [])
    if block["approximation"]["width"] not in widths:
        out.append(
            message(
                "approximation.width",
                block["approximation"]["width"],
                f"must be one of approximation.width.sgd.widths {widths} (the widths plain SGD trains)",
            )
        )
    return out


def cost(block: dict) -> list[Cost]:
    return [Cost("conclusion_run", "playground.configs", 0.2, 0)]  # reads tables, trains nothing
