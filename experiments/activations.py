"""Activations shown and checked (C06-C08), and the family's CLI (C06-C09).

Every row and panel is built from the registry `mlp.activations.elementwise_names()`, so a new
activation adds a panel and a table row by itself. The lecture's own statements (ranges,
formulas for g') are written out below for the maps it names. The softmax and sparsemax
checks (C09) live in `experiments.output_maps`; loss and gradient checks (C16, C17) live in
`experiments.gradcheck`.
"""

from pathlib import Path

import numpy as np
import pandas as pd

from experiments import claims
from experiments.io import cli, write_figure, write_table
from experiments.output_maps import _fp_error, _guarded, step_maps
from experiments.plotting import figure
from mlp.activations import ACTIVATIONS, elementwise_names
from mlp.network import Net, forward, init
from mlp.seeding import rng, rngs

# The lecture's statements: range (lo, hi, open ends?) and "strictly increasing"
LECTURE_RANGE = {
    "linear": (-np.inf, np.inf, True),
    "sigmoid": (0.0, 1.0, True),
    "tanh": (-1.0, 1.0, True),
    "relu": (0.0, np.inf, False),  # [0, inf): non-negative, not upper bounded
}
STRICTLY_INCREASING = {"linear", "sigmoid", "tanh"}  # relu is only non-decreasing
# The lecture's derivative formulas, written out independently of the registry
LECTURE_DERIVATIVE = {
    "linear": lambda z: np.ones_like(z),
    "sigmoid": lambda z: (1 / (1 + np.exp(-z))) * (1 - 1 / (1 + np.exp(-z))),
    "tanh": lambda z: 1 - np.tanh(z) ** 2,
    "relu": lambda z: (z > 0).astype(float),
}
FORMULA = {
    "linear": "g(z) = z",
    "sigmoid": "g(z) = 1/(1+e^-z)",
    "tanh": "g(z) = tanh z",
    "relu": "g(z) = max(0, z)",
    "sign": "g(z) = sgn z",
}
INNER = 15.0  # |z| <= INNER: float64 can still resolve sigmoid/tanh from their bounds
KINK = 1e-3  # derivatives are checked at |z| >= KINK (relu and sign have their kink at 0)
TOL_FD, TOL_ULP = 1e-7, 4 * np.finfo(float).eps


def inner_grid() -> np.ndarray:
    """A uniform grid of step 1e-3 on [-INNER, INNER] (strict monotonicity is checked on it)."""
    return np.linspace(-INNER, INNER, int(2000 * INNER) + 1)


def wide_grid(z_max: float, n_points: int) -> np.ndarray:
    """A grid over [-z_max, z_max] refined on [-INNER, INNER]; includes 0 and +-z_max."""
    return np.unique(np.concatenate([np.linspace(-z_max, z_max, n_points), inner_grid()]))


# ---------------------------------------------------------------- C06, C07: ranges
def activation_ranges(z_max: float, n_points: int) -> pd.DataFrame:
    """Per elementwise activation on the wide grid: range, monotonicity, finiteness and the
    floating-point errors raised under np.errstate(all="raise") and with underflow allowed."""
    z, zi = wide_grid(z_max, n_points), inner_grid()
    rows = []
    for name in elementwise_names():
        g = ACTIVATIONS[name].g
        h, fp_error = _guarded(g, z)
        with np.errstate(all="raise", under="ignore"):
            hi_ = g(zi)
        lo, hi, open_ends = LECTURE_RANGE.get(name, (np.nan, np.nan, False))
        closed = bool(np.all((h >= lo) & (h <= hi))) if name in LECTURE_RANGE else None
        strict_inside = bool(np.all((hi_ > lo) & (hi_ < hi))) if open_ends else None
        at_bound = np.abs(z[(h <= lo) | (h >= hi)]) if name in LECTURE_RANGE else np.array([])
        rows.append(
            {
                "activation": name,
                "z_max": float(np.abs(z).max()),
                "n_points": len(z),
                "min": float(h.min()),
                "max": float(h.max()),
                "lecture_range": f"{'(' if open_ends else '['}{lo:g}, {hi:g})" if name in LECTURE_RANGE else "",
                "within_closed_range": closed,
                "strictly_inside_for_abs_z_le_15": strict_inside,
                "reaches_bound_from_abs_z": float(at_bound.min()) if at_bound.size else np.nan,
                "all_finite": bool(np.isfinite(h).all()),
                "nondecreasing": bool(np.all(np.diff(h) >= 0)),
                "strictly_increasing_abs_z_le_15": bool(np.all(np.diff(hi_) > 0)),
                "lecture_says_strictly_increasing": name in STRICTLY_INCREASING,
                "fp_error_all_raise": _fp_error(g, z, all="raise"),
                "fp_error_except_underflow": fp_error,
            }
        )
    return pd.DataFrame(rows)


