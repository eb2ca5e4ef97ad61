from experiments.logic import plan as LG_PLAN

LG = "logic"
LG_CATEGORY = "1. Neurons and logic"
LG_BLOCK = config[LG]
CLAIM_PARTS.append(f"results/{LG}/claims.csv")
TARGETS.extend(
    [
        f"results/{LG}/certificates_2.csv",
        f"results/{LG}/threshold_counts.csv",
        f"results/{LG}/best_linear.csv",
        f"results/{LG}/parity_order.csv",
        f"results/{LG}/parity_tree.csv",
        f"results/{LG}/neuron_summary.csv",
        f"results/{LG}/xor_success.csv",
        f"results/{LG}/linear_composition.csv",
        f"results/{LG}/linear_xor.csv",
        f"figures/{LG}/certificates_2.png",
        f"figures/{LG}/decision_boundaries.png",
        f"figures/{LG}/neuron_accuracy.png",
        f"figures/{LG}/xor_success.png",
    ]
)


localrules:
    logic_xor_summary,
    logic_claims,


rule logic_exact:
    """LP certificates for the 16 functions of 2 inputs, threshold-function counts (C02), best
    linear accuracy on XOR, n-bit parity vs feature order and a tree of 2-input units (C04)."""
    input:
        family_src(LG),
    output:
        f"results/{LG}/certificates_2.csv",
        report(
            f"results/{LG}/threshold_counts.csv",
            caption=caption(LG, "threshold_counts"),
            category=LG_CATEGORY,
        ),
        f"results/{LG}/best_linear.csv",
        report(
            f"results/{LG}/parity_order.csv",
            caption=caption(LG, "parity_order"),
            category=LG_CATEGORY,
        ),
        report(
            f"results/{LG}/parity_tree.csv",
            caption=caption(LG, "parity_tree"),
            category=LG_CATEGORY,
        ),
        f"results/{LG}/claims_exact.csv",
        figure(LG, "certificates_2", LG_CATEGORY),
    log:
        f"logs/{LG}/exact.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=cfg_json(LG_PLAN.exact_cfg(LG_BLOCK)[""]),
    shell:
        family_cmd(LG, "exact")


rule logic_neuron:
    """Logistic regression on AND, OR, XOR over many seeds as one ensemble (C02), and the
    decision boundaries of one neuron vs an MLP."""
    input:
        family_src(LG),
    output:
        f"results/{LG}/neuron_runs.csv",
        f"results/{LG}/neuron_summary.csv",
        f"results/{LG}/claims_neuron.csv",
        figure(LG, "neuron_accuracy", LG_CATEGORY),
        figure(LG, "decision_boundaries", LG_CATEGORY),
    log:
        f"logs/{LG}/neuron.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=cfg_json(LG_PLAN.neuron_cfg(LG_BLOCK)[""]),
    shell:
        family_cmd(LG, "neuron")


rule logic_xor_cell:
    """MLPs on XOR for one (hidden activation, width) cell, all seeds in one ensemble (C03)."""
    input:
        family_src(LG),
    output:
        f"results/{LG}/xor_mlp_{{activation}}_{{width}}.csv",
    log:
        f"logs/{LG}/xor_mlp_{{activation}}_{{width}}.log",
    wildcard_constraints:
        activation=r"[a-z]+",
        width=r"\d+",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=lambda wc: cfg_json(
            LG_PLAN.xor_cells(LG_BLOCK)[LG_PLAN.xor_cell_name(wc.activation, int(wc.width))]
        ),
    shell:
        family_cmd(LG, "xor_cell")


rule logic_xor_summary:
    """XOR success rate vs width and activation with exact binomial intervals and convergence (C03)."""
    input:
        family_src(LG),
        [f"results/{LG}/xor_mlp_{cell}.csv" for cell in LG_PLAN.xor_cells(LG_BLOCK)],
    output:
        f"results/{LG}/xor_success.csv",
        f"results/{LG}/claims_xor.csv",
        figure(LG, "xor_success", LG_CATEGORY),
    log:
        f"logs/{LG}/xor_summary.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=cfg_json(LG_PLAN.xor_summary_cfg(LG_BLOCK)[""]),
    shell:
        family_cmd(LG, "xor_summary")


rule logic_linear:
    """Deep linear nets: end-to-end map vs the product of the layers, and training on XOR (C05)."""
    input:
        family_src(LG),
    output:
        f"results/{LG}/linear_composition.csv",
        f"results/{LG}/linear_xor_runs.csv",
        f"results/{LG}/linear_xor.csv",
        f"results/{LG}/claims_linear.csv",
    log:
        f"logs/{LG}/linear.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=cfg_json(LG_PLAN.linear_cfg(LG_BLOCK)[""]),
    shell:
        family_cmd(LG, "linear")


rule logic_claims:
    """The logic family's verdict rows (C02-C05) in one table."""
    input:
        family_src(LG),
        [f"results/{LG}/claims_{part}.csv" for part in ("exact", "neuron", "xor", "linear")],
    output:
        f"results/{LG}/claims.csv",
    log:
        f"logs/{LG}/claims.log",
    threads: 1
    resources:
        mem_mb=200,
        runtime=2,
    params:
        cfg=cfg_json(LG_PLAN.claims_cfg(LG_BLOCK)[""]),
    shell:
        family_cmd(LG, "claims")
