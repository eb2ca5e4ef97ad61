"""Training steps for an ensemble of M nets: two data layouts behind one interface.

A step computes the gradient of lambda Omega + (1/B) sum_{i in batch} L_i for all M
members at once and updates theta <- theta - lr * grad. Parameters of all layers and
members live in one flat buffer P (gradients in G), each layer's [W | b] a view, so the
update is one operation.

- `SlabSGD` (members last, fixed summation order): activations (K, B, M), layer blocks
  (K_out, K_in + 1, M). Every product is one broadcast multiply into a (K_out, K_in, B, M)
  slab and a `mlp.ordered.tree_sum`, vectorised over B x M with the members contiguous:
  for tiny layers a handful of multiply-adds over long rows instead of M tiny GEMMs, no
  BLAS, and the same bits on every CPU and for any M (a member equals the net alone).
- `BatchedSGD` (members first, BLAS): activations (M, B, K), layer blocks
  (M, K_out, K_in + 1); a product is one batched GEMM. For wide layers.

`engine_for` picks the layout from the layer sizes alone (`mlp.ordered.fixed_order` on
every layer), never from M: a choice depending on M would make a member's arithmetic
depend on the size of its ensemble. Both engines read and write training data with the
points on axis 1 (`inputs`, `targets`, `take`), so the batch schedule is the caller's.
"""

from functools import partial

import numpy as np

from mlp.activations import ACTIVATIONS
from mlp.losses import LOSSES
from mlp.network import Net, forward
from mlp.ordered import fixed_order, tree_plan, tree_sum

PREDICT_ELEMENTS = 1 << 21  # predictions run over blocks of points whose product slabs hold about this many values


class _Flat:
    """Parameters and gradients of M nets in two flat buffers, layer l a view `shape(l)`."""

    def __init__(self, net: Net, params, lr: float, l2: float, shapes):
        dtype = params[0][0].dtype
        bounds = np.cumsum([0] + [int(np.prod(shape)) for shape in shapes])
        self.P, self.G = np.empty(bounds[-1], dtype), np.empty(bounds[-1], dtype)
        self.A, self.gA = (
            [buf[lo:hi].reshape(shape) for lo, hi, shape in zip(bounds, bounds[1:], shapes)] for buf in (self.P, self.G)
        )
        self.M = params[0][0].shape[0]
        self.hidden, self.out = ACTIVATIONS[net.hidden], ACTIVATIONS[net.output]
        self.elementwise = self.hidden.derivative is not None
        self.loss = LOSSES[net.loss]
        self.lr, self.l2 = lr, l2
        self.buffers = {}  # batch size -> buffers of the step

    def update(self):
        """theta <- theta - lr * G (G holds the last computed gradient)."""
        self.G *= self.lr
        self.P -= self.G

    def step(self, Xb, Yb, with_loss: bool = False):
        """One SGD step on a batch in the engine's layout; the (M,) batch mean losses if asked."""
        losses = self.gradient(Xb, Yb, with_loss)
        self.update()
        return losses

    def _loss_and_grad(self, z, Y, with_loss):
        """(per-sample losses (B, M) or None, grad_z) with z, Y of shape (..., B, C)."""
        f = self.out.g(z)
        if with_loss:
            return self.loss.value_and_grad(z, f, Y, self.out)
        return None, self.loss.grad(z, f, Y, self.out)

    def _add_l2(self):
        if self.l2:
            for gW, W in zip(self.grad_weights(), self.weights()):
                gW += self.l2 * W


