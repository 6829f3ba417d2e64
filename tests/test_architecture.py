"""Imports follow the data (DESIGN.md "Flow"): crawlers and nlp know nothing of the rest; graph
imports only their vocabulary; alerts import graph; api imports graph and alerts; tokenwatch
composes; bench is free. And no import cycle between the modules of one package.

Parsed with `ast`, so imports inside functions and under TYPE_CHECKING count too."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("crawlers", "nlp", "graph", "alerts", "api", "tokenwatch", "bench")

# which other packages each package may import (None: any)
MAY_IMPORT: dict[str, frozenset[str] | None] = {
    "crawlers": frozenset(),
    "nlp": frozenset(),
    "graph": frozenset({"crawlers", "nlp"}),  # their vocabulary only: see GRAPH_VOCABULARY
    "alerts": frozenset({"crawlers", "nlp", "graph"}),
    "api": frozenset({"crawlers", "nlp", "graph", "alerts"}),
    "tokenwatch": None,
    "bench": None,
}
RULES = {
    "crawlers": "crawlers know nothing of the rest",
    "nlp": "nlp knows nothing of the rest",
    "graph": "graph imports only the vocabulary of crawlers and nlp",
    "alerts": "alerts import graph, crawlers and nlp only",
    "api": "api imports graph and alerts (and lower) only",
}
# the pure modules of crawlers and nlp that the graph stores from: typed hand-off objects,
# the dedupe fingerprints it keeps on an Article, the title join and sentence rule it quotes
GRAPH_VOCABULARY = frozenset({"crawlers.types", "crawlers.dedupe", "nlp.types", "nlp.text"})

@dataclass(frozen=True)
class Import:
    file: str  # relative to the repository root
    line: int
    source: str  # importing module, e.g. "graph.writer"
    target: str  # the imported module as resolved to a file when possible


def _module_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    base = ROOT.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _is_package(name: str) -> bool:
    return (ROOT.joinpath(*name.split(".")) / "__init__.py").is_file()


def _targets(node: ast.Import | ast.ImportFrom, source: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    module = node.module or ""
    if node.level:
        base = source.split(".")[: len(source.split(".")) - node.level + (1 if is_package else 0)]
        module = ".".join([*base, *([module] if module else [])])
    # `from graph import reader` imports the module graph.reader
    subs = [f"{module}.{a.name}" for a in node.names if _is_module(f"{module}.{a.name}")]
    return subs if len(subs) == len(node.names) else [module, *subs]


def project_imports() -> Iterator[Import]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            source = _module_of(path)
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Import | ast.ImportFrom):
                    continue
                for target in _targets(node, source, path.name == "__init__.py"):
                    if target.split(".")[0] in PACKAGES:
                        yield Import(str(path.relative_to(ROOT)), node.lineno, source, target)


def violation(imp: Import) -> str | None:
    """The rule `imp` breaks, or None."""
    mine, theirs = imp.source.split(".")[0], imp.target.split(".")[0]
    allowed = MAY_IMPORT[mine]
    if allowed is None or mine == theirs:
        return None
    if theirs not in allowed:
        return RULES[mine]
    if mine == "graph" and imp.target not in GRAPH_VOCABULARY:
        return f"{RULES['graph']} ({', '.join(sorted(GRAPH_VOCABULARY))})"
    return None


def test_imports_follow_the_flow() -> None:
    broken = [f"{i.file}:{i.line}: imports {i.target}: {why}"
              for i in project_imports() if (why := violation(i)) is not None]
    assert not broken, "imports against the flow:\n" + "\n".join(broken)


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle among `edges` (module -> modules it imports), or None."""
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_inside_a_package() -> None:
    edges: dict[str, set[str]] = {}
    lines: dict[tuple[str, str], str] = {}
    for i in project_imports():
        # a package's __init__ re-exports its modules: edges into or out of it are not cycles
        # between modules
        inside = i.target.split(".")[0] == i.source.split(".")[0]
        if inside and not _is_package(i.target) and not _is_package(i.source):
            edges.setdefault(i.source, set()).add(i.target)
            lines.setdefault((i.source, i.target), f"{i.file}:{i.line}")
    cycle = _cycle(edges)
    assert cycle is None, "import cycle: " + " -> ".join(cycle) + " (" + ", ".join(
        lines[pair] for pair in pairwise(cycle)) + ")"


def test_the_checker_sees_a_back_edge() -> None:
    """The rules are live: an upward import is reported with its file, line and rule."""
    up = Import("crawlers/x.py", 3, "crawlers.x", "graph.writer")
    assert violation(up) == "crawlers know nothing of the rest"
    deep = Import("graph/x.py", 4, "graph.x", "nlp.kb")
    assert violation(deep) is not None and "vocabulary" in violation(deep)  # type: ignore[operator]
    assert _cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]


# --- routes reach the graph through one dependency ------------------------------------------

ROUTES = ROOT / "api" / "routes"
# what hands a route the driver or a session of its own, past the handle's timeout
DRIVER_NAMES = frozenset({"Driver", "DriverDep", "get_driver", "GraphDatabase", "Session"})
DRIVER_CALLS = frozenset({"session", "execute_query", "open_driver"})


def route_escapes(source: str, file: str = "route.py") -> list[str]:
    """Where a route module reaches Neo4j other than through `GraphDep`: an import of neo4j
    (its exceptions aside) or of the driver dependency, a `.driver` attribute (the handle's
    or `app.state`'s), a session or `execute_query` call."""
    out = []
    for node in ast.walk(ast.parse(source)):
        where = f"{file}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.ImportFrom | ast.Import):
            mods = [node.module or ""] if isinstance(node, ast.ImportFrom) else [
                a.name for a in node.names]
            names = {a.name for a in node.names}
            if any(m == "neo4j" or (m.startswith("neo4j.") and m != "neo4j.exceptions")
                   for m in mods):
                out.append(f"{where}: imports {', '.join(mods)} (use GraphDep)")
            if names & DRIVER_NAMES:
                out.append(f"{where}: imports {', '.join(sorted(names & DRIVER_NAMES))} "
                           "(use GraphDep)")
        elif isinstance(node, ast.Attribute) and node.attr == "driver":
            out.append(f"{where}: reads .driver (hand the GraphDep handle itself)")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in DRIVER_CALLS):
            out.append(f"{where}: calls .{node.func.attr}() (run it through GraphDep)")
    return out


def test_routes_run_their_queries_through_the_graph_dependency() -> None:
    found = [e for path in sorted(ROUTES.glob("*.py"))
             for e in route_escapes(path.read_text(encoding="utf-8"),
                                    str(path.relative_to(ROOT)))]
    assert not found, "routes reaching Neo4j past GraphDep:\n" + "\n".join(found)


def test_the_route_checker_sees_an_escape() -> None:
    bad = ("from api.deps import DriverDep\nfrom neo4j import Driver\n"
           "def f(driver: DriverDep):\n    with driver.session() as s:\n        s.run('x')\n"
           "def g(request):\n    return request.app.state.driver.execute_query('x')\n")
    found = route_escapes(bad)
    assert any("DriverDep" in e for e in found) and any("imports neo4j" in e for e in found)
    assert any(".session()" in e for e in found) and any(".driver" in e for e in found)
    assert any("execute_query" in e for e in found)
    assert route_escapes("from neo4j.exceptions import ClientError\n") == []
