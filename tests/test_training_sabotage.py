"""Sabotage tests of the training family's evidence rows: each injects a named defect into the
row's computation at a small size and asserts that the verdict flips, next to a control that
runs the same computation undamaged at the same size and asserts it reproduces."""

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from experiments.training import curves, gradients, l2, l2_verdicts, minima, minima_verdicts, nonconvex
from mlp.data import Split
from mlp.network import Net
from mlp.params import pick
from mlp.train import train

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = yaml.safe_load((ROOT / "config.yaml").read_text())["training"]
L2 = {k: v for k, v in DEFAULT["l2"].items() if k != "lambdas"}  # 20 seeds, 400 epochs: ~1 s
LAMBDAS = [0.0, 0.01, 0.03, 0.3]
SGD = {**DEFAULT["sgd"], "train_pct": 10, "mean_batch_sizes": [1, 5], "mean_draws": 300, "mean_chains": 400}
SGD |= {"var_batch_sizes": [1, 2, 5, 10, 25, 40, 50], "var_draws": 3000}  # N = 50
CURVES = {**SGD, "curve_lrs": [0.01, 0.1, 1.0], "curve_epochs": 10, "tune_seeds": 3, "curve_seeds": 6}
XOR = {**DEFAULT["minima"]["xor"], "task": "xor", "n_seeds": 60, "epochs": 1000}
SPIRAL = {**DEFAULT["minima"]["spiral"], "task": "spiral"}


# ---------------------------------------------------------------- C14, C26


def l2_rows() -> dict[str, str]:
    """C14's and C26's verdicts from freshly trained lambda cells."""
    cells = pd.concat([l2.l2_cell({**L2, "lam": lam}) for lam in LAMBDAS], ignore_index=True)
    summary, sel = l2_verdicts.summarise(cells), l2_verdicts.selection(cells)
    c14, c26 = l2_verdicts.c14_row(cells, summary), l2_verdicts.c26_row(cells, sel, L2["val_pct"])
    return {"C14": c14["verdict"], "C26": c26["verdict"]}


def scaled_l2(factor: float):
    """mlp.train.train with its L2 term multiplied by `factor` (-1: the wrong sign)."""

    def damaged(*args, l2: float = 0.0, **kwargs):
        return train(*args, l2=factor * l2, **kwargs)

    return damaged


def test_l2_rows_reproduce_undamaged():
    assert l2_rows() == {"C14": "reproduced", "C26": "reproduced"}


def test_sabotage_l2_term_with_the_wrong_sign(monkeypatch):
    monkeypatch.setattr(l2, "train", scaled_l2(-1.0))
    assert l2_rows() == {"C14": "not reproduced", "C26": "not reproduced"}


def test_sabotage_l2_term_scaled_by_zero(monkeypatch):
    monkeypatch.setattr(l2, "train", scaled_l2(0.0))
    assert l2_rows() == {"C14": "not reproduced", "C26": "not reproduced"}


def test_sabotage_lambda_chosen_on_the_test_set(monkeypatch):
    monkeypatch.setattr(l2_verdicts, "select_lambda", lambda cells: l2_verdicts.wide(cells, "test_loss").idxmin(axis=1))
    assert l2_rows()["C26"] == "not reproduced"


def test_sabotage_lambda_chosen_on_training_loss(monkeypatch):
    monkeypatch.setattr(
        l2_verdicts, "select_lambda", lambda cells: l2_verdicts.wide(cells, "train_loss").idxmin(axis=1)
    )
    assert l2_rows()["C26"] == "not reproduced"


def test_sabotage_validation_split_leaks_test_points(monkeypatch):
    original = l2.validation_split

    def leaky(split: Split, val_pct: int):
        fit, X_val, _ = original(split, val_pct)
        n = X_val.shape[0]
        return fit, split.X_test[:n], split.Y_test[:n]  # "validation" drawn from the test points

    monkeypatch.setattr(l2, "validation_split", leaky)
    assert l2_rows()["C26"] == "not reproduced"


# ---------------------------------------------------------------- C15 (a, b)


def gradient_rows() -> dict[str, str]:
    net, theta, data = gradients.problem(SGD)
    G = gradients.per_example_grads(net, theta, data.X_train, data.Y_train)
    return {
        "unbiased": gradients.unbiased_row(gradients.running_mean(SGD, G))["verdict"],
        "variance": gradients.variance_row(gradients.batch_variance(SGD, G))["verdict"],
    }


def test_gradient_rows_reproduce_undamaged():
    assert gradient_rows() == {"unbiased": "reproduced", "variance": "reproduced"}


