"""Reproduce every claim of the lecture "Neural Networks I": experiments -> claims table."""

import sys

from snakemake.utils import min_version, validate

min_version("9.0")


configfile: "config.yaml"


validate(config, "config.schema.yaml")


report: "report/workflow.rst"


PY = sys.executable  # the interpreter running Snakemake, never a bare `python`
CLAIM_PARTS = []  # each family's verdict rows (results/<family>/claims.csv)
TARGETS = []  # each family's tables and figures


include: "rules/common.smk"
include: "rules/lecture_tables.smk"


rule all:
    input:
        TARGETS,
        "results/claims.csv",


rule claims:
    """Merge every family's verdict rows into the claims table."""
    input:
        CLAIM_PARTS,
        src("experiments/claims.py"),
    output:
        "results/claims.csv",
        report("results/claims.md", caption="report/claims.rst", category="0. Claims"),
    log:
        "logs/claims.log",
    shell:
        "{PY} -m experiments.claims {output[0]} {CLAIM_PARTS} > {log} 2>&1"
