"""Reproduce every claim of the lecture "Neural Networks I": experiments -> claims table.

Each experiment family is a package experiments/<family>/ with its rules (rules.smk), its
config schema (schema.yaml) and its claims (claims.yaml); this file only ties them together.
"""

import sys
from pathlib import Path

from snakemake.utils import min_version

from experiments.config import families, load_config
from experiments.suite import check_config, plans

min_version("9.0")

BASE = Path(workflow.basedir)
# config.yaml beside this file, with --configfile / --config overrides merged in (dicts merge,
# lists and values replace); checked against every family's schema, cross-field checks and
# cost limits before any job is planned
config.update(load_config(BASE / "config.yaml", dict(config)))
FAMILIES = families()
PLANS = plans()  # family -> experiments/<family>/plan.py: sweep cells, cross-field checks, costs
check_config(config)


PY = sys.executable  # the interpreter running Snakemake, never a bare `python`
IN_CHECKOUT = Path.cwd().resolve() == BASE.resolve()  # not a --directory run elsewhere
README_ARG = f"--readme {BASE / 'README.md'}" if IN_CHECKOUT else ""
CLAIM_PARTS = []  # each family's verdict rows (results/<family>/claims.csv)
TARGETS = []  # each family's tables and figures


include: "experiments/common.smk"


for family in FAMILIES:

    include:
        f"experiments/{family}/rules.smk"
        if (BASE / "experiments" / family / "rules.smk").exists()
        else f"rules/{family}.smk"


rule all:
    input:
        made([*TARGETS, "results/claims.csv"]),


rule claims:
    """Merge every family's verdict rows into the claims table (and, in the checkout itself,
    copy it into README.md, so the README never shows other numbers than results/)."""
    input:
        parts=CLAIM_PARTS,
        code=shared_src(),
    output:
        csv="results/claims.csv",
        md="results/claims.md",
    log:
        "logs/claims.log",
    params:
        readme=README_ARG,
    shell:
        "{PY:q} -m experiments.claims {output.csv:q} {input.parts:q} {params.readme} > {log:q} 2>&1"


# The HTML report opens on the claims table; after a partial run it shows what exists and
# lists what is missing (a page made for `snakemake --report`, from results/claims.csv).
report: landing_page()
