"""C20: a linear auto-encoder D -> K -> D trained by SGD learns the principal subspace.

Data: N Gaussian points whitened so that their covariance (1/N, centred) is exactly
U diag(lambda) U^T with U a random rotation. So the top-K PCA subspace span(u_1, ..., u_K) and
the Eckart-Young optimum of the mean loss 1/2 ||x - f(x)||^2 over rank-K affine maps,
L* = 1/2 sum_{j > K} lambda_j, are known exactly, and a tie lambda_K = lambda_K+1 is a tie of
the data, not only of the population. Every spectrum uses the same standard-normal draw and
rotation, and the same initial weights and batch orders: the spectra are compared on equal terms.

The net is Net((D, K, D), hidden linear, output linear, squared loss) with biases, trained by
`mlp.train.train` with reshuffled mini-batches, one call per checkpoint interval so the learning
rate can decay as lr / (1 + e / lr_decay_epochs) (SGD needs a decaying rate to settle at a
minimum instead of jittering around it).

Subspaces are compared by the sine of their largest principal angle,
sin theta_max = max(||(I - P_B) A||_2, ||(I - P_A) B||_2) for orthonormal bases A, B: 0 iff the
subspaces are equal, 1 if one has a direction orthogonal to the other (also when their
dimensions differ). Sines, not arccos of cosines, keep small angles accurate.
"""

import numpy as np
import pandas as pd

from mlp.data import Split
from mlp.network import Net, init, objective
from mlp.seeding import rng, rngs
from mlp.train import train


def rotation(D: int, generator: np.random.Generator) -> np.ndarray:
    """A random orthogonal U (D, D): QR of a Gaussian matrix, column signs fixed by diag(R) > 0."""
    Q, R = np.linalg.qr(generator.standard_normal((D, D)))
    return Q * np.where(np.diag(R) < 0, -1.0, 1.0)


def whitened_points(spectrum, N: int, generator: np.random.Generator, U: np.ndarray) -> np.ndarray:
    """X (N, D) with mean 0 and covariance X^T X / N = U diag(spectrum) U^T (to round-off)."""
    lam = np.asarray(spectrum, dtype=float)
    Z = generator.standard_normal((N, lam.size))
    Z -= Z.mean(axis=0)
    L = np.linalg.cholesky(Z.T @ Z / N)  # Z^T Z / N = L L^T
    Z = np.linalg.solve(L, Z.T).T  # (N, D), covariance I
    return (Z * np.sqrt(lam)) @ U.T


def optimum(spectrum, K: int) -> float:
    """Eckart-Young: the least mean 1/2 ||x - f(x)||^2 of a rank-K affine f, 1/2 sum_{j>K} lambda_j."""
    return 0.5 * float(np.sum(np.sort(spectrum)[::-1][K:]))


def basis(A: np.ndarray) -> np.ndarray:
    """An orthonormal basis (..., D, k) of the column span of A (..., D, k) (full column rank)."""
    return np.linalg.qr(A)[0]


def outside(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """||(I - P_B) A||_2 for orthonormal A (..., D, a), B (..., D, b): the sine of the largest angle
    between a direction of span A and span B; 0 iff span A lies inside span B. NaN if A is."""
    R = A - B @ (B.swapaxes(-1, -2) @ A)  # (..., D, a)
    finite = np.isfinite(R).all(axis=(-2, -1))
    out = np.full(finite.shape, np.nan)
    out[finite] = np.linalg.svd(R[finite], compute_uv=False)[..., 0]
    return out


def sin_largest_angle(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """sin theta_max between span A and span B (orthonormal bases), see the module docstring."""
    return np.maximum(outside(A, B), outside(B, A))


def autoencoder(D: int, K: int) -> Net:
    """Net((D, K, D)): linear hidden units (the encoder's rows), linear output (the decoder's columns)."""
    return Net((D, K, D), hidden="linear", output="linear", loss="squared")


def checkpoint_epochs(epochs: int, checkpoints: int) -> list[int]:
    """E j / checkpoints, j = 0..checkpoints (distinct when checkpoints <= E)."""
    return [round(epochs * j / checkpoints) for j in range(checkpoints + 1)]


def measure(net: Net, params, X, U, spectrum, K: int) -> dict[str, np.ndarray]:
    """Per member (M,): loss, its excess over the optimum, the gradient norm, and sines of angles:
    decoder columns vs the top-K eigenvectors (sin_top) and vs the next seed's decoder (sin_pair),
    encoder rows vs the top K (sin_top_encoder), how far the top K-1 lie outside the decoder's span
    (sin_inner) and the decoder's span outside the top K+1 (sin_outer)."""
    _, loss, grads = objective(net, params, X, X)
    grad_norm = np.sqrt(sum(np.sum(gW**2, axis=(-2, -1)) + np.sum(gb**2, axis=-1) for gW, gb in grads))
    decoder = basis(params[1][0])  # (M, D, K): the decoder W^(2)'s columns
    encoder = basis(params[0][0].swapaxes(-1, -2))  # (M, D, K): the encoder W^(1)'s rows
    L_star = optimum(spectrum, K)
    return {
        "loss": loss,
        "excess": (loss - L_star) / L_star,
        "grad_norm": grad_norm,
        "sin_top": sin_largest_angle(decoder, U[:, :K]),
        "sin_top_encoder": sin_largest_angle(encoder, U[:, :K]),
        "sin_pair": sin_largest_angle(decoder, np.roll(decoder, -1, axis=0)),
        "sin_inner": outside(U[:, : K - 1], decoder) if K > 1 else np.zeros(len(loss)),
        "sin_outer": outside(decoder, U[:, : K + 1]),
    }


def train_autoencoder(cfg: dict) -> pd.DataFrame:
    """One spectrum's cell: all seeds as one ensemble, measured at every checkpoint; one row per
    (seed, checkpoint) with the columns of `measure`, the epoch, the learning rate used up to it,
    the optimum and whether the member diverged."""
    spectrum, K, N = cfg["spectrum"], cfg["K"], cfg["points"]
    D = len(spectrum)
    U = rotation(D, rng(cfg["data_seed"], "projection", "rotation", D))
    X = whitened_points(spectrum, N, rng(cfg["data_seed"], "projection", "points", D), U)  # (N, D)
    net = autoencoder(D, K)
    seeds = range(cfg["seeds"])
    params = init(net, cfg["init"], rngs(seeds, "init", "projection", D, K))
    shuffles = rngs(seeds, "shuffle", "projection")
    epochs = checkpoint_epochs(cfg["epochs"], cfg["checkpoints"])
    data = Split(X, X, X, X)
    frames, lr = [], np.nan
    for j, epoch in enumerate(epochs):
        if j:
            lr = cfg["lr"] / (1 + epochs[j - 1] / cfg["lr_decay_epochs"])
            params = train(
                net,
                params,
                data,
                lr=lr,
                batch_size=cfg["batch_size"],
                epochs=epoch - epochs[j - 1],
                shuffle_rngs=shuffles,
                eval_epochs=[],
            ).params
        with np.errstate(over="ignore", invalid="ignore"):
            cols = measure(net, params, X, U, spectrum, K)
        frames.append(pd.DataFrame({"seed": list(seeds), "epoch": epoch, "lr": lr, **cols}))
    runs = pd.concat(frames, ignore_index=True)
    runs.insert(0, "spectrum", cfg["name"])
    return runs.assign(optimum=optimum(spectrum, K), diverged=~np.isfinite(runs["loss"]))
