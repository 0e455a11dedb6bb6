"""Where a table is: the header row finder, over the header specs of `schema` (every accepted spelling).

Headers are compared folded (no case, no diacritics, no punctuation), so "Họ và tên" covers
"HỌ VÀ TÊN" and "Ho va ten"; a cell no variant names is recognised by its words in any order
("Tên tập thể/cá nhân/hộ gia đình", "Phân loại khen thưởng"). The row among the first ones naming
the most known columns is the header; when none qualifies, `explain` says which rows were looked
at and what they lacked, in the file's own words.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from ..schema import (CONFIG_SHEET, INITIATIVE_HEADERS, INITIATIVE_REQUIRED, INITIATIVES_SHEET,  # noqa: F401
                      MASTER_ONLY_HEADERS, META_SHEET, NARRATIVE_SHEET, NOMINATION_HEADERS, NOMINATION_REQUIRED,
                      OPTIONAL_COLUMNS, UNIT_LIST_HEADERS, UNIT_LIST_REQUIRED, UNITS_SHEET)
from ..perf import Plain
from ..text import clean, fold, fold_strings

HEADER_SCAN_ROWS = 40


# canonical header -> ways its words appear: (words all present, words none present).
# Tried in this order after the exact variants; the first rule that fits a cell wins.
WORD_RULES: list[tuple[str, frozenset[str], frozenset[str]]] = [
    (c, frozenset(req.split()), frozenset(no.split())) for c, req, no in [
        ("STT", "so thu tu", ""),
        ("Đối tượng", "phan loai", "ten ho"),
        ("Đối tượng", "khen thuong ca nhan tap the", "ten ho hinh thuc danh hieu"),
        ("Đối tượng", "loai doi tuong", "ten"),
        ("Đối tượng", "ca nhan tap the", "ten ho hinh thuc danh hieu khen chuc sinh"),
        ("Họ và tên", "ho ten", ""),
        ("Họ và tên", "ten tap the", "sang kien de tai"),
        ("Họ và tên", "ten ca nhan", "sang kien de tai"),
        ("Họ và tên", "ten doi tuong", ""),
        ("Họ và tên", "ten don vi tap the", ""),
        ("Ngày sinh", "sinh", "noi que"),
        ("Giới tính", "gioi", ""),
        ("Giới tính", "nam nu", ""),
        ("Chức vụ", "chuc vu", ""),
        ("Chức vụ", "chuc danh", ""),
        ("Hình thức đề nghị", "hinh thuc khen thuong", "ky luat"),
        ("Hình thức đề nghị", "hinh thuc de nghi", "ky luat"),
        ("Hình thức đề nghị", "danh hieu thi dua", ""),
        ("Hình thức đề nghị", "danh hieu de nghi", ""),
        ("Khoa, phòng", "khoa phong", ""),
        ("Khoa, phòng", "don vi cong tac", ""),
        ("Khoa, phòng", "bo phan", ""),
        ("Khoa, phòng", "don vi", "ten ho tap the ca nhan doi tuong ma"),
        ("Sáng kiến", "sang kien", "tac gia"),
        ("Ghi chú", "ghi chu", ""),
        ("Xếp loại", "xep loai", ""),
        ("Xếp loại", "muc do hoan thanh", ""),
        ("Kỷ luật", "ky luat", ""),
        ("Ngày tuyển dụng", "tuyen dung", ""),
        ("Số CCCD", "cccd", ""),
        ("Số CCCD", "can cuoc", ""),
    ]
]


def _variant_index(spec) -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, (_, variants) in spec.items():
        for v in (canonical, *variants):
            index.setdefault(fold(v), canonical)
    return index


_SPECS: dict[int, dict] = {}  # id -> spec, kept alive so an id is never reused for another spec


def match_header(cell: object, spec) -> str | None:
    """Canonical header for a header cell: an accepted variant (case, accents, spacing, line breaks,
    notes in brackets and a trailing column number ignored), else its words in any order (WORD_RULES)."""
    if not isinstance(cell, str):
        return None
    _SPECS.setdefault(id(spec), spec)
    known = _MATCHED.get(id(spec))
    if known is not None:
        got = known.get(cell, _UNKNOWN)
        if got is not _UNKNOWN:
            return got
    return _match_cached(cell, id(spec))


_UNKNOWN = object()
_MATCHED: dict[int, dict[str, str | None]] = {}  # spec id -> cell -> canonical, filled by match_many
_TRAILING_DIGITS = re.compile(r"\d+$")
_DIGIT = re.compile(r"\d")
_DIGIT_END = re.compile(r"\d$")


def match_many(cells: Iterable, spec) -> None:
    """match_header of many cells at once (the first rows of a sheet): the new texts folded together,
    and a cell none of whose words could make up a header variant or a word rule settled without the
    rest of the matching. The answers are kept for match_header; they are the same answers."""
    _SPECS.setdefault(id(spec), spec)
    known = _MATCHED.get(id(spec))
    if known is None or len(known) > 1 << 16:
        known = _MATCHED[id(spec)] = {}
    new = [c for c in dict.fromkeys(cells) if c.__class__ is str and c not in known]
    if not new:
        return
    index = _variant_index_of(id(spec))
    anchors, rule_anchors = _anchors_of(id(spec)), _rule_anchors_of(id(spec))
    for cell, key in zip(new, _folded(new)):
        if not key:
            known[cell] = None
        elif key in index:
            known[cell] = index[key]
        elif "(" not in cell and "[" not in cell and not _DIGIT_END.search(key):
            # no note in brackets, no column number: _match_header's other variants are the key itself,
            # only a word rule can still fit
            known[cell] = _word_rule(key, id(spec)) if _could_match(key, rule_anchors) else None
        elif _could_match(key, anchors):
            known[cell] = _match_cached(cell, id(spec))
        else:
            known[cell] = None


_FOLDED: dict[str, str] = {}  # cell -> fold(cell), shared by the specs a sheet is searched with


def _folded(cells: list[str]) -> list[str]:
    """fold of each text (str), the ones not met before folded together (text.fold_strings)."""
    memo = _FOLDED
    if len(memo) > 1 << 16:
        memo.clear()
    new = [c for c in cells if c not in memo]
    if new:
        memo.update(zip(new, fold_strings(new)))
    return [memo[c] for c in cells]


@lru_cache(maxsize=64)
def _anchors_of(spec_id: int) -> dict[str, list[frozenset[str]]]:
    """Every header variant and word rule of a spec as its set of words, filed under one of its words."""
    spec = _SPECS[spec_id]
    sets = {frozenset(k.split()) for k in _variant_index_of(spec_id)}
    sets |= {need for canonical, need, _never in WORD_RULES if canonical in spec}
    return _filed(sets)


@lru_cache(maxsize=64)
def _rule_anchors_of(spec_id: int) -> dict[str, list[frozenset[str]]]:
    """The word rules of a spec alone, filed as _anchors_of files them."""
    spec = _SPECS[spec_id]
    return _filed({need for canonical, need, _never in WORD_RULES if canonical in spec})


def _filed(sets: set[frozenset[str]]) -> dict[str, list[frozenset[str]]]:
    anchors: dict[str, list[frozenset[str]]] = {}
    for words in sets:
        if words:
            anchors.setdefault(max(sorted(words), key=len), []).append(words)
    return anchors


def _could_match(key: str, anchors: dict[str, list[frozenset[str]]]) -> bool:
    """Whether some variant's or word rule's words all appear among the folded cell's words (a trailing
    column number cut off a word as _match_header cuts it): without that no rule of _match_header fits."""
    words = set(key.split())
    if _DIGIT.search(key):
        words |= {_TRAILING_DIGITS.sub("", w) for w in words}
    return any(need <= words for w in words if w in anchors for need in anchors[w])


@lru_cache(maxsize=64)
def _variant_index_of(spec_id: int) -> dict[str, str]:
    return _variant_index(_SPECS[spec_id])


@lru_cache(maxsize=1 << 16)
def _match_cached(cell: str, spec_id: int) -> str | None:
    return _match_header(cell, spec_id)


def _match_header(cell: str, spec_id: int) -> str | None:
    index = _variant_index_of(spec_id)
    key = fold(cell)
    if not key:
        return None
    if key in index:
        return index[key]
    bare = fold(re.sub(r"\(.*?\)|\[.*?\]", " ", clean(cell)))
    if bare in index:
        return index[bare]
    bare = re.sub(r"\s*\d+$", "", bare)  # "Ghi chú 1", "Hình thức đề nghị (6)"
    if bare in index:
        return index[bare]
    return _word_rule(key, spec_id)


def _word_rule(key: str, spec_id: int) -> str | None:
    """The canonical header whose words a folded cell has in any order ("Tên tập thể/cá nhân/hộ gia đình")."""
    spec = _SPECS[spec_id]
    if len(key) > 80 or "Họ và tên" not in spec or "Mã đơn vị" in spec:  # word rules: nomination-like tables
        return None
    words = set(key.split())
    for canonical, need, never in WORD_RULES:
        if canonical in spec and need <= words and not (never & words):
            return canonical
    return None


class Table(Plain):
    """A table found on a sheet: where its header is and what each column means (a plain class: see
    perf.Plain)."""

    _fields = ("header_idx", "columns", "headers_typed", "extra", "missing", "birth_by_gender", "birth_labels",
               "birth_own_headers", "sub_header_rows", "more_awards", "default_award")

    def __init__(self, header_idx: int, columns: dict[int, str], headers_typed: dict[str, str], extra: list[str],
                 missing: list[str], birth_by_gender: tuple[int, int] | None = None,
                 birth_labels: tuple[str, str] = ("", ""), birth_own_headers: bool = False, sub_header_rows: int = 0,
                 more_awards: list[int] | None = None, default_award: str = ""):
        self.header_idx = header_idx  # 0-based index into the sheet's rows
        self.columns = columns  # column index -> canonical header
        self.headers_typed = headers_typed  # typed header -> canonical
        self.extra = extra
        self.missing = missing
        # (Nam column, Nữ column): the column a birth date is in gives the sex
        self.birth_by_gender = birth_by_gender
        self.birth_labels = birth_labels  # those two columns as the file names them, for messages
        # each of the two has its own header cell (one header row), which findings name
        self.birth_own_headers = birth_own_headers
        self.sub_header_rows = sub_header_rows  # rows of a two-row header below header_idx
        # further award columns ("Thi đua" | "Khen thưởng")
        self.more_awards = [] if more_awards is None else more_awards
        self.default_award = default_award  # the award the title names, for rows that name none


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


_AWARD_SUB = {"thi dua", "khen thuong", "danh hieu", "hinh thuc", "danh hieu thi dua", "hinh thuc khen thuong",
              "danh hieu thi dua de nghi", "hinh thuc khen thuong de nghi"}


def _sub_header(rows: list[list], table: Table) -> None:
    """A second header row: "Ngày sinh" over "Nam" | "Nữ", an award heading over "Thi đua" | "Khen thưởng",
    or a row of column numbers."""
    if table.header_idx + 1 >= len(rows):
        return
    sub = rows[table.header_idx + 1]
    texts = {j: c for j, c in enumerate(sub) if isinstance(c, str) and c.strip()}
    folded = dict(zip(texts, _folded(list(texts.values()))))  # usually the first data row: new texts
    nam = [j for j, f in folded.items() if f == "nam"]
    nu = [j for j, f in folded.items() if f == "nu"]
    birth = [j for j, c in table.columns.items() if c == "Ngày sinh"]
    award = [j for j, c in table.columns.items() if c == "Hình thức đề nghị"]
    awards_below = [j for j, f in folded.items() if f in _AWARD_SUB]
    if not table.birth_by_gender and nam and nu and birth and birth[0] in (nam[0], nu[0]) \
            and abs(nam[0] - nu[0]) == 1:
        top = clean(rows[table.header_idx][birth[0]])
        table.birth_by_gender = (nam[0], nu[0])
        table.birth_labels = (f"{top} ({clean(sub[nam[0]])})", f"{top} ({clean(sub[nu[0]])})")
        table.sub_header_rows = 1
        if "Giới tính" in table.missing:
            table.missing.remove("Giới tính")
    if award and len(awards_below) >= 2 and award[0] in awards_below:
        header = rows[table.header_idx]
        others = [j for j in awards_below if j != award[0]
                  and (j >= len(header) or header[j] in (None, "") or j in table.columns and
                       table.columns[j] == "Hình thức đề nghị")]
        if others:
            table.more_awards = sorted(others)
            table.sub_header_rows = 1
    elif not table.sub_header_rows and _is_column_numbers(sub):
        table.sub_header_rows = 1  # a row of column numbers "(1) (2) (3)" or 1 2 3 under the header


def header_of_row(row: list, spec, matched: bool = False) -> tuple[dict[int, str], list[str], list[int]]:
    """(column index -> canonical, other texts, further columns of a canonical already taken).
    `matched`: the caller has just run match_many over the row's cells."""
    columns: dict[int, str] = {}
    others: list[str] = []
    again: list[int] = []
    if not matched:
        match_many(row, spec)
    known = _MATCHED.get(id(spec)) or {}
    taken: set[str] = set()
    for j, cell in enumerate(row):
        if not isinstance(cell, str) or not cell:
            continue  # an empty cell; a number, date or bool names no column and is no other text
        canonical = known.get(cell, _UNKNOWN)
        if canonical is _UNKNOWN:
            canonical = match_header(cell, spec)
        if canonical is None:
            others.append(cell)
        elif canonical not in taken:
            columns[j] = canonical
            taken.add(canonical)
        else:
            again.append(j)
    return columns, others, again