def sigmoid_tanh_identity(z_max: float, n_points: int) -> pd.DataFrame:
    """max |sigma(z) - (1 + tanh(z/2))/2| over the wide grid (C07)."""
    z = wide_grid(z_max, n_points)
    with np.errstate(all="raise", under="ignore"):
        diff = np.abs(ACTIVATIONS["sigmoid"].g(z) - (1 + np.tanh(z / 2)) / 2)
    return pd.DataFrame(
        [
            {
                "z_max": float(np.abs(z).max()),
                "n_points": len(z),
                "max_abs_diff": float(diff.max()),
                "argmax_z": float(z[np.argmax(diff)]),
                "eps": np.finfo(float).eps,
            }
        ]
    )


def relu_sparsity(widths, inits, depth: int, inputs: int, batch: int, seeds) -> pd.DataFrame:
    """Fraction of relu units exactly 0 per hidden layer at initialisation, over `batch`
    standard-normal inputs and one ensemble member per seed."""
    X = rng(0, "activations", "relu_inputs").standard_normal((batch, inputs))  # (B, D)
    rows = []
    for scheme in inits:
        for width in widths:
            net = Net((inputs, *[width] * depth, 1), hidden="relu")
            params = init(net, scheme, rngs(seeds, "activations", "relu_init", scheme, width))
            _, cache = forward(net, params, X)
            for layer in range(1, depth + 1):
                h = cache[layer][1]  # (M, B, K)
                rows.append(
                    {
                        "init": scheme,
                        "width": width,
                        "layer": layer,
                        "units": h.size,
                        "fraction_zero": float(np.mean(h == 0.0)),
                    }
                )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- C08: derivatives
def activation_curves(z_lim: float = 4.0, n: int = 801) -> pd.DataFrame:
    """g(z) and the registry's g'(z) on [-z_lim, z_lim] for every elementwise activation."""
    z = np.linspace(-z_lim, z_lim, n)
    parts = []
    for name in elementwise_names():
        a = ACTIVATIONS[name]
        h = a.g(z)
        parts.append(pd.DataFrame({"activation": name, "z": z, "g": h, "dg": a.derivative(z, h)}))
    return pd.concat(parts, ignore_index=True)


def derivative_check(step: float, z_lim: float = 6.0, n: int = 1201) -> pd.DataFrame:
    """Registry g' and the lecture's formula vs central finite differences at |z| >= KINK."""
    z = np.linspace(-z_lim, z_lim, n)
    z = z[np.abs(z) >= KINK]
    rows = []
    for name in elementwise_names():
        a = ACTIVATIONS[name]
        fd = (a.g(z + step) - a.g(z - step)) / (2 * step)
        reg = a.derivative(z, a.g(z))
        lec = LECTURE_DERIVATIVE[name](z) if name in LECTURE_DERIVATIVE else None
        rows.append(
            {
                "activation": name,
                "n_points": len(z),
                "step": step,
                "excluded": f"|z| < {KINK:g}",
                "max_abs_err_registry": float(np.abs(reg - fd).max()),
                "max_abs_err_lecture_formula": float(np.abs(lec - fd).max()) if lec is not None else np.nan,
                "max_abs_derivative": float(np.abs(fd).max()),
            }
        )
    return pd.DataFrame(rows)


def plot_activations(curves: pd.DataFrame, deriv: pd.DataFrame):
    """One panel per elementwise activation: g (solid) and g' (dashed), as on the slides."""
    names = list(dict.fromkeys(curves["activation"]))
    fig, axes = figure(1, len(names), width=2.7, height=2.6)
    err = deriv.set_index("activation")["max_abs_err_registry"]
    for ax, name in zip(axes[0], names):
        c = curves[curves["activation"] == name]
        ax.plot(c["z"], c["g"], color="C0", lw=2, label="g(z)")
        ax.plot(c["z"], c["dg"], color="C3", lw=1.5, ls="--", label="g'(z)")
        ax.axhline(0, color="k", lw=0.6)
        ax.axvline(0, color="k", lw=0.6)
        ax.set(xlabel="pre-activation z", ylim=(-1.6, 2.6), title=f"{name}: {FORMULA.get(name, name)}")
        ax.text(
            0.03,
            0.97,
            f"max g' = {c['dg'].max():.3g}\n|g' - FD| <= {err.get(name, np.nan):.0e}",
            transform=ax.transAxes,
            va="top",
            fontsize=7,
        )
    axes[0, 0].set_ylabel("g(z), g'(z)")
    axes[0, -1].legend(loc="lower right")
    fig.suptitle(
        "Elementwise activations (solid) and their derivatives (dashed); "
        "each g' matches central finite differences away from z = 0"
    )
    return fig


