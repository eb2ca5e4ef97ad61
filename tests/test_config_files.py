"""Config files as a user meets them: config.yaml is found beside the Snakefile, a partial
`--configfile` merges into it with or without `--directory`, and a broken file is reported
with its name and line."""

import re
import subprocess
import sys

import pytest
import yaml
from conftest import ENV, ROOT, SMK

from experiments.config import ConfigError, load_yaml, merge


def dry_run(cwd, *args):
    """`snakemake -n -p` with the checkout's Snakefile: the planned jobs and their commands."""
    return subprocess.run(
        [*SMK, "-n", "-p", "--snakefile", str(ROOT / "Snakefile"), *args],
        cwd=cwd,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )


def neuron_seeds(out: str) -> int:
    """The seeds the logic family's neuron job is given (from its printed --cfg)."""
    cmd = next(line for line in out.splitlines() if "experiments.logic" in line and " neuron " in line)
    return int(re.search(r'"seeds": (\d+)', cmd).group(1))


@pytest.mark.timeout(300)
@pytest.mark.parametrize("where", ["in the checkout", "with --directory"])
def test_a_partial_configfile_merges_into_config_yaml(tmp_path, where):
    override = tmp_path / "my.yaml"
    override.write_text("logic:\n  neuron:\n    seeds: 7\n")
    default = yaml.safe_load((ROOT / "config.yaml").read_text())["logic"]["neuron"]["seeds"]
    assert default != 7
    if where == "in the checkout":
        r = dry_run(ROOT, "--configfile", str(override), "--forceall", "results/logic/claims.csv")
    else:
        r = dry_run(tmp_path, "--configfile", str(override), "--directory", str(tmp_path / "elsewhere"))
    assert r.returncode == 0, r.stderr[-3000:]
    assert neuron_seeds(r.stdout) == 7  # the override
    assert "xor_cell" in r.stdout  # and everything else from config.yaml


def test_merge_replaces_lists_and_merges_mappings():
    base = {"a": {"x": 1, "y": [1, 2]}, "b": 2}
    assert merge(base, {"a": {"y": [3]}}) == {"a": {"x": 1, "y": [3]}, "b": 2}
    assert base == {"a": {"x": 1, "y": [1, 2]}, "b": 2}  # not modified


def test_yaml_syntax_error_names_file_line_and_column(tmp_path):
    bad = tmp_path / "my.yaml"
    bad.write_text("logic:\n  xor_mlp:\n    widths: [1, 2\n")
    with pytest.raises(ConfigError, match=rf"^{re.escape(str(bad))}:4:1: YAML syntax error"):
        load_yaml(bad)
    r = subprocess.run(
        [sys.executable, "-m", "experiments.suite", str(bad)], capture_output=True, text=True, env=ENV, timeout=60
    )
    assert r.returncode == 1 and f"{bad}:4:1: YAML syntax error" in r.stderr


def test_suite_check_names_the_key_of_a_bad_override(tmp_path):
    bad = tmp_path / "my.yaml"
    bad.write_text("logic:\n  neuron:\n    lr: 1.0e6\n")
    r = subprocess.run(
        [sys.executable, "-m", "experiments.suite", str(bad)], capture_output=True, text=True, env=ENV, timeout=60
    )
    assert r.returncode == 1
    assert "config key 'logic.neuron.lr': value '1.0e6' is not allowed: must be a number" in r.stderr
    assert "YAML read '1.0e6' as a string, not a number: write it as 1.0e+6" in r.stderr
    ok = subprocess.run(
        [sys.executable, "-m", "experiments.suite", str(ROOT / "config.quick.yaml")],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr


# The bad inputs first contact found, each stopped before any job with the key that drives it
BAD = [
    ({"logic": {"xor_mlp": {"seeds": 10**9}}}, "logic.xor_mlp.seeds", "model-steps of work"),
    ({"logic": {"xor_mlp": {"epochs": 10**8}}}, "logic.xor_mlp", "model-steps of work"),
    ({"regions": {"depth": {"n_neurons": 10**5}}}, "regions.depth.n_neurons", "GB of memory"),
    ({"logic": {"linear": {"width": 10**8}}}, "logic.linear.width", "GB of memory"),
    ({"training": {"sgd": {"var_batch_sizes": [1, 2, 1000]}}}, "training.sgd.var_batch_sizes", "<= N"),
    ({"conclusion": {"playground": {"epoch": 77}}}, "conclusion.playground.epoch", "an epoch the playground"),
    ({"logic": {"neuron": {"lr": "1.0e6"}}}, "logic.neuron.lr", "YAML read '1.0e6' as a string"),
]


@pytest.mark.parametrize("override,key,says", BAD, ids=[b[1] for b in BAD])
def test_bad_input_is_stopped_before_any_job_naming_its_key(override, key, says):
    from experiments.config import load_config
    from experiments.suite import check_config

    with pytest.raises(ConfigError) as err:
        check_config(load_config(ROOT / "config.yaml", override))
    line = next((x for x in str(err.value).splitlines() if f"config key '{key}" in x), "")
    assert says in line, str(err.value)


def test_cost_limits_can_be_lifted_on_purpose():
    from experiments.config import load_config
    from experiments.suite import check_config

    check_config(load_config(ROOT / "config.yaml", {"logic": {"xor_mlp": {"seeds": 10**9}}, "enforce_limits": False}))