def find_table(rows: list[list], spec, required: Iterable[str], scan: int = HEADER_SCAN_ROWS,
               start: int = 0) -> Table | None:
    """The header row is the one among the first rows (from `start`) that names the most known
    columns, the required ones among them."""
    best: Table | None = None
    best_score = 0
    required = tuple(required)
    need = len(set(required))
    memo = getattr(rows, "header_memo", None)  # an ArrowSheet keeps what each row says as a header
    warm = start
    stop = min(len(rows), start + scan)
    if NAME in required and stop - start > SKIP_AFTER and not _header_as_before(rows, start, stop, spec) \
            and _no_name_header(rows, start, stop, spec):
        return None  # no text of these rows can name the name column (an initiatives sheet): no row is searched
    for i in range(start, stop):
        if best is not None and i > best.header_idx + 5:
            break  # the header is found; what follows is data
        if best is None and required and i == start + SKIP_AFTER and stop - i > SKIP_AFTER \
                and not _names_anywhere(rows, i, stop, spec, required[0]):
            return None  # no cell of the rows left names a required column: no row of them can be the header
        got = memo.get((i, id(spec))) if memo is not None else None
        if got is None:
            cells = _cells(rows, i)
            if best is None and _too_few_texts(cells, need):
                continue  # fewer texts than required columns (a title, a unit's name): no header, no matching
            row = rows[i]
            if best is None and row is not cells and _too_few_texts(row, need):
                continue
            said = _said(spec, row)
            got = said.get(_KEY)
            if got is None:
                if i >= warm and best is None:
                    # the cells of the next rows matched together, until the header is found (below it, row by
                    # row: the first data row ends the search)
                    warm = min(i + 2, start + scan)
                    match_many((c for r in rows[i:warm] for c in r), spec)
                got = said[_KEY] = header_of_row(row, spec, matched=i < warm)
            if memo is not None:
                memo[(i, id(spec))] = got
        columns = got[0]
        if best is not None and not columns and sum(c not in (None, "") for c in rows[i]) >= 2:
            break  # a data row below the header: a later header row is another table's
        if not all(r in columns.values() for r in required):
            continue
        columns = dict(columns)
        row = rows[i]
        score = len(columns)
        if score > best_score:
            said = _said(spec, row)
            parts = said.get(_PARTS)
            if parts is None:  # the header row's own words, the same in every file of a template
                others, again = got[1], got[2]
                parts = said[_PARTS] = (
                    {clean(row[j]): canonical for j, canonical in columns.items()}, [t for t in map(clean, others) if t],
                    [c for c in spec if c not in columns.values()],
                    [j for j in again if match_header(row[j], spec) == "Hình thức đề nghị"]
                    if "Hình thức đề nghị" in spec else [])
            best = Table(i, columns, dict(parts[0]), list(parts[1]), list(parts[2]), more_awards=list(parts[3]))
            best_score = score
    if best is not None and NAME in best.columns.values():
        _named_at(rows, best.header_idx, spec)
    if best is not None and "Hình thức đề nghị" in spec:
        _birth_by_sex_columns(rows[best.header_idx], best, spec)
        _sub_header(rows, best)
    return best