# ---------------------------------------------------------------- claims and steps
def claim_rows_functions(
    ranges: pd.DataFrame, ident: pd.DataFrame, sparsity: pd.DataFrame, deriv: pd.DataFrame
) -> pd.DataFrame:
    r = ranges[ranges["activation"].isin(LECTURE_RANGE)].set_index("activation")
    no_fp = bool((r["fp_error_except_underflow"] == "").all())
    ranges_ok = bool(r["within_closed_range"].all() and r["strictly_inside_for_abs_z_le_15"].fillna(True).all())
    mono_ok = bool(
        r["nondecreasing"].all()
        and r.loc[r["lecture_says_strictly_increasing"], "strictly_increasing_abs_z_le_15"].all()
    )
    first = sparsity[sparsity["layer"] == 1]
    frac_dev = float(np.abs(sparsity["fraction_zero"] - 0.5).max())
    underflow = ", ".join(f"{n}" for n, e in zip(ranges["activation"], ranges["fp_error_all_raise"]) if e)
    bound = r.loc[
        [LECTURE_RANGE[n][2] and np.isfinite(LECTURE_RANGE[n][1]) for n in r.index], "reaches_bound_from_abs_z"
    ]
    dmax = float(deriv["max_abs_err_lecture_formula"].max())
    dreg = float(deriv["max_abs_err_registry"].max())
    ev_r = "results/activations/activation_ranges.csv; results/activations/relu_sparsity.csv"
    return pd.DataFrame(
        [
            claims.row(
                "C06",
                f"on {int(r['n_points'].iloc[0])} points with |z| <= {r['z_max'].iloc[0]:g}: ranges hold "
                f"(closed bounds; strictly inside for |z| <= {INNER:g}) = {ranges_ok}; monotonicity = {mono_ok}; "
                f"no overflow/invalid/divide errors = {no_fp} (underflow raised only by: {underflow or 'none'}); "
                f"relu max = {r.loc['relu', 'max']:g} (unbounded); float64 rounds to the open bound from |z| = "
                + ", ".join(f"{k} {v:.3g}" for k, v in bound.items())
                + f"; relu units exactly 0 at init: {first['fraction_zero'].min():.3f}-"
                f"{first['fraction_zero'].max():.3f} (layer 1), all layers within {frac_dev:.3f} of 0.5",
                "ranges, monotonicity and no FP errors (underflow to 0 allowed) all hold; relu zero fraction "
                "within 0.05 of 0.5 for every init, width and layer",
                claims.verdict(ranges_ok and mono_ok and no_fp and frac_dev <= 0.05, ranges_ok and mono_ok and no_fp),
                ev_r + "; figures/activations/activations.png",
            ),
            claims.row(
                "C07",
                f"max |sigma(z) - (1 + tanh(z/2))/2| = {ident['max_abs_diff'].iloc[0]:.3g} over "
                f"{int(ident['n_points'].iloc[0])} points with |z| <= {ident['z_max'].iloc[0]:g}",
                f"<= 4 eps = {TOL_ULP:.2g}",
                claims.verdict(float(ident["max_abs_diff"].iloc[0]) <= TOL_ULP),
                "results/activations/sigmoid_tanh_identity.csv",
            ),
            claims.row(
                "C08",
                f"max |lecture formula - central FD| = {dmax:.2g} (linear, sigmoid, tanh, relu); "
                f"max |registry g' - FD| = {dreg:.2g} over all {len(deriv)} elementwise activations, "
                f"|z| >= {KINK:g}, step {deriv['step'].iloc[0]:g}",
                f"both <= {TOL_FD:g}",
                claims.verdict(dmax <= TOL_FD and dreg <= TOL_FD, dmax <= TOL_FD),
                "results/activations/derivative_check.csv; figures/activations/activations.png",
            ),
        ]
    )


def step_functions(params: dict, results: Path, figures: Path) -> None:
    """C06-C08: ranges, the sigmoid-tanh identity, relu sparsity at init, derivatives."""
    ranges = activation_ranges(params["grid_max"], params["grid_points"])
    ident = sigmoid_tanh_identity(params["grid_max"], params["grid_points"])
    sparsity = relu_sparsity(
        params["relu_widths"],
        params["relu_inits"],
        params["relu_depth"],
        params["relu_inputs"],
        params["relu_batch"],
        range(params["seed"], params["seed"] + params["relu_seeds"]),
    )
    deriv = derivative_check(params["fd_step"])
    for name, df in [
        ("activation_ranges", ranges),
        ("sigmoid_tanh_identity", ident),
        ("relu_sparsity", sparsity),
        ("derivative_check", deriv),
    ]:
        write_table(df, results / f"{name}.csv")
    write_table(claim_rows_functions(ranges, ident, sparsity, deriv), results / "claims_functions.csv")
    write_figure(plot_activations(activation_curves(), deriv), figures / "activations.png")


def step_claims(params: dict, results: Path, figures: Path) -> None:
    """Merge the family's claim parts (params["parts"], file names in `results`) into claims.csv."""
    write_table(claims.concat_parts(Path(results) / p for p in params["parts"]), results / "claims.csv")


if __name__ == "__main__":
    cli({"functions": step_functions, "maps": step_maps, "claims": step_claims})
