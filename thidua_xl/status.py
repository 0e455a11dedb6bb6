"""Who has sent and who has not: one line per unit of the master, units still awaited first.

Read from the master alone: its units, each unit sheet's rows, the `Nhận tệp` ledger that
`collect` keeps, and the errors the rules find in each unit's rows. A unit is received when
`collect` took a file of it in, or when its sheet already holds rows (typed in the master).
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import UserError
from .model import ERROR
from .text import time_text


@dataclass
class UnitStatus:
    unit_code: str
    unit: str
    received: bool
    file: str | None
    collected_at: str | None  # ISO time of the last collect of the unit's file
    rows: int
    errors: int
    email: str = ""
    mode: str = ""  # Thay thế / Bổ sung: how the last file came in

    def to_dict(self) -> dict:
        d = asdict(self)
        return {k: d[k] for k in ("unit_code", "unit", "received", "file", "collected_at", "rows", "errors",
                                  "email", "mode")}


@dataclass
class StatusReport:
    master: Path
    year: int | None
    units: list[UnitStatus]
    deadline: str = ""
    sample_config: bool = False  # `Cấu hình` still names the sample province

    @property
    def missing(self) -> list[UnitStatus]:
        return [u for u in self.units if not u.received]

    def to_json(self) -> dict:
        return {"master": str(self.master), "year": self.year, "deadline": self.deadline or None,
                "units": [u.to_dict() for u in self.units],
                "counts": {"units": len(self.units), "received": len(self.units) - len(self.missing),
                           "missing": len(self.missing)}}

    def table_rows(self) -> list[list[str]]:
        """The status as rows of text (the terminal table and the Excel sheet show the same)."""
        out = []
        for u in self.units:
            when = time_text(u.collected_at)
            out.append([u.unit_code, u.unit, "Đã nộp" if u.received else "CHƯA NỘP", u.file or "", when,
                        str(u.rows), str(u.errors)])
        return out


from .schema import STATUS_HEADERS, STATUS_SHEET  # noqa: E402,F401


def unit_status(master: str | os.PathLike, *, history=None, check: bool = True) -> StatusReport:
    """Every unit of the master with what it has sent; not received first, then in the units' order."""
    from .config import Config
    from .intake import read_paths
    from .workbook.ledger import last_receipts, read_receipts

    master = Path(master)
    if not master.is_file():
        raise UserError(f"Không tìm thấy tệp tổng hợp “{master}”.")
    intake = read_paths([master])
    rep = intake.files[0] if intake.files else None
    if rep is None or rep.kind != "master":
        reasons = " ".join(f.message for f in intake.findings if f.code == "BAD_FILE")
        raise UserError(f"“{master.name}” không phải tệp tổng hợp. " + (reasons or
                        "Cần trang “Đơn vị” với các cột “Mã đơn vị”, “Tên đơn vị”."))
    last = last_receipts(read_receipts(master))
    noms = intake.nominations
    rows = noms.groupby("unit_code").size().to_dict() if len(noms) else {}
    errors: dict[str, int] = {}
    if check and len(noms):
        from .pipeline import check as run_checks, resolve_year

        sheet_unit = dict(zip(intake.units["sheet"], intake.units["unit_code"]))
        name_unit = dict(zip(intake.units["unit"], intake.units["unit_code"]))
        for f in run_checks(intake, resolve_year(None, intake), history):
            if f.severity != ERROR:
                continue
            code = sheet_unit.get(f.sheet) if f.row is not None else name_unit.get(f.unit or "")
            if code:
                errors[code] = errors.get(code, 0) + 1
    units = []
    for code, name, email in zip(intake.units["unit_code"], intake.units["unit"], intake.units["email"]):
        r = last.get(code)
        n = int(rows.get(code, 0))
        units.append(UnitStatus(code, name, r is not None or n > 0, r.file if r else None,
                                r.at.isoformat(timespec="seconds") if r else None, n, errors.get(code, 0),
                                email or "", r.mode if r else ""))
    units.sort(key=lambda u: u.received)  # stable: the units' own order within each group
    from .config import is_sample

    cfg = Config.from_kv(intake.config)
    deadline = cfg.values.get("han_nop", "") if intake.config else ""
    return StatusReport(master, intake.year, units, deadline, is_sample(cfg))


def write_status_workbook(report: StatusReport, out: str | os.PathLike) -> Path:
    """`Tình hình nộp` as a small workbook (atomic)."""
    import xlsxwriter

    from .fileio import atomic_path

    out = Path(out)
    with atomic_path(out, suffix=".xlsx") as tmp:
        wb = xlsxwriter.Workbook(str(tmp))
        write_status_sheet(wb, report)
        wb.close()
    return out


def write_status_sheet(wb, report: StatusReport, name: str = STATUS_SHEET) -> None:
    base = {"font_name": "Times New Roman", "font_size": 12, "border": 1, "valign": "top"}
    head = wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "align": "center", "text_wrap": True})
    cell = wb.add_format(base)
    missing = wb.add_format({**base, "bold": True, "bg_color": "#F8CBAD"})
    ws = wb.add_worksheet(name)
    ws.write(0, 0, f"TÌNH HÌNH NỘP DANH SÁCH ĐỀ NGHỊ NĂM {report.year or ''}: "
                   f"{len(report.units) - len(report.missing)}/{len(report.units)} đơn vị đã nộp"
                   + (f" (hạn nộp {report.deadline})" if report.deadline else ""),
             wb.add_format({"bold": True, "font_name": "Times New Roman", "font_size": 14}))
    ws.write_row(2, 0, STATUS_HEADERS, head)
    for i, (row, u) in enumerate(zip(report.table_rows(), report.units)):
        ws.write_row(3 + i, 0, row, cell)
        if not u.received:
            ws.write(3 + i, 2, row[2], missing)
    for j, w in enumerate((14, 40, 12, 30, 17, 9, 8)):
        ws.set_column(j, j, w)
    ws.freeze_panes(3, 0)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(2)


def send_reminders(report: StatusReport, **mail_options):
    """Reminder messages (drafts or sent) to every unit not yet received, deadline from `Cấu hình`."""
    from .pipeline.delivery import send_unit_files

    codes = [u.unit_code for u in report.missing]
    if not codes:
        return []
    return send_unit_files(report.master, report.master.parent, units=codes, kind="nhac-nop", attach=False,
                           extra={"han_nop": report.deadline}, **mail_options)
