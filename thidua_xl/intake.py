"""Intake: workbooks in, one nominations DataFrame out.

Reads a master workbook, unit files or folders of them, each file once with
python-calamine, finds the nomination table wherever it sits and whatever its
headers look like, and keeps for every nominee the file, sheet and Excel row it
came from. A file that cannot be read becomes a BAD_FILE finding; the others go on.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from itertools import chain, zip_longest
from operator import itemgetter
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from .catalog import BOTH, CA_NHAN, TAP_THE, Catalog, load_catalog
from .model import ERROR, INITIATIVE_COLUMNS, NOMINATION_COLUMNS, WARNING, FileReport, Finding
from .perf import gc_paused
from .text import ParsedDate, clean, clean_strings, fold, name_keys, parse_date

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
META_SHEET = "_thidua"  # hidden key/value sheet written by `split`: ma_don_vi, ten_don_vi, nam
UNITS_SHEET = "Đơn vị"
CONFIG_SHEET = "Cấu hình"
INITIATIVES_SHEET = "Sáng kiến"
NARRATIVE_SHEET = "Văn bản"
HEADER_SCAN_ROWS = 40

# Canonical header -> (column id, accepted variants). Variants are compared folded
# (no case, no diacritics, no punctuation), so "Họ và tên" covers "HỌ VÀ TÊN" and "Ho va ten".
NOMINATION_HEADERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "STT": ("stt", ("TT", "Số TT", "Số thứ tự")),
    "Họ và tên": ("ho_ten", (
        "Họ tên", "Họ và tên / Tên tập thể", "Tên tập thể", "Họ và tên, tên tập thể",
        "Họ tên / Tên tập thể", "Họ và tên/Tên tập thể", "Tên tập thể, cá nhân",
        "Tên tập thể / cá nhân", "Họ và tên cá nhân, tên tập thể", "Tên cá nhân, tập thể",
    )),
    "Ngày sinh": ("ngay_sinh", (
        "Năm sinh", "Ngày, tháng, năm sinh", "Ngày tháng năm sinh", "Ngày/tháng/năm sinh",
    )),
    "Giới tính": ("gioi_tinh", ("Nam/Nữ", "Nam, Nữ", "Giới")),
    "Chức vụ": ("chuc_vu", ("Chức vụ, chức danh", "Chức danh", "Chức vụ/chức danh", "Chức vụ, chức danh nghề nghiệp")),
    "Khoa, phòng": ("khoa_phong", (
        "Khoa/Phòng", "Bộ phận", "Đơn vị công tác", "Khoa phòng", "Khoa, phòng công tác",
        "Khoa, phòng, bộ phận",
    )),
    "Hình thức đề nghị": ("hinh_thuc", (
        "Danh hiệu đề nghị", "Danh hiệu, hình thức khen thưởng", "Hình thức khen thưởng",
        "Danh hiệu, hình thức đề nghị", "Hình thức khen thưởng đề nghị", "Danh hiệu thi đua",
        "Danh hiệu", "Hình thức", "Danh hiệu/hình thức khen thưởng", "Đề nghị",
    )),
    "Đối tượng": ("doi_tuong", ("Tập thể/Cá nhân", "Loại đối tượng")),
    "Sáng kiến": ("sang_kien", ("Sáng kiến, đề tài", "Tên sáng kiến", "Sáng kiến/đề tài")),
    "Ghi chú": ("ghi_chu", ()),
    # Optional columns some Sở ask for; rules use them when present (xếp loại, kỷ luật, tuyển dụng).
    "Xếp loại": ("xep_loai", ("Xếp loại đánh giá", "Đánh giá, xếp loại", "Kết quả đánh giá, xếp loại",
                               "Xếp loại viên chức", "Kết quả xếp loại", "Mức độ hoàn thành nhiệm vụ")),
    "Kỷ luật": ("ky_luat", ("Hình thức kỷ luật", "Kỷ luật (nếu có)")),
    "Ngày tuyển dụng": ("ngay_tuyen_dung", ("Thời gian tuyển dụng", "Ngày vào ngành", "Năm tuyển dụng")),
    "Số CCCD": ("so_cccd", ("CCCD", "Số căn cước", "Số căn cước công dân", "Số định danh cá nhân", "Số CMND/CCCD")),
    # The Sở's own columns on a master's unit sheets (units never see them): see decide.py.
    "Kết quả xét": ("ket_qua_xet", ("Kết quả xét duyệt", "Kết quả xét của Sở", "Kết quả Hội đồng xét")),
    "Số quyết định": ("so_quyet_dinh", ("Số QĐ", "Số quyết định khen thưởng", "Quyết định số")),
    "Ngày quyết định": ("ngay_quyet_dinh", ("Ngày QĐ", "Ngày ký quyết định", "Ngày ban hành quyết định")),
}
OPTIONAL_COLUMNS = ("xep_loai", "ky_luat", "ngay_tuyen_dung", "so_cccd", "ket_qua_xet", "so_quyet_dinh",
                    "ngay_quyet_dinh")
MASTER_ONLY_HEADERS = ("Kết quả xét", "Số quyết định", "Ngày quyết định")
NOMINATION_REQUIRED = ("Họ và tên", "Hình thức đề nghị")

INITIATIVE_HEADERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "STT": ("stt", ("TT", "Số TT")),
    "Tên sáng kiến, đề tài": ("ten", ("Tên sáng kiến", "Tên đề tài", "Tên sáng kiến/đề tài", "Sáng kiến, đề tài")),
    "Loại": ("loai", ("Loại sáng kiến", "Sáng kiến/Đề tài")),
    "Cấp công nhận": ("cap", ("Cấp", "Cấp công nhận sáng kiến", "Cấp công nhận, áp dụng")),
    "Tác giả": ("tac_gia", ("Tác giả, đồng tác giả", "Tác giả / đồng tác giả", "Chủ nhiệm", "Chủ nhiệm đề tài")),
    "Năm": ("nam", ("Năm công nhận",)),
    "Đơn vị": ("don_vi", ("Tên đơn vị", "Đơn vị công tác")),
}
INITIATIVE_REQUIRED = ("Tên sáng kiến, đề tài", "Tác giả")

UNIT_LIST_HEADERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Mã đơn vị": ("unit_code", ("Mã", "Mã ĐV")),
    "Tên đơn vị": ("unit", ("Đơn vị", "Tên")),
    "Email": ("email", ("Thư điện tử", "E-mail", "Địa chỉ email")),
    "Tên sheet": ("sheet", ("Sheet", "Trang tính", "Tên trang tính")),
}
UNIT_LIST_REQUIRED = ("Mã đơn vị", "Tên đơn vị")


def _variant_index(spec) -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, (_, variants) in spec.items():
        for v in (canonical, *variants):
            index.setdefault(fold(v), canonical)
    return index


_INDEXES: dict[int, dict[str, str]] = {}


_MATCH_CACHE: dict[tuple[int, str], str | None] = {}


def match_header(cell: object, spec) -> str | None:
    """Canonical header for a header cell, ignoring case, accents, spacing, line breaks, notes in ()."""
    if not isinstance(cell, str):
        return None
    hit = _MATCH_CACHE.get((id(spec), cell), False)
    if hit is not False:
        return hit
    result = _match_header(cell, spec)
    if len(_MATCH_CACHE) < 100_000:
        _MATCH_CACHE[(id(spec), cell)] = result
    return result


def _match_header(cell: str, spec) -> str | None:
    index = _INDEXES.get(id(spec))
    if index is None:
        index = _INDEXES[id(spec)] = _variant_index(spec)
    key = fold(cell)
    if not key:
        return None
    if key in index:
        return index[key]
    bare = fold(re.sub(r"\(.*?\)|\[.*?\]", " ", clean(cell)))
    if bare in index:
        return index[bare]
    bare = re.sub(r"\s*\d+$", "", bare)  # "Ghi chú 1", "Hình thức đề nghị (6)"
    return index.get(bare)


@dataclass
class Table:
    """A table found on a sheet: where its header is and what each column means."""

    header_idx: int  # 0-based index into the sheet's rows
    columns: dict[int, str]  # column index -> canonical header
    headers_typed: dict[str, str]  # typed header -> canonical
    extra: list[str]
    missing: list[str]
    birth_by_gender: tuple[int, int] | None = None  # (Nam column, Nữ column) under a merged "Ngày sinh"
    sub_header_rows: int = 0  # rows of a two-row header below header_idx


def _gender_split(rows: list[list], table: Table) -> None:
    """A two-row header: "Ngày sinh" merged over "Nam" | "Nữ", the birth date written under the gender."""
    if table.header_idx + 1 >= len(rows):
        return
    sub = rows[table.header_idx + 1]
    folded = {j: fold(c) for j, c in enumerate(sub) if isinstance(c, str) and c.strip()}
    nam = [j for j, f in folded.items() if f == "nam"]
    nu = [j for j, f in folded.items() if f == "nu"]
    birth = [j for j, c in table.columns.items() if c == "Ngày sinh"]
    if nam and nu and birth and birth[0] in (nam[0], nu[0]) and abs(nam[0] - nu[0]) == 1:
        table.birth_by_gender = (nam[0], nu[0])
        table.sub_header_rows = 1
        if "Giới tính" in table.missing:
            table.missing.remove("Giới tính")
    elif _is_column_numbers(sub):
        table.sub_header_rows = 1  # a row of column numbers "(1) (2) (3)" or 1 2 3 under the header


def _is_column_numbers(row: list) -> bool:
    """Official forms number their columns under the header: "(1) (2) (3)…" or 1 2 3…, increasing."""
    vals = []
    for c in row:
        if c is None or c == "":
            continue
        if isinstance(c, (int, float)) and not isinstance(c, bool) and float(c).is_integer():
            vals.append(int(c))
            continue
        m = re.fullmatch(r"\(?\s*(\d{1,2})\s*\)?", clean(c)) if isinstance(c, str) else None
        if m is None:
            return False
        vals.append(int(m.group(1)))
    return len(vals) >= 3 and all(b > a for a, b in zip(vals, vals[1:]))


def find_table(rows: list[list], spec, required: Iterable[str], scan: int = HEADER_SCAN_ROWS) -> Table | None:
    """The header row is the one among the first rows that names the most known columns."""
    best: Table | None = None
    best_score = 0
    for i, row in enumerate(rows[:scan]):
        if best is not None and i > best.header_idx + 5:
            break  # the header is found; what follows is data
        columns: dict[int, str] = {}
        others: list[str] = []
        for j, cell in enumerate(row):
            if cell is None or cell == "":
                continue
            canonical = match_header(cell, spec)
            if canonical and canonical not in columns.values():
                columns[j] = canonical
            elif isinstance(cell, str):
                others.append(cell)
        if not all(r in columns.values() for r in required):
            continue
        score = len(columns)
        if score > best_score:  # only now the texts the report shows (data rows are scanned too)
            typed = {clean(row[j]): canonical for j, canonical in columns.items()}
            extra = [t for t in map(clean, others) if t]
            missing = [c for c in spec if c not in columns.values()]
            best = Table(i, columns, typed, extra, missing)
            best_score = score
    if best is not None and spec is NOMINATION_HEADERS:
        _gender_split(rows, best)
    return best


# --- reading one sheet's nomination rows ---------------------------------------
_HEADING = re.compile(r"^\s*(?:[IVXLC]{1,6}|[A-ZĐ]|\d{1,2})\s*[.)\-–:]\s*\S", re.U)
_ROMAN = re.compile(r"^\s*(?:[IVXLC]{1,6}|[A-ZĐ])\s*\.?\s*$")
_TOTAL = re.compile(r"^(tổng\s*cộng|cộng|tổng\s*số|tổng)\s*(?:[:.(].*|\d[\d.,\s]*)?$")
_FOOTER = re.compile(
    r"^(nguoi lap|thu truong|giam doc|xac nhan|ky ten|ky ghi ro|t m |tm |kt |chu tich|"
    r"[\w ]{0,30}ngay \d{0,2}\s*thang \d{0,2}\s*nam \d{4})"
)
_UNIT_LABELS = {"don vi", "ten don vi", "don vi de nghi", "co quan don vi", "don vi bao cao"}
_YEAR_IN_TITLE = re.compile(r"\bnam (20\d{2}|19\d{2})\b")


def _is_total(text: str) -> bool:
    """'Tổng cộng', 'CỘNG:', 'Tổng số 12' — matched with diacritics, so 'Công đoàn' is not a total."""
    return bool(text) and bool(_TOTAL.match(clean(text).lower()))


def _subject_of_heading(text: str) -> str:
    f = fold(text)
    if "tap the" in f:
        return TAP_THE
    if "ca nhan" in f:
        return CA_NHAN
    return ""


def _doi_tuong(value: object) -> str:
    f = fold(value)
    if f in {"tap the", "tt", "tap the lao dong"}:
        return TAP_THE
    if f in {"ca nhan", "cn"}:
        return CA_NHAN
    return ""


def _as_text(value: object) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d/%m/%Y")
    return clean(value)


def _transpose(body: list[list]) -> list[tuple]:
    """The columns of a block of rows (short rows padded with None)."""
    return list(zip_longest(*body)) if body else []


def _column_texts(columns: list[tuple], j: int | None, n: int, memo: dict, numbers: dict[float, str]) -> list[str]:
    """Column j (of n rows) as cleaned text. The strings not met before are cleaned together
    (text.clean_strings); `memo` and `numbers` carry them across columns and files, which repeat most values."""
    if j is None:
        return [""] * n
    values = columns[j] if j < len(columns) else [None] * n
    distinct = dict.fromkeys(values)
    new = [v for v in distinct if v.__class__ is str and v not in memo]
    if new:
        memo.update(zip(new, clean_strings(new)))
    # numbers: floats only; NaN is never stored, so gets ""
    floats = {v for v in values if v.__class__ is float} if _has_bool_key(distinct) else distinct
    numbers.update((v, _scalar_text(v)) for v in floats if v.__class__ is float and v == v and v not in numbers)
    return [memo[v] if v.__class__ is str else "" if v is None else numbers.get(v, "") if v.__class__ is float
            else _scalar_text(v) for v in values]


_NO_DATE = ("", parse_date(None))


def _has_bool_key(distinct: dict) -> bool:
    """True == 1 == 1.0 as dict keys: a column holding both keeps only the first (then go cell by cell)."""
    return True in distinct or False in distinct


def _dates(values: list, memo: dict[str, str], seen: dict | None = None) -> tuple[list[str], list]:
    """(cell text, text.parse_date) of each date-of-birth cell, each distinct value parsed once.

    `seen` carries dates and texts across sheets (numbers stay per sheet: True == 1 == 1.0 as keys).
    """
    distinct = dict.fromkeys(values)
    if _has_bool_key(distinct):
        got = [_date_of(v, memo) for v in values]
    else:
        seen = {} if seen is None else seen
        table = {}
        for v in distinct:
            c = v.__class__
            if c is dt.date or c is dt.datetime or c is str:
                hit = seen.get(v)
                if hit is None:
                    hit = seen[v] = _date_of(v, memo)
                table[v] = hit
            else:
                table[v] = _date_of(v, memo)
        got = [table[v] for v in values]
    return [g[0] for g in got], [g[1] for g in got]


def _date_of(v: object, memo: dict[str, str]) -> tuple[str, object]:
    if v is None or v == "":
        return _NO_DATE
    if (v.__class__ is dt.date or v.__class__ is dt.datetime) and v.year >= 1000:  # an Excel date
        d = v if v.__class__ is dt.date else v.date()
        iso = d.isoformat()
        return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}", ParsedDate(date=d, year=v.year, raw=iso)
    text = (memo.get(v) or clean(v)) if v.__class__ is str else _scalar_text(v)
    return text, parse_date(v)


def _scalar_text(v: object) -> str:
    """_as_text of a number, date or bool cell (what calamine gives besides strings)."""
    if v.__class__ is float:
        return "" if v != v else str(int(v)) if v.is_integer() else str(v)
    if v.__class__ is int:
        return str(v)
    return _as_text(v)


# Cleaned text of every raw string (and float) met during one read_paths: units' files repeat the
# same award names, titles and departments. One set of dicts per call (a ContextVar, so two
# readings in two threads never share or empty each other's); a sheet read alone gets its own.
_MEMOS: ContextVar[tuple[dict, dict, dict] | None] = ContextVar("thidua_intake_memos", default=None)


def _memos() -> tuple[dict[str, str], dict[float, str], dict]:
    """(clean text by raw string, text by float, (text, parsed date) by date cell) of this reading."""
    return _MEMOS.get() or ({}, {}, {})


_TOTAL_MEMO: dict[str, bool] = {}
_DOI_TUONG_MEMO: dict[str, str] = {}


def _is_total_cached(text: str) -> bool:
    if not text:
        return False
    hit = _TOTAL_MEMO.get(text)
    if hit is None:
        hit = _is_total(text)
        if len(_TOTAL_MEMO) < 200_000:
            _TOTAL_MEMO[text] = hit
    return hit


def _first_text(row: list) -> str:
    return next((clean(c) for c in row if isinstance(c, str) and c.strip()), "")


def _looks_like_heading(stt: str, name: str) -> bool:
    return bool(_ROMAN.match(stt) or _HEADING.match(name) or fold(name) in {"tap the", "ca nhan"}
                or (not name and _HEADING.match(stt)))


RAW_NOMINATION_COLUMNS = [c for c in NOMINATION_COLUMNS if c not in ("award", "subject", "person_key")]


def nomination_columns(rows: list[list], table: Table, *, file: str, path: str, sheet: str,
                       unit_code: str, unit: str, row_offset: int = 0) -> dict[str, list]:
    """A sheet's rows below the header as nominee column lists, one entry per real nominee
    (`build_nominations` makes one DataFrame of every sheet's lists).

    Column by column: every cell is cleaned once per distinct value; the per-row loop only
    decides which rows are nominees (headings, totals, signature block).
    """
    col = {NOMINATION_HEADERS[canon][0]: j for j, canon in table.columns.items()}
    split = table.birth_by_gender
    first = table.header_idx + 1 + table.sub_header_rows
    body = rows[first:]
    memo, numbers, dates = _memos()
    columns = _transpose(body)
    none = [None] * len(body)
    text_ids = [cid for canon, (cid, _v) in NOMINATION_HEADERS.items() if cid != "ngay_sinh"]
    tx = {cid: _column_texts(columns, col.get(cid), len(body), memo, numbers) for cid in text_ids}
    if split:
        nam_vals = columns[split[0]] if split[0] < len(columns) else none
        nu_vals = columns[split[1]] if split[1] < len(columns) else none
        dob_vals, genders = [], tx["gioi_tinh"]
        for i, (a, b) in enumerate(zip(nam_vals, nu_vals)):
            if a not in (None, ""):
                dob_vals.append(a)
                genders[i] = genders[i] or "Nam"
            elif b not in (None, ""):
                dob_vals.append(b)
                genders[i] = genders[i] or "Nữ"
            else:
                dob_vals.append(None)
    else:
        j = col.get("ngay_sinh")
        dob_vals = columns[j] if j is not None and j < len(columns) else none
    dob_texts, dob_parsed = _dates(dob_vals, memo, dates)
    names, stts, awards, genders = tx["ho_ten"], tx["stt"], tx["hinh_thuc"], tx["gioi_tinh"]
    content_cols = [tx[c] for c in text_ids if c != "stt" and c in col] + ([tx["gioi_tinh"]] if split else [])
    keep: list[int] = []
    groups: list[str] = []
    group_subject = ""
    after_total = False
    for i in range(len(body)):
        dob_text = dob_texts[i]
        if not dob_text and not any(c[i] for c in content_cols):
            continue  # an empty row, or a numbered but empty row of a printed form
        name, stt, gender = names[i], stts[i], genders[i]
        if not dob_text and not gender and (_is_total_cached(stt) or _is_total_cached(name) or (
                not name and _is_total_cached(_first_text(body[i])))):  # columns in any order: "Tổng cộng" first
            after_total = True  # a totals line; a group's subtotal ("Cộng") may have nominees below it
            continue
        if after_total and not (awards[i] and name) and (awards[i] or not _looks_like_heading(stt, name)):
            continue  # below a totals line only a real nominee (or a group heading) reopens the table
        after_total = False
        if not awards[i] and not dob_text and not gender:
            heading_text = f"{stt} {name}".strip()
            if (_ROMAN.match(stt) and name) or _HEADING.match(name) or fold(name) in {"tap the", "ca nhan"} \
                    or (_ROMAN.match(stt) and not name):
                group_subject = _subject_of_heading(heading_text) or group_subject
                continue
            row_text = fold(" ".join(_as_text(c) for c in body[i] if c not in (None, "")))
            lead = fold(name or stt)
            if _FOOTER.match(lead) or _FOOTER.match(row_text):
                break  # signature block below the table
        keep.append(i)
        groups.append(group_subject)
    n = len(keep)
    take = itemgetter(*keep) if n > 1 else (lambda seq: (seq[keep[0]],)) if n else (lambda seq: ())
    pick = lambda cid: list(take(tx[cid]))  # noqa: E731
    parsed = list(take(dob_parsed))
    doi_raw = pick("doi_tuong")
    doi = []
    for t in doi_raw:
        d = _DOI_TUONG_MEMO.get(t)
        if d is None:
            d = _DOI_TUONG_MEMO[t] = _doi_tuong(t)
        doi.append(d)
    data = {
        "file": [file] * n, "path": [path] * n, "sheet": [sheet] * n,
        "row": [first + i + 1 + row_offset for i in keep],
        "unit_code": [unit_code] * n, "unit": [unit] * n, "stt": pick("stt"),
        "ho_ten": pick("ho_ten"), "ngay_sinh": [d.date for d in parsed], "nam_sinh": [d.year for d in parsed],
        "ngay_sinh_raw": [d.raw or t for d, t in zip(parsed, take(dob_texts))],
        "ngay_sinh_error": [d.error for d in parsed],
        "gioi_tinh": pick("gioi_tinh"), "chuc_vu": pick("chuc_vu"), "khoa_phong": pick("khoa_phong"),
        "hinh_thuc": pick("hinh_thuc"), "doi_tuong": doi, "doi_tuong_raw": doi_raw, "group_subject": groups,
        "sang_kien": pick("sang_kien"), "ghi_chu": pick("ghi_chu"),
        **{cid: pick(cid) for cid in OPTIONAL_COLUMNS},
    }
    return data


def finish_nominations(df: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Whole-column steps: award codes, the subject each row is counted under, person keys."""
    if df.empty:
        return pd.DataFrame(columns=NOMINATION_COLUMNS)
    df = df.copy()
    for c in OPTIONAL_COLUMNS:
        if c not in df.columns:
            df[c] = ""
    df["nam_sinh"] = pd.array(df["nam_sinh"].tolist(), dtype="Int64")
    df["row"] = df["row"].astype(int)
    matched = {t: catalog.match(t) for t in df["hinh_thuc"].unique()}
    df["award"] = df["hinh_thuc"].map(matched)
    award_subject = {a.code: a.subject for a in catalog}
    subj = df["award"].map(award_subject)
    has_person = df["nam_sinh"].notna() | (df["ngay_sinh_raw"] != "") | (df["gioi_tinh"] != "")
    inferred = pd.Series(TAP_THE, index=df.index)
    inferred[df["group_subject"] != ""] = df["group_subject"]
    inferred[has_person] = CA_NHAN
    stated = df["doi_tuong"].where(df["doi_tuong"] != "", inferred)
    df["subject"] = subj.where(subj != BOTH, stated).where(subj.notna(), None)
    years = df["nam_sinh"].astype(object).where(df["nam_sinh"].notna(), None)
    df["person_key"] = _person_keys(df["ho_ten"], years, df["subject"])
    return df[NOMINATION_COLUMNS]


def _as_list(values) -> list:
    """A Series as a list (tolist: iterating a pandas string column element by element is slow)."""
    return values.tolist() if hasattr(values, "tolist") else list(values)


def _person_keys(names, years, subjects) -> list[str]:
    """text.person_key for a whole column (the name keys computed together by text.name_keys)."""
    out = []
    for key, y, s in zip(name_keys(_as_list(names)), _as_list(years), _as_list(subjects)):
        if s != TAP_THE and y is not None and not (isinstance(y, float) and y != y):
            try:
                key = f"{key}|{int(y)}"
            except (TypeError, ValueError):
                pass
        out.append(key)
    return out


_LOAI_MEMO: dict[str, str] = {}
_CAP_MEMO: dict[str, str] = {}


def _loai(text: str) -> str:
    hit = _LOAI_MEMO.get(text)
    if hit is None:
        f = fold(text)
        hit = "de_tai" if ("de tai" in f or "de an" in f) else "sang_kien"
        if len(_LOAI_MEMO) < 100_000:
            _LOAI_MEMO[text] = hit
    return hit


def _cap(text: str) -> str:
    hit = _CAP_MEMO.get(text)
    if hit is None:
        f = fold(text)
        hit = ("toan_quoc" if "toan quoc" in f else "bo" if ("bo" in f.split() or "nganh" in f)
               else "tinh" if "tinh" in f else "co_so")
        if len(_CAP_MEMO) < 100_000:
            _CAP_MEMO[text] = hit
    return hit


def _initiatives_frame(parts: list[dict[str, list]]) -> pd.DataFrame:
    data = {c: list(chain.from_iterable(d[c] for d in parts)) for c in INITIATIVE_COLUMNS}
    data["nam"] = pd.array(data["nam"], dtype="Int64")
    return pd.DataFrame(data, columns=INITIATIVE_COLUMNS)


def build_initiatives(parts: list[dict[str, list]]) -> pd.DataFrame | None:
    """One initiatives frame for every sheet read (None when no sheet had any)."""
    parts = [d for d in parts if d["row"]]
    return _initiatives_frame(parts) if parts else None


def initiative_columns(rows: list[list], table: Table, *, file: str, sheet: str, unit_code: str,
                       unit: str, row_offset: int = 0) -> dict[str, list]:
    """A sheet's initiatives (sáng kiến, đề tài) below the header as column lists, one per titled row."""
    col = {INITIATIVE_HEADERS[canon][0]: j for j, canon in table.columns.items()}
    first = table.header_idx + 1
    body = rows[first:]
    memo, numbers, _dates_seen = _memos()
    columns = _transpose(body)
    tx = {cid: _column_texts(columns, col.get(cid), len(body), memo, numbers)
          for cid in ("stt", "ten", "loai", "cap", "tac_gia", "nam", "don_vi")}
    keep: list[int] = []
    for i, ten in enumerate(tx["ten"]):
        if not ten:
            continue
        if _is_total_cached(ten) or _is_total_cached(tx["stt"][i]):
            break
        keep.append(i)
    year_memo: dict[str, int | None] = {"": None}
    for t in dict.fromkeys(tx["nam"][i] for i in keep):
        if t not in year_memo:
            year_memo[t] = parse_date(t).year
    n = len(keep)
    pick = lambda cid: [tx[cid][i] for i in keep]  # noqa: E731
    tens, loais = pick("ten"), pick("loai")
    data = {
        "file": [file] * n, "sheet": [sheet] * n, "row": [first + i + 1 + row_offset for i in keep],
        "unit_code": [unit_code] * n, "unit": [u or unit for u in pick("don_vi")], "ten": tens,
        "loai": [_loai(lo or t) for lo, t in zip(loais, tens)], "cap": [_cap(c) for c in pick("cap")],
        "tac_gia": pick("tac_gia"), "nam": [year_memo[t] for t in pick("nam")],
    }
    return data


# --- files ---------------------------------------------------------------------
@dataclass
class Intake:
    """Everything read from the inputs, ready for validation and consolidation."""

    nominations: pd.DataFrame
    initiatives: pd.DataFrame
    files: list[FileReport] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    units: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["unit_code", "unit", "email", "sheet"]))
    config: dict[str, str] = field(default_factory=dict)  # folded label -> value, sheet `Cấu hình`
    narrative: dict[str, str] = field(default_factory=dict)  # folded label -> text, sheet `Văn bản`
    year: int | None = None

    @property
    def bad_files(self) -> list[str]:
        return [f.file for f in self.files if not f.ok]


