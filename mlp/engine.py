"""Training steps for an ensemble of M nets: two data layouts behind one interface.

A step computes the gradient G of lambda Omega + (1/B) sum_{i in batch} L_i for all M
members at once and updates theta <- theta - lr * G. Parameters of all layers and members
live in one flat buffer P (gradients in G), each layer's block [W | b] a view, so the
update is one operation.

- `SlabSGD` (members last, fixed summation order): activations (K, B, M), layer blocks
  (K_out, K_in + 1, M). Every product is one broadcast multiply into a (K_out, K_in, B, M)
  slab and an `mlp.ordered.tree_sum`, vectorised over B x M with the members contiguous:
  for tiny layers a few multiply-adds over long rows instead of M tiny GEMMs; no BLAS, the
  same bits on every CPU and for any M (a member equals the net trained alone).
- `BatchedSGD` (members first, BLAS): activations (M, B, K), layer blocks
  (M, K_out, K_in + 1); a product is one batched GEMM. For wide layers.

`engine_for` picks the layout from the layer sizes alone (`mlp.ordered.fixed_order` on
every layer), never from M: a choice depending on M would make a member's arithmetic
depend on the size of its ensemble.

A step is a `Plan` per batch size: a list of `Op`s (label, call) on fixed buffers and
views, built once, so a step costs the ufuncs' own work plus one call each (what a step of
M = 10 nets costs) and allocates only inside the loss. `operations` hands the same ops to
benchmarks, so per-operation timings time what the step runs. Data go in with the points
on axis 1 in both layouts (`inputs`, `targets`, `take`); the batch schedule is the caller's.
"""

from collections.abc import Callable
from functools import partial
from typing import NamedTuple

import numpy as np

from mlp.activations import ACTIVATIONS
from mlp.losses import LOSSES
from mlp.network import Net
from mlp.ordered import fixed_order, tree_plan, tree_sum

PREDICT_ELEMENTS = 1 << 21  # predictions run over blocks of points whose step buffers hold about this many values


def _same(a):
    return a


class Op(NamedTuple):
    label: str  # what the operation computes, in the lecture's notation
    call: Callable[[], object]


def op(label: str, func, *args, **kwargs) -> Op:
    return Op(label, partial(func, *args, **kwargs))


class Plan(NamedTuple):
    forward: list[Op]  # z of every layer from the input buffer x
    backward: list[Op]  # the loss gradient at the output, backpropagation and the L2 term: G
    x: np.ndarray  # the batch's inputs with their ones (the bias input) are copied here
    y: np.ndarray  # the batch's targets
    z: np.ndarray  # the output layer's pre-activation


