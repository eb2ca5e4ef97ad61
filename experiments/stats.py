"""Intervals and comparisons for the claims table: every fraction, percentile and median a
verdict uses carries a 95% interval, and a comparison is decided by an interval or a paired
test, never by a point estimate.

All intervals here are exact or distribution-free (no resampling), so the same numbers give
the same interval on every machine (computed with scipy.special's beta and binomial
functions, which every job has loaded already; scipy.stats would add a second to each job's
start-up):
- a fraction k/n: Clopper-Pearson (beta quantiles);
- a quantile of a sample: the order-statistic interval [x_(i), x_(j)] whose binomial
  coverage is >= 95% (the distribution-free confidence interval of a quantile);
- where a value falls in a sample (its percentile rank): the fraction of the sample below it,
  with the Clopper-Pearson interval;
- paired samples: the sign test on the paired differences (exact binomial), and the
  order-statistic interval of the median difference;
- a fitted slope: least squares with the t interval.
"""

from typing import NamedTuple

import numpy as np
from scipy.special import bdtr, betaincinv, stdtrit

LEVEL = 0.95


class Estimate(NamedTuple):
    """A point estimate with its 95% interval."""

    value: float
    lo: float
    hi: float

    def fmt(self, spec: str = ".3g") -> str:
        """'0.31 [0.22, 0.41]'."""
        return f"{self.value:{spec}} [{self.lo:{spec}}, {self.hi:{spec}}]"

    def excludes(self, x: float) -> bool:
        """Whether the interval lies entirely on one side of x."""
        return self.hi < x or self.lo > x


def fraction(k: int, n: int) -> Estimate:
    """k/n with the exact (Clopper-Pearson) interval."""
    if n <= 0 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n and n > 0, got k={k}, n={n}")
    tail = (1 - LEVEL) / 2
    lo = float(betaincinv(k, n - k + 1, tail)) if k > 0 else 0.0
    hi = float(betaincinv(k + 1, n - k, 1 - tail)) if k < n else 1.0
    return Estimate(k / n, lo, hi)


def _binom_cdf(n: int, p: float) -> np.ndarray:
    """P(X <= i) for i = 0..n, X ~ Binomial(n, p)."""
    return bdtr(np.arange(n + 1), n, p)


def _order_interval(n: int, p: float) -> tuple[int, int]:
    """0-based ranks (i, j) with P(x_(i) <= q_p <= x_(j)) >= LEVEL, as nearly symmetric as
    the binomial allows; (0, n-1) when even the full range cannot reach the level."""
    cdf = np.r_[_binom_cdf(n, p), 1.0]  # ranks below the quantile ~ Binomial(n, p)

    def F(i):  # P(X <= i), with P(X <= -1) = 0
        return cdf[i] if i >= 0 else 0.0

    tail = (1 - LEVEL) / 2
    i = int(np.searchsorted(cdf, tail))  # the binomial's tail and 1 - tail quantiles
    j = int(np.searchsorted(cdf, 1 - tail)) + 1
    while i > 0 and F(j - 1) - F(i - 1) < LEVEL:
        i -= 1
    while j < n and F(j - 1) - F(i - 1) < LEVEL:
        j += 1
    return max(i - 1, 0), min(j - 1, n - 1)


def quantile(values, q: float) -> Estimate:
    """The q-th quantile (q in [0, 1]) of a sample with its distribution-free interval."""
    x = np.sort(np.asarray(values, dtype=float))
    x = x[np.isfinite(x)]
    if x.size == 0:
        raise ValueError("quantile of an empty (or all non-finite) sample")
    i, j = _order_interval(x.size, q)
    return Estimate(float(np.quantile(x, q)), float(x[i]), float(x[j]))


def median(values) -> Estimate:
    return quantile(values, 0.5)


def percentile_rank(value: float, sample) -> Estimate:
    """Where `value` falls in `sample`: the fraction of the sample below it (ties count half),
    in percent, with the exact interval of that fraction."""
    x = np.asarray(sample, dtype=float)
    x = x[np.isfinite(x)]
    below = np.sum(x < value) + 0.5 * np.sum(x == value)
    k = int(np.floor(below))
    f = fraction(k, x.size)
    return Estimate(float(100 * below / x.size), 100 * f.lo, 100 * f.hi)


class Paired(NamedTuple):
    """a vs b on the same seeds: how often a < b, the median of a - b, and the sign test."""

    n: int
    a_lower: Estimate  # fraction of pairs with a < b (ties dropped)
    median_diff: Estimate  # median of a - b
    p_value: float  # two-sided exact sign test of P(a < b) = 1/2


def paired(a, b) -> Paired:
    """Compare two paired samples (NaN pairs dropped)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    ok = np.isfinite(a) & np.isfinite(b)
    d = a[ok] - b[ok]
    n_lower, n_higher = int(np.sum(d < 0)), int(np.sum(d > 0))
    n_untied = n_lower + n_higher
    lower = fraction(n_lower, n_untied) if n_untied else Estimate(0.5, 0.0, 1.0)
    tail = min(bdtr(n_lower, n_untied, 0.5), bdtr(n_untied - n_lower, n_untied, 0.5)) if n_untied else 0.5
    p = min(1.0, 2 * float(tail))  # two-sided exact sign test (the binomial is symmetric at 1/2)
    return Paired(int(d.size), lower, median(d), float(p))


def slope(x, y) -> Estimate:
    """Least-squares slope of y on x with its t interval."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    dx = x - x.mean()
    b = float(dx @ (y - y.mean()) / (dx @ dx))
    if len(x) <= 2:
        return Estimate(b, -np.inf, np.inf)
    resid = y - y.mean() - b * dx
    stderr = np.sqrt(resid @ resid / (len(x) - 2) / (dx @ dx))
    half = float(stdtrit(len(x) - 2, 0.5 + LEVEL / 2) * stderr)
    return Estimate(b, b - half, b + half)


def last_change(curve, frac: float = 0.1) -> float:
    """Stationarity of a training curve: |loss at the end - loss at the start of the last
    `frac` of the budget| / loss at the end. Small means the run has stopped moving."""
    y = np.asarray(curve, dtype=float)
    start = y[min(len(y) - 1, int(np.floor((1 - frac) * (len(y) - 1))))]
    return float(abs(y[-1] - start) / max(abs(y[-1]), np.finfo(float).tiny))
