"""Logic and separability, the trained half (claims C02, C03, C05): what trained nets do.

Seeds vectorised as one ensemble per cell (`mlp.train`): logistic regression on AND / OR /
XOR, MLPs on XOR by hidden width and activation, deep linear nets on XOR, and the check that
a stack of linear layers is one affine map. The exact LP half and the merge of the claim
rows are in `experiments.logic`.

Inputs are +-1 (the lecture's encoding, `mlp.boolean`); the sigmoid nets are trained with
binary cross-entropy on {0, 1} targets, and a point counts as correct when f(x) > 1/2 iff
its target is 1.
"""

from functools import reduce
from statistics import NormalDist

import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap

from experiments import claims
from experiments.io import cli, write_figure, write_table
from experiments.logic import certificates_2
from experiments.plotting import PM_COLORS, figure
from mlp.boolean import NAMED_2, function_outputs, truth_table_inputs
from mlp.data import Split
from mlp.network import Net, forward, init
from mlp.seeding import rng, rngs
from mlp.train import train

TRAINED_FUNCTIONS = ("AND", "OR", "XOR")
SIGMOID_NET = {"output": "sigmoid", "loss": "binary_cross_entropy"}


# --- trained nets ------------------------------------------------------------------------------


def _targets01(name: str) -> np.ndarray:
    """{0, 1} targets of a named 2-input function, shape (4, 1)."""
    return function_outputs(NAMED_2[name], 2, "01")[:, None]


def _train_on_table(net: Net, params, X, Y, cfg: dict, shuffle_rngs, eval_epochs):
    """Train on a truth table (X, Y) with the config's lr, batch size and epochs; each member
    reshuffles its order with its own Generator unless a batch is the whole table (full-batch GD)."""
    return train(
        net,
        params,
        Split(X, Y, X, Y),
        lr=cfg["lr"],
        batch_size=cfg["batch_size"],
        epochs=cfg["epochs"],
        shuffle_rngs=None if cfg["batch_size"] == len(X) else shuffle_rngs,
        eval_epochs=eval_epochs,
    )


def _train_functions(net: Net, functions, seeds, key: str, cfg: dict):
    """Train len(functions) x len(seeds) nets as ONE ensemble (member = (function, seed)),
    each on its function's 4-row truth table; returns (params, n_correct (M,), loss (M,), member frame)."""
    X = truth_table_inputs(2)  # (4, 2) shared by all members
    Y = np.stack([_targets01(f) for f in functions for _ in seeds])  # (M, 4, 1)
    members = pd.DataFrame([{"function": f, "seed": s} for f in functions for s in seeds])
    init_rngs = [rng(s, "init", key, f) for f in functions for s in seeds]
    params = init(net, cfg["init"], init_rngs)
    shuffle = [rng(s, "shuffle", key, f) for f in functions for s in seeds]
    result = _train_on_table(net, params, X, Y, cfg, shuffle, [cfg["epochs"]])
    f = forward(net, result.params, X)[0]  # (M, 4, 1)
    n_correct = np.sum((f[..., 0] > 0.5) == (Y[..., 0] > 0.5), axis=-1)  # (M,)
    loss = pd.DataFrame(result.history).sort_values("member")["train_loss"].to_numpy()
    members["diverged"] = result.diverged_at >= 0
    return result.params, n_correct, loss, members


def neuron_runs(seeds, cfg: dict) -> pd.DataFrame:
    """Logistic regression Net((2, 1), sigmoid, binary CE) on AND, OR, XOR over `seeds`, one
    ensemble; per member: points correct (of 4), final loss and the weights (w1, w2, b)."""
    net = Net((2, 1), **SIGMOID_NET)
    params, n_correct, loss, df = _train_functions(net, TRAINED_FUNCTIONS, seeds, "neuron", cfg)
    W, b = params[0]  # (M, 1, 2), (M, 1)
    return df.assign(correct=n_correct, loss=loss, w1=W[:, 0, 0], w2=W[:, 0, 1], b=b[:, 0])


def neuron_summary(runs: pd.DataFrame, certs: pd.DataFrame) -> pd.DataFrame:
    """Per function: LP separability, seeds, how often 4/4 was reached, min/max points correct."""
    sep = dict(zip(certs["name"], certs["separable"]))
    g = runs.groupby("function", sort=False)["correct"]
    out = pd.DataFrame(
        {
            "seeds": g.size(),
            "all_4": g.apply(lambda c: int((c == 4).sum())),
            "min_correct": g.min(),
            "max_correct": g.max(),
            "mean_correct": g.mean(),
        }
    )
    out.insert(0, "lp_separable", [sep[f] for f in out.index])
    return out.reset_index()


