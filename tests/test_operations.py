"""Operations: lint and format hygiene (snakemake --lint, snakefmt, ruff), the experiment
CLIs' bad-input messages, the cluster profiles and the CI script."""

import json
import os
import re
import runpy
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import ENV, ROOT, ok, smk

import experiments.cli

# The lints the README explains: the project is pip-installed (no conda env or container per
# rule); rules call `{PY} -m ...` with PY = sys.executable of Snakemake on purpose (a params
# entry would record the absolute interpreter path and rerun everything after a move).
ALLOWED_LINTS = {
    "Specify a conda environment or container for each rule.",
    "Shell command directly uses variable PY from outside of the rule",
}
LINT = """
import json, sys
from pathlib import Path
_dumps = json.dumps  # snakefile lints carry LocalSourceFile objects: print them as strings
json.dumps = lambda *a, **k: _dumps(*a, **{**k, "default": str})
from snakemake.api import SnakemakeApi
from snakemake.settings.types import ConfigSettings, OutputSettings, ResourceSettings
with SnakemakeApi(OutputSettings(quiet={"all"})) as api:
    api.workflow(snakefile=Path(sys.argv[1]), workdir=Path(sys.argv[2]),
                 config_settings=ConfigSettings(configfiles=[Path(sys.argv[3])]),
                 resource_settings=ResourceSettings(cores=1)).lint(json=True)
"""


def tool(name: str) -> str:
    """A console script of the running environment (pytest runs inside the venv)."""
    return str(Path(sys.executable).parent / name)


