"""End-to-end tests of the Snakemake pipeline on the quick configuration (config.quick.yaml).

Every run goes to a temporary working directory (`--directory`), never into the checkout.
The uninterrupted `--cores 2` run is made once per session (conftest.quick_run) and is the
reference the other runs are compared with, byte for byte: a `--cores 1` run, a run through
a (fake) cluster where every job is a separate submission, and a run killed with SIGKILL
three times and recovered with the documented command. The tests are generic over whatever
families the Snakefile includes.
"""

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import ENV, ROOT, differences, ok, processes_in, smk, smk_cmd, tree

from experiments.claims import VERDICTS, statements

pytestmark = pytest.mark.pipeline

# Which claims each family checks (the comments of config.yaml). A family "exists" when its
# run wrote results/<family>/claims.csv; then each of its claims needs a computed verdict.


def read_claims(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=False, dtype=str)


@pytest.mark.timeout(600)
def test_quick_run_claims_table(quick_run):
    """The quick run writes the claims table: every claim C01..C26 once, a verdict from the
    allowed set, and a computed verdict for every claim of every family that ran."""
    claims = read_claims(quick_run / "results/claims.csv")
    assert list(claims.columns) == ["claim", "statement", "kind", "measured", "criterion", "verdict", "evidence"]
    assert sorted(set(claims["claim"])) == [f"C{i:02d}" for i in range(1, 27)] == sorted(statements())
    assert claims["claim"].is_monotonic_increasing
    bad = claims[~claims["verdict"].isin([*VERDICTS, "not checked"])]
    assert bad.empty, f"verdicts outside the allowed set:\n{bad[['claim', 'verdict']]}"
    assert (quick_run / "results/claims.md").read_text().count("| C") >= 19

    families = sorted(p.parent.name for p in (quick_run / "results").glob("*/claims.csv"))
    assert "lecture_tables" in families
    checked = set(claims.loc[claims["verdict"] != "not checked", "claim"])
    for family in families:
        part = read_claims(quick_run / "results" / family / "claims.csv")
        assert part["verdict"].isin(VERDICTS).all(), f"{family}: a part row without a computed verdict"
        declared = ROOT / "experiments" / family / "claims.yaml"
        expected = set(part["claim"]) | set(yaml.safe_load(declared.read_text()) if declared.exists() else {})
        assert expected <= checked, f"family {family}: claims {sorted(expected - checked)} are 'not checked'"
        # the merged table carries the family's rows unchanged
        merged = claims[claims["claim"].isin(part["claim"])]
        for _, r in part.iterrows():
            same = merged[(merged["claim"] == r["claim"]) & (merged["measured"] == r["measured"])]
            assert (same["verdict"] == r["verdict"]).any(), f"{family} {r['claim']}: row lost in the merge"
    # every family's declared tables and figures exist and are not empty
    for p in list((quick_run / "results").rglob("*.csv")) + list((quick_run / "figures").rglob("*.png")):
        assert p.stat().st_size > 0, p


@pytest.mark.timeout(120)
def test_quick_run_is_idempotent(quick_run):
    """A second invocation on the finished run has nothing to do."""
    r = ok(smk(quick_run, "-n"))
    assert "Nothing to be done" in r.stdout + r.stderr


@pytest.mark.timeout(600)
def test_deterministic_across_runs_and_cores(quick_run, quick_tree, tmp_path):
    """A second run of the same configuration, with --cores 1 instead of 2, gives byte-identical
    tables (results/**/*.csv and their .md twins) and figures."""
    wd = tmp_path / "wd"
    ok(smk(wd, "--cores", "1"))
    assert any(k.endswith(".csv") for k in quick_tree)
    assert differences(quick_tree, tree(wd)) == []


def planned_jobs(wd: Path) -> list[tuple[str, tuple[str, ...]]]:
    """(rule, outputs) of every job a dry run plans in `wd`."""
    r = ok(smk(wd, "-n"))
    jobs = re.findall(r"^(?:local)?rule (\w+):\n(?:    .*\n)*?    output: (.*)$", r.stdout, flags=re.M)
    return sorted((rule, tuple(sorted(out.split(", ")))) for rule, out in jobs)


