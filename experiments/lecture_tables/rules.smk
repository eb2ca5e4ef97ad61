LT = "lecture_tables"
LT_CATEGORY = "1. Neurons and logic"
CLAIM_PARTS.append(f"results/{LT}/claims.csv")
TARGETS.extend(
    [
        f"results/{LT}/table_3_6.csv",
        f"results/{LT}/xor_threshold_net.csv",
        f"figures/{LT}/table_3_6.png",
        f"figures/{LT}/xor_threshold_net.png",
    ]
)


rule lecture_tables_run:
    """Table 3.6 (C01) and the threshold network of Figure 3.11 (C03), recomputed."""
    input:
        family_src(LT),
    output:
        f"results/{LT}/table_3_6.csv",
        f"results/{LT}/xor_threshold_net.csv",
        f"results/{LT}/claims.csv",
        figure(LT, "table_3_6", LT_CATEGORY),
        figure(LT, "xor_threshold_net", LT_CATEGORY),
    log:
        f"logs/{LT}/run.log",
    params:
        cfg=block(LT),
    shell:
        family_cmd(LT, "run")
