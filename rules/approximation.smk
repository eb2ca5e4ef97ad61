AP = "approximation"
AP_CATEGORY = "3. Capacity"
AP_W = config[AP]["width"]
AP_D = config[AP]["depth"]
AP_CELLS = expand(
    f"results/{AP}/width/{{target}}_{{activation}}.csv",
    target=AP_W["targets"],
    activation=AP_W["activations"],
)
AP_SHALLOW = expand(f"results/{AP}/depth/L{{L}}.csv", L=AP_D["trained_depths"])
CLAIM_PARTS.append(f"results/{AP}/claims.csv")
TARGETS.extend(
    [
        f"results/{AP}/width_errors.csv",
        f"results/{AP}/width_slopes.csv",
        f"figures/{AP}/width_errors.png",
        f"results/{AP}/depth_needed.csv",
        f"figures/{AP}/depth_units.png",
        f"figures/{AP}/depth_functions.png",
    ]
)


wildcard_constraints:
    target=r"[a-z_]+",
    activation=r"[a-z_]+",
    L=r"\d+",


localrules:
    approximation_width_summary,
    approximation_depth_summary,
    approximation_claims,


rule approximation_width:
    """C10 sweep cell: trained one-hidden-layer nets at every width for one (target, activation)."""
    input:
        CORE,
        src("experiments/approximation.py", "experiments/fitting.py"),
    output:
        f"results/{AP}/width/{{target}}_{{activation}}.csv",
    log:
        f"logs/{AP}/width_{{target}}_{{activation}}.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        cfg=lambda wc: block(
            AP, "width", seed=config[AP]["seed"], target=wc.target, activation=wc.activation
        ),
    shell:
        legacy_cmd(AP, "width")


rule approximation_width_summary:
    """C10: constructions, slopes vs theory rates, error-vs-width figure, verdict rows."""
    input:
        CORE,
        src("experiments/approximation.py", "experiments/fitting.py"),
        AP_CELLS,
    output:
        f"results/{AP}/width_errors.csv",
        f"results/{AP}/width_slopes.csv",
        f"results/{AP}/claims_c10.csv",
        figure(AP, "width_errors", AP_CATEGORY),
    log:
        f"logs/{AP}/width_summary.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=lambda wc: block(AP, "width", seed=config[AP]["seed"]),
    shell:
        legacy_cmd(AP, "width_summary")


rule approximation_shallow:
    """C11 sweep cell: smallest trained shallow relu net reaching the L1 target for the L-fold tent map."""
    input:
        CORE,
        src("experiments/fitting.py", "experiments/depth_separation.py"),
    output:
        f"results/{AP}/depth/L{{L}}.csv",
    log:
        f"logs/{AP}/shallow_L{{L}}.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        cfg=lambda wc: block(AP, "depth", seed=config[AP]["seed"], L=int(wc.L)),
    shell:
        legacy_cmd(AP, "shallow", module="depth_separation")


rule approximation_depth_summary:
    """C11: deep net exact, shallow constructions, units needed vs L, figures, verdict row."""
    input:
        CORE,
        src("experiments/fitting.py", "experiments/depth_separation.py"),
        AP_SHALLOW,
    output:
        f"results/{AP}/depth_deep.csv",
        f"results/{AP}/depth_constructed.csv",
        f"results/{AP}/depth_trained.csv",
        f"results/{AP}/depth_needed.csv",
        f"results/{AP}/claims_c11.csv",
        figure(AP, "depth_units", AP_CATEGORY),
        figure(AP, "depth_functions", AP_CATEGORY),
    log:
        f"logs/{AP}/depth_summary.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=lambda wc: block(AP, "depth", seed=config[AP]["seed"]),
    shell:
        legacy_cmd(AP, "depth_summary", module="depth_separation")


rule approximation_claims:
    """Merge the C10 and C11 verdict rows of the approximation family."""
    input:
        f"results/{AP}/claims_c10.csv",
        f"results/{AP}/claims_c11.csv",
        src("experiments/approximation.py", "experiments/fitting.py"),
    output:
        f"results/{AP}/claims.csv",
    log:
        f"logs/{AP}/claims.log",
    threads: 1
    resources:
        mem_mb=200,
        runtime=2,
    params:
        cfg="{}",
    shell:
        legacy_cmd(AP, "claims")
