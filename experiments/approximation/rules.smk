from experiments.approximation import plan as ap_plan

AP = "approximation"
AP_CATEGORY = "3. Capacity"
AP_WIDTH = ap_plan.width_cells(config[AP])
AP_SHALLOW = ap_plan.shallow_cells(config[AP])
CLAIM_PARTS.append(f"results/{AP}/claims.csv")
TARGETS.extend(
    [
        f"results/{AP}/width_errors.csv",
        f"results/{AP}/width_best.csv",
        f"results/{AP}/width_slopes.csv",
        f"figures/{AP}/width_errors.png",
        f"results/{AP}/depth_needed.csv",
        f"figures/{AP}/depth_units.png",
        f"figures/{AP}/depth_functions.png",
    ]
)


localrules:
    approximation_width_summary,
    approximation_depth_summary,
    approximation_claims,


rule approximation_width:
    """C10 sweep cell: trained one-hidden-layer nets of every width on every target, for one activation."""
    input:
        family_src(AP),
    output:
        f"results/{AP}/width/{{cell}}.csv",
    log:
        f"logs/{AP}/width_{{cell}}.log",
    wildcard_constraints:
        cell="|".join(AP_WIDTH),
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        cfg=lambda wc: cfg_json(AP_WIDTH[wc.cell]),
    shell:
        family_cmd(AP, "width")


rule approximation_width_summary:
    """C10: stationary restarts, constructions up to ~10^4 units, rates vs theory, figure, verdict rows."""
    input:
        family_src(AP),
        expand(f"results/{AP}/width/{{cell}}.csv", cell=AP_WIDTH),
    output:
        f"results/{AP}/width_errors.csv",
        f"results/{AP}/width_best.csv",
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
        cfg=cfg_json(ap_plan.width_summary(config[AP])[""]),
    shell:
        family_cmd(AP, "width_summary")


rule approximation_shallow:
    """C11 sweep cell: smallest trained shallow relu net reaching the L1 target for the L-fold tent map."""
    input:
        family_src(AP),
    output:
        f"results/{AP}/depth/{{cell}}.csv",
    log:
        f"logs/{AP}/shallow_{{cell}}.log",
    wildcard_constraints:
        cell="|".join(AP_SHALLOW),
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        cfg=lambda wc: cfg_json(AP_SHALLOW[wc.cell]),
    shell:
        family_cmd(AP, "shallow")


rule approximation_depth_summary:
    """C11: deep net exact, shallow constructions, units needed vs L, figures, verdict row."""
    input:
        family_src(AP),
        expand(f"results/{AP}/depth/{{cell}}.csv", cell=AP_SHALLOW),
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
        cfg=cfg_json(ap_plan.depth_summary(config[AP])[""]),
    shell:
        family_cmd(AP, "depth_summary")


rule approximation_claims:
    """Merge the C10 and C11 verdict rows of the approximation family."""
    input:
        family_src(AP),
        f"results/{AP}/claims_c10.csv",
        f"results/{AP}/claims_c11.csv",
    output:
        f"results/{AP}/claims.csv",
    log:
        f"logs/{AP}/claims.log",
    threads: 1
    resources:
        mem_mb=200,
        runtime=2,
    params:
        cfg=cfg_json(ap_plan.claims(config[AP])[""]),
    shell:
        family_cmd(AP, "claims")
