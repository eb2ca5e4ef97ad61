"""Boolean functions of n inputs: truth tables in the lecture's encodings.

Row order is the lecture's (Table 3.6): x1 varies slowest and -1 (false) comes first,
so row r holds the binary digits of r with 0 -> false.
"""

import numpy as np

ENCODINGS = {"pm1": (-1.0, 1.0), "01": (0.0, 1.0)}


def _levels(encoding: str) -> tuple[float, float]:
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown encoding {encoding!r}; allowed: {sorted(ENCODINGS)}")
    return ENCODINGS[encoding]


def truth_table_inputs(n: int, encoding: str = "pm1") -> np.ndarray:
    """All 2^n input rows, shape (2^n, n), in the lecture's row order."""
    if not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    false, true = _levels(encoding)
    bits = (np.arange(2**n)[:, None] >> np.arange(n - 1, -1, -1)) & 1  # (2^n, n)
    return np.where(bits == 1, true, false)


def function_outputs(index: int, n: int, encoding: str = "pm1") -> np.ndarray:
    """Outputs of Boolean function number `index` of n inputs, shape (2^n,).

    Function k outputs true on row r iff bit r of k is set, so k runs over 0 .. 2^(2^n) - 1.
    """
    if not 0 <= index < 2 ** (2**n):
        raise ValueError(f"index must lie in [0, {2 ** (2**n)}), got {index!r}")
    false, true = _levels(encoding)
    bits = (index >> np.arange(2**n)) & 1
    return np.where(bits == 1, true, false)


NAMED_2 = {  # the named functions of 2 inputs, by their function index
    "FALSE": 0b0000,
    "AND": 0b1000,
    "OR": 0b1110,
    "XOR": 0b0110,
    "XNOR": 0b1001,
    "NAND": 0b0111,
    "NOR": 0b0001,
    "TRUE": 0b1111,
}
