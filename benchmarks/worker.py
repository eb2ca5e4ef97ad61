"""One measurement job in its own process: `python -m benchmarks.worker JOB --threads T --out F`.

Jobs: `shapes-core` (the core, the step's GEMM products alone, a plain NumPy MLP),
`shapes-torch`, `shapes-sklearn` (each library alone in its process, so no library's idle
thread pool slows another's), `ensemble` (the core ensemble against the torch formulations,
1 thread, timed round robin) and `probes` (1 thread). The parent sets OMP/OPENBLAS/
MKL_NUM_THREADS; threadpoolctl and torch.set_num_threads are a second guard.
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from benchmarks import timing
from benchmarks.timing import measure
from benchmarks.workloads import (
    BIG,
    ENSEMBLE_M,
    ENSEMBLES,
    K_SCAN,
    SHAPES,
    WIDE,
    XOR,
    gemm_products,
    gemm_runner,
    k_shape,
)

DTYPES = (np.float64, np.float32)


def shape_runners(job: str, shapes, threads: int) -> dict:
    """{shape name: {label: runner}} of one library."""
    from benchmarks import peers
    from benchmarks.workloads import core_runner

    out = {}
    for shape in shapes:
        runners = {}
        for dtype in DTYPES:
            dn = np.dtype(dtype).name
            if job == "shapes-core":
                runners[f"core {dn}"] = core_runner(shape, dtype)
                runners[f"GEMM products {dn}"] = gemm_runner(gemm_products(shape.sizes, shape.batch), dtype)
                if shape.name == BIG:
                    runners[f"NumPy MLP {dn}"] = peers.numpy_mlp_runner(shape, dtype)
            elif job == "shapes-torch":
                runners[f"torch {dn}"] = peers.torch_runner(peers.torch, shape, dtype)
            else:
                runners[f"sklearn {dn}"] = peers.sklearn_runner(shape, dtype)
        out[shape.name] = runners
    return out


def shapes_job(job: str, threads: int, target: float, repeats: int) -> dict:
    shapes = list(SHAPES)
    if threads == 1 and job != "shapes-sklearn":  # the scaling table over K, 1 thread
        shapes += [k_shape(K) for K in K_SCAN if k_shape(K).name not in {s.name for s in SHAPES}]
    out = {}
    for name, runners in shape_runners(job, shapes, threads).items():
        print(f"[{job} {threads} thread(s)] {name}", file=sys.stderr, flush=True)
        out[name] = measure(runners, target, repeats)
    if job == "shapes-core":
        square = [(1024, 1024, 1024)]
        out["gemm_peak"] = {
            np.dtype(dt).name: 2 * 1024**3 / measure({"g": gemm_runner(square, dt)}, target, repeats)["g"]["median"]
            for dt in DTYPES
        }
    return out


def ensemble_job(target: float, repeats: int, with_compile: bool) -> dict:
    """{workload: {dtype: {M: {implementation: summary}}}} per model-step. A timed call trains
    for about 4 x target, so that a `train` call's set-up (the data in the engine's layout,
    the step's buffers) weighs on a step about as little as in a run of many epochs."""
    from benchmarks.peers import torch, torch_ensemble_runners
    from benchmarks.workloads import core_ensemble_runner

    out = {}
    for ens in ENSEMBLES:
        for dtype in DTYPES:
            for M in ENSEMBLE_M:
                print(f"[ensemble] {ens.name} {np.dtype(dtype).name} M={M}", file=sys.stderr, flush=True)
                runners = {"core": core_ensemble_runner(ens, M, dtype)}
                if torch is not None:
                    runners |= torch_ensemble_runners(ens, M, dtype, with_compile)
                res = measure(runners, 4 * target, repeats)
                out.setdefault(ens.name, {}).setdefault(np.dtype(dtype).name, {})[str(M)] = res
    return out


def probes_job(repeats: int) -> dict:
    from benchmarks import probes
    from benchmarks.workloads import LECTURE_SIZE, SPIRAL

    wide = next(s for s in SHAPES if s.name == WIDE)
    specs = {f"{XOR.name}, M = 10000": (XOR, 10000), f"{SPIRAL.name}, M = 1000": (SPIRAL, 1000), wide.name: (wide, 1)}
    out = {"breakdowns": {}}
    for name, (spec, M) in specs.items():
        print(f"[probes] breakdown {name}", file=sys.stderr, flush=True)
        out["breakdowns"][name] = {np.dtype(dt).name: probes.breakdown(spec, M, dt, repeats) for dt in DTYPES}
    print("[probes] threshold, memory, profiles, regions", file=sys.stderr, flush=True)
    out["threshold"] = probes.threshold_probe(repeats)
    out["memory"] = {s.name: probes.memory_figure(s) for s in SHAPES}
    out["profiles"] = {s.name: probes.profile(s) for s in SHAPES if s.name in LECTURE_SIZE or s.name == WIDE}
    out["regions"] = probes.regions_figure(repeats)
    out["threshold_functions"] = probes.threshold_functions_figure(repeats)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("job", choices=["shapes-core", "shapes-torch", "shapes-sklearn", "ensemble", "probes"])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-compile", action="store_true", help="skip the torch.compile ensemble (minutes of compiling)")
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args(argv)
    import threadpoolctl

    threadpoolctl.threadpool_limits(a.threads)
    timing.set_timer(a.threads)
    from benchmarks.peers import optional

    torch = optional("torch") if a.job in ("shapes-torch", "ensemble") else None
    if torch is not None:
        torch.set_num_threads(a.threads)
    target, repeats = (0.03, 2) if a.quick else (0.1, 4)
    if a.job.startswith("shapes"):
        res = shapes_job(a.job, a.threads, target, repeats)
    elif a.job == "ensemble":
        res = ensemble_job(target, repeats, not a.no_compile)
    else:
        res = probes_job(repeats)
    res["threadpool"] = threadpoolctl.threadpool_info()
    a.out.write_text(json.dumps(res))


if __name__ == "__main__":
    main()
