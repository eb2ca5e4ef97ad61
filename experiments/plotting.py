"""One figure style for the whole suite (pyplot is imported on first use: jobs that only
compute tables skip its start-up cost)."""

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
PM_COLORS = {1.0: "#1f77b4", -1.0: "#ff7f0e"}  # label +1 / -1 (Playground: blue / orange)


def figure(nrows: int = 1, ncols: int = 1, width: float = 4.0, height: float = 3.2, **kwargs):
    """A figure with `nrows x ncols` panels of the given size (inches) in the suite's style."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(STYLE)  # the suite's style for this (plotting) process
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False, layout="constrained", **kwargs
    )
    return fig, axes
