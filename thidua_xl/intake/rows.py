"""Which rows of a table are nominees: headings, totals, signature blocks and empty form lines are not.

Works column by column on cleaned texts (cells.py); the per-row loop only classifies.
"""
from __future__ import annotations

import re
from functools import lru_cache
from operator import itemgetter

from ..catalog import CA_NHAN, TAP_THE
from ..model import NOMINATION_COLUMNS
from ..text import clean, fold, parse_date
from .cells import _as_text, _column_texts, _dates, _transpose, memos
from .headers import INITIATIVE_HEADERS, NOMINATION_HEADERS, OPTIONAL_COLUMNS, Table

# --- reading one sheet's nomination rows ---------------------------------------
_HEADING = re.compile(r"^\s*(?:[IVXLC]{1,6}|[A-ZĐ]|\d{1,2})\s*[.)\-–:]\s*\S", re.U)
_ROMAN = re.compile(r"^\s*(?:[IVXLC]{1,6}|[A-ZĐ])\s*\.?\s*$")
_TOTAL = re.compile(r"^(tổng\s*cộng|cộng|tổng\s*số|tổng)\s*(?:[:.(].*|\d[\d.,\s]*)?$")
_FOOTER = re.compile(
    r"^(nguoi lap|thu truong|giam doc|xac nhan|ky ten|ky ghi ro|t m |tm |kt |chu tich|"
    r"[\w ]{0,30}ngay \d{0,2}\s*thang \d{0,2}\s*nam \d{4})"
)


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


@lru_cache(maxsize=1 << 12)
def _doi_tuong(value: object) -> str:
    f = fold(value)
    if f in {"tap the", "tt", "tap the lao dong"}:
        return TAP_THE
    if f in {"ca nhan", "cn"}:
        return CA_NHAN
    return ""


def _is_total_cached(text: str) -> bool:
    return bool(text) and _is_total_memo(text)


@lru_cache(maxsize=1 << 16)
def _is_total_memo(text: str) -> bool:
    return _is_total(text)


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
    memo, numbers, dates = memos()
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
    doi = [_doi_tuong(t) for t in doi_raw]
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


@lru_cache(maxsize=1 << 14)
def _loai(text: str) -> str:
    f = fold(text)
    return "de_tai" if ("de tai" in f or "de an" in f) else "sang_kien"


@lru_cache(maxsize=1 << 14)
def _cap(text: str) -> str:
    f = fold(text)
    return ("toan_quoc" if "toan quoc" in f else "bo" if ("bo" in f.split() or "nganh" in f)
            else "tinh" if "tinh" in f else "co_so")


def initiative_columns(rows: list[list], table: Table, *, file: str, sheet: str, unit_code: str,
                       unit: str, row_offset: int = 0) -> dict[str, list]:
    """A sheet's initiatives (sáng kiến, đề tài) below the header as column lists, one per titled row."""
    col = {INITIATIVE_HEADERS[canon][0]: j for j, canon in table.columns.items()}
    first = table.header_idx + 1
    body = rows[first:]
    memo, numbers, _dates_seen = memos()
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