def expand_paths(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[Finding]]:
    """Files named, and the workbooks of folders named (not recursive, no Excel owner files)."""
    out: list[Path] = []
    findings: list[Finding] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for child in sorted(path.iterdir(), key=lambda c: c.name):
                if child.is_file() and child.suffix.lower() in WORKBOOK_SUFFIXES and not child.name.startswith("~$"):
                    out.append(child)
        elif path.is_file():
            if path.name.startswith("~$"):
                continue
            out.append(path)
        else:
            findings.append(Finding("BAD_FILE", ERROR, f"Không tìm thấy tệp hoặc thư mục “{path}”.", file=str(path)))
    return out, findings


def open_workbook(path: Path):
    """Open with calamine, translating its failures into Vietnamese reasons."""
    wb, reason, _scan = open_checked(path)
    return wb, reason


def open_checked(path: Path):
    """Pre-check the raw bytes (safety.inspect: bombs, encryption, traps), then open with calamine.

    Returns (workbook or None, Vietnamese reason or None, safety.Scan or None).
    """
    import io

    import python_calamine as pc

    from .safety import Refused, inspect

    try:
        scan = inspect(path)
    except Refused as exc:
        return None, str(exc), None
    try:
        if scan.data is not None:  # a trimmed copy: stray cells far from the table dropped
            return pc.CalamineWorkbook.from_filelike(io.BytesIO(scan.data)), None, scan
        return pc.CalamineWorkbook.from_path(str(path)), None, scan
    except pc.PasswordError:
        return None, "tệp được đặt mật khẩu (mã hóa), cần gỡ mật khẩu rồi gửi lại", None
    except pc.ZipError:
        return None, "tệp không phải là tệp Excel hợp lệ (hỏng hoặc sai định dạng)", None
    except pc.XmlError as exc:
        return None, f"nội dung XML của tệp bị lỗi ({exc})", None
    except PermissionError:
        return None, "tệp đang bị khóa (có thể đang mở trong Excel), hãy đóng tệp rồi chạy lại", None
    except Exception as exc:  # noqa: BLE001 - calamine raises several types for broken files
        return None, f"không đọc được tệp ({type(exc).__name__}: {exc})", None


