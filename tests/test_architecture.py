"""The shape of the code: one pipeline, adapters at the edge that never call each other, no import
cycles, modules small enough to hold in one's head.

The import graph is read from the source with `ast` (imports at the top of a module and inside
functions alike), so a lazy import counts as much as an eager one.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "thidua_xl"
MAX_LINES = 600

# Cycles that exist today and are being broken by whoever owns them; delete an entry when its cycle
# is gone (the test fails on a stale entry too, so the list stays true).
KNOWN_CYCLES: set[frozenset[str]] = set()

# Modules over MAX_LINES today, each being split by its owner; delete an entry once it is under.
KNOWN_LONG: set[str] = set()

# The edges of the program: each talks to one outside world and calls the pipeline, never another.
ADAPTERS = {
    "__main__": "the command line",
    "cli": "the command line",
    "xl": "the Excel ribbon (xlwings)",
    "xl_files": "the Excel ribbon (xlwings)",
    "xlboundary": "the Excel ribbon (xlwings)",
    "mail": "email (drafts, SMTP)",
}


def _modules() -> dict[str, Path]:
    """Dotted name below thidua_xl (a package by its own name) -> file."""
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The module a dotted name lands in (a name imported from a module is that module)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph() -> dict[str, set[str]]:
    """module -> the project modules it imports (relative or absolute, at any depth of the file)."""
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for mod, path in modules.items():
        is_package = path.name == "__init__.py"
        here = mod.split(".") if mod else []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name.removeprefix("thidua_xl.") for a in node.names
                           if a.name == "thidua_xl" or a.name.startswith("thidua_xl.")]
                targets = ["" if t == "thidua_xl" else t for t in targets]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here if is_package else here[:-1]
                    base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
                    base_name = ".".join(base + ([node.module] if node.module else []))
                elif node.module and (node.module == "thidua_xl" or node.module.startswith("thidua_xl.")):
                    base_name = node.module.removeprefix("thidua_xl").lstrip(".")
                else:
                    continue
                for alias in node.names:
                    sub = f"{base_name}.{alias.name}" if base_name else alias.name
                    targets.append(sub if sub in modules else base_name)
            for t in targets:
                found = _resolve(t, modules) if t else None
                if found is not None and found != mod:
                    graph[mod].add(found)
    return graph


def cycles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[frozenset[str]] = set()

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.add(frozenset(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _adapter(mod: str) -> str | None:
    top = mod.split(".")[0]
    return top if top in ADAPTERS else None


def test_the_graph_sees_lazy_and_relative_imports():
    graph = import_graph()
    # a function-level relative import (the pipeline imports the checks only when it validates)
    assert "validate" in graph["pipeline"]
    # a sibling imported from inside a package, and a package's __init__ importing its parts
    assert "cli.common" in graph["cli.year"] and "cli.year" in graph["cli"]
    assert len(graph) > 80


def test_no_import_cycles_but_the_known_ones():
    found = cycles(import_graph())
    new = found - KNOWN_CYCLES
    assert not new, f"new import cycles: {[sorted(c) for c in new]}"
    stale = KNOWN_CYCLES - found
    assert not stale, f"these cycles are gone: delete them from KNOWN_CYCLES: {[sorted(c) for c in stale]}"


def test_the_command_line_and_the_demo_form_no_cycle():
    found = cycles(import_graph())
    assert not any(m.split(".")[0] in ("cli", "cli_loop", "demo") for c in found for m in c)


def test_no_adapter_imports_another():
    bad = [(mod, dep) for mod, deps in import_graph().items() for dep in deps
           if _adapter(mod) and _adapter(dep) and _adapter(mod) != _adapter(dep)
           and ADAPTERS[_adapter(mod)] != ADAPTERS[_adapter(dep)]]
    assert not bad, f"adapters calling each other: {bad}"


def test_no_core_module_imports_an_adapter_but_the_pipeline_delivering():
    """The core knows nothing of Excel, the terminal or email; the pipeline's deliver step is where
    the year reaches the mail adapter (`status` drafts its reminders through that step too)."""
    allowed = {"pipeline.delivery"}
    bad = [(mod, dep) for mod, deps in import_graph().items() for dep in deps
           if not _adapter(mod) and _adapter(dep) and mod not in allowed]
    assert not bad, f"core modules importing an adapter: {bad}"


def test_command_line_ribbon_and_demo_each_run_the_pipeline():
    graph = import_graph()

    def uses_pipeline(prefix: str) -> bool:
        return any(dep == "pipeline" or dep.startswith("pipeline.")
                   for mod, deps in graph.items() if mod == prefix or mod.startswith(prefix + ".")
                   for dep in deps)

    for adapter in ("cli", "xl", "cli.demo"):
        assert uses_pipeline(adapter), f"{adapter} does not call the pipeline"
    # and none of them runs another adapter in-process: no `cli.main(argv)` from the ribbon or the demo
    assert not any(d == "cli" or d.startswith("cli.") for d in graph["xl"])
    assert "cli" not in graph["cli.demo"]  # the demo does not call `thidua` itself


def test_no_module_over_600_lines_but_the_known_ones():
    lengths = {mod: len(path.read_text(encoding="utf-8").splitlines()) for mod, path in _modules().items()}
    long = {mod for mod, n in lengths.items() if n > MAX_LINES}
    new = long - KNOWN_LONG
    assert not new, f"modules over {MAX_LINES} lines: {sorted((m, lengths[m]) for m in new)}"
    stale = KNOWN_LONG - long
    assert not stale, f"now under {MAX_LINES} lines: delete from KNOWN_LONG: {sorted(stale)}"
