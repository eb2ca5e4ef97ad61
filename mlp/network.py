"""The feed-forward network: initialisation, forward pass and backpropagation.

Layout: the lecture's z = W h + b with W of shape (K_l, K_{l-1}), applied to a batch of
rows as z = h W^T + b. Parameters are a list [(W1, b1), ..., (W_{L+1}, b_{L+1})] of plain
arrays that may carry leading ensemble axes (M independent networks): W (M, K_l, K_{l-1}),
b (M, K_l), inputs X (B, D) shared by all members or (M, B, D) per member. A single net
is M = 1 (or no ensemble axis at all); there is no second code path.

Products of layers with up to `mlp.ordered.FIXED_MAX_WEIGHTS` weights run in a fixed
summation order without BLAS (`mlp.ordered`), so f(x) and the gradients of the small nets
are the same bits on every x86 CPU; wider layers use BLAS.
"""

from dataclasses import dataclass

import numpy as np

from mlp.activations import ACTIVATIONS, get_activation
from mlp.losses import check_pair, loss_value_and_grad
from mlp.ordered import batch_sum, fixed_order, matmul_nn, matmul_nt, matmul_tn
from mlp.params import stack


def _glorot(rng, k_out, k_in):
    """W ~ U(-a, a), a = sqrt(6 / (fan_in + fan_out)), b = 0 (Glorot and Bengio 2010)."""
    a = np.sqrt(6.0 / (k_in + k_out))
    return rng.uniform(-a, a, (k_out, k_in)), np.zeros(k_out)


def _he(rng, k_out, k_in):
    """W ~ N(0, 2 / fan_in), b = 0 (He et al. 2015)."""
    return rng.normal(0.0, np.sqrt(2.0 / k_in), (k_out, k_in)), np.zeros(k_out)


def _playground(rng, k_out, k_in):
    """W ~ U[-0.5, 0.5), b = 0.1 (TensorFlow Playground; draws in link order)."""
    return rng.random((k_out, k_in)) - 0.5, np.full(k_out, 0.1)


INITS = {"glorot": _glorot, "he": _he, "playground": _playground}  # name -> (rng, K_l, K_{l-1}) -> (W, b)


def layer_product(h, W):
    """h W^T, i.e. z = W h per row: (..., B, K_in) x (..., K_out, K_in) -> (..., B, K_out);
    in the fixed order for small layers, by BLAS for wide ones."""
    if fixed_order(*W.shape[-2:]):
        return matmul_nt(h, W)
    return np.multiply(h, W.swapaxes(-1, -2)) if h.shape[-1] == 1 else h @ W.swapaxes(-1, -2)


def layer_backprop(grad_z, W):
    """grad_h = W^T grad_z per row: (..., B, K_out) x (..., K_out, K_in) -> (..., B, K_in)."""
    if fixed_order(*W.shape[-2:]):
        return matmul_nn(grad_z, W)
    return np.multiply(grad_z, W) if grad_z.shape[-1] == 1 else grad_z @ W


def layer_gradient(grad_z, h):
    """(grad_W, grad_b) = (grad_z^T h, sum of grad_z) over the batch: (..., K_out, K_in), (..., K_out)."""
    if fixed_order(grad_z.shape[-1], h.shape[-1]):
        return matmul_tn(grad_z, h), batch_sum(grad_z)
    return grad_z.swapaxes(-1, -2) @ h, np.add.reduce(grad_z, axis=-2)


@dataclass(frozen=True)
class Net:
    """Architecture [D, K_1, ..., K_L, C], hidden activation g, output map o and loss."""

    sizes: tuple[int, ...]
    hidden: str = "tanh"
    output: str = "linear"
    loss: str = "squared"

    def __post_init__(self):
        sizes = tuple(self.sizes)
        if len(sizes) < 2 or any(isinstance(k, bool) or int(k) != k or k < 1 for k in sizes):
            raise ValueError(f"sizes must be >= 2 positive integers [D, K1, ..., C], got {self.sizes!r}")
        object.__setattr__(self, "sizes", tuple(int(k) for k in sizes))
        get_activation(self.hidden)
        check_pair(self.output, self.loss)

    @property
    def L(self) -> int:
        """Number of hidden layers."""
        return len(self.sizes) - 2


