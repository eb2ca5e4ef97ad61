"""Floating-point errors of a map on a grid, shared by the activation and output-map checks."""

import numpy as np


def fp_error(fn, z, **errstate) -> str:
    """'' if fn(z) raises no floating-point error under np.errstate(**errstate), else the message."""
    try:
        with np.errstate(**errstate):
            fn(z)
    except FloatingPointError as err:
        return str(err)
    return ""


def guarded(fn, z):
    """(fn(z), '') if fn raises no floating-point error but underflow, else (fn(z) with errors
    ignored, the message): the value and the check in one evaluation when all is well."""
    try:
        with np.errstate(all="raise", under="ignore"):
            return fn(z), ""
    except FloatingPointError as err:
        with np.errstate(all="ignore"):
            return fn(z), str(err)