# The header rows found that name the name column, as their cells (fastexcel's texts, or the typed row), and
# the row the last of them was at: the sheets of one template (a master's unit sheets, a province's unit files)
# have their header at the same row, and a sheet whose row there is one of these has a text naming the name
# column, so `_no_name_header`, which only spares the search of a sheet without one, would say no.
_NAMED_ROWS: set[tuple] = set()  # (spec id, *cells)
_NAMED_AT: dict[int, int] = {}  # spec id -> the row index of the last header found that names the name column


def _cells(rows, i: int) -> "tuple | list":
    """Row i's cells without typing them (an ArrowSheet's as fastexcel wrote them; a list's row itself)."""
    raw = getattr(rows, "raw_row", None)
    return raw(i) if raw is not None else rows[i]


def _named_at(rows, i: int, spec) -> None:
    """Row i is a header row naming the name column: kept for `_header_as_before`."""
    if len(_NAMED_ROWS) > 1 << 10:
        _NAMED_ROWS.clear()
    _NAMED_ROWS.add((id(spec), *_cells(rows, i)))
    _NAMED_AT[id(spec)] = i


def _header_as_before(rows, start: int, stop: int, spec) -> bool:
    """Whether the row where the last header naming the name column was found is, in this sheet too, within
    rows start..stop-1 and a header row seen naming it (cell for cell): then a text of these rows names the
    name column. One row's cells looked at, not typed."""
    i = _NAMED_AT.get(id(spec))
    return i is not None and start <= i < stop and (id(spec), *_cells(rows, i)) in _NAMED_ROWS


