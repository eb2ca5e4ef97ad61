"""Steps of the conclusion family (`python -m experiments.conclusion run`)."""

from pathlib import Path

import pandas as pd

from experiments.cli import Step, cli
from experiments.conclusion import plan
from experiments.conclusion.inputs import read_inputs
from experiments.conclusion.summary import claim_rows, parts
from experiments.io import write_table


def run(cfg: dict, results: Path, figures: Path) -> None:
    """C19 from the other families' tables (results/<family>/..., beside `results`)."""
    found = parts(read_inputs(results.parent, cfg), cfg)
    write_table(pd.DataFrame(found), results / "summary.csv")
    write_table(claim_rows(found), results / "claims.csv")


STEPS = {"run": Step(run, plan.run)}

if __name__ == "__main__":
    cli(STEPS)
