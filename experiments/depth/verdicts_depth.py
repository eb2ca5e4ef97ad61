"""C23's claim rows, computed from the gradient, trainability and per-layer tables.

Comparisons are decided by intervals: a slope "vanishes" when its interval lies below 0; one
fraction (or slope) is above another when their intervals are disjoint.
"""

import pandas as pd

from experiments import claims
from experiments.stats import Estimate

C23 = "C23"
GRADIENTS = "results/depth/gradients.csv; results/depth/layers.csv; figures/depth/gradients.png"
TRAINABILITY = "results/depth/trainability.csv; results/depth/members.csv; figures/depth/trainability.png"
MIN_MEDIAN = 6  # members a median's 95% interval needs


def cell(table: pd.DataFrame, activation: str, init: str) -> pd.DataFrame:
    """One (activation, init)'s rows, indexed by depth."""
    return table[(table["activation"] == activation) & (table["init"] == init)].set_index("depth").sort_index()


def est(row: pd.Series, prefix: str) -> Estimate:
    return Estimate(row[prefix], row[f"{prefix}_lo"], row[f"{prefix}_hi"])


def above(a: Estimate, b: Estimate) -> bool:
    """a's interval lies entirely above b's."""
    return a.lo > b.hi


def slope_text(grad: pd.DataFrame, activation: str, init: str) -> str:
    c = cell(grad, activation, init)
    L = c.index.max()
    vanish = int((c["slope_delta_hi"] < 0).sum())
    dead = f", {int(c['dead'].sum())} dead nets" if c["dead"].sum() else ""
    return f"{activation} {est(c.loc[L], 'slope_delta').fmt('.2f')} at L = {L} (vanishes at {vanish}/{len(c)} depths{dead})"


def row_vanishing(grad: pd.DataFrame, inits) -> dict:
    """Evidence: at initialisation sigmoid's back-propagated gradient vanishes at every depth and
    relu's slope lies above sigmoid's, under each initialisation."""
    checks, texts = [], []
    for init in inits:
        sig, relu = cell(grad, "sigmoid", init), cell(grad, "relu", init)
        for L in sig.index:
            checks.append(
                sig.loc[L, "slope_delta_hi"] < 0
                and above(est(relu.loc[L], "slope_delta"), est(sig.loc[L], "slope_delta"))
            )
        acts = [a for a in ("sigmoid", "tanh", "relu") if a in set(grad["activation"])]
        texts.append(f"{init}: " + "; ".join(slope_text(grad, a, init) for a in acts))
    return claims.row(
        C23,
        "median over seeds of the per-member slope of log10 ||dl/dz^(l)|| per layer back from the output, at "
        "initialisation (95% CI): " + " | ".join(texts),
        f"for every initialisation and depth ({len(checks)} cells): sigmoid's interval lies below 0 (vanishing) and "
        "relu's interval lies above sigmoid's (less prone); partly if only some cells",
        claims.verdict(all(checks), partly=any(checks)),
        GRADIENTS,
    )


def row_he(grad: pd.DataFrame, width: int) -> dict:
    """Finding: with He initialisation relu's gradient keeps its size through the layers (He et
    al. 2015) -- or, at this width, drifts; Glorot's scale halves its variance per layer."""
    he, glorot = cell(grad, "relu", "he"), cell(grad, "relu", "glorot")
    keeps = he["slope_delta_hi"] >= 0
    per_depth = ", ".join(f"L = {L}: {est(r, 'slope_delta').fmt('.3f')}" for L, r in he.iterrows())
    weight = ", ".join(
        f"{est(r, 'slope_weight').fmt('.3f')}" for _, r in glorot.dropna(subset=["slope_weight"]).iterrows()
    )
    return claims.row(
        C23,
        f"relu, width {width}, He: {per_depth} (interval reaches 0 at {int(keeps.sum())}/{len(he)} depths); Glorot: "
        f"{est(glorot.iloc[-1], 'slope_delta').fmt('.3f')} at L = {glorot.index[-1]} (log10 of 1/sqrt(2) = -0.151), "
        f"while its weight-gradient slopes are {weight} (shrinking activations offset the shrinking dl/dz)",
        "reproduced if relu with He initialisation does not vanish at any depth (median slope interval reaches 0); "
        "partly if at some depths only",
        claims.verdict(bool(keeps.all()), partly=bool(keeps.any())),
        GRADIENTS,
        kind="finding",
    )


def fraction_text(c: pd.DataFrame) -> str:
    return ", ".join(f"L = {L}: {int(r['reached_converged'])}/{int(r['converged'])}" for L, r in c.iterrows())


def compare(train: pd.DataFrame, a: tuple, b: tuple) -> tuple[list, list]:
    """Depths where (activation, init) a's fraction interval lies above b's, and below it."""
    ca, cb = cell(train, *a), cell(train, *b)
    better = [L for L in ca.index if above(est(ca.loc[L], "fraction"), est(cb.loc[L], "fraction"))]
    worse = [L for L in ca.index if above(est(cb.loc[L], "fraction"), est(ca.loc[L], "fraction"))]
    return better, worse


