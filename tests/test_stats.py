"""The intervals behind every verdict: exact values where they are known in closed form, and
coverage measured by simulation (seeded, so the test is deterministic)."""

import numpy as np
import pytest
from scipy import stats as sps

from experiments import stats


def test_fraction_is_clopper_pearson():
    # 0 of 10: the upper bound solves (1 - p)^10 = 0.025, p = 1 - 0.025^(1/10)
    e = stats.fraction(0, 10)
    assert e.value == 0 and e.lo == 0 and e.hi == pytest.approx(1 - 0.025 ** (1 / 10))
    e = stats.fraction(10, 10)
    assert e.hi == 1 and e.lo == pytest.approx(0.025 ** (1 / 10))
    with pytest.raises(ValueError, match="k=11, n=10"):
        stats.fraction(11, 10)


def test_median_interval_of_100_is_the_textbook_order_statistics():
    # for n = 100 the 95% interval of the median is [x_(40), x_(61)] (1-based order statistics)
    x = np.arange(100.0)
    e = stats.median(x)
    assert (e.lo, e.hi) == (39.0, 60.0) and e.value == 49.5


@pytest.mark.parametrize("n,q", [(20, 0.5), (57, 0.1), (200, 0.9), (1000, 0.08)])
def test_quantile_interval_covers_the_true_quantile_95_percent_of_the_time(n, q):
    rng = np.random.default_rng(n)
    truth = sps.norm.ppf(q)
    hits = [stats.quantile(rng.normal(size=n), q) for _ in range(2000)]
    coverage = np.mean([h.lo <= truth <= h.hi for h in hits])
    assert 0.94 <= coverage <= 0.99, coverage


def test_percentile_rank_and_its_interval():
    sample = np.arange(1, 101)  # 1..100
    e = stats.percentile_rank(50.5, sample)
    assert e.value == 50 and e.lo < 50 < e.hi
    assert stats.percentile_rank(0, sample).value == 0
    assert stats.percentile_rank(1000, sample).value == 100
    assert stats.percentile_rank(50, sample).value == pytest.approx(49.5)  # a tie counts half


def test_paired_sign_test_decides_by_the_pairs_not_the_marginals():
    rng = np.random.default_rng(0)
    base = rng.normal(size=200)
    a, b = base, base + 0.01  # a is lower on every seed, though the marginals overlap almost fully
    p = stats.paired(a, b)
    assert p.a_lower.value == 1 and p.p_value < 1e-50 and p.median_diff.excludes(0)
    p = stats.paired(base, base[::-1])  # no systematic difference
    assert p.p_value > 0.05 and not p.median_diff.excludes(0)


def test_slope_interval():
    x = np.arange(10.0)
    e = stats.slope(x, 2 * x + 1)
    assert e.value == pytest.approx(2) and e.hi - e.lo < 1e-9
    rng = np.random.default_rng(1)
    e = stats.slope(x, 2 * x + rng.normal(size=10))
    assert e.lo < 2 < e.hi and not e.excludes(2) and e.excludes(0)


def test_last_change_measures_stationarity():
    flat = np.r_[np.linspace(1, 0.1, 90), np.full(10, 0.1)]
    assert stats.last_change(flat) == 0
    moving = np.linspace(1, 0.1, 100)
    assert stats.last_change(moving) == pytest.approx((0.19 - 0.1) / 0.1, rel=0.05)
