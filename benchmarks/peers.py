"""The peers, each at its best: lean PyTorch steps, PyTorch ensembles in four formulations,
scikit-learn in both precisions, and a plain NumPy MLP.

Lean torch step: autograd forward and backward, gradients set to None, the update one
`torch._foreach_add_` under `no_grad` (no optimizer object). Ensembles of M nets (members on
a leading axis): autograd over batched products (bmm); a manual backward without autograd;
that manual step under `torch.compile`; `torch.func.vmap` of `torch.func.grad` over a
functional single net.
"""

import importlib
import warnings

import numpy as np

from benchmarks.workloads import LR, STEPS_PER_EPOCH, XOR, Ensemble, Shape, ensemble_data, make_data, net_params


def optional(name: str):
    """The module `name`, or None if it is not installed (the `bench` extra)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def torch_dtype(torch, dtype):
    return torch.float64 if np.dtype(dtype) == np.float64 else torch.float32


def torch_model(torch, sizes, hidden, output, tdtype):
    acts = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid}
    layers = []
    for l, (k_in, k_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        layers.append(torch.nn.Linear(k_in, k_out, dtype=tdtype))
        if l < len(sizes) - 1:
            layers.append(acts[hidden]())
        elif output in ("tanh", "sigmoid"):
            layers.append(acts[output]())  # squared loss on a tanh output; fused losses take logits
    return torch.nn.Sequential(*layers)


def torch_runner(torch, shape: Shape, dtype):
    """The lean torch step on STEPS_PER_EPOCH batches: (fn(n_epochs), steps per epoch)."""
    F = torch.nn.functional
    torch.manual_seed(0)
    loss = shape.loss
    model = torch_model(
        torch, shape.sizes, shape.hidden, shape.output if loss == "squared" else "linear", torch_dtype(torch, dtype)
    )
    params = list(model.parameters())
    X, Y, labels = make_data(shape.sizes, loss, STEPS_PER_EPOCH * shape.batch, dtype)
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(labels if loss == "cross_entropy" else Y)
    lossfn = {
        "squared": F.mse_loss,
        "cross_entropy": F.cross_entropy,
        "binary_cross_entropy": F.binary_cross_entropy_with_logits,
    }[loss]
    B = shape.batch

    def run(n_epochs):
        for _ in range(n_epochs):
            for k in range(STEPS_PER_EPOCH):
                for p in params:
                    p.grad = None
                lossfn(model(Xt[k * B : (k + 1) * B]), Yt[k * B : (k + 1) * B]).backward()
                with torch.no_grad():
                    torch._foreach_add_(params, [p.grad for p in params], alpha=-LR)

    return run, STEPS_PER_EPOCH


def sklearn_runner(shape: Shape, dtype):
    """scikit-learn's MLP with plain SGD (no momentum, no L2, no shuffling), in the dtype
    of its inputs (it keeps float32)."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    X, Y, labels = make_data(shape.sizes, shape.loss, STEPS_PER_EPOCH * shape.batch, dtype)
    classify = shape.loss == "cross_entropy"
    cls, y = (MLPClassifier, labels) if classify else (MLPRegressor, Y[:, 0])
    kw = {"solver": "sgd", "learning_rate_init": LR, "momentum": 0.0, "nesterovs_momentum": False, "alpha": 0.0}
    kw |= {"batch_size": shape.batch, "shuffle": False, "tol": 0.0, "random_state": 0}

    def run(n_epochs):
        est = cls(
            hidden_layer_sizes=shape.sizes[1:-1],
            activation=shape.hidden,
            max_iter=n_epochs,
            n_iter_no_change=n_epochs + 1,
            **kw,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            est.fit(X, y)

    return run, STEPS_PER_EPOCH


def numpy_mlp_runner(shape: Shape, dtype):
    """A plain NumPy MLP (relu hidden layers, softmax cross-entropy): the textbook step with
    one np.matmul per product and the gradient of the batch mean; no engine."""
    _, params = net_params(*shape[1:5], 1, dtype)
    Ws, bs = [W[0].T.copy() for W, _ in params], [b[0].copy() for _, b in params]
    X, Y, _ = make_data(shape.sizes, shape.loss, STEPS_PER_EPOCH * shape.batch, dtype)
    B = shape.batch

    def step(x, y):
        hs = [x]
        for W, b in zip(Ws[:-1], bs[:-1]):
            hs.append(np.maximum(hs[-1] @ W + b, 0))
        z = hs[-1] @ Ws[-1] + bs[-1]
        p = np.exp(z - z.max(1, keepdims=True))
        g = (p / p.sum(1, keepdims=True) - y) / B
        for l in range(len(Ws) - 1, -1, -1):
            gW, gb = hs[l].T @ g, g.sum(0)
            if l:
                g = (g @ Ws[l].T) * (hs[l] > 0)
            Ws[l] -= LR * gW
            bs[l] -= LR * gb

    def run(n_epochs):
        for _ in range(n_epochs):
            for k in range(STEPS_PER_EPOCH):
                step(X[k * B : (k + 1) * B], Y[k * B : (k + 1) * B])

    return run, STEPS_PER_EPOCH


# ----------------------------------------------------------------------------- torch ensembles

torch = optional("torch")  # the ensemble functions below are module-level, so one torch.compile serves every M


def _act(z, hidden):
    return torch.tanh(z) if hidden == "tanh" else torch.sigmoid(z)


def _forward(ps, x, hidden):
    """Activations [x, h1, ..., hL] and the output pre-activation z (batched or a single net)."""
    hs = [x]
    for l in range(0, len(ps) - 2, 2):
        hs.append(_act(torch.matmul(hs[-1], ps[l].transpose(-1, -2)) + ps[l + 1].unsqueeze(-2), hidden))
    return hs, torch.matmul(hs[-1], ps[-2].transpose(-1, -2)) + ps[-1].unsqueeze(-2)


def _mean_loss_sum(ps, x, y, hidden, loss):
    """Sum over members of each member's mean loss (so member gradients stay separate)."""
    z = _forward(ps, x, hidden)[1]
    if loss == "binary_cross_entropy":
        return torch.nn.functional.binary_cross_entropy_with_logits(z, y, reduction="sum") / x.shape[-2]
    return 0.5 * ((torch.tanh(z) - y) ** 2).sum() / x.shape[-2]


def _manual_grads(ps, x, y, hidden, loss):
    """Every member's mean-loss gradient by hand (no autograd)."""
    hs, z = _forward(ps, x, hidden)
    if loss == "binary_cross_entropy":
        g = (torch.sigmoid(z) - y) / x.shape[-2]
    else:
        f = torch.tanh(z)
        g = (f - y) * (1 - f * f) / x.shape[-2]
    grads = [None] * len(ps)
    for l in range(len(ps) // 2 - 1, -1, -1):
        grads[2 * l], grads[2 * l + 1] = torch.matmul(g.transpose(-1, -2), hs[l]), g.sum(-2)
        if l:
            h = hs[l]
            g = torch.matmul(g, ps[2 * l]) * (1 - h * h if hidden == "tanh" else h * (1 - h))
    return grads


_COMPILED = {}


def _compiled_grads():
    if "grads" not in _COMPILED:
        _COMPILED["grads"] = torch.compile(_manual_grads, dynamic=True)
    return _COMPILED["grads"]


def torch_ensemble_runners(ens: Ensemble, M: int, dtype, with_compile: bool = True) -> dict:
    """name -> (fn(n_epochs), model-steps per epoch) for the four torch formulations, on the
    core's initial parameters and data (members on the leading axis)."""
    _, params = net_params(*ens[1:5], M, dtype, scheme="glorot" if ens is XOR else "playground")
    start = [torch.tensor(np.ascontiguousarray(a)) for layer in params for a in layer]  # W1, b1, W2, b2, ...
    X, Y = (torch.tensor(np.ascontiguousarray(a)) for a in ensemble_data(ens, M, dtype))
    B, lr, kind = ens.batch, ens.lr, (ens.hidden, ens.loss)
    batches = [(X[:, k * B : (k + 1) * B], Y[:, k * B : (k + 1) * B]) for k in range(X.shape[1] // B)]
    units = M * len(batches)
    auto = [p.clone().requires_grad_(True) for p in start]

    def autograd_bmm(n):
        for _ in range(n):
            for x, y in batches:
                for p in auto:
                    p.grad = None
                _mean_loss_sum(auto, x, y, *kind).backward()
                with torch.no_grad():
                    torch._foreach_add_(auto, [p.grad for p in auto], alpha=-lr)

    def manual(grads, ps):
        def run(n):
            with torch.no_grad():
                for _ in range(n):
                    for x, y in batches:
                        torch._foreach_add_(ps, grads(ps, x, y, *kind), alpha=-lr)

        return run

    vgrad = torch.func.vmap(torch.func.grad(_mean_loss_sum), in_dims=(0, 0, 0, None, None))
    runners = {
        "torch autograd bmm": (autograd_bmm, units),
        "torch manual (no autograd)": (manual(_manual_grads, [p.clone() for p in start]), units),
        "torch.func.vmap(grad)": (
            manual(lambda *a: list(vgrad(tuple(a[0]), *a[1:])), [p.clone() for p in start]),
            units,
        ),
    }
    if with_compile:
        runners["torch manual, torch.compile"] = (manual(_compiled_grads(), [p.clone() for p in start]), units)
    return runners
