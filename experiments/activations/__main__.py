"""Steps of the activations family (`python -m experiments.activations STEP`): functions
(C06-C08), sparsity_trained (one cell per dataset) and sparsity (C06), maps (C09), losses (C16),
backprop (C17), and claims (the family's verdict rows in one table)."""

from pathlib import Path

import pandas as pd

from experiments import claims
from experiments.activations import plan
from experiments.activations.backprop import chain_rule, gradcheck_table, layer_table
from experiments.activations.figures import (
    plot_activations,
    plot_gradcheck,
    plot_layer_gradients,
    plot_losses,
    plot_simplex,
    plot_sparsity,
    plot_two_class,
)
from experiments.activations.functions import (
    activation_curves,
    activation_ranges,
    derivative_check,
    sigmoid_tanh_identity,
)
from experiments.activations.losses import loss_curves, loss_gradients, zero_one_fd
from experiments.activations.maps import map_support, simplex_points, simplex_support, two_class
from experiments.activations.sparsity import converged, init_sparsity, init_summary, trained_sparsity, trained_summary
from experiments.activations.verdicts import (
    row_derivatives,
    row_identity,
    row_ranges,
    row_trained_sparsity,
    rows_init_sparsity,
    rows_maps,
)
from experiments.activations.verdicts_gradients import (
    row_chain_rule,
    row_layer_gradients,
    row_loss_gradients,
    row_param_gradients,
    row_zero_one,
)
from experiments.cli import Step, cli
from experiments.io import read_table, write_figure, write_table


def functions(cfg: dict, results: Path, figures: Path) -> None:
    """C06-C08: ranges and monotonicity, the sigmoid-tanh identity, derivatives vs FD."""
    ranges = activation_ranges(cfg["grid_max"], cfg["grid_points"])
    ident = sigmoid_tanh_identity(cfg["grid_max"], cfg["grid_points"])
    deriv = derivative_check(cfg["fd_step"])
    for name, df in [("activation_ranges", ranges), ("sigmoid_tanh_identity", ident), ("derivative_check", deriv)]:
        write_table(df, results / f"{name}.csv")
    rows = [row_ranges(ranges), row_identity(ident), row_derivatives(deriv)]
    write_table(pd.DataFrame(rows), results / "claims_functions.csv")
    write_figure(plot_activations(activation_curves(), deriv), figures / "activations.png")


def sparsity_trained(cfg: dict, results: Path, figures: Path) -> None:
    """C06: relu nets trained on one dataset (a cell): exact zeros per member and layer."""
    write_table(trained_sparsity(cfg), results / "relu_sparsity_trained" / f"{cfg['dataset']}.csv")


TRAINED_COLUMNS = ["dataset", "group", "seed", "layer", "fraction_zero_init", "fraction_zero_at_90pct", "fraction_zero"]
TRAINED_COLUMNS += ["fraction_dead", "relative_grad_norm", "diverged"]


def sparsity(cfg: dict, results: Path, figures: Path) -> None:
    """C06: exact zeros of relu units at initialisation (zero and nonzero biases) and after
    training (the dataset cells' tables), with the verdict rows and the figure."""
    i = cfg["init"]
    init = init_sparsity(
        i["widths"],
        i["inits"],
        i["biases"],
        i["depth"],
        i["inputs"],
        i["batch"],
        range(cfg["seed"], cfg["seed"] + i["seeds"]),
    )
    seeds = list(range(cfg["seed"], cfg["seed"] + cfg["seeds"]))
    layers = len(cfg["hidden"])
    cells = [
        read_table(
            results / "relu_sparsity_trained" / f"{d}.csv",
            TRAINED_COLUMNS,
            rows=len(seeds) * layers,
            values={"dataset": [d], "seed": seeds, "layer": range(1, layers + 1)},
        )
        for d in cfg["datasets"]
    ]
    trained = pd.concat(cells, ignore_index=True)
    counted = converged(trained, cfg["converged_tol"])
    summ = pd.concat([init_summary(init), trained_summary(trained, counted)], ignore_index=True)
    write_table(init, results / "relu_sparsity.csv")
    write_table(trained.assign(counted=counted), results / "relu_sparsity_trained.csv")
    write_table(summ, results / "relu_sparsity_summary.csv")
    rows = [
        *rows_init_sparsity(init, summ, cfg["threshold"]),
        row_trained_sparsity(summ, cfg["threshold"], cfg["converged_tol"]),
    ]
    write_table(pd.DataFrame(rows), results / "claims_sparsity.csv")
    write_figure(plot_sparsity(init, trained[counted], summ, cfg["threshold"]), figures / "relu_sparsity.png")


