"""Timing primitives: calibrated round-robin measurement, paired ratios, peak memory.

Every figure is a median over rounds after a warm-up round; implementations compared in
one table are timed round robin, so a load swing on the shared machine hits them alike,
and a ratio is the median over the rounds of the two times taken in the same round.
"""

import statistics
import time
import tracemalloc

TIMER = time.perf_counter  # the worker sets time.process_time for 1-thread jobs (see set_timer)


def set_timer(threads: int):
    """CPU time of the process for 1-thread jobs: on a shared machine, wall time also counts
    the time the process waits for a core, which no implementation controls. Wall time with
    more threads (CPU time would add the threads' times)."""
    global TIMER
    TIMER = time.process_time if threads == 1 else time.perf_counter


def calibrate(fn, target: float) -> int:
    """Units n such that fn(n) takes about `target` seconds."""
    n = 1
    while True:
        t = TIMER()
        fn(n)
        dt = TIMER() - t
        if dt >= target / 4 or n >= 1 << 20:
            return max(1, int(n * target / max(dt, 1e-9)))
        n *= 4


def measure(runners: dict, target: float, repeats: int) -> dict:
    """Seconds per unit of each runner, timed round robin: {name: {median, min, samples}}.

    runners: name -> (fn, units): fn(n) does n calls' worth of work, each call `units`
    units (model-steps, steps). One warm-up round, then `repeats` rounds."""
    counts = {k: calibrate(fn, target) for k, (fn, _) in runners.items()}
    samples = {k: [] for k in runners}
    for rep in range(repeats + 1):
        for k, (fn, units) in runners.items():
            t = TIMER()
            fn(counts[k])
            dt = TIMER() - t
            if rep:  # round 0 is the warm-up
                samples[k].append(dt / (counts[k] * units))
    return {k: summary(v) for k, v in samples.items()}


def summary(samples: list) -> dict:
    return {"median": statistics.median(samples), "min": min(samples), "samples": samples}


def paired_ratio(a: dict, b: dict) -> float:
    """Median over the rounds of a's time / b's time in the same round."""
    return statistics.median(x / y for x, y in zip(a["samples"], b["samples"]))


def median_time(fn, rounds: int):
    """(median seconds of `rounds` calls of fn() after a warm-up call, the last result)."""
    times, res = [], None
    for _ in range(rounds + 1):
        t = TIMER()
        res = fn()
        times.append(TIMER() - t)
    return statistics.median(times[1:]), res


def traced_peak(fn) -> int:
    """Peak bytes allocated while fn() runs, above what was allocated before."""
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    fn()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak


def fmt_t(s: float) -> str:
    """Seconds in ns, us, ms or s with three significant digits."""
    for unit, scale in (("ns", 1e-9), ("us", 1e-6), ("ms", 1e-3)):
        if s < 1000 * scale:
            return f"{s / scale:.3g} {unit}"
    return f"{s:.3g} s"
