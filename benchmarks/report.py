"""RESULTS.md from the measurements: machine, tables, targets, shortfalls, breakdowns.
Every number in the text is computed here from the workers' results."""

import math
import statistics

from benchmarks import tables
from benchmarks.targets import shortfalls, simd_level, targets
from benchmarks.timing import fmt_t
from benchmarks.workloads import ENSEMBLES, K_SCAN, SHAPES, SPIRAL, STEPS_PER_EPOCH, XOR

PLAYGROUND_LOAD = {"lecture configs": 2, "seeds": 1000, "epochs": 2536, "steps per epoch": 25}


def render(info: dict, runs: dict, extra: dict, cmd: str) -> str:
    L = [
        f"# Benchmarks: the MLP core vs PyTorch (CPU) and scikit-learn\n\nRegenerate: `{cmd}` (from the repository root; writes this file).\n"
    ]
    L.append(
        "Each measurement job runs in its own process with OMP/OPENBLAS/MKL_NUM_THREADS set. A time is the median of "
        "repeated timings after a warm-up: CPU time of the process in 1-thread jobs (on a shared machine wall time also "
        "counts waiting for a core), wall time with 2 threads. Per-shape tables: each library in its own process, in "
        f"{extra['rounds']} rounds (core, torch, scikit-learn, core, ...); a ratio is the median over the rounds of the two "
        "libraries' times in the same round. Ensemble tables (1 thread): the core and the torch formulations in one "
        "process, timed round robin, ratios per round. A step is one SGD update (forward, loss, backward, update) inside "
        f"the library's own loop (`mlp.train.train`; a lean torch loop; `sklearn ... .fit`), {STEPS_PER_EPOCH} steps per "
        "epoch for the shapes. Ratios are time / time: core / peer < 1 means the core is faster. The machine is shared "
        "(load average below): absolute times move with its load, paired ratios much less.\n"
    )
    L += _machine(info, runs, extra)
    L += _ensembles(runs["ensemble"])
    L += _shapes(runs["shapes"])
    L += ["## The fixed-order threshold (1 thread)\n"]
    L.append(
        "Training of nets whose every layer has at most `mlp.ordered.FIXED_MAX_WEIGHTS` weights runs in a fixed summation "
        "order without BLAS (the same bits on every CPU); wider nets use BLAS. What that costs, step for step:\n"
    )
    L += tables.threshold_table(runs["probes"]["threshold"]) + [""]
    L += _targets(info, runs, extra)
    L += _pipeline(extra)
    L += _probes(runs["probes"], extra)
    return "\n".join(L) + "\n"


def _machine(info, runs, extra) -> list[str]:
    pin = {k: v for k, v in info["openblas_pin"].items() if v}
    note = "removed in the workers" if pin and not extra["keep_openblas"] else "kept"
    busy = max(info["loadavg"][0], extra["loadavg_end"][0]) / info["cores"]
    L = [
        "## Machine\n",
        *(
            [
                f"**The machine was loaded: load average up to {busy:.1f} per core during this run.** 1-thread figures are "
                "CPU times (still slowed by shared caches); wall-time figures (the 2-thread tables, the pipelines) also "
                "count waiting for a core and are upper bounds.\n"
            ]
            if busy > 1
            else []
        ),
        f"- CPU: {info['cpu']}, {info['cores']} cores, SIMD level {simd_level(info)}; Python {info['python']}; {info['platform']}",
        f"- load average at start / end: {info['loadavg']} / {extra['loadavg_end']}",
        f"- numpy BLAS: {info['blas']}",
        f"- numpy SIMD extensions (X86_V3 = AVX2 + FMA, X86_V4 = AVX-512): {info['simd']}",
        f"- OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE in the environment: {pin or 'not set'} ({note})",
        f"- versions: {info['versions']}",
    ]
    for t, libs in runs["shapes"].items():
        for lib, rounds in libs.items():
            pools = ", ".join(
                f"{i.get('internal_api')} {i.get('architecture') or ''} threads={i['num_threads']}"
                for i in rounds[0]["threadpool"]
            )
            L.append(f"- threadpoolctl in the {t}-thread {lib} worker: {pools}")
    return L + [""]


