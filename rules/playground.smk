PG = "playground"
PG_CATEGORY = "5. TensorFlow Playground"
PG_SPECS = {  # name as experiments.playground.config_name (its train step checks they agree)
    "-".join([c["dataset"], *map(str, c["hidden"]), c["activation"]]): c
    for c in config[PG]["configs"]
}
PG_TABLES = ["summary", "reference_percentiles", "paired_relu_tanh", "depth_relu"]
PG_FIGURES = [
    "loss_curves",
    "lecture_percentiles",
    "decision_maps",
    "decision_maps_all",
    "hidden_units",
]
PG_RUN_FILES = ["curve", "seeds", "nets"]
CLAIM_PARTS.append(f"results/{PG}/claims.csv")
TARGETS.extend(
    [f"results/{PG}/{t}.csv" for t in PG_TABLES] + [f"figures/{PG}/{f}.png" for f in PG_FIGURES]
)


wildcard_constraints:
    pg_run=r"[a-z]+(-[0-9]+)+-[a-z]+",


PG_COMMON = {k: v for k, v in config[PG].items() if k != "configs"}  # knobs every run shares
PG_RUNS = {  # every configuration's run tables, by kind
    kind: expand(f"results/{PG}/runs/{{run}}_{kind}.csv", run=sorted(PG_SPECS))
    for kind in PG_RUN_FILES
}


localrules:
    playground_summary,


rule playground_train:
    """One Playground configuration: all its seeds trained together as one ensemble."""
    input:
        CORE,
        src("experiments/playground.py"),
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
        runtime=20,
    params:
        cfg=lambda wc: json.dumps(
            {**PG_COMMON, "run": wc.pg_run, "config": PG_SPECS[wc.pg_run]}, sort_keys=True
        ),
    shell:
        legacy_cmd(PG, "train")


rule playground_summary:
    """Seed distributions, the lecture's and Playground's numbers as percentiles, relu vs tanh
    on the same seeds, and the C13 claim rows."""
    input:
        CORE,
        src("experiments/playground.py", "experiments/playground_summary.py"),
        PG_RUNS["seeds"],
    output:
        [f"results/{PG}/{t}.csv" for t in PG_TABLES],
        f"results/{PG}/claims.csv",
    log:
        f"logs/{PG}/summary.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=block(PG),
    shell:
        legacy_cmd(PG, "summarise")


rule playground_plots:
    """Loss curves with seed bands, the lecture's numbers among the seeds, decision maps and
    hidden-unit maps."""
    input:
        CORE,
        src(
            "experiments/playground.py",
            "experiments/playground_summary.py",
            "experiments/playground_plots.py",
        ),
        [path for kind in PG_RUN_FILES for path in PG_RUNS[kind]],
    output:
        [figure(PG, f, PG_CATEGORY) for f in PG_FIGURES],
    log:
        f"logs/{PG}/plots.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        cfg=block(PG),
    shell:
        legacy_cmd(PG, "plots")
