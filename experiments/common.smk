# Helpers for the families' rules (experiments/<family>/rules.smk).
import json
import os
import sys
from pathlib import Path


localrules:
    all,
    claims,


def _py_files(folder):
    return sorted(str(p) for p in Path(workflow.basedir, folder).glob("*.py"))


def shared_src():
    """The core and the shared helpers: every job depends on them (an edit reruns it)."""
    return _py_files("mlp") + _py_files("experiments")


def family_src(family):
    """A family's sources: its package, the shared helpers and the core."""
    return shared_src() + _py_files(f"experiments/{family}")


def cfg_json(cfg):
    """A step's parameters as the JSON its CLI takes (--cfg)."""
    return json.dumps(cfg, sort_keys=True)


def block(family, *path, **extra):
    """A family's config block (or its sub-block at `path`) merged with `extra`, as JSON for
    the CLI's --cfg; a rule given only its own sub-block reruns only when those knobs change."""
    cfg = config[family]
    for key in path:
        cfg = cfg[key]
    return cfg_json({**cfg, **extra})


def pick(family, *keys, **extra):
    """The entries `keys` of a family's config block plus `extra`, as JSON for --cfg."""
    return cfg_json({**{k: config[family][k] for k in keys}, **extra})


def family_cmd(family, step):
    """The shell command running one step of a family: python -m experiments.<family> STEP."""
    return (
        f"{{PY:q}} -m experiments.{family} {step} --cfg {{params.cfg:q}} "
        f"--results results/{family} --figures figures/{family} > {{log:q}} 2>&1"
    )


REPORTING = "--report" in sys.argv  # `snakemake --report ...`: the page below, what exists


def made(targets):
    """The targets a report covers: all of them, or when making a report only those that
    exist (so a report after a partial run shows what exists instead of failing)."""
    return [t for t in targets if Path(t).exists()] if REPORTING else targets


def landing_page():
    """The report's first page (experiments.landing), written when a report is being made."""
    if not REPORTING:
        return os.path.join(workflow.basedir, "report", "workflow.rst")
    from experiments.landing import landing_rst  # pandas: only when a report is made

    done = {p for p in TARGETS if Path(p).exists()}
    page = landing_rst(
        Path(workflow.basedir, "report", "workflow.rst").read_text(),
        Path("results/claims.csv"),
        {p for p in done if p.startswith("figures/")},
        sorted(set(TARGETS) - done),
    )
    path = Path(".snakemake", "report", "landing.rst").resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page)
    return str(path)


def caption(family, name):
    """The caption file report/<family>/<name>.rst (absolute: rules files live in packages)."""
    return os.path.join(workflow.basedir, "report", family, f"{name}.rst")


def in_report(path, family, name, category):
    """`path`, marked for the HTML report with the caption report/<family>/<name>.rst."""
    return report(path, caption=caption(family, name), category=category)


def figure(family, name, category):
    """A family's figure figures/<family>/<name>.png, in the HTML report with its caption."""
    return in_report(f"figures/{family}/{name}.png", family, name, category)
