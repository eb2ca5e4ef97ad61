"""Start a new experiment family: `python -m experiments.scaffold NAME --claim C90 --statement "..."`.

Writes a small working family that measures one thing, draws one figure and computes one
claim row, in the project's layout (README, "Add an experiment"):
  experiments/NAME/{__init__.py, __main__.py, measure.py, rules.smk, schema.yaml, claims.yaml}
  report/NAME/measurements.rst      the figure's caption
  tests/test_NAME.py                a smoke test of the step and its verdict
and appends a block `NAME:` to config.yaml and config.quick.yaml. The example measures how far
sigma(-z) is from 1 - sigma(z) on a grid; replace it with your experiment.
"""

import argparse
import re
from pathlib import Path

from experiments.config import ROOT, families

INIT = '''"""{title}: {statement}"""
'''
MAIN = '''"""Steps of the {name} family (`python -m experiments.{name} run`)."""

from experiments.cli import cli
from experiments.io import write_figure, write_table
from experiments.{name}.measure import claim_rows, measure, plot


def run(cfg: dict, results, figures) -> None:
    table = measure(cfg["points"], cfg["z_max"])
    write_table(table, results / "measurements.csv")
    write_table(claim_rows(table, cfg["tolerance"]), results / "claims.csv")
    write_figure(plot(table), figures / "measurements.png")


STEPS = {{"run": run}}

if __name__ == "__main__":
    cli(STEPS)
'''
MEASURE = '''"""The measurement of the {name} family: parameters in, a table, a figure and claim rows out.

Example (replace it): the sigmoid's symmetry sigma(-z) = 1 - sigma(z) on a grid.
"""

import numpy as np
import pandas as pd

from experiments import claims
from experiments.plotting import color, figure
from mlp.activations import ACTIVATIONS


def measure(points: int, z_max: float) -> pd.DataFrame:
    """|sigma(-z) - (1 - sigma(z))| on `points` equally spaced z in [-z_max, z_max]."""
    z = np.linspace(-z_max, z_max, points)
    sigma = ACTIVATIONS["sigmoid"].g
    return pd.DataFrame({{"z": z, "error": np.abs(sigma(-z) - (1 - sigma(z)))}})


def claim_rows(table: pd.DataFrame, tolerance: float) -> pd.DataFrame:
    worst = float(table["error"].max())
    return pd.DataFrame(
        [
            claims.row(
                "{claim}",
                f"max |sigma(-z) - (1 - sigma(z))| = {{worst:.2g}} over {{len(table)}} points",
                f"<= {{tolerance:g}}",
                claims.verdict(worst <= tolerance),
                "results/{name}/measurements.csv; figures/{name}/measurements.png",
                kind="sanity check",
            )
        ]
    )


def plot(table: pd.DataFrame):
    fig, axes = figure(1, 1)
    ax = axes[0, 0]
    ax.plot(table["z"], table["error"], color=color("sigmoid"))
    ax.set(xlabel="z", ylabel="|sigma(-z) - (1 - sigma(z))|", title="sigmoid symmetry: error on the grid")
    return fig
'''
RULES = '''{abbr} = "{name}"
{abbr}_CATEGORY = "{category}"
CLAIM_PARTS.append(f"results/{{{abbr}}}/claims.csv")
TARGETS.extend([f"results/{{{abbr}}}/measurements.csv", f"figures/{{{abbr}}}/measurements.png"])


rule {name}_run:
    """{title}: the measurement, its figure and its claim row."""
    input:
        family_src({abbr}),
    output:
        f"results/{{{abbr}}}/measurements.csv",
        f"results/{{{abbr}}}/claims.csv",
        figure({abbr}, "measurements", {abbr}_CATEGORY),
    log:
        f"logs/{{{abbr}}}/run.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=block({abbr}),
    shell:
        family_cmd({abbr}, "run")
'''
SCHEMA = """# The config block `{name}:` of config.yaml (JSON schema, checked before any job runs).
type: object
additionalProperties: false
required: [points, z_max, tolerance]
properties:
  points: {{type: integer, minimum: 2}}
  z_max: {{type: number, exclusiveMinimum: 0}}
  tolerance: {{type: number, exclusiveMinimum: 0}}
"""
CONFIG = """
# {title} ({claim}).
{name}:
  points: {points}  # grid points for the measurement
  z_max: 30.0  # the grid covers [-z_max, z_max]
  tolerance: 1.0e-12  # the claim holds if the largest error is at most this
"""
CAPTION = """The error |sigma(-z) - (1 - sigma(z))| on the grid (the {name} family's example measurement).
"""
TEST = '''"""Smoke test of the {name} family: the step writes its table, figure and claim row."""

import pandas as pd

from experiments.{name}.__main__ import run


def test_run_writes_a_computed_claim_row(tmp_path):
    run({{"points": 101, "z_max": 10.0, "tolerance": 1e-12}}, tmp_path / "r", tmp_path / "f")
    rows = pd.read_csv(tmp_path / "r" / "claims.csv")
    assert list(rows.claim) == ["{claim}"] and rows.verdict[0] == "reproduced"
    assert (tmp_path / "f" / "measurements.png").stat().st_size > 1000
'''


