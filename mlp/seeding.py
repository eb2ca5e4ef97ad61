"""Derived random streams: every draw comes from an explicit seed and a stable key.

`rng(seed, "init")` and `rng(seed, "data")` are independent streams of the same seed,
so changing how data is drawn never changes the initial weights, and a member of an
ensemble draws exactly what it would draw alone.
"""

import zlib

import numpy as np


def rng(seed: int, *key: str | int) -> np.random.Generator:
    """A Generator seeded by SeedSequence([seed, *crc32(key parts)])."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    parts = [zlib.crc32(str(k).encode()) for k in key]
    return np.random.default_rng(np.random.SeedSequence([int(seed), *parts]))


def rngs(seeds, *key: str | int) -> list[np.random.Generator]:
    """One derived Generator per seed (one per ensemble member)."""
    return [rng(s, *key) for s in seeds]
