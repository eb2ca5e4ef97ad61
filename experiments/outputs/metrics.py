"""Test metrics of probability outputs against the labels and against the known truth.

Every model is scored in one space: logits Z and probabilities P over all C classes, shape
(M, n, C) for M members and n points. A sigmoid's single logit z scores class 1, so its
class view is Z = (0, z), P = (sigma(-z), sigma(z)). The three losses double as metrics on
(Z, P) with targets Y (one-hot, or q uniform over a label set):
  cross-entropy  -sum_c Y_c log P_c   (+inf where a class with Y_c > 0 gets P_c = 0 exactly)
  squared        sum_c (P_c - Y_c)^2  (the Brier score)
  sparsemax      the sparsemax loss of Z (mlp.losses)
"""

import numpy as np
from scipy.special import expit

from mlp.activations import ACTIVATIONS, sparsemax
from mlp.losses import loss_value_and_grad

METRICS = ("cross_entropy", "squared", "sparsemax")  # each loss's own metric, by the loss's name
OWN_METRIC = {"cross_entropy": "cross_entropy", "binary_cross_entropy": "cross_entropy"}  # else the loss itself


def own_metric(loss: str) -> str:
    """The metric a loss is trained for (binary cross-entropy is cross-entropy on two classes)."""
    return OWN_METRIC.get(loss, loss)


def class_view(output: str, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(Z, P) over all classes from the output layer's pre-activation z (M, n, C or 1)."""
    if output == "sigmoid":
        return np.concatenate([np.zeros_like(z), z], axis=-1), np.concatenate([expit(-z), expit(z)], axis=-1)
    return z, ACTIVATIONS[output].g(z)


def point_metrics(Z: np.ndarray, P: np.ndarray, Y: np.ndarray, floor: float) -> dict[str, np.ndarray]:
    """Per point (M, n): the three metrics, cross-entropy also with P clipped below at `floor`."""
    on = Y > 0
    with np.errstate(divide="ignore"):
        log_p = np.where(on, np.log(np.where(on, P, 1.0)), 0.0)  # log 0 = -inf only where Y_c > 0
    sparse, _ = loss_value_and_grad("sparsemax", "sparsemax", Z, sparsemax(Z), Y)
    return {
        "cross_entropy": -np.sum(Y * log_p, axis=-1),
        "cross_entropy_floor": -np.sum(Y * np.log(np.maximum(P, floor)), axis=-1),
        "squared": np.sum((P - Y) ** 2, axis=-1),
        "sparsemax": sparse,
    }


def binned(P: np.ndarray, T: np.ndarray, labels: np.ndarray | None, bins: int) -> dict[str, np.ndarray]:
    """Top-label reliability per member and bin (M, bins): the count, the mean confidence
    max_c P_c, the mean true probability T of the predicted class, and (given the labels of
    single-label data, else NaN) how often the predicted class is the label. Equal-width bins
    on [0, 1]; a diverged member's points (NaN probabilities) fall in no bin."""
    M, n, _ = P.shape
    pred = P.argmax(-1)  # (M, n)
    conf = np.take_along_axis(P, pred[..., None], -1)[..., 0]
    true = np.take_along_axis(T, pred[..., None], -1)[..., 0]
    hit = np.full(conf.shape, np.nan) if labels is None else (pred == labels).astype(float)
    scored = ~np.isnan(conf)
    b = np.minimum((np.where(scored, conf, 0.0) * bins).astype(int), bins - 1)
    idx = (np.arange(M)[:, None] * bins + b).ravel()  # one bincount for all members

    def per_bin(w):
        return np.bincount(idx, weights=np.where(scored, w, 0.0).ravel(), minlength=M * bins).reshape(M, bins)

    count = per_bin(np.ones_like(conf))
    with np.errstate(invalid="ignore"):  # empty bins: NaN means
        means = {k: per_bin(w) / count for k, w in (("confidence", conf), ("true", true), ("frequency", hit))}
    return {"count": count, **means}


def ece(bins: dict[str, np.ndarray], against: str) -> np.ndarray:
    """Expected calibration error per member: sum_b (n_b / n) |mean confidence - mean `against`|,
    with `against` 'frequency' (the usual estimate from labels) or 'true' (the known P);
    NaN where `against` is NaN in a non-empty bin (no labels)."""
    w = bins["count"] / bins["count"].sum(-1, keepdims=True)
    gap = np.where(bins["count"] > 0, np.abs(bins["confidence"] - bins[against]), 0.0)
    return np.sum(w * gap, axis=-1)


def support_counts(pred: np.ndarray, true: np.ndarray) -> dict[str, np.ndarray]:
    """Predicted vs true label sets (0/1, (..., n, C)): true positives, predicted, actual."""
    pred, true = pred.astype(bool), true.astype(bool)
    return {
        "tp": np.sum(pred & true, axis=(-2, -1)),
        "predicted": np.sum(pred, axis=(-2, -1)),
        "actual": np.sum(np.broadcast_to(true, pred.shape), axis=(-2, -1)),
    }


def f1(tp, predicted, actual):
    """Micro F1 = 2 tp / (predicted + actual)."""
    return 2 * np.asarray(tp) / np.maximum(np.asarray(predicted) + np.asarray(actual), 1)


def pick_threshold(P: np.ndarray, sets: np.ndarray, candidates) -> np.ndarray:
    """Per member, the candidate t whose support {c: P_c > t} has the best micro F1 on this
    (validation) data; the first best on ties. P (M, n, C), sets (M, n, C)."""
    t = np.asarray(candidates, dtype=float)
    counts = support_counts(P[None] > t[:, None, None, None], sets[None])  # (T, M) each
    return t[np.argmax(f1(**counts), axis=0)]