def row_trainability(train: pd.DataFrame, inits, bar: float, epochs: int) -> dict:
    """Evidence: within the same budget relu trains deeper nets than sigmoid, under each
    initialisation; the shallowest nets of both train (a control of the learning rates)."""
    held, texts = [], []
    for init in inits:
        better, worse = compare(train, ("relu", init), ("sigmoid", init))
        shallow = train[(train["init"] == init) & (train["depth"] == train["depth"].min())]
        control = bool((shallow["fraction_lo"] > 0.5).all())
        held.append(control and bool(better) and not worse)
        moving = int(train.loc[train["init"] == init, "moving"].sum())
        texts.append(
            f"{init}: relu {fraction_text(cell(train, 'relu', init))}; sigmoid {fraction_text(cell(train, 'sigmoid', init))}; "
            f"relu above sigmoid at L = {better or 'none'}, below at L = {worse or 'none'}; "
            f"shallowest nets all train: {'yes' if control else 'no'}; {moving} members still moving (not counted)"
        )
    return claims.row(
        C23,
        f"converged members reaching {bar:g} training accuracy within {epochs} epochs: " + " | ".join(texts),
        "for each initialisation: at the shallowest depth every activation's fraction has its interval above 0.5 "
        "(control), relu's interval lies above sigmoid's at some depth and below it at none; partly if for one "
        "initialisation only",
        claims.verdict(all(held), partly=any(held)),
        TRAINABILITY,
    )


def row_relu_vs_tanh(train: pd.DataFrame) -> dict:
    """Finding: relu (He) against tanh (Glorot), each with the initialisation made for it."""
    better, worse = compare(train, ("relu", "he"), ("tanh", "glorot"))
    return claims.row(
        C23,
        f"relu with He: {fraction_text(cell(train, 'relu', 'he'))}; tanh with Glorot: "
        f"{fraction_text(cell(train, 'tanh', 'glorot'))}; relu's interval above tanh's at L = {better or 'none'}, "
        f"below at L = {worse or 'none'}",
        "reproduced if relu trains deeper than tanh too (interval above tanh's at some depth, below at none), each with "
        "its own initialisation; partly if both occur; not reproduced if relu is never above: with Glorot's "
        "initialisation tanh trains as deep as relu (the lecture's 'first' is a historical claim, not a ranking)",
        claims.verdict(bool(better) and not worse, partly=bool(better)),
        TRAINABILITY,
        kind="finding",
    )


def row_sparsity(layers: pd.DataFrame, threshold: float) -> dict:
    """Evidence: relu activity stays sparse after training: in every relu cell with enough
    trained members, every layer's median fraction of units exactly 0 has its interval above the
    threshold; sigmoid and tanh units are never exactly 0."""
    relu = layers[layers["activation"] == "relu"]
    judged = relu[relu["counted"] >= MIN_MEDIAN]
    low = judged[judged["zero_trained_lo"] < threshold]
    cells = judged.groupby(["init", "depth"]).ngroups
    bad = low.groupby(["init", "depth"])["layer"].apply(list)
    below = "; ".join(f"{init} L = {L} layers {layers_}" for (init, L), layers_ in bad.items()) or "none"
    others = layers[layers["activation"] != "relu"]
    never = bool((others[["zero_init_median", "zero_trained_median"]].fillna(0) == 0).all().all())
    return claims.row(
        C23,
        f"relu, members that converged and reached the bar, per layer: median fraction of units exactly 0 after "
        f"training {judged['zero_trained_median'].min():.2f}..{judged['zero_trained_median'].max():.2f} in {cells} "
        f"cells with >= {MIN_MEDIAN} such members (interval below {threshold:g} in: {below}); at initialisation "
        f"{relu['zero_init_median'].min():.2f}..{relu['zero_init_median'].max():.2f}; sigmoid and tanh: "
        f"{'no' if never else 'some'} unit exactly 0",
        f"every layer of every relu cell with >= {MIN_MEDIAN} trained members keeps a median fraction of exact zeros "
        f"whose 95% interval lies above {threshold:g} after training, and sigmoid / tanh units are never exactly 0; "
        "partly if only some cells",
        claims.verdict(cells > 0 and low.empty and never, partly=cells > bad.size),
        "results/depth/layers.csv; figures/depth/sparsity.png",
    )


def depth_rows(grad, train, layers, cfg: dict) -> pd.DataFrame:
    inits = cfg["inits"]
    return pd.DataFrame(
        [
            row_vanishing(grad, inits),
            row_he(grad, cfg["width"]),
            row_trainability(train, inits, cfg["bar"], cfg["epochs"]),
            row_relu_vs_tanh(train),
            row_sparsity(layers, cfg["sparse_threshold"]),
        ]
    )
