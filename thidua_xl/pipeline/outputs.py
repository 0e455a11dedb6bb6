"""The year's tables written where the user asked: a JSON file, a workbook, or the master itself.

Shared by every adapter, so `thidua validate --into`, the demo and the ribbon write the same cells.
Writing into the master goes through one door (`write_into`): refused while Excel has the file
open, under the master's lock, the same pre-parse limits as any input, a backup first, an atomic save.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from ..errors import UserError


def write_into(master: Path, produced: Path, sheets: list[str] | None = None) -> Path:
    """Copy the tool's sheets of `produced` into the user's master; returns the backup's path."""
    from ..locks import master_lock
    from ..safety import Refused, inspect
    from ..workbook.transplant import write_sheets_into

    master = Path(master)
    if not master.is_file():
        raise UserError(f"Không tìm thấy tệp tổng hợp “{master}”.")
    if (master.parent / f"~${master.name}").exists():
        raise UserError(f"Tệp “{master.name}” đang mở trong Excel: hãy đóng tệp rồi chạy lại.")
    try:
        with master_lock(master):
            inspect(master)  # the same pre-parse limits as any input: no bomb gets rewritten
            return write_sheets_into(master, produced, sheets)
    except Refused as exc:
        raise UserError(f"Không ghi vào “{master.name}”: {exc}.") from None


def findings_json(result) -> dict:
    """`validate --json`: the year, every finding, the counts by severity."""
    from ..model import ERROR, WARNING

    counts = {ERROR: sum(f.severity == ERROR for f in result.findings),
              WARNING: sum(f.severity == WARNING for f in result.findings)}
    return {"year": result.year, "findings": [f.to_dict() for f in result.findings], "counts": counts}


def write_findings(result, *, json_out: Path | None = None, out: Path | None = None,
                   into: Path | None = None) -> dict[str, Path]:
    """The `Kiểm tra` outputs asked for: what was written (kind -> path; `backup` for --into)."""
    from ..fileio import write_json
    from ..validate import write_findings_workbook

    written: dict[str, Path] = {}
    findings = list(result.findings)
    if json_out:
        from ..validate import spared_by_collector

        with spared_by_collector():  # a record per finding: the run's other objects need no walk meanwhile
            write_json(json_out, findings_json(result))
        written["json"] = Path(json_out)
    if out:
        written["xlsx"] = Path(write_findings_workbook(result.intake, findings, out, result.year))
    if into:
        with tempfile.TemporaryDirectory() as tmp:
            produced = write_findings_workbook(result.intake, findings, Path(tmp) / "kiem-tra.xlsx", result.year,
                                               master_name=Path(into).name)
            written["backup"] = write_into(into, Path(produced), ["Kiểm tra"])
        written["into"] = Path(into)
    return written


def totals_json(result) -> dict:
    """`consolidate --json`: the totals (CONTRACT's shape) and, per file, how it was read."""
    from . import sources

    return {**result.consolidation.to_json(), "sources": sources(result.intake)}


def write_totals(result, *, json_out: Path | None = None, out: Path | None = None,
                 into: Path | None = None) -> dict[str, Path]:
    """The `Tổng hợp` outputs asked for; into the master also the per-award sheets and the chart
    (the workbook writer imported only when a workbook is asked for)."""
    from ..fileio import write_json

    written: dict[str, Path] = {}
    if json_out:
        write_json(json_out, totals_json(result))
        written["json"] = Path(json_out)
    if out or into:
        from ..export import write_consolidation
    if out:
        write_consolidation(result.consolidation, out)
        written["xlsx"] = Path(out)
    if into:
        from ..catalog import load_catalog
        from ..chart import chart_data
        from ..validate import default_history_path

        history = default_history_path(result.intake)
        chart = chart_data(result.consolidation, load_catalog(),
                           history if history is not None and history.is_file() else None)
        with tempfile.TemporaryDirectory() as tmp:
            produced = write_consolidation(result.consolidation, Path(tmp) / "tong-hop.xlsx", chart=chart)
            written["backup"] = write_into(into, produced)
        written["into"] = Path(into)
    return written


def refresh_history_sheet(master: Path, db, intake=None) -> int | None:
    """The master's `Lịch sử` shows the register for its own people: rows written, or None when the
    master cannot take it now (not a workbook, or open in Excel). Raises UserError when it fails."""
    from ..text import name_keys
    from ..workbook.history_view import write_history_sheet

    master = Path(master)
    if master.suffix.lower() not in (".xlsx", ".xlsm") or (master.parent / f"~${master.name}").exists():
        return None
    noms = intake.nominations if intake is not None else None
    people = set(name_keys(noms["ho_ten"].tolist())) if noms is not None else None
    return write_history_sheet(master, db, people=people)


def collect_into(folder: Path, master: Path, *, dry_run: bool = False, supplement: bool = False,
                 year_ok: bool = False):
    """The units' returned files written into the master (backup first; see workbook.collect), and
    the master's `Lịch sử` sheet brought up to its new people when a register sits beside it.

    Returns (the collect report, the `Lịch sử` refresh: rows written, None when not done, or the
    UserError that stopped it)."""
    from ..history import default_path
    from ..workbook.collect import collect

    report = collect(folder, master, dry_run=dry_run, supplement=supplement, year_ok=year_ok)
    refreshed = None
    if report.written and not report.nothing_changed and not dry_run and default_path([master]).is_file():
        from . import load

        try:
            refreshed = refresh_history_sheet(master, default_path([master]), load([master]))
        except UserError as exc:
            refreshed = exc
    return report, refreshed
