"""What intake must not take on trust: whose file it is, whether it came twice, what its cells hide.

Thin steps `read` calls at fixed points; the decisions live in `identity` and `cellcheck`.
"""
from __future__ import annotations

from pathlib import Path

from ..model import ERROR, Finding
from .headers import OPTIONAL_COLUMNS
from .rows import RAW_NOMINATION_COLUMNS
from .units import _title_info


def identity_check(path: Path, hidden_code: str, nomination_sheets, registry, report, intake) -> None:
    """The hidden code, the `Đơn vị:` line and the file name must not name different units."""
    from ..identity import identity_conflict

    title = _title_info(nomination_sheets[0][1], nomination_sheets[0][2].header_idx)[0] if nomination_sheets else ""
    report.unit_conflict = identity_conflict(path.name, hidden_code, title, registry)
    if report.unit_conflict:
        intake.findings.append(Finding("UNIT_MISMATCH", ERROR, report.unit_conflict, file=path.name,
                                       unit=report.unit))


def shared_sheets(path: Path, units_sheet: str, assigned, intake) -> set[str]:
    """Sheets the `Đơn vị` list gives to two units: read for neither, and said."""
    from ..identity import sheet_conflicts

    shared = sheet_conflicts([(c, n, s) for c, n, s in assigned if s is not None])
    for sheet, units in shared.items():
        intake.findings.append(Finding(
            "UNIT_SHEET_CONFLICT", ERROR,
            f"Trang “{units_sheet}” của “{path.name}” gán cùng trang tính “{sheet}” cho {len(units)} đơn vị: "
            + ", ".join(f"{n} ({c})" for c, n in units) + ". Không đọc và không ghi trang này cho đơn vị nào; hãy "
            "sửa cột trang tính trong trang “Đơn vị” để mỗi đơn vị có một trang riêng.",
            file=path.name, sheet=units_sheet))
    return set(shared)


def count_once(intake, noms: list[dict[str, list]], inits: list[dict[str, list]]):
    """A file sent twice, or two files of one unit in one folder: only the newest is counted."""
    from ..identity import superseded_files

    drop, findings = superseded_files(intake.files)
    if not drop:
        return noms, inits
    intake.findings += findings
    names = {Path(p).name for p in drop}
    return ([d for d in noms if d["path"] not in drop],
            [d for d in inits if not d["file"] or d["file"][0] not in names])


def cell_findings(path: Path, scan, report, noms, inits, intake) -> None:
    """Error values below a table's header, text longer than a cell (see cellcheck)."""
    if scan is None or not (scan.long_text or any(s.error_cells for s in scan.sheets.values())):
        return  # nothing to say (the usual file): cellcheck not even imported
    from ..cellcheck import error_cell_findings, truncate_long_text

    intake.findings += error_cell_findings(path, scan, report.header_row, report.unit)
    if scan.long_text:
        import polars as pl

        from .frames import set_sheet_frame, sheet_frame

        # the sheets' rows as the column lists truncate_long_text cuts in place, then as frames again
        frames = [sheet_frame(d) for d in noms]
        lists = [{"sheet": [d["sheet"]] * f.height, **{c: f.get_column(c).to_list() for c in _CUT_ORDER}}
                 for d, f in zip(noms, frames)]
        intake.findings += truncate_long_text(path, lists + inits, report.unit)
        for d, f, cut in zip(noms, frames, lists):
            set_sheet_frame(d, f.with_columns(pl.Series(c, cut[c], dtype=f.schema[c]) for c in _CUT_ORDER))


# the order truncate_long_text meets a sheet's columns in (the order its findings come in)
_CUT_ORDER = [c for c in RAW_NOMINATION_COLUMNS if c not in OPTIONAL_COLUMNS and c != "sheet"] + list(OPTIONAL_COLUMNS)