@pytest.fixture(scope="module")
def lint(tmp_path_factory) -> dict:
    """`snakemake --lint` as JSON (the CLI ignores `--lint json` in 9.27; the API honours it)."""
    wd = tmp_path_factory.mktemp("lint")
    r = subprocess.run(
        [sys.executable, "-c", LINT, str(ROOT / "Snakefile"), str(wd), str(ROOT / "config.quick.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
        env=ENV,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout[r.stdout.index("{") :])


@pytest.mark.timeout(120)
def test_snakemake_lint_is_clean(lint):
    """No lint except the two the README explains."""
    found = []
    for kind in ("snakefiles", "rules"):
        for entry in lint[kind]:
            where = entry["for"].get("rule") or entry["for"].get("snakefile")
            found += [f"{kind[:-1]} {where}: {x['title']}" for x in entry["lints"] if x["title"] not in ALLOWED_LINTS]
    assert found == [], "\n".join(found)
    assert len(lint["rules"]) >= 1  # the lint saw the rules (so the check above can fail)


@pytest.mark.timeout(60)
def test_snakefmt_check_is_clean():
    smk = [*(ROOT / "experiments").rglob("*.smk"), *(ROOT / "rules").glob("*.smk")]
    files = ["Snakefile", *sorted(str(p.relative_to(ROOT)) for p in smk)]
    r = subprocess.run([tool("snakefmt"), "--check", "--diff", *files], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, f"snakefmt would reformat:\n{r.stdout[-4000:]}{r.stderr[-2000:]}"


@pytest.mark.timeout(60)
def test_ruff_check_is_clean():
    r = subprocess.run([tool("ruff"), "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]


# ---------------------------------------------------------------- experiment CLIs


def family_modules() -> list[str]:
    """Every family's command line: the packages experiments/<family>/ (their __main__.py ends
    with `cli(STEPS)`)."""
    return [f"experiments.{p.parent.name}" for p in sorted((ROOT / "experiments").glob("*/__main__.py"))]


def entry(module: str):
    """(steps, cli, the name of its JSON flag) of a family's command line: its __main__.py
    defines STEPS and runs cli(STEPS) under its guard."""
    path = ROOT / module.replace(".", "/") / "__main__.py"
    return runpy.run_path(str(path), run_name="steps")["STEPS"], experiments.cli.cli, "--cfg"


def run_cli(cli, steps, argv, capsys) -> str:
    with pytest.raises(SystemExit) as exc:
        cli(steps, argv)
    assert exc.value.code == 2
    return capsys.readouterr().err


def test_family_modules_found():
    assert "experiments.lecture_tables" in family_modules()


@pytest.mark.parametrize("module", family_modules())
def test_cli_rejects_bad_input(module, capsys, tmp_path):
    """Every family CLI: an unknown step, broken JSON parameters and non-object parameters are
    argparse errors (exit 2) naming the value and what is allowed; nothing is written."""
    steps, cli, flag = entry(module)
    assert steps and all(callable(getattr(f, "run", f)) for f in steps.values())
    step = sorted(steps)[0]
    out = ["--results", str(tmp_path / "r"), "--figures", str(tmp_path / "f")]

    err = run_cli(cli, steps, ["no_such_step", *out], capsys)
    assert "no_such_step" in err and "invalid choice" in err
    assert all(repr(s) in err for s in steps), err  # the allowed steps are listed

    err = run_cli(cli, steps, [step, flag, '{"widths": [1, 2', *out], capsys)
    assert f"{flag} is not valid JSON" in err and '{"widths": [1, 2' in err

    err = run_cli(cli, steps, [step, flag, "[1, 2]", *out], capsys)
    assert "must be a JSON object" in err and "got a list" in err and "[1, 2]" in err
    assert not (tmp_path / "r").exists() and not (tmp_path / "f").exists()


@pytest.mark.timeout(60)
def test_cli_subprocess_names_the_bad_step(tmp_path):
    """The same through a real `python -m` (what a rule runs)."""
    r = subprocess.run(
        [sys.executable, "-m", "experiments.lecture_tables", "tabel"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=ENV,
    )
    assert r.returncode == 2
    assert "python -m experiments.lecture_tables: error: argument step: invalid choice: 'tabel'" in r.stderr
    assert "'run'" in r.stderr
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- cluster profiles


def rule_names(lint) -> set[str]:
    return {e["for"]["rule"] for e in lint["rules"]} | {"all", "claims"}


def test_slurm_profile_names_existing_rules_and_standard_resources(lint):
    prof = yaml.safe_load((ROOT / "profiles/slurm/config.yaml").read_text())
    assert prof["executor"] == "slurm"
    assert prof["rerun-incomplete"] is True
    assert {"mem_mb", "runtime", "cpus_per_task", "slurm_partition"} <= set(prof["default-resources"])
    rules = rule_names(lint)
    unknown = set(prof.get("set-resources", {})) - rules
    assert not unknown, f"set-resources names rules that do not exist: {unknown}"
    arrays = {r.strip() for r in prof.get("slurm-array-jobs", "").split(",") if r.strip()}
    assert arrays and arrays <= rules | {"all"}, f"slurm-array-jobs names unknown rules: {arrays - rules}"


@pytest.mark.timeout(120)
def test_slurm_profile_gives_every_job_slurm_resources(tmp_path):
    """A dry run through profiles/slurm: every job that would be submitted carries a partition,
    a runtime (minutes), memory and a CPU count."""
    r = ok(smk(tmp_path / "wd", "-n", "--profile", str(ROOT / "profiles/slurm")))
    jobs = re.findall(r"^rule (\w+):\n(?:    .*\n)*?    resources: (.*)$", r.stdout, flags=re.M)
    assert jobs
    for rule, res in jobs:
        res = dict(kv.split("=", 1) for kv in res.split(", "))
        assert res.get("slurm_partition") and int(res["runtime"]) > 0, (rule, res)
        assert int(res["mem_mb"]) > 0 and int(res["cpus_per_task"]) >= 1, (rule, res)


def status(job_id: str) -> str:
    script = ROOT / "profiles/local-cluster/status.sh"
    return subprocess.run(["bash", str(script), job_id], capture_output=True, text=True).stdout.strip()


def test_local_cluster_status_script(tmp_path):
    """status.sh: running while the pid lives, then success / failed from the exit code, and
    failed for a job that vanished without one (killed)."""
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        assert status(f"{sleeper.pid}:{tmp_path}/job1") == "running"
    finally:
        sleeper.kill()
        sleeper.wait()
    dead = sleeper.pid
    assert status(f"{dead}:{tmp_path}/job1") == "failed"  # no exit code written: killed
    (tmp_path / "job1.rc").write_text("0\n")
    assert status(f"{dead}:{tmp_path}/job1") == "success"
    (tmp_path / "job1.rc").write_text("1\n")
    assert status(f"{dead}:{tmp_path}/job1") == "failed"


def test_local_cluster_profile_is_test_only_generic_executor():
    prof = yaml.safe_load((ROOT / "profiles/local-cluster/config.yaml").read_text())
    assert prof["executor"] == "cluster-generic"
    for key in ("cluster-generic-submit-cmd", "cluster-generic-status-cmd"):
        script = ROOT / "profiles/local-cluster" / prof[key]
        assert script.is_file() and os.access(script, os.X_OK), script


# ---------------------------------------------------------------- CI script


def test_ci_script_builds_a_fresh_venv_and_runs_the_readme_test_command():
    script = ROOT / ".ci/run"
    text = script.read_text()
    assert os.access(script, os.X_OK)
    assert text.startswith("#!/usr/bin/env bash\n") and "set -euo pipefail" in text
    assert "python3 -m venv" in text and 'pip install -e ".[test]"' in text
    assert re.search(r"^\s*(exec )?pytest\b", text, flags=re.M)
    assert subprocess.run(["bash", "-n", str(script)]).returncode == 0  # syntax


def test_ci_script_runs_the_slurm_tests_on_the_testbed():
    """.ci/run starts the throw-away SLURM before pytest, stops it at exit (trap) and makes a
    missing scheduler a failure (NN_CI=1); the testbed script has up/down/status/env
    and is valid bash; the `slurm` marker is registered (an unknown marker is a warning, and
    warnings are errors here)."""
    ci = (ROOT / ".ci/run").read_text()
    testbed = ROOT / "profiles/slurm/testbed.sh"
    assert os.access(testbed, os.X_OK)
    assert subprocess.run(["bash", "-n", str(testbed)]).returncode == 0
    text = testbed.read_text()
    assert all(re.search(rf"^{cmd}\)", text, flags=re.M) for cmd in ("up", "down", "status", "env"))
    assert "profiles/slurm/testbed.sh" in ci and re.search(r'"\$testbed" up', ci)
    assert re.search(r"^trap cleanup EXIT$", ci, flags=re.M) and re.search(r'"\$testbed" down', ci)
    assert re.search(r"^export NN_CI=1$", ci, flags=re.M)
    assert ci.index('"$testbed" up') < ci.index("\npytest")
    with open(ROOT / "pyproject.toml", "rb") as f:
        markers = tomllib.load(f)["tool"]["pytest"]["ini_options"]["markers"]
    assert any(m.startswith("slurm:") for m in markers)
