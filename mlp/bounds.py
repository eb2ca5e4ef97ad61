"""Bounds on the number of linear regions of a relu net, as exact Python integers.

D inputs, hidden widths (K_1, ..., K_L), N = sum of the widths.
"""

from math import comb, prod


def _check(D: int, widths) -> list[int]:
    if not isinstance(D, int) or D < 1:
        raise ValueError(f"D must be a positive int, got {D!r}")
    widths = list(widths)
    if not widths or any(not isinstance(K, int) or K < 1 for K in widths):
        raise ValueError(f"widths must be a non-empty sequence of positive ints, got {widths!r}")
    return widths


def zaslavsky(D: int, K: int) -> int:
    """Regions of K hyperplanes in general position in R^D: sum_{j<=D} C(K, j)."""
    _check(D, [K])
    return sum(comb(K, j) for j in range(D + 1))


def activation_pattern_bound(widths) -> int:
    """2^N, the number of activation patterns of N hidden units."""
    return 2 ** sum(_check(1, widths))


def montufar_lower_bound(D: int, widths) -> int:
    """Montufar et al. 2014: prod_{l<L} floor(K_l / D)^D * sum_{j<=D} C(K_L, j)."""
    widths = _check(D, widths)
    return prod((K // D) ** D for K in widths[:-1]) * zaslavsky(D, widths[-1])


def montufar2017_upper_bound(D: int, widths) -> int:
    """Montufar 2017: prod_l sum_{j<=d_l} C(K_l, j), d_l = min(D, K_1, ..., K_l)."""
    widths = _check(D, widths)
    return prod(zaslavsky(min(D, *widths[: l + 1]), K) for l, K in enumerate(widths))


def serra_upper_bound(D: int, widths) -> int:
    """Serra, Tjandraatmadja, Ramalingam 2018, Thm 1.

    sum over J of prod_l C(K_l, j_l), with J the integer tuples such that
    0 <= j_l <= min(D, K_1 - j_1, ..., K_{l-1} - j_{l-1}, K_l).
    """
    widths = _check(D, widths)

    def total(l: int, cap: int) -> int:  # sum over j_l..j_L given min(D, K_i - j_i for i < l)
        if l == len(widths):
            return 1
        K = widths[l]
        return sum(comb(K, j) * total(l + 1, min(cap, K - j)) for j in range(min(cap, K) + 1))

    return total(0, D)
