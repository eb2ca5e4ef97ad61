"""Where the time and memory go: per-operation breakdowns of the engine's own step, the
fixed-order/BLAS threshold, memory, cProfile, and the region and threshold counters.

The breakdowns time the operations the training step itself runs (`engine.operations(B)`:
the same calls on the same buffers), so a change of the step changes what is timed.
"""

import cProfile
import io
import pstats
from pathlib import Path

import numpy as np

import mlp.ordered
from benchmarks.timing import measure, median_time, traced_peak
from benchmarks.workloads import LR, Ensemble, Shape, core_runner, ensemble_data, make_data, net_params
from mlp.engine import BatchedSGD, SlabSGD, engine_for
from mlp.regions import count_regions
from mlp.threshold import count_threshold_functions

ROOT = Path(__file__).resolve().parent.parent


def _engine_on_batch(spec, M: int, dtype, cls=None):
    """(engine, the batch in its layout) after one step has built the step's plan."""
    net, params = net_params(
        *spec[1:5], M, dtype, scheme="playground" if isinstance(spec, Ensemble) and spec.sizes == (2, 4, 2, 1) else None
    )
    if isinstance(spec, Ensemble):
        X, Y = (a[:, : spec.batch] for a in ensemble_data(spec, M, dtype))
    else:
        X, Y, _ = make_data(spec.sizes, spec.loss, spec.batch, dtype)
    engine = (cls or engine_for)(net, params, LR, 0.0)
    Xb, Yb = engine.inputs(X), engine.targets(Y)
    engine.step(Xb, Yb)
    return engine, Xb, Yb


def breakdown(spec, M: int, dtype, repeats: int) -> dict:
    """Seconds of the whole step and of each of its operations timed alone (operations with
    the same label are summed): {"engine", "whole step", "ops": {label: seconds}}."""
    engine, Xb, Yb = _engine_on_batch(spec, M, dtype)
    ops = engine.operations(Xb.shape[1])
    runners = {"whole step": (lambda n: [engine.step(Xb, Yb) for _ in range(n)], 1)}
    runners |= {f"{i}": (lambda n, c=c: [c() for _ in range(n)], 1) for i, (_, c) in enumerate(ops)}
    res = measure(runners, 0.02, repeats)
    per_label = {}
    for i, (label, _) in enumerate(ops):
        per_label[label] = per_label.get(label, 0.0) + res[f"{i}"]["median"]
    return {"engine": type(engine).__name__, "whole step": res["whole step"]["median"], "ops": per_label}


THRESHOLD_NETS = [  # (sizes, hidden, B): layers from 2 x 8 up to 128 x 128 weights
    ((2, 8, 8, 1), "relu", 32),
    ((2, 16, 16, 1), "relu", 32),
    ((2, 32, 32, 1), "relu", 32),
    ((2, 64, 64, 1), "relu", 32),
    ((1, 1024, 1), "tanh", 256),
]


def threshold_probe(repeats: int, members=(1, 100)) -> list[dict]:
    """Step time of the fixed-order engine / the BLAS engine, per net and M, timed round
    robin: what `mlp.ordered.FIXED_MAX_WEIGHTS` trades (CPU independence for speed)."""
    rows = []
    for sizes, hidden, B in THRESHOLD_NETS:
        shape = Shape("-".join(map(str, sizes)), sizes, hidden, "linear", "squared", B)
        for M in members:
            runners = {}
            for cls in (SlabSGD, BatchedSGD):
                engine, Xb, Yb = _engine_on_batch(shape, M, np.float64, cls)
                runners[cls.__name__] = (lambda n, e=engine, x=Xb, y=Yb: [e.step(x, y) for _ in range(n)], M)
            res = measure(runners, 0.05, repeats)
            fixed = all(mlp.ordered.fixed_order(a, b) for a, b in zip(sizes[1:], sizes[:-1]))
            rows.append(
                {
                    "net": shape.name,
                    "B": B,
                    "M": M,
                    "fixed": res["SlabSGD"],
                    "blas": res["BatchedSGD"],
                    "fixed_order": fixed,
                }
            )
    return rows


def memory_figure(shape: Shape, M: int = 1) -> dict:
    """Bytes a training step allocates once its plan exists, bytes the engine keeps (P, G and
    the plan's buffers), and the peak of a whole `train` call, against one step's activations
    (x, and z, h of every layer), the parameters and the training data (float64)."""
    engine, Xb, Yb = _engine_on_batch(shape, M, np.float64)
    step = traced_peak(lambda: engine.step(Xb, Yb))
    p = engine.plan(Xb.shape[1])
    bases = {id(a.base if a.base is not None else a): a.base if a.base is not None else a for a in _plan_arrays(p)}
    kept = engine.P.nbytes + engine.G.nbytes + sum(a.nbytes for a in bases.values())
    run, spe = core_runner(shape, np.float64)
    whole = traced_peak(lambda: run(2))
    act = 8 * M * shape.batch * (shape.sizes[0] + 2 * sum(shape.sizes[1:]))
    data = 8 * M * spe * shape.batch * (shape.sizes[0] + 1 + shape.sizes[-1])
    return {"step": step, "kept": kept, "train": whole, "act": act, "par": engine.P.nbytes, "data": data}


def _plan_arrays(plan):
    """Every array a plan's operations read or write."""
    for _, call in (*plan.forward, *plan.backward):
        args = (*getattr(call, "args", ()), *getattr(call, "keywords", {}).values())
        yield from (a for a in args if isinstance(a, np.ndarray))


def profile(shape: Shape, top: int = 8) -> list[str]:
    """cProfile of the core's `train` on one shape (20 epochs, float64): top functions by own time."""
    run, _ = core_runner(shape, np.float64)
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


def regions_figure(repeats: int) -> dict:
    """Exact 2-D activation regions per second of a random 2-48-48-48-1 relu net."""

    r = np.random.default_rng(0)
    widths = (2, 48, 48, 48, 1)  # ~1e4 regions
    params = [
        (r.normal(0, np.sqrt(2 / k_in), (k_out, k_in)), r.normal(0, 0.1, k_out))
        for k_in, k_out in zip(widths[:-1], widths[1:])
    ]
    t, res = median_time(lambda: count_regions(params, [[-2.0, 2.0], [-2.0, 2.0]]), repeats)
    net = "-".join(map(str, widths)) + " He (bias N(0, 0.1^2)), box [-2, 2]^2"
    return {
        "net": net,
        "n_activation": int(res.n_activation),
        "n_linear": int(res.n_linear),
        "seconds": t,
        "regions_per_s": res.n_activation / t,
    }


def threshold_functions_figure(repeats: int) -> dict:

    t, res = median_time(lambda: count_threshold_functions(4), max(1, repeats // 2))
    return {"count": int(res.count), "n_lps": int(res.n_lps), "seconds": t}
