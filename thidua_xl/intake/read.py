"""Reading workbooks: masters and unit files into one Intake (nominations, initiatives, findings).

A file that cannot be read becomes a BAD_FILE finding; the others go on.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from ..catalog import CA_NHAN, TAP_THE, Catalog, load_catalog
from ..model import ERROR, WARNING, FileReport, Finding
from ..perf import gc_paused
from ..rowkinds import is_instruction_sheet
from ..text import fold
from .cells import reading_memos
from .files import Loaded, _prefetched, _visible_sheets, expand_paths, load_file, sheet_rows
from .frames import build_initiatives, build_nominations
from .headers import (CONFIG_SHEET, INITIATIVE_HEADERS, INITIATIVE_REQUIRED, INITIATIVES_SHEET,
                      META_SHEET, NARRATIVE_SHEET, NOMINATION_HEADERS, NOMINATION_REQUIRED, UNITS_SHEET,
                      _find_units_sheet, find_table)
from .headers import explain as explain_header
from .rows import initiative_columns, locate_table, nomination_columns
from .result import UNIT_COLUMNS, Intake, frame_of_lists
from .units import UnitRegistry, _key_values, _title_info, units_per_row, units_records
from . import trust

if TYPE_CHECKING:
    import polars as pl


def read_file(path: Path, catalog: Catalog, registry: UnitRegistry, intake: Intake,
              loaded: Loaded | None = None) -> tuple[list[dict[str, list]], list[dict[str, list]]]:
    """Read one workbook (master or unit file) into nomination and initiative frames."""
    report = FileReport(path=str(path), file=path.name)
    intake.files.append(report)
    if loaded is None:
        try:
            loaded = load_file(path, arrow=intake.raw_rows is None)
        except Exception as exc:  # noqa: BLE001 - one broken file must not stop the others (a reader's surprise)
            loaded = Loaded(None, f"{type(exc).__name__}: {exc}", None)
    wb, reason, scan = loaded.wb, loaded.reason, loaded.scan
    if wb is None:
        report.kind, report.ok = "bad", False
        intake.findings.append(Finding("BAD_FILE", ERROR, f"Không đọc được tệp “{path.name}”: {reason}.", file=path.name))
        return [], []
    _scan_findings(path, scan, intake)
    noms: list[dict[str, list]] = []
    inits: list[dict[str, list]] = []
    try:
        names = list(wb.sheet_names)
        report.sheets = names
        units_sheet = _find_units_sheet(names)
        cache: dict[str, list[list]] = loaded.rows

        def rows_of(name: str) -> list[list]:
            if name not in cache:
                cache[name] = sheet_rows(wb, name)[0]
            return cache[name]

        units = units_records(rows_of(units_sheet)) if units_sheet is not None else []
        is_master = units_sheet is not None and (
            bool(units) or any(fold(n) == fold(CONFIG_SHEET) for n in names))  # a fresh master has no units yet
        if is_master:
            _read_master(path, names, units_sheet, rows_of, catalog, registry, intake, report, noms, inits, units)
        else:
            _read_unit_file(path, wb, names, rows_of, catalog, registry, intake, report, noms, inits)
    except Exception as exc:  # noqa: BLE001 - one broken file must not stop the others
        report.kind, report.ok = "bad", False
        intake.findings.append(Finding("BAD_FILE", ERROR,
                                       f"Không đọc được tệp “{path.name}”: {type(exc).__name__}: {exc}.", file=path.name))
        return [], []
    finally:
        try:
            wb.close()
        except Exception:  # noqa: BLE001
            pass
    _hidden_row_findings(path, scan, noms, intake)
    trust.cell_findings(path, scan, report, noms, inits, intake)
    return noms, inits


def _scan_findings(path: Path, scan, intake: Intake) -> None:
    """What the raw pre-check saw that the values alone would hide: stray cells, formulas without values."""
    for s in (scan.sheets.values() if scan else ()):
        if s.stray_cells:
            cells = ", ".join(s.stray_cells[:5]) + (" …" if len(s.stray_cells) > 5 else "")
            where = f"sau dòng {s.trimmed_at:,}".replace(",", ".") if s.trimmed_at else "ở cột quá xa"
            intake.findings.append(Finding(
                "STRAY_CELLS", WARNING,
                f"Trang tính “{s.name}” của tệp “{path.name}” có ô dữ liệu lạc {where} (ô {cells}), cách xa bảng: "
                "đã bỏ qua. Hãy xóa các ô này trong tệp.", file=path.name, sheet=s.name))
        if s.formulas_without_value:
            cells = ", ".join(s.formulas_without_value[:10]) + (" …" if len(s.formulas_without_value) > 10 else "")
            first = re.match(r"([A-Z]+)(\d+)", s.formulas_without_value[0])
            intake.findings.append(Finding(
                "FORMULA_NO_VALUE", ERROR,
                f"Trang tính “{s.name}” của tệp “{path.name}” có {len(s.formulas_without_value)} ô công thức chưa có "
                f"giá trị tính sẵn (ô {cells}), nên đọc ra là ô trống. Hãy mở tệp bằng Excel, lưu lại rồi gửi.",
                file=path.name, sheet=s.name, row=int(first.group(2)) if first else None))


def _hidden_row_findings(path: Path, scan, noms: list[dict[str, list]], intake: Intake) -> None:
    """Hidden rows are read like the others (hiding is not withdrawing) but the user is told which."""
    if not scan:
        return
    for data in noms:
        sheet = data["sheet"]
        s = scan.sheets.get(sheet)
        if not s or not s.hidden_rows:
            continue
        hit = sorted(set(data["frame"].get_column("row").to_list()) & set(s.hidden_rows))
        if hit:
            rows = ", ".join(map(str, hit[:15])) + (" …" if len(hit) > 15 else "")
            intake.findings.append(Finding(
                "HIDDEN_ROWS", WARNING,
                f"Trang tính “{sheet}” có {len(hit)} dòng đề nghị đang bị ẩn (dòng {rows}); các dòng này vẫn được "
                "đọc và tính. Nếu đơn vị không đề nghị các trường hợp này, hãy xóa dòng thay vì ẩn.",
                file=path.name, sheet=sheet, row=hit[0]))


def _read_master(path, names, units_sheet, rows_of, catalog, registry, intake, report, noms, inits, units=None):
    report.kind = "master"
    units = units_records(rows_of(units_sheet)) if units is None else units
    for u in units:
        registry.add(u["unit_code"], u["unit"])
    known = intake.units_frame.to_dicts() + units
    last = {u["unit_code"]: i for i, u in enumerate(known)}  # a unit listed twice: the last listing counts
    known = [u for i, u in enumerate(known) if last[u["unit_code"]] == i]
    intake.units_frame = frame_of_lists({c: [u[c] for u in known] for c in UNIT_COLUMNS}, UNIT_COLUMNS)
    config_name = next((n for n in names if fold(n) == fold(CONFIG_SHEET)), None)
    if config_name:
        kv = _key_values(rows_of(config_name))
        intake.config.update({k: v for k, v in kv.items()})
        year_text = kv.get("nam") or kv.get("nam thi dua") or kv.get("nam danh gia")
        if year_text and re.fullmatch(r"\d{4}", year_text):
            report.year = int(year_text)
    narrative_name = next((n for n in names if fold(n) == fold(NARRATIVE_SHEET)), None)
    if narrative_name:
        intake.narrative.update(_key_values(rows_of(narrative_name)))
    folded_names = {fold(n): n for n in names}
    assigned = []
    for code, name, sheet in ((u["unit_code"], u["unit"], u["sheet"]) for u in units):
        sheet_name = None
        for cand in (sheet, code, name):
            if cand and fold(cand) in folded_names:
                sheet_name = folded_names[fold(cand)]
                break
        assigned.append((code, name, sheet_name))
    shared = trust.shared_sheets(path, units_sheet, assigned, intake)
    init_name = folded_names.get(fold(INITIATIVES_SHEET))
    for code, name, sheet_name in assigned:
        if sheet_name in shared:
            continue
        if sheet_name is None:
            intake.findings.append(Finding(
                "MISSING_SHEET", WARNING, f"Tệp tổng hợp không có trang tính của đơn vị “{name}” ({code}).",
                file=path.name, sheet=units_sheet, unit=name))
            continue
        _read_nomination_sheet(path, sheet_name, rows_of(sheet_name), code, name, catalog, intake, report, noms,
                               missing_header_severity=WARNING)
    if init_name:
        _read_initiative_sheet(path, init_name, rows_of(init_name), "", "", intake, report, inits, registry)


def _read_unit_file(path, wb, names, rows_of, catalog, registry, intake, report, noms, inits):
    report.kind = "unit"
    meta_name = next((n for n in names if n == META_SHEET), None)
    code, unit, source = "", "", ""
    if meta_name:
        kv = _key_values(rows_of(meta_name))
        code, unit = kv.get("ma don vi", ""), kv.get("ten don vi", "")
        if kv.get("nam", "").isdigit():
            report.year = int(kv["nam"])
        source = META_SOURCE
    hidden_code = code
    visible = [n for n in _visible_sheets(wb) if n != META_SHEET]
    for n in names:
        if n == META_SHEET or n in visible:
            continue
        try:
            hidden_table = find_table(rows_of(n), NOMINATION_HEADERS, NOMINATION_REQUIRED)
        except Exception:  # noqa: BLE001 - a chart sheet has no cells
            hidden_table = None
        if hidden_table is not None:
            intake.findings.append(Finding(
                "HIDDEN_SHEET", WARNING,
                f"Trang tính ẩn “{n}” của tệp “{path.name}” có bảng đề nghị nhưng không được đọc (trang ẩn được coi là "
                "không gửi). Nếu cần tính, hãy bỏ ẩn trang tính rồi gửi lại.", file=path.name, sheet=n))
    nomination_sheets = []
    init_sheets = []
    for n in visible:
        if is_instruction_sheet(n):
            continue  # a template's "Hướng dẫn", code list or example sheet
        rows = rows_of(n)
        t = locate_table(rows)
        if t is not None:
            nomination_sheets.append((n, rows, t))
            continue
        ti = find_table(rows, INITIATIVE_HEADERS, INITIATIVE_REQUIRED)
        if ti is not None:
            init_sheets.append((n, rows, ti))
    if not code:
        for n, rows, t in nomination_sheets:
            title_unit, title_year = _title_info(rows, t.header_idx)
            if report.year is None and title_year:
                report.year = title_year
            if title_unit and not unit:
                hit = registry.find(title_unit)
                code, unit = hit if hit else ("", title_unit)
                source = TITLE_SOURCE
    if not code and not unit:
        hit = registry.find(path.stem)
        if hit:
            code, unit = hit
        else:
            code, unit = path.stem, path.stem
        source = "tên tệp"
    elif not code:
        hit = registry.find(unit)
        if hit:
            code, unit = hit
    elif not unit:
        hit = registry.find(code)
        unit = hit[1] if hit else code
    report.unit_code, report.unit, report.unit_source = code, unit, source
    trust.identity_check(path, hidden_code, nomination_sheets, registry, report, intake)
    if not nomination_sheets:
        report.ok = False
        why = [f"trang “{n}”: {explain_header(rows_of(n), NOMINATION_HEADERS, NOMINATION_REQUIRED)}"
               for n in visible[:3]]
        intake.findings.append(Finding(
            "BAD_FILE", ERROR,
            f"Tệp “{path.name}” không có bảng đề nghị (cần dòng tiêu đề có cột “Họ và tên” và “Hình thức đề nghị”): "
            + "; ".join(why) + ".", file=path.name, unit=unit))
    start = len(noms)
    for n, rows, t in nomination_sheets:
        _read_nomination_sheet(path, n, rows, code, unit, catalog, intake, report, noms, table=t)
    units_per_row(noms[start:], registry, own_unit_known=source in (META_SOURCE, TITLE_SOURCE))
    for n, rows, ti in init_sheets:
        _read_initiative_sheet(path, n, rows, code, unit, intake, report, inits, registry, table=ti)


META_SOURCE = "mã đơn vị ghi trong tệp"
TITLE_SOURCE = "dòng “Đơn vị: …” trong tệp"


def _read_nomination_sheet(path, sheet, rows, code, unit, catalog, intake, report, noms,
                           missing_header_severity=ERROR, table=None):
    table = table or locate_table(rows)
    if table is None:
        if any(any(c not in (None, "") for c in r) for r in rows):
            intake.findings.append(Finding(
                "BAD_FILE", missing_header_severity,
                f"Trang tính “{sheet}” không có dòng tiêu đề của bảng đề nghị (cần cột “Họ và tên” và “Hình thức đề nghị”): "
                f"{explain_header(rows, NOMINATION_HEADERS, NOMINATION_REQUIRED)}.",
                file=path.name, sheet=sheet, unit=unit))
        return
    report.header_row[sheet] = table.header_idx + 1
    report.mapped[sheet] = table.headers_typed
    report.missing[sheet] = table.missing
    report.extra[sheet] = table.extra
    seen = set()
    while table is not None and table.header_idx not in seen:  # a sheet may hold several tables
        seen.add(table.header_idx)
        data = nomination_columns(rows, table, file=path.name, path=str(path), sheet=sheet, unit_code=code,
                                  unit=unit, default_award=table.default_award)
        report.rows += data["frame"].height
        if intake.raw_rows is not None:
            intake.raw_rows[(str(path), sheet)] = rows
        if data["frame"].height:
            noms.append(data)
        for row, counts in data["_stated"]:
            intake.stated.append({"file": path.name, "sheet": sheet, "row": row, "counts": counts, "unit": unit})
        if data["_birth"]:
            for row, label in data["_birth"]["columns"].items():
                intake.birth_columns[(path.name, sheet, row)] = label
            intake.findings += [Finding(code, WARNING, message, file=path.name, sheet=sheet, row=row, column=column,
                                        unit=unit) for row, code, message, column in data["_birth"]["notes"]]
        if data["_examples"]:
            rows_txt = ", ".join(map(str, data["_examples"][:10]))
            intake.findings.append(Finding(
                "EXAMPLE_ROWS", WARNING,
                f"Trang tính “{sheet}” có {len(data['_examples'])} dòng mẫu của biểu (dòng {rows_txt}: “Ví dụ”, "
                "“Nguyễn Văn A”…): không tính là đề nghị. Nếu đó là người thật, hãy ghi đủ họ tên.",
                file=path.name, sheet=sheet, row=data["_examples"][0], unit=unit))
        nxt = data["_next_header"]
        table = locate_table(rows, start=nxt, scan=3) if nxt is not None else None


def _read_initiative_sheet(path, sheet, rows, code, unit, intake, report, inits, registry, table=None):
    table = table or find_table(rows, INITIATIVE_HEADERS, INITIATIVE_REQUIRED)
    if table is None:
        return
    report.header_row[sheet] = table.header_idx + 1
    report.mapped[sheet] = table.headers_typed
    report.missing[sheet] = table.missing
    data = initiative_columns(rows, table, file=path.name, sheet=sheet, unit_code=code, unit=unit)
    if not code and data["row"]:
        # a master's initiatives table names the unit per row
        known = {u: registry.find(u) for u in dict.fromkeys(data["unit"])}  # each distinct name looked up once
        hits = [known[u] for u in data["unit"]]
        data["unit_code"] = [h[0] if h else "" for h in hits]
        data["unit"] = [h[1] if h else u for h, u in zip(hits, data["unit"])]
    if data["row"]:
        inits.append(data)


def read_paths(paths: Iterable[str | os.PathLike], *, catalog: Catalog | None = None,
               progress: Callable[[str], None] | None = None, keep_rows: bool = False) -> Intake:
    """Read every workbook named (masters first, so their unit lists identify unit files)."""
    catalog = catalog or load_catalog()
    files, findings = expand_paths(paths)
    intake = Intake(findings=findings, raw_rows={} if keep_rows else None)
    registry = UnitRegistry()
    noms: list[dict[str, list]] = []
    inits: list[dict[str, list]] = []
    with reading_memos(), gc_paused():  # every cell becomes a Python object: none of them forms a cycle
        for path, loaded in _prefetched(files, arrow=not keep_rows):
            n, i = read_file(path, catalog, registry, intake, loaded)
            noms += n
            inits += i
            if progress:
                progress(path.name)
        noms, inits = trust.count_once(intake, noms, inits)
        intake.frame = build_nominations(noms, catalog)
        intake.findings += total_mismatches(intake.frame, intake.stated)
    initiatives = build_initiatives(inits)
    if initiatives is not None:
        intake.initiatives_frame = initiatives
    years = [f.year for f in intake.files if f.kind == "master" and f.year] or \
            [f.year for f in intake.files if f.year]
    intake.year = years[0] if years else None
    return intake


def total_mismatches(nominations: "pl.DataFrame", stated: list[dict]) -> list[Finding]:
    """A sheet's last totals line ("Tổng cộng: 20 lượt tập thể, 37 lượt cá nhân") against what was read."""
    last: dict[tuple[str, str], dict] = {}
    for s in stated:
        last[(s["file"], s["sheet"])] = s
    out = []
    if not last:
        return out
    import polars as pl

    # rows whose award was not recognised still count as listed: their subject from what the row shows;
    # counted per (file, sheet) in one group-by
    person = pl.col("nam_sinh").is_not_null() | (pl.col("gioi_tinh") != "")
    group = pl.when(pl.col("group_subject") != "").then(pl.col("group_subject")).otherwise(pl.lit(TAP_THE))
    guess = pl.when(person).then(pl.lit(CA_NHAN)).otherwise(group)
    subj = pl.coalesce(pl.col("subject"), guess).fill_null("")
    # a line may count nominations ("lượt") or the people and collectives listed (a row naming two awards
    # is one person): it agrees when it gives either
    sizes = nominations.group_by("file", "sheet", subj.alias("subj"), maintain_order=True) \
        .agg(pl.len().alias("n"), pl.col("row").n_unique().alias("rows"))
    tally: dict[tuple[str, str], dict[str, int]] = {}
    listed: dict[tuple[str, str], dict[str, int]] = {}
    for file, sheet, subject, n, rows in sizes.iter_rows():
        for table, k in ((tally, n), (listed, rows)):
            per = table.setdefault((file, sheet), {TAP_THE: 0, CA_NHAN: 0, "all": 0})
            per["all"] += int(k)
            if subject in per:
                per[subject] += int(k)
    for (file, sheet), s in last.items():
        none = {TAP_THE: 0, CA_NHAN: 0, "all": 0}
        read, people = tally.get((file, sheet)) or none, listed.get((file, sheet)) or none
        wrong = {k: v for k, v in s["counts"].items() if read.get(k) != v and people.get(k) != v}
        if not wrong:
            continue
        label = {TAP_THE: "tập thể", CA_NHAN: "cá nhân", "all": "lượt đề nghị"}
        said = ", ".join(f"{v} {label[k]}" for k, v in s["counts"].items())
        got = ", ".join(f"{read[k]} {label[k]}" for k in s["counts"])
        out.append(Finding(
            "TOTAL_MISMATCH", WARNING,
            f"Dòng tổng cộng ghi {said}, nhưng đọc được {got} trên trang “{sheet}”. "
            "Hãy kiểm tra lại danh sách (dòng thiếu, dòng thừa, hình thức ghi sai) hoặc dòng tổng cộng.",
            file=file, sheet=sheet, row=s["row"], unit=s["unit"]))
    return out


