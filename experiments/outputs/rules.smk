OUT = "outputs"
OUT_CATEGORY = "8. Outputs as probabilities"
OUT_PLAN = PLANS[OUT]
OUT_CELLS = OUT_PLAN.train_cells(config[OUT])  # data set -> job parameters
CLAIM_PARTS.append(f"results/{OUT}/claims.csv")
TARGETS.extend(
    [
        f"results/{OUT}/{t}.csv"
        for t in [
            "members",
            "summary",
            "convergence",
            "loss_metric",
            "own_metric",
            "support",
            "bayes",
        ]
    ]
    + [f"figures/{OUT}/{f}_{d}.png" for d in OUT_CELLS for f in ("reliability", "maps")]
)


wildcard_constraints:
    out_dataset="|".join(OUT_CELLS) or "none",


rule outputs_train:
    """C21: every model of one data set trained over seeds (one ensemble per loss), scored
    against the labels and the known P(y | x); its reliability diagrams and maps."""
    input:
        family_src(OUT),
    output:
        f"results/{OUT}/members/{{out_dataset}}.csv",
        f"results/{OUT}/reliability/{{out_dataset}}.csv",
        in_report(
            f"figures/{OUT}/reliability_{{out_dataset}}.png", OUT, "reliability", OUT_CATEGORY
        ),
        in_report(f"figures/{OUT}/maps_{{out_dataset}}.png", OUT, "maps", OUT_CATEGORY),
    log:
        f"logs/{OUT}/train_{{out_dataset}}.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        cfg=lambda w: cfg_json(OUT_CELLS[w.out_dataset]),
    shell:
        family_cmd(OUT, "train")


rule outputs_summary:
    """C21: medians over converged members with intervals, paired comparisons on seeds, the
    loss x metric table, the exact Bayes accuracy, and the family's claim rows."""
    input:
        family_src(OUT),
        expand(f"results/{OUT}/members/{{d}}.csv", d=OUT_CELLS),
    output:
        f"results/{OUT}/members.csv",
        f"results/{OUT}/summary.csv",
        f"results/{OUT}/convergence.csv",
        f"results/{OUT}/loss_metric.csv",
        f"results/{OUT}/own_metric.csv",
        f"results/{OUT}/support.csv",
        f"results/{OUT}/bayes.csv",
        f"results/{OUT}/claims.csv",
    log:
        f"logs/{OUT}/summary.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        cfg=cfg_json(OUT_PLAN.summary_cells(config[OUT])[""]),
    shell:
        family_cmd(OUT, "summary")
