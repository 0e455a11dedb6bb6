"""The rules package reads top to bottom: records, loading, context, the listed kinds, no cycle.

A check kind is listed by name in `rules/checks.py` (not registered as a side effect of an
import); the validation context receives plain frames from its caller, so no rules module
reads the history register or its storage itself.
"""
from __future__ import annotations

import ast
from pathlib import Path

import thidua_xl
from thidua_xl.rules import HISTORY_KINDS, KINDS, load_builtin

RULES = Path(thidua_xl.__file__).parent / "rules"


def _imports(path: Path) -> set[str]:
    """Modules of thidua_xl a rules module imports (relative imports resolved, at any depth)."""
    out: set[str] = set()
    package = "thidua_xl.rules"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                is_module = (Path(thidua_xl.__file__).parent.parent / (sub.replace(".", "/") + ".py")).is_file()
                out.add(sub if is_module else base)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return {m for m in out if m.startswith("thidua_xl")}


def _graph() -> dict[str, set[str]]:
    graph = {}
    for path in sorted(RULES.glob("*.py")):
        name = "thidua_xl.rules" if path.stem == "__init__" else f"thidua_xl.rules.{path.stem}"
        graph[name] = _imports(path)
    return graph


def test_the_rules_modules_import_each_other_without_a_cycle():
    graph = _graph()
    inside = {k: {m for m in v if m in graph} for k, v in graph.items()}
    seen, stack = set(), []

    def visit(node):
        if node in stack:
            raise AssertionError("import cycle: " + " → ".join(stack[stack.index(node):] + [node]))
        if node in seen:
            return
        stack.append(node)
        for nxt in sorted(inside[node]):
            visit(nxt)
        stack.pop()
        seen.add(node)

    for node in sorted(inside):
        visit(node)
    # no module below the package's front door goes back through it
    assert not [k for k, v in inside.items() if "thidua_xl.rules" in v and k != "thidua_xl.rules"]


def test_no_rules_module_reads_the_register_or_its_storage():
    for name, imported in _graph().items():
        assert not imported & {"thidua_xl.history", "thidua_xl.store"}, name


def test_every_kind_a_packaged_rule_names_is_listed():
    used = {r.kind for r in load_builtin()}
    assert used <= set(KINDS)
    assert HISTORY_KINDS <= set(KINDS)
    assert {"streak", "count_in_window", "prior_award", "same_year_award"} <= HISTORY_KINDS


def test_the_rules_modules_stay_small():
    for path in RULES.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) < 600, path.name
