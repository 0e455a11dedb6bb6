"""What each unit must fix, in its own file: `thidua feedback`.

The office's findings name the master's rows; a unit knows only its own file. Here every
finding is brought back to the unit's file and row (directly when the unit files are the
input; through the master's hidden `Tệp gốc`/`Dòng gốc` columns and its `Nhận tệp` ledger
when the master is), and each unit with something to fix gets `<Mã đơn vị>.xlsx`: a copy of
its own file with the cells at fault coloured and commented, and a sheet `Cần sửa` listing
each finding with the row of its own file, the message and what to do.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UserError
from .model import ERROR, INFO, Finding, code_label
from .schema import FIX_HEADERS, FIX_SHEET  # noqa: F401
from .text import clean, fold

INDEX_FILE = "phan-hoi.json"
FIX_WIDTHS = (5, 22, 18, 6, 16, 26, 9, 70, 50, 36)
FILL = {"error": "F8CBAD", "warning": "FFE699"}
HINTS = {
    "MISSING_FIELD": "Điền đủ thông tin còn thiếu ở ô được tô màu.",
    "BAD_DATE": "Ghi ngày sinh dạng ngày/tháng/năm, ví dụ 13/02/1980 (hoặc chỉ năm sinh).",
    "GENDER_CONFLICT": "Ghi ngày sinh vào đúng cột Nam hoặc Nữ, hoặc sửa cột “Giới tính”.",
    "UNKNOWN_AWARD": "Chọn hình thức trong danh sách thả xuống của cột “Hình thức đề nghị”.",
    "SUBJECT_MISMATCH": "Sửa cột “Đối tượng” (Tập thể/Cá nhân) hoặc hình thức cho đúng đối tượng.",
    "DUPLICATE": "Bỏ dòng trùng; nếu là hai người khác nhau, ghi đúng ngày sinh của từng người.",
    "CRITERIA_NOT_MET": "Bổ sung căn cứ còn thiếu (danh hiệu năm trước, sáng kiến…) hoặc bỏ đề nghị này.",
    "QUOTA_EXCEEDED": "Giảm số người được đề nghị cho đúng tỷ lệ.",
    "LEGACY_ENCODING": "Gõ lại bằng Unicode (bộ gõ Unikey, bảng mã Unicode).",
    "BAD_FILE": "Lưu lại tệp dạng .xlsx rồi gửi lại.",
}
_COLUMN_ALIASES = {"Hình thức": "Hình thức đề nghị", "Tên tập thể": "Họ và tên"}


@dataclass
class Item:
    """One finding brought back to the unit's own file."""

    finding: Finding
    file: str  # the unit's file name
    sheet: str
    row: int | None
    name: str = ""


@dataclass
class UnitFeedback:
    unit_code: str
    unit: str
    email: str = ""
    source: Path | None = None  # the unit's own file, copied and marked
    items: list[Item] = field(default_factory=list)
    out: Path | None = None


def _source_columns(master: Path, rep) -> dict[tuple[str, int], tuple[str, int]]:
    """(unit sheet, master row) -> (unit file name, row in that file), from the hidden columns."""
    from .workbook.ledger import SOURCE_FILE, SOURCE_ROW
    from .workbook.rows import read_sheet_rows

    out = {}
    sheets = [s for s in rep.header_row]
    for sheet, rows in read_sheet_rows(str(master), sheets).items():
        h = rep.header_row[sheet] - 1
        if h >= len(rows):
            continue
        names = [fold(clean(c)) for c in rows[h]]
        if fold(SOURCE_FILE) not in names or fold(SOURCE_ROW) not in names:
            continue
        jf, jr = names.index(fold(SOURCE_FILE)), names.index(fold(SOURCE_ROW))
        for i in range(h + 1, len(rows)):
            row = rows[i]
            f = clean(row[jf]) if jf < len(row) else ""
            try:
                r = int(float(row[jr])) if jr < len(row) and row[jr] not in (None, "") else None
            except (TypeError, ValueError):
                r = None
            if f and r:
                out[(sheet, i + 1)] = (f, r)
    return out