def mlp_xor_cell(activation: str, widths, seeds, cfg: dict) -> pd.DataFrame:
    """Net((2, K, 1), activation, sigmoid output, binary CE) on XOR: one ensemble of all seeds
    per width K. Per member: points correct after training and at half the epochs, final loss.
    Success = all 4 points correct after training."""
    X, Y = truth_table_inputs(2), _targets01("XOR")
    half = cfg["epochs"] // 2
    frames = []
    for K in widths:
        net = Net((2, K, 1), hidden=activation, **SIGMOID_NET)
        params = init(net, cfg["init"], rngs(seeds, "init", "xor_mlp", activation, K))
        shuffle = rngs(seeds, "shuffle", "xor_mlp", activation, K)
        res = _train_on_table(net, params, X, Y, cfg, shuffle, [half, cfg["epochs"]])
        h = pd.DataFrame(res.history).pivot(index="member", columns="epoch")
        correct = np.rint(4 * h["train_acc"][cfg["epochs"]].to_numpy())
        frames.append(
            pd.DataFrame(
                {
                    "activation": activation,
                    "width": K,
                    "seed": list(seeds),
                    "correct": correct,
                    "correct_half": np.rint(4 * h["train_acc"][half].to_numpy()),
                    "loss": h["train_loss"][cfg["epochs"]].to_numpy(),
                    "success": correct == 4,
                    "diverged": res.diverged_at >= 0,
                }
            )
        )
    return pd.concat(frames, ignore_index=True).astype({"correct": "Int64", "correct_half": "Int64"})


def wilson_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion k / n:
    (p + z^2/2n -+ z sqrt(p(1 - p)/n + z^2/4n^2)) / (1 + z^2/n), z the two-sided normal quantile."""
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = k / n
    centre, half = p + z**2 / (2 * n), z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    low, high = (centre - half) / (1 + z**2 / n), (centre + half) / (1 + z**2 / n)
    return min(p, max(0.0, low)), max(p, min(1.0, high))  # clip round-off at k = 0 and k = n


def success_rates(runs: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Success rate per (activation, width) with its Wilson binomial confidence interval, and
    the rate at half the epochs (a plateau check: equal rates mean training had settled)."""
    rows = []
    for (act, K), g in runs.groupby(["activation", "width"], sort=True):
        k, n = int(g["success"].sum()), len(g)
        ci_low, ci_high = wilson_interval(k, n, confidence)
        rows.append(
            {
                "activation": act,
                "width": K,
                "seeds": n,
                "successes": k,
                "rate": k / n,
                "ci_low": ci_low,
                "ci_high": ci_high,
                "rate_half_epochs": float((g["correct_half"] == 4).mean()),
                "max_correct": int(g["correct"].max()),
                "diverged": int(g["diverged"].sum()),
            }
        )
    return pd.DataFrame(rows)


def collapse_affine(params):
    """The one affine map (W (..., C, D), b (..., C)) equal to a stack of linear layers:
    W = W_{L+1} ... W_1 and b = W_{L+1}(... (W_2 b_1 + b_2) ...) + b_{L+1}."""
    W = reduce(lambda acc, layer: layer[0] @ acc, params[1:], params[0][0])
    b = reduce(lambda acc, layer: (layer[0] @ acc[..., None])[..., 0] + layer[1], params[1:], params[0][1])
    return W, b


def linear_composition(depths, width: int, n_seeds: int, n_points: int) -> pd.DataFrame:
    """Deep linear nets Net((3, K, ..., K, 2), hidden="linear", output="linear") with random
    weights and biases (glorot W, biases N(0, 1)): max |f(x) - (W x + b)| over the ensemble and
    random inputs, where (W, b) is the product of the layers (`collapse_affine`)."""
    rows = []
    for L in depths:
        net = Net((3, *[width] * L, 2), hidden="linear", output="linear")
        seeds = range(n_seeds)
        params = init(net, "glorot", rngs(seeds, "init", "linear", L))
        bias_rng = rng(0, "bias", "linear", L)
        params = [(W, bias_rng.normal(size=b.shape)) for W, b in params]  # nonzero biases: (M, K_l)
        X = rng(0, "points", "linear", L).normal(size=(n_points, 3))  # (B, 3)
        f = forward(net, params, X)[0]  # (M, B, 2)
        W, b = collapse_affine(params)  # (M, 2, 3), (M, 2)
        diff = np.abs(f - (X @ W.swapaxes(-1, -2) + b[:, None, :])).max()
        rows.append(
            {
                "hidden_layers": L,
                "width": width,
                "nets": n_seeds,
                "points": n_points,
                "max_abs_diff": diff,
                "max_abs_output": np.abs(f).max(),
                "relative": diff / np.abs(f).max(),
                "eps_float64": np.finfo(float).eps,
            }
        )
    return pd.DataFrame(rows)


