"""`thidua decisions import FILE --into MASTER`: a higher level's decision comes back onto the rows.

The province, the Bộ or the State grants what the Sở proposed with a decision and its
annex list. Read that list (an Excel list, or a Word document whose table lists the
people, as the Sở's own annexes do), find each named person or collective among the
master's rows, and write the decision's number and date in the row's `Số quyết định`,
`Ngày quyết định` columns: from then on the row counts as granted (báo cáo, register).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import load_catalog
from .errors import UserError
from .schema import DECISION_LIST_HEADERS
from .text import clean, date_text, fold, name_key, parse_date

LIST_HEADERS = DECISION_LIST_HEADERS
_NUMBER = re.compile(r"\bSố\s*:?\s*([0-9]+\s*/\s*[0-9]{0,4}\s*/?\s*[A-ZĐa-zđ0-9\-–]+)", re.U)
_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I | re.U)


@dataclass
class ListedRow:
    ho_ten: str
    birth_year: int | None
    award: str | None
    so_quyet_dinh: str
    ngay_quyet_dinh: str
    where: str


@dataclass
class DecisionImport:
    """What an import found and did: rows marked, names not found, names matching several rows."""

    listed: int = 0
    marked: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    backup: Path | None = None


def _docx_rows(path: Path) -> tuple[list[list], str]:
    """Every table row of a Word document (cells as text) and the text outside the tables."""
    from docx import Document

    doc = Document(str(path))
    rows = []
    for table in doc.tables:
        for tr in table.rows:
            cells, seen = [], set()
            for c in tr.cells:  # a merged cell repeats: keep it once
                if id(c._tc) not in seen:
                    seen.add(id(c._tc))
                    cells.append(clean(c.text))
            rows.append(cells)
    text = "\n".join(p.text for p in doc.paragraphs)
    for section in doc.sections:
        text += "\n" + "\n".join(p.text for p in section.first_page_header.paragraphs)
    for table in doc.tables[:1]:  # the header block (Số …, ngày …) is a table in NĐ 30 documents
        text += "\n" + "\n".join(c.text for r in table.rows for c in r.cells)
    return rows, text


def read_decision_list(path: str | os.PathLike, number: str = "", date: str = "", award: str = "") -> list[ListedRow]:
    """The people a decision's annex names, with the decision's number and date and the award."""
    from .intake import find_table, open_workbook

    path = Path(path)
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp “{path}”.")
    cat = load_catalog()
    text = ""
    if path.suffix.lower() == ".docx":
        rows, text = _docx_rows(path)
    elif path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        wb, reason = open_workbook(path)
        if wb is None:
            raise UserError(f"Không đọc được tệp “{path.name}”: {reason}.")
        rows = []
        for name in wb.sheet_names:
            got = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            if find_table(got, LIST_HEADERS, ("Họ và tên",)) is not None:
                rows = got
                break
    else:
        raise UserError(f"Tệp danh sách quyết định “{path.name}” phải là .xlsx hoặc .docx.")
    table = find_table(rows, LIST_HEADERS, ("Họ và tên",))
    if table is None:
        raise UserError(f"Tệp “{path.name}” không có bảng danh sách với cột “Họ và tên”.")
    number = clean(number) or (m.group(1).replace(" ", "") if (m := _NUMBER.search(text)) else "")
    if not date and (d := _DATE.search(text)):
        date = f"{int(d.group(1)):02d}/{int(d.group(2)):02d}/{d.group(3)}"
    default_award = cat.match(award) if award else None
    if award and default_award is None:
        raise UserError(f"Không nhận ra hình thức khen thưởng “{award}”.")
    col = {LIST_HEADERS[c][0]: j for j, c in table.columns.items()}
    heading_award = None
    out = []
    for i in range(table.header_idx + 1, len(rows)):
        row = rows[i]
        get = lambda k: row[col[k]] if k in col and col[k] < len(row) else None  # noqa: E731
        texts = [clean(c) for c in row if clean(c)]
        if len(set(texts)) == 1:  # a heading row: "1. Bằng khen của …", "I. CÁ NHÂN (12)", a unit
            heading = re.sub(r"^\s*[0-9IVX]+\s*[.)]\s*", "", texts[0])
            heading_award = cat.match(re.sub(r"\s*\(\d+\)\s*$", "", heading)) or heading_award
            continue
        name = clean(get("ho_ten"))
        if not name or fold(name) in ("ho va ten", "tong cong", "cong"):
            continue
        birth = parse_date(get("ngay_sinh"))
        out.append(ListedRow(name, birth.year, cat.match(get("hinh_thuc")) or heading_award or default_award,
                             clean(get("so_quyet_dinh")) or number, _date_text(get("ngay_quyet_dinh")) or date,
                             f"{path.name}, dòng {i + 1}"))
    if not out:
        raise UserError(f"Tệp “{path.name}” không có người nào trong danh sách.")
    if not all(r.so_quyet_dinh for r in out):
        raise UserError(f"Chưa rõ số quyết định của “{path.name}”: ghi --so SỐ (ví dụ --so 1234/QĐ-UBND).")
    return out


def _date_text(value) -> str:
    d = parse_date(value)
    return date_text(d.date)


def import_decision(path, master, *, number: str = "", date: str = "", award: str = "",
                    dry_run: bool = False) -> DecisionImport:
    """Mark the master's rows the decision's list names (same name, birth year when given, award when known)."""
    from .fileio import backup
    from .intake import read_paths
    from .workbook.patch import SheetData, replace_sheet_rows
    from .workbook.rows import unit_tables

    master = Path(master)
    if not master.is_file():
        raise UserError(f"Không tìm thấy tệp tổng hợp “{master}”.")
    if (master.parent / f"~${master.name}").exists():
        raise UserError(f"“{master.name}” đang mở trong Excel: hãy lưu, đóng tệp rồi chạy lại. Chưa ghi gì.")
    listed = read_decision_list(path, number, date, award)
    intake = read_paths([master])
    rep = intake.files[0] if intake.files else None
    if rep is None or rep.kind != "master":
        raise UserError(f"“{master.name}” không phải tệp tổng hợp (cần trang “Đơn vị”).")
    noms = intake.nominations.reset_index(drop=True)
    keys = [name_key(n) for n in noms["ho_ten"]]
    cat = load_catalog()
    result = DecisionImport(listed=len(listed))
    marks: dict[int, ListedRow] = {}
    for item in listed:
        k = name_key(item.ho_ten)
        hits = [i for i, key in enumerate(keys) if key == k
                and (item.birth_year is None or noms["nam_sinh"].iloc[i] is None or
                     str(noms["nam_sinh"].iloc[i]) in ("<NA>", "nan") or int(noms["nam_sinh"].iloc[i]) == item.birth_year)
                and (item.award == noms["award"].iloc[i] if item.award else
                     isinstance(noms["award"].iloc[i], str) and not cat[noms["award"].iloc[i]].decided_by_so)]
        label = f"{item.ho_ten} ({item.where})"
        if not hits:
            result.not_found.append(label)
        elif len(hits) > 1:
            result.ambiguous.append(label)
        else:
            marks[hits[0]] = item
            result.marked.append(f"{item.ho_ten} – {cat[noms['award'].iloc[hits[0]]].name}: {item.so_quyet_dinh}"
                                 + (f" ngày {item.ngay_quyet_dinh}" if item.ngay_quyet_dinh else ""))
    if dry_run or not marks:
        return result
    by_row = {(noms["file"].iloc[i], noms["sheet"].iloc[i], int(noms["row"].iloc[i])): item for i, item in marks.items()}
    sheets = {}
    for code, table in unit_tables(noms).items():
        part = noms[noms["unit_code"] == code]
        headers = table.headers
        for h in ("Số quyết định", "Ngày quyết định"):
            if h not in headers:
                headers.append(h)
                table.extra_headers.append(h)
                for r in table.rows:
                    r.append(None)
        pos = {h: headers.index(h) for h in ("Số quyết định", "Ngày quyết định")}
        changed = False
        for r, rec in zip(table.rows, part.itertuples(index=False)):
            item = by_row.get((rec.file, rec.sheet, int(rec.row)))
            if item is not None:
                r[pos["Số quyết định"]] = item.so_quyet_dinh
                r[pos["Ngày quyết định"]] = item.ngay_quyet_dinh or None
                changed = True
        if changed:
            sheet = part["sheet"].iloc[0]
            sheets[sheet] = SheetData(rep.header_row[sheet], headers, table.rows,
                                      text_headers=("Ngày sinh", "Số CCCD", "Số quyết định", "Ngày quyết định"))
    result.backup = backup(master)
    replace_sheet_rows(master, sheets)
    return result


__all__ = ["import_decision", "read_decision_list", "DecisionImport"]
