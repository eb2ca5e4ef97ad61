"""Paths with spaces: a checkout, an interpreter and a working directory whose names contain
spaces (common on laptops: "My Documents", "Google Drive") run the pipeline unchanged."""

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from conftest import ENV, QUICK, ROOT

IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "venv", "results", "figures", "logs", ".snakemake", "__pycache__", ".pytest_cache", "*.egg-info"
)


def spaced_python(where: Path) -> Path:
    """An interpreter at a path with a space that sees this environment's packages (a bare venv
    whose site-packages adds ours)."""
    venv = where / "my venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    site = Path(sysconfig.get_paths(vars={"base": str(venv), "platbase": str(venv)})["purelib"])
    ours = sysconfig.get_paths()["purelib"]
    (site / "parent_env.pth").write_text(f"import site; site.addsitedir({ours!r})\n")
    return venv / "bin" / "python"


@pytest.mark.timeout(600)
def test_pipeline_runs_from_paths_with_spaces(tmp_path):
    base = tmp_path / "my projects"
    checkout = base / "nn suite"
    shutil.copytree(ROOT, checkout, ignore=IGNORE)
    python = spaced_python(base)
    wd = base / "run output"
    env = {**ENV, "PYTHONPATH": str(checkout)}
    cmd = [str(python), "-m", "snakemake", "--cores", "2", "--configfile", str(QUICK), "--directory", str(wd)]
    r = subprocess.run(
        [*cmd, "results/lecture_tables/claims.csv"], cwd=checkout, env=env, capture_output=True, text=True, timeout=500
    )
    assert r.returncode == 0, r.stderr[-3000:]
    assert (wd / "figures/lecture_tables/table_3_6.png").stat().st_size > 1000
    log = (wd / "logs/lecture_tables/run.log").read_text()
    assert "lecture_tables run: done" in log
    report = wd / "report file.html"
    r = subprocess.run(
        [*cmd, "--report", str(report)], cwd=checkout, env=env, capture_output=True, text=True, timeout=300
    )
    assert r.returncode == 0, r.stderr[-3000:]
    assert report.stat().st_size > 100_000
