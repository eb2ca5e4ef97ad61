"""The cluster profile (profiles/slurm) on a real SLURM scheduler.

These tests need a reachable SLURM with accounting (slurmdbd): `sinfo` and `sacct` must answer.
On Debian, as root, `profiles/slurm/testbed.sh up` starts a throw-away single-node one (munge,
MariaDB, slurmdbd, slurmctld, slurmd; about 6 s once the packages are installed) and
`profiles/slurm/testbed.sh down` removes it again; the tests find it by themselves (SLURM_CONF,
else the testbed's default location). Without a scheduler they are skipped, unless
NN_CI=1 (set by .ci/run): then a missing scheduler is a failure.

What is checked, each against the real scheduler, through `--profile profiles/slurm` as shipped
(job arrays for the sweep rules, retries, rerun-incomplete):
- the quick configuration finishes and its tables and figures are byte-identical to a local
  run (conftest.quick_tree);
- what every rule asks for (mem_mb, runtime, cpus_per_task, slurm_partition, from a dry run
  through the profile) is what `sacct` reports each job got, and the sweep rules went out as
  job arrays;
- a run of the sweep cells (the job-array rules) killed midway (SIGKILL to Snakemake's process
  group, `scancel` of its jobs) refuses to start again until `snakemake --unlock`, then the same
  command finishes to the same bytes;
- a job that fails once is resubmitted by the profile's `retries` and the run succeeds (a
  tiny test-only workflow in a temporary directory; the project's code has no test hooks).

The only additions to the profile on the command line: a job-name prefix per test (so leftover
jobs can be cancelled, and `sacct` filtered, by name) and 2-second status polling (the
plugin's default waits 40 s before the first check and after each finished job; right for a
busy cluster, slow for a test). Every SLURM run has a hard timeout; on a timeout or a failure
its process group is killed and its jobs are cancelled.
"""

import os
import re
import shutil
import signal
import subprocess
import time
import uuid
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml
from conftest import ENV, ROOT, SMK, differences, ok, processes_in, smk, smk_cmd, tree

pytestmark = [pytest.mark.slurm, pytest.mark.pipeline]

PROFILE = ROOT / "profiles/slurm"
TESTBED_CONF = Path(os.environ.get("SLURM_TESTBED_DIR", "/tmp/nn-slurm-testbed")) / "etc/slurm.conf"
REQUIRED = os.environ.get("NN_CI") == "1"
HOW = (
    "start the throw-away single-node SLURM (Debian, as root): `profiles/slurm/testbed.sh up`, "
    "then `pytest -m slurm`; stop it with `profiles/slurm/testbed.sh down`"
)
# test-only speed-up: poll job states every 2 s (the plugin's default first wait is 40 s)
FAST = ["--slurm-init-seconds-before-status-checks", "2", "--seconds-between-status-checks", "2"]
RUN_TIMEOUT = 600  # seconds for one SLURM run of the quick configuration (2-5 min on 2 cores)
SACCT_FIELDS = ["JobID", "JobName", "Comment", "Partition", "Account", "ReqMem", "Timelimit", "ReqCPUS", "State"]


def slurm_env() -> dict[str, str]:
    """The test environment, pointed at the testbed if SLURM_CONF is not set and it is up."""
    env = dict(ENV)
    if "SLURM_CONF" not in env and TESTBED_CONF.exists():
        env["SLURM_CONF"] = str(TESTBED_CONF)
    return env


SENV = slurm_env()


def scheduler_problem() -> str | None:
    """Why no usable SLURM (with accounting) is reachable, or None."""
    conf = SENV.get("SLURM_CONF")
    if conf and not Path(conf).is_file():  # the clients would retry reading it for 60 s
        return f"SLURM_CONF={conf} does not exist"
    for cmd in (["sinfo", "-h", "-o", "%P %a"], ["sacct", "-n", "-X", "-S", "now-1minutes"]):
        if shutil.which(cmd[0]) is None:
            return f"`{cmd[0]}` is not installed"
        try:
            r = subprocess.run(cmd, env=SENV, capture_output=True, text=True, timeout=20)
        except subprocess.TimeoutExpired:
            return f"`{' '.join(cmd)}` did not answer within 20 s"
        if r.returncode != 0:
            return f"`{' '.join(cmd)}` failed: {(r.stderr or r.stdout).strip()[:300]}"
    return None