class SlabSGD(_Flat):
    """Members on the last (contiguous) axis; fixed summation order, no BLAS."""

    def __init__(self, net: Net, params, lr: float, l2: float):
        M = params[0][0].shape[0]
        super().__init__(net, params, lr, l2, [(W.shape[1], W.shape[2] + 1, M) for W, _ in params])
        for A, (W, b) in zip(self.A, params):
            A[:, :-1], A[:, -1] = W.transpose(1, 2, 0), b.T

    def weights(self):
        return [A[:, :-1] for A in self.A]

    def zero(self, members):
        """Set the parameters of the members (a boolean mask) to 0."""
        for A in self.A:
            A[..., members] = 0

    def grad_weights(self):
        return [gA[:, :-1] for gA in self.gA]

    def params(self):
        """[(W (M, K_out, K_in), b (M, K_out))] copies in mlp.network's layout."""
        return [(A[:, :-1].transpose(2, 0, 1).copy(), A[:, -1].T.copy()) for A in self.A]

    def grads(self):
        return [(gA[:, :-1].transpose(2, 0, 1).copy(), gA[:, -1].T.copy()) for gA in self.gA]

    def inputs(self, X):
        """(M, N, D) -> (D + 1, N, M): inputs with a row of ones (the bias input)."""
        X = np.broadcast_to(X, (self.M, *X.shape[-2:])).transpose(2, 1, 0)
        return np.concatenate([X, np.ones((1, *X.shape[1:]), X.dtype)])

    def targets(self, Y):
        """(M, N, C) -> (C, N, M)."""
        return np.ascontiguousarray(np.broadcast_to(Y, (self.M, *Y.shape[-2:])).transpose(2, 1, 0))

    @staticmethod
    def take(A, order):
        """A (K, N, M) with each member's points in its order (M, N)."""
        return np.take_along_axis(A, order.T[None], axis=1)

    def _plan(self, B):
        """The step for batch size B as a list of calls on fixed buffers and views, and the
        buffers the batch is copied into (x1 (D + 1, B, M), y (C, B, M)) and the z's: per
        call only the ufunc's own overhead, which is what a step of M = 10 nets costs."""
        if B not in self.buffers:
            self.buffers[B] = self._build(B)
        return self.buffers[B]

    def _build(self, B):
        dtype, M, A = self.P.dtype, self.M, self.A
        slabs = [np.empty((a.shape[0], a.shape[1], B, M), dtype) for a in A]  # products before their sums
        zs = [np.empty((a.shape[0], B, M), dtype) for a in A]
        ins = [np.ones((a.shape[1], B, M), dtype) for a in A]  # [h^(l-1); 1]: x1, then each hidden layer's
        y, grad_out = np.empty((A[-1].shape[0], B, M), dtype), np.empty((A[-1].shape[0], B, M), dtype)
        forward = calls = []  # the calls of the forward pass, then of the loss gradient and backward pass
        for l, a in enumerate(A):  # forward: z = sum_k W_jk h_k + b_j, h = g(z)
            k_in = a.shape[1] - 1
            T = slabs[l][:, :k_in]
            calls.append(partial(np.multiply, a[:, :-1, None, :], ins[l][None, :k_in], out=T))
            tree, total = tree_plan(T, 1)
            calls += [*tree, partial(np.add, total, a[:, -1, None, :], out=zs[l])]
            if l + 1 < len(A):
                calls.append(partial(self._activate, zs[l], ins[l + 1][:-1]))
        calls = [partial(self._output_grad, zs[-1], y, grad_out)]
        calls.append(partial(np.divide, grad_out, B, out=grad_out))  # the gradient of the batch mean
        grad_z = grad_out
        for l in range(len(A) - 1, -1, -1):  # backward, for l from L+1 down to 1
            calls.append(partial(np.multiply, grad_z[:, None], ins[l][None], out=slabs[l]))
            calls += tree_plan(slabs[l], 2, out=self.gA[l])[0]  # [grad_W | grad_b] = sum_i grad_z_i [h_i; 1]^T
            if l:
                k_in = A[l].shape[1] - 1
                T = slabs[l][:, :k_in]
                calls.append(partial(np.multiply, A[l][:, :-1, None, :], grad_z[:, None], out=T))
                tree, grad_h = tree_plan(T, 0)  # W^T grad_z: (K_in, B, M)
                calls += [*tree, partial(self._backprop_activation, zs[l - 1], ins[l][:-1], grad_h)]
                grad_z = zs[l - 1]  # grad_z^(l-1) overwrites z^(l-1)
        return forward, calls, ins, y, zs

    def _output_grad(self, z, y, grad):
        """grad <- dL/dz at the output, (C, B, M); the maps act on the unit axis, put last."""
        z, y, grad = (a.transpose(1, 2, 0) for a in (z, y, grad))
        if self.out.derivative is not None and self.loss.output is not None:  # a fused loss: o(z) - y
            np.subtract(self.out.g(z, out=grad), y, out=grad)
        else:
            np.copyto(grad, self.loss.grad(z, self.out.g(z), y, self.out))

    def _activate(self, z, out):
        if self.elementwise:
            return self.hidden.g(z, out=out)
        out[...] = self.hidden.g(np.moveaxis(z, 0, -1)).transpose(2, 0, 1)  # the unit axis last
        return out

    def _backprop_activation(self, z, h, grad_h):
        """grad_z = grad_h (.) g'(z) into z's buffer (or the vjp of a simplex map)."""
        if self.elementwise:
            return np.multiply(grad_h, self.hidden.derivative(z, h, out=z), out=z)
        unit_last = (np.moveaxis(a, 0, -1) for a in (z, h, grad_h))
        z[...] = self.hidden.vjp(*unit_last).transpose(2, 0, 1)
        return z

    def forward(self, Xb):
        """The forward pass of the step on a batch (D + 1, B, M): ([z^(1..L+1)], [x1, [h; 1]...]),
        views of the step's buffers (the gradient's calls overwrite them)."""
        forward, _, ins, _, zs = self._plan(Xb.shape[1])
        np.copyto(ins[0], Xb)
        for call in forward:
            call()
        return zs, ins

    def predict(self, X):
        """(z, f) of the output layer, (M, N, C) views, for inputs X in the engine's layout;
        over blocks of points, so that the product slabs stay small for large N."""
        N, slab = X.shape[1], max(A.shape[0] * A.shape[1] for A in self.A) * self.M
        rows = max(1, PREDICT_ELEMENTS // slab)
        z = np.empty((self.A[-1].shape[0], N, self.M), self.P.dtype)
        for lo in range(0, N, rows):
            z[:, lo : lo + rows] = self.forward(X[:, lo : lo + rows])[0][-1]
        z = z.transpose(2, 1, 0)
        return z, self.out.g(z)

    @staticmethod
    def members_first(A):
        """An array of the engine's layout (K, N, M) as an (M, N, K) view."""
        return A.transpose(2, 1, 0)

    def gradient(self, Xb, Yb, with_loss: bool = False):
        """G <- the gradient of the batch objective at P; the (M,) batch mean losses if asked."""
        forward, backward, ins, y, zs = self._plan(Xb.shape[1])
        np.copyto(ins[0], Xb)
        np.copyto(y, Yb)
        for call in (*forward, *backward):
            call()
        self._add_l2()
        if not with_loss:
            return None
        z = zs[-1].transpose(1, 2, 0)
        losses, _ = self.loss.value_and_grad(z, self.out.g(z), y.transpose(1, 2, 0), self.out)
        return tree_sum(losses.copy(), 0) / Xb.shape[1]


class BatchedSGD(_Flat):
    """Members on the first axis; each product one batched GEMM (BLAS). For wide layers."""

    def __init__(self, net: Net, params, lr: float, l2: float):
        M = params[0][0].shape[0]
        super().__init__(net, params, lr, l2, [(M, W.shape[1], W.shape[2] + 1) for W, _ in params])
        self.net = net
        for A, (W, b) in zip(self.A, params):
            A[..., :-1], A[..., -1] = W, b
        self.AT = [A.swapaxes(-1, -2) for A in self.A]

    def weights(self):
        return [A[..., :-1] for A in self.A]

    def zero(self, members):
        """Set the parameters of the members (a boolean mask) to 0."""
        for A in self.A:
            A[members] = 0

    def grad_weights(self):
        return [gA[..., :-1] for gA in self.gA]

    def params(self):
        return [(A[..., :-1].copy(), A[..., -1].copy()) for A in self.A]

    def grads(self):
        return [(gA[..., :-1].copy(), gA[..., -1].copy()) for gA in self.gA]

    def inputs(self, X):
        """(M, N, D) -> (M, N, D + 1): inputs with a column of ones."""
        X = np.broadcast_to(X, (self.M, *X.shape[-2:]))
        return np.concatenate([X, np.ones((*X.shape[:2], 1), X.dtype)], axis=-1)

    def targets(self, Y):
        """Per member and contiguous: ufuncs on broadcast (stride-0) views are slower."""
        return np.ascontiguousarray(np.broadcast_to(Y, (self.M, *Y.shape[-2:])))

    @staticmethod
    def take(A, order):
        return np.take_along_axis(A, order[..., None], axis=1)

    def predict(self, X):
        """(z, f) of the output layer, (M, N, C), for inputs X (M, N, D + 1)."""
        f, cache = forward(self.net, self.params(), X[..., :-1])
        return cache[-1][0], f

    @staticmethod
    def members_first(A):
        return A

    def _buffers(self, B):
        """Per hidden layer (z, h, grad_h, [h, 1]), so a step allocates only the loss's arrays."""
        if B not in self.buffers:
            dtype = self.P.dtype
            self.buffers[B] = [
                (*(np.empty((self.M, B, K), dtype) for _ in range(3)), np.ones((self.M, B, K + 1), dtype))
                for K in (A.shape[1] for A in self.A[:-1])
            ]
        return self.buffers[B]

    @staticmethod
    def _product(a, b, out=None):
        """a @ b; a rank-1 product (k = 1) as a broadcast multiply, faster than BLAS's outer product."""
        return np.multiply(a, b, out=out) if a.shape[-1] == 1 else np.matmul(a, b, out=out)

    def gradient(self, Xb, Yb, with_loss: bool = False):
        """G <- the gradient of the batch objective at P; the (M,) batch mean losses if asked."""
        buffers = self._buffers(Xb.shape[-2])
        ins = [Xb, *(h1 for *_, h1 in buffers)]  # [h^(l), 1] for l = 0..L
        for l, (z, h, _, h1) in enumerate(buffers):  # hidden layers: z^(l) = W^(l) h^(l-1) + b^(l)
            z = self._product(ins[l], self.AT[l], out=z)
            if self.elementwise:  # into contiguous h: strided writes are slow for narrow layers
                h1[..., :-1] = self.hidden.g(z, out=h)
            else:  # a simplex map as hidden activation
                h1[..., :-1] = h[...] = self.hidden.g(z)
        losses, grad_z = self._loss_and_grad(self._product(ins[-1], self.AT[-1]), Yb, with_loss)
        B = Xb.shape[-2]
        grad_z /= B  # the gradient of the batch mean
        for l in range(len(self.A) - 1, -1, -1):  # for l from L+1 down to 1
            np.matmul(grad_z.swapaxes(-1, -2), ins[l], out=self.gA[l])  # [grad_W | grad_b] = grad_z [h, 1]^T
            if l:
                z, h, grad_h, _ = buffers[l - 1]
                grad_h = self._product(grad_z, self.A[l][..., :-1], out=grad_h)  # W^T grad_z
                if self.elementwise:  # grad_z = grad_h * g'(z), in place; g'(z) overwrites z
                    grad_z = np.multiply(grad_h, self.hidden.derivative(z, h, out=z), out=grad_h)
                else:
                    grad_z = self.hidden.vjp(z, h, grad_h)
        self._add_l2()
        return None if losses is None else np.add.reduce(losses, axis=-1) / B


def engine_for(net: Net, params, lr: float, l2: float) -> SlabSGD | BatchedSGD:
    """The fixed-order members-last engine when every layer is small enough for it, else BLAS."""
    small = all(fixed_order(*W.shape[1:]) for W, _ in params)
    return (SlabSGD if small else BatchedSGD)(net, params, lr, l2)
