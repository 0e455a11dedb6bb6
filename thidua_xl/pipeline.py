"""The Sở's year as one visible pipeline: intake → validate → consolidate.

The CLI and the Excel buttons call these steps; rendering (documents) and
delivery (mail) take the result further.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Iterable

from .config import Config, narrative_from_kv
from .consolidate import Consolidation, consolidate
from .intake import Intake, read_paths
from .model import Finding


@dataclass
class YearResult:
    intake: Intake
    year: int
    findings: list[Finding] = field(default_factory=list)
    consolidation: Consolidation | None = None

    @property
    def config(self) -> Config:
        return Config.from_kv(self.intake.config)

    @property
    def narrative(self) -> dict[str, str]:
        return narrative_from_kv(self.intake.narrative)


def resolve_year(year: int | None, intake: Intake | None) -> int:
    """--year, else the master's config, else a unit file's title, else last year."""
    from .guards import check_year

    if year is not None:
        return check_year(year)
    if intake is not None and intake.year:
        return intake.year
    return dt.date.today().year - 1


def load(paths: Iterable, progress: Callable[[str], None] | None = None) -> Intake:
    return read_paths(paths, progress=progress)


def check(intake: Intake, year: int, history=None) -> list[Finding]:
    from .validate import validate

    return validate(intake, year, history=history)


def totals(intake: Intake, year: int) -> Consolidation:
    return consolidate(intake.nominations, intake.initiatives, year,
                       files=sum(f.ok for f in intake.files), units=intake.units)


def run(paths: Iterable, year: int | None = None, history=None, *, validate: bool = True,
        progress: Callable[[str], None] | None = None) -> YearResult:
    intake = load(paths, progress)
    y = resolve_year(year, intake)
    result = YearResult(intake=intake, year=y)
    if validate:
        result.findings = check(intake, y, history)
    result.consolidation = totals(intake, y)
    return result


def sources(intake: Intake) -> list[dict]:
    """Per file: its unit and how it was recognised, rows read, and header drift.

    Reported with every consolidation so a column a unit renamed or dropped is seen,
    not silently counted as empty (the Power Query trap).
    """
    out = []
    for f in intake.files:
        out.append({
            "file": f.file, "kind": f.kind, "ok": f.ok, "unit_code": f.unit_code, "unit": f.unit,
            "unit_source": f.unit_source, "rows": f.rows,
            "sheets": [{"sheet": s, "header_row": f.header_row.get(s), "mapped": f.mapped.get(s, {}),
                        "missing": f.missing.get(s, []), "extra": f.extra.get(s, [])} for s in f.mapped],
        })
    return out
