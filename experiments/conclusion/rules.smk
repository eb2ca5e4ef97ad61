from experiments.conclusion import plan as CN_PLAN

CN = "conclusion"
CLAIM_PARTS.append(f"results/{CN}/claims.csv")
TARGETS.append(f"results/{CN}/summary.csv")


localrules:
    conclusion_run,


rule conclusion_run:
    """C19: the trained results of the logic, playground and approximation families summarised."""
    input:
        family_src(CN),
        [f"results/{p}" for p in CN_PLAN.inputs(config[CN])],
    output:
        f"results/{CN}/summary.csv",
        f"results/{CN}/claims.csv",
    log:
        f"logs/{CN}/run.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=2,
    params:
        cfg=cfg_json(CN_PLAN.run(config[CN])[""]),
    shell:
        family_cmd(CN, "run")