def gather(paths: list[Path], *, year: int | None = None, history=None) -> tuple[list[UnitFeedback], object]:
    """The findings of paths, per unit, each pointing at the unit's own file and row."""
    from .intake import read_paths
    from .pipeline import check, resolve_year
    from .workbook.ledger import last_receipts, read_receipts

    intake = read_paths(paths)
    if intake.files and all(not f.ok for f in intake.files):
        raise UserError(" ".join(f.message for f in intake.findings if f.code == "BAD_FILE") or
                        "Không đọc được tệp nào.")
    y = resolve_year(year, intake)
    findings = check(intake, y, history) + [f for f in intake.findings if f.severity == ERROR]
    reports = {f.file: f for f in intake.files}
    path_of = {f.file: Path(f.path) for f in intake.files}
    masters = [f for f in intake.files if f.kind == "master"]
    source_of: dict[tuple[str, str, int], tuple[str, int]] = {}
    ledger: dict[str, object] = {}
    for m in masters:
        for (sheet, r), src in _source_columns(Path(m.path), m).items():
            source_of[(m.file, sheet, r)] = src
        ledger.update(last_receipts(read_receipts(m.path)))
    units = intake.units
    email = dict(zip(units["unit_code"], units["email"])) if len(units) else {}
    name_of = dict(zip(units["unit_code"], units["unit"])) if len(units) else {}
    sheet_unit = dict(zip(units["sheet"], units["unit_code"])) if len(units) else {}
    noms = intake.nominations
    who = {(f, s, int(r)): (c, n) for f, s, r, c, n in zip(noms["file"], noms["sheet"], noms["row"],
                                                        noms["unit_code"], noms["ho_ten"])}
    out: dict[str, UnitFeedback] = {}
    for f in findings:
        if f.severity == INFO:
            continue
        rep = reports.get(f.file or "")
        key = (f.file, f.sheet, int(f.row)) if f.row is not None else None
        code, name = who.get(key, ("", "")) if key else ("", "")
        if not code:
            code = (sheet_unit.get(f.sheet or "") if rep is not None and rep.kind == "master" else
                    (rep.unit_code if rep is not None else "")) or \
                   next((c for c, n in name_of.items() if n == f.unit), "")
        if not code:
            continue
        fb = out.setdefault(code, UnitFeedback(code, name_of.get(code, f.unit or code), clean(email.get(code, ""))))
        if rep is not None and rep.kind == "master":
            src = source_of.get(key) if key else None
            receipt = ledger.get(code)
            file = src[0] if src else (receipt.file if receipt else "")
            fb.items.append(Item(f, file, "", src[1] if src else None, clean(name)))
            if receipt is not None and receipt.path and Path(receipt.path).is_file() and \
                    (src is None or src[0] == receipt.file):
                fb.source = Path(receipt.path)
        else:
            fb.items.append(Item(f, f.file or "", f.sheet or "", f.row, clean(name)))
            if f.file in path_of and fb.source is None:
                fb.source = path_of[f.file]
    return [u for u in out.values() if u.items], intake


