"""One figure style for the whole suite: a colour-blind-safe palette (Okabe and Ito 2008) with
one colour per named thing across every figure (an activation, a method, a label), so a
colour never changes meaning between panels. pyplot is imported on first use: jobs that only
compute tables skip its start-up cost."""

import zlib

# Okabe-Ito: distinguishable under the common colour-vision deficiencies, and in greyscale by lightness
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
STYLE = {
    "figure.dpi": 110,
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.fontsize": 8,
    "legend.frameon": False,
}
PM_COLORS = {1.0: OKABE_ITO[0], -1.0: OKABE_ITO[1]}  # label +1 / -1 (Playground: blue / orange)
NAMED = {  # names that appear in several families keep one colour everywhere
    "sigmoid": OKABE_ITO[0],
    "tanh": OKABE_ITO[1],
    "relu": OKABE_ITO[2],
    "linear": OKABE_ITO[7],
    "sign": OKABE_ITO[4],
    "softmax": OKABE_ITO[3],
    "sparsemax": OKABE_ITO[5],
    "train": OKABE_ITO[0],  # data splits
    "validation": OKABE_ITO[2],
    "test": OKABE_ITO[5],
}


def color(name: str) -> str:
    """The suite's colour for `name`: fixed for the names in NAMED, else a stable pick."""
    return NAMED.get(name) or OKABE_ITO[zlib.crc32(name.encode()) % len(OKABE_ITO)]


def figure(nrows: int = 1, ncols: int = 1, width: float = 4.0, height: float = 3.2, **kwargs):
    """A figure with `nrows x ncols` panels of the given size (inches) in the suite's style."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from cycler import cycler

    plt.rcParams.update({**STYLE, "axes.prop_cycle": cycler(color=OKABE_ITO)})  # this (plotting) process
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False, layout="constrained", **kwargs
    )
    return fig, axes