def test_sabotage_biased_minibatch_sampler(monkeypatch):
    sampler = gradients.batch_weights

    def first_half_only(gen, S, N, B, replace):  # indices drawn from the first half of the data only
        w = sampler(gen, S, N // 2, min(B, N // 2), replace)
        return np.concatenate([w, np.zeros((S, N - N // 2))], axis=1)

    monkeypatch.setattr(gradients, "batch_weights", first_half_only)
    assert gradient_rows()["unbiased"] == "not reproduced"


def test_sabotage_sampling_with_replacement_treated_as_without(monkeypatch):
    sampler = gradients.batch_weights
    monkeypatch.setattr(gradients, "batch_weights", lambda gen, S, N, B, replace: sampler(gen, S, N, B, True))
    assert gradient_rows()["variance"] == "not reproduced"


def test_sabotage_variance_formula_without_the_finite_population_factor(monkeypatch):
    monkeypatch.setattr(gradients, "variance_formula", lambda var1, B, N, replace: var1 / B)
    assert gradient_rows()["variance"] == "not reproduced"


# ---------------------------------------------------------------- C15 (c)


def curves_row() -> str:
    N = gradients.data(CURVES).X_train.shape[0]
    parts = [curves.cell({**CURVES, "batch_size": B}) for B in (1, 5, N)]
    tuning, curve = (pd.concat([p[i] for p in parts], ignore_index=True) for i in (0, 1))
    return curves.curves_row(curve, tuning)["verdict"]


def test_curves_row_reproduces_undamaged():
    assert curves_row() == "reproduced"


def test_sabotage_one_untuned_learning_rate_for_every_method(monkeypatch):
    monkeypatch.setattr(curves, "chosen_lr", lambda tuning: 1.0)  # GD's best rate, imposed on every batch size
    assert curves_row() in ("not reproduced", "partly")


# ---------------------------------------------------------------- C18


def minima_rows(cfg: dict) -> tuple[str, str]:
    """(the outcomes row's verdict, the midpoint row's verdict) for one task."""
    final, params = minima.final_losses(cfg)
    table = minima_verdicts.clusters(final, 0.1, 2)
    net = minima.task_net(cfg)
    data = minima.task_data(cfg, net)
    keep = final["outcome"].isin(minima.COUNTED).to_numpy()
    mids = nonconvex.midpoint_losses(net, pick(params, keep), data.X_train, data.Y_train) if keep.any() else None
    outcomes = minima_verdicts.outcomes_row(final, table, cfg)["verdict"]
    midpoint = minima_verdicts.midpoint_row({cfg["task"]: mids})["verdict"] if mids is not None else "not reproduced"
    return outcomes, midpoint


def test_minima_rows_reproduce_undamaged():
    assert minima_rows(XOR) == ("reproduced", "reproduced")


def test_sabotage_hidden_layer_removed_a_convex_problem(monkeypatch):
    # logistic regression on XOR: convex, every seed ends at the one minimum (loss ln 2)
    monkeypatch.setattr(minima, "task_net", lambda cfg: Net((2, 1), output=cfg["output"], loss=cfg["loss"]))
    final, _ = minima.final_losses(XOR)
    row = minima_verdicts.outcomes_row(final, minima_verdicts.clusters(final, 0.1, 2), XOR)
    assert row["verdict"] == "not reproduced"


def test_sabotage_every_seed_shares_one_initial_draw(monkeypatch):
    first = minima.initial_params

    def shared(cfg, net):
        one = first({**cfg, "n_seeds": 1}, net)
        return [(np.repeat(W, cfg["n_seeds"], axis=0), np.repeat(b, cfg["n_seeds"], axis=0)) for W, b in one]

    monkeypatch.setattr(minima, "initial_params", shared)
    assert minima_rows(XOR)[0] == "not reproduced"


def test_sabotage_budget_cut_before_runs_settle():
    # the old row's flaw: a spread of unconverged runs is expected even on a convex problem
    cfg = {**SPIRAL, "n_seeds": 60, "epochs": 100}
    final, _ = minima.final_losses(cfg)
    assert final["train_loss"].quantile(0.9) > 1.1 * final["train_loss"].quantile(0.1)  # the losses do spread
    assert (
        minima_verdicts.outcomes_row(final, minima_verdicts.clusters(final, 0.1, 2), cfg)["verdict"] == "not reproduced"
    )


def test_sabotage_permutation_forgets_the_next_layer(monkeypatch):
    def rows_only(params, i=0, j=1):  # units swapped in W1 and b1 but not in W2's columns
        (W1, b1), *rest = params
        order = np.arange(W1.shape[-2])
        order[[i, j]] = order[[j, i]]
        return [(W1[..., order, :], b1[..., order]), *rest]

    monkeypatch.setattr(nonconvex, "swap_units", rows_only)
    assert minima_rows(XOR)[1] == "not reproduced"


def test_sabotage_midpoint_is_the_solution_itself(monkeypatch):
    monkeypatch.setattr(nonconvex, "midpoint", lambda a, b: a)
    assert minima_rows(XOR)[1] == "not reproduced"
