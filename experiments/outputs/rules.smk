OUTPUTS = "outputs"
OUTPUTS_CATEGORY = "7. Outputs as probabilities"
CLAIM_PARTS.append(f"results/{OUTPUTS}/claims.csv")
TARGETS.extend([f"results/{OUTPUTS}/measurements.csv", f"figures/{OUTPUTS}/measurements.png"])


rule outputs_run:
    """Outputs as probabilities: the measurement, its figure and its claim row."""
    input:
        family_src(OUTPUTS),
    output:
        f"results/{OUTPUTS}/measurements.csv",
        f"results/{OUTPUTS}/claims.csv",
        figure(OUTPUTS, "measurements", OUTPUTS_CATEGORY),
    log:
        f"logs/{OUTPUTS}/run.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=block(OUTPUTS),
    shell:
        family_cmd(OUTPUTS, "run")
