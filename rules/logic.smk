LG = "logic"
LG_CATEGORY = "1. Neurons and logic"


localrules:
    logic_claims,


CLAIM_PARTS.append(f"results/{LG}/claims.csv")
TARGETS.extend(
    [
        f"results/{LG}/certificates_2.csv",
        f"results/{LG}/threshold_counts.csv",
        f"results/{LG}/best_linear.csv",
        f"results/{LG}/parity_order.csv",
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


# The module sources of the exact steps, and of the trained steps (logic_trained imports logic).
LG_SRC = src("experiments/logic.py")
LG_TRAINED_SRC = src("experiments/logic.py", "experiments/logic_trained.py")


localrules:
    logic_xor_summary,
    logic_claims,


rule logic_exact:
    """LP certificates for the 16 functions of 2 inputs, threshold-function counts (C02), best
    linear accuracy on XOR, and n-bit parity vs feature order (C04)."""
    input:
        CORE,
        LG_SRC,
    output:
        f"results/{LG}/certificates_2.csv",
        report(
            f"results/{LG}/threshold_counts.csv",
            caption="../report/logic/threshold_counts.rst",
            category=LG_CATEGORY,
        ),
        f"results/{LG}/best_linear.csv",
        report(
            f"results/{LG}/parity_order.csv",
            caption="../report/logic/parity_order.rst",
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
        cfg=pick(LG, "count_n", "enumerate_max_n", "parity_n"),
    shell:
        legacy_cmd(LG, "exact")


rule logic_neuron:
    """Logistic regression on AND, OR, XOR over many seeds as one ensemble (C02), and the
    decision boundaries of one neuron vs an MLP."""
    input:
        CORE,
        LG_TRAINED_SRC,
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
        cfg=pick(LG, "neuron", "xor_mlp", "boundary"),
    shell:
        legacy_cmd(LG, "neuron", module="logic_trained")


rule logic_xor_cell:
    """MLPs on XOR for one hidden activation: every width, all seeds of a width in one ensemble (C03)."""
    input:
        CORE,
        LG_TRAINED_SRC,
    output:
        f"results/{LG}/xor_mlp_{{activation}}.csv",
    log:
        f"logs/{LG}/xor_mlp_{{activation}}.log",
    wildcard_constraints:
        activation=r"[a-z]+",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=lambda wc: pick(LG, "xor_mlp", activation=wc.activation),
    shell:
        legacy_cmd(LG, "xor_cell", module="logic_trained")


rule logic_xor_summary:
    """XOR success rate vs width and activation with binomial intervals (C03)."""
    input:
        CORE,
        LG_TRAINED_SRC,
        lambda wc: expand(
            f"results/{LG}/xor_mlp_{{activation}}.csv",
            activation=config[LG]["xor_mlp"]["activations"],
        ),
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
        cfg=pick(LG, "xor_mlp"),
    shell:
        legacy_cmd(LG, "xor_summary", module="logic_trained")


rule logic_linear:
    """Deep linear nets: end-to-end map vs the product of the layers, and training on XOR (C05)."""
    input:
        CORE,
        LG_TRAINED_SRC,
    output:
        f"results/{LG}/linear_composition.csv",
        f"results/{LG}/linear_xor.csv",
        f"results/{LG}/claims_linear.csv",
    log:
        f"logs/{LG}/linear.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=pick(LG, "linear"),
    shell:
        legacy_cmd(LG, "linear", module="logic_trained")


rule logic_claims:
    """The logic family's verdict rows (C02-C05) in one table."""
    input:
        LG_SRC,
        expand(f"results/{LG}/claims_{{part}}.csv", part=["exact", "neuron", "xor", "linear"]),
    output:
        f"results/{LG}/claims.csv",
    log:
        f"logs/{LG}/claims.log",
    threads: 1
    resources:
        mem_mb=200,
        runtime=2,
    params:
        cfg="{}",
    shell:
        legacy_cmd(LG, "claims")
