"""The pipeline's cost: wall time of the whole default and quick pipelines on 2 cores in a
temporary directory, per-job wall / CPU time and peak memory read from the job logs, and
the BLAS thread count a Snakemake job sees.

Per-job figures come from the lines every family CLI writes at the end of its log
(`<family> <step>[ cell c]: done in X s`, `process CPU time X s, peak memory Y MB`, see
experiments/cli.py). Snakemake `benchmark:` files cannot be used: a missing benchmark
file makes Snakemake rerun the job, so a fresh clone would rerun everything.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
DONE = re.compile(r"^(?P<what>\S+ \S+(?: cell \S+)?): done in (?P<s>[0-9.]+) s$")
USAGE = re.compile(r"^process CPU time (?P<cpu>[0-9.]+) s, peak memory (?P<mb>[0-9.]+) MB$")


def job_figures(log: Path) -> dict:
    """{"wall": sum of the 'done in' times or None, "cpu", "mb"} from one job log."""
    wall, cpu, mb = [], None, None
    for line in log.read_text(errors="replace").splitlines():
        if m := DONE.match(line.strip()):
            wall.append(float(m["s"]))
        elif m := USAGE.match(line.strip()):
            cpu, mb = float(m["cpu"]), float(m["mb"])
    return {"wall": sum(wall) if wall else None, "cpu": cpu, "mb": mb}


def pipeline_time(config: str) -> dict:
    """Wall time of the whole pipeline on a copy of the workflow sources, in a fresh
    directory, and the figures of every job log: {"config", "seconds", "returncode", "jobs"}."""
    snakemake = Path(sys.executable).with_name("snakemake")
    ignore = shutil.ignore_patterns(
        ".venv", ".git", ".snakemake", "results", "figures", "logs", "*.egg-info", "__pycache__"
    )
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        src, run = Path(tmp) / "src", Path(tmp) / "run"
        shutil.copytree(ROOT, src, ignore=ignore)
        run.mkdir()
        cmd = [str(snakemake), "--cores", "2", "--snakefile", str(src / "Snakefile"), "--directory", str(run)]
        cmd += ["--configfile", str(src / config), "-q"]
        t = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True)
        seconds = time.perf_counter() - t
        jobs = {
            str(log.relative_to(run / "logs").with_suffix("")): job_figures(log)
            for log in sorted((run / "logs").rglob("*.log"))
        }
    return {"config": config, "seconds": seconds, "returncode": p.returncode, "tail": p.stderr[-2000:], "jobs": jobs}


THREADS_SNAKEFILE = """
rule all:
    input: expand("env_{i}.txt", i=range(4))

rule probe:
    output: "env_{i}.txt"
    threads: 1
    shell: "{PY} -c {CODE:q} > {output}"
"""
THREADS_CODE = (
    "import os, json, numpy, threadpoolctl; "
    f"print(json.dumps({{v: os.environ.get(v) for v in {THREAD_VARS!r}}} "
    "| {'blas_threads': [i['num_threads'] for i in threadpoolctl.threadpool_info()]}))"
)


def snakemake_threads() -> dict:
    """What BLAS thread count a `threads: 1` shell job sees when Snakemake runs 4 at --cores 2."""
    snakemake = Path(sys.executable).with_name("snakemake")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "Snakefile").write_text(f"PY = {sys.executable!r}\nCODE = {THREADS_CODE!r}\n" + THREADS_SNAKEFILE)
        env = {k: v for k, v in os.environ.items() if k not in THREAD_VARS}  # as a user's shell would
        cmd = [str(snakemake), "--cores", "2", "--snakefile", str(Path(tmp) / "Snakefile"), "--directory", tmp, "-q"]
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        return {i: json.loads((Path(tmp) / f"env_{i}.txt").read_text()) for i in range(4)}
