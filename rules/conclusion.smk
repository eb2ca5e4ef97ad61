CN = "conclusion"
CN_INPUTS = {
    "xor_success": "results/logic/xor_success.csv",
    "playground_summary": "results/playground/summary.csv",
    "width_errors": "results/approximation/width_errors.csv",
}
CLAIM_PARTS.append(f"results/{CN}/claims.csv")
TARGETS.append(f"results/{CN}/summary.csv")


localrules:
    conclusion,


rule conclusion:
    """C19: the trained results of the logic, playground and approximation families summarised."""
    input:
        list(CN_INPUTS.values()),
        src("experiments/conclusion.py"),
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
        cfg=block(CN, **CN_INPUTS),
    shell:
        legacy_cmd(CN, "run")
