RG = "regions"
RG_CATEGORY = "4. Linear regions"
# each job's parameters as plan.CELLS gives them to the CLI too: {step: {cell name: cfg}}
RG_JOBS = {step: cells(config[RG]) for step, cells in PLANS[RG].CELLS.items()}
RG_CELLS = RG_JOBS["depth_cell"]  # {"L1": cfg, ...}: one job per depth
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
    ]
)


wildcard_constraints:
    rg_cell=r"L\d+",


localrules:
    regions_claims,


rule regions_construction:
    """Montufar's folding nets on the (D, K, L) grid: exact counts vs the formula, and bounds (C12)."""
    input:
        family_src(RG),
    output:
        f"results/{RG}/construction.csv",
        figure(RG, "construction", RG_CATEGORY),
    log:
        f"logs/{RG}/construction.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=cfg_json(RG_JOBS["construction"][""]),
    shell:
        family_cmd(RG, "construction")


rule regions_validation:
    """The counter against Zaslavsky, the dense-grid pattern lower bound and the tent map."""
    input:
        family_src(RG),
    output:
        f"results/{RG}/validation.csv",
    log:
        f"logs/{RG}/validation.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        cfg=cfg_json(RG_JOBS["validation"][""]),
    shell:
        family_cmd(RG, "validation")


rule regions_depth_cell:
    """Random and trained nets with N units over L layers (all seeds in one ensemble): exact counts."""
    input:
        family_src(RG),
    output:
        f"results/{RG}/depth/{{rg_cell}}.csv",
    log:
        f"logs/{RG}/depth_{{rg_cell}}.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        cfg=lambda wc: cfg_json(RG_CELLS[wc.rg_cell]),
    shell:
        family_cmd(RG, "depth_cell")


rule regions_depth:
    """Regions vs depth at fixed N: per-depth summary, bounds, the construction's count, figure."""
    input:
        family_src(RG),
        expand(f"results/{RG}/depth/{{cell}}.csv", cell=RG_CELLS),
    output:
        f"results/{RG}/depth.csv",
        f"results/{RG}/depth_summary.csv",
        figure(RG, "regions_vs_depth", RG_CATEGORY),
    log:
        f"logs/{RG}/depth.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=cfg_json(RG_JOBS["depth"][""]),
    shell:
        family_cmd(RG, "depth")


rule regions_maps:
    """Region maps of a shallow and a deep random net with the same N, and of a folding net."""
    input:
        family_src(RG),
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
        cfg=cfg_json(RG_JOBS["maps"][""]),
    shell:
        family_cmd(RG, "maps")


rule regions_claims:
    """The C12 verdict row, computed from the construction, validation and depth tables."""
    input:
        family_src(RG),
        f"results/{RG}/construction.csv",
        f"results/{RG}/validation.csv",
        f"results/{RG}/depth.csv",
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
        cfg=cfg_json(RG_JOBS["claims"][""]),
    shell:
        family_cmd(RG, "claims")
