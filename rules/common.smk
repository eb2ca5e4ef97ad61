import json
import os


localrules:
    all,
    claims,


CORE = sorted(
    os.path.join(workflow.basedir, "mlp", f)
    for f in os.listdir(os.path.join(workflow.basedir, "mlp"))
    if f.endswith(".py")
)


def src(*paths):
    """Absolute source paths (so `--directory` runs find them); an edit reruns the rule."""
    return [os.path.join(workflow.basedir, p) for p in paths]


def block(family, *path, **extra):
    """A family's config block (or its sub-block at `path`) merged with `extra`, as JSON for
    the CLI's --params; a rule given only its own sub-block reruns only when those knobs change."""
    cfg = config[family]
    for key in path:
        cfg = cfg[key]
    return json.dumps({**cfg, **extra}, sort_keys=True)


def pick(family, *keys, **extra):
    """The entries `keys` of a family's config block plus `extra`, as JSON for --params."""
    return json.dumps({**{k: config[family][k] for k in keys}, **extra}, sort_keys=True)


def family_cmd(family, step, module=None):
    """The shell command running one step of a family (module experiments.<family> by default)."""
    return (
        f"{{PY}} -m experiments.{module or family} {step} --params {{params.cfg:q}} "
        f"--results results/{family} --figures figures/{family} > {{log}} 2>&1"
    )


def figure(family, name, category):
    """A family's figure, in the HTML report with its caption report/<family>/<name>.rst."""
    return report(
        f"figures/{family}/{name}.png",
        caption=f"../report/{family}/{name}.rst",
        category=category,
    )
