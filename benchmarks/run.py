"""Benchmark harness: the core's training step against PyTorch (CPU) and scikit-learn.

    python -m benchmarks                 # all figures at 1 and 2 threads -> benchmarks/RESULTS.md
    python -m benchmarks --pipeline      # also the default and quick Snakemake pipelines (minutes)
    python -m benchmarks --quick         # fewer repeats (a smoke run; writes the same file)

Each thread count runs in its own subprocess with OMP/OPENBLAS/MKL_NUM_THREADS set (and
threadpoolctl / torch.set_num_threads as a second guard). Every figure is the median of
repeated timings after a warm-up; the implementations compared in one table are timed
interleaved (round robin), so a load on the shared machine hits them alike. Peers that are
not installed (the `bench` extra: torch, scikit-learn) are skipped and marked n/a.
OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, when set in the environment, are removed in the worker
processes only (they pin OpenBLAS to an old kernel); `--keep-openblas-env` keeps them. The
kernel OpenBLAS then runs is reported (threadpoolctl).
"""

import argparse
import cProfile
import importlib
import io
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
OPENBLAS_PIN = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")

WIDE = "1-4096-1 tanh B=256"  # the wide shape: targets, a step breakdown and the shortfalls text
# (name, sizes, hidden, output, loss, batch); N = STEPS_PER_EPOCH * batch training points
SHAPES = [
    ("2-4-2-1 tanh B=10", (2, 4, 2, 1), "tanh", "tanh", "squared", 10),
    ("2-64-64-1 relu B=32", (2, 64, 64, 1), "relu", "linear", "squared", 32),
    ("1-16-1 tanh B=256", (1, 16, 1), "tanh", "linear", "squared", 256),
    ("1-256-1 tanh B=256", (1, 256, 1), "tanh", "linear", "squared", 256),
    (WIDE, (1, 4096, 1), "tanh", "linear", "squared", 256),
    ("784-256-256-10 relu softmax-CE B=128", (784, 256, 256, 10), "relu", "softmax", "cross_entropy", 128),
]
LECTURE_SIZE = ("2-4-2-1 tanh B=10", "2-64-64-1 relu B=32")
STEPS_PER_EPOCH = 10
LR = 0.01
ENSEMBLE_M, ENSEMBLE_STEPS = 100, 5000
ENSEMBLE = ((2, 2, 1), "sigmoid", "sigmoid", "binary_cross_entropy", 4)  # sizes, hidden, output, loss, B (XOR)
# targets: core / torch step on the wide shape; ensemble loop / ensemble, and its per model-step time
WIDE_LIMIT = {"float32": 1.0, "float64": 1.5}
ENS_LOOP_MIN, ENS_STEP_MAX_US = 40, 1.0


# ----------------------------------------------------------------------------- timing


def _calibrate(fn, target: float) -> int:
    """Units n such that fn(n) takes about `target` seconds."""
    n = 1
    while True:
        t = time.perf_counter()
        fn(n)
        dt = time.perf_counter() - t
        if dt >= target / 4 or n >= 1 << 20:
            return max(1, int(n * target / max(dt, 1e-9)))
        n *= 4


def paired_ratio(a: dict, b: dict) -> float:
    """Median over the rounds of a's time / b's time in the same round: the two were timed
    next to each other, so a load swing on the shared machine hits both."""
    return statistics.median(x / y for x, y in zip(a["samples"], b["samples"]))


def measure(runners: dict, target: float, repeats: int) -> dict:
    """Median seconds per unit of each runner fn(n) (n units of work), timed round robin.

    runners: name -> (fn, units_per_call_unit). One warm-up round, then `repeats` rounds."""
    counts = {k: _calibrate(fn, target) for k, (fn, _) in runners.items()}
    samples = {k: [] for k in runners}
    for rep in range(repeats + 1):
        for k, (fn, units) in runners.items():
            t = time.perf_counter()
            fn(counts[k])
            dt = time.perf_counter() - t
            if rep:  # round 0 is the warm-up
                samples[k].append(dt / (counts[k] * units))
    return {k: {"median": statistics.median(v), "min": min(v), "samples": v} for k, v in samples.items()}


# ----------------------------------------------------------------------------- peers


def _optional(name: str):
    """The module `name`, or None if it is not installed."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _torch_dtype(torch, dtype):
    return torch.float64 if dtype == np.float64 else torch.float32


def make_data(sizes, loss, N, dtype, seed=0):
    r = np.random.default_rng(seed)
    X = r.normal(size=(N, sizes[0])).astype(dtype)
    C = sizes[-1]
    if loss == "cross_entropy":
        labels = r.integers(0, C, size=N)
        Y = np.eye(C, dtype=dtype)[labels]
    elif loss == "binary_cross_entropy":
        labels = r.integers(0, 2, size=N)
        Y = labels[:, None].astype(dtype)
    else:
        labels = None
        Y = np.tanh(r.normal(size=(N, C))).astype(dtype)
    return X, Y, labels


def _net_params(sizes, hidden, output, loss, M, dtype):
    """The core's net and the parameters of M members (He for relu, else Glorot)."""
    from mlp.network import Net, init
    from mlp.seeding import rngs

    net = Net(sizes, hidden=hidden, output=output, loss=loss)
    return net, init(net, "he" if hidden == "relu" else "glorot", rngs(range(M), "bench"), dtype=dtype)


