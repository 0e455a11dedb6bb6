"""`thidua collect`: the units' returned files into the master, without losing anything.

Order of a run: read the master and every returned file once (intake, calamine); tell
whose file is whose (the code written by `split`, else the `Đơn vị:` title, else the file
name); refuse what cannot be attributed or read; print per unit what changed since its
previous submission (the rows now in the master); then, unless --dry-run, back the
master up and rewrite only the rows of the units' sheets, in one atomic save.
"""
from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..catalog import SUBJECT_LABEL, load_catalog
from ..errors import UserError
from ..fileio import backup
from ..intake import INITIATIVES_SHEET, expand_paths, read_paths
from ..intake.units import UnitRegistry
from ..text import clean, date_text, fold
from .layout import INITIATIVE_LAYOUT, NOMINATION_LAYOUT
from .ledger import (LEDGER_HEADERS, LEDGER_SHEET, REPLACE, SOURCE_FILE, SOURCE_HEADERS, SOURCE_ROW, SUPPLEMENT,
                     Receipt, add_ledger_sheet, read_receipts)
from ..locks import master_lock
from .patch import SheetData, replace_sheet_rows
from .rows import UnitTable, initiative_rows_from_frame, unit_tables

COMPARED = (("ngay_sinh_raw", "Ngày sinh"), ("gioi_tinh", "Giới tính"), ("chuc_vu", "Chức vụ"),
            ("khoa_phong", "Khoa, phòng"), ("subject", "Đối tượng"), ("sang_kien", "Sáng kiến"),
            ("ghi_chu", "Ghi chú"))


@dataclass
class UnitChange:
    """What one unit's returned file changes in the master."""

    unit_code: str
    unit: str
    file: str
    sheet: str
    rows_before: int
    rows_after: int
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    initiatives: int | None = None  # rows of its initiatives table, None when the file has none
    warnings: list[str] = field(default_factory=list)
    mode: str = REPLACE  # or SUPPLEMENT: the file's rows are added to the unit's list
    initiatives_changed: bool = False

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.changed or self.initiatives_changed)


@dataclass
class Refusal:
    file: str
    reason: str


@dataclass
class CollectReport:
    master: Path
    dry_run: bool
    units: list[UnitChange] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    skipped: list[Refusal] = field(default_factory=list)  # older copies of a unit's file: not an error
    backup: Path | None = None
    written: bool = False
    files: int = 0
    receipts: list = field(default_factory=list)

    @property
    def nothing_changed(self) -> bool:
        return bool(self.units) and all(u.unchanged for u in self.units)

    @property
    def exit_code(self) -> int:
        """1 when some returned file was refused (the others were still collected)."""
        return 1 if self.refused else 0

    def lines(self, limit: int = 25) -> list[str]:
        """The change report in Vietnamese: a line per unit, then up to `limit` rows that changed."""
        out: list[str] = []
        for u in self.units:
            head = f"{u.unit} ({u.unit_code}) – tệp “{u.file}”: {u.rows_before} → {u.rows_after} dòng"
            if u.mode == SUPPLEMENT:
                head += f" (bổ sung {len(u.added)} dòng vào danh sách đã có)"
            elif u.unchanged:
                head += ", không thay đổi"
            elif u.rows_before == 0:
                head += " (lần gửi đầu tiên)"
            else:
                head += f": thêm {len(u.added)}, bỏ {len(u.removed)}, sửa {len(u.changed)}"
            if u.initiatives:
                head += f"; {u.initiatives} sáng kiến, đề tài"
            out.append(head)
            if u.rows_before and u.mode != SUPPLEMENT:
                items = [f"  + {x}" for x in u.added] + [f"  − {x}" for x in u.removed] + \
                        [f"  ~ {x}" for x in u.changed]
                out += items[:limit]
                if len(items) > limit:
                    out.append(f"  … và {len(items) - limit} thay đổi khác.")
            out += [f"  ! {w}" for w in u.warnings]
        for r in self.skipped:
            out.append(f"Bỏ qua tệp “{r.file}”: {r.reason}")
        for r in self.refused:
            out.append(f"Không nhập tệp “{r.file}”: {r.reason}")
        return out

    def to_dict(self) -> dict:
        return {
            "master": str(self.master), "dry_run": self.dry_run, "written": self.written,
            "backup": str(self.backup) if self.backup else None, "files": self.files,
            "units": [u.__dict__ for u in self.units],
            "refused": [r.__dict__ for r in self.refused],
            "skipped": [r.__dict__ for r in self.skipped],
        }


