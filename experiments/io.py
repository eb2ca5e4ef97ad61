"""Atomic writers for tables and figures, and the command-line entry every rule calls.

A file appears only once it is complete (write to a temporary name, then rename), so a
killed job never leaves a truncated table or figure behind.
"""

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_table(df: pd.DataFrame, path: Path, float_format: str = "%.6g") -> None:
    """`path` (.csv) and its Markdown twin (.md), both written atomically."""
    path = Path(path)
    _atomic(path, lambda p: df.to_csv(p, index=False, float_format=float_format, lineterminator="\n"))
    md = df.to_markdown(index=False, floatfmt=".4g") + "\n"
    _atomic(path.with_suffix(".md"), lambda p: p.write_text(md))


def write_figure(fig, path: Path) -> None:
    """Save a figure (made by `experiments.plotting.figure`) as PNG, atomically, and close it."""
    import matplotlib.pyplot as plt  # loaded already by the figure; table-only jobs never import it

    _atomic(
        Path(path), lambda p: fig.savefig(p, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    )
    plt.close(fig)


def cli(steps: dict[str, Callable[[dict, Path, Path], None]], argv=None) -> None:
    """`python -m experiments.<family> STEP --params JSON --results DIR --figures DIR`.

    Each step takes the family's config block (a dict), the results and figures folders.
    """
    main = sys.modules.get("__main__")
    module = getattr(getattr(main, "__spec__", None), "name", None)
    parser = argparse.ArgumentParser(prog=f"python -m {module}" if module else None)
    parser.add_argument("step", choices=sorted(steps), help="one of: " + ", ".join(sorted(steps)))
    parser.add_argument("--params", default="{}", help="the family's config block as JSON")
    parser.add_argument("--results", type=Path, required=True)
    parser.add_argument("--figures", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        params = json.loads(args.params)
    except json.JSONDecodeError as err:
        parser.error(f"--params is not valid JSON ({err}): {args.params!r}")
    if not isinstance(params, dict):
        kind = {list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(type(params), "a number")
        parser.error(f"--params must be a JSON object (the family's config block), got {kind}: {args.params!r}")
    steps[args.step](params, args.results, args.figures)
