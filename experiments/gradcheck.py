"""Losses and their gradients (C16) and backpropagation as the chain rule (C17).

Every (output map, loss) pair comes from the registries: a loss with `LOSSES[name].output`
pairs with that map only, `squared` with every map. Finite differences are central and in
float64; the perturbed copies of the parameters ride on the core's ensemble axis, so one
`objective` call evaluates all of them.
"""

from pathlib import Path

import numpy as np
import pandas as pd

from experiments import claims
from experiments.io import cli, write_figure, write_table
from experiments.plotting import figure
from mlp.activations import ACTIVATIONS, simplex_names
from mlp.losses import LOSSES, loss_value_and_grad, pairs
from mlp.network import Net, init, objective
from mlp.params import flatten, unflatten
from mlp.seeding import rng

TOL_REL, TOL_ABS = 1e-6, 1e-8
LECTURE_GRADIENT = {
    "squared": "dL/df = f - y",
    "cross_entropy": "softmax(z) - onehot(y)",
    "binary_cross_entropy": "sigmoid(z) - y",
    "sparsemax": "sparsemax(z) - onehot(y)",
}


def _targets(loss: str, shape, r: np.random.Generator) -> np.ndarray:
    """Targets of the output's shape: real for squared, {0,1} for binary CE, one-hot rows otherwise."""
    if loss == "squared":
        return r.standard_normal(shape)
    if LOSSES[loss].output in simplex_names():
        return np.eye(shape[-1])[r.integers(shape[-1], size=shape[:-1])]
    return r.integers(0, 2, size=shape).astype(float)


def _loss(out, loss, z, Y):
    return loss_value_and_grad(out, loss, z, ACTIVATIONS[out].g(z), Y)


# ---------------------------------------------------------------- C16: loss gradients
def loss_gradients(batch: int, classes: int, step: float, seed: int) -> pd.DataFrame:
    """Per valid pair: the core's gradient at z vs central FD of the core's loss value, and vs
    the closed form: o(z) - Y for fused losses, J_o(z)^T (f - Y) for the squared loss with
    J_o by finite differences of the output map (independent of the core's vjp)."""
    rows = []
    for out, loss in pairs():
        r = rng(seed, "gradcheck", "loss", out, loss)
        z = r.standard_normal((batch, classes))  # (B, C)
        Y = _targets(loss, z.shape, r)
        _, grad = _loss(out, loss, z, Y)
        E = step * np.eye(classes)  # (C, C): perturb one logit at a time
        zp, zm = z[:, None, :] + E, z[:, None, :] - E  # (B, C, C)
        fd = (_loss(out, loss, zp, Y[:, None, :])[0] - _loss(out, loss, zm, Y[:, None, :])[0]) / (2 * step)  # (B, C)
        g = ACTIVATIONS[out].g
        if LOSSES[loss].output:
            closed, formula = g(z) - Y, f"{out}(z) - y"
        else:
            J = (g(zp) - g(zm)) / (2 * step)  # (B, C_in, C_out): J[b, k, c] = d f_c / d z_k
            closed, formula = np.einsum("bkc,bc->bk", J, g(z) - Y), f"J_{out}(z)^T (f - y)"
        rows.append(
            {
                "loss": loss,
                "output": out,
                "gradient_at_z": formula,
                "lecture": LECTURE_GRADIENT.get(loss, ""),
                "max_abs_grad": float(np.abs(grad).max()),
                "max_abs_err_fd": float(np.abs(grad - fd).max()),
                "max_abs_err_closed_form": float(np.abs(grad - closed).max()),
            }
        )
    return pd.DataFrame(rows)


