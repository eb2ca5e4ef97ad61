"""The claims table: one row per lecture claim, with the verdict computed from numbers.

Each family declares the claims it checks in `experiments/<family>/claims.yaml` (id ->
the lecture's statement) and contributes rows through `row(...)`; `merge` joins every
family's rows and lists each declared claim that no row measured as "not checked". Run as
`python -m experiments.claims OUT.csv PART.csv ...`.
"""

import sys
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from experiments.io import write_table
from experiments.readme import sync

FAMILIES_DIR = Path(__file__).resolve().parent
VERDICTS = ("reproduced", "partly", "not reproduced")
KINDS = {  # what a row is, so a reader sees where the lecture is right, imprecise, or extended
    "evidence": "a measurement that a wrong implementation or a false claim would fail (each has a sabotage test)",
    "sanity check": "follows from algebra or construction; shows the machinery works, not the claim",
    "finding": "a result beyond or against the lecture's statement",
}
COLUMNS = ["claim", "statement", "kind", "measured", "criterion", "verdict", "evidence"]


@cache
def statements() -> dict[str, str]:
    """Every declared claim id -> statement, in id order, from the families' claims.yaml."""
    found, owner = {}, {}
    for path in sorted(FAMILIES_DIR.glob("*/claims.yaml")):
        for claim, text in (yaml.safe_load(path.read_text()) or {}).items():
            if claim in found:
                raise ValueError(f"claim {claim} is declared twice: {owner[claim]} and {path}")
            found[claim], owner[claim] = str(text), path
    return dict(sorted(found.items()))


def concat_parts(paths) -> pd.DataFrame:
    """A family's claim-row files in one table, rows ordered by claim (stable within a claim)."""
    parts = [pd.read_csv(p, keep_default_na=False) for p in paths]
    return pd.concat(parts, ignore_index=True).sort_values("claim", kind="stable")


def verdict(holds: bool, partly: bool = False) -> str:
    """'reproduced' if the criterion holds, 'partly' if it holds only in part."""
    return "reproduced" if holds else "partly" if partly else "not reproduced"


def row(claim: str, measured: str, criterion: str, verdict: str, evidence: str, kind: str = "evidence") -> dict:
    """One verdict row; `evidence` names the tables and figures that hold the numbers, `kind`
    is one of KINDS."""
    known = statements()
    if claim not in known:
        raise ValueError(
            f"unknown claim id {claim!r}; declared: {sorted(known)} (declare it in experiments/<family>/claims.yaml)"
        )
    if verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}; allowed: {list(VERDICTS)}")
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; allowed: {list(KINDS)}")
    return {
        "claim": claim,
        "statement": known[claim],
        "kind": kind,
        "measured": measured,
        "criterion": criterion,
        "verdict": verdict,
        "evidence": evidence,
    }


def merge(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """All claims in id order; claims no family checked are listed as 'not checked'."""
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    missing = [
        {
            "claim": c,
            "statement": s,
            "kind": "",
            "measured": "",
            "criterion": "",
            "verdict": "not checked",
            "evidence": "",
        }
        for c, s in statements().items()
        if c not in set(rows["claim"])
    ]
    table = pd.concat([rows, pd.DataFrame(missing, columns=COLUMNS)], ignore_index=True)[COLUMNS]
    order = {k: i for i, k in enumerate(KINDS)}  # within a claim: evidence, then findings, then sanity checks
    table = table.assign(_kind=table["kind"].map(order).fillna(len(order)))
    return table.sort_values(["claim", "_kind"], kind="stable").drop(columns="_kind").reset_index(drop=True)


def main(argv=None) -> None:
    """OUT.csv PART.csv ... [--readme README.md]: merge the parts; optionally copy the table
    into the README between its markers (the pipeline does it in the checkout only)."""
    args = sys.argv[1:] if argv is None else list(argv)
    readme = None
    if "--readme" in args:
        i = args.index("--readme")
        readme, args = Path(args[i + 1]), args[:i] + args[i + 2 :]
    out, *parts = args
    table = merge([pd.read_csv(p, keep_default_na=False) for p in parts])
    write_table(table, Path(out))
    if readme is not None:
        readme.write_text(sync(readme.read_text(), table))


if __name__ == "__main__":
    main()