def _label(rec, award_names: dict[str, str]) -> str:
    name = clean(rec.ho_ten)
    year = rec.nam_sinh
    who = f"{name} ({int(year)})" if year is not None and not pd.isna(year) else name
    award = award_names.get(rec.award) if isinstance(rec.award, str) else None
    return f"{who} – {award or clean(rec.hinh_thuc) or '(chưa ghi hình thức)'}"


def _key(rec) -> tuple[str, str]:
    award = rec.award if isinstance(rec.award, str) and rec.award else "?" + fold(rec.hinh_thuc)
    return rec.person_key, award


def _values(rec) -> dict[str, str]:
    out = {label: clean(getattr(rec, col)) for col, label in COMPARED}
    out["Đối tượng"] = SUBJECT_LABEL.get(rec.subject, "") if isinstance(rec.subject, str) else ""
    d = rec.ngay_sinh
    if d is not None and not pd.isna(d):
        out["Ngày sinh"] = date_text(d)  # a date typed as text or as a date is the same date
    elif rec.nam_sinh is not None and not pd.isna(rec.nam_sinh):
        out["Ngày sinh"] = str(int(rec.nam_sinh))
    return out


def diff_rows(before: pd.DataFrame, after: pd.DataFrame) -> tuple[list[str], list[str], list[str]]:
    """Rows added, removed and changed, matched by person key and award (duplicates pair in order)."""
    names = {a.code: a.name for a in load_catalog()}
    old: dict[tuple, list] = {}
    for rec in before.itertuples(index=False):
        old.setdefault(_key(rec), []).append(rec)
    added, changed = [], []
    seen: Counter = Counter()
    for rec in after.itertuples(index=False):
        k = _key(rec)
        i = seen[k]
        seen[k] += 1
        if i < len(old.get(k, [])):
            prev = old[k][i]
            a, b = _values(prev), _values(rec)
            diffs = [f"{lbl}: “{a[lbl]}” → “{b[lbl]}”" for lbl in a if a[lbl] != b[lbl]]
            if diffs:
                changed.append(f"{_label(rec, names)}: " + "; ".join(diffs))
        else:
            added.append(_label(rec, names))
    removed = [_label(rec, names) for k, recs in old.items() for rec in recs[seen.get(k, 0):]]
    return added, removed, changed


MASTER_FIELDS = ("ket_qua_xet", "so_quyet_dinh", "ngay_quyet_dinh")


def master_values(before: pd.DataFrame, after: pd.DataFrame) -> list[list]:
    """The Sở's own columns (Kết quả xét, a higher decision) of each returned row, from the same person and
    award in the master before (copies paired in order); a new row gets none. Rows as unit_tables orders them."""
    old: dict[tuple, list] = {}
    for rec in before.itertuples(index=False):
        old.setdefault(_key(rec), []).append([getattr(rec, f, "") or None for f in MASTER_FIELDS])
    ordered = pd.concat([g for _s, g in after.groupby("sheet", sort=False)]) if len(after) else after
    out = []
    for rec in ordered.itertuples(index=False):
        got = old.get(_key(rec))
        out.append(got.pop(0) if got else [None] * len(MASTER_FIELDS))
    return out


def _master_sheet(report, code: str, unit: str, sheet: str) -> str | None:
    folded = {fold(n): n for n in report.sheets}
    for cand in (sheet, code, unit):
        if cand and fold(cand) in folded:
            return folded[fold(cand)]
    return None


def is_supplement(path: Path, table: UnitTable | None) -> bool:
    """A file whose name or title rows say "bổ sung" adds to the unit's list."""
    words = [path.stem.replace("-", " ").replace("_", " ")] + (table.titles if table else [])
    return any("bo sung" in fold(w) for w in words)


def _with_source(table: UnitTable | None, file: str, rows: list[int]) -> UnitTable:
    """The file's table with each row's source (file name, Excel row) in the hidden columns."""
    table = table or UnitTable()
    extra = [h for h in table.extra_headers if h not in SOURCE_HEADERS]
    keep = [len(NOMINATION_LAYOUT) + table.extra_headers.index(h) for h in extra]
    out = UnitTable(extra + list(SOURCE_HEADERS))
    for row, r in zip(table.rows, rows):
        out.rows.append(row[:len(NOMINATION_LAYOUT)] + [row[j] if j < len(row) else None for j in keep] + [file, r])
    return out