def core_runner(sizes, hidden, output, loss, B, dtype, M=1):
    """Epochs of the core's train() on STEPS_PER_EPOCH batches of B (one data set shared by the M members)."""
    from mlp.data import Split
    from mlp.train import train

    net, params = _net_params(sizes, hidden, output, loss, M, dtype)
    X, Y, _ = make_data(sizes, loss, STEPS_PER_EPOCH * B, dtype)
    data = Split(X, Y, X[..., :B, :], Y[..., :B, :])
    spe = X.shape[-2] // B

    def run(n_epochs):
        train(net, params, data, lr=LR, batch_size=B, epochs=n_epochs, eval_epochs=(), classify=False)

    return run, spe


def torch_model(torch, sizes, hidden, output, tdtype):
    layers = []
    acts = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid}
    for l, (k_in, k_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        layers.append(torch.nn.Linear(k_in, k_out, dtype=tdtype))
        last = l == len(sizes) - 1
        if not last:
            layers.append(acts[hidden]())
        elif output in ("tanh", "sigmoid"):
            layers.append(acts[output]())  # squared loss on a tanh output; fused losses take logits
    return torch.nn.Sequential(*layers)


def torch_runner(torch, sizes, hidden, output, loss, B, dtype):
    F = torch.nn.functional
    torch.manual_seed(0)
    model = torch_model(torch, sizes, hidden, output if loss == "squared" else "linear", _torch_dtype(torch, dtype))
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    X, Y, labels = make_data(sizes, loss, STEPS_PER_EPOCH * B, dtype)
    Xt = torch.from_numpy(X)
    Yt = torch.from_numpy(labels) if loss == "cross_entropy" else torch.from_numpy(Y)
    lossfn = {
        "squared": F.mse_loss,
        "cross_entropy": F.cross_entropy,
        "binary_cross_entropy": F.binary_cross_entropy_with_logits,
    }[loss]

    def run(n_epochs):
        for _ in range(n_epochs):
            for k in range(STEPS_PER_EPOCH):
                xb, yb = Xt[k * B : (k + 1) * B], Yt[k * B : (k + 1) * B]
                opt.zero_grad(set_to_none=True)
                lossfn(model(xb), yb).backward()
                opt.step()

    return run, STEPS_PER_EPOCH


def sklearn_runner(sizes, hidden, output, loss, B, dtype):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    X, Y, labels = make_data(sizes, loss, STEPS_PER_EPOCH * B, dtype)
    classify = loss == "cross_entropy"
    cls = MLPClassifier if classify else MLPRegressor
    y = labels if classify else Y[:, 0]

    def run(n_epochs):
        est = cls(
            hidden_layer_sizes=sizes[1:-1],
            activation=hidden,
            solver="sgd",
            learning_rate_init=LR,
            momentum=0.0,
            nesterovs_momentum=False,
            alpha=0.0,
            batch_size=B,
            shuffle=False,
            max_iter=n_epochs,
            tol=0.0,
            n_iter_no_change=n_epochs + 1,
            random_state=0,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            est.fit(X, y)

    return run, STEPS_PER_EPOCH


# ----------------------------------------------------------------------------- GEMM products


def gemm_products(sizes, B):
    """(m, k, n) of every matrix product in one training step of a net: forward z = h W^T,
    backward grad_W = grad_z^T h and grad_h = grad_z W (not into the input layer)."""
    prods = []
    for l, (k_in, k_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        prods.append((B, k_in, k_out))
        prods.append((k_out, B, k_in))
        if l > 1:
            prods.append((B, k_out, k_in))
    return prods


def gemm_runner(prods, dtype):
    r = np.random.default_rng(0)
    mats = [
        (r.normal(size=(m, k)).astype(dtype), r.normal(size=(k, n)).astype(dtype), np.empty((m, n), dtype))
        for m, k, n in prods
    ]

    def run(n):
        for _ in range(n):
            for a, b, c in mats:
                np.matmul(a, b, out=c)

    return run


def flops(prods) -> float:
    return float(sum(2 * m * k * n for m, k, n in prods))


# ----------------------------------------------------------------------------- ensemble


def xor_data(dtype):
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=dtype)
    Y = np.array([[0], [1], [1], [0]], dtype=dtype)
    return X, Y


def ensemble_runners(torch, dtype, M=ENSEMBLE_M, loop_members=4):
    """Per model-step runners for M XOR nets (ENSEMBLE: 2-2-1 sigmoid, binary CE, full batch B = 4)."""
    from mlp.data import Split
    from mlp.train import train

    sizes, hidden, output, loss, B = ENSEMBLE
    net, params = _net_params(sizes, hidden, output, loss, M, dtype)
    X, Y = xor_data(dtype)
    data = Split(X, Y, X, Y)
    lr = 0.5
    runners = {}

    def ensemble(n):
        train(net, params, data, lr=lr, batch_size=B, epochs=n, eval_epochs=(), classify=False)

    runners["core ensemble (one train call)"] = (ensemble, M)

    singles = [[(W[m : m + 1], b[m : m + 1]) for W, b in params] for m in range(loop_members)]

    def loop(n):
        for p in singles:
            train(net, p, data, lr=lr, batch_size=B, epochs=n, eval_epochs=(), classify=False)

    runners["core Python loop over nets"] = (loop, loop_members)
    if torch is None:
        return runners
    F = torch.nn.functional
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
    torch.manual_seed(0)
    models = [torch_model(torch, sizes, hidden, "linear", _torch_dtype(torch, dtype)) for _ in range(loop_members)]
    opts = [torch.optim.SGD(m.parameters(), lr=lr) for m in models]

    def tloop(n):
        for model, opt in zip(models, opts):
            for _ in range(n):
                opt.zero_grad(set_to_none=True)
                F.binary_cross_entropy_with_logits(model(Xt), Yt).backward()
                opt.step()

    runners["torch Python loop over nets"] = (tloop, loop_members)
    tp = [torch.tensor(A, requires_grad=True) for Wb in params for A in Wb]  # W1, b1, W2, b2
    W1, b1, W2, b2 = tp
    topt = torch.optim.SGD(tp, lr=lr)
    Xm, Ym = Xt.expand(M, B, sizes[0]), Yt.expand(M, B, sizes[-1])

    def tbmm(n):
        for _ in range(n):
            topt.zero_grad(set_to_none=True)
            h = torch.sigmoid(torch.baddbmm(b1[:, None, :], Xm, W1.transpose(1, 2)))
            z = torch.baddbmm(b2[:, None, :], h, W2.transpose(1, 2))
            # sum over members of each member's mean loss: member m's gradient is its own
            (F.binary_cross_entropy_with_logits(z, Ym, reduction="sum") / B).backward()
            topt.step()

    runners["torch batched bmm"] = (tbmm, M)
    return runners


# ----------------------------------------------------------------------------- other figures


def _median_time(fn, rounds):
    """(median seconds of `rounds` calls of fn() after one warm-up call, the last call's result)."""
    times, res = [], None
    for _ in range(rounds + 1):
        t = time.perf_counter()
        res = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times[1:]), res


def regions_figure(repeats):
    from mlp.regions import count_regions_2d

    r = np.random.default_rng(0)
    widths = (2, 48, 48, 48, 1)  # ~1e4 regions
    params = [
        (r.normal(0, np.sqrt(2 / k_in), (k_out, k_in)), r.normal(0, 0.1, k_out))
        for k_in, k_out in zip(widths[:-1], widths[1:])
    ]
    box = [[-2.0, 2.0], [-2.0, 2.0]]
    t, res = _median_time(lambda: count_regions_2d(params, box), repeats)
    return {
        "net": "-".join(map(str, widths)) + " He (bias N(0, 0.1^2)), box [-2, 2]^2",
        "n_activation": int(res.n_activation),
        "n_linear": int(res.n_linear),
        "seconds": t,
        "regions_per_s": res.n_activation / t,
    }


def threshold_figure(repeats):
    from mlp.threshold import count_threshold_functions

    t, res = _median_time(lambda: count_threshold_functions(4), max(1, repeats // 2))
    return {"count": int(res.count), "n_lps": int(res.n_lps), "seconds": t}


def _step_setup(sizes, hidden, output, loss, B, M, dtype):
    """A training step's state (mlp.train._FlatSGD) and one batch, as `train` builds them, after a
    first step has made the step's buffers."""
    from mlp.train import _FlatSGD

    net, params = _net_params(sizes, hidden, output, loss, M, dtype)
    X, Y, _ = make_data(sizes, loss, B, dtype)
    Xb = np.broadcast_to(np.concatenate([X, np.ones((B, 1), dtype)], axis=-1), (M, B, sizes[0] + 1)).copy()
    Yb = np.broadcast_to(Y, (M, B, sizes[-1])).copy()
    sgd = _FlatSGD(net, params, LR, 0.0)
    sgd.step(Xb, Yb)
    return sgd, Xb, Yb


def _traced_peak(fn) -> int:
    """Peak bytes allocated while fn() runs, above what was allocated before."""
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    fn()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak


def memory_figure(sizes, hidden, output, loss, B, M=1):
    """Bytes a training step allocates (after its first step has made the buffers) and that
    the step's state keeps, and the peak of a whole `train` call, against the activations
    of one step (x, and z, h of every layer), the parameters and the training data."""
    sgd, Xb, Yb = _step_setup(sizes, hidden, output, loss, B, M, np.float64)
    step = _traced_peak(lambda: sgd.step(Xb, Yb))
    kept = sgd.P.nbytes + sgd.G.nbytes + sum(a.nbytes for bufs in sgd.buffers.values() for layer in bufs for a in layer)
    run, spe = core_runner(sizes, hidden, output, loss, B, np.float64, M=M)
    whole = _traced_peak(lambda: run(2))
    act = 8 * M * B * (sizes[0] + 2 * sum(sizes[1:]))
    par = sgd.P.nbytes
    dat = 8 * M * spe * B * (sizes[0] + 1 + sizes[-1])  # the per-member training set, with its column of ones
    return {"step": step, "kept": kept, "train": whole, "act": act, "par": par, "data": dat}


def profile_step(sizes, hidden, output, loss, B, dtype, top=8):
    """cProfile of the core's train() on one shape: top functions by own time."""
    run, _ = core_runner(sizes, hidden, output, loss, B, dtype)
    run(2)
    pr = cProfile.Profile()
    pr.enable()
    run(20)
    pr.disable()
    s = io.StringIO()
    pstats.Stats(pr, stream=s).sort_stats("tottime").print_stats(top)
    lines = [ln for ln in s.getvalue().splitlines() if ln.strip()]
    start = next(i for i, ln in enumerate(lines) if ln.strip().startswith("ncalls"))
    return [ln.replace(str(ROOT) + "/", "") for ln in lines[start:]]


def step_breakdown(sizes, hidden, output, loss, B, M, dtype, repeats):
    """Seconds of each array operation of one training step of a one-hidden-layer net, timed
    alone on the step's own state and buffers (the operations of mlp.train._FlatSGD.step)."""
    from mlp.network import _matmul

    sgd, Xb, Yb = _step_setup(sizes, hidden, output, loss, B, M, dtype)
    ((z, h, grad_h, h1),) = sgd.buffers[B]
    f_z = _matmul(h1, sgd.AT[1])
    _, g = sgd.value_and_grad(f_z, sgd.out.g(f_z), Yb, sgd.out)
    ops = {
        "whole step": lambda: sgd.step(Xb, Yb),
        "z1 = [x, 1] A1^T (product)": lambda: _matmul(Xb, sgd.AT[0], out=z),
        "h1 = g(z1)": lambda: sgd.hidden.g(z, out=h),
        "copy h1 into [h1, 1]": lambda: h1.__setitem__((..., slice(None, -1)), h),
        "z2 = [h1, 1] A2^T (product)": lambda: _matmul(h1, sgd.AT[1]),
        "output map, loss and grad_z2": lambda: sgd.value_and_grad(f_z, sgd.out.g(f_z), Yb, sgd.out),
        "[grad_W2 | grad_b2] = grad_z2^T [h1, 1] (product)": lambda: np.matmul(g.swapaxes(-1, -2), h1, out=sgd.gA[1]),
        "grad_h1 = grad_z2 W2 (product)": lambda: _matmul(g, sgd.W[1], out=grad_h),
        "g'(z1) from h1": lambda: sgd.hidden.derivative(z, h, out=z),
        "grad_z1 = grad_h1 g'(z1)": lambda: np.multiply(grad_h, z, out=grad_h),
        "[grad_W1 | grad_b1] = grad_z1^T [x, 1] (product)": lambda: np.matmul(
            grad_h.swapaxes(-1, -2), Xb, out=sgd.gA[0]
        ),
        "update P -= lr G": lambda: (np.multiply(sgd.G, LR, out=sgd.G), np.subtract(sgd.P, sgd.G, out=sgd.P)),
    }
    res = measure({k: (lambda n, f=f: [f() for _ in range(n)], 1) for k, f in ops.items()}, 0.02, repeats)
    return {k: v["median"] for k, v in res.items()}


ENSEMBLE_BREAKDOWN = f"ensemble {ENSEMBLE_M} x 2-2-1 sigmoid BCE B=4"
BREAKDOWNS = {  # name -> (sizes, hidden, output, loss, B, M)
    WIDE: next((*spec, 1) for name, *spec in SHAPES if name == WIDE),
    ENSEMBLE_BREAKDOWN: (*ENSEMBLE, ENSEMBLE_M),
}


# ----------------------------------------------------------------------------- worker


def worker(threads: int, quick: bool) -> dict:
    import threadpoolctl

    threadpoolctl.threadpool_limits(threads)
    torch, sk = _optional("torch"), _optional("sklearn")
    if torch is not None:
        torch.set_num_threads(threads)
    target, repeats = (0.03, 3) if quick else (0.1, 7)
    # each timed step call trains for ~4 x target, so that a train call's one-time set-up (the data copied with
    # its column of ones, the buffers) weighs on a step as little as in a real run of many epochs
    step_call = 4 * target
    out = {"threads": threads, "threadpool": threadpoolctl.threadpool_info(), "shapes": {}, "gemm_peak": {}}
    out["step_call_seconds"] = step_call
    out["versions"] = {"numpy": np.__version__}
    if torch is not None:
        out["versions"]["torch"] = torch.__version__
    if sk is not None:
        out["versions"]["scikit-learn"] = sk.__version__
    square = [(1024, 1024, 1024)]
    for dtype in (np.float64, np.float32):
        peak = measure({"gemm": (gemm_runner(square, dtype), 1)}, target, repeats)["gemm"]["median"]
        out["gemm_peak"][np.dtype(dtype).name] = flops(square) / peak
    for name, sizes, hidden, output, loss, B in SHAPES:
        prods = gemm_products(sizes, B)
        runners = {}
        for dtype in (np.float64, np.float32):
            dn = np.dtype(dtype).name
            runners[f"core {dn}"] = core_runner(sizes, hidden, output, loss, B, dtype)
            if torch is not None:
                runners[f"torch {dn}"] = torch_runner(torch, sizes, hidden, output, loss, B, dtype)
            if sk is not None and dtype == np.float64:
                runners[f"sklearn {dn}"] = sklearn_runner(sizes, hidden, output, loss, B, dtype)
            runners[f"GEMM products {dn}"] = (gemm_runner(prods, dtype), 1)
        print(f"[{threads} thread(s)] {name}", file=sys.stderr, flush=True)
        out["shapes"][name] = {"times": measure(runners, step_call, repeats), "flops": flops(prods)}
    print(f"[{threads} thread(s)] ensemble", file=sys.stderr, flush=True)
    out["ensemble"] = {
        np.dtype(dt).name: measure(ensemble_runners(torch, dt), target * 3, repeats) for dt in (np.float64, np.float32)
    }
    if threads == 1:
        print("[1 thread] regions, threshold, memory, profiles", file=sys.stderr, flush=True)
        out["regions"] = regions_figure(repeats)
        out["threshold"] = threshold_figure(repeats)
        out["memory"] = {
            name: memory_figure(sizes, hidden, output, loss, B) for name, sizes, hidden, output, loss, B in SHAPES
        }
        sizes, hidden, output, _, B = ENSEMBLE
        out["memory"][f"ensemble {ENSEMBLE_M} x 2-2-1 B=4"] = memory_figure(
            sizes, hidden, output, "squared", B, M=ENSEMBLE_M
        )
        out["profiles"] = {
            name: profile_step(sizes, hidden, output, loss, B, np.float64)
            for name, sizes, hidden, output, loss, B in SHAPES
            if name in LECTURE_SIZE or name == WIDE
        }
        out["breakdowns"] = {
            name: {np.dtype(dt).name: step_breakdown(*spec, dt, repeats) for dt in (np.float64, np.float32)}
            for name, spec in BREAKDOWNS.items()
        }
    return out


# ----------------------------------------------------------------------------- parent


def worker_env(threads: int, keep_openblas: bool) -> dict:
    env = dict(os.environ)
    for v in THREAD_VARS:
        env[v] = str(threads)
    if not keep_openblas:
        for v in OPENBLAS_PIN:
            env.pop(v, None)
    return env


def run_worker(threads: int, quick: bool, keep_openblas: bool) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.json"
        cmd = [sys.executable, "-m", "benchmarks.run", "--worker", str(threads), "--out", str(path)]
        if quick:
            cmd.append("--quick")
        subprocess.run(cmd, env=worker_env(threads, keep_openblas), cwd=ROOT, check=True)
        return json.loads(path.read_text())


THREADS_SNAKEFILE = """
rule all:
    input: expand("env_{i}.txt", i=range(4))

rule probe:
    output: "env_{i}.txt"
    threads: 1
    shell: "{PY} -c {CODE:q} > {output}"
"""
THREADS_CODE = (
    "import os, json, numpy, threadpoolctl; "
    f"print(json.dumps({{v: os.environ.get(v) for v in {THREAD_VARS!r}}} "
    "| {'blas_threads': [i['num_threads'] for i in threadpoolctl.threadpool_info()]}))"
)


def snakemake_threads() -> dict:
    """What BLAS thread count a `threads: 1` shell job sees when Snakemake runs 4 at --cores 2."""
    snakemake = Path(sys.executable).with_name("snakemake")
    with tempfile.TemporaryDirectory() as tmp:
        sf = Path(tmp) / "Snakefile"
        sf.write_text(f"PY = {sys.executable!r}\nCODE = {THREADS_CODE!r}\n" + THREADS_SNAKEFILE)
        env = {k: v for k, v in os.environ.items() if k not in THREAD_VARS}  # as a user's shell would
        subprocess.run(
            [str(snakemake), "--cores", "2", "--snakefile", str(sf), "--directory", tmp, "-q"],
            env=env,
            check=True,
            capture_output=True,
        )
        return {i: json.loads((Path(tmp) / f"env_{i}.txt").read_text()) for i in range(4)}


def pipeline_time(config: str) -> dict:
    """Wall time of the whole pipeline on a copy of the workflow sources, in a fresh directory."""
    snakemake = Path(sys.executable).with_name("snakemake")
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(
            ROOT,
            src,
            ignore=shutil.ignore_patterns(
                ".venv", ".git", ".snakemake", "results", "figures", "logs", "*.egg-info", "__pycache__"
            ),
        )
        run = Path(tmp) / "run"
        run.mkdir()
        cmd = [str(snakemake), "--cores", "2", "--snakefile", str(src / "Snakefile"), "--directory", str(run)]
        cmd += ["--configfile", str(src / config), "-q"]
        t = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True)
        dt = time.perf_counter() - t
        return {"config": config, "seconds": dt, "returncode": p.returncode, "tail": p.stderr[-2000:]}


def machine() -> dict:
    model = "unknown"
    try:
        for ln in Path("/proc/cpuinfo").read_text().splitlines():
            if ln.startswith("model name"):
                model = ln.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cfg, simd = {}, {}
    try:
        config = np.show_config(mode="dicts")
        cfg, simd = config["Build Dependencies"]["blas"], config["SIMD Extensions"]
    except Exception:  # noqa: BLE001 - show_config's layout varies between numpy versions
        pass
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "blas": {k: cfg.get(k) for k in ("name", "version", "openblas configuration")},
        "simd": simd,
        "openblas_pin": {v: os.environ.get(v) for v in OPENBLAS_PIN},
        "loadavg": os.getloadavg(),
    }


# ----------------------------------------------------------------------------- report


def _fmt_t(s: float) -> str:
    if s < 1e-5:
        return f"{s * 1e6:.2f} us"
    if s < 1e-3:
        return f"{s * 1e6:.1f} us"
    if s < 1:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.2f} s"


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def _ratio(r, shape, dn):
    """core / torch step time of a shape in one worker's results (None without torch)."""
    T = r["shapes"][shape]["times"]
    p = T.get(f"torch {dn}")
    return paired_ratio(T[f"core {dn}"], p) if p else None


