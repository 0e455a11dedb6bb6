"""Whole-column steps of the fastexcel reader agree with the per-value Python functions they replace,
on random and nasty cells (fastexcel's texts: dates as `1980-02-13 00:00:00`, numbers, typed text)."""
from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from thidua_xl.intake.arrow import ArrowSheet, _arrow_date
from thidua_xl.intake.datecols import dates_of_cells
from thidua_xl.intake.cells import Dates, reading_memos
from thidua_xl.safety import EXCEL_TEXT_MAX

DATE_CELLS = st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31)).map(lambda d: f"{d.isoformat()} 00:00:00")
ODD_DATES = st.sampled_from([
    "1980-02-30 00:00:00", "0999-01-01 00:00:00", "1980-02-13 10:30:00", "1980-02-13 00:00:00.5",
    "1980-2-13 00:00:00", "1980-02-13 00:00:00 ", " 1980-02-13 00:00:00", "1980-02-13", "1980-02-13 00:00:00\n",
    "١٩٨٠-٠٢-١٣ 00:00:00", "13/02/1980", " 13 / 02 / 1980", "13.02.80", "1980", "1980.5", "2.5", "45000", "0",
    "-3", "true", "false", "ngày 13 tháng 02 năm 1980", "NGÀY 5 THÁNG 7 NĂM 2023", "01/01/0001", "1899",
    "không rõ", "Nam", "x\ny", "", "\u00a013/02/1980", "31/02/1990", "2000-13-01 00:00:00",
])
TYPED_DATES = st.tuples(st.integers(0, 40), st.integers(0, 14), st.integers(0, 3000), st.sampled_from("/.-"),
                        st.sampled_from("/.-"), st.booleans()).map(
    lambda t: f"{t[0]:02d}{t[3]}{t[1]:02d}{t[4]}{t[2]:04d}" if t[5] else f"{t[0]}{t[3]}{t[1]}{t[4]}{t[2]:04d}")
CELLS = st.one_of(st.none(), DATE_CELLS, ODD_DATES, TYPED_DATES, st.text(max_size=12),
                  st.integers(-10, 3_000_000).map(str), st.integers(0, 9999).map(lambda y: f"{y:04d}"))


def _python(values: list) -> Dates | Exception:
    try:
        return Dates.of([_arrow_date(v, {}) for v in values])
    except Exception as e:  # noqa: BLE001 - the same failure either way
        return e


def _columns(values: list) -> Dates | Exception:
    with reading_memos():
        try:
            return dates_of_cells(values)
        except Exception as e:  # noqa: BLE001
            return e


def _same(a, b) -> None:
    if isinstance(a, Exception) or isinstance(b, Exception):
        assert type(a) is type(b), (a, b)
        return
    for f in Dates.__slots__:
        assert getattr(a, f) == getattr(b, f), f
        assert [type(x) for x in getattr(a, f)] == [type(x) for x in getattr(b, f)], f


@settings(max_examples=500, deadline=None)
@given(st.lists(CELLS, max_size=30))
@example(["1980-02-13 00:00:00", None, "", "1980", "13/02/1980", "1980-02-13 00:00:00"])
@example([None, None])
@example(["1980-02-30 00:00:00"])
@example(["13/02/1980", "1/2/1980", "31/02/1980", "13.02.1980", "13-2-2101", "1/1/1899", "1980", "1899", "2101", "0980"])
def test_dates_of_birth_read_as_a_column_are_the_python_parsers(values):
    _same(_columns(values), _python(values))
    sheet = ArrowSheet(pl.DataFrame({"a": values}, schema={"a": pl.String}))
    with reading_memos():  # what the row classifier reads with the sheet: the texts (a cell refused, refused here)
        try:
            later = sheet.body(0).date_column(0)
        except Exception as e:  # noqa: BLE001
            assert type(e) is type(_python(values))
            return
    assert later.text == _python(values).text
    assert later.filled == [bool(t) for t in later.text]  # what the row classifier reads
    assert list(later.cells) == values


