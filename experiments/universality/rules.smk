UN = "universality"
UN_CATEGORY = "3. Capacity"
# each job's parameters as plan.CELLS gives them to the CLI too: {step: {cell name: cfg}}
UN_JOBS = {step: cells(config[UN]) for step, cells in PLANS[UN].CELLS.items()}
UN_CELLS = UN_JOBS["dimension_cell"]  # {"D1": cfg, ...}: one job per input dimension
CLAIM_PARTS.append(f"results/{UN}/claims.csv")
TARGETS.extend(
    [
        f"results/{UN}/polynomials.csv",
        f"results/{UN}/widths.csv",
        f"results/{UN}/dimension.csv",
        f"results/{UN}/dimension_summary.csv",
        f"figures/{UN}/widths.png",
        f"figures/{UN}/dimension.png",
    ]
)


wildcard_constraints:
    un_cell=r"D\d+",


localrules:
    universality_claims,


rule universality_widths:
    """Error vs width per activation next to the best polynomial fits of each 1-D target (C25 a)."""
    input:
        family_src(UN),
    output:
        f"results/{UN}/polynomials.csv",
        f"results/{UN}/widths.csv",
        figure(UN, "widths", UN_CATEGORY),
    log:
        f"logs/{UN}/widths.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        cfg=cfg_json(UN_JOBS["widths"][""]),
    shell:
        family_cmd(UN, "widths")


rule universality_dimension_cell:
    """Units needed for a sup error eps at one input dimension D: constructions and random features."""
    input:
        family_src(UN),
    output:
        f"results/{UN}/dimension/{{un_cell}}.csv",
        f"results/{UN}/dimension/{{un_cell}}_curves.csv",
    log:
        f"logs/{UN}/dimension_{{un_cell}}.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        cfg=lambda wc: cfg_json(UN_CELLS[wc.un_cell]),
    shell:
        family_cmd(UN, "dimension_cell")


rule universality_dimension:
    """Units needed vs D: all cells, growth factors per added dimension, figure (C25 b)."""
    input:
        family_src(UN),
        expand(f"results/{UN}/dimension/{{cell}}.csv", cell=UN_CELLS),
        expand(f"results/{UN}/dimension/{{cell}}_curves.csv", cell=UN_CELLS),
    output:
        f"results/{UN}/dimension.csv",
        f"results/{UN}/dimension_summary.csv",
        figure(UN, "dimension", UN_CATEGORY),
    log:
        f"logs/{UN}/dimension.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=cfg_json(UN_JOBS["dimension"][""]),
    shell:
        family_cmd(UN, "dimension")


rule universality_claims:
    """The C25 verdict rows, computed from the width and dimension tables."""
    input:
        family_src(UN),
        f"results/{UN}/polynomials.csv",
        f"results/{UN}/widths.csv",
        f"results/{UN}/dimension.csv",
    output:
        f"results/{UN}/claims.csv",
    log:
        f"logs/{UN}/claims.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=cfg_json(UN_JOBS["claims"][""]),
    shell:
        family_cmd(UN, "claims")
