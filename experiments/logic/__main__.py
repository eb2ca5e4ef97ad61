"""Steps of the logic family (`python -m experiments.logic STEP`), one per rule `logic_<step>`."""

import pandas as pd

from experiments import claims
from experiments.cli import Step, cli
from experiments.io import write_figure, write_table
from experiments.logic import plan
from experiments.logic.exact import best_linear, certificates_2, parity_order, threshold_counts
from experiments.logic.figures import (
    plot_certificates,
    plot_decision_boundaries,
    plot_neuron_accuracy,
    plot_xor_success,
)
from experiments.logic.trained import (
    linear_composition,
    linear_xor,
    mlp_xor_cell,
    neuron_runs,
    neuron_summary,
    success_rates,
)
from experiments.logic.verdicts import claims_exact, claims_linear, claims_neuron, claims_xor

PARTS = ("exact", "neuron", "xor", "linear")


def exact(cfg: dict, results, figures) -> None:
    certs = certificates_2()
    counts = threshold_counts(cfg["count_n"], cfg["enumerate_max_n"])
    best, parity = best_linear(), parity_order(cfg["parity_n"])
    write_table(certs, results / "certificates_2.csv")
    write_table(counts, results / "threshold_counts.csv")
    write_table(best, results / "best_linear.csv")
    write_table(parity, results / "parity_order.csv")
    write_table(claims_exact(certs, counts, best, parity), results / "claims_exact.csv")
    write_figure(plot_certificates(certs, counts), figures / "certificates_2.png")


def neuron(cfg: dict, results, figures) -> None:
    seeds = range(cfg["neuron"]["seeds"])
    runs = neuron_runs(seeds, cfg["neuron"])
    summary = neuron_summary(runs, certificates_2())
    write_table(runs, results / "neuron_runs.csv")
    write_table(summary, results / "neuron_summary.csv")
    write_table(claims_neuron(summary), results / "claims_neuron.csv")
    write_figure(plot_neuron_accuracy(runs), figures / "neuron_accuracy.png")
    b = cfg["boundary"]
    write_figure(
        plot_decision_boundaries(0, cfg["neuron"], cfg["xor_mlp"], b["activation"], b["width"]),
        figures / "decision_boundaries.png",
    )


def xor_cell(cfg: dict, results, figures) -> None:
    """One activation's cell: every width, all seeds of a width in one ensemble."""
    act = cfg["activation"]
    write_table(mlp_xor_cell(act, cfg["widths"], range(cfg["seeds"]), cfg), results / f"xor_mlp_{act}.csv")


def xor_summary(cfg: dict, results, figures) -> None:
    cfg = cfg["xor_mlp"]
    runs = pd.concat([pd.read_csv(results / f"xor_mlp_{a}.csv") for a in cfg["activations"]], ignore_index=True)
    rates = success_rates(runs)
    rates = rates.set_index("activation").loc[cfg["activations"]].reset_index()  # config order
    write_table(rates, results / "xor_success.csv")
    write_table(claims_xor(rates), results / "claims_xor.csv")
    write_figure(plot_xor_success(rates, cfg), figures / "xor_success.png")


def linear(cfg: dict, results, figures) -> None:
    cfg = cfg["linear"]
    comp = linear_composition(cfg["depths"], cfg["width"], cfg["check_nets"], cfg["check_points"])
    lin = linear_xor(cfg["train_depths"], cfg["width"], range(cfg["seeds"]), cfg)
    write_table(comp, results / "linear_composition.csv")
    write_table(lin, results / "linear_xor.csv")
    write_table(claims_linear(comp, lin), results / "claims_linear.csv")


def merge_claims(cfg: dict, results, figures) -> None:
    write_table(claims.concat_parts(results / f"claims_{p}.csv" for p in PARTS), results / "claims.csv")


STEPS = {
    "exact": Step(exact, plan.exact_cfg),
    "neuron": Step(neuron, plan.neuron_cfg),
    "xor_cell": Step(xor_cell, plan.xor_cells),
    "xor_summary": Step(xor_summary, plan.xor_summary_cfg),
    "linear": Step(linear, plan.linear_cfg),
    "claims": Step(merge_claims, plan.claims_cfg),
}

if __name__ == "__main__":
    cli(STEPS)
