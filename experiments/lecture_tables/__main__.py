"""Steps of the lecture_tables family (`python -m experiments.lecture_tables run`)."""

from experiments.cli import cli
from experiments.io import write_figure, write_table
from experiments.lecture_tables.figures import plot_table_3_6, plot_xor_threshold_net
from experiments.lecture_tables.tables import claim_rows, table_3_6, xor_threshold_net


def run(cfg: dict, results, figures) -> None:
    t36, xor = table_3_6(), xor_threshold_net()
    write_table(t36, results / "table_3_6.csv")
    write_table(xor, results / "xor_threshold_net.csv")
    write_table(claim_rows(t36, xor), results / "claims.csv")
    write_figure(plot_table_3_6(t36), figures / "table_3_6.png")
    write_figure(plot_xor_threshold_net(xor), figures / "xor_threshold_net.png")


STEPS = {"run": run}

if __name__ == "__main__":
    cli(STEPS)
