"""The command line of every experiment family: `python -m experiments.<family> STEP`.

A family's `__main__.py` ends with `cli(STEPS)`. A step is a function
`step(cfg, results, figures)` of the step's parameters (a dict) and the output folders, or a
`Step` that also says how the family's config block splits into sweep cells. Snakemake passes
each job's parameters with `--cfg`; without it the step runs on the family's block of
`config.yaml` (every cell in turn), so a family runs the same with and without Snakemake.
"""

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from experiments.config import ROOT, load_config

Run = Callable[[dict, Path, Path], None]


class Step(NamedTuple):
    run: Run
    cells: Callable[[dict], dict[str, dict]] | None = None  # family block -> {cell name: cfg}


def step_cfgs(step: Run | Step, block: dict) -> dict[str, dict]:
    """The parameters each job of `step` gets from the family's block: {cell name: cfg}
    (one unnamed cell for a step that is not a sweep)."""
    cells = step.cells if isinstance(step, Step) else None
    return cells(block) if cells else {"": block}


def _reads(steps: dict, block: dict) -> str:
    lines = []
    for name, step in sorted(steps.items()):
        cfgs = step_cfgs(step, block)
        keys = sorted({k for cfg in cfgs.values() for k in cfg})
        cells = f" ({len(cfgs)} cells: {', '.join(cfgs)})" if len(cfgs) > 1 or "" not in cfgs else ""
        lines.append(f"  {name}: reads {', '.join(keys) or 'nothing'}{cells}")
    return "\n".join(lines)


def _family() -> str:
    """The family of the running `python -m experiments.<family>`."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    parts = (getattr(spec, "name", "") or "").split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "experiments" else ""


def cli(steps: dict[str, Run | Step], argv=None) -> None:
    """Parse the command line and run one step (see the module docstring)."""
    family = _family()
    try:
        block = load_config(ROOT / "config.yaml").get(family, {}) if family else {}
    except ValueError:
        block = {}  # a broken config.yaml is reported by the step that needs it
    parser = argparse.ArgumentParser(
        prog=f"python -m experiments.{family}" if family else None,
        description=f"Steps of the {family or 'experiment'} family; without --cfg a step reads the "
        f"family's block '{family}' of config.yaml.",
        epilog="Keys each step reads (config.yaml defaults):\n" + _reads(steps, block),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("step", choices=sorted(steps), help="one of: " + ", ".join(sorted(steps)))
    parser.add_argument("--cfg", help="the step's parameters as JSON (what Snakemake passes); default: config.yaml")
    parser.add_argument("--results", type=Path, default=Path("results", family), help="default: results/<family>")
    parser.add_argument("--figures", type=Path, default=Path("figures", family), help="default: figures/<family>")
    args = parser.parse_args(argv)
    step = steps[args.step]
    run = step.run if isinstance(step, Step) else step
    if args.cfg is None:
        cfgs = step_cfgs(step, block)
    else:
        try:
            cfg = json.loads(args.cfg)
        except json.JSONDecodeError as err:
            parser.error(f"--cfg is not valid JSON ({err}): {args.cfg!r}")
        if not isinstance(cfg, dict):
            kind = {list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(type(cfg), "a number")
            parser.error(f"--cfg must be a JSON object (the step's parameters), got {kind}: {args.cfg!r}")
        cfgs = {"": cfg}
    for name, cfg in cfgs.items():
        start = time.perf_counter()
        run(cfg, args.results, args.figures)
        where = f" cell {name}" if name else ""
        print(f"{family} {args.step}{where}: done in {time.perf_counter() - start:.2f} s", file=sys.stderr, flush=True)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        f"process CPU time {usage.ru_utime + usage.ru_stime:.2f} s, peak memory {usage.ru_maxrss / 1024:.0f} MB",
        file=sys.stderr,
    )
