"""Which rows of a table are nominees: headings, totals, notes, sample rows, signature blocks, a second
table's header and empty form lines are not; a group heading or the title may give the award.

Works column by column on cleaned texts (cells.py); the per-row loop only classifies.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..catalog import CA_NHAN, TAP_THE, load_catalog
from ..model import NOMINATION_COLUMNS
from ..rowkinds import example_sieve, examples_among, is_footer, is_note, stated_counts
from ..subjects import is_collective_name
from ..text import clean, fold, parse_date
from ..scan import EXCEL_TEXT_MAX
from .arrow import LaterDates, passed_by_lead, typed
from .cells import Below, _as_text, body_of, constant, positions
from .datecols import dates_of_cells
from .headers import (HEADER_SCAN_ROWS, INITIATIVE_HEADERS, NOMINATION_HEADERS, NOMINATION_REQUIRED, OPTIONAL_COLUMNS,
                      WORD_RULES, Table, find_table, header_of_row, match_header)

# --- reading one sheet's nomination rows ---------------------------------------
# a group heading's number ("II.", "A)", "1 -") and a number alone: compiled at their first use, by `re`'s cache (a
# few hundred rows of a 30,000-row province ask; a ribbon click, none)
_HEADING = r"^\s*(?:[IVXLC]{1,6}|[A-ZĐ]|\d{1,2})\s*[.)\-–:]\s*\S"
_ROMAN = r"^\s*(?:[IVXLC]{1,6}|[A-ZĐ])\s*\.?\s*$"
_TOTAL = re.compile(r"^(tổng\s*cộng|cộng|tổng\s*số|tổng)\s*(?:[:.(].*|\d[\d.,\s]*)?$")


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


_TOTAL_FIRST = frozenset("tTcC")  # every total starts with "tổng" or "cộng": no other character lowers to t or c


def _is_total_cached(text: str) -> bool:
    """_is_total, memoised; a printable text (nothing for clean() to drop) whose first non-space character
    is no t or c is no total without being cleaned or cached (most names and titles: each is met once)."""
    if not text:
        return False
    first = text[0]
    if first not in _TOTAL_FIRST and text.isprintable() and \
            (first != " " or text.lstrip(" ")[:1] not in _TOTAL_FIRST):
        return False
    return _is_total_memo(text)


@lru_cache(maxsize=1 << 16)
def _is_total_memo(text: str) -> bool:
    return _is_total(text)


def _looks_like_heading(stt: str, name: str) -> bool:
    return bool(re.match(_ROMAN, stt) or re.match(_HEADING, name) or fold(name) in {"tap the", "ca nhan"}
                or (not name and re.match(_HEADING, stt)))


RAW_NOMINATION_COLUMNS = [c for c in NOMINATION_COLUMNS if c not in ("award", "subject", "person_key")]
# a fastexcel sheet of at least this many rows below its header is classified column by column (its
# few rows to look at found by one query); a smaller one row by row, cheaper than the query's fixed cost
# (a master's unit sheets). Tests set it to 0 or a huge number to run either path on every sheet.
COLUMNAR_FROM = 150


def nomination_columns(rows: list[list], table: Table, *, file: str, path: str, sheet: str,
                       unit_code: str, unit: str, row_offset: int = 0, default_award: str = "") -> dict[str, list]:
    """A sheet's nominees below the header: the kept rows (one per real nominee) and their columns
    (`frames.build_nominations` makes one frame of every sheet's).

    Most rows (a date of birth, no template sample) are nominees without being looked at; the per-row loop
    decides only for the others (headings, totals, samples, signature block, empty form lines). From a
    sheet read with fastexcel, which rows those are is found by whole-column tests, and only their cells
    become Python strings; every column of the kept rows, the classifier's too, stays whole (Arrow
    columns) and is taken at the kept rows and cleaned with every other sheet's.
    """
    col = {NOMINATION_HEADERS[canon][0]: j for j, canon in table.columns.items()}
    split = table.birth_by_gender
    first = table.header_idx + 1 + table.sub_header_rows
    body = body_of(rows, first)
    size = body.n
    columnar = body.raw_texts and not split and not table.more_awards and size >= COLUMNAR_FROM
    if columnar:  # one date column, one award column: the rows to look at found column by column
        tx, dob_texts, sample, others, longest = _rows_to_look_at(body, col)
        dob = None
    else:
        tx = {cid: body.texts(col.get(cid)) for cid in _CLASSIFIED}  # the columns the classifier reads row by row
        dob, from_column, both, said = _birth_dates(body, col, split, tx["gioi_tinh"])
        dob_texts = dob.filled if dob.__class__ is LaterDates else dob.text  # the classifier asks: is there one?
        # A row with a date of birth that is no template sample is a nominee, unless it sits under a totals
        # line: such rows are kept in runs, and the tests below run only for the other rows.
        sample = examples_among(tx["ho_ten"] + tx["stt"])  # (the texts of either that are samples: one call)
        if sample:
            others = [i for i, (d, n, s) in enumerate(zip(dob_texts, tx["ho_ten"], tx["stt"]))
                      if not d or n in sample or s in sample]
        else:
            others = [i for i, d in enumerate(dob_texts) if not d]
    names, stts, awards, genders = tx["ho_ten"], tx["stt"], tx["hinh_thuc"], tx["gioi_tinh"]
    award_cols = [awards] + [body.texts(j) for j in table.more_awards]
    if len(award_cols) > 1:  # "Thi đua" | "Khen thưởng": a row is a nominee for each filled cell
        awards = [next((c[i] for c in award_cols if c[i]), "") for i in range(size)]
    content_cols = [tx[c] for c in _CLASSIFIED if c not in ("stt", "hinh_thuc") and c in col] + award_cols[1:] + \
        ([awards] if "hinh_thuc" in col else []) + ([tx["gioi_tinh"]] if split else [])
    rest = {c: col[c] for c in _UNCLASSIFIED if c in col}  # read only where a row has no date
    keep: list[int] = []
    groups: list[str] = []
    fallback: list[str] = []  # the award of the group heading above the row, else of the title
    group_subject, group_award = "", ""
    after_total = False
    stated: list[tuple[int, dict]] = []
    examples: list[int] = []
    next_header = None
    blank = [i for i in others if not dob_texts[i] and not any(c[i] for c in content_cols)] if rest else []
    if blank:  # the other columns' texts, of the rows the loop asks whether they are empty
        content_cols.append(dict(zip(blank, body.any_text(list(rest.values()), blank))))
    pos = 0
    for i in others + [size]:
        while pos < i and after_total:  # below a totals line only a real nominee (or a group heading) reopens
            j = pos
            pos += 1
            if not (awards[j] and names[j]) and (awards[j] or not _looks_like_heading(stts[j], names[j])):
                continue
            after_total = False
            keep.append(j)
            groups.append(group_subject)
            fallback.append(group_award or default_award)
        if pos < i:
            keep.extend(range(pos, i))
            groups.extend([group_subject] * (i - pos))
            fallback.extend([group_award or default_award] * (i - pos))
        if i == size:
            break
        pos = i + 1
        dob_text = dob_texts[i]
        if not dob_text and not any(c[i] for c in content_cols) and not re.match(_HEADING, stts[i]):
            continue  # an empty row, or a numbered but empty row of a printed form
        name, stt, gender, award = names[i], stts[i], genders[i], awards[i]
        if not dob_text and not gender and (_is_total_cached(stt) or _is_total_cached(name) or (
                not name and _is_total_cached(body.lead(i)))):  # columns in any order: "Tổng cộng" first
            after_total = True  # a totals line; a group's subtotal ("Cộng") may have nominees below it
            counts = stated_counts(" ".join(_as_text(c) for c in body.row(i) if c not in (None, "")))
            if counts:
                stated.append((first + i + 1 + row_offset, counts))
            continue
        if not dob_text and _starts_table(body, i, name, stt, award):
            next_header = first + i  # a second table with its own header (tập thể, then cá nhân)
            break
        lead = body.lead(i)
        if not dob_text and (not award or not _known_award(award)) and (_memo_test(is_footer, lead)
                                                                         or _memo_test(is_footer, award)):
            break  # the signature block (or the place-and-date line above it), whichever column it sits in
        if not dob_text and (_memo_test(is_note, lead) or _memo_test(is_note, name)):
            after_total = True  # "Ghi chú: …" under the table: what follows is notes until a real nominee
            continue
        if after_total and not (award and name) and (award or not _looks_like_heading(stt, name)):
            continue  # below a totals line only a real nominee (or a group heading) reopens the table
        after_total = False
        if name in sample or stt in sample:
            examples.append(first + i + 1 + row_offset)
            continue  # a template's sample row
        if not award and not dob_text and not gender:
            heading_text = f"{stt} {name}".strip()
            if (re.match(_ROMAN, stt) and name) or re.match(_HEADING, name) or fold(name) in {"tap the", "ca nhan"} \
                    or (re.match(_ROMAN, stt) and not name) or (not name and re.match(_HEADING, stt)) \
                    or (name and _known_award(name) and not _starts_like_a_name(name)):
                group_subject = _subject_of_heading(heading_text) or group_subject
                group_award = _heading_award(heading_text)
                continue
        keep.append(i)
        groups.append(group_subject)
        fallback.append(group_award or default_award)
    import polars as pl

    base = first + 1 + row_offset
    if columnar:  # the classifier's columns too stay whole; an empty award cell takes the heading's or title's
        idx = positions(keep, pl.UInt32)
        bulk = body.text_columns(dict(zip(BULK_COLUMNS, map(col.get, _BULK))))
        k = BULK_COLUMNS.index("hinh_thuc")
        bulk[k] = _with_fallback(body, col.get("hinh_thuc"), bulk[k], keep, fallback)
        later = not longest > EXCEL_TEXT_MAX
        if not later:
            dob = LaterDates(body.raw(col.get("ngay_sinh")), [])
    else:
        # one entry per award cell filled (two award columns), the group's or title's award for an empty one
        if len(award_cols) == 1:
            award_texts = [awards[i] or fb for i, fb in zip(keep, fallback)]
        else:
            pairs = []
            for i, fb in zip(keep, fallback):
                texts = [c[i] for c in award_cols if c[i]] or [fb]
                pairs += [(i, t) for t in texts]
            if len(pairs) != len(keep):
                groups = [g for (i, _t), g in zip(pairs, _repeat_for(pairs, keep, groups))]
            keep = [i for i, _t in pairs]
            award_texts = [t for _i, t in pairs]
        later = dob.__class__ is LaterDates and not dob.long  # read with every sheet's (build_nominations)
        # the kept rows (a row may repeat, one per award cell); the classifier's texts as it read them, the
        # other columns left whole and taken at the kept rows with every sheet's (Series gathers and
        # new_from_index let go of the GIL: a reader thread running Python may keep the main thread waiting)
        idx = positions(keep, pl.UInt32)
        own_texts = {"stt": [stts[i] for i in keep], "ho_ten": [names[i] for i in keep],
                     "gioi_tinh": [genders[i] for i in keep], "hinh_thuc": award_texts}
        whole = {n: col.get(c) for n, c in zip(BULK_COLUMNS, _BULK) if n not in own_texts}
        bulk = Below(body, whole) if body.raw_texts else body.text_columns(whole)  # fastexcel's: made when stacked
        texts = {n: own_texts[n] for n in BULK_COLUMNS if n in own_texts}  # lists: made Series with every sheet's
    own = [positions([base + i for i in keep], pl.Int64, "row"),  # (Series arithmetic would let go of the GIL)
           _repeated("group_subject", groups)]
    if not later:
        own += _birth_columns(dob, keep)
    dob_cell = body.text_columns({"_dob_cell": col.get("ngay_sinh")})[0] if later else None
    return {
        # the kept rows' own columns; the sheet's constants, and the columns left whole (`bulk`, every row
        # below the header, taken at `idx`), are added for every sheet at once by frames.build_nominations
        "frame": own[0].to_frame().hstack(own[1:]), "idx": idx,  # (pl.DataFrame's dispatch: ~2 × the time)
        "bulk": bulk,
        # bulk columns at the kept rows already, the classifier's texts (name -> list: frames.build_nominations
        # makes one Series of every sheet's)
        "texts": None if columnar else texts,
        "raw": body.raw_texts,  # the bulk texts as fastexcel wrote them: build_nominations cleans them
        "dob": dob_cell,  # dates read later (every row below the header, taken at `idx`)
        "file": file, "path": path, "sheet": sheet, "unit_code": unit_code, "unit": unit,
        # what the sheet says besides its nominees (not columns of the frame)
        "_next_header": next_header, "_stated": stated, "_examples": examples,
        "_birth": _birth_by_sex(table, body, keep, base, from_column, both, said, names) if split else None,
    }


def _repeated(name: str, values: list[str]) -> "pl.Series":
    """A text column, a slice of a kept one when every row has the same value (a sheet without group headings)."""
    import polars as pl

    if values and values.count(values[0]) == len(values):
        return constant(values[0], len(values)).alias(name)
    return pl.Series(name, values, pl.String)


def _birth_dates(body, col: dict, split, genders: list[str]) -> tuple:
    """The date-of-birth column, or the two by sex (the gender filled in from the one used); for the two:
    the column each row's date is in (0 Nam, 1 Nữ, -1 neither), the rows with a date in both (the Nam one
    is taken, and said), and the Giới tính column's own texts before the column's sex fills them."""
    if not split:
        return body.date_column(col.get("ngay_sinh")), [], [], []
    dob_vals: list = []
    from_column: list[int] = []
    both: list[int] = []
    said = list(genders)
    for i, (a, b) in enumerate(zip(body.raw(split[0]), body.raw(split[1]))):
        if a not in (None, ""):
            dob_vals.append(a)
            genders[i] = genders[i] or "Nam"
            from_column.append(0)
            if b not in (None, ""):
                both.append(i)
        elif b not in (None, ""):
            dob_vals.append(b)
            genders[i] = genders[i] or "Nữ"
            from_column.append(1)
        else:
            dob_vals.append(None)
            from_column.append(-1)
    return body.dates(dob_vals), from_column, both, said


class _AtRows(dict):
    """A classifier column's texts at the rows the loop looks at; another row's cell is read when asked
    (the rows below a totals line)."""

    def __init__(self, texts, body, j: int | None):
        super().__init__(texts)
        self.body, self.j = body, j

    def __missing__(self, i: int) -> str:
        t = self[i] = self.body.text_at(self.j, i)
        return t


def _rows_to_look_at(body, col: dict) -> tuple[dict, dict, set, list[int], int]:
    """The rows of a fastexcel sheet the classifier must look at (no date of birth, or a template sample)
    and its columns' texts at those rows. One query finds the rows that may be such (a date cell
    blank once cleaned, a name or number the sample sieve lets through: rowkinds.example_sieve); only their
    cells become Python strings, and the tests of the row by row reader decide among them. A row without a
    date that those tests would keep as it is (`_plain_rows`) is kept with the dated rows, not looked at."""
    name_col, stt_col, dob_col = col.get("ho_ten"), col.get("stt"), col.get("ngay_sinh")
    award_col, gender_col = col.get("hinh_thuc"), col.get("gioi_tinh")
    maybe, longest, sieved = body.rows_to_test(dob_col, [name_col, stt_col], example_sieve(),
                                               fetch=[dob_col, stt_col, award_col, gender_col], through=name_col)
    filled = body.dates_filled(body.cells_at(dob_col, maybe))
    names, stts = (body.texts_of(body.cells_at(c, maybe)) for c in (name_col, stt_col))
    # a sample row's name or number is one the sieve lets through, wherever it is (rowkinds.example_sieve)
    sample = examples_among(n for n, s in zip(names, sieved) if s) | examples_among(t for t, s in zip(stts, sieved) if s)
    if sample:
        others = [i for i, f, n, s in zip(maybe, filled, names, stts) if not f or n in sample or s in sample]
    else:
        others = [i for i, f in zip(maybe, filled) if not f]
    tx = {"ho_ten": _AtRows(zip(maybe, names), body, name_col), "stt": _AtRows(zip(maybe, stts), body, stt_col)}
    for c in ("hinh_thuc", "gioi_tinh"):  # read only at the rows looked at
        tx[c] = _AtRows(zip(others, body.texts_of(body.cells_at(col.get(c), others))), body, col.get(c))
    if "hinh_thuc" in col and name_col is not None:
        plain = _plain_rows(others, tx["ho_ten"], tx["stt"], tx["hinh_thuc"], sample, _lead_is(body, name_col, others))
        if plain:
            others = [i for i in others if i not in plain]
    return tx, dict(zip(maybe, filled)), sample, others, longest


def _plain_rows(rows: list[int], names, stts, awards, sample: set, lead_is_name: list[bool]) -> set[int]:
    """The rows (without a date of birth) the per-row loop of `nomination_columns` would keep as they are,
    in whatever state it is: a name and a known award, and no test of the loop says otherwise — no totals
    line, no second header, no signature block or notes (the row's first text is its name), no sample row,
    no group heading. Such a row is kept below a totals line too (a real nominee reopens the table), so it
    may be kept in a run with the dated rows. Each distinct text is tested once."""
    rows = [i for i, lead in zip(rows, lead_is_name) if lead]
    ns, ss, aw = [names[i] for i in rows], [stts[i] for i in rows], [awards[i] for i in rows]
    plain_names = {t for t in set(ns) if t and t not in sample and not _is_total_cached(t) and not _is_header_text(t)
                   and not _memo_test(is_note, t)}
    plain_stts = {t for t in set(ss) if t not in sample and not _is_total_cached(t) and not _is_header_text(t)}
    plain_awards = {t for t in set(aw) if t and _known_award(t) and not _is_header_text(t)}
    return {i for i, n, s, a in zip(rows, ns, ss, aw) if n in plain_names and a in plain_awards and s in plain_stts}


def _lead_is(body, j: int, rows: list[int]) -> list[bool]:
    """Whether `body.lead` of each of the rows is its cell in column j: the cells left of it (fetched by
    `rows_to_test` through column j) are empty, blank, numbers, dates or bools, and it is none of these."""
    columns = [body.cells_at(k, rows) for k in range(j + 1)]
    passed: dict = {}
    for cells in columns:
        for v in set(cells).difference(passed):
            passed[v] = passed_by_lead(v)
    out = [not passed[v] for v in columns[-1]]
    for cells in columns[:-1]:
        out = [o and passed[v] for o, v in zip(out, cells)]
    return out


def _with_fallback(body, j: int | None, awards: "pl.Series", keep: list[int], fallback: list[str]) -> "pl.Series":
    """The award column with the kept rows' group heading's or title's award where their cell is empty."""
    if not any(fallback):
        return awards
    empty = set(body.empty_rows(j))
    at = [(i, fb) for i, fb in zip(keep, fallback) if fb and i in empty]
    if not at:
        return awards
    return awards.scatter([i for i, _fb in at], [fb for _i, fb in at])


# the columns the row classifier reads for every row; the others are read as whole columns for the kept rows
_CLASSIFIED = ("stt", "ho_ten", "hinh_thuc", "gioi_tinh")
# the other text columns: the classifier reads them only where a row has no date of birth
_UNCLASSIFIED = [cid for canon, (cid, _v) in NOMINATION_HEADERS.items() if cid != "ngay_sinh" and cid not in _CLASSIFIED]
_OPTIONAL_IN_ORDER = [c for c in RAW_NOMINATION_COLUMNS if c in OPTIONAL_COLUMNS]
# the kept rows' texts, every row below the header taken at the kept rows (the classifier's columns too)
_BULK = ("stt", "ho_ten", "gioi_tinh", "hinh_thuc", "chuc_vu", "khoa_phong", "doi_tuong", "sang_kien", "ghi_chu",
         *_OPTIONAL_IN_ORDER)
BULK_COLUMNS = ["doi_tuong_raw" if c == "doi_tuong" else c for c in _BULK]  # as the sheet frames name them
# a sheet's nominees: RAW_NOMINATION_COLUMNS, and the date-of-birth cell left to read with every sheet's
SHEET_COLUMNS = RAW_NOMINATION_COLUMNS + ["_dob_cell"]


def _birth_by_sex(table: Table, body, keep: list[int], base: int, from_column: list[int], both: list[int],
                  said: list[str], names: list[str]) -> dict:
    """What a table whose birth date columns give the sex says besides the dates: the column (its own header,
    as the file names it) each kept row's date came from, so that a finding about it names that cell (under a
    two-row header the merged "Ngày sinh" names both); and, in Vietnamese, the rows it cannot read without
    guessing: a date in both columns, or a Giới tính column saying the other sex."""
    labels = table.birth_labels
    keep = list(dict.fromkeys(keep))  # a row with two award cells is kept twice
    own = table.birth_own_headers
    columns = {base + i: labels[from_column[i]] for i in keep if from_column[i] >= 0} if own else {}
    notes: list[tuple[int, str, str, str]] = []  # (Excel row, code, message, column)
    kept = set(keep)
    twice = [i for i in both if i in kept]
    if twice:
        nam, nu = (body.raw(j) for j in table.birth_by_gender)
        shown = body.dates([nam[i] for i in twice] + [nu[i] for i in twice]).raw
        for k, i in enumerate(twice):
            notes.append((base + i, "BAD_DATE",
                          f"“{names[i]}”: có ngày sinh ở cả cột “{labels[0]}” ({shown[k]}) và cột “{labels[1]}” "
                          f"({shown[len(twice) + k]}): đã lấy ngày sinh ở cột “{labels[0]}”. Hãy xoá ô sai.",
                          labels[1] if own else "Ngày sinh"))
    sexes = ("nam", "nu")
    for i in keep:
        k, sex = from_column[i], fold(said[i]) if said[i] else ""
        if k >= 0 and sex in sexes and sex != sexes[k]:
            notes.append((base + i, "GENDER_CONFLICT",
                          f"“{names[i]}”: cột “Giới tính” ghi “{said[i]}” nhưng ngày sinh ở cột “{labels[k]}”: "
                          f"đã lấy giới tính “{said[i]}” theo cột “Giới tính”. Hãy sửa ô sai.", "Giới tính"))
    notes.sort()
    return {"columns": columns, "notes": notes}


def _birth_columns(dob, at: list[int]) -> list["pl.Series"]:
    """The date-of-birth columns of the kept rows, read with the sheet."""
    import polars as pl

    if dob.__class__ is LaterDates:
        dob = dates_of_cells(dob.cells)
    return [pl.Series("ngay_sinh", [dob.date[i] for i in at], dtype=pl.Date),
            pl.Series("nam_sinh", [dob.year[i] for i in at], dtype=pl.Int64),
            pl.Series("ngay_sinh_raw", [dob.raw[i] for i in at], dtype=pl.String),
            pl.Series("ngay_sinh_error", [dob.error[i] for i in at], dtype=pl.String)]


def _repeat_for(pairs: list[tuple[int, str]], keep: list[int], values: list) -> list:
    """values (one per kept row) repeated as the rows are in pairs (one per award cell)."""
    by_row = dict(zip(keep, values))
    return [by_row[i] for i, _t in pairs]


def _memo_test(test, text: str) -> bool:
    """A rowkinds test of one text, memoised (the same texts recur in every file)."""
    return bool(text) and _test_cached(test, text)


@lru_cache(maxsize=1 << 16)
def _test_cached(test, text: str) -> bool:
    return test(text)


@lru_cache(maxsize=1 << 14)
def _known_award(text: str) -> bool:
    """The text names an award of the catalogue (one, or several in one cell)."""
    cat = load_catalog()
    return bool(cat.match(text) or cat.split(text))


@lru_cache(maxsize=1 << 12)
def _heading_award(text: str) -> str:
    """The official name of the award a group heading names ("1. Tập thể lao động tiên tiến (16 tập thể)"), or ''."""
    cat = load_catalog()
    code = cat.find_in(text)
    return cat[code].name if code else ""


def _starts_like_a_name(text: str) -> bool:
    """A person's or collective's name, not an award written alone on a heading row."""
    return is_collective_name(text)


def _starts_table(body, i: int, name: str, stt: str, award: str) -> bool:
    """Row i of the body is itself a header row naming the name column (a second table)."""
    if not (_is_header_text(name) or _is_header_text(stt) or _is_header_text(award)):
        return False
    columns, _o, _a = header_of_row(body.row(i), NOMINATION_HEADERS)
    return "Họ và tên" in columns.values() and len(columns) >= 2


@lru_cache(maxsize=1 << 16)
def _is_header_text(text: str) -> bool:
    """The text is a header of the name, number or award column. Most texts asked are names: one without
    any of `_HEADER_WORDS` once folded is none, without the rest of the matching (its fold is kept for the
    row's next tests)."""
    if not text or len(text) >= 80:
        return False
    if _header_words_hold() and not any(w in fold(text) for w in _HEADER_WORDS):
        return False
    return match_header(text, NOMINATION_HEADERS) in _HEADER_TEXT_OF


_HEADER_TEXT_OF = ("Họ và tên", "STT", "Hình thức đề nghị")
# a part of every folded way to name one of those columns ("stt", "so thu tu", "ho ten", "danh hieu", "de nghi");
# match_header only cuts a cell's key (notes in brackets, a column number), so a key without any has no match
_HEADER_WORDS = ("tt", "thu", "ten", "hinh", "danh", "nghi")


@lru_cache(maxsize=1)
def _header_words_hold() -> bool:
    """Whether every variant of the three columns, and every word rule naming one, has one of _HEADER_WORDS
    (else `_is_header_text` matches every text)."""
    keys = [fold(v) for c in _HEADER_TEXT_OF for v in (c, *NOMINATION_HEADERS[c][1])]
    keys += [" ".join(sorted(need)) for c, need, _never in WORD_RULES if c in _HEADER_TEXT_OF]
    return all(any(w in k for w in _HEADER_WORDS) for k in keys)


def locate_table(rows: list[list], start: int = 0, scan: int = HEADER_SCAN_ROWS) -> Table | None:
    """The nomination table of a sheet (from row `start`): a header with name and award columns; or,
    when the award is written once above the rows — in the title ("… ĐỀ NGHỊ CÔNG NHẬN DANH HIỆU LAO ĐỘNG
    TIÊN TIẾN") or in group headings ("1. Tập thể lao động tiên tiến") — a header with the name column."""
    table = find_table(rows, NOMINATION_HEADERS, NOMINATION_REQUIRED, scan=scan, start=start)
    named = table or find_table(rows, NOMINATION_HEADERS, ("Họ và tên",), scan=scan, start=start)
    if named is None:
        return None
    awards = {c for c in (_title_award(c) for c in _texts_of(rows, max(0, start - 12 if start else 0), named.header_idx)
                          if 8 <= len(c) <= 300) if c}
    if len(awards) == 1:
        named.default_award = load_catalog()[awards.pop()].name
    if table is not None:
        return table
    if named.default_award:
        return named
    # no award column and no award in the title: one only if group headings name the awards
    name_col = next(j for j, c in named.columns.items() if c == "Họ và tên")
    cols = [name_col] + [j for j, c in named.columns.items() if c == "STT"] + [0]
    texts = {r[j] for r in rows[named.header_idx + 1:] for j in cols if j < len(r) and isinstance(r[j], str)}
    if any(re.match(_HEADING, clean(t)) and _heading_award(clean(t)) for t in texts):
        return named
    return None


def _texts_of(rows, lo: int, hi: int) -> list[str]:
    """The text cells of rows lo..hi-1 as typed; an ArrowSheet's rows read as fastexcel wrote them, not typed
    (a cell is a text when typing leaves it as it is: a number, date or bool cell is typed into none)."""
    raw = getattr(rows, "raw_row", None)
    if raw is None:
        return [c for r in rows[lo:hi] for c in r if isinstance(c, str)]
    return [c for i in range(lo, hi) for c in raw(i) if c.__class__ is str and typed(c) is c]


@lru_cache(maxsize=1 << 12)
def _title_award(text: str) -> str | None:
    """The award code a title cell names (the same titles head every unit's file)."""
    return load_catalog().find_in(clean(text))


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
    body = body_of(rows, first)
    tx = {cid: body.texts(col.get(cid)) for cid in ("stt", "ten", "loai", "cap", "tac_gia", "nam", "don_vi")}
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
