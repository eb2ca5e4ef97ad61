# Helpers for the families' rules (experiments/<family>/rules.smk).
import json
import os
from pathlib import Path

from experiments.cli import step_cfgs


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


def caption(family, name):
    """The caption file report/<family>/<name>.rst (absolute: rules files live in packages)."""
    return os.path.join(workflow.basedir, "report", family, f"{name}.rst")


def figure(family, name, category):
    """A family's figure, in the HTML report with its caption report/<family>/<name>.rst."""
    return report(f"figures/{family}/{name}.png", caption=caption(family, name), category=category)


# ---- transition: for families not yet moved into a package (rules/<family>.smk); removed
# ---- once every family is experiments/<family>/
CORE = _py_files("mlp")


def src(*paths):
    return [os.path.join(workflow.basedir, p) for p in paths]


def legacy_cmd(family, step, module=None):
    return (
        f"{{PY:q}} -m experiments.{module or family} {step} --params {{params.cfg:q}} "
        f"--results results/{family} --figures figures/{family} > {{log:q}} 2>&1"
    )