@pytest.fixture(scope="session", autouse=True)
def slurm_scheduler():
    """Skip (or, with NN_CI=1, fail) every test here if there is no scheduler.
    Session-scoped and autouse, so it runs before the (slow) quick_tree fixture."""
    problem = scheduler_problem()
    if problem:
        if REQUIRED:
            pytest.fail(f"NN_CI=1 but no SLURM scheduler is reachable: {problem}. {HOW}", pytrace=False)
        pytest.skip(f"no SLURM scheduler with accounting reachable ({problem}); {HOW}")


# ---------------------------------------------------------------- helpers


def slurm(*cmd: str, timeout: float = 30) -> str:
    r = subprocess.run(list(cmd), env=SENV, capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, f"{' '.join(cmd)} failed: {r.stderr[-2000:]}"
    return r.stdout


def queued(prefix: str) -> list[str]:
    """Job ids in the queue (pending or running) whose name starts with the test's prefix."""
    out = slurm("squeue", "-h", "-o", "%A|%j")
    return sorted({line.split("|", 1)[0] for line in out.splitlines() if line.split("|", 1)[1].startswith(prefix)})


def cancel(prefix: str, wait: float = 60) -> list[str]:
    """scancel every job of this prefix and wait until the queue has none; returns their ids."""
    jobs = queued(prefix)
    if jobs:
        subprocess.run(["scancel", *jobs], env=SENV, capture_output=True, timeout=30)
        deadline = time.monotonic() + wait
        while queued(prefix) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert queued(prefix) == [], f"jobs still queued {wait} s after scancel: {queued(prefix)}"
    return jobs


@pytest.fixture
def prefix():
    """A job-name prefix of this test's own; whatever is left of its jobs is cancelled at the end."""
    p = f"nntest_{uuid.uuid4().hex[:10]}"
    yield p
    cancel(p)


def start(cmd: list[str], log: Path, cwd: Path = ROOT) -> subprocess.Popen:
    """Snakemake in its own process group, its output in a file (a pipe nobody reads stalls it)."""
    if HUNG:
        pytest.fail(f"not starting another SLURM run: an earlier one hung ({HUNG[0]})")
    with open(log, "w") as out:
        return subprocess.Popen(cmd, cwd=cwd, env=SENV, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)


HUNG = []  # a run that timed out: the scheduler (or the plugin) is stuck; do not start more


def finish(proc: subprocess.Popen, log: Path, prefix: str, timeout: float = RUN_TIMEOUT) -> str:
    """Wait for a run with a hard timeout: on expiry kill its group, cancel its jobs and fail.
    Returns the log (check proc.returncode)."""
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        HUNG.append(log)
        kill_group(proc)
        cancel(prefix)
        pytest.fail(f"the SLURM run did not finish within {timeout} s; last log lines:\n{log.read_text()[-3000:]}")
    finally:
        if proc.poll() is None:  # interrupted (e.g. by pytest-timeout): leave nothing behind
            kill_group(proc)
            cancel(prefix)
    return log.read_text()


def profile_cmd(wd: Path, prefix: str, *args: str) -> list[str]:
    """The documented command (`snakemake --profile profiles/slurm`) on the quick configuration
    in `wd`, plus the test's job-name prefix and fast polling."""
    return smk_cmd(wd, "--profile", str(PROFILE), "--slurm-jobname-prefix", prefix, *FAST, *args)


def run_id(log: str) -> str:
    m = re.search(r"^SLURM run ID: (\S+)$", log, flags=re.M)
    assert m, "no 'SLURM run ID' in the Snakemake log"
    return m.group(1)


def sacct(name: str, since: datetime) -> list[dict[str, str]]:
    """sacct's allocation lines (-X) for one Snakemake run (its SLURM job name)."""
    out = slurm(
        "sacct", "-X", "--parsable2", "--noheader", "--name", name,
        "-S", since.strftime("%Y-%m-%dT%H:%M:%S"), "-E", "now", "-o", ",".join(SACCT_FIELDS),
    )  # fmt: skip
    return [dict(zip(SACCT_FIELDS, line.split("|"))) for line in out.splitlines() if line]


def rule_of(comment: str) -> str:
    """The SLURM executor's job comment is rule_<rule> or rule_<rule>_wildcards_<values>."""
    assert comment.startswith("rule_"), comment
    return comment[len("rule_") :].split("_wildcards_", 1)[0]


def mem_mb(reqmem: str) -> int:
    """sacct ReqMem (22.05: '500M'; older: '500Mn' / '500Mc') in MB."""
    m = re.fullmatch(r"([\d.]+)([KMGT])[nc]?", reqmem)
    assert m, reqmem
    return round(float(m.group(1)) * {"K": 1 / 1024, "M": 1, "G": 1024, "T": 1024**2}[m.group(2)])


def minutes(timelimit: str) -> int:
    """sacct Timelimit ([D-]HH:MM:SS or MM:SS) in minutes."""
    days, _, hms = timelimit.rpartition("-")
    parts = [int(x) for x in hms.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    h, m, s = parts
    return (int(days or 0) * 24 + h) * 60 + m + (s > 0)


def dry_run(wd: Path, *args: str) -> str:
    """The dry run through the profile in `wd` (fresh: every job of the quick configuration)."""
    return ok(smk(wd, "-n", "--profile", str(PROFILE), *args)).stdout


def is_array_rule(rule: str) -> bool:
    """Whether the profile's `slurm-array-jobs` (`all` or "rule1,rule2") selects `rule`."""
    prof = yaml.safe_load((PROFILE / "config.yaml").read_text())
    selected = {r.strip() for r in prof["slurm-array-jobs"].split(",")}
    return "all" in selected or rule in selected


def total_jobs(log: str) -> int:
    """The 'total' of the first job-stats table in a Snakemake log."""
    m = re.search(r"^total\s+(\d+)$", log, flags=re.M)
    assert m, "no job stats in the log"
    return int(m.group(1))


def planned_resources(dry: str) -> dict[str, list[tuple]]:
    """rule -> [(mem_mb, runtime, cpus_per_task, partition)] of every job a dry run through the
    profile plans (the dry run does not mark localrules; a real run's log does)."""
    jobs = re.findall(r"^rule (\w+):\n(?:    .*\n)*?    resources: (.*)$", dry, flags=re.M)
    assert jobs, "the dry run planned no SLURM jobs"
    planned = defaultdict(list)
    for rule, res in jobs:
        res = dict(kv.split("=", 1) for kv in res.split(", "))
        planned[rule].append(
            (int(res["mem_mb"]), int(res["runtime"]), int(res["cpus_per_task"]), res["slurm_partition"])
        )
    return planned


# ---------------------------------------------------------------- retries

FLAKY = """\
# test-only workflow: `flaky` fails on its first attempt (it leaves a marker that is not an
# output, so the failed attempt's cleanup keeps it), `steady` never fails
rule all:
    input:
        "steady.txt",
        "flaky.txt",


localrules:
    all,


rule steady:
    output:
        "steady.txt",
    resources:
        mem_mb=100,
        runtime=2,
    shell:
        "echo steady > {output}"


rule flaky:
    output:
        "flaky.txt",
    resources:
        mem_mb=100,
        runtime=2,
    shell:
        "if [ ! -e failed-once ]; then date > failed-once; echo failing on purpose >&2; exit 3; fi; "
        "echo flaky > {output}"
"""


@pytest.mark.timeout(300)
def test_profile_retries_a_job_that_fails_once(tmp_path, prefix):
    """With the profile's `retries`, a job that fails once is resubmitted and the run succeeds:
    sacct shows the failed and the completed attempt of `flaky` and one job of `steady`."""
    wd = tmp_path / "wd"
    wd.mkdir()
    (wd / "Snakefile").write_text(FLAKY)
    prof = yaml.safe_load((PROFILE / "config.yaml").read_text())
    assert prof["retries"] >= 1
    since = datetime.now() - timedelta(minutes=1)
    cmd = [*SMK, "--snakefile", str(wd / "Snakefile"), "--directory", str(wd), "--profile", str(PROFILE)]
    cmd += ["--slurm-jobname-prefix", prefix, *FAST]
    proc = start(cmd, tmp_path / "run.log", cwd=wd)
    log = finish(proc, tmp_path / "run.log", prefix, timeout=180)
    assert proc.returncode == 0, f"the run failed despite retries:\n{log[-4000:]}"
    assert log.count("Error in rule flaky") == 1 and "Trying to restart job" in log, log[-4000:]
    assert (wd / "flaky.txt").read_text() == "flaky\n" and (wd / "failed-once").exists()
    states = Counter((rule_of(x["Comment"]), x["State"]) for x in sacct(run_id(log), since))
    assert states == {("flaky", "FAILED"): 1, ("flaky", "COMPLETED"): 1, ("steady", "COMPLETED"): 1}, states


# ---------------------------------------------------------------- the quick configuration


@pytest.fixture(scope="module")
def slurm_quick(tmp_path_factory, quick_tree):
    """The quick configuration through profiles/slurm, once for this module:
    (working dir, Snakemake log, sacct lines of its jobs, the prefix)."""
    wd = tmp_path_factory.mktemp("slurm-quick") / "wd"
    p = f"nntest_{uuid.uuid4().hex[:10]}"
    since = datetime.now() - timedelta(minutes=1)
    log_path = wd.parent / "run.log"
    t0 = time.monotonic()
    try:
        proc = start(profile_cmd(wd, p), log_path)
        log = finish(proc, log_path, p)
    finally:
        cancel(p)
    assert proc.returncode == 0, f"the SLURM run of the quick configuration failed:\n{log[-4000:]}"
    assert "Nothing to be done" not in log
    took = time.monotonic() - t0
    lines = sacct(run_id(log), since)
    print(f"SLURM run of the quick configuration: {took:.0f} s, {len(lines)} SLURM jobs")
    return wd, log, lines, p


@pytest.mark.timeout(1200)  # includes the module's SLURM run and, if not yet made, the local quick run
def test_quick_config_on_slurm_is_byte_identical_to_local(slurm_quick, quick_tree):
    """The quick configuration through profiles/slurm (job arrays on) finishes, and its tables
    and figures equal the local `--cores 2` run's byte for byte; afterwards nothing is left to do."""
    wd, log, lines, _ = slurm_quick
    assert re.search(r"^\d+ of \d+ steps \(100%\) done$", log, flags=re.M), log[-3000:]
    assert "Submitted array job" in log, "no job array was submitted"
    assert lines and all(x["State"] == "COMPLETED" for x in lines), [x for x in lines if x["State"] != "COMPLETED"]
    assert any(k.endswith(".csv") for k in quick_tree) and any(k.endswith(".png") for k in quick_tree)
    assert differences(quick_tree, tree(wd)) == []
    assert "Nothing to be done" in ok(smk(wd, "-n", "--profile", str(PROFILE))).stdout


@pytest.mark.timeout(1200)
def test_sacct_reports_the_resources_each_rule_requests(slurm_quick, tmp_path):
    """Every job the dry run plans for SLURM ran there exactly once, with the memory, time limit,
    CPUs and partition its rule requests (as sacct reports them), under the user's default
    account; the rules `slurm-array-jobs` selects went out as job arrays (one per rule with several jobs); localrules never
    reached the scheduler."""
    _, log, lines, _ = slurm_quick
    local_rules = set(re.findall(r"^localrule (\w+):", log, flags=re.M))
    assert {"all", "claims"} <= local_rules
    planned = planned_resources(dry_run(tmp_path / "dry"))
    assert local_rules <= set(planned)
    planned = {rule: jobs for rule, jobs in planned.items() if rule not in local_rules}
    got = defaultdict(list)
    arrays = defaultdict(set)
    for x in lines:
        rule = rule_of(x["Comment"])
        array_task = re.fullmatch(r"(\d+)_(\d+)", x["JobID"])
        if array_task:
            arrays[rule].add(array_task.group(1))
        got[rule].append(
            (mem_mb(x["ReqMem"]), minutes(x["Timelimit"]), int(x["ReqCPUS"]), x["Partition"], bool(array_task))
        )
    assert not local_rules & set(got), f"localrules reached SLURM: {local_rules & set(got)}"
    assert sorted(got) == sorted(planned), "the rules sacct saw differ from the rules planned for SLURM"
    bad = []
    for rule, jobs in planned.items():
        want = sorted(jobs)
        have = sorted(got[rule])
        if len(have) != len(want):
            bad.append(f"{rule}: {len(want)} jobs planned, sacct reports {len(have)}")
            continue
        for (w_mem, w_time, w_cpu, w_part), (h_mem, h_time, h_cpu, h_part, in_array) in zip(want, have):
            # the plugin adds ~1 MB to an array's --mem for the task table it passes along
            mem_ok = w_mem <= h_mem <= w_mem + 8 if in_array else h_mem == w_mem
            if not (mem_ok and h_time == w_time and h_cpu == w_cpu and h_part == w_part):
                bad.append(
                    f"{rule}: asked mem_mb={w_mem} runtime={w_time} cpus={w_cpu} partition={w_part}; "
                    f"sacct: ReqMem={h_mem}M Timelimit={h_time}min ReqCPUS={h_cpu} Partition={h_part}"
                )
    assert bad == [], "\n".join(bad)

    for rule, jobs in planned.items():
        if is_array_rule(rule) and len(jobs) > 1:
            assert len(arrays[rule]) == 1, f"{rule}: {len(jobs)} jobs, expected one job array, got {arrays[rule]}"
        elif not is_array_rule(rule):
            assert not arrays[rule], f"{rule} is not in slurm-array-jobs but was submitted as an array"

    user = slurm("id", "-un").strip()
    default = slurm("sacctmgr", "-n", "-P", "show", "user", user, "format=DefaultAccount").strip()
    assert {x["Account"] for x in lines} == {default}, "jobs did not run under the user's default account"


# ---------------------------------------------------------------- killed and resumed


@pytest.mark.timeout(1200)
def test_killed_slurm_run_resumes_to_the_same_bytes(quick_tree, tmp_path, prefix):
    """The sweep cells (the rules with more than one job, which go out as job arrays: `--until`
    them, to keep this test short; the whole configuration runs in the tests above). SIGKILL Snakemake's process group when
    some SLURM jobs have finished and others are in flight, scancel its jobs (after which
    nothing runs in the working dir any more). The same command then refuses (the directory is
    locked); `snakemake --unlock` and the same command again finish the run, rerunning only what
    was missing or incomplete, to outputs identical to the local run's."""
    wd = tmp_path / "wd"
    wd.mkdir()
    sweeps = [rule for rule, jobs in planned_resources(dry_run(tmp_path / "plan")).items() if len(jobs) > 1]
    until = ["--until", *sweeps]
    everything = total_jobs(dry_run(tmp_path / "dry", *until))
    log1 = tmp_path / "run-1.log"
    proc = start(profile_cmd(wd, prefix, *until), log1)
    try:  # midway: a few jobs finished (Snakemake saw them succeed), others queued or running
        deadline = time.monotonic() + 240
        while proc.poll() is None and time.monotonic() < deadline:
            if len(re.findall(r"^Finished jobid: ", log1.read_text(), flags=re.M)) >= 3 and queued(prefix):
                break
            time.sleep(0.5)
        assert proc.poll() is None, f"the run ended before the kill:\n{log1.read_text()[-3000:]}"
        assert queued(prefix), "no point with 3 jobs finished and others in flight within 240 s"
    finally:
        kill_group(proc)
    in_flight = cancel(prefix)
    assert in_flight, "no SLURM job was left to cancel"
    deadline = time.monotonic() + 30  # the job's processes get SIGTERM, then SIGKILL after KillWait
    while processes_in(wd) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert processes_in(wd) == [], "a cancelled job still runs in the working directory after 30 s"
    done_before = len(tree(wd))

    again = start(profile_cmd(wd, prefix, *until), tmp_path / "run-2.log")
    log = finish(again, tmp_path / "run-2.log", prefix, timeout=120)
    assert again.returncode != 0 and "LockException" in log, log[-3000:]

    ok(smk(wd, "--unlock", "--profile", str(PROFILE)))
    resume = start(profile_cmd(wd, prefix, *until), tmp_path / "run-3.log")
    log = finish(resume, tmp_path / "run-3.log", prefix)
    assert resume.returncode == 0, f"the resumed run failed:\n{log[-4000:]}"
    total = total_jobs(log)
    assert 0 < total < everything, f"the resume planned {total} of {everything} jobs"
    assert total_jobs(dry_run(wd, *until)) == 0  # complete
    now = tree(wd)
    assert len(now) > done_before and any(k.endswith(".csv") for k in now)
    assert set(now) <= set(quick_tree), f"not written by the local run: {sorted(set(now) - set(quick_tree))}"
    assert differences({k: quick_tree[k] for k in now}, now) == []  # and the same bytes
    print(
        f"killed with {done_before} outputs written and {len(in_flight)} SLURM jobs in flight; "
        f"the resume ran {total} of {everything} jobs"
    )