def linear_xor(depths, width: int, seeds, cfg: dict) -> pd.DataFrame:
    """Deep linear nets (hidden="linear", sigmoid output, binary CE) trained on XOR, one
    ensemble of all seeds per depth; per depth: distribution of points correct."""
    X, Y = truth_table_inputs(2), _targets01("XOR")
    rows = []
    for L in depths:
        net = Net((2, *[width] * L, 1), hidden="linear", **SIGMOID_NET)
        params = init(net, cfg["init"], rngs(seeds, "init", "linear_xor", L))
        shuffle = rngs(seeds, "shuffle", "linear_xor", L)
        res = _train_on_table(net, params, X, Y, cfg, shuffle, [cfg["epochs"]])
        acc = pd.DataFrame(res.history).sort_values("member")["train_acc"].to_numpy()  # (M,), NaN for a diverged member
        correct = np.rint(4 * acc[np.isfinite(acc)]).astype(int)
        rows.append(
            {
                "hidden_layers": L,
                "width": width,
                "seeds": len(seeds),
                **{f"correct_{c}": int((correct == c).sum()) for c in range(5)},
                "max_correct": int(correct.max(initial=0)),
                "diverged": int((res.diverged_at >= 0).sum()),
            }
        )
    return pd.DataFrame(rows)


# --- claims ------------------------------------------------------------------------------------


def claims_neuron(summary: pd.DataFrame):
    s = summary.set_index("function")
    seeds = int(s["seeds"].iloc[0])
    holds = s.loc["AND", "all_4"] == seeds and s.loc["OR", "all_4"] == seeds and s.loc["XOR", "max_correct"] <= 3
    return pd.DataFrame(
        [
            claims.row(
                "C02",
                f"logistic regression, {seeds} seeds as one ensemble: 4/4 on AND in "
                f"{s.loc['AND', 'all_4']}/{seeds}, on OR in {s.loc['OR', 'all_4']}/{seeds}; on XOR at most "
                f"{s.loc['XOR', 'max_correct']}/4 (mean {s.loc['XOR', 'mean_correct']:.2f})",
                "AND and OR 4/4 for every seed; XOR never above 3/4",
                claims.verdict(bool(holds), partly=s.loc["XOR", "max_correct"] <= 3),
                "results/logic/neuron_summary.csv; figures/logic/neuron_accuracy.png; "
                "figures/logic/decision_boundaries.png",
            ),
        ]
    )


def _rises(rates: pd.DataFrame) -> bool:
    """Non-decreasing in width up to sampling noise: each rate >= the previous width's Wilson lower bound."""
    r = rates.sort_values("width")
    return bool(np.all(r["rate"].to_numpy()[1:] >= r["ci_low"].to_numpy()[:-1]))


def claims_xor(rates: pd.DataFrame):
    w1 = rates[rates["width"] == 1]
    wide = rates[rates["width"] == rates["width"].max()]
    rises = {a: _rises(g) for a, g in rates.groupby("activation")}
    txt = "; ".join(
        f"{a}: " + ", ".join(f"K={r.width} {r.successes}/{r.seeds}" for r in g.itertuples())
        for a, g in rates.groupby("activation")
    )
    holds = bool((w1["successes"] == 0).all() and (wide["rate"] >= 0.9).all() and all(rises.values()))
    partly = bool((rates.loc[rates["width"] >= 2, "successes"] > 0).any())
    return pd.DataFrame(
        [
            claims.row(
                "C03",
                f"trained MLPs on XOR, success = 4/4 after training: {txt}",
                "width 1 never succeeds (one unit = a monotone function of one linear form; LP best 3/4); "
                f"widest net (K={int(rates['width'].max())}) >= 90% for every activation; rate non-decreasing "
                "in width (within the 95% Wilson interval)",
                claims.verdict(holds, partly),
                "results/logic/xor_success.csv; figures/logic/xor_success.png",
            ),
        ]
    )