def sheet_rows(wb, name: str) -> tuple[list[list], int]:
    """All rows of a sheet from A1, so list index + 1 is the Excel row number (capped, see safety)."""
    from .safety import LIMITS

    sheet = wb.get_sheet_by_name(name)
    rows = sheet.to_python(skip_empty_area=False, nrows=LIMITS.max_rows)
    return rows, 0


def _visible_sheets(wb) -> list[str]:
    import python_calamine as pc

    try:
        return [m.name for m in wb.sheets_metadata
                if m.visible == pc.SheetVisibleEnum.Visible and m.typ == pc.SheetTypeEnum.WorkSheet]
    except Exception:  # noqa: BLE001 - older calamine without metadata
        return list(wb.sheet_names)


def _key_values(rows: list[list]) -> dict[str, str]:
    out = {}
    for r in rows:
        if len(r) >= 2 and clean(r[0]):
            out[fold(str(r[0]).replace("_", " "))] = clean(r[1])
    return out


def _title_info(rows: list[list], header_idx: int) -> tuple[str, int | None]:
    """Unit name from a title row "Đơn vị: …" and the year from "… NĂM 2020" above the header."""
    unit, year = "", None
    for r in rows[:header_idx]:
        for cell in r:
            if not isinstance(cell, str) or not cell.strip():
                continue
            text = clean(cell)
            if ":" in text and not unit and fold(text.split(":", 1)[0]) in _UNIT_LABELS:
                unit = clean(text.split(":", 1)[1])
            y = _YEAR_IN_TITLE.search(fold(text))
            if y and year is None:
                year = int(y.group(1))
    return unit, year


