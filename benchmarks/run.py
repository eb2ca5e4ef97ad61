"""Benchmark harness: the core's training step against PyTorch (CPU) and scikit-learn.

    python -m benchmarks                 # all figures at 1 and 2 threads -> benchmarks/RESULTS.md
    python -m benchmarks --pipeline      # also the default and quick Snakemake pipelines (minutes)
    python -m benchmarks --quick         # fewer repeats (a smoke run; writes the same file)

Every measurement job runs in its own process (`benchmarks.worker`) with OMP/OPENBLAS/
MKL_NUM_THREADS set; the per-shape tables time each library in its own process, in rounds
(core, torch, scikit-learn, core, torch, ...), and a ratio is the median over the rounds of
the two libraries' times in the same round. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, when set
in the environment, are removed in the worker processes only (they pin OpenBLAS to an old
kernel); `--keep-openblas-env` keeps them. Peers that are not installed (the `bench` extra)
are skipped and marked n/a.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from benchmarks.pipeline import THREAD_VARS, pipeline_time, snakemake_threads
from benchmarks.report import render

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
OPENBLAS_PIN = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
LIBRARIES = ("core", "torch", "sklearn")


def worker_env(threads: int, keep_openblas: bool) -> dict:
    env = dict(os.environ) | {v: str(threads) for v in THREAD_VARS}
    return env if keep_openblas else {k: v for k, v in env.items() if k not in OPENBLAS_PIN}


def run_worker(job: str, threads: int, a) -> dict:
    """One job in a fresh process; its JSON result."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        cmd = [sys.executable, "-m", "benchmarks.worker", job, "--threads", str(threads), "--out", str(out)]
        cmd += ["--quick"] * a.quick + ["--no-compile"] * a.no_compile
        subprocess.run(cmd, env=worker_env(threads, a.keep_openblas_env), cwd=ROOT, check=True)
        return json.loads(out.read_text())


def installed(module: str) -> bool:
    return subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True).returncode == 0


def machine() -> dict:
    model = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        "unknown",
    )
    config = np.show_config(mode="dicts")
    versions = {"numpy": np.__version__}
    for module in ("torch", "sklearn"):
        if installed(module):
            versions[module] = subprocess.run(
                [sys.executable, "-c", f"import {module}; print({module}.__version__)"], capture_output=True, text=True
            ).stdout.strip()
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "blas": {k: config["Build Dependencies"]["blas"].get(k) for k in ("name", "version", "openblas configuration")},
        "simd": config["SIMD Extensions"],
        "openblas_pin": {v: os.environ.get(v) for v in OPENBLAS_PIN},
        "loadavg": os.getloadavg(),
        "versions": versions,
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer and shorter repeats")
    ap.add_argument("--pipeline", action="store_true", help="also time the default and quick pipelines")
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument(
        "--rounds", type=int, default=None, help="process rounds of the per-shape tables (default 3, quick 2)"
    )
    ap.add_argument("--no-compile", action="store_true", help="skip the torch.compile ensemble (minutes of compiling)")
    ap.add_argument("--keep-openblas-env", action="store_true", help="keep OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE")
    ap.add_argument("--output", type=Path, default=RESULTS)
    ap.add_argument("--raw", type=Path, help="also write the measurements (JSON) here")
    ap.add_argument(
        "--from-raw", type=Path, help="render RESULTS.md from measurements written by --raw, measure nothing"
    )
    a = ap.parse_args(argv)
    if a.from_raw:
        raw = json.loads(a.from_raw.read_text())
        raw["runs"]["shapes"] = {int(t): v for t, v in raw["runs"]["shapes"].items()}
        a.output.write_text(render(raw["info"], raw["runs"], raw["extra"], raw["cmd"]))
        return
    if 1 not in a.threads:
        ap.error("--threads must include 1")
    info = machine()
    libraries = [lib for lib, module in zip(LIBRARIES, ("numpy", "torch", "sklearn")) if installed(module)]
    rounds = a.rounds or (2 if a.quick else 3)
    shapes = {t: {lib: [] for lib in libraries} for t in sorted(a.threads)}
    for t in sorted(a.threads):
        for _ in range(rounds):  # a round: each library once, one after the other
            for lib in libraries:
                shapes[t][lib].append(run_worker(f"shapes-{lib}", t, a))
    runs = {"shapes": shapes, "ensemble": run_worker("ensemble", 1, a), "probes": run_worker("probes", 1, a)}
    extra = {"keep_openblas": a.keep_openblas_env, "snakemake_threads": snakemake_threads(), "rounds": rounds}
    if a.pipeline:
        extra["pipeline"] = [pipeline_time("config.yaml"), pipeline_time("config.quick.yaml")]
    extra["loadavg_end"] = os.getloadavg()
    cmd = "python -m benchmarks" + " --pipeline" * a.pipeline + " --quick" * a.quick + " --no-compile" * a.no_compile
    if a.raw:
        a.raw.write_text(json.dumps({"info": info, "runs": runs, "extra": extra, "cmd": cmd}))
    a.output.write_text(render(info, runs, extra, cmd))
    print(f"wrote {a.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