def maps(cfg: dict, results: Path, figures: Path) -> None:
    """C09: softmax vs sparsemax: support by logit scale, two classes, the 3-class simplex."""
    support = map_support(cfg["scales"], cfg["classes"], cfg["samples"], cfg["seed"])
    pts = simplex_points(cfg["simplex_grid"], cfg["simplex_logit_max"])
    write_table(support, results / "map_support.csv")
    write_table(simplex_support(pts), results / "simplex_support.csv")
    write_table(pd.DataFrame(rows_maps(support)), results / "claims_maps.csv")
    write_figure(plot_two_class(two_class()), figures / "two_class.png")
    write_figure(plot_simplex(pts), figures / "simplex.png")


def losses(cfg: dict, results: Path, figures: Path) -> None:
    """C16: loss curves vs s, loss gradients vs FD and closed forms, the 0/1 loss's FD."""
    lg = loss_gradients(cfg["batch"], cfg["classes"], cfg["fd_step"], cfg["seed"])
    zo = zero_one_fd(cfg["zero_one_points"], cfg["classes"], cfg["zero_one_steps"], cfg["seed"])
    write_table(lg, results / "loss_gradients.csv")
    write_table(zo, results / "zero_one_fd.csv")
    write_table(pd.DataFrame([row_loss_gradients(lg), row_zero_one(zo)]), results / "claims_losses.csv")
    write_figure(plot_losses(loss_curves()), figures / "losses.png")


def backprop(cfg: dict, results: Path, figures: Path) -> None:
    """C17: the lecture's chain-rule example, and backprop vs FD for every parameter and for
    grad_h, grad_z of every hidden layer."""
    nets = (cfg["depths"], cfg["width"], cfg["inputs"], cfg["classes"], cfg["batch"])
    cr = chain_rule(cfg["chain_t"], cfg["fd_step"])
    gc = gradcheck_table(*nets, cfg["l2s"], cfg["fd_step"], cfg["seed"])
    lt = layer_table(*nets, cfg["fd_step"], cfg["seed"])
    write_table(cr, results / "chain_rule.csv", float_format="%.17g")
    write_table(gc, results / "gradcheck.csv")
    write_table(lt, results / "layer_gradients.csv")
    rows = [row_param_gradients(gc), row_layer_gradients(lt), row_chain_rule(cr)]
    write_table(pd.DataFrame(rows), results / "claims_backprop.csv")
    write_figure(plot_gradcheck(gc), figures / "gradcheck.png")
    write_figure(plot_layer_gradients(lt), figures / "layer_gradients.png")


def merge_claims(cfg: dict, results: Path, figures: Path) -> None:
    """The family's claim parts (plan.CLAIM_PARTS, written by the other steps) in one claims.csv."""
    write_table(claims.concat_parts(results / p for p in plan.CLAIM_PARTS), results / "claims.csv")


STEPS = {
    "functions": Step(functions, plan.cells("functions")),
    "sparsity_trained": Step(sparsity_trained, plan.sparsity_cells),
    "sparsity": Step(sparsity, plan.summary_cfg),
    "maps": Step(maps, plan.cells("maps")),
    "losses": Step(losses, plan.cells("losses")),
    "backprop": Step(backprop, plan.cells("backprop")),
    "claims": Step(merge_claims, lambda block: {"": {}}),
}

if __name__ == "__main__":
    cli(STEPS)
