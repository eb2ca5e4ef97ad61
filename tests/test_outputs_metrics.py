"""Unit tests of the outputs family's pure functions: the mixtures' known P(y | x), the
metrics, and the robustness of its integer results to a few ulps."""

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit, softmax
from scipy.stats import multivariate_normal, norm

from experiments.outputs.metrics import binned, class_view, ece, f1, pick_threshold, point_metrics, support_counts
from experiments.outputs.mixtures import bayes_accuracy, bayes_sets, blob_posterior, draw, mixture, targets, truth
from experiments.outputs.summary import median_inf, paired
from experiments.outputs.trained import score, train_models
from mlp.network import forward

SPECS = {
    "binary": {"labels": "classes", "classes": 2, "blobs_per_class": 2, "radius": 2.0, "sigma": 0.9},
    "three_class": {"labels": "classes", "classes": 3, "blobs_per_class": 2, "radius": 2.0, "sigma": 0.7},
    "multilabel": {"labels": "sets", "classes": 4, "radius": 3.0, "sigma": 0.8},
}


@pytest.mark.parametrize("name", SPECS)
def test_posterior_is_bayes_rule_on_the_densities(name):
    """P(blob k | x) against scipy's Gaussian densities with equal weights, and the truth as
    its sum over blobs (each blob's label set counted 1/|S|)."""
    mix = mixture(SPECS[name])
    X = np.random.default_rng(0).normal(0, 3, (200, 2))
    dens = np.stack([multivariate_normal(mu, mix.sigma**2 * np.eye(2)).pdf(X) for mu in mix.means], axis=-1)
    post = dens / dens.sum(-1, keepdims=True)
    np.testing.assert_allclose(blob_posterior(mix, X), post, atol=1e-12)
    q = mix.sets / mix.sets.sum(-1, keepdims=True)
    np.testing.assert_allclose(truth(mix, X), post @ q, atol=1e-12)
    np.testing.assert_allclose(truth(mix, X).sum(-1), 1.0)


def test_layouts():
    three = mixture(SPECS["three_class"])
    assert three.sets.argmax(-1).tolist() == [0, 1, 2, 0, 1, 2] and not three.multilabel
    multi = mixture(SPECS["multilabel"])
    assert [np.flatnonzero(s).tolist() for s in multi.sets] == [[0], [0, 1], [1], [1, 2], [2], [2, 3], [3], [0, 3]]
    np.testing.assert_allclose(np.linalg.norm(multi.means, axis=-1), 3.0)
    X, blobs = draw(multi, 5, np.random.default_rng(0))
    np.testing.assert_allclose(targets(multi, blobs).sum(-1), 1.0)
    with pytest.raises(ValueError, match="unknown labels 'pairs'"):
        mixture({**SPECS["multilabel"], "labels": "pairs"})


def test_bayes_accuracy_of_two_blobs_is_the_normal_cdf():
    """Blobs at (+-r, 0), one class each: the Bayes classifier is the sign of x1, right with
    probability Phi(r / sigma)."""
    mix = mixture({"labels": "classes", "classes": 2, "blobs_per_class": 1, "radius": 1.5, "sigma": 1.0})
    assert bayes_accuracy(mix, 0.02) == pytest.approx(norm.cdf(1.5), abs=1e-5)
    X = np.array([[0.3, 5.0], [-0.3, -5.0]])
    assert bayes_sets(mix, X).argmax(-1).tolist() == [0, 1]


def test_class_view_of_a_sigmoid_scores_class_1():
    z = np.array([[[-3.0], [0.0], [40.0]]])
    Z, P = class_view("sigmoid", z)
    np.testing.assert_allclose(P[..., 1], expit(z[..., 0]))
    np.testing.assert_allclose(P, softmax(Z, axis=-1), atol=1e-15)
    assert P[0, 2, 0] > 0  # sigma(-40), not 1 - sigma(40) = 0