def _too_few_texts(row: list, need: int) -> bool:
    """Whether a row has fewer text cells than `need`: header_of_row maps each text cell to at most one
    column, so such a row cannot name every required column (and is never the header). Asked of a row's cells
    as fastexcel wrote them first (`_cells`): typing a cell makes a text of no other cell, so fewer texts
    there are fewer texts typed, and the row is passed over without being typed."""
    if need < 2:
        return False
    n = 0
    for c in row:
        if isinstance(c, str) and c:
            n += 1
            if n >= need:
                return False
    return True


# What a row says as a header, by its own cells: the header rows and titles of a province's files come from
# one or two templates, so the next file's same row is a dict lookup. Cells other than text name no column
# (header_of_row skips them), so rows equal as tuples (1 == 1.0 == True) get the same answer.
_SAID: dict[tuple, dict] = {}
_KEY, _PARTS = 0, 1  # header_of_row's answer; the Table's typed headers, extra texts, missing, more awards


def _said(spec, row) -> dict:
    key = (id(spec), *row)
    said = _SAID.get(key)
    if said is None:
        if len(_SAID) > 1 << 12:
            _SAID.clear()
        _SPECS.setdefault(id(spec), spec)
        said = _SAID[key] = {}
    return said


_WORD = re.compile(r"\w+")