def init(net: Net, scheme: str, rngs, dtype=np.float64) -> list[tuple[np.ndarray, np.ndarray]]:
    """Parameters of M = len(rngs) networks, member m drawn from rngs[m] alone, layer by
    layer with the registry entry INITS[scheme]."""
    if scheme not in INITS:
        raise ValueError(f"unknown init {scheme!r}; allowed: {sorted(INITS)}")
    draw = INITS[scheme]
    shapes = list(zip(net.sizes[1:], net.sizes[:-1]))  # (K_l, K_{l-1})
    members = [[draw(r, k_out, k_in) for k_out, k_in in shapes] for r in rngs]
    return [(W.astype(dtype), b.astype(dtype)) for W, b in stack(members)]


def check_input(params, X):
    """ValueError unless X has shape (..., B, D) for the first layer's D."""
    D = params[0][0].shape[-1]
    if X.ndim < 2 or X.shape[-1] != D:
        raise ValueError(f"inputs must have shape (..., B, {D}), got {X.shape}")


def forward(net: Net, params, X):
    """Output f(x) (..., B, C) and the cache [(z^(l), h^(l))] for l = 0..L+1 (z^(0) = None)."""
    check_input(params, X)
    h = X  # h^(0) = x: (B, D) or (M, B, D)
    cache = [(None, h)]
    g_hidden, g_out = ACTIVATIONS[net.hidden].g, ACTIVATIONS[net.output].g
    for l, (W, b) in enumerate(params, start=1):
        z = layer_product(h, W)  # z^(l) = W^(l) h^(l-1) + b^(l): (M, B, K_l)
        z += b[..., None, :]
        h = g_out(z) if l == len(params) else g_hidden(z)
        cache.append((z, h))
    return h, cache


def backward(net: Net, params, cache, grad_z):
    """Gradients [(grad_W, grad_b)] per layer from grad_z = dLoss/dz^(L+1), (..., B, C).

    The lecture's backpropagation loop; gradients are summed over the batch axis, so pass
    the gradient of the batch mean (divided by B) to get mean-loss gradients.
    """
    grads = [None] * len(params)
    vjp = ACTIVATIONS[net.hidden].vjp
    for l in range(len(params), 0, -1):  # for l from L+1 down to 1
        W, _ = params[l - 1]
        h_prev = cache[l - 1][1]
        # grad_W^(l) = grad_z^(l) h^(l-1)^T ; grad_b^(l) = grad_z^(l)
        grads[l - 1] = layer_gradient(grad_z, h_prev)
        if l > 1:
            grad_h = layer_backprop(grad_z, W)  # grad_h^(l-1) = W^(l)^T grad_z^(l)
            z, h = cache[l - 1]
            grad_z = vjp(z, h, grad_h)  # = grad_h (.) g'(z^(l-1))
    return grads


def omega(params) -> np.ndarray:
    """Omega(theta) = 1/2 sum_l ||W^(l)||^2 over weights (not biases), per member."""
    return 0.5 * sum(np.sum(W**2, axis=(-2, -1)) for W, _ in params)


def objective(net: Net, params, X, Y, l2: float = 0.0):
    """lambda Omega + (1/B) sum_i L(f(x_i), y_i) per member, with its gradient.

    Returns (objective (...,), mean data loss (...,), grads).
    """
    f, cache = forward(net, params, X)
    if Y.shape[-1] != f.shape[-1] or Y.shape[-2] != f.shape[-2]:
        raise ValueError(f"targets must have shape (..., {f.shape[-2]}, {f.shape[-1]}), got {Y.shape}")
    losses, grad_z = loss_value_and_grad(net.output, net.loss, cache[-1][0], f, Y)
    B = f.shape[-2]
    grads = backward(net, params, cache, grad_z / B)
    data_loss = losses.mean(axis=-1)
    if l2:
        grads = [(gW + l2 * W, gb) for (gW, gb), (W, _) in zip(grads, params)]
        return data_loss + l2 * omega(params), data_loss, grads
    return data_loss, data_loss, grads


def predict(net: Net, params, X) -> np.ndarray:
    """f(x) without the cache."""
    return forward(net, params, X)[0]