@pytest.mark.timeout(900)
def test_cluster_submits_every_job_separately(quick_tree, tmp_path):
    """Through the generic cluster executor (profiles/local-cluster: submit = run the jobscript in
    the background, plus a status script), each non-local job is one submission of its own, and
    the outputs equal the local run's byte for byte."""
    wd = tmp_path / "wd"
    planned = planned_jobs(wd)
    r = ok(smk(wd, "--profile", str(ROOT / "profiles/local-cluster")))
    log = r.stdout + r.stderr
    local_rules = set(re.findall(r"^localrule (\w+):", log, flags=re.M))
    assert {"all", "claims"} <= local_rules
    subs = [json.loads(line) for line in (wd / "logs/cluster/submissions.jsonl").read_text().splitlines()]
    assert all(s["type"] == "single" for s in subs), "jobs were grouped into one submission"
    submitted = sorted((s["rule"], tuple(sorted(s["output"]))) for s in subs)
    remote = [j for j in planned if j[0] not in local_rules]
    assert len(submitted) == len(remote) > 0
    assert submitted == remote
    assert not local_rules & {s["rule"] for s in subs}
    assert differences(quick_tree, tree(wd)) == []


def start(wd: Path, log: Path) -> subprocess.Popen:
    """The documented command (`snakemake --cores 2` with the default profile) in its own
    process group, so the whole group (Snakemake and its job processes) can be killed. Its
    output goes to a file (a pipe nobody reads would fill up and stall the run)."""
    with open(log, "w") as out:
        return subprocess.Popen(
            smk_cmd(wd, "--cores", "2"),
            cwd=ROOT,
            env=ENV,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def kill_group(proc: subprocess.Popen, wd: Path) -> None:
    """SIGKILL the whole process group, then any straggler still working in `wd`."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)
    time.sleep(0.2)
    stragglers = processes_in(wd)
    for pid in stragglers:
        os.kill(pid, signal.SIGKILL)
    assert stragglers == [], "job processes escaped the process-group kill"


def outputs_now(wd: Path) -> set[str]:
    return set(tree(wd))


@pytest.mark.timeout(900)
def test_kill_and_resume(quick_tree, tmp_path):
    """SIGKILL the run (whole process group) after 1 s, after 3 s, and as soon as a new output
    appears; after each kill every output file present is complete (identical to the reference
    run's), and `snakemake --unlock` followed by the same command resumes. The last resume runs
    to the end and gives outputs identical to an uninterrupted run."""
    wd = tmp_path / "wd"
    wd.mkdir()
    kills = []
    for point in ("1 s", "3 s", "first new output"):
        before = outputs_now(wd)
        log = tmp_path / f"run-{len(kills)}.log"
        proc = start(wd, log)
        if point == "first new output":
            deadline = time.monotonic() + 300
            while proc.poll() is None and not outputs_now(wd) - before and time.monotonic() < deadline:
                time.sleep(0.02)
        else:
            time.sleep(float(point.split()[0]))
        still_running = proc.poll() is None
        kill_group(proc, wd)
        if not still_running:  # it ended on its own before the kill point: it must have succeeded
            assert proc.returncode == 0, f"run before kill at {point} failed:\n{log.read_text()[-3000:]}"
        now = tree(wd)
        truncated = [k for k in now if now[k] != quick_tree.get(k)]
        assert truncated == [], f"after the kill at {point}, incomplete or wrong files: {truncated}"
        kills.append((point, still_running, len(now)))
        ok(smk(wd, "--unlock"))
    assert kills[0][1], "the run was not running 1 s after its start"
    assert any(k[1] and 0 < k[2] for k in kills), f"no kill hit the run in the middle: {kills}"
    ok(smk(wd, "--cores", "2"))  # the documented recovery: --unlock, then the same command
    assert differences(quick_tree, tree(wd)) == []
    assert "Nothing to be done" in ok(smk(wd, "-n")).stdout


@pytest.mark.timeout(300)
def test_report_is_one_self_contained_page(quick_run):
    """`snakemake --report report.html` after the run: one HTML file that opens on the claims
    table and embeds every figure, with no external resources; categories are numbered, one
    per family (the browser test in test_report.py checks what a reader sees)."""
    report = quick_run / "report.html"
    ok(smk(quick_run, "--report", str(report)))
    html = report.read_text()
    assert html.lstrip().lower().startswith("<!doctype html")
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']?(https?:)?//""", html), "external resource"
    assert 'table class=\\"claims\\"' in html  # the landing page (JSON-escaped in the page's data)
    figures = sorted(p.name for p in (quick_run / "figures").rglob("*.png"))
    assert figures
    missing = [f for f in figures if f not in html]
    assert missing == [], f"figures not in the report: {missing}"
    sources = [*sorted((ROOT / "experiments").rglob("*.smk")), *sorted((ROOT / "rules").glob("*.smk"))]
    pattern = r'(?:_CATEGORY\s*=\s*|category=)f?"(\d+\. [^"{}]+)"'
    categories = sorted({c for s in sources for c in re.findall(pattern, s.read_text())})
    assert any(c.startswith("1. ") for c in categories)
    assert [c for c in categories if c not in html] == []
    numbers = [c.split(".")[0] for c in categories]
    assert len(set(numbers)) == len(numbers), f"two categories share a number: {categories}"
