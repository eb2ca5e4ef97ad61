DEPTH = "depth"
DEPTH_CATEGORY = "7. Relu's kink, vanishing gradients, trainable depth"
CLAIM_PARTS.append(f"results/{DEPTH}/claims.csv")
TARGETS.extend([f"results/{DEPTH}/measurements.csv", f"figures/{DEPTH}/measurements.png"])


rule depth_run:
    """Relu's kink, vanishing gradients, trainable depth: the measurement, its figure and its claim row."""
    input:
        family_src(DEPTH),
    output:
        f"results/{DEPTH}/measurements.csv",
        f"results/{DEPTH}/claims.csv",
        figure(DEPTH, "measurements", DEPTH_CATEGORY),
    log:
        f"logs/{DEPTH}/run.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=block(DEPTH),
    shell:
        family_cmd(DEPTH, "run")
