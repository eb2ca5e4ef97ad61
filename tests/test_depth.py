"""Smoke test of the depth family: the step writes its table, figure and claim row."""

import pandas as pd

from experiments.depth.__main__ import run


def test_run_writes_a_computed_claim_row(tmp_path):
    run({"points": 101, "z_max": 10.0, "tolerance": 1e-12}, tmp_path / "r", tmp_path / "f")
    rows = pd.read_csv(tmp_path / "r" / "claims.csv")
    assert list(rows.claim) == ["C22"] and rows.verdict[0] == "reproduced"
    assert (tmp_path / "f" / "measurements.png").stat().st_size > 1000
