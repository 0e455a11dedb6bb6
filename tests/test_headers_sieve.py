"""A sheet that cannot hold a name column's header is told by one regex, not searched row by row.

Every header of the name column ("Họ và tên", "Tên tập thể", the word rules) folds to words with "ten"
in them. `headers._TEN` lets through every text whose fold holds "ten": checked here letter by letter
over the whole of Unicode, then on nasty texts (NFD, tones, Đ/đ, odd spaces, control characters,
TCVN3 bytes) against the header matcher itself. A sheet no text of which names the name column (an
initiatives list) is answered without typing any of its rows; one that does is searched as before.
"""
from __future__ import annotations

import sys
import unicodedata

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from thidua_xl.intake import headers
from thidua_xl.intake.arrow import ArrowSheet, typed
from thidua_xl.intake.headers import (INITIATIVE_HEADERS, INITIATIVE_REQUIRED, NOMINATION_HEADERS,
                                      NOMINATION_REQUIRED, _TEN, _names_column, _no_name_header, find_table,
                                      match_header)
from thidua_xl.intake.rows import locate_table
from thidua_xl.schema import DECISION_LIST_HEADERS, HISTORY_IMPORT_HEADERS as HISTORY_HEADERS, UNIT_LIST_HEADERS
from thidua_xl.text import _CONTROL, fold


def _letters(c: str) -> str:
    """What fold keeps of one character: its lowered, decomposed form without combining marks."""
    return "".join(ch for ch in unicodedata.normalize("NFD", c.lower().replace("đ", "d"))
                   if not unicodedata.combining(ch))


def test_every_character_fold_reads_as_t_e_or_n_is_in_its_class_and_every_dropped_one_is_a_gap():
    gap = headers._GAP[3:-2]  # the one-character alternation inside (?:…)*
    import re

    one_gap = re.compile(gap)
    classes = {"t": headers._T, "e": headers._E, "n": headers._N}
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        kept = _letters(c)
        if _CONTROL.fullmatch(c) or c in "\x00\u200b" or not kept:  # fold drops it: no word break
            assert one_gap.fullmatch(c), hex(cp)
            continue
        for letter, members in classes.items():
            if letter in kept:
                assert kept == letter and c in members, hex(cp)
    assert headers._TEN.pattern.startswith(f"[{headers._T}]")


def test_every_name_header_of_the_specs_folds_with_ten():
    """The sieve is on for the specs that look for a name column (else they are searched as before)."""
    for spec in (NOMINATION_HEADERS, HISTORY_HEADERS, DECISION_LIST_HEADERS):
        headers._SPECS.setdefault(id(spec), spec)
        assert headers._name_needs_ten(id(spec))
    headers._SPECS.setdefault(id(UNIT_LIST_HEADERS), UNIT_LIST_HEADERS)
    assert not headers._name_needs_ten(id(UNIT_LIST_HEADERS))  # no name column: never asked


GAPS = ["\u0301", "\u0302", "\u0323", "\u0309", "\u0303", "\u0300", "\u0306", "\u031b", "\u200b", "\x01", "\x0b",
        "\x1f", "\x85", "\u202e", "\u094d", "-", ".", "/"]
LETTERS = ["t", "T", "ţ", "Ť", "ṭ", "e", "E", "ê", "Ê", "ế", "Ệ", "ȩ", "n", "N", "ñ", "Ṇ", "h", "o", "ọ", "H", "a",
           "p", "c", "d", "đ", "Đ", "u", "ư", "g", "v", "i", "y", " ", "\u00a0", "\n", "\t", "\u3000", "1", "(", ")",
           "[", "]", ",", "ª", "×", "ä"]
NASTY = st.one_of(
    st.text(alphabet=st.sampled_from(LETTERS + GAPS), max_size=24),
    st.text(max_size=12),
    st.sampled_from(["Họ và tên", "HỌ VÀ TÊN", "Ho\u0323 va\u0300 te\u0302n", "Họ tên / Tên tập thể", "Tên tập thể",
                     "Tên cá nhân", "Họ và tên (ghi rõ)", "Họ và tên 2", "Ho va ten", "T\u200bên tập thể",
                     "Tê\x01n tập thể", "TÊN ĐƠN VỊ, TẬP THỂ", "Tên đối tượng", "Hä va× tªn", "Tên sáng kiến",
                     "\u00a0Họ\u00a0tên\u200b", "Tên\ttập thể", "họ_tên", "T\u0323e\u0302\u0301n tập thể", None, ""]))


