"""Data: TensorFlow Playground's 2-D datasets with its exact semantics, and 1-D targets.

Playground (tensorflow/playground, `dataset.ts`, `playground.ts`; facts in
shared/reference/playground.md): raw coordinates, labels +-1 (classification) or real
(regression), generated in a fixed order, shuffled once and split unstratified into the
first pct% (train) and the rest (test). Draws come from numpy Generators, not from
Playground's seedrandom, so seeds differ from the web page's but the distributions and
every deterministic case (noise 0 spiral, the parity scenario) are the same.
"""

from typing import NamedTuple

import numpy as np


class Split(NamedTuple):
    """Train and test data: X (N, D) shared or (M, N, D) per member; Y (.., N, C)."""

    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray


N_CLASSIFY, N_REGRESS = 500, 1200


def _spiral(rng, noise):
    n = N_CLASSIFY // 2
    i = np.arange(n)
    r = 5 * i / n
    pts, labels = [], []
    for delta, label in ((0.0, 1.0), (np.pi, -1.0)):
        t = 1.75 * 2 * np.pi * i / n + delta
        nx, ny = rng.uniform(-1, 1, (2, n)) * noise
        pts.append(np.stack([r * np.sin(t) + nx, r * np.cos(t) + ny], axis=1))
        labels.append(np.full(n, label))
    return np.concatenate(pts), np.concatenate(labels)


def _circle(rng, noise):
    n = N_CLASSIFY // 2
    parts = []
    for r_lo, r_hi in ((0.0, 2.5), (3.5, 5.0)):
        r, a = rng.uniform(r_lo, r_hi, n), rng.uniform(0, 2 * np.pi, n)
        parts.append(np.stack([r * np.sin(a), r * np.cos(a)], axis=1))
    X = np.concatenate(parts)
    nxy = rng.uniform(-5, 5, X.shape) * noise  # noise flips labels, coordinates stay
    return X, np.where(np.hypot(*(X + nxy).T) < 2.5, 1.0, -1.0)


def _xor(rng, noise):
    X = rng.uniform(-5, 5, (N_CLASSIFY, 2))
    X = X + np.where(X > 0, 0.3, -0.3)
    nxy = rng.uniform(-5, 5, X.shape) * noise
    return X, np.where(np.prod(X + nxy, axis=1) >= 0, 1.0, -1.0)


def _gauss(rng, noise):
    n = N_CLASSIFY // 2
    sd = np.sqrt(0.5 + 7 * noise)
    X = np.concatenate([rng.normal(2, sd, (n, 2)), rng.normal(-2, sd, (n, 2))])
    return X, np.concatenate([np.ones(n), -np.ones(n)])


def _reg_plane(rng, noise):
    X = rng.uniform(-6, 6, (N_REGRESS, 2))
    nxy = rng.uniform(-6, 6, X.shape) * noise
    return X, (X + nxy).sum(axis=1) / 10


_CENTRES = np.array([[-4, 2.5], [0, 2.5], [4, 2.5], [-4, -2.5], [0, -2.5], [4, -2.5]])
_SIGNS = np.array([1.0, -1.0, 1.0, -1.0, 1.0, -1.0])


def _reg_gauss(rng, noise):
    X = rng.uniform(-6, 6, (N_REGRESS, 2))
    nxy = rng.uniform(-6, 6, X.shape) * noise
    d = np.linalg.norm((X + nxy)[:, None, :] - _CENTRES, axis=-1)  # (N, 6)
    values = _SIGNS * np.clip(1 - d / 2, 0, 1)
    return X, np.take_along_axis(values, np.abs(values).argmax(1)[:, None], 1)[:, 0]


PLAYGROUND = {
    "spiral": _spiral,
    "circle": _circle,
    "xor": _xor,
    "gauss": _gauss,
    "reg-plane": _reg_plane,
    "reg-gauss": _reg_gauss,
}
REGRESSION = ("reg-plane", "reg-gauss")
PLAYGROUND_ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")  # the hidden activations Playground offers
FEATURES = {  # Playground's input features, in its fixed order
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1**2,
    "x2^2": lambda x1, x2: x2**2,
    "x1x2": lambda x1, x2: x1 * x2,
    "sin_x1": lambda x1, x2: np.sin(x1),
    "sin_x2": lambda x1, x2: np.sin(x2),
}


def playground_points(name: str, rng: np.random.Generator, noise: float = 0.0):
    """Points (N, 2) and labels (N,) in Playground's generation order; noise in [0, 0.5]."""
    if name not in PLAYGROUND:
        raise ValueError(f"unknown dataset {name!r}; allowed: {sorted(PLAYGROUND)}")
    if not 0 <= noise <= 0.5:
        raise ValueError(f"noise must lie in [0, 0.5], got {noise!r}")
    return PLAYGROUND[name](rng, noise)


def features(X: np.ndarray, names) -> np.ndarray:
    """Playground's input vector: the enabled features in its fixed order, (..., N, F)."""
    unknown = [n for n in names if n not in FEATURES]
    if unknown or not names:
        raise ValueError(f"unknown or empty features {list(names)!r}; allowed: {list(FEATURES)}")
    return np.stack([f(X[..., 0], X[..., 1]) for n, f in FEATURES.items() if n in names], axis=-1)


def playground_split(name, rng, *, noise=0.0, train_pct=50, feature_names=("x1", "x2")) -> Split:
    """One seed's Playground data: generate, shuffle once, split the first pct% off."""
    if not 10 <= train_pct <= 90:
        raise ValueError(f"train_pct must lie in [10, 90], got {train_pct!r}")
    X, y = playground_points(name, rng, noise)
    order = rng.permutation(len(y))
    X, y = features(X[order], feature_names), y[order, None]
    n_train = len(y) * train_pct // 100
    return Split(X[:n_train], y[:n_train], X[n_train:], y[n_train:])


def stack_splits(splits) -> Split:
    """Per-member data of an ensemble: each array gains a leading axis M."""
    return Split(*(np.stack(arrays) for arrays in zip(*splits)))


TARGETS_1D = {  # continuous targets on [-1, 1] for the approximation experiments
    "sine": lambda x: np.sin(np.pi * x),
    "abs": np.abs,
    "oscillating": lambda x: np.sin(5 * np.pi * x),
    "step": lambda x: np.tanh(x / 0.02),
    # outside every activation's model class with few units: smooth (two bumps of opposite sign),
    # kinked (at -1/3, never a node -1 + 2k/K unless 3 divides K), oscillating (incommensurate
    # sines); rational where they can be, since np.exp's last bits differ between CPUs
    "bumps": lambda x: 1 / (1 + ((x + 0.35) / 0.12) ** 2) - 0.7 / (1 + ((x - 0.35) / 0.2) ** 2),
    "kink": lambda x: 1 / (1 + 4 * np.abs(x + 1 / 3)),
    "sines": lambda x: np.sin(3 * np.pi * x) + 0.5 * np.sin(3 * np.sqrt(2) * np.pi * x + 1.0),
}


def target_1d(name: str, x: np.ndarray) -> np.ndarray:
    """Values of a named 1-D target at x."""
    if name not in TARGETS_1D:
        raise ValueError(f"unknown target {name!r}; allowed: {sorted(TARGETS_1D)}")
    return TARGETS_1D[name](x)
