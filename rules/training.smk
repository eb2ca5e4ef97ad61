TR = "training"
TR_CATEGORY = "6. Training"
TR_SRC = src(
    "experiments/training.py",
    "experiments/l2_sweep.py",
    "experiments/sgd_noise.py",
    "experiments/nonconvex.py",
)
TR_LAMS = {
    f"{lam:g}": lam for lam in config[TR]["l2"]["lambdas"]
}  # file-name form, as l2_sweep.lam_name
TR_TASKS = ["spiral", "xor"]
TR_TABLES = [
    "l2_summary",
    "sgd_running_mean",
    "sgd_variance",
    "sgd_curves",
    *[f"minima_{t}" for t in TR_TASKS],
    *[f"minima_{t}_clusters" for t in TR_TASKS],
]
TR_FIGURES = [
    "l2_sweep",
    "sgd_gradient_noise",
    "sgd_curves",
    *[f"minima_{t}" for t in TR_TASKS],
]
CLAIM_PARTS.append(f"results/{TR}/claims.csv")
TARGETS.extend(
    [f"results/{TR}/{t}.csv" for t in TR_TABLES] + [f"figures/{TR}/{f}.png" for f in TR_FIGURES]
)


wildcard_constraints:
    tr_lam=r"[0-9.e+-]+",
    tr_task="|".join(TR_TASKS),


localrules:
    training_l2_summary,
    training_claims,


rule training_l2_cell:
    """C14: one L2 strength lambda, all its seeds trained together as one ensemble."""
    input:
        CORE,
        TR_SRC,
    output:
        f"results/{TR}/l2/lam_{{tr_lam}}.csv",
    log:
        f"logs/{TR}/l2_{{tr_lam}}.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        cfg=lambda w: block(TR, "l2", lam=TR_LAMS[w.tr_lam]),
    shell:
        legacy_cmd(TR, "l2_cell")


rule training_l2_summary:
    """C14: weight norm and train/test gap vs lambda, from the lambda cells."""
    input:
        CORE,
        TR_SRC,
        expand(f"results/{TR}/l2/lam_{{lam}}.csv", lam=sorted(TR_LAMS)),
    output:
        f"results/{TR}/l2_summary.csv",
        figure(TR, "l2_sweep", TR_CATEGORY),
    log:
        f"logs/{TR}/l2_summary.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=block(TR, "l2"),
    shell:
        legacy_cmd(TR, "l2_summary")


rule training_sgd_gradients:
    """C15 (a, b): running mean and variance of mini-batch gradients at fixed weights."""
    input:
        CORE,
        TR_SRC,
    output:
        f"results/{TR}/sgd_running_mean.csv",
        f"results/{TR}/sgd_variance.csv",
        figure(TR, "sgd_gradient_noise", TR_CATEGORY),
    log:
        f"logs/{TR}/sgd_gradients.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        cfg=block(TR, "sgd"),
    shell:
        legacy_cmd(TR, "sgd_gradients")


rule training_sgd_curves:
    """C15 (c): loss curves of full-batch GD, SGD and mini-batch SGD at equal budget."""
    input:
        CORE,
        TR_SRC,
    output:
        f"results/{TR}/sgd_curves.csv",
        figure(TR, "sgd_curves", TR_CATEGORY),
    log:
        f"logs/{TR}/sgd_curves.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=block(TR, "sgd"),
    shell:
        legacy_cmd(TR, "sgd_curves")


rule training_minima:
    """C18: final training loss of one task over many initial weights (one ensemble)."""
    input:
        CORE,
        TR_SRC,
    output:
        f"results/{TR}/minima_{{tr_task}}.csv",
        f"results/{TR}/minima_{{tr_task}}_clusters.csv",
        report(
            f"figures/{TR}/minima_{{tr_task}}.png",
            caption=f"../report/{TR}/minima.rst",
            category=TR_CATEGORY,
        ),
    log:
        f"logs/{TR}/minima_{{tr_task}}.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        cfg=lambda w: block(
            TR,
            "minima",
            w.tr_task,
            task=w.tr_task,
            **{k: config[TR]["minima"][k] for k in ("gap_decades", "min_seeds", "near_zero")},
        ),
    shell:
        legacy_cmd(TR, "minima")


rule training_claims:
    """The family's verdict rows for C14, C15 and C18, from its tables."""
    input:
        CORE,
        TR_SRC,
        [f"results/{TR}/{t}.csv" for t in TR_TABLES],
    output:
        f"results/{TR}/claims.csv",
    log:
        f"logs/{TR}/claims.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=block(TR),
    shell:
        legacy_cmd(TR, "claims")