def claims_linear(comp: pd.DataFrame, lin: pd.DataFrame):
    worst = comp["relative"].max()
    max_correct = int(lin["max_correct"].max())
    ok_comp = bool(worst <= 1e3 * np.finfo(float).eps)
    return pd.DataFrame(
        [
            claims.row(
                "C05",
                f"deep linear nets ({', '.join(map(str, comp['hidden_layers']))} hidden layers) equal "
                f"the product of their layers: max abs diff {comp['max_abs_diff'].max():.1e} (relative "
                f"{worst:.1e}); trained on XOR ({int(lin['seeds'].iloc[0])} seeds per depth, "
                f"{', '.join(map(str, lin['hidden_layers']))} hidden layers): at most {max_correct}/4 "
                f"({int(lin['diverged'].sum())} diverged)",
                "relative difference <= 1000 eps (float64 round-off); trained deep linear nets <= 3/4 on XOR",
                claims.verdict(ok_comp and max_correct <= 3, partly=ok_comp or max_correct <= 3),
                "results/logic/linear_composition.csv; results/logic/linear_xor.csv",
            ),
        ]
    )


# --- figures -----------------------------------------------------------------------------------

GRID = np.linspace(-1.6, 1.6, 161)
PROB_CMAP = LinearSegmentedColormap.from_list("p", [PM_COLORS[-1.0], "white", PM_COLORS[1.0]])  # 0 -> 1


def _boundary_panel(ax, net, params, member: int, name: str, title: str):
    x1, x2 = np.meshgrid(GRID, GRID)
    P = np.column_stack([x1.ravel(), x2.ravel()])
    p = forward(net, [(W[member : member + 1], b[member : member + 1]) for W, b in params], P)[0][0, :, 0]
    p = p.reshape(x1.shape)
    ax.contourf(x1, x2, p, levels=np.linspace(0, 1, 11), cmap=PROB_CMAP, vmin=0, vmax=1, alpha=0.5)
    ax.contour(x1, x2, p, levels=[0.5], colors="k", linewidths=1.5)
    X, y = truth_table_inputs(2), function_outputs(NAMED_2[name], 2)
    ax.scatter(X[:, 0], X[:, 1], s=110, c=[PM_COLORS[float(v)] for v in y], edgecolor="k", zorder=3)
    ax.set(xlim=(GRID[0], GRID[-1]), ylim=(GRID[0], GRID[-1]), aspect="equal", xlabel="x1", ylabel="x2", title=title)


def plot_decision_boundaries(seed: int, cfg_neuron: dict, cfg_mlp: dict, activation: str, width: int):
    """3 x 2 grid: rows AND, OR, XOR; columns one sigmoid neuron vs an MLP (first seed of each)."""
    fig, axes = figure(3, 2, width=3.3, height=3.0)
    for col, (net, cfg, key, label) in enumerate(
        [
            (Net((2, 1), **SIGMOID_NET), cfg_neuron, "neuron", "one neuron"),
            (Net((2, width, 1), hidden=activation, **SIGMOID_NET), cfg_mlp, "boundary", f"MLP ({width} {activation})"),
        ]
    ):
        params, correct, _, _ = _train_functions(net, TRAINED_FUNCTIONS, [seed], key, cfg)
        for row, name in enumerate(TRAINED_FUNCTIONS):
            _boundary_panel(axes[row, col], net, params, row, name, f"{name}, {label}: {correct[row]}/4 correct")
    axes[0, 1].scatter([], [], s=60, c=PM_COLORS[1.0], edgecolor="k", label="target 1")
    axes[0, 1].scatter([], [], s=60, c=PM_COLORS[-1.0], edgecolor="k", label="target 0")
    axes[0, 1].plot([], [], "k", label="f(x) = 1/2")
    axes[0, 1].legend(loc="upper left", bbox_to_anchor=(1.02, 1.0))
    fig.suptitle(
        "One neuron draws one straight line (AND, OR solved, XOR not); an MLP bends around XOR\n"
        "shading: output f(x) = p(y = 1 | x), from 0 (orange) to 1 (blue)"
    )
    return fig


def plot_neuron_accuracy(runs: pd.DataFrame):
    """How many of the seeds reach 0..4 correct points, per function."""
    fig, axes = figure(1, 1, width=5.5, height=3.2)
    ax = axes[0, 0]
    seeds = runs.groupby("function").size().iloc[0]
    for i, name in enumerate(TRAINED_FUNCTIONS):
        c = runs.loc[runs["function"] == name, "correct"].value_counts().reindex(range(5), fill_value=0)
        ax.bar(np.arange(5) + (i - 1) * 0.27, c.to_numpy(), width=0.27, label=name)
    all_4 = {f: int((runs.loc[runs["function"] == f, "correct"] == 4).sum()) for f in TRAINED_FUNCTIONS}
    xor_max = int(runs.loc[runs["function"] == "XOR", "correct"].max())
    ax.set(
        xticks=range(5),
        xlabel="points of the truth table classified correctly (of 4)",
        ylabel=f"seeds (of {seeds})",
        title=f"Logistic regression: 4/4 on AND for {all_4['AND']}/{seeds} seeds, on OR for {all_4['OR']}/{seeds};"
        f" XOR at most {xor_max}/4",
    )
    ax.legend(loc="upper left")
    return fig