def _ens(r, dn, k):
    """Implementation k's per model-step time / the core ensemble's, in one worker's results."""
    E = r["ensemble"][dn]
    return paired_ratio(E[k], E["core ensemble (one train call)"])


def report(info: dict, runs: dict, extra: dict, cmd: str) -> str:
    L = []
    L.append("# Benchmarks: the MLP core vs PyTorch (CPU) and scikit-learn\n")
    L.append(f"Regenerate: `{cmd}` (from the repository root; writes this file).\n")
    L.append(
        "Every time is the median of repeated timings after a warm-up, with the implementations of a "
        "table timed round robin in one process (one process per thread count, OMP/OPENBLAS/MKL_NUM_THREADS "
        "set). A step is one mini-batch SGD update (forward, loss, backward, update) inside the library's own "
        f"training loop (`mlp.train.train`, `torch.optim.SGD`, `sklearn ... .fit`), {STEPS_PER_EPOCH} steps per epoch, "
        f"each timed call training for about {runs[1]['step_call_seconds']:.2g} s so that a call's one-time set-up "
        "is amortised as in a real run. "
        "Ratios are time / time: core / peer < 1 means the core is faster; each is the median over the rounds "
        "of the ratio of the two times taken next to each other in the same round. The machine is shared: "
        "absolute times move with its load (load average below), ratios much less.\n"
    )
    L.append("## Machine\n")
    L.append(f"- CPU: {info['cpu']}, {info['cores']} cores; Python {info['python']}; {info['platform']}")
    L.append(f"- load average at start / end: {info['loadavg']} / {extra['loadavg_end']}")
    L.append(f"- numpy BLAS: {info['blas']}")
    L.append(f"- numpy SIMD extensions (X86_V3 = AVX2 + FMA, X86_V4 = AVX-512): {info['simd']}")
    pin = {k: v for k, v in info["openblas_pin"].items() if v}
    note = "removed in the workers" if pin and not extra["keep_openblas"] else "kept"
    L.append(f"- OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE in the environment: {pin or 'not set'} ({note})")
    for t, r in runs.items():
        libs = ", ".join(
            f"{i.get('internal_api')} {i.get('version') or ''} {i.get('architecture') or ''} threads={i['num_threads']}".replace(
                "  ", " "
            )
            for i in r["threadpool"]
        )
        L.append(f"- threadpoolctl in the {t}-thread worker: {libs}")
    L.append(f"- versions: {runs[min(runs)]['versions']}")
    L.append("")

    L.append("## Training step per shape\n")
    for t, r in runs.items():
        L.append(f"### {t} thread(s)\n")
        L.append(
            "| shape | dtype | core step | torch step | core / torch | sklearn step | core / sklearn | "
            "GEMM products alone | GEMM / core step | core GFLOP/s (of GEMM peak) |"
        )
        L.append("|---|---|---|---|---|---|---|---|---|---|")
        for name, s in r["shapes"].items():
            T = s["times"]
            for dn in ("float64", "float32"):
                core, tt, sk = T[f"core {dn}"], T.get(f"torch {dn}"), T.get(f"sklearn {dn}")
                c, g = core["median"], T[f"GEMM products {dn}"]
                gf = s["flops"] / c / 1e9
                peak = r["gemm_peak"][dn] / 1e9
                L.append(
                    f"| {name} | {dn} | {_fmt_t(c)} | {_fmt_t(tt['median']) if tt else 'n/a'} | "
                    f"{f'{paired_ratio(core, tt):.3f}' if tt else 'n/a'} | {_fmt_t(sk['median']) if sk else 'n/a'} | "
                    f"{f'{paired_ratio(core, sk):.3f}' if sk else 'n/a'} | {_fmt_t(g['median'])} | "
                    f"{paired_ratio(g, core):.2f} | {gf:.2f} ({gf / peak:.1%}) |"
                )
        L.append(
            f"\nGEMM peak (1024^3 np.matmul): float64 {r['gemm_peak']['float64'] / 1e9:.1f} GFLOP/s, "
            f"float32 {r['gemm_peak']['float32'] / 1e9:.1f} GFLOP/s.\n"
        )

    L.append(f"## Ensemble: {ENSEMBLE_M} XOR nets (2-2-1 sigmoid, binary CE, full batch B = 4)\n")
    L.append(
        f"Per model-step time (one net, one SGD step); `{ENSEMBLE_M} x {ENSEMBLE_STEPS}` extrapolates to the "
        "whole job. The loops time 4 nets and scale.\n"
    )
    for t, r in runs.items():
        L.append(f"### {t} thread(s)\n")
        L.append(
            f"| dtype | implementation | per model-step (min of the repeats) | {ENSEMBLE_M} nets x {ENSEMBLE_STEPS} steps | "
            "time / core ensemble |"
        )
        L.append("|---|---|---|---|---|")
        for dn, E in r["ensemble"].items():
            base = E["core ensemble (one train call)"]
            for k, v in E.items():
                m = v["median"]
                L.append(
                    f"| {dn} | {k} | {_fmt_t(m)} ({_fmt_t(v['min'])}) | {_fmt_t(m * ENSEMBLE_M * ENSEMBLE_STEPS)} | "
                    f"{paired_ratio(v, base):.1f} |"
                )
        L.append("")

    r1 = runs[1]
    L.append("## Exact region counting and threshold functions (1 thread)\n")
    g = r1["regions"]
    L.append(
        f"- `mlp.regions.count_regions_2d` on a random {g['net']}: {g['n_activation']} activation regions "
        f"({g['n_linear']} linear) in {_fmt_t(g['seconds'])}: **{g['regions_per_s']:.3g} regions/s**"
    )
    th = r1["threshold"]
    L.append(
        f"- `mlp.threshold.count_threshold_functions(4)`: {th['count']} threshold functions, {th['n_lps']} LPs, "
        f"{_fmt_t(th['seconds'])}\n"
    )

    L.append("## Memory\n")
    L.append(
        "Bytes traced by tracemalloc (float64), against one step's activations (x, and z, h of every layer). "
        "*step*: the peak a training step allocates once its buffers exist (they are made by the first step "
        "of each batch size); *kept*: the step's state (parameters P, gradients G and the buffers); *train*: "
        "the peak of a whole `train` call (2 epochs), which also copies the training data (with its column "
        "of ones) per member.\n"
    )
    L.append(
        "| shape | activations | step | step / activations | kept / (activations + params) | train | train / (kept + data) |"
    )
    L.append("|---|---|---|---|---|---|---|")
    for name, m in r1["memory"].items():
        L.append(
            f"| {name} | {m['act'] / 1024:.1f} KiB | {m['step'] / 1024:.1f} KiB | {m['step'] / m['act']:.2f} | "
            f"{m['kept'] / (m['act'] + m['par']):.2f} | {m['train'] / 1024:.0f} KiB | "
            f"{m['train'] / (m['kept'] + m['data']):.2f} |"
        )
    L.append("")

    L.append("## BLAS threads under Snakemake\n")
    st = extra["snakemake_threads"]
    L.append(
        "Four `threads: 1` shell jobs run by `snakemake --cores 2` with no thread variables in the calling "
        "shell; each job printed its environment and threadpoolctl's thread counts:\n"
    )
    for i, v in st.items():
        L.append(f"- job {i}: {v}")
    oversub = any(any(n > 1 for n in v["blas_threads"]) for v in st.values())
    L.append(
        "\nVerdict: "
        + (
            "jobs run BLAS with more than one thread: parallel jobs oversubscribe the cores."
            if oversub
            else "every job runs its BLAS (and OpenMP) with 1 thread: 2 parallel jobs use 2 cores, no oversubscription."
        )
        + "\n"
    )

    L.append("## Pipeline wall time (2 cores)\n")
    if extra.get("pipeline"):
        for p in extra["pipeline"]:
            L.append(f"- `{p['config']}`: {_fmt_t(p['seconds'])} (exit code {p['returncode']})")
    else:
        L.append("- not measured in this run (add `--pipeline`; it takes minutes).")
    L.append("")

    L.append("## Targets\n")
    L.append("| target | measured (1 thread) | measured (2 threads) | verdict (1 thread) |")
    L.append("|---|---|---|---|")

    def row(label, f, ok):
        a, b = f(runs[1]), f(runs[2]) if 2 in runs else None
        L.append(
            f"| {label} | {a if isinstance(a, str) else f'{a:.3g}'} | "
            f"{'n/a' if b is None else (b if isinstance(b, str) else f'{b:.3g}')} | {_verdict(ok(a))} |"
        )

    if "torch float64" in r1["shapes"][LECTURE_SIZE[0]]["times"]:
        for shape in LECTURE_SIZE:
            for dn in ("float64", "float32"):
                row(
                    f"{shape} {dn}: core / torch step <= 0.25",
                    lambda r, s=shape, d=dn: _ratio(r, s, d),
                    lambda x: x <= 0.25,
                )
        for dn, lim in WIDE_LIMIT.items():
            row(
                f"{WIDE.split(' B=')[0]} {dn}: core / torch step <= {lim}",
                lambda r, d=dn: _ratio(r, WIDE, d),
                lambda x, lim=lim: x <= lim,
            )

    for dn in ("float64", "float32"):
        row(
            f"ensemble {dn}: loop / ensemble >= {ENS_LOOP_MIN}",
            lambda r, d=dn: _ens(r, d, "core Python loop over nets"),
            lambda x: x >= ENS_LOOP_MIN,
        )
        if "torch batched bmm" in r1["ensemble"][dn]:
            row(
                f"ensemble {dn}: torch bmm / ensemble >= 3",
                lambda r, d=dn: _ens(r, d, "torch batched bmm"),
                lambda x: x >= 3,
            )
        row(
            f"ensemble {dn}: per model-step <= {ENS_STEP_MAX_US:g} us",
            lambda r, d=dn: r["ensemble"][d]["core ensemble (one train call)"]["median"] * 1e6,
            lambda x: x <= ENS_STEP_MAX_US,
        )
    big = "784-256-256-10 relu softmax-CE B=128"
    for dn in ("float64", "float32"):
        row(
            f"{big} {dn}: GEMM products / step >= 0.80",
            lambda r, d=dn: paired_ratio(
                r["shapes"][big]["times"][f"GEMM products {d}"], r["shapes"][big]["times"][f"core {d}"]
            ),
            lambda x: x >= 0.8,
        )
    row("exact 2-D regions per second >= 1e4", lambda r: r1["regions"]["regions_per_s"], lambda x: x >= 1e4)
    mem = max(m["step"] / m["act"] for m in r1["memory"].values())
    L.append(
        f"| memory: bytes a step allocates / its activations, worst shape <= 2 | {mem:.2f} | | {_verdict(mem <= 2)} |"
    )
    for p in extra.get("pipeline") or []:
        lim = 300 if p["config"] == "config.yaml" else 60
        L.append(
            f"| pipeline `{p['config']}` <= {lim} s on 2 cores | {p['seconds']:.0f} s | | {_verdict(p['seconds'] <= lim and p['returncode'] == 0)} |"
        )
    L.append("")

    L.extend(_shortfalls(runs))
    L.append("## Where the time goes (cProfile of the core's `train`, 20 epochs, float64, 1 thread)\n")
    for name, lines in r1["profiles"].items():
        L.append(f"### {name}\n")
        L.append("```")
        L.extend(lines)
        L.append("```\n")
    for name, bd in r1["breakdowns"].items():
        L.append(f"### {name}: each array operation of a step timed alone (1 thread)\n")
        L.append("| operation | float64 | float32 |")
        L.append("|---|---|---|")
        for k in bd["float64"]:
            L.append(f"| {k} | {_fmt_t(bd['float64'][k])} | {_fmt_t(bd['float32'][k])} |")
        L.append("")
    return "\n".join(L)


