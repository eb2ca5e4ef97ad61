from experiments.playground import plan as PG_PLAN

PG = "playground"
PG_CATEGORY = "5. TensorFlow Playground"
PG_CELLS = PG_PLAN.train_cells(config[PG])  # run name -> its training job's cfg
PG_TABLES = [  # written by playground_summarise (besides claims.csv)
    "summary",
    "final",
    "stationarity",
    "reference_percentiles",
    "paired_relu_tanh",
    "budget_candidates",
    "depth_comparisons",
]
PG_FIGURES = [
    "loss_curves",
    "lecture_percentiles",
    "budgets",
    "decision_maps",
    "decision_maps_all",
    "hidden_units",
]
PG_RUN_FILES = ["curve", "seeds", "end", "nets"]
CLAIM_PARTS.append(f"results/{PG}/claims.csv")
TARGETS.extend(
    [f"results/{PG}/{t}.csv" for t in [*PG_TABLES, "parity"]]
    + [f"figures/{PG}/{f}.png" for f in PG_FIGURES]
)


wildcard_constraints:
    pg_run=r"[a-z]+(-[0-9]+)+-[a-z]+",


PG_RUNS = {  # every run's tables, by kind
    kind: expand(f"results/{PG}/runs/{{run}}_{kind}.csv", run=sorted(PG_CELLS))
    for kind in PG_RUN_FILES
}


localrules:
    playground_parity,
    playground_summarise,


rule playground_train:
    """One Playground configuration or budget candidate: all its seeds trained as one ensemble."""
    input:
        family_src(PG),
    output:
        expand(
            f"results/{PG}/runs/{{{{pg_run}}}}_{{kind}}.{{ext}}",
            kind=PG_RUN_FILES,
            ext=["csv", "md"],
        ),
    log:
        f"logs/{PG}/train_{{pg_run}}.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    params:
        cfg=lambda wc: cfg_json(PG_CELLS[wc.pg_run]),
    shell:
        family_cmd(PG, "train")


rule playground_parity:
    """Our port on Playground's deterministic scenario, next to Playground's own numbers."""
    input:
        family_src(PG),
    output:
        f"results/{PG}/parity.csv",
        f"results/{PG}/parity.md",
    log:
        f"logs/{PG}/parity.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=cfg_json({}),
    shell:
        family_cmd(PG, "parity")


rule playground_summarise:
    """Seed distributions with intervals, convergence, the lecture's and Playground's numbers as
    percentiles, relu vs tanh on the same seeds, depth vs width at equal size, and the C13 rows."""
    input:
        family_src(PG),
        PG_RUNS["seeds"],
        PG_RUNS["end"],
        f"results/{PG}/parity.csv",
    output:
        [f"results/{PG}/{t}.csv" for t in PG_TABLES],
        f"results/{PG}/claims.csv",
    log:
        f"logs/{PG}/summarise.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        cfg=block(PG),
    shell:
        family_cmd(PG, "summarise")


rule playground_plots:
    """Loss curves with seed bands, the lecture's numbers among the seeds, held-out accuracy by
    size and depth, decision maps and hidden-unit maps."""
    input:
        family_src(PG),
        [path for kind in ["curve", "seeds", "nets"] for path in PG_RUNS[kind]],
        f"results/{PG}/reference_percentiles.csv",
        f"results/{PG}/budget_candidates.csv",
    output:
        [figure(PG, f, PG_CATEGORY) for f in PG_FIGURES],
    log:
        f"logs/{PG}/plots.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        cfg=block(PG),
    shell:
        family_cmd(PG, "plots")
