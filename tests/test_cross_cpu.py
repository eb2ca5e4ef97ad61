"""The same commit on another CPU gives the same verdicts and integers: the quick pipeline run
with NumPy's SIMD dispatch lowered (another CPU's `np.exp`, `np.log`, ...) against the
normal run. BLAS settings are never touched (some machines pin OPENBLAS_CORETYPE /
OPENBLAS_L2_SIZE); BLAS-kernel differences are covered by the ulp-perturbation tests of the
families."""

import io

import numpy as np
import pandas as pd
import pytest
from conftest import ENV, ok, smk, tree
from numpy._core._multiarray_umath import __cpu_features__ as FEATURES

# what to switch off: AVX-512 where the CPU has it (it changes np.exp's bits), else AVX2
AVX512 = "AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX512_SPR X86_V4"
LOWERED = AVX512 if FEATURES.get("AVX512F") else "X86_V3"
REL = 1e-9  # real columns: the stated precision of a table value across CPUs


def table(raw: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(raw), keep_default_na=False)


def compare(a: pd.DataFrame, b: pd.DataFrame) -> list[str]:
    """Differences that matter: columns, rows, any non-float cell, floats beyond REL."""
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return [f"shape {a.shape} vs {b.shape}"]
    out = []
    for col in a.columns:
        x, y = a[col], b[col]
        if x.dtype.kind == "f" and y.dtype.kind == "f":
            bad = ~np.isclose(x, y, rtol=REL, atol=0, equal_nan=True)
            out += [f"{col}: {x[bad].iloc[0]!r} vs {y[bad].iloc[0]!r} ({bad.sum()} rows)"] if bad.any() else []
        elif col not in ("measured",) and not x.equals(y):
            i = int(np.flatnonzero(x.astype(str).to_numpy() != y.astype(str).to_numpy())[0])
            out.append(f"{col} row {i}: {x.iloc[i]!r} vs {y.iloc[i]!r}")
    return out


@pytest.mark.timeout(900)
def test_lowered_simd_gives_the_same_verdicts_integers_and_figures(quick_tree, tmp_path):
    wd = tmp_path / "lowered"
    env = {**ENV, "NPY_DISABLE_CPU_FEATURES": LOWERED}
    ok(smk(wd, "--cores", "2", env=env))
    other = tree(wd)
    assert sorted(other) == sorted(quick_tree)
    problems = {}
    for path in sorted(quick_tree):
        if path.endswith(".csv") and quick_tree[path] != other[path]:
            diff = compare(table(quick_tree[path]), table(other[path]))
            if diff:
                problems[path] = diff
    assert problems == {}, "\n".join(f"{p}: {d}" for p, d in problems.items())
    figures = [p for p in quick_tree if p.endswith(".png") and quick_tree[p] != other[p]]
    assert figures == [], f"figures that change with the SIMD level: {figures}"