def _shortfalls(runs) -> list[str]:
    """Where the time goes for the targets the 1-thread run misses, from the step breakdowns."""
    r1, L = runs[1], []
    T = r1["shapes"][WIDE]["times"]
    sizes, *_, B, _ = BREAKDOWNS[WIDE]
    values = B * sizes[1]  # the hidden layer's activations in a step
    for dn in ("float64", "float32"):
        lim = WIDE_LIMIT[dn]
        if (ratio := _ratio(r1, WIDE, dn)) is None or ratio <= lim:
            continue
        torch = T[f"torch {dn}"]["median"]
        bd, bd32 = r1["breakdowns"][WIDE][dn], r1["breakdowns"][WIDE]["float32"]
        act, whole = bd["h1 = g(z1)"], bd["whole step"]
        rest = sum(v for k, v in bd.items() if k not in ("whole step", "h1 = g(z1)"))
        text = (
            f"- **{WIDE} {dn}** ({ratio:.2f} x torch, target <= {lim}): timed alone, "
            f"h1 = tanh(z1) on {B} x {sizes[1]} values takes {_fmt_t(act)} of a {_fmt_t(whole)} step "
            f"({act / whole:.0%}), {act / values * 1e9:.1f} ns per value against "
            f"{bd32['h1 = g(z1)'] / values * 1e9:.1f} ns for float32 tanh; all other operations of the "
            f"step together take {_fmt_t(rest)} = {rest / torch:.2f} x torch's whole step: the shortfall is "
            "NumPy's float64 tanh on this CPU (no AVX-512, see SIMD extensions above)."
        )
        if dn == "float64" and "torch float32" in T:
            text += (
                " The core's float32 path (`init(..., dtype=np.float32)`) is the remedy for wide tanh layers: "
                f"{paired_ratio(T['core float32'], T['torch float32']):.2f} x torch."
            )
        L.append(text)
    *_, B, M = BREAKDOWNS[ENSEMBLE_BREAKDOWN]
    for dn in ("float64", "float32"):
        per = r1["ensemble"][dn]["core ensemble (one train call)"]
        loop = _ens(r1, dn, "core Python loop over nets")
        if per["median"] <= ENS_STEP_MAX_US * 1e-6 and loop >= ENS_LOOP_MIN:
            continue
        bd = r1["breakdowns"][ENSEMBLE_BREAKDOWN][dn]
        products = {k: v for k, v in bd.items() if k.endswith("(product)")}
        ranked = sorted(((v, k) for k, v in bd.items() if k != "whole step"), reverse=True)[:3]
        L.append(
            f"- **ensemble {dn}** ({_fmt_t(per['median'])} per model-step, min {_fmt_t(per['min'])}; loop / "
            f"ensemble {loop:.1f}; targets <= {ENS_STEP_MAX_US:g} us and >= {ENS_LOOP_MIN}): "
            f"a step of all {M} nets takes "
            f"{_fmt_t(bd['whole step'])} timed alone. Its {len(products)} batched products over {M} "
            f"tiny matrices take {_fmt_t(sum(products.values()))} together "
            f"({sum(products.values()) / len(products) / M * 1e9:.0f} ns per matrix on average: NumPy's "
            "matmul works through the stack matrix by matrix); the three largest operations are "
            + ", ".join(f"{k} ({_fmt_t(v)})" for v, k in ranked)
            + f". The output map and loss evaluate sigmoid and log(1 + e^z) on only {M * B} values; their time is "
            "per-value transcendental cost, as for tanh above."
        )
    if L:
        L.insert(0, "### Targets not met: where the time goes (1 thread)\n")
        L.append("")
    return L


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer and shorter repeats")
    ap.add_argument("--pipeline", action="store_true", help="also time the default and quick pipelines")
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--keep-openblas-env", action="store_true", help="keep OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE")
    ap.add_argument("--output", type=Path, default=RESULTS)
    ap.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.worker:
        a.out.write_text(json.dumps(worker(a.worker, a.quick)))
        return
    if 1 not in a.threads:
        ap.error("--threads must include 1")
    info = machine()
    runs = {t: run_worker(t, a.quick, a.keep_openblas_env) for t in sorted(a.threads)}
    extra = {"keep_openblas": a.keep_openblas_env, "snakemake_threads": snakemake_threads()}
    if a.pipeline:
        extra["pipeline"] = [pipeline_time("config.yaml"), pipeline_time("config.quick.yaml")]
    extra["loadavg_end"] = os.getloadavg()
    cmd = "python -m benchmarks" + (" --pipeline" if a.pipeline else "") + (" --quick" if a.quick else "")
    a.output.write_text(report(info, runs, extra, cmd))
    print(f"wrote {a.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