@settings(max_examples=1500, deadline=None)
@given(NASTY)
@example("T\u0323e\u0302\u0301n tập thể")
@example("T\u094de\u0302n ca\u0301 nha\u0302n")
@example("Tê\x0bn tập thể")
def test_a_text_that_names_the_name_column_passes_the_regex(text):
    if text is None:
        return
    if "ten" in fold(text):
        assert _TEN.search(text)
    for spec in (NOMINATION_HEADERS, HISTORY_HEADERS, DECISION_LIST_HEADERS):
        if match_header(text, spec) == "Họ và tên":
            assert _TEN.search(text) and _names_column([text], spec)
            assert _names_column(["Khoa Nội", text, "Tên sáng kiến"], spec)
            assert _names_column(["Tên sáng kiến", "1", text], spec)


@settings(max_examples=400, deadline=None)
@given(st.lists(NASTY.filter(lambda t: t is not None), max_size=10))
def test_names_column_is_any_text_matched_one_by_one(texts):
    want = any(match_header(t, NOMINATION_HEADERS) == "Họ và tên" for t in texts)
    assert _names_column(texts, NOMINATION_HEADERS) == want


CELL = st.one_of(st.none(), NASTY, st.sampled_from(["STT", "Hình thức đề nghị", "Danh hiệu thi đua", "Tác giả",
                                                     "Tên sáng kiến, đề tài", "Nguyễn Văn Tên", "LĐTT", "1"]))
SHEETS = st.integers(1, 5).flatmap(lambda w: st.lists(st.lists(CELL, min_size=w, max_size=w), max_size=45))


@settings(max_examples=300, deadline=None)
@given(SHEETS)
def test_the_sieve_gives_what_searching_every_row_gives(cells):
    width = len(cells[0]) if cells else 0
    frame = pl.DataFrame({f"c{j}": [r[j] for r in cells] for j in range(width)},
                         schema={f"c{j}": pl.String for j in range(width)})
    rows = [[typed(v) for v in r] for r in cells]
    cases = ((NOMINATION_HEADERS, NOMINATION_REQUIRED), (NOMINATION_HEADERS, ("Họ và tên",)),
             (INITIATIVE_HEADERS, INITIATIVE_REQUIRED))
    skip, headers.SKIP_AFTER = headers.SKIP_AFTER, 10_000  # neither the sieve nor the look at the rest at once
    try:
        want = [find_table(rows, spec, required) for spec, required in cases] + [locate_table(rows)]
    finally:
        headers.SKIP_AFTER = skip
    got = [find_table(ArrowSheet(frame), spec, required) for spec, required in cases] + \
        [locate_table(ArrowSheet(frame))]
    assert got == want
    assert [find_table(rows, spec, required) for spec, required in cases] + [locate_table(rows)] == want


def _initiatives(n: int) -> list[list]:
    return [["STT", "Tên sáng kiến, đề tài", "Loại", "Cấp công nhận", "Tác giả"]] + [
        [str(k), f"Cải tiến quy trình tiếp đón người bệnh số {k} tại Khoa Khám bệnh", "Sáng kiến", "Tỉnh",
         f"Nguyễn Văn Tiến {k}"] for k in range(1, n)]


def test_an_initiatives_sheet_is_answered_without_typing_a_row():
    cells = _initiatives(50)
    sheet = ArrowSheet(pl.DataFrame({f"c{j}": [r[j] for r in cells] for j in range(5)}))
    assert locate_table(sheet) is None
    assert sheet._rows == {}  # no row became Python cells to be told it holds no nomination header
    assert _no_name_header(sheet, 0, 40, NOMINATION_HEADERS)
    assert find_table(sheet, INITIATIVE_HEADERS, INITIATIVE_REQUIRED).header_idx == 0


def test_a_name_header_anywhere_in_the_first_rows_is_searched_for():
    """One cell naming the name column deep in an initiatives-like sheet (row 30), or written with marks
    apart, or with a zero-width space: the sheet is searched row by row and its table found."""
    for name in ("Họ và tên", "Ho\u0323 va\u0300 te\u0302n", "T\u200bên tập thể", "HỌ VÀ TÊN (ghi rõ)"):
        cells = _initiatives(30) + [["STT", name, "Hình thức đề nghị", "Ghi chú", None],
                                    ["1", "Lê Thị Hoa", "LĐTT", None, None]]
        sheet = ArrowSheet(pl.DataFrame({f"c{j}": [r[j] for r in cells] for j in range(5)}))
        rows = [[typed(v) for v in r] for r in cells]
        for s in (sheet, rows):
            assert not _no_name_header(s, 0, 40, NOMINATION_HEADERS)
            found = locate_table(s)
            assert found is not None and found.header_idx == 30 and found.columns[1] == "Họ và tên"