def test_date_cells_typed_dates_and_years_are_read_without_the_python_parser(monkeypatch):
    import thidua_xl.intake.arrow as arrow

    def refuse(v, memo):
        raise AssertionError(v)

    monkeypatch.setattr(arrow, "_arrow_date", refuse)
    got = _columns(["1980-02-13 00:00:00", None, "2001-12-31 00:00:00", "", "13/2/1980", "1975"])
    assert got.text == ["13/02/1980", "", "31/12/2001", "", "13/2/1980", "1975"]
    assert got.date == [dt.date(1980, 2, 13), None, dt.date(2001, 12, 31), None, dt.date(1980, 2, 13), None]
    assert got.year == [1980, None, 2001, None, 1980, 1975]
    assert got.raw == ["1980-02-13", "", "2001-12-31", "", "13/2/1980", "1975"] and got.error == [None] * 6


# --- header cells matched together ------------------------------------------------------------------
from thidua_xl.schema import (DECISION_LIST_HEADERS, DISCIPLINE_IMPORT_HEADERS, HISTORY_IMPORT_HEADERS,  # noqa: E402
                              INITIATIVE_HEADERS, NOMINATION_HEADERS, UNIT_LIST_HEADERS)

SPECS = [NOMINATION_HEADERS, INITIATIVE_HEADERS, UNIT_LIST_HEADERS, HISTORY_IMPORT_HEADERS, DECISION_LIST_HEADERS,
         DISCIPLINE_IMPORT_HEADERS]
_VARIANTS = sorted({v for spec in SPECS for c, (_cid, vs) in spec.items() for v in (c, *vs)})
_WORDS = sorted({w for v in _VARIANTS for w in v.split()} | {"tên", "tập", "thể", "cá", "nhân", "sáng", "kiến",
                                                             "đơn", "vị", "nơi", "quê", "kỷ", "luật", "mã"})


def _nasty(text: str, how: int) -> str:
    import unicodedata

    return [text, text.upper(), unicodedata.normalize("NFD", text), f"  {text}\n(ghi rõ)", f"{text} (6)",
            f"{text}1 (x)", f"[{text}]", text.replace(" ", "\u00a0 "), text.replace("đ", "Đ"), f"{text} 12",
            text.encode("utf-8").decode("latin-1"), f"{text}1"][how % 12]


HEADER_CELLS = st.one_of(
    st.tuples(st.sampled_from(_VARIANTS), st.integers(0, 11)).map(lambda t: _nasty(*t)),
    st.tuples(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=5), st.integers(0, 11))
    .map(lambda t: _nasty(" ".join(t[0]), t[1])),
    st.text(max_size=20), st.sampled_from(["Nguyễn Văn An", "Nguyễn Thị Hoa", "Khoa Nội", "1", "", " ", "Tổng cộng",
                                           "Hồ Văn Tên", "Ngày sinh Nam", "Họ tên 2", "x" * 90]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(HEADER_CELLS, max_size=25))
@example(["Họ và tên", "HỌ TÊN", "Hình thức đề nghị (6)", "Ghi chú1", "Tên tập thể/cá nhân/hộ gia đình",
          "Phân loại khen thưởng", "Ngày, tháng, năm sinh", "Nguyễn Văn A", "Đơn vị công tác", "Ghi chú1 (ghi rõ)",
          "Hình thức đề nghị2 [x]", "STT٣"])
def test_header_cells_matched_together_are_matched_as_one_by_one(cells):
    from thidua_xl.intake import headers

    for spec in SPECS:
        headers._MATCHED.pop(id(spec), None)
        headers.match_many(cells, spec)
        for c in cells:
            assert headers._MATCHED[id(spec)][c] == headers._match_header(c, id(spec)), (c, spec)
            assert headers.match_header(c, spec) == headers._match_header(c, id(spec))


def test_names_and_titles_below_a_header_are_settled_without_the_full_matching(monkeypatch):
    from thidua_xl.intake import headers

    headers._MATCHED.pop(id(NOMINATION_HEADERS), None)
    asked = []
    real = headers._match_cached
    monkeypatch.setattr(headers, "_match_cached", lambda cell, spec_id: asked.append(cell) or real(cell, spec_id))
    cells = ["Nguyễn Văn An", "Trần Thị Bình", "Khoa Nội tổng hợp", "Chiến sĩ thi đua cơ sở", "Lao động tiên tiến",
             "HỌ VÀ TÊN", "Tên tập thể/cá nhân", "Đơn vị công tác"]
    headers.match_many(cells, NOMINATION_HEADERS)
    assert [headers.match_header(c, NOMINATION_HEADERS) for c in cells] == \
        [None, None, None, None, None, "Họ và tên", "Họ và tên", "Khoa, phòng"]
    assert not {"Nguyễn Văn An", "Trần Thị Bình", "Khoa Nội tổng hợp", "Lao động tiên tiến"} & set(asked)


