"""The package's shape: no import cycles, and each folder imports only what its README allows.

Imports are read with ast from every module of src/noticecheck, including
the ones inside functions (a lazy import is still a dependency), so a cycle
cannot hide behind one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "noticecheck"

# The checking core: pure from Text to findings, importing none of the products.
CORE = ("api", "context", "dates", "drift", "engine", "load", "matching", "media", "model", "pairing", "readability", "rulebook", "sections")


def _module_name(path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


def import_graph() -> dict[str, set[str]]:
    """module -> the package's modules it imports (anywhere in its body)."""
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        name, is_package = _module_name(path)
        modules[name] = (path, is_package)
    graph: dict[str, set[str]] = {}
    for name, (path, is_package) in modules.items():
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                # `from pkg import mod` imports pkg.mod; `from mod import name` imports mod
                targets = [module] + [f"{module}.{alias.name}" for alias in node.names]
            else:
                continue
            deps |= {t for t in targets if t in modules and t != name}
        graph[name] = deps
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return cycles


GRAPH = import_graph()


def test_the_graph_sees_lazy_imports():
    # api imports the engine inside check_text; the walk must see it.
    assert "noticecheck.engine" in GRAPH["noticecheck.api"]
    assert len(GRAPH) > 80


def test_find_cycles_finds_a_cycle():
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    assert find_cycles(GRAPH) == []


def _in(module: str, area: str) -> bool:
    full = f"noticecheck.{area}"
    return module == full or module.startswith(full + ".")


@pytest.mark.parametrize(
    "area,forbidden",
    [
        *[(core, ("gate", "scan", "web", "cli", "fetch", "demo", "evaluate", "rule_docs", "sources")) for core in CORE],
        ("gate", ("scan", "web", "cli", "demo")),
        ("scan", ("gate", "web", "cli")),
        ("web", ("scan", "cli", "demo")),
        ("fetch", ("gate", "scan", "web", "cli", "demo")),
    ],
)
def test_each_area_imports_only_what_its_readme_allows(area, forbidden):
    wrong = sorted(
        f"{module} -> {dep}"
        for module, deps in GRAPH.items()
        if _in(module, area)
        for dep in deps
        if any(_in(dep, other) for other in forbidden)
    )
    assert wrong == []


def test_nothing_outside_cli_imports_it():
    wrong = sorted(f"{m} -> {d}" for m, deps in GRAPH.items() if not _in(m, "cli") for d in deps if _in(d, "cli"))
    assert wrong == []


# distribution name -> the module it installs, where they differ
_MODULE_OF = {"beautifulsoup4": "bs4", "charset-normalizer": "charset_normalizer", "pyahocorasick": "ahocorasick",
              "pyyaml": "yaml", "requests-cache": "requests_cache", "python-docx": "docx"}


def test_runtime_dependencies_are_what_the_installed_tool_imports():
    """Test-only packages belong in the test extra; every runtime dependency is imported by src/ (issue 12)."""
    import re
    import tomllib

    project = tomllib.loads((SRC.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    imported = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    for requirement in project["dependencies"]:
        name, _, version = requirement.partition("==")
        assert version, f"{requirement} is not pinned"
        assert _MODULE_OF.get(name, name) in imported, f"{name} is a runtime dependency but src/ never imports it"
    for requirement in project["optional-dependencies"]["test"]:
        name = re.split(r"[=<>]", requirement)[0]
        module = {"python-docx": "docx", "fpdf2": "fpdf", "odfpy": "odf", "pytest-httpserver": "pytest_httpserver",
                  "pytest-xdist": "xdist"}.get(name, name)
        assert module not in imported, f"{name} is test-only but src/ imports it: make it a runtime dependency"
