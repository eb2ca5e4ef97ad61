ACT = "activations"
ACT_CATEGORY = "2. Activations, losses and backpropagation"
ACT_PARTS = ["claims_functions.csv", "claims_maps.csv", "claims_losses.csv", "claims_backprop.csv"]
CLAIM_PARTS.append(f"results/{ACT}/claims.csv")
TARGETS.extend(
    [
        f"results/{ACT}/{t}.csv"
        for t in [
            "activation_ranges",
            "sigmoid_tanh_identity",
            "relu_sparsity",
            "derivative_check",
            "map_support",
            "simplex_support",
            "loss_gradients",
            "zero_one_fd",
            "chain_rule",
            "gradcheck",
        ]
    ]
    + [
        f"figures/{ACT}/{f}.png"
        for f in ["activations", "two_class", "simplex", "losses", "gradcheck"]
    ]
)


def act_cfg(step):
    """A step's sub-block of the activations config, with the family seed, as JSON."""
    return json.dumps({"seed": config[ACT]["seed"], **config[ACT][step]}, sort_keys=True)


def act_cmd(module, step):
    """The shell command running one step of the activations family (module activations or gradcheck)."""
    return (
        f"{{PY}} -m experiments.{module} {step} --params {{params.cfg:q}} "
        f"--results results/{ACT} --figures figures/{ACT} > {{log}} 2>&1"
    )


def act_fig(name):
    return report(
        f"figures/{ACT}/{name}.png",
        caption=f"report/{ACT}/{name}.rst",
        category=ACT_CATEGORY,
    )


rule activations_functions:
    """C06-C08: ranges and monotonicity on a wide grid, sigma vs tanh, relu zeros at init, g' vs FD."""
    input:
        CORE,
        src("experiments/activations.py"),
    output:
        f"results/{ACT}/activation_ranges.csv",
        f"results/{ACT}/sigmoid_tanh_identity.csv",
        f"results/{ACT}/relu_sparsity.csv",
        f"results/{ACT}/derivative_check.csv",
        f"results/{ACT}/claims_functions.csv",
        act_fig("activations"),
    log:
        f"logs/{ACT}/functions.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        cfg=act_cfg("functions"),
    shell:
        act_cmd("activations", "functions")


rule activations_maps:
    """C09: softmax vs sparsemax: exact zeros by logit scale, two classes, the 3-class simplex."""
    input:
        CORE,
        src("experiments/activations.py"),
    output:
        f"results/{ACT}/map_support.csv",
        f"results/{ACT}/simplex_support.csv",
        f"results/{ACT}/claims_maps.csv",
        act_fig("two_class"),
        act_fig("simplex"),
    log:
        f"logs/{ACT}/maps.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        cfg=act_cfg("maps"),
    shell:
        act_cmd("activations", "maps")


rule activations_losses:
    """C16: classification losses vs s = z2 - z1, loss gradients vs FD, the 0/1 loss's FD."""
    input:
        CORE,
        src("experiments/gradcheck.py"),
    output:
        f"results/{ACT}/loss_gradients.csv",
        f"results/{ACT}/zero_one_fd.csv",
        f"results/{ACT}/claims_losses.csv",
        act_fig("losses"),
    log:
        f"logs/{ACT}/losses.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        cfg=act_cfg("losses"),
    shell:
        act_cmd("gradcheck", "losses")


rule activations_backprop:
    """C17: the lecture's chain-rule example and backprop vs FD for every registry combination."""
    input:
        CORE,
        src("experiments/gradcheck.py"),
    output:
        f"results/{ACT}/chain_rule.csv",
        f"results/{ACT}/gradcheck.csv",
        f"results/{ACT}/claims_backprop.csv",
        act_fig("gradcheck"),
    log:
        f"logs/{ACT}/backprop.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        cfg=act_cfg("backprop"),
    shell:
        act_cmd("gradcheck", "backprop")


rule activations_claims:
    """Merge the activations family's claim rows (C06-C09, C16, C17)."""
    input:
        [f"results/{ACT}/{p}" for p in ACT_PARTS],
        src("experiments/activations.py"),
    output:
        f"results/{ACT}/claims.csv",
    log:
        f"logs/{ACT}/claims.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=2,
    params:
        cfg=json.dumps({"parts": ACT_PARTS}),
    shell:
        act_cmd("activations", "claims")