def _concat(first: UnitTable | None, second: UnitTable) -> UnitTable:
    """The master's table followed by a supplement's rows, numbered again."""
    first = first or UnitTable()
    headers = list(dict.fromkeys(first.extra_headers + second.extra_headers))
    n = len(NOMINATION_LAYOUT)
    out = UnitTable(headers)
    for t in (first, second):
        pos = {h: n + i for i, h in enumerate(t.extra_headers)}
        for row in t.rows:
            out.rows.append(row[:n] + [row[pos[h]] if h in pos and pos[h] < len(row) else None for h in headers])
    for i, row in enumerate(out.rows):
        row[0] = i + 1
    return out


def _initiative_tuples(df: pd.DataFrame) -> list[tuple]:
    cols = ["ten", "loai", "cap", "tac_gia", "nam"]
    return sorted(tuple(clean(v) for v in rec) for rec in df[cols].itertuples(index=False, name=None))


def _shared_sheets(mrep, unit_name: dict, unit_sheet: dict) -> dict[str, list[str]]:
    """{sheet: [unit codes]} for master sheets the `Đơn vị` list gives to more than one unit."""
    from ..identity import sheet_conflicts

    assigned = [(c, n, _master_sheet(mrep, c, n, unit_sheet.get(c, ""))) for c, n in unit_name.items()]
    return {s: [c for c, _n in us] for s, us in sheet_conflicts([a for a in assigned if a[2]]).items()}


def collect(folder: str | os.PathLike, master: str | os.PathLike, dry_run: bool = False, *,
            backup_dir: str | os.PathLike | None = None, supplement: bool = False, year_ok: bool = False,
            now: dt.datetime | None = None) -> CollectReport:
    """Collect the unit files of folder (or one file) into master; returns what was (or would be) done.

    A unit's file replaces the unit's rows, unless it is a supplement (`supplement`, or "bổ sung" in
    its name or title), whose rows are added. A file of another year than the master's is refused
    unless `year_ok`. When nothing would change, nothing is written. A run that may write holds the
    master's lock from before it reads the master until it has written it, so two runs at once cannot
    each add their units to the same old rows.
    """
    kw = dict(backup_dir=backup_dir, supplement=supplement, year_ok=year_ok, now=now)
    if dry_run or not Path(master).is_file():
        return _collect(folder, master, dry_run, **kw)
    with master_lock(master):
        return _collect(folder, master, dry_run, **kw)


