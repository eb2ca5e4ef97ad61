"""Steps of the outputs family (`python -m experiments.outputs STEP`): train (one cell per data
set: every model over seeds, scored against labels and the known P(y | x), with its figures)
and summary (medians with intervals, paired comparisons, the loss x metric table, claim rows)."""

from pathlib import Path

import pandas as pd

from experiments.cli import Step, cli
from experiments.io import read_table, write_figure, write_table
from experiments.outputs import plan
from experiments.outputs.figures import plot_maps, plot_reliability
from experiments.outputs.summary import TABLES, summarise
from experiments.outputs.trained import MEMBER_COLUMNS, members_table, reliability_table, train_models
from experiments.outputs.verdicts import claim_rows


def train(cfg: dict, results: Path, figures: Path) -> None:
    """One data set: train every model over seeds, score it, draw its reliability and maps."""
    mix, splits, models = train_models(cfg)
    name = cfg["dataset"]
    write_table(members_table(models), results / "members" / f"{name}.csv")
    write_table(reliability_table(models), results / "reliability" / f"{name}.csv")
    write_figure(plot_reliability(name, mix, splits, models, cfg), figures / f"reliability_{name}.png")
    write_figure(plot_maps(name, mix, splits, models, cfg), figures / f"maps_{name}.png")


def summary(cfg: dict, results: Path, figures: Path) -> None:
    """Every data set's members: statistics, comparisons and the family's claim rows."""
    datasets, seeds = cfg["datasets"], list(range(cfg["seed"], cfg["seed"] + cfg["seeds"]))
    members = pd.concat(
        [
            read_table(
                results / "members" / f"{d}.csv",
                MEMBER_COLUMNS,
                rows=len(seeds) * len(spec["losses"]),
                values={"dataset": [d], "seed": seeds, "loss": list(spec["losses"])},
            )
            for d, spec in datasets.items()
        ],
        ignore_index=True,
    )
    tables = summarise(members, cfg)
    for name in TABLES:
        write_table(tables[name], results / f"{name}.csv")
    write_table(pd.DataFrame(claim_rows(tables, cfg).values()), results / "claims.csv")


STEPS = {
    "train": Step(train, plan.train_cells),
    "summary": Step(summary, plan.summary_cells),
}

if __name__ == "__main__":
    cli(STEPS)
