import json
import os


localrules:
    all,
    claims,


wildcard_constraints:
    family=r"[a-z_]+",


CORE = sorted(
    os.path.join(workflow.basedir, "mlp", f)
    for f in os.listdir(os.path.join(workflow.basedir, "mlp"))
    if f.endswith(".py")
)


def src(*paths):
    """Absolute source paths (so `--directory` runs find them); an edit reruns the rule."""
    return [os.path.join(workflow.basedir, p) for p in paths]


def block(name):
    """A family's config block as JSON, passed to its CLI as --params."""
    return json.dumps(config[name], sort_keys=True)


def family_cmd(family, step):
    """The shell command running one step of a family module."""
    return (
        f"{{PY}} -m experiments.{family} {step} --params {{params.cfg:q}} "
        f"--results results/{family} --figures figures/{family} > {{log}} 2>&1"
    )