def plot_xor_success(rates: pd.DataFrame, cfg: dict):
    """Success rate vs hidden width, one line per activation, with Wilson 95% intervals."""
    fig, axes = figure(1, 1, width=5.5, height=3.6)
    ax = axes[0, 0]
    for i, (act, g) in enumerate(rates.groupby("activation", sort=False)):
        g = g.sort_values("width")
        x = g["width"] * (1 + 0.03 * (i - 1))  # small offset so the intervals do not overlap
        ax.errorbar(
            x, g["rate"], yerr=[g["rate"] - g["ci_low"], g["ci_high"] - g["rate"]], marker="o", capsize=3, label=act
        )
    widths = sorted(rates["width"].unique())
    seeds = int(rates["seeds"].iloc[0])
    ax.set_xscale("log", base=2)
    ax.set(
        xticks=widths,
        xticklabels=[str(w) for w in widths],
        ylim=(-0.03, 1.03),
        xlabel="hidden units K (log scale)",
        ylabel=f"success rate (4/4 correct), {seeds} seeds",
        title=f"XOR: one hidden unit solves it in {int(rates.loc[rates['width'] == 1, 'successes'].sum())} of "
        f"{int(rates.loc[rates['width'] == 1, 'seeds'].sum())} runs; success rises with width",
    )
    ax.text(
        0.98,
        0.04,
        f"full-batch GD, lr {cfg['lr']}, {cfg['epochs']} epochs, {cfg['init']} init;\nbars: 95% Wilson interval",
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=7,
    )
    ax.legend(title="hidden activation", loc="center right")
    return fig


# --- steps -------------------------------------------------------------------------------------


def neuron(params: dict, results, figures) -> None:
    seeds = range(params["neuron"]["seeds"])
    runs = neuron_runs(seeds, params["neuron"])
    summary = neuron_summary(runs, certificates_2())
    write_table(runs, results / "neuron_runs.csv")
    write_table(summary, results / "neuron_summary.csv")
    write_table(claims_neuron(summary), results / "claims_neuron.csv")
    write_figure(plot_neuron_accuracy(runs), figures / "neuron_accuracy.png")
    b = params["boundary"]
    write_figure(
        plot_decision_boundaries(0, params["neuron"], params["xor_mlp"], b["activation"], b["width"]),
        figures / "decision_boundaries.png",
    )


def xor_cell(params: dict, results, figures) -> None:
    """One activation's cells (every width, all seeds per width in one ensemble); the
    activation comes as params["activation"], set by the rule's wildcard."""
    cfg = params["xor_mlp"]
    act = params["activation"]
    write_table(mlp_xor_cell(act, cfg["widths"], range(cfg["seeds"]), cfg), results / f"xor_mlp_{act}.csv")


def xor_summary(params: dict, results, figures) -> None:
    cfg = params["xor_mlp"]
    runs = pd.concat([pd.read_csv(results / f"xor_mlp_{a}.csv") for a in cfg["activations"]], ignore_index=True)
    rates = success_rates(runs)
    rates = rates.set_index("activation").loc[cfg["activations"]].reset_index()  # config order
    write_table(rates, results / "xor_success.csv")
    write_table(claims_xor(rates), results / "claims_xor.csv")
    write_figure(plot_xor_success(rates, cfg), figures / "xor_success.png")


def linear(params: dict, results, figures) -> None:
    cfg = params["linear"]
    comp = linear_composition(cfg["depths"], cfg["width"], cfg["check_nets"], cfg["check_points"])
    lin = linear_xor(cfg["train_depths"], cfg["width"], range(cfg["seeds"]), cfg)
    write_table(comp, results / "linear_composition.csv")
    write_table(lin, results / "linear_xor.csv")
    write_table(claims_linear(comp, lin), results / "claims_linear.csv")


if __name__ == "__main__":
    cli({"neuron": neuron, "xor_cell": xor_cell, "xor_summary": xor_summary, "linear": linear})
