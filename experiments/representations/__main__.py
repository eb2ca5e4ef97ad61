"""Steps of the representations family (`python -m experiments.representations STEP`), one per
rule `representations_<step>`."""

import pandas as pd

from experiments import claims
from experiments.cli import Step, cli
from experiments.convergence import CONVERGED
from experiments.io import read_table, write_figure, write_table
from experiments.progress import progress
from experiments.representations import plan
from experiments.representations.features import MODELS, grid, train_cell
from experiments.representations.figures import plot_accuracy, plot_hidden_units, plot_projection
from experiments.representations.neuron import INPUTS, certificates, neuron_runs
from experiments.representations.projection import train_autoencoder
from experiments.representations.summaries import (
    accuracy_summary,
    feature_status,
    neuron_summary,
    paired_tests,
    projection_curves,
    projection_final,
)
from experiments.representations.verdicts_features import claims_features
from experiments.representations.verdicts_projection import claims_projection

PROJECTION_COLUMNS = ("spectrum", "seed", "epoch", "loss", "excess", "sin_top", "sin_top_encoder", "sin_pair")
PROJECTION_COLUMNS += ("sin_inner", "sin_outer", "grad_norm", "optimum", "diverged")
NEURON_COLUMNS = ("inputs", "seed", "correct", "undecided", "loss_90", "loss", "last_change", "diverged")
FEATURE_COLUMNS = ("dataset", "model", "seed", "linearly_separable", "train_acc_90", "train_acc", "test_acc")
FEATURE_COLUMNS += ("loss_90", "loss", "last_change", "amplification", "diverged")


def projection(cfg: dict, results, figures) -> None:
    """One spectrum: the auto-encoder's seeds trained as one ensemble, measured at every checkpoint."""
    write_table(train_autoencoder(cfg), results / f"projection_{cfg['name']}.csv")


def xor_neuron(cfg: dict, results, figures) -> None:
    write_table(certificates(), results / "xor_certificates.csv")
    write_table(neuron_runs(cfg), results / "xor_neuron_runs.csv")


def features(cfg: dict, results, figures) -> None:
    """One Playground dataset: raw unit, engineered unit and hidden net on the same draws."""
    runs, maps = train_cell(cfg["dataset"], cfg)
    write_table(runs, results / f"features_{cfg['dataset']}.csv")
    write_table(maps, results / f"maps_{cfg['dataset']}.csv")


def read_projection(results, p: dict) -> pd.DataFrame:
    epochs = sorted({round(p["epochs"] * j / p["checkpoints"]) for j in range(p["checkpoints"] + 1)})
    return pd.concat(
        [
            read_table(
                results / f"projection_{name}.csv",
                PROJECTION_COLUMNS,
                rows=p["seeds"] * len(epochs),
                values={"spectrum": [name], "seed": range(p["seeds"]), "epoch": epochs},
            )
            for name in progress(p["spectra"], "projection tables read")
        ],
        ignore_index=True,
    )


def read_features(results, f: dict) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    runs, maps = [], {}
    for d in progress(f["datasets"], "feature tables read"):
        runs.append(
            read_table(
                results / f"features_{d}.csv",
                FEATURE_COLUMNS,
                rows=len(MODELS) * f["seeds"],
                values={"dataset": [d], "model": MODELS, "seed": range(f["seeds"])},
            )
        )
        unit_columns = [f"unit_{k}" for k in range(1, f["width"] + 1)]
        maps[d] = read_table(
            results / f"maps_{d}.csv",
            ["x1", "x2", *unit_columns, *(f"{m}_output" for m in MODELS)],
            rows=len(grid(f["map_points"])),
        )
    return pd.concat(runs, ignore_index=True), maps


def summary(cfg: dict, results, figures) -> None:
    """Every summary table, the claim rows of C20 and C24, and the figures."""
    p, n, f = cfg["projection"], cfg["xor_neuron"], cfg["features"]
    runs = read_projection(results, p)
    final, curves = projection_final(runs, p["K"], p["spectra"], p["stationary_change"]), projection_curves(runs)
    write_table(final, results / "projection_summary.csv")
    write_table(curves, results / "projection_curves.csv")
    write_figure(
        plot_projection(p["spectra"], p["K"], curves, p["angle_tol"], p["excess_tol"]), figures / "projection.png"
    )

    certs = read_table(results / "xor_certificates.csv", ("inputs", "separable", "w", "b", "margin"), rows=len(INPUTS))
    neuron_values = {"inputs": INPUTS, "seed": range(n["seeds"])}
    neuron = read_table(results / "xor_neuron_runs.csv", NEURON_COLUMNS, rows=2 * n["seeds"], values=neuron_values)
    neuron = neuron_summary(neuron, n["stationary_change"])
    write_table(neuron, results / "xor_neuron.csv")

    feature_runs, maps = read_features(results, f)
    tol = f["stationary_change"]
    acc, tests = accuracy_summary(feature_runs, tol), paired_tests(feature_runs, tol)
    write_table(acc, results / "feature_accuracy.csv")
    write_table(tests, results / "paired_tests.csv")
    converged = feature_runs.assign(converged=feature_status(feature_runs, tol).isin(CONVERGED))
    write_figure(plot_accuracy(converged, acc, f["accuracy_bar"], f["activation"]), figures / "feature_accuracy.png")
    write_figure(plot_hidden_units(maps, f["engineered"], f["width"]), figures / "hidden_units.png")

    rows = [claims_projection(final, p), claims_features(certs, neuron, acc, tests, f)]
    write_table(pd.concat(rows, ignore_index=True)[claims.COLUMNS], results / "claims.csv")


STEPS = {
    "projection": Step(projection, plan.projection_cells),
    "xor_neuron": Step(xor_neuron, plan.xor_neuron_cfg),
    "features": Step(features, plan.feature_cells),
    "summary": Step(summary, plan.summary_cfg),
}

if __name__ == "__main__":
    cli(STEPS)
