"""Steps of the logic family (`python -m experiments.logic STEP`), one per rule `logic_<step>`."""

import pandas as pd

from experiments import claims
from experiments.cli import Step, cli
from experiments.io import read_table, write_figure, write_table
from experiments.logic import plan
from experiments.logic.exact import best_linear, certificates_2, threshold_counts
from experiments.logic.figures import (
    plot_certificates,
    plot_decision_boundaries,
    plot_neuron_accuracy,
    plot_xor_success,
)
from experiments.logic.locality import parity_order, parity_tree_check
from experiments.logic.trained import (
    linear_composition,
    linear_xor,
    linear_xor_runs,
    neuron_runs,
    neuron_summary,
    success_rates,
    xor_cell_runs,
)
from experiments.logic.verdicts import claims_exact, claims_linear, claims_neuron, claims_xor
from experiments.progress import progress

PARTS = ("exact", "neuron", "xor", "linear")
XOR_COLUMNS = (
    "activation",
    "width",
    "seed",
    "correct",
    "undecided",
    "loss_half",
    "loss_90",
    "loss",
    "last_change",
    "success",
    "diverged",
)


def exact(cfg: dict, results, figures) -> None:
    certs = certificates_2()
    counts = threshold_counts(cfg["count_n"], cfg["enumerate_max_n"])
    best, parity, tree = best_linear(), parity_order(cfg["parity_n"]), parity_tree_check(cfg["parity_tree_n"])
    write_table(certs, results / "certificates_2.csv")
    write_table(counts, results / "threshold_counts.csv")
    write_table(best, results / "best_linear.csv")
    write_table(parity, results / "parity_order.csv")
    write_table(tree, results / "parity_tree.csv")
    write_table(claims_exact(certs, counts, best, parity, tree), results / "claims_exact.csv")
    write_figure(plot_certificates(certs, counts), figures / "certificates_2.png")


def neuron(cfg: dict, results, figures) -> None:
    runs = neuron_runs(range(cfg["neuron"]["seeds"]), cfg["neuron"])
    summary = neuron_summary(runs, certificates_2(), cfg["stationary_change"])
    write_table(runs, results / "neuron_runs.csv")
    write_table(summary, results / "neuron_summary.csv")
    write_table(claims_neuron(summary), results / "claims_neuron.csv")
    write_figure(plot_neuron_accuracy(runs), figures / "neuron_accuracy.png")
    b = cfg["boundary"]  # the MLP's activation and width, trained with xor_mlp's knobs
    write_figure(
        plot_decision_boundaries(0, cfg["neuron"], b, b["activation"], b["width"]), figures / "decision_boundaries.png"
    )


def xor_table(results, activation: str, width: int):
    return results / f"xor_mlp_{plan.xor_cell_name(activation, width)}.csv"


def xor_cell(cfg: dict, results, figures) -> None:
    """One (activation, width) cell: all seeds in one ensemble."""
    runs = xor_cell_runs(cfg["activation"], cfg["width"], range(cfg["seeds"]), cfg)
    write_table(runs, xor_table(results, cfg["activation"], cfg["width"]))


def xor_summary(cfg: dict, results, figures) -> None:
    x, tol = cfg["xor_mlp"], cfg["stationary_change"]
    cells = [(a, K) for a in x["activations"] for K in x["widths"]]
    runs = pd.concat(
        [
            read_table(
                xor_table(results, a, K),
                XOR_COLUMNS,
                rows=x["seeds"],
                values={"seed": range(x["seeds"]), "activation": [a], "width": [K]},
            )
            for a, K in progress(cells, "xor cells read")
        ],
        ignore_index=True,
    )
    rates = success_rates(runs, tol)
    write_table(rates, results / "xor_success.csv")
    write_table(claims_xor(rates), results / "claims_xor.csv")
    write_figure(plot_xor_success(rates, x, tol), figures / "xor_success.png")


def linear(cfg: dict, results, figures) -> None:
    lin_cfg, tol = cfg["linear"], cfg["stationary_change"]
    comp = linear_composition(lin_cfg["depths"], lin_cfg["width"], lin_cfg["check_nets"], lin_cfg["check_points"])
    runs = linear_xor_runs(lin_cfg["train_depths"], lin_cfg["width"], range(lin_cfg["seeds"]), lin_cfg)
    write_table(comp, results / "linear_composition.csv")
    write_table(runs, results / "linear_xor_runs.csv")
    lin = linear_xor(runs, lin_cfg["width"], tol)
    write_table(lin, results / "linear_xor.csv")
    write_table(claims_linear(comp, lin), results / "claims_linear.csv")


def merge_claims(cfg: dict, results, figures) -> None:
    parts = [read_table(results / f"claims_{p}.csv", claims.COLUMNS) for p in PARTS]
    table = pd.concat(parts, ignore_index=True).sort_values("claim", kind="stable")
    write_table(table, results / "claims.csv")


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
