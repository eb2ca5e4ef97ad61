from experiments.representations import plan as RP_PLAN

RP = "representations"
RP_CATEGORY = "7. Representations: projections, features, hidden units"
RP_BLOCK = config[RP]
CLAIM_PARTS.append(f"results/{RP}/claims.csv")
TARGETS.extend(
    [
        f"results/{RP}/projection_summary.csv",
        f"results/{RP}/projection_curves.csv",
        f"results/{RP}/xor_certificates.csv",
        f"results/{RP}/xor_neuron.csv",
        f"results/{RP}/feature_accuracy.csv",
        f"results/{RP}/paired_tests.csv",
        f"figures/{RP}/projection.png",
        f"figures/{RP}/feature_accuracy.png",
        f"figures/{RP}/hidden_units.png",
    ]
)


rule representations_projection:
    """C20: the linear auto-encoder on one spectrum, all seeds in one ensemble."""
    input:
        family_src(RP),
    output:
        f"results/{RP}/projection_{{spectrum}}.csv",
    log:
        f"logs/{RP}/projection_{{spectrum}}.log",
    wildcard_constraints:
        spectrum=r"[a-z][a-z0-9_]*",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=lambda wc: cfg_json(RP_PLAN.projection_cells(RP_BLOCK)[wc.spectrum]),
    shell:
        family_cmd(RP, "projection")


rule representations_xor_neuron:
    """C24 (a): LP certificates and one trained neuron on XOR with and without x1 x2."""
    input:
        family_src(RP),
    output:
        f"results/{RP}/xor_certificates.csv",
        f"results/{RP}/xor_neuron_runs.csv",
    log:
        f"logs/{RP}/xor_neuron.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=cfg_json(RP_PLAN.xor_neuron_cfg(RP_BLOCK)[""]),
    shell:
        family_cmd(RP, "xor_neuron")


rule representations_features:
    """C24 (b, c): raw unit, engineered unit and hidden net on one Playground dataset, all seeds."""
    input:
        family_src(RP),
    output:
        f"results/{RP}/features_{{dataset}}.csv",
        f"results/{RP}/maps_{{dataset}}.csv",
    log:
        f"logs/{RP}/features_{{dataset}}.log",
    wildcard_constraints:
        dataset=r"[a-z][a-z0-9-]*",
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        cfg=lambda wc: cfg_json(RP_PLAN.feature_cells(RP_BLOCK)[wc.dataset]),
    shell:
        family_cmd(RP, "features")


rule representations_summary:
    """C20 and C24: summaries with intervals, paired tests, the verdict rows and the figures."""
    input:
        family_src(RP),
        [f"results/{RP}/projection_{name}.csv" for name in RP_PLAN.projection_cells(RP_BLOCK)],
        f"results/{RP}/xor_certificates.csv",
        f"results/{RP}/xor_neuron_runs.csv",
        [f"results/{RP}/features_{d}.csv" for d in RP_PLAN.feature_cells(RP_BLOCK)],
        [f"results/{RP}/maps_{d}.csv" for d in RP_PLAN.feature_cells(RP_BLOCK)],
    output:
        report(
            f"results/{RP}/projection_summary.csv",
            caption=caption(RP, "projection_summary"),
            category=RP_CATEGORY,
        ),
        f"results/{RP}/projection_curves.csv",
        report(
            f"results/{RP}/xor_neuron.csv",
            caption=caption(RP, "xor_neuron"),
            category=RP_CATEGORY,
        ),
        report(
            f"results/{RP}/feature_accuracy.csv",
            caption=caption(RP, "feature_accuracy_table"),
            category=RP_CATEGORY,
        ),
        f"results/{RP}/paired_tests.csv",
        f"results/{RP}/claims.csv",
        figure(RP, "projection", RP_CATEGORY),
        figure(RP, "feature_accuracy", RP_CATEGORY),
        figure(RP, "hidden_units", RP_CATEGORY),
    log:
        f"logs/{RP}/summary.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=cfg_json(RP_PLAN.summary_cfg(RP_BLOCK)[""]),
    shell:
        family_cmd(RP, "summary")
