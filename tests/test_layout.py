"""The project's shape: imports run one way (core <- shared helpers <- families <- entry
points), with no cycle and no lazy import of project code; every family is a complete package."""

import ast
from pathlib import Path

import pytest

from experiments.config import families

ROOT = Path(__file__).resolve().parents[1]
SHARED = sorted(p.stem for p in (ROOT / "experiments").glob("*.py") if p.stem != "__init__")
ENTRY_POINTS = {"experiments.scaffold", "experiments.__main__"}  # top level: may import any layer


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    paths = [*(ROOT / "mlp").glob("*.py"), *(ROOT / "experiments").rglob("*.py"), *(ROOT / "benchmarks").glob("*.py")]
    return {module_name(p): p for p in sorted(paths)}


def imports(path: Path) -> list[tuple[str, bool]]:
    """(imported project module, at module level?) for each import of mlp / experiments / benchmarks."""
    tree = ast.parse(path.read_text())
    top = {id(n) for n in tree.body}
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        names = [n for n in names if n.split(".")[0] in ("mlp", "experiments", "benchmarks")]
        found += [(n, id(node) in top) for n in names]
    return found


def layer(module: str) -> int:
    """0 core, 1 shared helpers, 2 a family, 3 entry points (and the benchmarks)."""
    parts = module.split(".")
    if module in ENTRY_POINTS or parts[0] == "benchmarks":
        return 3
    if parts[0] == "mlp":
        return 0
    return 1 if len(parts) == 2 and parts[1] in SHARED else 2 if len(parts) >= 2 else 1


def resolve(name: str, known: dict) -> str | None:
    """The project module an imported name refers to (a module, or the module of an imported name)."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def graph() -> dict[str, set[str]]:
    known = modules()
    return {m: {r for n, _ in imports(p) if (r := resolve(n, known)) and r != m} for m, p in known.items()}


def test_imports_run_one_way():
    upward = []
    for m, deps in graph().items():
        for d in deps:
            if layer(d) > layer(m):
                upward.append(f"{m} (layer {layer(m)}) imports {d} (layer {layer(d)})")
            if layer(m) == layer(d) == 2 and d.split(".")[1] != m.split(".")[1]:
                upward.append(f"{m} imports another family's module {d}")
            if d.endswith(".__main__") and m not in ENTRY_POINTS:
                upward.append(f"{m} imports {d}: nothing imports a family's command line")
    assert upward == []


def test_no_import_cycle():
    g = graph()
    state, cycles = {}, []

    def visit(m, stack):
        state[m] = "open"
        for d in sorted(g.get(m, ())):
            if state.get(d) == "open":
                cycles.append(" -> ".join(stack[stack.index(d) :] + [d]))
            elif d not in state:
                visit(d, stack + [d])
        state[m] = "done"

    for m in sorted(g):
        if m not in state:
            visit(m, [m])
    assert cycles == []


# The benchmark worker imports a peer library's module only in the job that times that library:
# each library is measured alone in its own process (an imported torch keeps thread pools).
LAZY_ALLOWED = {"benchmarks.worker"}


def test_no_lazy_import_of_project_code():
    """Imports of project modules sit at the top of a module: a lazy import would hide a cycle."""
    lazy = [
        f"{m}: {n}" for m, p in modules().items() if m not in LAZY_ALLOWED for n, at_top in imports(p) if not at_top
    ]
    assert lazy == []


def test_the_core_imports_neither_pandas_nor_the_experiments():
    for m, p in modules().items():
        if m.startswith("mlp"):
            text = p.read_text()
            assert "import pandas" not in text and "from experiments" not in text, m


@pytest.mark.parametrize("family", families())
def test_every_family_is_a_complete_package(family):
    pkg = ROOT / "experiments" / family
    for name in ("__init__.py", "__main__.py", "rules.smk", "schema.yaml", "claims.yaml"):
        assert (pkg / name).is_file(), f"experiments/{family}/{name} is missing"
    main = (pkg / "__main__.py").read_text()
    assert "STEPS = " in main and 'if __name__ == "__main__":\n    cli(STEPS)' in main
    assert (ROOT / "report" / family).is_dir() or family == "conclusion", f"report/{family}/ (captions) is missing"
