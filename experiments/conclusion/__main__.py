"""Steps of the conclusion family (`python -m experiments.conclusion run`)."""

from pathlib import Path

import pandas as pd

from experiments.cli import Step, cli
from experiments.conclusion import plan
from experiments.conclusion.summary import approximation_summary, claim_rows, playground_summary, xor_summary
from experiments.io import write_table


def run(cfg: dict, results: Path, figures: Path) -> None:
    """C19 from the other families' tables (results/<family>/..., beside `results`)."""
    path = {name: results.parent / rel for name, rel in plan.INPUTS.items()}
    parts = [
        xor_summary(pd.read_csv(path["xor_success"]), cfg["xor_success_rate"]),
        *playground_summary(pd.read_csv(path["playground_summary"]), cfg["test_accuracy"], cfg["epoch"]),
        approximation_summary(pd.read_csv(path["width_errors"]), cfg["rms"]),
    ]
    write_table(pd.DataFrame(parts).drop(columns="partly", errors="ignore"), results / "summary.csv")
    write_table(claim_rows(parts), results / "claims.csv")


STEPS = {"run": Step(run, plan.run)}

if __name__ == "__main__":
    cli(STEPS)