def _ensembles(ens: dict) -> list[str]:
    L = ["## Ensembles: per model-step time (1 thread)\n"]
    L.append(
        "One model-step = one SGD step of one member. The core: one `train` call on M members (Playground: each member "
        "its own spiral, fixed order, B = 10, 25 steps per epoch). Torch, members on a leading axis: autograd over batched "
        "products; a manual backward without autograd; that manual step under torch.compile; torch.func.vmap of "
        "torch.func.grad over a functional net. In brackets: core / that implementation, per round.\n"
    )
    for e in ENSEMBLES:
        L += [f"### {e.name}\n"] + tables.ensemble_table(ens[e.name]) + [""]
    per = ens[SPIRAL.name]["float64"]["1000"]["core"]["median"]
    steps = math.prod(PLAYGROUND_LOAD.values())
    L.append(
        f"Playground workload ({', '.join(f'{k} {v}' for k, v in PLAYGROUND_LOAD.items())}): {steps:.3g} model-steps of "
        f"[4,2] nets; at the core's {fmt_t(per)} per model-step (float64, M = 1000) that is {fmt_t(steps * per)} of "
        f"CPU time, {fmt_t(steps * per / 2)} on 2 cores, before evaluations and the other configurations.\n"
    )
    x = ens[XOR.name]
    L.append(
        f"XOR at M = 10000: {fmt_t(x['float64']['10000']['core']['median'])} (float64), {fmt_t(x['float32']['10000']['core']['median'])} (float32) per model-step.\n"
    )
    return L


def _shapes(shapes: dict) -> list[str]:
    L = ["## Training step per shape\n"]
    for t in shapes:
        L += [f"### {t} thread(s)\n"] + tables.shape_table(shapes, t, [s.name for s in SHAPES])
        if "core" in shapes[t]:
            peak = {
                dn: statistics.median(r["gemm_peak"][dn] for r in shapes[t]["core"]) / 1e9
                for dn in ("float64", "float32")
            }
            L.append(
                f"\nGEMM peak (1024^3 np.matmul): float64 {peak['float64']:.1f} GFLOP/s, float32 {peak['float32']:.1f} GFLOP/s.\n"
            )
    L += ["### Scaling over the width K: 1-K-1 tanh, B = 256 (1 thread)\n"] + tables.k_table(shapes) + [""]
    L.append(f"K runs over {', '.join(map(str, K_SCAN))}.\n")
    return L


def _targets(info, runs, extra) -> list[str]:
    T = targets(info, runs, extra)
    L = ["## Targets (1 thread)\n", "| target | measured | on this machine | depends on |", "|---|---|---|---|"]
    L += [t.row() for t in T] + [""]
    missed = [t for t in T if t.ok is False]
    met = sum(t.ok is True for t in T)
    L.append(f"{met} of {len(T)} targets met on this machine ({info['cpu']}, {simd_level(info)}).\n")
    if missed:
        L += ["### Targets missed: where the time goes\n"] + shortfalls(info, runs, missed) + [""]
    return L


def _pipeline(extra) -> list[str]:
    L = ["## Pipeline (2 cores)\n"]
    st = extra["snakemake_threads"]
    oversub = any(any(n > 1 for n in v["blas_threads"]) for v in st.values())
    L.append(
        f"BLAS threads of four `threads: 1` jobs under `snakemake --cores 2` (no thread variables in the shell): "
        f"{sorted({n for v in st.values() for n in v['blas_threads']})} -> "
        + ("parallel jobs oversubscribe the cores.\n" if oversub else "no oversubscription.\n")
    )
    for p in extra.get("pipeline") or []:
        L.append(f"### `{p['config']}`: {fmt_t(p['seconds'])} wall (exit code {p['returncode']})\n")
        L += tables.pipeline_jobs_table(p) + [""]
    if not extra.get("pipeline"):
        L.append("Pipelines not timed in this run (add `--pipeline`; it takes minutes).\n")
    return L


def _probes(probes, extra) -> list[str]:
    L = ["## Where the time goes\n"]
    for name, bd in probes["breakdowns"].items():
        L += (
            [f"### {name}: each operation of the engine's step timed alone (1 thread)\n"]
            + tables.breakdown_table(bd)
            + [""]
        )
    L += ["### Memory (float64)\n"]
    L.append(
        "Bytes traced by tracemalloc against one step's activations (x, and z, h of every layer). *step*: what a step "
        "allocates once its plan exists; *kept*: the engine's state (P, G and the plan's buffers); *train*: the peak of a "
        "whole `train` call (2 epochs), which also copies the training data per member.\n"
    )
    L += tables.memory_table(probes["memory"]) + [""]
    g, th = probes["regions"], probes["threshold_functions"]
    L.append(
        f"Exact regions: `count_regions` on a random {g['net']}: {g['n_activation']} activation regions ({g['n_linear']} linear) in {fmt_t(g['seconds'])}, {g['regions_per_s']:.3g} regions/s."
    )
    L.append(
        f"`count_threshold_functions(4)`: {th['count']} threshold functions, {th['n_lps']} LPs, {fmt_t(th['seconds'])}.\n"
    )
    for name, lines in probes["profiles"].items():
        L += [f"### cProfile of `train`, {name} (20 epochs, float64, 1 thread)\n", "```", *lines, "```", ""]
    return L