def next_category(title: str) -> str:
    """'N. title' with N one above the highest report category in use."""
    used = [int(n) for p in ROOT.glob("**/*.smk") for n in re.findall(r'_CATEGORY = "(\d+)\. ', p.read_text())]
    return f"{max(used, default=0) + 1}. {title}"


def scaffold(name: str, claim: str, statement: str, title: str) -> list[Path]:
    """Write the family's files (see the module docstring); returns the paths written."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ValueError(f"family name {name!r} must be a lower-case Python identifier (letters, digits, _)")
    if name in families() or (ROOT / "experiments" / name).exists():
        raise ValueError(f"family {name!r} exists already; allowed: a new name, not one of {families()}")
    if not re.fullmatch(r"C\d+", claim):
        raise ValueError(f"claim id {claim!r} must look like C90")
    fields = {
        "name": name,
        "abbr": name.upper(),
        "claim": claim,
        "statement": statement,
        "title": title,
        "category": next_category(title),
    }
    pkg = ROOT / "experiments" / name
    files = {
        pkg / "__init__.py": INIT,
        pkg / "__main__.py": MAIN,
        pkg / "measure.py": MEASURE,
        pkg / "rules.smk": RULES,
        pkg / "schema.yaml": SCHEMA,
        ROOT / "report" / name / "measurements.rst": CAPTION,
        ROOT / "tests" / f"test_{name}.py": TEST,
    }
    for path, template in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(**fields))
    (pkg / "claims.yaml").write_text(
        f"# The lecture's claims this family checks: id -> statement.\n{claim}: {statement!r}\n"
    )
    for config, points in (("config.yaml", 2001), ("config.quick.yaml", 101)):
        with open(ROOT / config, "a") as f:
            f.write(CONFIG.format(points=points, **fields))
    return [*files, pkg / "claims.yaml", ROOT / "config.yaml", ROOT / "config.quick.yaml"]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m experiments.scaffold", description=__doc__.splitlines()[0])
    parser.add_argument("name", help="the family's name: package, config block, results/<name>/")
    parser.add_argument("--claim", required=True, help="the claim id its row checks, e.g. C90")
    parser.add_argument("--statement", required=True, help="the claim's statement, in the lecture's words")
    parser.add_argument("--title", default=None, help="the report category's title (default: the name)")
    args = parser.parse_args(argv)
    try:
        written = scaffold(args.name, args.claim, args.statement, args.title or args.name.replace("_", " "))
    except ValueError as err:
        parser.error(str(err))
    print("\n".join(f"wrote {p.relative_to(ROOT)}" for p in written))


if __name__ == "__main__":
    main()
