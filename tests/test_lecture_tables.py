"""The lecture's exact tables and the claims-table mechanics."""

import pandas as pd
import pytest

from experiments import claims
from experiments.lecture_tables import tables as lecture_tables
from experiments.lecture_tables.__main__ import run


def test_table_3_6_is_reproduced_exactly():
    t = lecture_tables.table_3_6()
    # written out from the lecture: v = -2 + 2x1 + 4x2 - x3 on the rows (-1,-1,-1), (-1,-1,+1), ...
    assert list(t.v) == [-7, -9, 1, -1, -3, -5, 5, 3]
    assert list(t.y) == [-1, -1, 1, -1, -1, -1, 1, 1]
    assert list(t.y) == list(t.y_formula)


def test_figure_3_11_network_computes_xor():
    t = lecture_tables.xor_threshold_net()
    assert list(t.y) == [-1, 1, 1, -1]
    assert list(t.z1) == [1, 1, -1, 1] and list(t.z2) == [-1, 1, -1, -1]  # sgn(1 - x1 + x2), sgn(-1 - x1 + x2)


def test_run_writes_tables_figures_and_verdicts(tmp_path):
    run({}, tmp_path / "r", tmp_path / "f")
    rows = pd.read_csv(tmp_path / "r" / "claims.csv")
    assert list(rows.claim) == ["C01", "C03"] and set(rows.verdict) == {"reproduced"}
    assert (tmp_path / "f" / "table_3_6.png").stat().st_size > 10_000
    assert (tmp_path / "r" / "table_3_6.md").read_text().startswith("|")


def test_verdict_is_computed_from_a_criterion():
    assert claims.verdict(True) == "reproduced"
    assert claims.verdict(False, partly=True) == "partly"
    assert claims.verdict(False) == "not reproduced"


def test_merge_lists_unchecked_claims_and_rejects_unknown_ids():
    part = pd.DataFrame([claims.row("C07", "max diff 1e-16", "< 1e-12", "reproduced", "t.csv")])
    table = claims.merge([part])
    assert list(table.claim) == sorted(claims.statements())
    assert table.set_index("claim").loc["C08", "verdict"] == "not checked"
    with pytest.raises(ValueError, match=r"unknown claim id 'C99'"):
        claims.row("C99", "", "", "reproduced", "")
    with pytest.raises(ValueError, match=r"unknown verdict 'yes'"):
        claims.row("C01", "", "", "yes", "")