def zero_one_loss(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """1[argmax_c z_c != y] (ties go to the first maximal class)."""
    return (np.argmax(z, axis=-1) != y).astype(float)


def zero_one_fd(points: int, classes: int, steps, seed: int) -> pd.DataFrame:
    """Central differences of the 0/1 loss in every coordinate, at random logits and at ties.

    At a random point the difference is nonzero only if the step crosses the decision boundary
    (margin = top logit - runner-up <= step); at a tie z = (a, a, ...) it is 1/(2 step),
    unbounded as step -> 0: the loss jumps there.
    """
    r = rng(seed, "gradcheck", "zero_one")
    z = r.standard_normal((points, classes))
    y = r.integers(classes, size=points)
    top2 = -np.sort(-z, axis=-1)[:, :2]
    margin = top2[:, 0] - top2[:, 1]  # (N,) distance (in logits) to the nearest decision boundary
    tie = np.zeros((1, classes))
    tie[0, :2] = 1.0  # classes 1 and 2 tied
    rows = []
    for h in steps:
        E = h * np.eye(classes)
        fd = (zero_one_loss(z[:, None] + E, y[:, None]) - zero_one_loss(z[:, None] - E, y[:, None])) / (2 * h)
        nonzero = np.any(fd != 0, axis=1)
        fd_tie = (zero_one_loss(tie + E, 0) - zero_one_loss(tie - E, 0)) / (2 * h)
        rows.append(
            {
                "step": h,
                "points": points,
                "classes": classes,
                "fraction_fd_exactly_0": float(np.mean(fd == 0)),
                "points_with_nonzero_fd": int(nonzero.sum()),
                "nonzero_fd_with_margin_gt_2step": int(np.sum(nonzero & (margin > 2 * h))),
                "max_abs_fd_at_tie": float(np.abs(fd_tie).max()),
            }
        )
    return pd.DataFrame(rows)


def loss_curves(s_lim: float = 3.0, n: int = 601) -> pd.DataFrame:
    """Classification losses vs s = z2 - z1 with the correct label y = 1 (the first class),
    and dL/ds. Simplex maps: z = (0, s), Y = (1, 0). An elementwise output (binary CE with a
    sigmoid) scores class 1 with the single logit z1 - z2 = -s, Y = 1. The squared loss is drawn
    on every simplex map, for contrast."""
    s = np.linspace(-s_lim, s_lim, n)
    parts = [pd.DataFrame({"curve": "0/1 loss", "s": s, "loss": (s > 0).astype(float), "dloss_ds": 0.0})]
    for out, loss in pairs():
        if out in simplex_names():
            z, Y, ds = np.column_stack([np.zeros_like(s), s]), np.tile([1.0, 0.0], (n, 1)), np.array([0.0, 1.0])
        elif out == LOSSES[loss].output:
            z, Y, ds = -s[:, None], np.ones((n, 1)), np.array([-1.0])
        else:
            continue  # squared on an elementwise output is regression, not a classification loss
        value, grad = _loss(out, loss, z, Y)
        label = f"{loss} ({out} of z1 - z2)" if out not in simplex_names() else f"{loss} ({out})"
        parts.append(pd.DataFrame({"curve": label, "s": s, "loss": value, "dloss_ds": grad @ ds}))
    return pd.concat(parts, ignore_index=True)


def plot_losses(curves: pd.DataFrame):
    """The lecture's "Classification Losses" slide, with the derivative in a second panel."""
    fig, axes = figure(1, 2, width=4.4, height=3.4)
    for i, (name, c) in enumerate(curves.groupby("curve", sort=False)):
        style = {"color": "k", "lw": 2} if name == "0/1 loss" else {"color": f"C{i}", "lw": 1.8}
        if name.startswith("squared"):
            style["ls"] = ":"
        if name.startswith("binary"):
            style.update(ls="--", lw=1.5, zorder=3)
            name += ",\nequal to cross_entropy on 2 classes"
        for ax, col in zip(axes[0], ("loss", "dloss_ds")):
            y = c[col].to_numpy().copy()
            if name == "0/1 loss":
                y[np.argmin(np.abs(c["s"].to_numpy()))] = np.nan  # the jump at s = 0: no derivative there
            ax.plot(c["s"], y, label=name, **style)
    axes[0, 1].plot([0], [0], "kx", ms=8, label="0/1 loss: jump at s = 0 (no derivative)")
    axes[0, 0].set(
        xlabel="s = z2 - z1 (correct class y = 1)",
        ylabel="loss L(z, y = 1)",
        ylim=(-0.1, 3.2),
        title="Classification losses: small for s << 0",
    )
    axes[0, 1].set(
        xlabel="s = z2 - z1 (correct class y = 1)", ylabel="dL/ds", title="0/1 loss: derivative 0 wherever it exists"
    )
    fig.legend(*axes[0, 1].get_legend_handles_labels(), loc="outside lower center", ncols=3, fontsize=8)
    return fig


# ---------------------------------------------------------------- C17: chain rule and backprop
def chain_rule(ts, step: float) -> pd.DataFrame:
    """The lecture's example u = t^2, v = 3t + 1, r = u v: chain rule by hand, closed form, FD."""
    t = np.asarray(ts, dtype=float)
    u, v = t**2, 3 * t + 1
    chain = v * 2 * t + u * 3  # dr/du du/dt + dr/dv dv/dt = v (2t) + u (3)
    closed = 9 * t**2 + 2 * t
    fd = ((t + step) ** 2 * (3 * (t + step) + 1) - (t - step) ** 2 * (3 * (t - step) + 1)) / (2 * step)
    return pd.DataFrame(
        {
            "t": t,
            "u": u,
            "v": v,
            "r": u * v,
            "chain_rule": chain,
            "closed_form": closed,
            "finite_difference": fd,
            "abs_chain_minus_closed": np.abs(chain - closed),
            "abs_chain_minus_fd": np.abs(chain - fd),
        }
    )


def gradient_check(net: Net, params, X, Y, l2: float, step: float) -> dict:
    """Backprop gradient of `objective` vs central FD for all P parameters of one net (M = 1)."""
    bp = flatten(objective(net, params, X, Y, l2)[2])[0]  # (P,)
    theta = flatten(params)[0]
    P = theta.size
    E = step * np.eye(P)
    pert = unflatten(np.concatenate([theta + E, theta - E]), params)  # 2P ensemble members
    obj = objective(net, pert, X, Y, l2)[0]  # (2P,)
    fd = (obj[:P] - obj[P:]) / (2 * step)
    denom = np.linalg.norm(bp) + np.linalg.norm(fd)
    both_zero = int(np.sum((bp == 0) & (fd == 0)))
    return {
        "n_params": P,
        "grad_norm": float(np.linalg.norm(bp)),
        "rel_err": float(np.linalg.norm(bp - fd) / denom) if denom > 0 else np.nan,
        "max_abs_err": float(np.abs(bp - fd).max()),
        "params_zero_grad": both_zero,
    }


def gradcheck_table(
    depths, width: int, inputs: int, classes: int, batch: int, l2s, step: float, seed: int
) -> pd.DataFrame:
    """Every hidden activation x every valid (output, loss) pair x depth x lambda: backprop vs FD."""
    rows = []
    for hidden in sorted(ACTIVATIONS):
        for out, loss in pairs():
            for depth in depths:
                r = rng(seed, "gradcheck", hidden, out, loss, depth)
                net = Net((inputs, *[width] * depth, classes), hidden=hidden, output=out, loss=loss)
                params = [(W, b + 0.1 * r.standard_normal(b.shape)) for W, b in init(net, "glorot", [r])]
                X = r.standard_normal((batch, inputs))  # (B, D)
                Y = _targets(loss, (batch, classes), r)  # (B, C)
                for l2 in l2s:
                    rows.append(
                        {
                            "hidden": hidden,
                            "output": out,
                            "loss": loss,
                            "depth": depth,
                            "l2": l2,
                            "step": step,
                            **gradient_check(net, params, X, Y, l2, step),
                        }
                    )
    df = pd.DataFrame(rows)
    df["error_used"] = np.where(df["rel_err"].notna(), "relative", "absolute (relative undefined: zero gradient)")
    df["passes"] = np.where(df["rel_err"].notna(), df["rel_err"] <= TOL_REL, df["max_abs_err"] <= TOL_ABS)
    return df


def plot_gradcheck(gc: pd.DataFrame):
    """log10 of the worst relative error over lambda per hidden activation x (output, loss) pair,
    one panel per depth; 'abs' marks cells where a relative error was undefined (zero gradient)."""
    depths = sorted(gc["depth"].unique())
    fig, axes = figure(1, len(depths), width=4.2, height=4.2)
    pairs = list(dict.fromkeys(f"{o} / {lo}" for o, lo in zip(gc["output"], gc["loss"])))
    hiddens = sorted(gc["hidden"].unique())
    for ax, d in zip(axes[0], depths):
        g = gc[gc["depth"] == d].assign(pair=lambda x: x["output"] + " / " + x["loss"])
        m = g.pivot_table(index="hidden", columns="pair", values="rel_err", aggfunc="max")
        m = m.reindex(index=hiddens, columns=pairs)
        undefined = g[g["rel_err"].isna()]
        im = ax.imshow(np.log10(m.to_numpy()), vmin=-12, vmax=-4, cmap="viridis", aspect="auto")
        for _, u in undefined.drop_duplicates(["hidden", "pair"]).iterrows():
            ax.text(
                pairs.index(u["pair"]),
                hiddens.index(u["hidden"]),
                "abs",
                ha="center",
                va="center",
                fontsize=6,
                color="w",
            )
        ax.set_xticks(range(len(pairs)), pairs, rotation=60, ha="right", fontsize=7)
        ax.set_yticks(range(len(hiddens)), hiddens, fontsize=8)
        ax.grid(False)
        ax.set(
            title=f"{d} hidden layer{'s' if d > 1 else ''}: worst {g['rel_err'].max():.0e}",
            xlabel="output map / loss",
            ylabel="hidden activation",
        )
    fig.colorbar(im, ax=axes[0, -1], label=f"log10 relative error (pass: <= {np.log10(TOL_REL):g})")
    n_pass = int(gc["passes"].sum())
    fig.suptitle(
        f"Backprop vs central finite differences: {n_pass} of {len(gc)} checks pass (float64, lambda in "
        f"{{{', '.join(f'{x:g}' for x in sorted(gc['l2'].unique()))}}}; 'abs': zero gradient, absolute error used)"
    )
    return fig


# ---------------------------------------------------------------- claims and steps
def claim_rows_losses(lg: pd.DataFrame, zo: pd.DataFrame) -> pd.DataFrame:
    fd_err, cf_err = float(lg["max_abs_err_fd"].max()), float(lg["max_abs_err_closed_form"].max())
    zero_ok = bool((zo["nonzero_fd_with_margin_gt_2step"] == 0).all() and (zo["fraction_fd_exactly_0"] > 0.99).all())
    tie_grows = bool(np.all(np.diff(zo.sort_values("step", ascending=False)["max_abs_fd_at_tie"]) > 0))
    fracs = ", ".join(f"step {h:g}: {f:.4f}" for h, f in zip(zo["step"], zo["fraction_fd_exactly_0"]))
    return pd.DataFrame(
        [
            claims.row(
                "C16",
                f"{len(lg)} (output, loss) pairs: max |core gradient at z - central FD| = {fd_err:.2g}, "
                f"max |core - closed form (o(z) - y fused; J^T (f - y) squared)| = {cf_err:.2g}",
                f"both <= {TOL_REL:g}",
                claims.verdict(fd_err <= TOL_REL and cf_err <= TOL_REL),
                "results/activations/loss_gradients.csv; figures/activations/losses.png",
            ),
            claims.row(
                "C16",
                f"0/1 loss: fraction of finite differences exactly 0 at {int(zo['points'].iloc[0])} random "
                f"points ({fracs}); nonzero only within 2 steps of the decision boundary = "
                f"{bool((zo['nonzero_fd_with_margin_gt_2step'] == 0).all())}; at a tie |FD| = 1/(2 step) = "
                f"{zo['max_abs_fd_at_tie'].max():.3g} for the smallest step, growing as the step shrinks = {tie_grows}",
                "FD exactly 0 for > 99% of entries and nonzero only within 2 steps of the boundary; |FD| at a "
                "tie grows without bound: no useful gradient",
                claims.verdict(zero_ok and tie_grows),
                "results/activations/zero_one_fd.csv; figures/activations/losses.png",
            ),
        ]
    )


def claim_rows_backprop(cr: pd.DataFrame, gc: pd.DataFrame) -> pd.DataFrame:
    closed = float(cr["abs_chain_minus_closed"].max())
    fd = float((cr["abs_chain_minus_fd"] / np.maximum(1, np.abs(cr["chain_rule"]))).max())
    rel = gc["rel_err"].dropna()
    n_abs = int(gc["rel_err"].isna().sum())
    sign = gc[gc["hidden"] == "sign"]
    sign_abs = float(sign["max_abs_err"].max()) if len(sign) else np.nan
    zero_params = int(sign["params_zero_grad"].sum())
    abs_max = float(gc.loc[gc["rel_err"].isna(), "max_abs_err"].max()) if n_abs else np.nan
    return pd.DataFrame(
        [
            claims.row(
                "C17",
                f"u = t^2, v = 3t + 1, r = uv at t = {', '.join(f'{t:g}' for t in cr['t'])}: max |2tv + 3u "
                f"- (9t^2 + 2t)| = {closed:.2g}; max |chain rule - central FD| / max(1, |dr/dt|) = {fd:.2g}",
                "chain rule equals the closed form to 1e-12 and FD to 1e-7",
                claims.verdict(closed <= 1e-12 and fd <= 1e-7),
                "results/activations/chain_rule.csv",
            ),
            claims.row(
                "C17",
                f"{len(gc)} checks ({gc['hidden'].nunique()} hidden activations x "
                f"{gc[['output', 'loss']].drop_duplicates().shape[0]} (output, loss) pairs x depths "
                f"{[int(d) for d in sorted(gc['depth'].unique())]} x lambda "
                f"{[float(x) for x in sorted(gc['l2'].unique())]}): max relative error {rel.max():.2g} (median {rel.median():.2g}); "
                f"{n_abs} checks with an all-zero gradient (relative error undefined) judged by absolute error "
                f"(max {abs_max:.2g}); sign-hidden nets (g' = 0: gradients only from the last layer and lambda W, "
                f"{zero_params} parameters with backprop and FD both exactly 0) max abs error {sign_abs:.2g}",
                f"every check: relative error <= {TOL_REL:g} (absolute <= {TOL_ABS:g} where relative is undefined)",
                claims.verdict(bool(gc["passes"].all()), float(gc["passes"].mean()) >= 0.9),
                "results/activations/gradcheck.csv; figures/activations/gradcheck.png",
            ),
        ]
    )


def step_losses(params: dict, results: Path, figures: Path) -> None:
    """C16: loss curves vs s, loss gradients vs FD and closed forms, the 0/1 loss's FD."""
    lg = loss_gradients(params["batch"], params["classes"], params["fd_step"], params["seed"])
    zo = zero_one_fd(params["zero_one_points"], params["classes"], params["zero_one_steps"], params["seed"])
    write_table(lg, results / "loss_gradients.csv")
    write_table(zo, results / "zero_one_fd.csv")
    write_table(claim_rows_losses(lg, zo), results / "claims_losses.csv")
    write_figure(plot_losses(loss_curves()), figures / "losses.png")


def step_backprop(params: dict, results: Path, figures: Path) -> None:
    """C17: the lecture's chain-rule example and the gradient-check table."""
    cr = chain_rule(params["chain_t"], params["fd_step"])
    gc = gradcheck_table(
        params["depths"],
        params["width"],
        params["inputs"],
        params["classes"],
        params["batch"],
        params["l2s"],
        params["fd_step"],
        params["seed"],
    )
    write_table(cr, results / "chain_rule.csv", float_format="%.17g")
    write_table(gc, results / "gradcheck.csv")
    write_table(claim_rows_backprop(cr, gc), results / "claims_backprop.csv")
    write_figure(plot_gradcheck(gc), figures / "gradcheck.png")


if __name__ == "__main__":
    cli({"losses": step_losses, "backprop": step_backprop})
