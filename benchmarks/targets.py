"""The targets of RESULTS.md: each computed from the measurements, with whether it is met on
this machine and what of the CPU it depends on, and, for the ones missed, a note of where
the time goes (from the step breakdowns), naming the CPU and its SIMD level."""

import statistics

from benchmarks.tables import ensemble_ratio, peers_of, round_ratio, time_of
from benchmarks.timing import fmt_t
from benchmarks.workloads import BIG, ENSEMBLE_M, ENSEMBLES, LECTURE_SIZE, WIDE, XOR, gemm_products

XOR_MAX_NS = 100
WIDE_LIMIT = {"float64": 1.5, "float32": 1.0}
K256 = "1-256-1 tanh B=256"


def simd_level(info: dict) -> str:
    found = info["simd"].get("found", [])
    return "AVX-512 (X86_V4)" if "X86_V4" in found else "AVX2 + FMA (X86_V3)" if "X86_V3" in found else "below AVX2"


class Target:
    def __init__(self, label, value, ok, depends, fmt=".3g"):
        self.label, self.value, self.ok, self.depends, self.fmt = label, value, ok, depends, fmt

    def row(self) -> str:
        v = (
            "n/a"
            if self.value is None
            else (self.value if isinstance(self.value, str) else format(self.value, self.fmt))
        )
        verdict = "not measured" if self.ok is None else ("met" if self.ok else "NOT met")
        return f"| {self.label} | {v} | {verdict} | {self.depends} |"


def _ensemble_targets(ens, simd) -> list[Target]:
    """XOR per model-step time, and the core against every torch formulation at every M."""
    T = []
    for dn in ("float64", "float32"):
        per = ens[XOR.name][dn]["10000"]["core"]["median"] * 1e9
        T.append(
            Target(
                f"ensemble {XOR.name} {dn}, M = 10000: per model-step <= {XOR_MAX_NS} ns",
                per,
                per <= XOR_MAX_NS,
                f"SIMD width of NumPy's elementwise loops ({simd} here)",
                ".0f",
            )
        )
    for name in (e.name for e in ENSEMBLES):
        for dn, E in ens[name].items():
            peers = peers_of(E)
            worst = max((ensemble_ratio(E, M, p), M, p) for M in ENSEMBLE_M for p in peers) if peers else None
            value = None if worst is None else f"{worst[0]:.2f} ({worst[2]}, M = {worst[1]})"
            T.append(
                Target(
                    f"ensemble {name} {dn}: core / every torch formulation < 1 at every M (worst shown)",
                    value,
                    None if worst is None else worst[0] < 1,
                    "the ratio of elementwise to GEMM throughput",
                )
            )
    return T


def _shape_targets(shapes, simd) -> list[Target]:
    """Single nets: lecture sizes, 1-256-1 and the wide 1-4096-1 against torch, 784-256-256-10 against GEMM."""
    T = []
    for shape in LECTURE_SIZE:
        for dn in ("float64", "float32"):
            r = round_ratio(shapes, 1, ("core", shape, f"core {dn}"), ("torch", shape, f"torch {dn}"))
            T.append(
                Target(
                    f"{shape} {dn}: core / torch step <= 0.25",
                    r,
                    None if r is None else r <= 0.25,
                    "little (per-call overhead)",
                )
            )
    for shape, limits in ((K256, {"float64": 1.0, "float32": 1.0}), (WIDE, WIDE_LIMIT)):
        for dn, lim in limits.items():
            r = round_ratio(shapes, 1, ("core", shape, f"core {dn}"), ("torch", shape, f"torch {dn}"))
            dep = (
                f"{dn} tanh SIMD width ({simd} here)"
                if shape == WIDE
                else "elementwise throughput (fixed order, no BLAS)"
            )
            T.append(Target(f"{shape} {dn}: core / torch step <= {lim}", r, None if r is None else r <= lim, dep))
    for dn in ("float64", "float32"):
        core = time_of(shapes, 1, "core", BIG, f"core {dn}")
        peak = statistics.median(r["gemm_peak"][dn] for r in shapes[1]["core"])
        share = sum(2 * m * k * n for m, k, n in gemm_products((784, 256, 256, 10), 128)) / core / peak
        vs_np = round_ratio(shapes, 1, ("core", BIG, f"core {dn}"), ("core", BIG, f"NumPy MLP {dn}"))
        T.append(
            Target(
                f"{BIG} {dn}: >= 0.85 of GEMM peak, or core / plain NumPy MLP <= 1",
                f"{share:.2f} of peak; core / NumPy MLP {vs_np:.3f}",
                share >= 0.85 or vs_np <= 1,
                "the BLAS kernel for the CPU",
            )
        )
    return T


def _probe_targets(probes, extra) -> list[Target]:
    """Exact regions per second, a step's allocations, and the pipelines' wall time."""
    g = probes["regions"]["regions_per_s"]
    mem = max(m["step"] / m["act"] for m in probes["memory"].values())
    T = [
        Target("exact 2-D regions per second >= 1e4", g, g >= 1e4, "little"),
        Target("memory: bytes a step allocates / its activations, worst shape <= 2", mem, mem <= 2, "none"),
    ]
    for p in extra.get("pipeline") or []:
        lim = 300 if p["config"] == "config.yaml" else 60
        T.append(
            Target(
                f"pipeline `{p['config']}` <= {lim} s on 2 cores",
                p["seconds"],
                p["seconds"] <= lim and p["returncode"] == 0,
                "the CPU's speed",
                ".0f",
            )
        )
    return T


def targets(info, runs, extra) -> list[Target]:
    simd = simd_level(info)
    return [
        *_ensemble_targets(runs["ensemble"], simd),
        *_shape_targets(runs["shapes"], simd),
        *_probe_targets(runs["probes"], extra),
    ]


def shortfalls(info, runs, missed: list[Target]) -> list[str]:
    """A note per missed target with a breakdown: where the step's time goes."""
    cpu, simd, probes = info["cpu"], simd_level(info), runs["probes"]
    L = []
    for t in missed:
        key = next((k for k in probes["breakdowns"] if t.label.startswith(f"ensemble {k.split(',')[0]}")), None)
        if key is None and t.label.startswith(WIDE):
            key = WIDE
        if key is None:
            L.append(
                f"- **{t.label}** on {cpu} ({simd}): measured {t.row().split('|')[2].strip()}; no breakdown of this workload."
            )
            continue
        dn = "float32" if "float32" in t.label else "float64"
        bd = probes["breakdowns"][key][dn]
        ranked = sorted(bd["ops"].items(), key=lambda kv: -kv[1])[:4]
        total = sum(bd["ops"].values())
        L.append(
            f"- **{t.label}** on {cpu} ({simd}): measured {t.row().split('|')[2].strip()}. A step of {key} "
            f"({bd['engine']}) takes {fmt_t(bd['whole step'])}; its operations timed alone sum to {fmt_t(total)}, the largest "
            + ", ".join(f"{k} {fmt_t(v)} ({v / total:.0%})" for k, v in ranked)
            + "."
        )
    return L