class UnitRegistry:
    """Known units (from a master's Đơn vị sheet), looked up by code, name or sheet."""

    def __init__(self, units: pd.DataFrame | None = None):
        self.by_code: dict[str, tuple[str, str]] = {}
        self.by_name: dict[str, tuple[str, str]] = {}
        if units is not None:
            for code, name in zip(units["unit_code"], units["unit"]):
                self.add(code, name)

    def add(self, code: str, name: str) -> None:
        self.by_code[fold(code)] = (code, name)
        self.by_name[fold(name)] = (code, name)

    def find(self, text: str) -> tuple[str, str] | None:
        return self.by_code.get(fold(text)) or self.by_name.get(fold(text))


def read_units_sheet(rows: list[list]) -> pd.DataFrame:
    table = find_table(rows, UNIT_LIST_HEADERS, UNIT_LIST_REQUIRED)
    cols = ["unit_code", "unit", "email", "sheet"]
    if table is None:
        return pd.DataFrame(columns=cols)
    col = {UNIT_LIST_HEADERS[c][0]: j for j, c in table.columns.items()}
    recs = []
    for r in rows[table.header_idx + 1:]:
        get = lambda k: clean(r[col[k]]) if k in col and col[k] < len(r) else ""  # noqa: E731
        if not get("unit_code") and not get("unit"):
            continue
        recs.append({k: get(k) for k in cols})
    return pd.DataFrame.from_records(recs, columns=cols)


