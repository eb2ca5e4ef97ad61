RG = "regions"
RG_CATEGORY = "4. Linear regions"
RG_CFG = config[RG]
RG_SRC = src("experiments/regions.py", "experiments/region_maps.py")
RG_COST = f"logs/{RG}/cost"  # CPU seconds of counting: machine-dependent, kept out of results/
CLAIM_PARTS.append(f"results/{RG}/claims.csv")
TARGETS.extend(
    [
        f"results/{RG}/construction.csv",
        f"results/{RG}/validation.csv",
        f"results/{RG}/depth.csv",
        f"results/{RG}/depth_summary.csv",
        f"results/{RG}/region_maps.csv",
        f"figures/{RG}/construction.png",
        f"figures/{RG}/regions_vs_depth.png",
        f"figures/{RG}/region_maps.png",
        f"logs/{RG}/counting_cost.csv",
    ]
)


wildcard_constraints:
    rg_L=r"\d+",


localrules:
    regions_cost,
    regions_claims,


rule regions_construction:
    """Montufar's folding nets on the (D, K, L) grid: exact counts vs the formula, and bounds (C12)."""
    input:
        CORE,
        RG_SRC,
    output:
        f"results/{RG}/construction.csv",
        f"{RG_COST}/construction.csv",
        figure(RG, "construction", RG_CATEGORY),
    log:
        f"logs/{RG}/construction.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=block(RG, "construction", cost_table=f"{RG_COST}/construction.csv"),
    shell:
        legacy_cmd(RG, "construction")


rule regions_validation:
    """The counter against Zaslavsky, the dense-grid pattern lower bound and the tent map."""
    input:
        CORE,
        RG_SRC,
    output:
        f"results/{RG}/validation.csv",
    log:
        f"logs/{RG}/validation.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        cfg=block(RG, "validation"),
    shell:
        legacy_cmd(RG, "validation")


rule regions_depth_cell:
    """Random and trained nets with N units over rg_L layers (all seeds in one ensemble): exact counts."""
    input:
        CORE,
        RG_SRC,
    output:
        f"results/{RG}/depth/L{{rg_L}}.csv",
        f"{RG_COST}/depth_L{{rg_L}}.csv",
    log:
        f"logs/{RG}/depth_L{{rg_L}}.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        cfg=lambda wc: block(
            RG, "depth", L=int(wc.rg_L), cost_table=f"{RG_COST}/depth_L{wc.rg_L}.csv"
        ),
    shell:
        legacy_cmd(RG, "depth_cell")


rule regions_depth:
    """Regions vs depth at fixed N: per-depth summary, bounds, the construction's count, figure."""
    input:
        CORE,
        RG_SRC,
        expand(f"results/{RG}/depth/L{{L}}.csv", L=RG_CFG["depth"]["depths"]),
    output:
        f"results/{RG}/depth.csv",
        f"results/{RG}/depth_summary.csv",
        f"{RG_COST}/depth.csv",
        figure(RG, "regions_vs_depth", RG_CATEGORY),
    log:
        f"logs/{RG}/depth.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=block(RG, "depth", cost_table=f"{RG_COST}/depth.csv"),
    shell:
        legacy_cmd(RG, "depth")


rule regions_maps:
    """Region maps of a shallow and a deep random net with the same N, and of a folding net."""
    input:
        CORE,
        RG_SRC,
    output:
        f"results/{RG}/region_maps.csv",
        figure(RG, "region_maps", RG_CATEGORY),
    log:
        f"logs/{RG}/maps.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=block(RG, "depth", maps=RG_CFG["maps"]),
    shell:
        legacy_cmd(RG, "maps")


rule regions_cost:
    """Counting cost: regions per CPU second, per kind of net (varies by machine, so under logs/)."""
    input:
        CORE,
        RG_SRC,
        parts=[
            f"{RG_COST}/construction.csv",
            f"{RG_COST}/depth.csv",
            *expand(f"{RG_COST}/depth_L{{L}}.csv", L=RG_CFG["depth"]["depths"]),
        ],
    output:
        f"logs/{RG}/counting_cost.csv",
    log:
        f"logs/{RG}/cost.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=lambda wc, input: json.dumps(
            {"parts": list(input.parts), "cost_table": f"logs/{RG}/counting_cost.csv"}
        ),
    shell:
        legacy_cmd(RG, "cost")


rule regions_claims:
    """The C12 verdict row, computed from the construction, validation and depth tables."""
    input:
        CORE,
        RG_SRC,
        f"results/{RG}/construction.csv",
        f"results/{RG}/validation.csv",
        f"results/{RG}/depth_summary.csv",
    output:
        f"results/{RG}/claims.csv",
    log:
        f"logs/{RG}/claims.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=block(RG, "depth"),
    shell:
        legacy_cmd(RG, "claims")
