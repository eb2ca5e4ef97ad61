"""Shared by the cross-CPU tests: run a family's steps with NumPy's SIMD dispatch lowered (as on
another CPU: AVX-512 changes np.exp's bits) and compare the tables with a normal run. BLAS
settings are never touched (some machines pin OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE)."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy._core._multiarray_umath import __cpu_features__

ROOT = Path(__file__).resolve().parents[1]
NO_AVX512 = "AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX512_SPR X86_V4"
needs_avx512 = pytest.mark.skipif(
    not __cpu_features__.get("AVX512F"), reason="this CPU has no AVX-512: disabling it changes nothing"
)


def run_lowered(function: str, *args) -> None:
    """Call `function` ('tests.test_x.run_steps') with JSON-able `args` (paths as str) in a
    subprocess whose NumPy dispatches no AVX-512 kernels."""
    module, name = function.rsplit(".", 1)
    code = f"import json, sys; from {module} import {name}; {name}(*json.loads(sys.argv[1]))"
    path = os.pathsep.join([str(ROOT), str(ROOT / "tests")])  # tests import their helpers as pytest does
    env = {**os.environ, "NPY_DISABLE_CPU_FEATURES": NO_AVX512, "PYTHONPATH": path}
    r = subprocess.run(
        [sys.executable, "-c", code, json.dumps(args)], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert r.returncode == 0, r.stderr[-3000:]


def run_steps(family: str, block: dict, out: str) -> None:
    """Every step of experiments.<family> on `block`, every cell, in pipeline order (the order
    of STEPS), into out/results and out/figures."""
    steps = importlib.import_module(f"experiments.{family}.__main__").STEPS
    for step in steps.values():
        for cfg in step.cells(block).values():
            step.run(cfg, Path(out) / "results", Path(out) / "figures")


def same_tables_without_avx512(family: str, block: dict, tmp_path: Path, rtol: float = 1e-9) -> dict:
    """The family's steps run normally and with AVX-512 off give the same tables (see
    assert_same_tables); returns them."""
    run_steps(family, block, str(tmp_path / "normal"))
    run_lowered("lowered.run_steps", family, block, str(tmp_path / "no_avx512"))
    a, b = tables(tmp_path / "normal" / "results"), tables(tmp_path / "no_avx512" / "results")
    assert_same_tables(a, b, rtol=rtol)
    return a


def tables(folder: Path) -> dict[str, pd.DataFrame]:
    return {p.relative_to(folder).as_posix(): pd.read_csv(p) for p in sorted(Path(folder).rglob("*.csv"))}


def assert_same_tables(a: dict, b: dict, rtol: float = 1e-9) -> None:
    """Integers, booleans, names and verdicts identical; real columns within `rtol`."""
    assert a.keys() == b.keys()
    for name in a:
        x, y = a[name], b[name]
        assert list(x.columns) == list(y.columns) and x.shape == y.shape, name
        for col in x.columns:
            if x[col].dtype.kind == "f":
                np.testing.assert_allclose(x[col], y[col], rtol=rtol, atol=1e-12, err_msg=f"{name}:{col}")
            elif col != "measured":  # the row text prints reals; everything else must agree exactly
                assert x[col].tolist() == y[col].tolist(), f"{name}:{col}"