class _Engine:
    """Parameters and gradients of M nets in two flat buffers; plans per batch size."""

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
        self.plans = {}  # batch size -> Plan

    def plan(self, B: int) -> Plan:
        if B not in self.plans:
            self.plans[B] = self._build(B)
        return self.plans[B]

    def operations(self, B: int) -> list[Op]:
        """Every operation of a step on a batch of B, in order (the update last)."""
        p = self.plan(B)
        return [*p.forward, *p.backward, Op("update P -= lr G", self.update)]

    def gradient(self, Xb, Yb, with_loss: bool = False):
        """G <- the gradient of the batch objective at P, for a batch in the engine's layout;
        returns the (M,) batch mean losses if asked, else None."""
        p = self.plan(Xb.shape[1])
        np.copyto(p.x, Xb)
        np.copyto(p.y, Yb)
        for _, call in p.forward:
            call()
        for _, call in p.backward:
            call()
        if not with_loss:
            return None
        z, y = self.members_first(p.z), self.members_first(p.y)
        losses, _ = self.loss.value_and_grad(z, self.out.g(z), y, self.out)
        return tree_sum(losses.copy(), -1) / Xb.shape[1]

    def update(self):
        """theta <- theta - lr * G (G holds the last computed gradient)."""
        self.G *= self.lr
        self.P -= self.G

    def step(self, Xb, Yb, with_loss: bool = False):
        """One SGD step on a batch in the engine's layout; the (M,) batch mean losses if asked."""
        losses = self.gradient(Xb, Yb, with_loss)
        self.update()
        return losses

    def predict(self, X):
        """(z, f) of the output layer, (M, N, C), for inputs X in the engine's layout; over
        blocks of points, so that the step buffers stay small for large N."""
        N = X.shape[1]
        rows = max(1, PREDICT_ELEMENTS // self._point_elements())
        z = None
        for lo in range(0, N, rows):
            p = self.plan(min(rows, N - lo))
            np.copyto(p.x, X[:, lo : lo + rows])
            for _, call in p.forward:
                call()
            if z is None:
                z = np.empty((p.z.shape[0], N, p.z.shape[2]), p.z.dtype)
            z[:, lo : lo + rows] = p.z
        z = self.members_first(z)
        return z, self.out.g(z)

    def _activate(self, z, out):
        """h = g(z) into out; arrays with the unit axis last."""
        if self.elementwise:
            self.hidden.g(z, out=out)
        else:
            out[...] = self.hidden.g(z)

    def _backprop_activation(self, z, h, grad_h, out):
        """grad_z = grad_h (.) g'(z) (or the vjp of a simplex map) into out (z or grad_h)."""
        if self.elementwise:
            np.multiply(grad_h, self.hidden.derivative(z, h, out=z), out=out)
        else:
            out[...] = self.hidden.vjp(z, h, grad_h)

    def _output_grad(self, z, y, grad, scratch):
        """grad <- dL/dz at the output, arrays with the unit axis last: o(z) - y for a fused
        loss, else dL/df chained through the output map; elementwise maps into buffers."""
        elementwise = self.out.derivative is not None
        if self.loss.df is None:
            np.subtract(self.out.g(z, out=grad) if elementwise else self.out.g(z), y, out=grad)
        elif elementwise:  # g'(z) into its own array: a derivative may read f after writing its output
            f = self.out.g(z, out=scratch)
            np.multiply(self.loss.df(f, y, out=grad), self.out.derivative(z, f), out=grad)
        else:
            f = self.out.g(z)
            np.copyto(grad, self.out.vjp(z, f, self.loss.df(f, y)))

    def _l2_ops(self) -> list[Op]:
        """grad_W += lambda W for every layer (into G)."""
        if not self.l2:
            return []
        ops = []
        for gW, W in zip(self.grad_weights(), self.weights()):
            scratch = np.empty_like(W)
            ops += [
                op("lambda W", np.multiply, W, self.l2, out=scratch),
                op("grad_W += lambda W", np.add, gW, scratch, out=gW),
            ]
        return ops


class SlabSGD(_Engine):
    """Members on the last (contiguous) axis; fixed summation order, no BLAS."""

    def __init__(self, net: Net, params, lr: float, l2: float):
        M = params[0][0].shape[0]
        super().__init__(net, params, lr, l2, [(W.shape[1], W.shape[2] + 1, M) for W, _ in params])
        for A, (W, b) in zip(self.A, params):
            A[:, :-1], A[:, -1] = W.transpose(1, 2, 0), b.T

    def weights(self):
        return [A[:, :-1] for A in self.A]

    def _point_elements(self):
        """Elements of the step's buffers per point of a batch: the largest product slab."""
        return max(A.size for A in self.A)

    def grad_weights(self):
        return [gA[:, :-1] for gA in self.gA]

    def params(self):
        """[(W (M, K_out, K_in), b (M, K_out))] copies in mlp.network's layout."""
        return [(A[:, :-1].transpose(2, 0, 1).copy(), A[:, -1].T.copy()) for A in self.A]

    def grads(self):
        return [(gA[:, :-1].transpose(2, 0, 1).copy(), gA[:, -1].T.copy()) for gA in self.gA]

    def zero(self, members):
        """Set the parameters of the members (a boolean mask) to 0."""
        for A in self.A:
            A[..., members] = 0

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

    @staticmethod
    def members_first(A):
        """(K, N, M) -> an (M, N, K) view."""
        return A.transpose(2, 1, 0)

    @staticmethod
    def _unit_last(a):
        """(K, B, M) -> a (B, M, K) view, for the maps acting on the unit axis (softmax, sparsemax)."""
        return np.moveaxis(a, 0, -1)

    def _build(self, B) -> Plan:
        dtype, M, A = self.P.dtype, self.M, self.A
        slabs = [np.empty((a.shape[0], a.shape[1], B, M), dtype) for a in A]  # products before their sums
        zs = [np.empty((a.shape[0], B, M), dtype) for a in A]
        ins = [np.ones((a.shape[1], B, M), dtype) for a in A]  # [h^(l-1); 1]: x1, then each hidden layer's
        y, grad_z = np.empty_like(zs[-1]), np.empty_like(zs[-1])
        hidden_view, out_view = (self._unit_last if a.derivative is None else _same for a in (self.hidden, self.out))
        forward = []
        for l, a in enumerate(A):  # z = sum_k W_jk h_k + b_j, h = g(z)
            T = slabs[l][:, :-1]
            forward.append(op(f"W{l + 1}_jk h_k (products)", np.multiply, a[:, :-1, None, :], ins[l][None, :-1], out=T))
            tree, total = tree_plan(T, 1)
            forward += [Op(f"z{l + 1} = sum over k (tree)", c) for c in tree]
            forward.append(op(f"z{l + 1} += b{l + 1}", np.add, total, a[:, -1, None, :], out=zs[l]))
            if l + 1 < len(A):
                forward.append(
                    op(f"h{l + 1} = g(z{l + 1})", self._activate, hidden_view(zs[l]), hidden_view(ins[l + 1][:-1]))
                )
        backward = [
            op(
                "output map and dL/dz", self._output_grad, *(out_view(a) for a in (zs[-1], y, grad_z, np.empty_like(y)))
            ),
            op("/ B (batch mean)", np.divide, grad_z, B, out=grad_z),
        ]
        for l in range(len(A) - 1, -1, -1):  # for l from L+1 down to 1
            backward.append(
                op(f"grad_z{l + 1} [h{l}; 1] (products)", np.multiply, grad_z[:, None], ins[l][None], out=slabs[l])
            )
            tree, _ = tree_plan(slabs[l], 2, out=self.gA[l])
            backward += [Op(f"[grad_W{l + 1} | grad_b{l + 1}] = sum over batch (tree)", c) for c in tree]
            if l:
                T = slabs[l][:, :-1]
                backward.append(
                    op(f"W{l + 1}_jk grad_z_j (products)", np.multiply, A[l][:, :-1, None, :], grad_z[:, None], out=T)
                )
                tree, grad_h = tree_plan(T, 0)
                backward += [Op(f"grad_h{l} = sum over j (tree)", c) for c in tree]
                views = (hidden_view(a) for a in (zs[l - 1], ins[l][:-1], grad_h, zs[l - 1]))
                backward.append(op(f"grad_z{l} = grad_h{l} g'(z{l})", self._backprop_activation, *views))
                grad_z = zs[l - 1]  # grad_z^(l-1) overwrites z^(l-1)
        return Plan(forward, backward + self._l2_ops(), ins[0], y, zs[-1])


class BatchedSGD(_Engine):
    """Members on the first axis; each product one batched GEMM (BLAS). For wide layers."""

    def __init__(self, net: Net, params, lr: float, l2: float):
        M = params[0][0].shape[0]
        super().__init__(net, params, lr, l2, [(M, W.shape[1], W.shape[2] + 1) for W, _ in params])
        for A, (W, b) in zip(self.A, params):
            A[..., :-1], A[..., -1] = W, b

    def weights(self):
        return [A[..., :-1] for A in self.A]

    def _point_elements(self):
        """Elements of the step's buffers per point of a batch: z, h, grad_h, [h, 1] per layer."""
        return 4 * self.M * sum(A.shape[1] + 1 for A in self.A)

    def grad_weights(self):
        return [gA[..., :-1] for gA in self.gA]

    def params(self):
        return [(A[..., :-1].copy(), A[..., -1].copy()) for A in self.A]

    def grads(self):
        return [(gA[..., :-1].copy(), gA[..., -1].copy()) for gA in self.gA]

    def zero(self, members):
        """Set the parameters of the members (a boolean mask) to 0."""
        for A in self.A:
            A[members] = 0

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

    @staticmethod
    def members_first(A):
        return A

    @staticmethod
    def _product(a, b, out):
        """a @ b; a rank-1 product (k = 1) as a broadcast multiply, faster than BLAS's outer product."""
        return np.multiply(a, b, out=out) if a.shape[-1] == 1 else np.matmul(a, b, out=out)

    def _build(self, B) -> Plan:
        dtype, M, A = self.P.dtype, self.M, self.A
        zs = [np.empty((M, B, a.shape[1]), dtype) for a in A]
        hs = [np.empty_like(z) for z in zs[:-1]]
        grad_hs = [np.empty_like(z) for z in zs[:-1]]
        ins = [np.ones((M, B, a.shape[2]), dtype) for a in A]  # [h^(l-1), 1]
        y, grad_z = np.empty_like(zs[-1]), np.empty_like(zs[-1])
        forward = []
        for l, a in enumerate(A):
            forward.append(
                op(f"z{l + 1} = [h{l}, 1] A{l + 1}^T (GEMM)", self._product, ins[l], a.swapaxes(-1, -2), out=zs[l])
            )
            if l + 1 < len(A):  # g into contiguous h, then into [h, 1]: strided writes are slow for narrow layers
                forward.append(op(f"h{l + 1} = g(z{l + 1})", self._activate, zs[l], hs[l]))
                forward.append(op(f"copy h{l + 1} into [h{l + 1}, 1]", np.copyto, ins[l + 1][..., :-1], hs[l]))
        backward = [
            op("output map and dL/dz", self._output_grad, zs[-1], y, grad_z, np.empty_like(y)),
            op("/ B (batch mean)", np.divide, grad_z, B, out=grad_z),
        ]
        for l in range(len(A) - 1, -1, -1):
            gemm = f"[grad_W{l + 1} | grad_b{l + 1}] = grad_z{l + 1}^T [h{l}, 1] (GEMM)"
            backward.append(op(gemm, np.matmul, grad_z.swapaxes(-1, -2), ins[l], out=self.gA[l]))
            if l:
                backward.append(
                    op(
                        f"grad_h{l} = grad_z{l + 1} W{l + 1} (GEMM)",
                        self._product,
                        grad_z,
                        A[l][..., :-1],
                        out=grad_hs[l - 1],
                    )
                )
                views = (zs[l - 1], hs[l - 1], grad_hs[l - 1], grad_hs[l - 1])
                backward.append(op(f"grad_z{l} = grad_h{l} g'(z{l})", self._backprop_activation, *views))
                grad_z = grad_hs[l - 1]
        return Plan(forward, backward + self._l2_ops(), ins[0], y, zs[-1])


def engine_for(net: Net, params, lr: float, l2: float) -> SlabSGD | BatchedSGD:
    """The fixed-order members-last engine when every layer is small enough for it, else BLAS."""
    small = all(fixed_order(*W.shape[1:]) for W, _ in params)
    return (SlabSGD if small else BatchedSGD)(net, params, lr, l2)