def _find_units_sheet(names: list[str]) -> str | None:
    for n in names:
        if fold(n) in ("don vi", "danh sach don vi"):
            return n
    return None


@dataclass
class Loaded:
    """A workbook opened and pre-checked, with the sheets already parsed (see `load_file`)."""

    wb: object
    reason: str | None
    scan: object
    rows: dict[str, list[list]] = field(default_factory=dict)


def load_file(path: Path) -> Loaded:
    """The part of reading a file that needs no other file: safety scan, open, parse the sheets.

    Runs in worker threads (python-calamine parses without the GIL), so the next files are
    being parsed while this one's rows are classified. A unit file's sheets are all read
    anyway; a master's are left to be read on demand (it has many sheets intake never needs).
    A sheet that fails here is simply not cached: `read_file` reads it again and reports it.
    """
    wb, reason, scan = open_checked(path)
    loaded = Loaded(wb, reason, scan)
    if wb is not None:
        try:
            names = list(wb.sheet_names)
            if _find_units_sheet(names) is None:
                for name in names:
                    loaded.rows[name] = sheet_rows(wb, name)[0]
        except Exception:  # noqa: BLE001 - read_file meets the same error and reports it
            pass
    return loaded


def read_file(path: Path, catalog: Catalog, registry: UnitRegistry, intake: Intake,
              loaded: Loaded | None = None) -> tuple[list[dict[str, list]], list[dict[str, list]]]:
    """Read one workbook (master or unit file) into nomination and initiative frames."""
    report = FileReport(path=str(path), file=path.name)
    intake.files.append(report)
    loaded = loaded or load_file(path)
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

        is_master = units_sheet is not None and (
            not read_units_sheet(rows_of(units_sheet)).empty
            or any(fold(n) == fold(CONFIG_SHEET) for n in names))  # a fresh master has no units yet
        if is_master:
            _read_master(path, wb, names, units_sheet, rows_of, catalog, registry, intake, report, noms, inits)
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
        if not data["row"]:
            continue
        sheet = data["sheet"][0]
        s = scan.sheets.get(sheet)
        if not s or not s.hidden_rows:
            continue
        hit = sorted(set(data["row"]) & set(s.hidden_rows))
        if hit:
            rows = ", ".join(map(str, hit[:15])) + (" …" if len(hit) > 15 else "")
            intake.findings.append(Finding(
                "HIDDEN_ROWS", WARNING,
                f"Trang tính “{sheet}” có {len(hit)} dòng đề nghị đang bị ẩn (dòng {rows}); các dòng này vẫn được "
                "đọc và tính. Nếu đơn vị không đề nghị các trường hợp này, hãy xóa dòng thay vì ẩn.",
                file=path.name, sheet=sheet, row=hit[0]))