def _sex_words(cell: str) -> tuple[bool, bool]:
    """(names Nam, names Nữ) among a header's words, with their diacritics: "năm" (year) is no "nam";
    "nu" written without diacritics is still Nữ."""
    words = set(_WORD.findall(clean(cell).lower()))
    return "nam" in words, bool(words & {"nữ", "nu"})


def _birth_by_sex_columns(header: list, table: Table, spec) -> None:
    """The one-row form of the date of birth split by sex: two adjacent columns both naming the birth date,
    one naming Nam, the other Nữ ("Năm sinh (Nam)" | "Năm sinh (Nữ)", "Nữ (năm sinh)" | "Nam (năm sinh)")."""
    birth = next((j for j, c in table.columns.items() if c == "Ngày sinh"), None)
    if birth is None or birth + 1 >= len(header) or match_header(header[birth + 1], spec) != "Ngày sinh":
        return
    a, b = birth, birth + 1
    (a_nam, a_nu), (b_nam, b_nu) = _sex_words(header[a]), _sex_words(header[b])
    if a_nu and b_nam and not b_nu:
        a, b = b, a  # Nữ first
    elif not (b_nu and a_nam and not a_nu):
        return
    table.birth_by_gender = (a, b)
    table.birth_labels = (clean(header[a]), clean(header[b]))
    table.birth_own_headers = True
    table.headers_typed[clean(header[birth + 1])] = "Ngày sinh"
    if "Giới tính" in table.missing:
        table.missing.remove("Giới tính")


