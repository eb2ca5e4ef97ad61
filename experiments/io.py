"""Atomic writers for tables and figures, and a checked reader for the tables a step reads.

A file appears only once it is complete (write to a temporary name, then rename), so a
killed job never leaves a truncated table or figure behind; and a step checks every table it
reads against what the config says it must hold, so a truncated or edited file stops the job
with the file's name instead of feeding a wrong verdict.
"""

import os
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


class TableError(ValueError):
    """A table a step reads does not hold what the configuration says it must."""


def read_table(path, columns=(), rows: int | None = None, values: dict | None = None) -> pd.DataFrame:
    """A table written by `write_table`, checked: it has `columns`, exactly `rows` rows (if
    given), and for each column in `values` exactly that set of values (e.g. the seeds or
    the sweep points the config asked for). Raises TableError naming the file."""
    path = Path(path)
    try:
        df = pd.read_csv(path, keep_default_na=False, na_values=["", "NaN", "nan"])
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise TableError(f"{path}: not a readable table ({err}); rerun the step that writes it") from None
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise TableError(f"{path}: missing columns {missing} (has {list(df.columns)}); rerun the step that writes it")
    if rows is not None and len(df) != rows:
        raise TableError(f"{path}: {len(df)} rows, the configuration implies {rows}; rerun the step that writes it")
    for col, want in (values or {}).items():
        got = set(df[col].tolist())
        if got != set(want):
            lost, extra = sorted(set(want) - got, key=str), sorted(got - set(want), key=str)
            raise TableError(f"{path}: column {col!r} lacks {lost[:10]} and has unexpected {extra[:10]}")
    return df


def write_figure(fig, path: Path) -> None:
    """Save a figure (made by `experiments.plotting.figure`) as PNG, atomically, and close it."""
    import matplotlib.pyplot as plt  # loaded already by the figure; table-only jobs never import it

    _atomic(
        Path(path), lambda p: fig.savefig(p, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    )
    plt.close(fig)