def _read_master(path, wb, names, units_sheet, rows_of, catalog, registry, intake, report, noms, inits):
    report.kind = "master"
    units = read_units_sheet(rows_of(units_sheet))
    for code, name in zip(units["unit_code"], units["unit"]):
        registry.add(code, name)
    intake.units = pd.concat([intake.units, units], ignore_index=True).drop_duplicates("unit_code", keep="last")
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
    for code, name, sheet in zip(units["unit_code"], units["unit"], units["sheet"]):
        sheet_name = None
        for cand in (sheet, code, name):
            if cand and fold(cand) in folded_names:
                sheet_name = folded_names[fold(cand)]
                break
        if sheet_name is None:
            intake.findings.append(Finding(
                "MISSING_SHEET", WARNING, f"Tệp tổng hợp không có trang tính của đơn vị “{name}” ({code}).",
                file=path.name, sheet=units_sheet, unit=name))
            continue
        _read_nomination_sheet(path, sheet_name, rows_of(sheet_name), code, name, catalog, intake, report, noms,
                               missing_header_severity=WARNING)
    init_name = folded_names.get(fold(INITIATIVES_SHEET))
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
        source = "mã đơn vị ghi trong tệp"
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
        rows = rows_of(n)
        t = find_table(rows, NOMINATION_HEADERS, NOMINATION_REQUIRED)
        if t is not None:
            nomination_sheets.append((n, rows, t))
            continue
        ti = find_table(rows, INITIATIVE_HEADERS, INITIATIVE_REQUIRED)
        if ti is not None:
            init_sheets.append((n, rows))
    if not code:
        for n, rows, t in nomination_sheets:
            title_unit, title_year = _title_info(rows, t.header_idx)
            if report.year is None and title_year:
                report.year = title_year
            if title_unit and not unit:
                hit = registry.find(title_unit)
                code, unit = hit if hit else ("", title_unit)
                source = "dòng “Đơn vị: …” trong tệp"
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
    if not nomination_sheets:
        report.ok = False
        intake.findings.append(Finding(
            "BAD_FILE", ERROR,
            f"Tệp “{path.name}” không có bảng đề nghị: không tìm thấy dòng tiêu đề có cột “Họ và tên” và "
            f"“Hình thức đề nghị” trong {HEADER_SCAN_ROWS} dòng đầu của trang tính nào.",
            file=path.name, unit=unit))
    for n, rows, t in nomination_sheets:
        _read_nomination_sheet(path, n, rows, code, unit, catalog, intake, report, noms, table=t)
    for n, rows in init_sheets:
        _read_initiative_sheet(path, n, rows, code, unit, intake, report, inits, registry)