def _fix_sheet(ws, fb: UnitFeedback, year) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.cell(1, 1, f"NỘI DUNG CẦN SỬA – {fb.unit} – DANH SÁCH ĐỀ NGHỊ NĂM {year or ''}").font = Font(bold=True, size=14)
    ws.cell(2, 1, "Số dòng là số dòng trong tệp của đơn vị; các ô cần sửa được tô màu và có ghi chú.")
    for j, h in enumerate(FIX_HEADERS, 1):
        c = ws.cell(4, j, h)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDEBF7")
        c.border = border
    for i, it in enumerate(fb.items, 1):
        f = it.finding
        values = [i, it.file, it.sheet, it.row, f.column or "", it.name, "Lỗi" if f.severity == ERROR else "Cảnh báo",
                  f"{code_label(f.code)}: {f.message}", HINTS.get(f.code, "Xem nội dung và sửa cho đúng."),
                  f.legal_basis or ""]
        for j, v in enumerate(values, 1):
            c = ws.cell(4 + i, j, v)
            c.border = border
            c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(4 + i, 7).fill = PatternFill("solid", fgColor=FILL.get(f.severity, "FFE699"))
    for j, w in enumerate(FIX_WIDTHS, 1):
        ws.column_dimensions[ws.cell(4, j).column_letter].width = w
    ws.freeze_panes = "A5"
    ws.print_title_rows = "4:4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _mark_cells(wb, fb: UnitFeedback) -> None:
    """Colour and comment each cell at fault in the copy of the unit's own file."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    from .intake import read_paths

    rep = read_paths([fb.source]).files[0]
    for it in fb.items:
        if it.row is None or it.file != fb.source.name:
            continue
        sheet = it.sheet or next(iter(rep.header_row), "")
        if sheet not in wb.sheetnames or sheet not in rep.header_row:
            continue
        ws = wb[sheet]
        it.sheet = sheet
        canon = _COLUMN_ALIASES.get(it.finding.column or "", it.finding.column or "Họ và tên")
        typed = {v: k for k, v in rep.mapped.get(sheet, {}).items()}
        hr = rep.header_row[sheet]
        col = None
        for c in ws[hr]:
            text = fold(clean(c.value))
            if text and text in (fold(canon), fold(typed.get(canon, ""))):
                col = c.column
                break
        if col is None:
            col = next((c.column for c in ws[hr] if fold(clean(c.value)) in (fold("Họ và tên"),
                                                                             fold(typed.get("Họ và tên", "")))), 1)
        cell = ws.cell(it.row, col)
        cell.fill = PatternFill("solid", fgColor=FILL.get(it.finding.severity, "FFE699"))
        note = f"{code_label(it.finding.code)}: {it.finding.message}"
        old = cell.comment.text + "\n" if cell.comment else ""
        cell.comment = Comment((old + note)[:2000], "Sở Y tế")


def write_feedback(units: list[UnitFeedback], out_dir: Path, year=None, master: Path | None = None) -> list[Path]:
    """`<Mã đơn vị>.xlsx` per unit with findings, and `phan-hoi.json` (who gets what) for `email --feedback`."""
    import openpyxl

    from .fileio import atomic_path, write_json
    from .workbook.split import unit_file_name

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fb in units:
        target = out_dir / unit_file_name(fb.unit_code)
        with atomic_path(target, suffix=".xlsx") as tmp:
            if fb.source is not None and fb.source.suffix.lower() in (".xlsx", ".xlsm"):
                shutil.copyfile(fb.source, tmp)
                wb = openpyxl.load_workbook(tmp)
                _mark_cells(wb, fb)
            else:  # the unit's file is not at hand: the list alone, rows still numbered as in it
                wb = openpyxl.Workbook()
                wb.remove(wb.active)
            if FIX_SHEET in wb.sheetnames:
                del wb[FIX_SHEET]
            ws = wb.create_sheet(FIX_SHEET, 0)
            _fix_sheet(ws, fb, year)
            wb.active = 0
            for other in wb.worksheets[1:]:
                other.sheet_view.tabSelected = False
            wb.save(tmp)
        fb.out = target
        written.append(target)
    write_json(out_dir / INDEX_FILE, {
        "year": year, "master": str(master) if master else None,
        "units": [{"unit_code": u.unit_code, "unit": u.unit, "email": u.email, "file": u.out.name,
                   "source": str(u.source) if u.source else None, "findings": len(u.items),
                   "errors": sum(it.finding.severity == ERROR for it in u.items)} for u in units]})
    return written


def check_out_dir(out_dir: Path, paths: list[Path]) -> None:
    """The feedback folder must not be a folder of the inputs: a folder that is only read gets no new file."""
    o = out_dir.resolve()
    for p in paths:
        p = Path(p)
        folder = p if p.is_dir() else p.parent
        if p.exists() and (o == p.resolve() or (o == folder.resolve() and p.is_dir())):
            raise UserError(f"Thư mục kết quả “{out_dir}” cũng là thư mục đầu vào: hãy chọn thư mục khác "
                            "(ví dụ “phan-hoi”).")


def feedback(paths: list[str | os.PathLike], out_dir: str | os.PathLike, *, year: int | None = None,
             history=None) -> tuple[list[UnitFeedback], list[Path]]:
    """Gather the findings per unit and write the units' feedback files into out_dir."""
    paths = [Path(p) for p in paths]
    out_dir = Path(out_dir)
    check_out_dir(out_dir, paths)
    units, intake = gather(paths, year=year, history=history)
    master = next((Path(f.path) for f in intake.files if f.kind == "master"), None)
    from .pipeline import resolve_year

    written = write_feedback(units, out_dir, resolve_year(year, intake), master)
    return units, written
