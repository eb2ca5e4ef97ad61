"""What is timed: the shapes, the ensemble workloads and their data, the core's runners.

A runner is (fn, units): fn(n) does n calls' worth of training, each call `units` steps
(or model-steps); `mlp.train.train` is timed as a whole, so a step's time includes the
training loop's own work.
"""

from typing import NamedTuple

import numpy as np

from mlp.data import Split, playground_split, stack_splits
from mlp.network import Net, init
from mlp.seeding import rng, rngs
from mlp.train import train


class Shape(NamedTuple):
    name: str
    sizes: tuple
    hidden: str
    output: str
    loss: str
    batch: int


WIDE = "1-4096-1 tanh B=256"
BIG = "784-256-256-10 relu softmax-CE B=128"
SHAPES = [
    Shape("2-4-2-1 tanh B=10", (2, 4, 2, 1), "tanh", "tanh", "squared", 10),
    Shape("2-64-64-1 relu B=32", (2, 64, 64, 1), "relu", "linear", "squared", 32),
    Shape("1-16-1 tanh B=256", (1, 16, 1), "tanh", "linear", "squared", 256),
    Shape("1-256-1 tanh B=256", (1, 256, 1), "tanh", "linear", "squared", 256),
    Shape(WIDE, (1, 4096, 1), "tanh", "linear", "squared", 256),
    Shape(BIG, (784, 256, 256, 10), "relu", "softmax", "cross_entropy", 128),
]
LECTURE_SIZE = ("2-4-2-1 tanh B=10", "2-64-64-1 relu B=32")
K_SCAN = (16, 64, 256, 1024, 4096, 16384)  # 1-K-1 tanh, B = 256: the scaling table over K
STEPS_PER_EPOCH = 10
LR = 0.01


def k_shape(K: int) -> Shape:
    return Shape(f"1-{K}-1 tanh B=256", (1, K, 1), "tanh", "linear", "squared", 256)


class Ensemble(NamedTuple):
    name: str
    sizes: tuple
    hidden: str
    output: str
    loss: str
    batch: int
    lr: float


XOR = Ensemble("XOR 2-2-1 sigmoid BCE B=4", (2, 2, 1), "sigmoid", "sigmoid", "binary_cross_entropy", 4, 0.5)
SPIRAL = Ensemble("Playground [4,2] tanh spiral B=10", (2, 4, 2, 1), "tanh", "tanh", "squared", 10, 0.03)
ENSEMBLES = (XOR, SPIRAL)
ENSEMBLE_M = (10, 100, 1000, 10000)


def make_data(sizes, loss, N, dtype, seed=0):
    """(X (N, D), Y (N, C), labels or None): Gaussian inputs, targets of the loss's kind."""
    r = np.random.default_rng(seed)
    X = r.normal(size=(N, sizes[0])).astype(dtype)
    C = sizes[-1]
    if loss == "cross_entropy":
        labels = r.integers(0, C, size=N)
        return X, np.eye(C, dtype=dtype)[labels], labels
    if loss == "binary_cross_entropy":
        labels = r.integers(0, 2, size=N)
        return X, labels[:, None].astype(dtype), labels
    return X, np.tanh(r.normal(size=(N, C))).astype(dtype), None


def net_params(sizes, hidden, output, loss, M, dtype, scheme=None):
    """The core's net and the parameters of M members (He for relu, else Glorot)."""
    net = Net(sizes, hidden=hidden, output=output, loss=loss)
    scheme = scheme or ("he" if hidden == "relu" else "glorot")
    return net, init(net, scheme, rngs(range(M), "bench"), dtype=dtype)


def core_runner(shape: Shape, dtype):
    """Epochs of `train` on STEPS_PER_EPOCH batches of B: (fn(n_epochs), steps per epoch)."""
    net, params = net_params(*shape[1:5], 1, dtype)
    X, Y, _ = make_data(shape.sizes, shape.loss, STEPS_PER_EPOCH * shape.batch, dtype)
    data = Split(X, Y, X[: shape.batch], Y[: shape.batch])

    def run(n_epochs):
        train(net, params, data, lr=LR, batch_size=shape.batch, epochs=n_epochs, eval_epochs=(), classify=False)

    return run, STEPS_PER_EPOCH


def ensemble_data(ens: Ensemble, M: int, dtype):
    """(X (M, N, D), Y (M, N, C)) per member: XOR's four points, or each member's own
    Playground spiral (250 training points, seeds 0..M-1)."""
    if ens is XOR:
        X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype)
        Y = np.array([[0], [1], [1], [0]], dtype)
        return np.broadcast_to(X, (M, 4, 2)), np.broadcast_to(Y, (M, 4, 1))
    data = stack_splits([playground_split("spiral", rng(s, "data"), noise=0.0) for s in range(M)])
    return data.X_train.astype(dtype), data.Y_train.astype(dtype)


def core_ensemble_runner(ens: Ensemble, M: int, dtype):
    """Epochs of `train` on M members (Playground: fixed order, B = 10, carry-over schedule):
    (fn(n_epochs), model-steps per epoch)."""
    net, params = net_params(*ens[1:5], M, dtype, scheme="playground" if ens is SPIRAL else "glorot")
    X, Y = ensemble_data(ens, M, dtype)
    data = Split(X, Y, X[0, : ens.batch], Y[0, : ens.batch])
    steps = X.shape[1] // ens.batch

    def run(n_epochs):
        train(net, params, data, lr=ens.lr, batch_size=ens.batch, epochs=n_epochs, eval_epochs=(), classify=False)

    return run, M * steps


def gemm_products(sizes, B):
    """(m, k, n) of every matrix product in one training step: forward z = h W^T, backward
    grad_W = grad_z^T h and grad_h = grad_z W (not into the input layer)."""
    prods = []
    for l, (k_in, k_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        prods += [(B, k_in, k_out), (k_out, B, k_in)] + ([(B, k_out, k_in)] if l > 1 else [])
    return prods


def gemm_runner(prods, dtype):
    """The step's matrix products alone, by np.matmul into preallocated outputs."""
    r = np.random.default_rng(0)
    mats = [
        (r.normal(size=(m, k)).astype(dtype), r.normal(size=(k, n)).astype(dtype), np.empty((m, n), dtype))
        for m, k, n in prods
    ]

    def run(n):
        for _ in range(n):
            for a, b, c in mats:
                np.matmul(a, b, out=c)

    return run, 1


def flops(prods) -> float:
    return float(sum(2 * m * k * n for m, k, n in prods))