def _collect(folder: str | os.PathLike, master: str | os.PathLike, dry_run: bool = False, *,
             backup_dir: str | os.PathLike | None = None, supplement: bool = False, year_ok: bool = False,
             now: dt.datetime | None = None) -> CollectReport:
    master = Path(master)
    if not master.is_file():
        raise UserError(f"Không tìm thấy tệp tổng hợp “{master}”.")
    if master.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UserError(f"Tệp tổng hợp phải là .xlsx hoặc .xlsm (đã cho: “{master.name}”).")
    if not dry_run:
        _refuse_if_open(master)
    files, missing = expand_paths([folder])
    if missing:
        raise UserError(" ".join(f.message for f in missing))
    files = [f for f in files if f.resolve() != master.resolve()]
    report = CollectReport(master=master, dry_run=dry_run, files=len(files))
    intake = read_paths([master, *files], keep_rows=True)
    mrep = intake.files[0]
    if not mrep.ok or mrep.kind != "master":
        reasons = " ".join(f.message for f in intake.findings if f.code == "BAD_FILE" and f.file == master.name)
        raise UserError(f"“{master.name}” không dùng được làm tệp tổng hợp. " + (reasons or
                        "Cần trang “Đơn vị” với các cột “Mã đơn vị”, “Tên đơn vị”."))
    units = intake.units
    unit_name = dict(zip(units["unit_code"], units["unit"]))
    unit_sheet = dict(zip(units["unit_code"], units["sheet"]))
    bad_files = {f.file for f in intake.findings if f.code == "BAD_FILE"}  # any BAD_FILE: keep the old rows
    chosen: dict[str, object] = {}
    for rep, path in zip(intake.files[1:], files):
        if not rep.ok or rep.file in bad_files:
            why = "; ".join(f.message for f in intake.findings if f.code == "BAD_FILE" and f.file == rep.file)
            report.refused.append(Refusal(rep.file, (why or "tệp không đọc được") +
                                          " Trang của đơn vị trong tệp tổng hợp được giữ nguyên."))
            continue
        if rep.kind == "master":
            report.refused.append(Refusal(rep.file, "đây là một tệp tổng hợp, không phải tệp của đơn vị."))
            continue
        if rep.unit_conflict:  # whose rows these are is unknown: overwrite nobody's
            report.refused.append(Refusal(rep.file, rep.unit_conflict + " Trang của các đơn vị trong tệp tổng hợp "
                                                                        "được giữ nguyên."))
            continue
        if rep.unit_code not in unit_name:
            near = UnitRegistry(units).closest(rep.unit or rep.unit_code)
            hint = (" Gần giống nhất: " + ", ".join(f"“{n}”" for n in near) + ".") if near else ""
            report.refused.append(Refusal(rep.file, (
                f"không xác định được đơn vị: mã/tên “{rep.unit_code or rep.unit}” không khớp với đúng một đơn vị "
                f"trong trang “Đơn vị” của tệp tổng hợp.{hint} Hãy đặt tên tệp theo mã đơn vị, hoặc ghi dòng "
                "“Đơn vị: <tên đơn vị>” phía trên bảng.")))
            continue
        prev = chosen.get(rep.unit_code)
        if prev is not None:
            older, newer = sorted([prev, (rep, path)], key=lambda rp: rp[1].stat().st_mtime)
            chosen[rep.unit_code] = newer
            report.skipped.append(Refusal(older[0].file, f"đã có tệp mới hơn của cùng đơn vị "
                                                         f"(“{newer[0].file}”), chỉ nhập tệp mới hơn."))
            continue
        chosen[rep.unit_code] = (rep, path)

    noms = intake.nominations
    by_path = dict(iter(noms.groupby("path", sort=False)))  # one split, not a mask per unit
    empty = noms.iloc[:0]
    master_rows = by_path.get(str(master), empty)
    in_master = dict(iter(master_rows.groupby("unit_code", sort=False)))
    sheets: dict[str, SheetData] = {}
    collected_paths = {str(p) for _r, p in chosen.values()}
    tables = unit_tables(noms[noms["path"].isin(collected_paths)], intake.raw_rows)
    supplements = [code for code, (rep, path) in chosen.items()
                   if supplement or is_supplement(path, tables.get(code))]
    master_tables = unit_tables(master_rows[master_rows["unit_code"].isin(supplements)], intake.raw_rows) \
        if supplements else {}
    shared = _shared_sheets(mrep, unit_name, unit_sheet)
    for code, (rep, path) in chosen.items():
        sheet = _master_sheet(mrep, code, unit_name[code], unit_sheet.get(code, ""))
        if sheet in shared:
            report.refused.append(Refusal(rep.file, (
                f"trang “{sheet}” của tệp tổng hợp được gán cho nhiều đơn vị ({', '.join(shared[sheet])}) trong "
                "trang “Đơn vị”: ghi vào sẽ đè danh sách của đơn vị khác. Hãy sửa trang “Đơn vị” rồi chạy lại.")))
            continue
        header_row = mrep.header_row.get(sheet) if sheet else None
        if sheet is None or header_row is None:
            report.refused.append(Refusal(rep.file, (
                f"tệp tổng hợp không có trang của đơn vị “{unit_name[code]}”" if sheet is None else
                f"trang “{sheet}” của tệp tổng hợp không còn dòng tiêu đề bảng đề nghị") +
                "; hãy bổ sung rồi chạy lại."))
            continue
        if rep.year and intake.year and rep.year != intake.year and not year_ok:
            report.refused.append(Refusal(rep.file, (
                f"tệp ghi năm {rep.year}, tệp tổng hợp là năm {intake.year}. Nếu đúng là tệp của năm "
                f"{intake.year}, chạy lại với --year-ok. Trang của đơn vị được giữ nguyên.")))
            continue
        before = in_master.get(code, empty)
        after = by_path.get(str(path), empty)
        adding = code in supplements
        if adding:
            added, removed, changed = diff_rows(before.iloc[0:0], after)
            total = len(before) + len(after)
        else:
            added, removed, changed = diff_rows(before, after)
            total = len(after)
        change = UnitChange(code, unit_name[code], rep.file, sheet, len(before), total, added, removed, changed,
                            mode=SUPPLEMENT if adding else REPLACE)
        if rep.year and intake.year and rep.year != intake.year:
            change.warnings.append(f"tệp ghi năm {rep.year}, tệp tổng hợp là năm {intake.year} (nhập theo --year-ok).")
        if after.empty and not before.empty and not adding:
            change.warnings.append("tệp không có dòng đề nghị nào: trang của đơn vị sẽ trống.")
        table = (tables.get(code) or UnitTable()).without_master_columns()
        table = table.with_master_values(master_values(before, after))  # the Sở's own columns, kept by row
        table = _with_source(table, rep.file, [int(r) for r in after["row"]])
        if adding:
            table = _concat(master_tables.get(code), table)
        sheets[sheet] = SheetData(header_row, table.headers, table.rows,
                                  text_headers=("Ngày sinh", "Số CCCD", "Số quyết định", "Ngày quyết định"),
                                  hidden_headers=SOURCE_HEADERS)
        report.units.append(change)

    # initiatives: a unit's rows in the master's table are replaced by its file's table, if it sent one
    init_sheet = next((s for s in mrep.sheets if fold(s) == fold(INITIATIVES_SHEET)), None)
    init_header = mrep.header_row.get(init_sheet) if init_sheet else None
    sent = {}
    for change in report.units:
        rep, _path = chosen[change.unit_code]
        if any("Tên sáng kiến, đề tài" in m.values() for m in rep.mapped.values()):
            sent[change.unit_code] = rep.file
    if sent and init_header:
        inits = intake.initiatives
        adds = {c.unit_code for c in report.units if c.mode == SUPPLEMENT}
        ours = inits["file"] == master.name
        keep = inits[ours & (~inits["unit_code"].isin(list(sent)) | inits["unit_code"].isin(list(adds)))]
        new = inits[inits["file"].isin(list(sent.values()))]
        for change in report.units:
            if change.unit_code in sent:
                theirs = new[new["unit_code"] == change.unit_code]
                change.initiatives = len(theirs)
                had = inits[ours & (inits["unit_code"] == change.unit_code)]
                change.initiatives_changed = (len(theirs) > 0 if change.mode == SUPPLEMENT else
                                              _initiative_tuples(had) != _initiative_tuples(theirs))
        merged = pd.concat([keep, new], ignore_index=True) if len(new) else keep
        rows = initiative_rows_from_frame(merged, unit_name) if len(merged) else []
        sheets[init_sheet] = SheetData(init_header, [c.header for c in INITIATIVE_LAYOUT], rows)

    changed = [u for u in report.units if not u.unchanged]
    for u in report.units:  # a unit whose file changes nothing: its sheet is not rewritten
        if u.unchanged:
            sheets.pop(u.sheet, None)
    if not changed and init_sheet:
        sheets.pop(init_sheet, None)
    stamp = (now or dt.datetime.now()).replace(microsecond=0)
    report.receipts = []
    for u in changed:
        path = chosen[u.unit_code][1]
        report.receipts.append(Receipt(stamp, u.unit_code, u.unit, u.file, len(by_path.get(str(path), empty)),
                                       u.rows_after, u.mode, str(Path(path).resolve())))
    if dry_run or not sheets:
        return report
    _refuse_if_open(master)
    ledger_here = LEDGER_SHEET in mrep.sheets
    if ledger_here:
        old = read_receipts(master)
        sheets[LEDGER_SHEET] = SheetData(1, LEDGER_HEADERS, [r.row() for r in old + report.receipts])
    try:
        report.backup = backup(master, backup_dir)
        replace_sheet_rows(master, sheets)
        if not ledger_here:
            add_ledger_sheet(master, report.receipts)
    except PermissionError as exc:
        raise UserError(f"Không ghi được “{master.name}”: tệp đang mở hoặc bị khóa (hãy đóng Excel rồi chạy lại). "
                        f"({exc})") from exc
    report.written = True
    return report


def _refuse_if_open(master: Path) -> None:
    lock = master.with_name("~$" + master.name)
    if lock.exists():
        raise UserError(f"“{master.name}” đang mở trong Excel (có tệp khóa “{lock.name}”): hãy lưu, đóng tệp "
                        "rồi chạy lại. Chưa ghi gì.")


__all__ = ["collect", "CollectReport", "UnitChange", "Refusal", "diff_rows"]
