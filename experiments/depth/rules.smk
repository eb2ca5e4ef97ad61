DEPTH = "depth"
DEPTH_CATEGORY = "9. Relu's kink, vanishing gradients, trainable depth"
# each job's parameters as plan.CELLS gives them to the CLI too: {step: {cell name: cfg}}
DEPTH_JOBS = {step: cells(config[DEPTH]) for step, cells in PLANS[DEPTH].CELLS.items()}
DEPTH_CELLS = DEPTH_JOBS["cell"]  # activation -> job parameters
CLAIM_PARTS.append(f"results/{DEPTH}/claims.csv")
TARGETS.extend(
    [
        f"results/{DEPTH}/{t}.csv"
        for t in [
            "kink_derivative",
            "kink_zeros",
            "kink_epochs",
            "kink_final",
            "kink_paired",
            "members",
            "layers",
            "gradients",
            "trainability",
        ]
    ]
    + [f"figures/{DEPTH}/{f}.png" for f in ["kink", "gradients", "trainability", "sparsity"]]
)


wildcard_constraints:
    depth_act="|".join(DEPTH_CELLS) or "none",


localrules:
    depth_claims,


rule depth_kink:
    """C22: exact zeros at relu's kink during training; relu'(0) = 0, 1/2, 1 on the same seeds."""
    input:
        family_src(DEPTH),
    output:
        [
            f"results/{DEPTH}/kink_{t}.csv"
            for t in ["derivative", "zeros", "epochs", "final", "paired"]
        ],
        f"results/{DEPTH}/claims_kink.csv",
        figure(DEPTH, "kink", DEPTH_CATEGORY),
    log:
        f"logs/{DEPTH}/kink.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=cfg_json(DEPTH_JOBS["kink"][""]),
    shell:
        family_cmd(DEPTH, "kink")


rule depth_cell:
    """C23, one activation: gradients at init, training and exact zeros for every (init, depth)."""
    input:
        family_src(DEPTH),
    output:
        f"results/{DEPTH}/cells/{{depth_act}}_members.csv",
        f"results/{DEPTH}/cells/{{depth_act}}_layers.csv",
    log:
        f"logs/{DEPTH}/cell_{{depth_act}}.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        cfg=lambda wc: cfg_json(DEPTH_CELLS[wc.depth_act]),
    shell:
        family_cmd(DEPTH, "cell")


rule depth_vanishing:
    """C23: gradient slopes, trainability vs depth and sparse activity, with intervals and rows."""
    input:
        family_src(DEPTH),
        expand(
            f"results/{DEPTH}/cells/{{g}}_{{t}}.csv",
            g=DEPTH_CELLS,
            t=["members", "layers"],
        ),
    output:
        [f"results/{DEPTH}/{t}.csv" for t in ["members", "layers", "gradients", "trainability"]],
        f"results/{DEPTH}/claims_vanishing.csv",
        figure(DEPTH, "gradients", DEPTH_CATEGORY),
        figure(DEPTH, "trainability", DEPTH_CATEGORY),
        figure(DEPTH, "sparsity", DEPTH_CATEGORY),
    log:
        f"logs/{DEPTH}/vanishing.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        cfg=cfg_json(DEPTH_JOBS["vanishing"][""]),
    shell:
        family_cmd(DEPTH, "vanishing")


rule depth_claims:
    """Merge the depth family's claim rows (C22, C23)."""
    input:
        [f"results/{DEPTH}/{p}" for p in PLANS[DEPTH].CLAIM_PARTS],
        family_src(DEPTH),
    output:
        f"results/{DEPTH}/claims.csv",
    log:
        f"logs/{DEPTH}/claims.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=2,
    params:
        cfg=cfg_json({}),
    shell:
        family_cmd(DEPTH, "claims")