# --- template sample rows found among a column's texts ------------------------------------------------
SAMPLE_LIKE = st.sampled_from([
    "Nguyễn Văn A", "nguyễn văn a", "NGUYỄN VĂN A", "Nguyễn Văn Ă", "Trần Thị B.", "Ông Nguyễn Văn A", "Bà Lê Thị C",
    "Đỗ Văn Đ", "Vũ Đức E", "Hoàng Hữu A1", "Phạm Văn A_", "Lê Văn A B", "Nguyễn Văn An", "Ví dụ", "VD:", "(mẫu)",
    "- Ví dụ: Khoa Nội", "Dòng mẫu", "Minh họa", "ṽí dụ", "Ｖí dụ", "vi du", "Mẫu số 1", "Mai Văn Minh", "Đinh Thị Ẩ",
    "Nguyễn Văn İ", "Trần Văn Ａ", "1. Nguyễn Văn A", "_Nguyễn Văn A", "Ví", "Minh hoạ", " \u200bVí dụ", "\u0301Ví dụ",
]).map(lambda t: t)


def _forms(t: str, how: int) -> str:
    import unicodedata

    return [t, unicodedata.normalize("NFD", t), f"  {t}  ", t.upper(), t.lower(), t.replace(" ", "\u00a0"),
            f"{t}\n", f"*{t}*", t.encode("utf-8").decode("latin-1")][how % 9]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.tuples(SAMPLE_LIKE, st.integers(0, 8)).map(lambda x: _forms(*x)), st.text(max_size=15),
                          st.none(), st.just("")), max_size=30))
def test_sample_rows_found_among_a_column_are_the_ones_is_example_accepts(texts):
    from thidua_xl.rowkinds import examples_among, is_example

    assert examples_among(texts) == {t for t in texts if t and t.__class__ is str and is_example(t)}


def test_no_first_or_last_character_escapes_the_sample_row_filter():
    """Every character of the Basic Multilingual Plane as the first letter of a mark and as the given name."""
    from thidua_xl.rowkinds import examples_among, is_example

    chars = [chr(c) for c in range(1, 0x10000) if not 0xD800 <= c < 0xE000]
    for texts in ([f"{c}í dụ" for c in chars], [f"Lê Văn {c}." for c in chars], [f"{c}rần Thị B" for c in chars]):
        assert examples_among(texts) == {t for t in texts if is_example(t)}


# --- an award named inside a title or heading --------------------------------------------------------
def _find_in_every_entry(matcher, text):
    """find_in as it first was: every entry tried at every position of the text."""
    from thidua_xl.awards_text import canonical
    from thidua_xl.text import clean

    words = canonical(clean(text)).split()
    spans = [(i, i + len(e.words), e.code) for e in matcher.entries for i in range(len(words) - len(e.words) + 1)
             if tuple(words[i:i + len(e.words)]) == e.words] if words else []
    kept = {c for s0, e0, c in spans if not any(s1 <= s0 and e0 <= e1 and (e1 - s1) > (e0 - s0) for s1, e1, _c in spans)}
    return kept.pop() if len(kept) == 1 else None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["danh", "hiệu", "sách", "năm", "tập", "thể", "1.", "đề nghị", "(", ")",
                                           "LAO ĐỘNG", "tiên", "tiến", "chiến sĩ", "thi đua", "cơ sở", "bằng khen"]),
                          st.integers(0, 89)), max_size=8))
def test_the_award_found_in_a_title_is_found_as_by_trying_every_entry(parts):
    from thidua_xl.catalog import load_catalog

    matcher = load_catalog().matcher
    names = [" ".join(e.words) for e in matcher.entries]
    text = " ".join(p if isinstance(p, str) else names[p % len(names)] for p in parts)
    assert matcher.find_in(text) == _find_in_every_entry(matcher, text)