def test_point_metrics_worked_example():
    """P = (1/2, 1/2, 0) with label 2: cross-entropy -log 0 = inf, clipped -log(1e-6) = 13.8155;
    Brier 1/4 + 1/4 + 1 = 1.5. With label 0: -log 1/2, Brier 1/4 + 1/4 + 0 = 0.5."""
    P = np.array([[[0.5, 0.5, 0.0], [0.5, 0.5, 0.0]]])
    Z = np.array([[[1.0, 1.0, 0.0], [1.0, 1.0, 0.0]]])  # sparsemax(Z) = P
    Y = np.array([[[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]])
    m = point_metrics(Z, P, Y, 1e-6)
    assert m["cross_entropy"][0, 0] == np.inf and m["cross_entropy"][0, 1] == pytest.approx(np.log(2))
    assert m["cross_entropy_floor"][0, 0] == pytest.approx(-np.log(1e-6))
    np.testing.assert_allclose(m["squared"][0], [1.5, 0.5])
    # sparsemax loss at Z = (1, 1, 0), S = {0, 1}, tau = 1/2: -z_y + 1/2 (2 (1 - 1/4)) + 1/2
    np.testing.assert_allclose(m["sparsemax"][0], [0.0 + 0.75 + 0.5, -1.0 + 0.75 + 0.5])


def test_ece_against_labels_and_against_the_truth():
    """Confidence 0.8 everywhere, right half the time, true P of the predicted class 0.8: the
    usual ECE is |0.8 - 0.5| = 0.3, the one against the truth 0."""
    P = np.tile([0.8, 0.2], (1, 10, 1))
    T = P.copy()
    labels = np.array([[0, 1] * 5])
    bins = binned(P, T, labels, 10)
    assert bins["count"][0, 8] == 10
    np.testing.assert_allclose(ece(bins, "frequency"), [0.3])
    np.testing.assert_allclose(ece(bins, "true"), [0.0], atol=1e-15)
    assert np.isnan(ece(binned(P, T, None, 10), "frequency")).all()  # no labels: not applicable


def test_a_diverged_member_falls_in_no_bin():
    """NaN probabilities (a diverged member) are in no bin and give a NaN ECE; the other member's
    bins are unchanged."""
    P = np.stack([np.tile([0.8, 0.2], (10, 1)), np.full((10, 2), np.nan)])
    labels = np.tile([0, 1], (2, 5))
    bins = binned(P, P, labels, 10)
    assert bins["count"][0, 8] == 10 and bins["count"][1].sum() == 0
    with np.errstate(invalid="ignore"):
        e = ece(bins, "frequency")
    assert e[0] == pytest.approx(0.3) and np.isnan(e[1])


def test_support_counts_f1_and_threshold_choice():
    true = np.array([[[1, 0, 0], [1, 1, 0]]])
    P = np.array([[[0.7, 0.2, 0.1], [0.45, 0.35, 0.2]]])
    c = support_counts(P > 0.3, true)
    assert (c["tp"][0], c["predicted"][0], c["actual"][0]) == (3, 3, 3)
    assert f1(3, 3, 3) == 1.0 and f1(0, 0, 0) == 0.0
    assert pick_threshold(P, true, [0.1, 0.3, 0.5]).tolist() == [0.3]  # 0.1 adds false labels, 0.5 drops true ones


def test_median_keeps_infinite_values_and_pairs_may_be_missing():
    assert median_inf(np.array([1.0, np.inf, np.inf, np.inf, np.inf, np.inf, np.inf])).value == np.inf
    est = median_inf(np.array([1.0, 2.0, 3.0, np.nan, 4.0, 5.0, 6.0, 7.0]))
    assert est.value == 4.0
    assert paired(pd.Series([np.nan], index=[0]), pd.Series([1.0], index=[0])).n == 0


SMALL = {
    "seed": 0,
    "seeds": 3,
    "points": {"train": 300, "validation": 300, "test": 1500},
    "hidden": [8],
    "activation": "tanh",
    "init": "glorot",
    "batch": 50,
    "schedule": [{"lr": 1.0, "epochs": 20}],
    "converged_tol": 0.05,
    "bins": 10,
    "probability_floor": 1e-6,
    "thresholds": [0.1, 0.2, 0.3, 0.4],
}
INTEGERS = ["correct", "bayes_correct", "ce_infinite", "zeros", "tp", "predicted", "actual", "threshold"]


@pytest.mark.parametrize("name", ["three_class", "multilabel"])
def test_integer_results_do_not_move_with_a_few_ulps(name):
    """The counts a verdict rests on (right answers, exact zeros, label sets, the chosen
    threshold) are the same when the logits and the test points move by a few ulps."""
    losses = {"cross_entropy": "softmax", "sparsemax": "sparsemax"}
    cfg = {"dataset": name, "data": SPECS[name], "losses": losses, **SMALL}
    mix, splits, models = train_models(cfg)
    for m in models:
        z_test = m.Z  # softmax and sparsemax: the class view is the logits themselves
        z_val = forward(m.net, m.params, splits["validation"].X)[1][-1][0]
        base, *_ = score(mix, m.output, z_test, splits, z_val, cfg)
        for k in (-3, 3):
            bump = 1 + k * 2.0**-52
            moved = {s: p._replace(X=p.X * bump) for s, p in splits.items()}
            cols, *_ = score(mix, m.output, z_test * bump, moved, z_val * bump, cfg)
            for c in (c for c in INTEGERS if c in base):
                np.testing.assert_array_equal(cols[c], base[c], err_msg=f"{m.loss} {c} moved with {k} ulps")
