"""Width vs approximation error of one-hidden-layer nets (C10).

One hidden layer of K units with a linear output, f(x) = sum_k a_k g(w_k x + b_k) + c, on 1-D
targets on [-1, 1] (mlp.data.TARGETS_1D). For each (target, activation) cell and width K:
* trained nets: R restarts trained together, best restart by training loss; full-batch
  L-BFGS on the core's objective (all restarts packed into one vector, objective = sum of
  the restarts' losses, which decouples) and plain mini-batch SGD at a fixed budget;
* explicit constructions: the piecewise-linear relu interpolant with K units (knots equally
  spaced; two placements) and Cybenko's staircase of K steep sigmoids.
Errors are the sup norm and the RMS of f - target on a dense grid. The log-log slope of
error vs K (fitted on the largest widths) is set next to the rate the theory gives.

The fitting tools (spread initialisation, least-squares readout, batched L-BFGS) and the
constructions (relu interpolant, sigmoid staircase) live in fitting.py.
"""

import numpy as np
import pandas as pd

from experiments import claims
from experiments.approximation.fitting import (
    fit_lbfgs,
    interp_nodes,
    lstsq_readout,
    relu_interpolant,
    restarts_for,
    sgd_rate,
    spread_features,
    staircase,
)
from experiments.plotting import figure
from mlp.activations import get_activation
from mlp.data import Split, target_1d
from mlp.network import Net, predict
from mlp.seeding import rngs
from mlp.train import train

# The explicit constructions (their rates, exponent p in error ~ K^p, in `theory_rate`)
CONSTRUCTIONS = ("relu_interp", "relu_interp_mid", "staircase")


# ---------------------------------------------------------------- sweep


