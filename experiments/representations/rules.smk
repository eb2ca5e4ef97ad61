REPRESENTATIONS = "representations"
REPRESENTATIONS_CATEGORY = "7. Representations: projections, features, hidden units"
CLAIM_PARTS.append(f"results/{REPRESENTATIONS}/claims.csv")
TARGETS.extend([f"results/{REPRESENTATIONS}/measurements.csv", f"figures/{REPRESENTATIONS}/measurements.png"])


rule representations_run:
    """Representations: projections, features, hidden units: the measurement, its figure and its claim row."""
    input:
        family_src(REPRESENTATIONS),
    output:
        f"results/{REPRESENTATIONS}/measurements.csv",
        f"results/{REPRESENTATIONS}/claims.csv",
        figure(REPRESENTATIONS, "measurements", REPRESENTATIONS_CATEGORY),
    log:
        f"logs/{REPRESENTATIONS}/run.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=block(REPRESENTATIONS),
    shell:
        family_cmd(REPRESENTATIONS, "run")