# --- person keys of the frame ---------------------------------------------------------------------------
def test_person_keys_of_the_frame_are_text_person_key_of_each_row(seed_folder):
    """The name without its title, keyed; the birth year joined for a person (not for a collective)."""
    import pandas as pd

    from thidua_xl.catalog import TAP_THE
    from thidua_xl.intake import read_paths
    from thidua_xl.intake.frames import finish_nominations
    from thidua_xl.catalog import load_catalog
    from thidua_xl.subjects import strip_title
    from thidua_xl.text import person_key

    frame = read_paths([seed_folder]).frame
    want = [person_key(strip_title(n)[1], None if s == TAP_THE else y)
            for n, y, s in zip(frame["ho_ten"], frame["nam_sinh"], frame["subject"])]
    assert frame["person_key"].to_list() == want
    assert any("|" in k for k in want) and any("|" not in k for k in want)
    odd = pd.DataFrame({c: [None] * 4 for c in frame.columns})
    odd["ho_ten"] = ["ThS.BS. Nguyễn  Văn Hoà", "nguyễn văn hòa", "Khoa Nội", "Bà Lê Thị Thuý"]
    odd["nam_sinh"] = [1980, 1980, None, -5]
    odd["hinh_thuc"] = ["Lao động tiên tiến", "Lao động tiên tiến", "Tập thể lao động tiên tiến", "Chiến sĩ thi đua cơ sở"]
    for c in ("stt", "gioi_tinh", "chuc_vu", "khoa_phong", "doi_tuong", "doi_tuong_raw", "group_subject", "sang_kien",
              "ghi_chu", "ngay_sinh_raw", "file", "path", "sheet", "unit_code", "unit"):
        odd[c] = ""
    odd["row"] = [1, 2, 3, 4]
    got = finish_nominations(odd, load_catalog())
    assert got["person_key"].tolist() == [
        person_key(strip_title(n)[1], None if s == TAP_THE or y != y else y)
        for n, y, s in zip(odd["ho_ten"], odd["nam_sinh"], got["subject"])]
    keys = got["person_key"].tolist()
    assert keys[0] == keys[1] and keys[0].endswith("|1980") and keys[3].endswith("|-5") and "|" not in keys[2]


# --- titles before names ---------------------------------------------------------------------------------
TITLE_PARTS = st.sampled_from(["ThS.BS.", "Ông", "bà", "BSCK II", "Đại tá", "đ/c", "Đ/C", "TS,", "GS.TS", "Bác sĩ",
                               "NSƯT", "Bàng", "Thái", "Ckii", "İ", "ΣΣ", "ông.", "Ts.Bs", "", " ", "x" * 9])
NAME_PARTS = st.sampled_from(["Nguyễn Văn An", "Lê Thị Thuý", "Khoa Nội", "Ông Ích Khiêm", "Bà Rịa", "an", "ÔNG"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.tuples(TITLE_PARTS, st.sampled_from(["", " ", ".", ","]), NAME_PARTS).map("".join),
                          st.text(max_size=10)), max_size=20))
def test_names_that_may_carry_a_title_are_the_ones_the_first_word_sieve_keeps(names):
    from thidua_xl.subjects import _TITLE_STARTS, _maybe_titled, strip_title, strip_titles

    every = {n for n in names if n[:8].lower().split(" ", 1)[0].split(".", 1)[0].split(",", 1)[0] in _TITLE_STARTS}
    got = _maybe_titled(names)
    assert got == every or (not got and not any(("\x00" + w) in "\x00" + "\x00".join(names).lower()
                                                 for w in _TITLE_STARTS))
    bare = strip_titles(names)
    assert bare == [strip_title(n)[1] if n in every else n for n in names] or not got


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(CELLS, st.sampled_from(["true", "false", "True", "  Nguyễn  Văn\u00a0An ", "x\ny",
                                                 "1980-02-13 00:00:00", "2024-01-01 10:30:00", "abcd-efghijklmnopqrs"])),
                max_size=30))
def test_column_texts_are_each_cell_cleaned(values):
    """A date or bool cell as its text, any other cleaned (what the list reader gives from typed cells)."""
    from thidua_xl.intake.arrow import _DATETIME, _special_text
    from thidua_xl.text import clean

    def date_cell(v):
        try:
            return len(v) >= 19 and _DATETIME.fullmatch(v) and dt.datetime.fromisoformat(v)
        except ValueError:  # typed as text: no date cell
            return False

    def one(v):
        if v is None:
            return ""
        return _special_text(v) if date_cell(v) or v in ("true", "false") else clean(v)

    sheet = ArrowSheet(pl.DataFrame({"a": values}, schema={"a": pl.String}))
    with reading_memos():
        assert sheet.body(0).texts(0) == [one(v) for v in values]


