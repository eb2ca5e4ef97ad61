"""Figures out of the workers' results: per-round medians and paired ratios, and the tables
of RESULTS.md (markdown lines), one function per table."""

import statistics

from benchmarks.timing import fmt_t
from benchmarks.workloads import ENSEMBLE_M, K_SCAN, k_shape

DTYPE_NAMES = ("float64", "float32")


def rounds_of(shapes: dict, t: int, lib: str, shape: str, label: str) -> list[float] | None:
    """The per-round median times of one library's runner (None if not measured)."""
    runs = shapes[t].get(lib) or []
    values = [r[shape][label]["median"] for r in runs if shape in r and label in r[shape]]
    return values or None


def time_of(shapes, t, lib, shape, label):
    v = rounds_of(shapes, t, lib, shape, label)
    return None if v is None else statistics.median(v)


def round_ratio(shapes, t, a: tuple, b: tuple):
    """Median over the rounds of a's time / b's time (a, b = (lib, shape, label)), None if either is missing."""
    x, y = rounds_of(shapes, t, *a), rounds_of(shapes, t, *b)
    return None if x is None or y is None else statistics.median(p / q for p, q in zip(x, y))


def fmt(x, spec=".3f"):
    return "n/a" if x is None else format(x, spec)


def shape_table(shapes: dict, t: int, names: list) -> list[str]:
    L = [
        "| shape | dtype | core step | torch step | core / torch | sklearn step | core / sklearn | GEMM products alone | GEMM / core |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name in names:
        for dn in DTYPE_NAMES:
            core = ("core", name, f"core {dn}")
            tt, sk = (
                time_of(shapes, t, "torch", name, f"torch {dn}"),
                time_of(shapes, t, "sklearn", name, f"sklearn {dn}"),
            )
            L.append(
                f"| {name} | {dn} | {fmt_t(time_of(shapes, t, *core))} | {fmt_t(tt) if tt else 'n/a'} | "
                f"{fmt(round_ratio(shapes, t, core, ('torch', name, f'torch {dn}')))} | {fmt_t(sk) if sk else 'n/a'} | "
                f"{fmt(round_ratio(shapes, t, core, ('sklearn', name, f'sklearn {dn}')))} | "
                f"{fmt_t(time_of(shapes, t, 'core', name, f'GEMM products {dn}'))} | "
                f"{fmt(round_ratio(shapes, t, ('core', name, f'GEMM products {dn}'), core), '.2f')} |"
            )
    return L


def k_table(shapes: dict) -> list[str]:
    L = [
        "| K | dtype | core step | torch step | core / torch | core time per hidden unit and point |",
        "|---|---|---|---|---|---|",
    ]
    for K in K_SCAN:
        name = k_shape(K).name
        for dn in DTYPE_NAMES:
            c = time_of(shapes, 1, "core", name, f"core {dn}")
            tt = time_of(shapes, 1, "torch", name, f"torch {dn}")
            r = round_ratio(shapes, 1, ("core", name, f"core {dn}"), ("torch", name, f"torch {dn}"))
            L.append(f"| {K} | {dn} | {fmt_t(c)} | {fmt_t(tt) if tt else 'n/a'} | {fmt(r)} | {fmt_t(c / (K * 256))} |")
    return L


def ensemble_ratio(E: dict, M: int, peer: str):
    """core / peer per model-step in the same rounds (None if the peer was not timed)."""
    res = E[str(M)]
    if peer not in res:
        return None
    return statistics.median(c / p for c, p in zip(res["core"]["samples"], res[peer]["samples"]))


def peers_of(E: dict) -> list[str]:
    return [k for k in E[str(ENSEMBLE_M[0])] if k != "core"]


def ensemble_table(ens: dict) -> list[str]:
    """Per model-step times: rows M x dtype, core and every torch formulation with core / peer."""
    peers = peers_of(next(iter(ens.values())))
    L = [
        "| M | dtype | core | " + " | ".join(f"{p} (core / it)" for p in peers) + " |",
        "|---|---|---|" + "---|" * len(peers),
    ]
    for dn, E in ens.items():
        for M in ENSEMBLE_M:
            res = E[str(M)]
            cells = [f"{fmt_t(res[p]['median'])} ({fmt(ensemble_ratio(E, M, p), '.2f')})" for p in peers]
            L.append(f"| {M} | {dn} | {fmt_t(res['core']['median'])} | " + " | ".join(cells) + " |")
    return L


def threshold_table(rows: list) -> list[str]:
    L = [
        "| net | B | M | fixed-order step (SlabSGD) | BLAS step (BatchedSGD) | fixed / BLAS | this net uses |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = statistics.median(a / b for a, b in zip(r["fixed"]["samples"], r["blas"]["samples"]))
        per = r["M"]
        L.append(
            f"| {r['net']} | {r['B']} | {per} | {fmt_t(r['fixed']['median'] * per)} | {fmt_t(r['blas']['median'] * per)} | "
            f"{ratio:.2f} | {'fixed order' if r['fixed_order'] else 'BLAS'} |"
        )
    return L


def breakdown_table(bd: dict) -> list[str]:
    f64, f32 = bd["float64"], bd["float32"]
    L = [
        f"Engine: `{f64['engine']}`. Whole step: float64 {fmt_t(f64['whole step'])}, float32 {fmt_t(f32['whole step'])}.\n"
    ]
    L += ["| operation (as labelled in the engine's plan) | float64 | float32 |", "|---|---|---|"]
    L += [f"| {k} | {fmt_t(v)} | {fmt_t(f32['ops'].get(k, float('nan')))} |" for k, v in f64["ops"].items()]
    return L


def memory_table(memory: dict) -> list[str]:
    L = [
        "| shape | activations | step | step / activations | kept / (activations + params) | train | train / (kept + data) |"
    ]
    L.append("|---|---|---|---|---|---|---|")
    for name, m in memory.items():
        L.append(
            f"| {name} | {m['act'] / 1024:.1f} KiB | {m['step'] / 1024:.1f} KiB | {m['step'] / m['act']:.2f} | "
            f"{m['kept'] / (m['act'] + m['par']):.2f} | {m['train'] / 1024:.0f} KiB | {m['train'] / (m['kept'] + m['data']):.2f} |"
        )
    return L


def pipeline_jobs_table(p: dict, top: int = 12) -> list[str]:
    """Per family: jobs, summed wall and CPU time and the largest peak memory; then the
    `top` slowest jobs."""
    fams = {}
    for job, f in p["jobs"].items():
        d = fams.setdefault(job.split("/")[0], {"n": 0, "timed": 0, "wall": 0.0, "cpu": 0.0, "mb": 0.0})
        d["n"] += 1
        if f["cpu"] is not None:
            d["timed"] += 1
            d["wall"] += f["wall"] or 0.0
            d["cpu"] += f["cpu"]
            d["mb"] = max(d["mb"], f["mb"])
    L = [
        "| family | jobs (with timing lines) | wall, summed over jobs | CPU | largest peak memory |",
        "|---|---|---|---|---|",
    ]
    for fam, d in sorted(fams.items(), key=lambda kv: -kv[1]["cpu"]):
        if d["timed"]:
            figures = f"{fmt_t(d['wall'])} | {fmt_t(d['cpu'])} | {d['mb']:.0f} MB"
        else:
            figures = "n/a (the job logs have no timing lines: a family not yet on experiments.cli) | n/a | n/a"
        L.append(f"| {fam} | {d['n']} ({d['timed']}) | {figures} |")
    timed = sorted(((f["cpu"], job, f) for job, f in p["jobs"].items() if f["cpu"] is not None), reverse=True)[:top]
    L += [
        "",
        f"Slowest {len(timed)} jobs (CPU time):",
        "",
        "| job (log) | wall | CPU | peak memory |",
        "|---|---|---|---|",
    ]
    L += [
        f"| {job} | {fmt_t(f['wall']) if f['wall'] else 'n/a'} | {fmt_t(cpu)} | {f['mb']:.0f} MB |"
        for cpu, job, f in timed
    ]
    return L
