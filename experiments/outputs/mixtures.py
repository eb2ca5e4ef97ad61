"""Data whose P(y | x) is known: 2-D Gaussian blobs on a ring, each blob carrying a label set.

Blob k has mean mu_k on the circle of radius r (angle 2 pi k / K), covariance sigma^2 I and
weight 1 / K; its label set S_k is a row of the 0/1 matrix `sets` (K, C). Then
  P(blob k | x) = softmax_k(-||x - mu_k||^2 / (2 sigma^2))   (equal weights and covariances)
  P(y = c | x)  = sum_k P(k | x) [c in S_k]                   (single-label: one class per blob)
  E[q | x]      = sum_k P(k | x) S_k / |S_k|                  (multi-label target q, uniform over S)
Two layouts: `classes` (C classes, blobs alternating around the ring, so the Bayes boundary
is non-linear) and `sets` (C labels; blob 2j carries {j}, blob 2j + 1 the pair {j, j + 1}).
"""

from typing import NamedTuple

import numpy as np
from scipy.special import softmax


class Mixture(NamedTuple):
    means: np.ndarray  # (K, 2)
    sigma: float
    sets: np.ndarray  # (K, C) label sets as 0/1 rows

    @property
    def multilabel(self) -> bool:
        return bool((self.sets.sum(-1) > 1).any())


def mixture(spec: dict) -> Mixture:
    """The mixture a config entry describes: labels 'classes' (classes, blobs_per_class) or
    'sets' (classes = number of labels), radius, sigma."""
    C = spec["classes"]
    if spec["labels"] == "classes":
        K = C * spec["blobs_per_class"]
        sets = np.eye(C)[np.arange(K) % C]  # blob k carries class k mod C
    elif spec["labels"] == "sets":
        K = 2 * C
        j = np.arange(K) // 2
        sets = np.eye(C)[j] + (np.arange(K) % 2)[:, None] * np.eye(C)[(j + 1) % C]  # {j} or {j, j + 1}
    else:
        raise ValueError(f"unknown labels {spec['labels']!r}; allowed: ['classes', 'sets']")
    angle = 2 * np.pi * np.arange(K) / K
    means = spec["radius"] * np.stack([np.cos(angle), np.sin(angle)], axis=-1)
    return Mixture(means, float(spec["sigma"]), sets)


def draw(mix: Mixture, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n points (n, 2) and the blob each came from (n,)."""
    k = rng.integers(len(mix.means), size=n)
    return mix.means[k] + mix.sigma * rng.standard_normal((n, 2)), k


def blob_posterior(mix: Mixture, X: np.ndarray) -> np.ndarray:
    """P(blob k | x), (..., n, K)."""
    d2 = np.sum((X[..., None, :] - mix.means) ** 2, axis=-1)  # (..., n, K)
    return softmax(-d2 / (2 * mix.sigma**2), axis=-1)


def targets(mix: Mixture, blobs: np.ndarray) -> np.ndarray:
    """The training target of each point: one-hot class, or q uniform over the label set."""
    S = mix.sets[blobs]
    return S / S.sum(-1, keepdims=True)


def truth(mix: Mixture, X: np.ndarray) -> np.ndarray:
    """The known P(y = c | x) (single-label) or E[q | x] (multi-label), (..., n, C)."""
    S = mix.sets / mix.sets.sum(-1, keepdims=True)
    return blob_posterior(mix, X) @ S


def label_sets(mix: Mixture) -> tuple[np.ndarray, np.ndarray]:
    """The distinct label sets (n_sets, C) and the membership of each blob (K, n_sets)."""
    sets, blob_set = np.unique(mix.sets, axis=0, return_inverse=True)
    return sets, np.eye(len(sets))[blob_set.ravel()]


def bayes_sets(mix: Mixture, X: np.ndarray) -> np.ndarray:
    """The Bayes prediction argmax_S P(S | x) as 0/1 rows (..., n, C): for single-label data the
    Bayes classifier's class (one-hot), for multi-label data the most probable label set."""
    sets, member = label_sets(mix)
    return sets[(blob_posterior(mix, X) @ member).argmax(-1)]


def bayes_accuracy(mix: Mixture, step: float, chunk: int = 100_000) -> float:
    """The Bayes prediction's exact probability of being right,
      int max_S sum_{k: S_k = S} N(x; mu_k, sigma^2 I) / K dx,
    by the midpoint rule on a square grid of spacing `step` over every blob +- 6 sigma
    (the mass outside is below 1e-7)."""
    _, member = label_sets(mix)
    half = np.abs(mix.means).max() + 6 * mix.sigma
    t = np.arange(-half + step / 2, half, step)
    X = np.stack(np.meshgrid(t, t), axis=-1).reshape(-1, 2)
    total = 0.0
    for lo in range(0, len(X), chunk):  # (chunk, K) at a time: bounded memory
        d2 = np.sum((X[lo : lo + chunk, None, :] - mix.means) ** 2, axis=-1)
        density = np.exp(-d2 / (2 * mix.sigma**2)) / (2 * np.pi * mix.sigma**2 * len(mix.means))
        total += np.sum((density @ member).max(-1))
    return float(total * step**2)
