ACT = "activations"
ACT_CATEGORY = "2. Activations, losses and backpropagation"
ACT_PLAN = PLANS[ACT]
ACT_TRAINED = ACT_PLAN.sparsity_cells(config[ACT])  # dataset -> job parameters
CLAIM_PARTS.append(f"results/{ACT}/claims.csv")
TARGETS.extend(
    [
        f"results/{ACT}/{t}.csv"
        for t in [
            "activation_ranges",
            "sigmoid_tanh_identity",
            "relu_sparsity",
            "relu_sparsity_trained",
            "relu_sparsity_summary",
            "derivative_check",
            "map_support",
            "simplex_support",
            "loss_gradients",
            "zero_one_fd",
            "chain_rule",
            "gradcheck",
            "layer_gradients",
        ]
    ]
    + [
        f"figures/{ACT}/{f}.png"
        for f in [
            "activations",
            "relu_sparsity",
            "two_class",
            "simplex",
            "losses",
            "gradcheck",
            "layer_gradients",
        ]
    ]
)


wildcard_constraints:
    act_dataset="|".join(ACT_TRAINED) or "none",


localrules:
    activations_claims,


rule activations_functions:
    """C06-C08: ranges and monotonicity on a wide grid, sigma vs tanh, g' vs FD."""
    input:
        family_src(ACT),
    output:
        f"results/{ACT}/activation_ranges.csv",
        f"results/{ACT}/sigmoid_tanh_identity.csv",
        f"results/{ACT}/derivative_check.csv",
        f"results/{ACT}/claims_functions.csv",
        figure(ACT, "activations", ACT_CATEGORY),
    log:
        f"logs/{ACT}/functions.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        cfg=cfg_json(ACT_PLAN.job_cfg(config[ACT], "functions")),
    shell:
        family_cmd(ACT, "functions")


rule activations_sparsity_trained:
    """C06: relu nets trained on one Playground dataset, all seeds as one ensemble: exact zeros."""
    input:
        family_src(ACT),
    output:
        f"results/{ACT}/relu_sparsity_trained/{{act_dataset}}.csv",
    log:
        f"logs/{ACT}/sparsity_trained_{{act_dataset}}.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=lambda w: cfg_json(ACT_TRAINED[w.act_dataset]),
    shell:
        family_cmd(ACT, "sparsity_trained")


rule activations_sparsity:
    """C06: relu zeros at init (zero and nonzero biases) and after training, with intervals."""
    input:
        family_src(ACT),
        expand(f"results/{ACT}/relu_sparsity_trained/{{d}}.csv", d=ACT_TRAINED),
    output:
        f"results/{ACT}/relu_sparsity.csv",
        f"results/{ACT}/relu_sparsity_trained.csv",
        f"results/{ACT}/relu_sparsity_summary.csv",
        f"results/{ACT}/claims_sparsity.csv",
        figure(ACT, "relu_sparsity", ACT_CATEGORY),
    log:
        f"logs/{ACT}/sparsity.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        cfg=cfg_json(ACT_PLAN.summary_cfg(config[ACT])[""]),
    shell:
        family_cmd(ACT, "sparsity")


rule activations_maps:
    """C09: softmax vs sparsemax: exact zeros by logit scale, two classes, the 3-class simplex."""
    input:
        family_src(ACT),
    output:
        f"results/{ACT}/map_support.csv",
        f"results/{ACT}/simplex_support.csv",
        f"results/{ACT}/claims_maps.csv",
        figure(ACT, "two_class", ACT_CATEGORY),
        figure(ACT, "simplex", ACT_CATEGORY),
    log:
        f"logs/{ACT}/maps.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        cfg=cfg_json(ACT_PLAN.job_cfg(config[ACT], "maps")),
    shell:
        family_cmd(ACT, "maps")


rule activations_losses:
    """C16: classification losses vs s = z2 - z1, loss gradients vs FD, the 0/1 loss's FD."""
    input:
        family_src(ACT),
    output:
        f"results/{ACT}/loss_gradients.csv",
        f"results/{ACT}/zero_one_fd.csv",
        f"results/{ACT}/claims_losses.csv",
        figure(ACT, "losses", ACT_CATEGORY),
    log:
        f"logs/{ACT}/losses.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        cfg=cfg_json(ACT_PLAN.job_cfg(config[ACT], "losses")),
    shell:
        family_cmd(ACT, "losses")


rule activations_backprop:
    """C17: the chain-rule example; backprop vs FD for every parameter and every layer's grad_h, grad_z."""
    input:
        family_src(ACT),
    output:
        f"results/{ACT}/chain_rule.csv",
        f"results/{ACT}/gradcheck.csv",
        f"results/{ACT}/layer_gradients.csv",
        f"results/{ACT}/claims_backprop.csv",
        figure(ACT, "gradcheck", ACT_CATEGORY),
        figure(ACT, "layer_gradients", ACT_CATEGORY),
    log:
        f"logs/{ACT}/backprop.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        cfg=cfg_json(ACT_PLAN.job_cfg(config[ACT], "backprop")),
    shell:
        family_cmd(ACT, "backprop")


rule activations_claims:
    """Merge the activations family's claim rows (C06-C09, C16, C17)."""
    input:
        [f"results/{ACT}/{p}" for p in ACT_PLAN.CLAIM_PARTS],
        family_src(ACT),
    output:
        f"results/{ACT}/claims.csv",
    log:
        f"logs/{ACT}/claims.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=2,
    params:
        cfg=cfg_json({}),
    shell:
        family_cmd(ACT, "claims")
