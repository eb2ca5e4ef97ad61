"""Copy the claims table into README.md between its markers.

The pipeline's `claims` rule does it in the checkout (a run elsewhere with `--directory`
leaves the README alone); `python -m experiments.readme` does it by hand from
results/claims.csv. tests/test_readme.py fails when the README and results/claims.csv
disagree, so the README never shows a stale or hand-typed verdict.
"""

import re
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- claims:begin", "<!-- claims:end -->"


def claims_block(claims: pd.DataFrame) -> str:
    """The README's view of the claims table: id, statement, kind of row, verdict, what was measured."""
    table = claims[["claim", "statement", "kind", "verdict", "measured"]].to_markdown(index=False)
    return table + "\n"


def sync(readme: str, claims: pd.DataFrame) -> str:
    """`readme` with the text between the markers replaced by the current claims table."""
    pattern = re.compile(rf"({re.escape(BEGIN)}[^\n]*\n).*?({re.escape(END)})", re.S)
    if not pattern.search(readme):
        raise ValueError(f"README has no block between {BEGIN!r} and {END!r}")
    return pattern.sub(lambda m: m.group(1) + claims_block(claims) + m.group(2), readme)


def main() -> None:
    claims = pd.read_csv(ROOT / "results" / "claims.csv", keep_default_na=False)
    path = ROOT / "README.md"
    path.write_text(sync(path.read_text(), claims))


if __name__ == "__main__":
    main()
