"""Steps of the activations family (`python -m experiments.activations STEP`): functions
(C06-C08), maps (C09), losses (C16), backprop (C17), and claims (the family's verdict rows)."""

from pathlib import Path

from experiments import claims
from experiments.activations import plan
from experiments.activations.backprop import chain_rule, gradcheck_table
from experiments.activations.figures import plot_activations, plot_gradcheck, plot_losses, plot_simplex, plot_two_class
from experiments.activations.functions import (
    activation_curves,
    activation_ranges,
    derivative_check,
    sigmoid_tanh_identity,
)
from experiments.activations.losses import loss_curves, loss_gradients, zero_one_fd
from experiments.activations.maps import map_support, simplex_points, simplex_support, two_class
from experiments.activations.sparsity import relu_sparsity
from experiments.activations.verdicts import (
    claim_rows_backprop,
    claim_rows_functions,
    claim_rows_losses,
    claim_rows_maps,
)
from experiments.cli import Step, cli
from experiments.io import write_figure, write_table


def functions(cfg: dict, results: Path, figures: Path) -> None:
    """C06-C08: ranges, the sigmoid-tanh identity, relu sparsity at init, derivatives."""
    ranges = activation_ranges(cfg["grid_max"], cfg["grid_points"])
    ident = sigmoid_tanh_identity(cfg["grid_max"], cfg["grid_points"])
    sparsity = relu_sparsity(
        cfg["relu_widths"],
        cfg["relu_inits"],
        cfg["relu_depth"],
        cfg["relu_inputs"],
        cfg["relu_batch"],
        range(cfg["seed"], cfg["seed"] + cfg["relu_seeds"]),
    )
    deriv = derivative_check(cfg["fd_step"])
    for name, df in [
        ("activation_ranges", ranges),
        ("sigmoid_tanh_identity", ident),
        ("relu_sparsity", sparsity),
        ("derivative_check", deriv),
    ]:
        write_table(df, results / f"{name}.csv")
    write_table(claim_rows_functions(ranges, ident, sparsity, deriv), results / "claims_functions.csv")
    write_figure(plot_activations(activation_curves(), deriv), figures / "activations.png")


def maps(cfg: dict, results: Path, figures: Path) -> None:
    """C09: softmax vs sparsemax: support by logit scale, two classes, the 3-class simplex."""
    support = map_support(cfg["scales"], cfg["classes"], cfg["samples"], cfg["seed"])
    pts = simplex_points(cfg["simplex_grid"], cfg["simplex_logit_max"])
    write_table(support, results / "map_support.csv")
    write_table(simplex_support(pts), results / "simplex_support.csv")
    write_table(claim_rows_maps(support), results / "claims_maps.csv")
    write_figure(plot_two_class(two_class()), figures / "two_class.png")
    write_figure(plot_simplex(pts), figures / "simplex.png")


def losses(cfg: dict, results: Path, figures: Path) -> None:
    """C16: loss curves vs s, loss gradients vs FD and closed forms, the 0/1 loss's FD."""
    lg = loss_gradients(cfg["batch"], cfg["classes"], cfg["fd_step"], cfg["seed"])
    zo = zero_one_fd(cfg["zero_one_points"], cfg["classes"], cfg["zero_one_steps"], cfg["seed"])
    write_table(lg, results / "loss_gradients.csv")
    write_table(zo, results / "zero_one_fd.csv")
    write_table(claim_rows_losses(lg, zo), results / "claims_losses.csv")
    write_figure(plot_losses(loss_curves()), figures / "losses.png")


def backprop(cfg: dict, results: Path, figures: Path) -> None:
    """C17: the lecture's chain-rule example and the gradient-check table."""
    cr = chain_rule(cfg["chain_t"], cfg["fd_step"])
    gc = gradcheck_table(
        cfg["depths"],
        cfg["width"],
        cfg["inputs"],
        cfg["classes"],
        cfg["batch"],
        cfg["l2s"],
        cfg["fd_step"],
        cfg["seed"],
    )
    write_table(cr, results / "chain_rule.csv", float_format="%.17g")
    write_table(gc, results / "gradcheck.csv")
    write_table(claim_rows_backprop(cr, gc), results / "claims_backprop.csv")
    write_figure(plot_gradcheck(gc), figures / "gradcheck.png")


def merge_claims(cfg: dict, results: Path, figures: Path) -> None:
    """The family's claim parts (plan.CLAIM_PARTS, written by the other steps) in one claims.csv."""
    write_table(claims.concat_parts(results / p for p in plan.CLAIM_PARTS), results / "claims.csv")


STEPS = {
    "functions": Step(functions, plan.cells("functions")),
    "maps": Step(maps, plan.cells("maps")),
    "losses": Step(losses, plan.cells("losses")),
    "backprop": Step(backprop, plan.cells("backprop")),
    "claims": Step(merge_claims, lambda block: {"": {}}),
}

if __name__ == "__main__":
    cli(STEPS)
