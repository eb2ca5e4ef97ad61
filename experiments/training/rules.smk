import re

from experiments.training import plan as TR_PLAN

TR = "training"
TR_CATEGORY = "6. Training"
TR_CFG = config[TR]
TR_L2 = TR_PLAN.l2_cells(TR_CFG)  # cell name -> job parameters
TR_TUNE = TR_PLAN.sgd_tune_cells(TR_CFG)
TR_MINIMA = TR_PLAN.minima_cells(TR_CFG)
TR_TABLES = [
    "l2_summary",
    "l2_selection",
    "sgd_running_mean",
    "sgd_variance",
    "sgd_tuning",
    "sgd_curves",
    *[f"minima_{t}{s}" for t in TR_MINIMA for s in ("", "_clusters", "_midpoints")],
]
TR_FIGURES = [
    "l2_sweep",
    "sgd_gradient_noise",
    "sgd_curves",
    *[f"minima_{t}" for t in TR_MINIMA],
]
CLAIM_PARTS.append(f"results/{TR}/claims.csv")
TARGETS.extend(
    [f"results/{TR}/{t}.csv" for t in TR_TABLES] + [f"figures/{TR}/{f}.png" for f in TR_FIGURES]
)


wildcard_constraints:
    tr_lam="|".join(re.escape(c) for c in TR_L2),
    tr_b="|".join(TR_TUNE),
    tr_task="|".join(TR_MINIMA),


localrules:
    training_l2_summary,
    training_sgd_curves,
    training_claims,


rule training_l2_cell:
    """C14, C26: one L2 strength lambda, all its seeds trained together as one ensemble."""
    input:
        family_src(TR),
    output:
        f"results/{TR}/l2/lam_{{tr_lam}}.csv",
    log:
        f"logs/{TR}/l2_cell_{{tr_lam}}.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        cfg=lambda w: cfg_json(TR_L2[w.tr_lam]),
    shell:
        family_cmd(TR, "l2_cell")


rule training_l2_summary:
    """C14, C26: losses and weight norm vs lambda, and the choices of lambda on validation data."""
    input:
        family_src(TR),
        expand(f"results/{TR}/l2/lam_{{lam}}.csv", lam=TR_L2),
    output:
        f"results/{TR}/l2_summary.csv",
        f"results/{TR}/l2_selection.csv",
        figure(TR, "l2_sweep", TR_CATEGORY),
    log:
        f"logs/{TR}/l2_summary.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=cfg_json(TR_PLAN.l2_summary(TR_CFG)[""]),
    shell:
        family_cmd(TR, "l2_summary")


rule training_sgd_gradients:
    """C15 (a, b): running mean and variance of mini-batch gradients at fixed weights."""
    input:
        family_src(TR),
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
        cfg=cfg_json(TR_PLAN.sgd_gradients(TR_CFG)[""]),
    shell:
        family_cmd(TR, "sgd_gradients")


rule training_sgd_tune:
    """C15 (c): one batch size's learning rate tuned on training loss, then its loss curves."""
    input:
        family_src(TR),
    output:
        f"results/{TR}/sgd/tune_{{tr_b}}.csv",
        f"results/{TR}/sgd/curves_{{tr_b}}.csv",
    log:
        f"logs/{TR}/sgd_tune_{{tr_b}}.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        cfg=lambda w: cfg_json(TR_TUNE[w.tr_b]),
    shell:
        family_cmd(TR, "sgd_tune")


rule training_sgd_curves:
    """C15 (c): loss curves of full-batch GD, SGD and mini-batch SGD, each at its tuned rate."""
    input:
        family_src(TR),
        expand(f"results/{TR}/sgd/{{kind}}_{{b}}.csv", kind=["tune", "curves"], b=TR_TUNE),
    output:
        f"results/{TR}/sgd_tuning.csv",
        f"results/{TR}/sgd_curves.csv",
        figure(TR, "sgd_curves", TR_CATEGORY),
    log:
        f"logs/{TR}/sgd_curves.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=cfg_json(TR_PLAN.sgd_curves(TR_CFG)[""]),
    shell:
        family_cmd(TR, "sgd_curves")


rule training_minima:
    """C18: one task's final training loss over many initial weights, and permuted solutions."""
    input:
        family_src(TR),
    output:
        f"results/{TR}/minima_{{tr_task}}.csv",
        f"results/{TR}/minima_{{tr_task}}_clusters.csv",
        f"results/{TR}/minima_{{tr_task}}_midpoints.csv",
        report(
            f"figures/{TR}/minima_{{tr_task}}.png",
            caption=caption(TR, "minima"),
            category=TR_CATEGORY,
        ),
    log:
        f"logs/{TR}/minima_{{tr_task}}.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        cfg=lambda w: cfg_json(TR_MINIMA[w.tr_task]),
    shell:
        family_cmd(TR, "minima")


rule training_claims:
    """The family's verdict rows for C14, C15, C18 and C26, from its tables."""
    input:
        family_src(TR),
        [f"results/{TR}/{t}.csv" for t in TR_TABLES],
        expand(f"results/{TR}/l2/lam_{{lam}}.csv", lam=TR_L2),
        expand(f"results/{TR}/sgd/{{kind}}_{{b}}.csv", kind=["tune", "curves"], b=TR_TUNE),
    output:
        f"results/{TR}/claims.csv",
    log:
        f"logs/{TR}/claims.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=cfg_json(TR_PLAN.claims(TR_CFG)[""]),
    shell:
        family_cmd(TR, "claims")