def _read_nomination_sheet(path, sheet, rows, code, unit, catalog, intake, report, noms,
                           missing_header_severity=ERROR, table=None):
    table = table or find_table(rows, NOMINATION_HEADERS, NOMINATION_REQUIRED)
    if table is None:
        if any(any(c not in (None, "") for c in r) for r in rows):
            intake.findings.append(Finding(
                "BAD_FILE", missing_header_severity,
                f"Trang tính “{sheet}” không có dòng tiêu đề của bảng đề nghị (cần cột “Họ và tên” và “Hình thức đề nghị”).",
                file=path.name, sheet=sheet, unit=unit))
        return
    report.header_row[sheet] = table.header_idx + 1
    report.mapped[sheet] = table.headers_typed
    report.missing[sheet] = table.missing
    report.extra[sheet] = table.extra
    data = nomination_columns(rows, table, file=path.name, path=str(path), sheet=sheet, unit_code=code, unit=unit)
    report.rows += len(data["row"])
    if data["row"]:
        noms.append(data)


def _read_initiative_sheet(path, sheet, rows, code, unit, intake, report, inits, registry):
    table = find_table(rows, INITIATIVE_HEADERS, INITIATIVE_REQUIRED)
    if table is None:
        return
    report.header_row[sheet] = table.header_idx + 1
    report.mapped[sheet] = table.headers_typed
    report.missing[sheet] = table.missing
    data = initiative_columns(rows, table, file=path.name, sheet=sheet, unit_code=code, unit=unit)
    if not code and data["row"]:
        # a master's initiatives table names the unit per row
        hits = [registry.find(u) for u in data["unit"]]
        data["unit_code"] = [h[0] if h else "" for h in hits]
        data["unit"] = [h[1] if h else u for h, u in zip(hits, data["unit"])]
    if data["row"]:
        inits.append(data)