NAME = "Họ và tên"
# Every header of the name column folds to words with "ten" in them ("Họ và tên", "Tên tập thể", the word
# rules): a text can only name it if it holds a character whose lowered, decomposed form is t, then one for e,
# then one for n, with nothing between them but what fold drops (combining marks, control characters, the
# zero-width space; punctuation too, which only lets more texts through). The few texts of a sheet's first
# rows that pass (an initiatives sheet's "Tên sáng kiến") are matched as find_table matches them; none naming
# the name column: no row of the sheet is typed, folded or matched. tests/test_headers_sieve.py checks the
# letters and gaps over the whole of Unicode.
_T, _E, _N = ("TtŢţŤťȚțṪṫṬṭṮṯṰṱẗ", "EeÈÉÊËèéêëĒēĔĕĖėĘęĚěȄȅȆȇȨȩḔḕḖḗḘḙḚḛḜḝẸẹẺẻẼẽẾếỀềỂểỄễỆệ",
              "NnÑñŃńŅņŇňǸǹṄṅṆṇṈṉṊṋ")
_GAP = r"(?:[^\w\s]|[\x0b\x0c\x1c-\x1f\x85])*"
_TEN = re.compile(f"[{_T}]{_GAP}[{_E}]{_GAP}[{_N}]")


@lru_cache(maxsize=64)
def _name_needs_ten(spec_id: int) -> bool:
    """Whether every way a spec's cell can name the name column has "ten" among its folded words."""
    keys = [k for k, c in _variant_index_of(spec_id).items() if c == NAME]
    keys += [" ".join(need) for canonical, need, _never in WORD_RULES if canonical == NAME]
    return NAME in _SPECS[spec_id] and all("ten" in k.split() for k in keys)


