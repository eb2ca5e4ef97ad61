"""Steps of the depth family (`python -m experiments.depth run`)."""

from experiments.cli import cli
from experiments.io import write_figure, write_table
from experiments.depth.measure import claim_rows, measure, plot


def run(cfg: dict, results, figures) -> None:
    table = measure(cfg["points"], cfg["z_max"])
    write_table(table, results / "measurements.csv")
    write_table(claim_rows(table, cfg["tolerance"]), results / "claims.csv")
    write_figure(plot(table), figures / "measurements.png")


STEPS = {"run": run}

if __name__ == "__main__":
    cli(STEPS)