def read_paths(paths: Iterable[str | os.PathLike], *, catalog: Catalog | None = None,
               progress: Callable[[str], None] | None = None) -> Intake:
    """Read every workbook named (masters first, so their unit lists identify unit files)."""
    catalog = catalog or load_catalog()
    files, findings = expand_paths(paths)
    intake = Intake(nominations=pd.DataFrame(columns=NOMINATION_COLUMNS),
                    initiatives=pd.DataFrame(columns=INITIATIVE_COLUMNS), findings=findings)
    registry = UnitRegistry()
    noms: list[dict[str, list]] = []
    inits: list[dict[str, list]] = []
    token = _MEMOS.set(({}, {}, {}))
    try:
        with gc_paused():  # every cell becomes a Python object: none of them forms a cycle
            for path, loaded in _prefetched(files):
                n, i = read_file(path, catalog, registry, intake, loaded)
                noms += n
                inits += i
                if progress:
                    progress(path.name)
            intake.nominations = build_nominations(noms, catalog)
    finally:
        _MEMOS.reset(token)
    initiatives = build_initiatives(inits)
    if initiatives is not None:
        intake.initiatives = initiatives
    years = [f.year for f in intake.files if f.kind == "master" and f.year] or \
            [f.year for f in intake.files if f.year]
    intake.year = years[0] if years else None
    return intake


def build_nominations(noms: list[dict[str, list]], catalog: Catalog) -> pd.DataFrame:
    """The nominations frame of every sheet read (nomination_columns), finished in one go."""
    if not noms:
        return finish_nominations(pd.DataFrame(columns=NOMINATION_COLUMNS), catalog)
    raw = pd.DataFrame({c: list(chain.from_iterable(d[c] for d in noms)) for c in RAW_NOMINATION_COLUMNS},
                       columns=RAW_NOMINATION_COLUMNS)
    return finish_nominations(raw, catalog)


PREFETCH_AHEAD = 4  # files parsed ahead of the one being classified (bounds the rows held in memory)


def _prefetched(files: list[Path]):
    """(path, Loaded) in the given order, the next files loaded by worker threads meanwhile."""
    if len(files) < 2:
        for path in files:
            yield path, load_file(path)
        return
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    workers = max(1, min(2, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="thidua-read") as pool:
        pending = deque()
        ahead = iter(files)
        for path in ahead:
            pending.append((path, pool.submit(_load_quietly, path)))
            if len(pending) >= PREFETCH_AHEAD:
                break
        try:
            while pending:
                path, future = pending.popleft()
                nxt = next(ahead, None)
                if nxt is not None:
                    pending.append((nxt, pool.submit(_load_quietly, nxt)))
                yield path, future.result()
        finally:  # stopped early (an error, Ctrl-C): close what the workers already opened
            for _path, future in pending:
                if not future.cancel():
                    _close(future.result())


def _close(loaded: Loaded | None) -> None:
    """Release a workbook's file (Windows keeps an open file from being replaced)."""
    try:
        if loaded is not None and loaded.wb is not None:
            loaded.wb.close()
    except Exception:  # noqa: BLE001
        pass


def _load_quietly(path: Path) -> Loaded | None:
    """load_file in a worker; None (read again in the main thread, which reports the error) on a surprise."""
    try:
        return load_file(path)
    except Exception:  # noqa: BLE001
        return None


def header_drift(intake: Intake) -> list[dict]:
    """Per file and sheet: which typed header went to which column, which expected ones are missing."""
    out = []
    for f in intake.files:
        for sheet, mapped in f.mapped.items():
            out.append({"file": f.file, "sheet": sheet, "header_row": f.header_row.get(sheet),
                        "mapped": mapped, "missing": f.missing.get(sheet, []), "extra": f.extra.get(sheet, [])})
    return out
