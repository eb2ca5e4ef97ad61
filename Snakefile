"""Reproduce every claim of the lecture "Neural Networks I": experiments -> claims table."""

import sys

from snakemake.utils import min_version, validate

from experiments.config_check import check

min_version("9.0")


configfile: "config.yaml"


# every invalid key, its value and what is allowed, before any job is planned
check(config, f"{workflow.basedir}/config.schema.yaml")
validate(config, "config.schema.yaml")


report: "report/workflow.rst"


PY = sys.executable  # the interpreter running Snakemake, never a bare `python`
CLAIM_PARTS = []  # each family's verdict rows (results/<family>/claims.csv)
TARGETS = []  # each family's tables and figures


include: "rules/common.smk"
include: "rules/lecture_tables.smk"
include: "rules/activations.smk"
include: "rules/playground.smk"
include: "rules/logic.smk"
include: "rules/regions.smk"
include: "rules/training.smk"
include: "rules/approximation.smk"
include: "rules/conclusion.smk"


rule all:
    input:
        TARGETS,
        "results/claims.csv",


rule claims:
    """Merge every family's verdict rows into the claims table."""
    input:
        parts=CLAIM_PARTS,
        code=src("experiments/claims.py"),
    output:
        csv="results/claims.csv",
        md=report("results/claims.md", caption="report/claims.rst", category="0. Claims"),
    log:
        "logs/claims.log",
    shell:
        "{PY} -m experiments.claims {output.csv} {input.parts} > {log} 2>&1"