def test_a_text_shaped_like_a_date_cell_is_read_as_the_list_reader_reads_it(tmp_path):
    """A note or a birth date typed "1980-02-30 00:00:00" (no such day) or with other digits is text, as
    python-calamine gives it: the file is read, not refused."""
    import openpyxl

    from thidua_xl.intake import read_paths
    from thidua_xl.intake.cells import ListBody
    from thidua_xl.intake.arrow import open_book
    from thidua_xl.reading import checked_scan, open_scanned, sheet_rows

    odd = ["1980-02-30 00:00:00", "١٩٨٠-٠٢-١٣ 00:00:00", "2000-13-01 00:00:00", "1980-02-13 25:00:00"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Hình thức đề nghị", "Ghi chú"])
    for i, text in enumerate(odd):
        ws.append([i + 1, f"Nguyễn Văn {'ABCD'[i]}n", text, "Lao động tiên tiến", text])
    ws.append([9, "Trần Thị Bình", dt.date(1985, 2, 13), "Lao động tiên tiến", "ok"])
    path = tmp_path / "DV01.xlsx"
    wb.save(path)
    scan = checked_scan(path)
    calamine = sheet_rows(open_scanned(path, scan)[0], "Danh sách")
    arrow = open_book(path, scan).sheet("Danh sách")
    assert [arrow[i] for i in range(len(arrow))] == calamine
    with reading_memos():
        lists, columns = ListBody(calamine, 1), arrow.body(1)
        assert columns.texts(4) == lists.texts(4) == odd + ["ok"]
        a, later = lists.dates(lists.raw(2)), columns.date_column(2)
        b = dates_of_cells(later.cells)
        assert later.text == a.text == b.text
        assert (b.date, b.year, b.raw, b.error) == (a.date, a.year, a.raw, a.error)
    intake = read_paths([tmp_path])
    assert not intake.bad_files and intake.frame.height == 5
    assert intake.frame["ghi_chu"].to_list()[:4] == odd


BLANKISH = st.sampled_from(["", " ", "\u00a0", "\u200b", "\t\n", "\x01", "\x7f\x9f", "\u202e", "\u3000", "\u2028",
                            "\u180e", "\ufeff", "\u2060", "\x1c", "\x85", "\u200d", " \u200b ", "\x0b\x0c"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(CELLS, BLANKISH, st.lists(BLANKISH, max_size=3).map("".join),
                          st.text(st.characters(codec="utf-8", categories=["Zs", "Cc", "Cf", "Zl", "Zp"]),
                                  max_size=4)), max_size=30))
def test_the_rows_without_a_date_of_birth_found_by_one_query_are_the_row_by_row_readers(values):
    """The classifier looks at every row whose date cell is blank once cleaned; every other row has a date
    of birth as the row by row reading says (`date_column(...).filled`), and among the rows looked at the
    Python test decides."""
    values = [None if v is None else v.replace("\x00", "") for v in values]
    sheet = ArrowSheet(pl.DataFrame({"a": values, "b": ["x"] * len(values)}, schema={"a": pl.String, "b": pl.String}))
    with reading_memos():
        body = sheet.body(0)
        filled = body.date_column(0).filled
        rows, longest, _matched = body.rows_to_test(0, [1], "^$")
        assert rows == sorted(rows)
        assert [i for i, f in enumerate(filled) if not f] == [i for i in rows if not filled[i]]
        assert set(range(len(values))) - set(rows) <= {i for i, f in enumerate(filled) if f}
        assert body.dates_filled(body.cells_at(0, rows)) == [filled[i] for i in rows]
        assert (longest > EXCEL_TEXT_MAX) == (max((len(v) for v in values if v), default=0) > EXCEL_TEXT_MAX)


def test_a_date_cell_longer_than_excel_allows_is_told_by_its_characters_not_its_bytes():
    """A cell of 32,767 Vietnamese letters is twice as many bytes and still fits in a cell; one more does not."""
    for size, long in ((EXCEL_TEXT_MAX, False), (EXCEL_TEXT_MAX + 1, True)):
        values = ["01/01/1980", "ệ" * size, None]
        sheet = ArrowSheet(pl.DataFrame({"a": values}, schema={"a": pl.String}))
        with reading_memos():
            _rows, longest, _matched = sheet.body(0).rows_to_test(0, [], "^$")
        assert (longest > EXCEL_TEXT_MAX) is long