def errors(f: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sup norm and RMS of f - y over the last axis of (..., N)."""
    d = f - y
    return np.abs(d).max(axis=-1), np.sqrt(np.mean(d**2, axis=-1))


def _grid(n: int, lo: float = -1.0, hi: float = 1.0) -> np.ndarray:
    return np.linspace(lo, hi, n)[:, None]  # (n, 1)


def width_cell(target: str, activation: str, p: dict) -> pd.DataFrame:
    """Trained one-hidden-layer nets for one (target, activation) and every width in p["widths"].

    Per width K, one ensemble of `restarts_for(K)` members with `spread_features`, trained on a
    grid of p["train_points"] points: (a) "lbfgs": least-squares readout, then batched L-BFGS
    for p["lbfgs_maxiter"] iterations; (b) "sgd": zero readout, then plain mini-batch SGD
    (mlp.train.train, reshuffled each epoch) for a fixed number of epochs at the rate
    `sgd_rate`. The restart with the lowest training loss is scored on p["eval_points"] points.
    Rows: target, activation, method, K, restarts, sup, rms, train_loss, n_ok.
    """
    get_activation(activation)
    X, Xe = _grid(p["train_points"]), _grid(p["eval_points"])  # (N, 1)
    Y, ye = target_1d(target, X), target_1d(target, Xe)[:, 0]
    s, key = p["sgd"], ("approximation", p["seed"], target, activation)
    rows = []
    for K in p["widths"]:
        seeds = range(restarts_for(K, p))
        net = Net((1, K, 1), hidden=activation, output="linear", loss="squared")
        W1, b1 = spread_features(K, rngs(seeds, *key, "init", K), -1.0, 1.0, p["w_scale"])
        fits = {"lbfgs": fit_lbfgs(net, lstsq_readout(net, W1, b1, X, Y), X, Y, p["lbfgs_maxiter"])}
        M = len(seeds)
        res = train(
            net,
            [(W1, b1), (np.zeros((M, 1, K)), np.zeros((M, 1)))],
            Split(X, Y, X[:1], Y[:1]),
            lr=sgd_rate(net, W1, b1, X, s["lr"]),
            batch_size=s["batch_size"],
            epochs=s["epochs"],
            shuffle_rngs=rngs(seeds, *key, "shuffle", K),
            eval_epochs=[s["epochs"]],
        )
        fits["sgd"] = (res.params, pd.DataFrame(res.history).sort_values("member")["train_loss"].to_numpy())
        for method, (params, loss) in fits.items():
            ok = np.isfinite(loss)
            row = {
                "target": target,
                "activation": activation,
                "method": method,
                "K": K,
                "restarts": M,
                "sup": np.nan,
                "rms": np.nan,
                "train_loss": np.nan,
                "n_ok": int(ok.sum()),
            }
            if ok.any():
                best = int(np.argmin(np.where(ok, loss, np.inf)))
                sup, rms = errors(predict(net, [(W[best], b[best]) for W, b in params], Xe)[:, 0], ye)
                row |= {"sup": float(sup), "rms": float(rms), "train_loss": float(loss[best])}
            rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- constructions


def construction_errors(p: dict) -> pd.DataFrame:
    """Sup and RMS error of each construction, for every target and width in p."""
    Xe = _grid(p["eval_points"])
    rows = []
    for target in p["targets"]:
        fn = lambda x, t=target: target_1d(t, x)  # noqa: E731
        ye = fn(Xe[:, 0])
        for K in p["widths"]:
            grid, mid = interp_nodes(K, "grid"), interp_nodes(K, "mid")
            nets = {
                "relu_interp": ("relu", relu_interpolant(grid, fn(grid))),
                "relu_interp_mid": ("relu", relu_interpolant(mid, fn(mid))),
                "staircase": ("sigmoid", staircase(K, fn)),
            }
            for name, (act, params) in nets.items():
                f = predict(Net((1, K, 1), hidden=act), params, Xe)[:, 0]
                sup, rms = errors(f, ye)
                rows.append(
                    {
                        "target": target,
                        "activation": act,
                        "method": name,
                        "K": K,
                        "sup": float(sup),
                        "rms": float(rms),
                        "train_loss": np.nan,
                        "n_ok": 1,
                    }
                )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- rates and slopes


def theory_rate(method: str, target: str, norm: str) -> tuple[float, str]:
    """Exponent p of error ~ K^p that the theory gives, and its one-line reason.

    relu interpolant, spacing h = 2/K: on a piece, |f - g| <= h^2/8 max|f''| (sup and RMS ~ K^-2)
    for C^2 targets. abs on the "grid" nodes: 0 is a node for even K, so g = |x| exactly. abs
    on the "mid" knots (0 inside the piece [-1/K, 1/K]): g = 1/K there, sup = 1/K (p = -1); the
    error 1/K - |x| lives on a set of length 2/K, RMS = (1/3)^(1/2) K^(-3/2) (p = -1.5).
    staircase: g is within Lip * h/2 + O(h e^-steepness) of f everywhere (p = -1, both norms).
    trained: at least as good as the construction its activation can build (relu: interpolant;
    sigmoid, tanh: staircase), a bound the optimiser need not reach.
    """
    smooth = target != "abs"
    if target == "step" and method in CONSTRUCTIONS:
        rate = -2.0 if method.startswith("relu_interp") else -1.0
        return rate, "smooth, but the rate sets in only once h = 2/K << 0.02, the step's width (K >> 100)"
    if method in ("relu_interp", "relu_interp_mid", "lbfgs_relu", "sgd_relu"):
        if smooth:
            return -2.0, "C2 target: sup, RMS <= h^2/8 max|f''|, h = 2/K"
        if method == "relu_interp":
            return np.nan, "kink at a knot for even K: exact"
        if method == "relu_interp_mid":
            return (
                (-1.0, "kink inside a piece: sup = 1/K")
                if norm == "sup"
                else (-1.5, "kink inside a piece: RMS = K^-1.5/sqrt 3")
            )
        return np.nan, "relu(x) + relu(-x) = |x|: exact for K >= 2"
    return -1.0, "Lipschitz target: staircase within Lip h/2 (faster possible for smooth targets)"


def fit_slope(K, err, fit_last: int, floor: float = 1e-13) -> float:
    """Least-squares slope of log err vs log K over the largest `fit_last` widths with err > floor
    (NaN if fewer than 2 remain)."""
    K, err = np.asarray(K, float), np.asarray(err, float)
    order = np.argsort(K)[-fit_last:]
    keep = order[np.isfinite(err[order]) & (err[order] > floor)]
    if len(keep) < 2:
        return np.nan
    return float(np.polyfit(np.log(K[keep]), np.log(err[keep]), 1)[0])


def slopes(errs: pd.DataFrame, fit_last: int) -> pd.DataFrame:
    """One row per (target, method, activation, norm): fitted slope next to the theory rate."""
    rows = []
    for (target, method, activation), g in errs.groupby(["target", "method", "activation"], sort=True):
        name = method if method in CONSTRUCTIONS else f"{method}_{activation}"
        for norm in ("sup", "rms"):
            rate, why = theory_rate(name, target, norm)
            rows.append(
                {
                    "target": target,
                    "method": method,
                    "activation": activation,
                    "norm": norm,
                    "slope": fit_slope(g["K"], g[norm], fit_last),
                    "theory": rate,
                    "reason": why,
                    "fit_widths": f"{sorted(g['K'])[-fit_last:][0]}-{g['K'].max()}",
                    "err_at_max_K": float(g.loc[g["K"].idxmax(), norm]),
                }
            )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- verdicts and figure


def claim_rows(errs: pd.DataFrame, sl: pd.DataFrame, p: dict) -> pd.DataFrame:
    """C10 rows: trained L-BFGS nets reach small error as K grows; constructions at their rates; SGD contrast."""
    ev = "results/approximation/width_errors.csv; results/approximation/width_slopes.csv; figures/approximation/width_errors.png"
    tol, stol = p["rms_tol"], p["slope_tol"]

    def cells(method):
        out = []
        for (t, a), g in errs[errs["method"] == method].groupby(["target", "activation"], sort=True):
            g = g.sort_values("K")
            lo, hi = g["rms"].iloc[0], g["rms"].iloc[-1]
            out.append((t, a, lo, hi, bool(hi <= tol and (hi < lo or lo <= tol))))
        return out

    lb = cells("lbfgs")
    n_ok = sum(c[4] for c in lb)
    worst = max(lb, key=lambda c: c[3])
    fails = [f"{t}/{a}" for t, a, *_, ok in lb if not ok]
    r1 = claims.row(
        "C10",
        f"trained one-hidden-layer nets (L-BFGS, best of <= {p['restarts']} restarts): RMS error at K = {max(p['widths'])} "
        f"<= {tol:g} and below the K = {min(p['widths'])} error (or already <= {tol:g} there) in {n_ok}/{len(lb)} "
        f"(target, activation) cells; worst RMS at the largest K {worst[3]:.2g} ({worst[0]}/{worst[1]})"
        + (f"; failing: {', '.join(fails)}" if fails else ""),
        f"every cell: error falls with K to RMS <= {tol:g}",
        claims.verdict(n_ok == len(lb), n_ok >= len(lb) / 2),
        ev,
    )
    con = sl[sl["method"].isin(CONSTRUCTIONS) & sl["theory"].notna()]
    good = (con["slope"] - con["theory"]).abs() <= stol
    txt = "; ".join(f"{r.method} {r.target} {r.norm} {r.slope:.2f} (theory {r.theory:g})" for r in con.itertuples())
    r2 = claims.row(
        "C10",
        f"explicit constructions, fitted log-log slope of error vs K on the largest {p['fit_last']} widths: {txt}",
        f"|slope - theory| <= {stol:g} for every construction with a rate ({int(good.sum())}/{len(con)} hold)",
        claims.verdict(bool(good.all()), good.mean() >= 0.5),
        ev,
    )
    sg = cells("sgd")
    n_sg = sum(c[4] for c in sg)
    fall = sum(c[3] < c[2] for c in sg)
    med = float(np.median([s[3] / max(l[3], 1e-300) for s, l in zip(sg, lb, strict=True)]))
    r3 = claims.row(
        "C10",
        f"contrast, plain SGD from random features ({p['sgd']['epochs']} epochs, batch {p['sgd']['batch_size']}): "
        f"RMS falls from the smallest to the largest K in {fall}/{len(sg)} cells, reaches <= {tol:g} in {n_sg}/{len(sg)}; "
        f"median SGD/L-BFGS RMS ratio at the largest K {med:.3g}",
        f"every cell falls and reaches RMS <= {tol:g} at a fixed SGD budget",
        claims.verdict(n_sg == len(sg), fall == len(sg)),
        ev,
    )
    return pd.DataFrame([r1, r2, r3])


ACT_COLORS = {"sigmoid": "#1f77b4", "tanh": "#2ca02c", "relu": "#d62728"}
CON_STYLE = {
    "relu_interp": ("k", "relu interpolant, nodes -1 + 2k/K"),
    "relu_interp_mid": ("#7f7f7f", "relu interpolant, mid-cell knots"),
    "staircase": ("#9467bd", "sigmoid staircase"),
}


def plot_width(errs: pd.DataFrame, norm: str = "sup"):
    """Error vs K (log-log), one panel per target: trained solid (SGD dotted), constructions dashed."""
    targets = sorted(errs["target"].unique())
    fig, axes = figure(1, len(targets), width=3.4, height=3.4, sharey=True)
    for ax, t in zip(axes[0], targets, strict=True):
        d = errs[errs["target"] == t]
        for (method, act), g in d.groupby(["method", "activation"], sort=True):
            g = g.sort_values("K")
            g = g[g[norm] > 1e-15]  # exact fits (round-off zeros) cannot be drawn on a log axis
            if method in CON_STYLE:
                c, lab = CON_STYLE[method]
                ax.plot(g["K"], g[norm], "--", color=c, lw=1.4, label=lab)
            else:
                ax.plot(
                    g["K"],
                    g[norm],
                    "-" if method == "lbfgs" else ":",
                    marker="o" if method == "lbfgs" else None,
                    ms=3,
                    color=ACT_COLORS[act],
                    lw=1.6 if method == "lbfgs" else 1.0,
                    label=f"trained {act} ({'L-BFGS' if method == 'lbfgs' else 'SGD'})",
                )
        Ks = np.array(sorted(d["K"].unique()), float)
        ax.plot(Ks, 2.0 / Ks, color="0.75", lw=4, alpha=0.5, label="slope -1 guide")
        ax.plot(Ks, 8.0 / Ks**2, color="0.85", lw=4, alpha=0.5, label="slope -2 guide")
        ax.set(xscale="log", yscale="log", xlabel="hidden units K", title=f"target: {t}")
        ax.set_xscale("log", base=2)
    axes[0, 0].set_ylabel(f"{'sup' if norm == 'sup' else 'RMS'} error on [-1, 1]")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside right center", fontsize=7)
    fig.suptitle("One hidden layer: error falls with width K for every target; constructions follow their rates")
    return fig
