"""docs/interface.md documents the public interface as the code has it: every command, every option,
every finding code; and it keeps every word of the fixed core it started from."""
from __future__ import annotations

import re
from pathlib import Path

import typer.main

from thidua_xl.cli import app
from thidua_xl.model import CODE_LABELS

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "interface.md").read_text("utf-8")


def _commands(command, path=()):
    """(command words, option strings) of every leaf command of the Typer app."""
    subs = getattr(command, "commands", None)
    if subs:
        for name, sub in subs.items():
            yield from _commands(sub, (*path, name))
        return
    opts = [o for p in command.params if getattr(p, "param_type_name", "") == "option"
            for o in (*p.opts, *p.secondary_opts) if o.startswith("--")]
    yield path, opts


def test_every_command_and_option_is_documented():
    commands = list(_commands(typer.main.get_command(app)))
    assert len(commands) >= 15  # validate, consolidate, report, email, … all reached
    missing = []
    for words, opts in commands:
        name = "thidua " + " ".join(words)
        if f"`{name}" not in DOC:
            missing.append(name)
        section = DOC[DOC.find(f"`{name}"):]
        missing += [f"{name} {o}" for o in opts if o not in section]
    assert missing == []


def test_every_finding_code_is_documented():
    codes = set(CODE_LABELS)
    for path in (ROOT / "thidua_xl").rglob("*.py"):
        codes.update(re.findall(r'Finding\(\s*"([A-Z][A-Z_]+)"', path.read_text("utf-8")))
    for path in (ROOT / "thidua_xl" / "rules" / "data").glob("*.toml"):
        codes.update(re.findall(r'^code\s*=\s*"([A-Z][A-Z_]+)"', path.read_text("utf-8"), re.M))
    assert len(codes) >= 20
    table = DOC[DOC.index("## 12. Finding codes"):]
    assert sorted(c for c in codes if f"| `{c}` |" not in table) == []


def test_every_award_code_is_documented():
    import csv

    with open(ROOT / "thidua_xl" / "data" / "awards.csv", encoding="utf-8") as fh:
        codes = [r["code"] for r in csv.DictReader(fh)]
    assert len(codes) == 20
    assert [c for c in codes if f"`{c}`" not in DOC] == []


def test_the_fixed_core_is_kept_word_for_word():
    """Part I holds sections 1–7 of the interface the project started from, unchanged."""
    core = DOC[DOC.index("# Part I"):DOC.index("# Part II")]
    for heading in ("## 1. Installation and commands", "## 2. Nomination table (one per unit)", "## 3. Award codes",
                    "## 4. `validate --json FILE`", "## 5. `consolidate --json FILE`", "## 6. History import file",
                    "## 7. The decision and the loop with the units"):
        assert heading in core
    assert '"counts": {"error": 3, "warning": 1}}' in core
    assert "`thidua email --docs DIR --to ADDR..." in core


def test_readme_links_to_it():
    assert "docs/interface.md" in (ROOT / "README.md").read_text("utf-8")



def test_every_header_variant_is_documented():
    from thidua_xl.decisions import LIST_HEADERS
    from thidua_xl.history import HISTORY_HEADERS
    from thidua_xl.intake.headers import INITIATIVE_HEADERS, NOMINATION_HEADERS, UNIT_LIST_HEADERS
    from thidua_xl.rules.loading import OVERRIDE_HEADERS

    section = DOC[DOC.index("## 10a."):DOC.index("## 11.")]
    missing = []
    for spec in (NOMINATION_HEADERS, INITIATIVE_HEADERS, UNIT_LIST_HEADERS, HISTORY_HEADERS, LIST_HEADERS,
                 OVERRIDE_HEADERS):
        for canon, (cid, variants) in spec.items():
            missing += [h for h in (canon, *variants) if f"`{h}`" not in section]
    assert missing == []
