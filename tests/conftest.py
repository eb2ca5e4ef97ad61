"""Shared helpers for the pipeline tests: run Snakemake on the quick configuration in a
temporary working directory, once per test session, and compare output trees."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mlp.activations import ACTIVATIONS

ROOT = Path(__file__).resolve().parents[1]
QUICK = ROOT / "config.quick.yaml"
SMK = [sys.executable, "-m", "snakemake"]
# jobs are single-threaded (threads: 1); keep BLAS from oversubscribing the shared cores
ENV = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
TABLES = ("results/**/*.csv", "results/**/*.md")
FIGURES = ("figures/**/*.png",)


def smk_cmd(wd: Path, *args: str, configfile: Path = QUICK) -> list[str]:
    """The documented command, run from the checkout (so profiles/default applies) with the
    outputs in `wd`."""
    return [*SMK, "--configfile", str(configfile), "--directory", str(wd), *args]


def smk(wd: Path, *args: str, configfile: Path = QUICK, timeout: float = 600, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        smk_cmd(wd, *args, configfile=configfile),
        cwd=ROOT,
        env=ENV if env is None else env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def ok(r: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert r.returncode == 0, f"snakemake failed (rc {r.returncode}):\n{r.stderr[-4000:]}"
    return r


def tree(wd: Path, patterns=TABLES + FIGURES) -> dict[str, bytes]:
    """relative path -> bytes of every output file matching `patterns` (hidden temporaries excluded)."""
    out = {}
    for pattern in patterns:
        for p in sorted(wd.glob(pattern)):
            if p.is_file() and not p.name.startswith("."):
                out[p.relative_to(wd).as_posix()] = p.read_bytes()
    return out


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    """Human-readable differences between two trees (empty if byte-identical)."""
    diff = [f"only in first: {k}" for k in sorted(a.keys() - b.keys())]
    diff += [f"only in second: {k}" for k in sorted(b.keys() - a.keys())]
    diff += [f"content differs: {k}" for k in sorted(a.keys() & b.keys()) if a[k] != b[k]]
    return diff


@pytest.fixture(scope="session")
def quick_run(tmp_path_factory) -> Path:
    """The quick configuration run once with `--cores 2`; several tests read it."""
    wd = tmp_path_factory.mktemp("quick") / "quick run"  # a space in the path, as on many laptops
    ok(smk(wd, "--cores", "2"))
    return wd


@pytest.fixture(scope="session")
def quick_tree(quick_run) -> dict[str, bytes]:
    return tree(quick_run)


def processes_in(wd: Path) -> list[int]:
    """Pids of processes whose working directory is inside `wd` (Snakemake and its jobs; a
    SLURM job runs in its -D <workdir>)."""
    pids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                cwd = os.readlink(d / "cwd")
            except OSError:
                continue
            if cwd == str(wd) or cwd.startswith(f"{wd}/"):
                pids.append(int(d.name))
    return pids


@pytest.fixture
def restore_activations():
    """Activations registered inside a test (e.g. relu variants) are gone after it: other tests
    iterate over the registry."""
    before = dict(ACTIVATIONS)
    yield
    ACTIVATIONS.clear()
    ACTIVATIONS.update(before)
