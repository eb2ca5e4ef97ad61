"""Each sweep cell gets only the parameters it uses: after a run, appending a value to a sweep
list plans only the new cells (and the summaries that read every cell), never the old cells.
Checked with `snakemake -n` on the finished quick run."""

import copy
import re

import pytest
import yaml
from conftest import QUICK, ok, smk

BASE = yaml.safe_load(QUICK.read_text())

# (config path of a sweep, value appended, the cell rule, how many new cells that makes)
CASES = [
    (("logic", "xor_mlp", "widths"), 8, "logic_xor_cell", len(BASE["logic"]["xor_mlp"]["activations"])),
    (("activations", "sparsity", "trained", "datasets"), "xor", "activations_sparsity_trained", 1),
    (("regions", "depth", "depths"), 4, "regions_depth_cell", 1),
    (("training", "l2", "lambdas"), 0.05, "training_l2_cell", 1),
    (("training", "sgd", "curve_batch_sizes"), 25, "training_sgd_tune", 1),
    (("representations", "features", "datasets"), "gauss", "representations_features", 1),
    (
        ("playground", "configs"),
        {"dataset": "spiral", "hidden": [5], "activation": "tanh", "seeds": 4},
        "playground_train",
        1,
    ),
]


def planned(out: str) -> dict[str, int]:
    """rule -> number of jobs in a dry run's job stats."""
    stats = out[out.index("Job stats:") :]
    return {
        m.group(1): int(m.group(2)) for m in re.finditer(r"^(\w+)\s+(\d+)$", stats, flags=re.M) if m.group(1) != "total"
    }


@pytest.mark.timeout(900)
@pytest.mark.parametrize("path,value,rule,new", CASES, ids=[".".join(c[0]) for c in CASES])
def test_appending_a_sweep_value_plans_only_the_new_cells(quick_run, tmp_path, path, value, rule, new):
    config = copy.deepcopy(BASE)
    node = config
    for key in path[:-1]:
        node = node[key]
    assert value not in node[path[-1]], "pick a value the quick config does not have"
    node[path[-1]] = [*node[path[-1]], value]
    override = tmp_path / "more.yaml"
    override.write_text(yaml.safe_dump(config, sort_keys=False))
    r = ok(smk(quick_run, "-n", configfile=override))
    jobs = planned(r.stdout)
    assert jobs.get(rule) == new, f"{rule}: {jobs.get(rule)} jobs planned, {new} new cells\n{jobs}"
    family = path[0]
    others = {j for j in jobs if not j.startswith(f"{family}_") and j not in ("claims", "all", "conclusion_run")}
    assert others == set(), f"jobs of other families planned: {others}"