def _no_name_header(rows, start: int, stop: int, spec) -> bool:
    """Whether no text of rows start..stop-1 is a header of the name column (see _TEN): read column by column
    from an ArrowSheet's frame (no row typed), the answer kept for the sheet's next search."""
    _SPECS.setdefault(id(spec), spec)
    if not _name_needs_ten(id(spec)):
        return False
    memo = getattr(rows, "header_memo", None)
    key = ("no name header", start, stop)
    if memo is not None and key in memo:
        return memo[key]
    frame = getattr(rows, "frame", None)
    if memo is not None and frame is not None:
        import polars as pl

        got = all(t.__class__ in (pl.String, pl.Null) for t in frame.dtypes)  # else not told: searched as before
        columns = frame.get_columns()
        # the first rows alone first: a nomination sheet's header is among them. Column by column (the order
        # does not change the answer): a Series' slice keeps the GIL, a frame's lets it go, and taking it back
        # from a reader thread running Python can cost the main thread a switch interval
        for a, b in ((start, min(stop, start + SKIP_AFTER)), (start + SKIP_AFTER, stop)):
            if got and a < b:
                got = not _names_column([c for s in columns for c in s.slice(a, b - a).to_list() if c], spec)
        memo[key] = got
        return got
    return not _names_column([c for r in rows[start:stop] for c in r if isinstance(c, str) and c], spec)


def _names_column(texts: list[str], spec) -> bool:
    """Whether one of the texts is a header of the name column: the regex over all of them at once, only
    the texts it stops in matched."""
    big = _CUT.join(texts)  # the line break breaks a word: no match across two texts
    hit = _TEN.search(big)
    if hit is None:
        return False
    if big.count(_CUT) != len(texts) - 1:  # a text holding the separator: one by one
        return any(match_header(t, spec) == NAME for t in texts if _TEN.search(t))
    while hit is not None:
        if match_header(texts[big.count(_CUT, 0, hit.start())], spec) == NAME:
            return True
        end = big.find(_CUT, hit.start())
        hit = _TEN.search(big, end) if end >= 0 else None
    return False


_CUT = "\n\x00"  # no cell holds NUL (XML forbids it)


SKIP_AFTER = 8  # rows searched one by one before the rest of a sheet with no header yet is looked at at once


def _names_anywhere(rows, start: int, stop: int, spec, canonical: str) -> bool:
    """Whether any text cell of rows start..stop-1 is a header of `canonical` (each distinct text matched
    once; an ArrowSheet gives its distinct texts without typing its rows): a sheet with no nomination
    header (a `Sáng kiến` list) is not searched row by row to its 40th row."""
    own = getattr(rows, "distinct_texts", None)
    if own is not None:
        cells = own(start, stop)
    else:
        cells = list({c for r in rows[start:stop] for c in r if isinstance(c, str) and c})
    match_many(cells, spec)
    known = _MATCHED.get(id(spec)) or {}
    for cell in cells:
        got = known.get(cell, _UNKNOWN)
        if got is _UNKNOWN:
            got = match_header(cell, spec)
        if got == canonical:
            return True
    return False


def explain(rows: list[list], spec, required: Iterable[str], scan: int = HEADER_SCAN_ROWS) -> str:
    """Why no header row was found, in the file's own words: the row that came closest, what it has
    and which required column it lacks ("không thấy cột “Hình thức đề nghị”; dòng 4 có: STT, Họ và tên, …")."""
    required = tuple(required)
    best = None
    for i, row in enumerate(rows[:scan]):
        texts = [clean(c) for c in row if isinstance(c, str) and clean(c)]
        if len(texts) < 2:
            continue
        columns, _o, _a = header_of_row(row, spec)
        key = (sum(r in columns.values() for r in required), len(columns), len(texts))
        if best is None or key > best[0]:
            best = (key, i, texts, set(columns.values()))
    looked = f"{min(len(rows), scan)} dòng đầu"
    if best is None:
        return f"không có dòng nào có tên cột trong {looked} (trang tính trống hoặc chỉ có tiêu đề)"
    _key, i, texts, found = best
    lacking = [r for r in required if r not in found]
    shown = ", ".join(t if len(t) <= 40 else t[:39] + "…" for t in texts[:8]) + (", …" if len(texts) > 8 else "")
    what = " và ".join(f"“{r}”" for r in lacking)
    return f"không thấy cột {what} trong {looked}; dòng {i + 1} (gần giống dòng tiêu đề nhất) có: {shown}"


def _find_units_sheet(names: list[str]) -> str | None:
    for n in names:
        if fold(n) in ("don vi", "danh sach don vi"):
            return n
    return None