def read_sheets(book_name: str, sheets: dict[str, list[list]], path: str | os.PathLike | None = None, *,
                catalog: Catalog | None = None) -> Intake:
    """An Intake for a master given as its sheets' rows (sheet name -> rows from A1).

    The Excel adapter reads an open book's cells (unsaved edits included), not the file on disk;
    the rows are read exactly as read_paths reads a master's.
    """
    from ..errors import UserError

    catalog = catalog or load_catalog()
    names = list(sheets)
    units_sheet = _find_units_sheet(names)
    if units_sheet is None or not units_records(sheets[units_sheet]):
        raise UserError(f"Sổ “{book_name}” không có trang “{UNITS_SHEET}” với danh sách đơn vị "
                        "(cột “Mã đơn vị”, “Tên đơn vị”).")
    where = Path(path or book_name)
    intake = Intake()
    report = FileReport(path=str(where), file=where.name)
    intake.files.append(report)
    noms: list[dict[str, list]] = []
    inits: list[dict[str, list]] = []
    with reading_memos(), gc_paused():
        _read_master(where, names, units_sheet, sheets.__getitem__, catalog, UnitRegistry(), intake, report,
                     noms, inits)
        intake.frame = build_nominations(noms, catalog)
        intake.findings += total_mismatches(intake.frame, intake.stated)
    initiatives = build_initiatives(inits)
    if initiatives is not None:
        intake.initiatives_frame = initiatives
    intake.year = report.year
    return intake


def header_drift(intake: Intake) -> list[dict]:
    """Per file and sheet: which typed header went to which column, which expected ones are missing."""
    out = []
    for f in intake.files:
        for sheet, mapped in f.mapped.items():
            out.append({"file": f.file, "sheet": sheet, "header_row": f.header_row.get(sheet),
                        "mapped": mapped, "missing": f.missing.get(sheet, []), "extra": f.extra.get(sheet, [])})
    return out
