"""The README shows the committed claims table as it is."""

from pathlib import Path

import pandas as pd

from experiments.readme import sync

ROOT = Path(__file__).resolve().parents[1]


def test_readme_claims_table_matches_results():
    readme = (ROOT / "README.md").read_text()
    claims = pd.read_csv(ROOT / "results" / "claims.csv", keep_default_na=False)
    assert sync(readme, claims) == readme, "README is stale: run `python -m experiments.readme`"


def test_sync_replaces_only_the_block():
    claims = pd.DataFrame(
        [{"claim": "C01", "statement": "s", "kind": "evidence", "verdict": "reproduced", "measured": "8/8"}]
    )
    text = "intro\n<!-- claims:begin x -->\nold\n<!-- claims:end -->\noutro\n"
    out = sync(text, claims)
    assert out.startswith("intro\n<!-- claims:begin x -->\n| claim") and out.endswith("<!-- claims:end -->\noutro\n")
    assert "old" not in out and "| C01     | s           | evidence | reproduced | 8/8        |" in out
