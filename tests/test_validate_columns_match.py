"""What validation prepares column by column reads as the per-value Python it replaced: the TCVN3/VNI
candidates of a column, an initiative title's key and its authors, and the register read as JSON arrays.

The strings are nasty on purpose: NFD and NFC Vietnamese, Đ/đ, odd spaces, TCVN3 and VNI bytes, Latin-1
letters alone, control characters, empty and missing values.
"""
from __future__ import annotations

import sqlite3
import unicodedata

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl import legacy, store
from thidua_xl.history import JOIN_COLUMNS, load_polars
from thidua_xl.text import fold, name_keys
from thidua_xl.validate import (LEGACY_COLUMNS, _authors, _initiative_authors, _legacy_candidates, _ten_keys,
                                _unicode_text, _unicode_texts)

SAMPLES = ["Nguyễn Văn An", unicodedata.normalize("NFD", "Trần Thị Hoà"), "Đặng  Đức\u00a0Đông", "Hà Lê",
           "NguyÔn V¨n An", "Tr\u00a7n ThÞ Hoµ", "Nguye^n Va(n A1n", "Ph¹m ThÞ B×nh", "ThS.BS. Lê An; Ngô Bé",
           "GS Phạm A,\nTS. Võ B", "ÿ", "\x00\x01", " ", "", "Ä", "Ö", "é", "Bệnh viện “Đa khoa”"]
TEXTS = st.one_of(st.none(), st.sampled_from(SAMPLES),
                  st.text(alphabet=st.sampled_from("aăâđêôơưAĐ \u00a0\u0300\u0301\u0303\u00a8\u00b8\u00d5\u00f4µ×;,.\n"),
                          max_size=12),
                  st.text(max_size=8))


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=12))
def test_legacy_candidates_are_those_the_python_test_finds(values):
    frame = pl.DataFrame({"ho_ten": pl.Series(values, dtype=pl.String), "ghi_chu": pl.Series(values[::-1],
                                                                                              dtype=pl.String)})
    got = {c: set(v) for c, v in _legacy_candidates(frame).items()}
    expected = {}
    for col in ("ho_ten", "ghi_chu"):
        odd = {v for v in frame.get_column(col).to_list()
               if v is not None and legacy._LEGACY_CANDIDATE.search(v) and not legacy._VIET_UNICODE.search(v)}
        if odd:
            expected[col] = odd
    assert got == expected and set(got) <= set(LEGACY_COLUMNS)


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=12))
def test_unicode_texts_and_title_keys_are_the_per_value_ones(values):
    series = pl.Series(values, dtype=pl.String)
    distinct, converted = _unicode_texts(series)
    assert sorted(distinct.to_list()) == sorted({"" if v is None else v for v in values})
    assert converted == [_unicode_text(t) for t in distinct.to_list()]
    assert _ten_keys(series).to_list() == [fold(_unicode_text("" if v is None else v)) for v in values]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(TEXTS, TEXTS, st.sampled_from(["co_so", "tinh", None]), st.sampled_from([2023.0, None])),
                min_size=1, max_size=8))
def test_initiative_authors_are_one_row_per_author_in_order(rows):
    frame = pl.DataFrame({"tac_gia": [r[0] for r in rows], "ten": [r[1] for r in rows], "cap": [r[2] for r in rows],
                          "nam": [r[3] for r in rows], "unit_code": ["BV_A"] * len(rows), "unit": ["Bệnh viện A"] * len(rows)},
                         schema={"tac_gia": pl.String, "ten": pl.String, "cap": pl.String, "nam": pl.Float64,
                                 "unit_code": pl.String, "unit": pl.String})
    got = _initiative_authors(frame, {"bv_a": "BV_A"})
    expected = []
    for tac_gia, ten, cap, nam in rows:
        for author in _authors(_unicode_text(tac_gia or "")):
            expected.append((name_keys([author])[0], "BV_A", {"co_so": 1, "tinh": 2}.get(cap, 1), nam,
                             fold(_unicode_text(ten or ""))))
    assert got.rows() == expected
    assert got.columns == ["author_key", "unit_key", "level", "nam", "ten_key"]


def _register(path, records):
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE award (id INTEGER PRIMARY KEY, ho_ten TEXT, name_key TEXT, ngay_sinh TEXT, "
                "nam_sinh INTEGER, don_vi TEXT, unit_key TEXT, subject TEXT, award TEXT, nam INTEGER)")
    con.executemany("INSERT INTO award (id, ho_ten, name_key, ngay_sinh, nam_sinh, don_vi, unit_key, subject, award, nam) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", records)
    con.commit()
    con.close()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(TEXTS, st.one_of(st.none(), st.integers(1950, 2005)), st.sampled_from([2019, 2023, 2024])),
                max_size=10), st.randoms(use_true_random=False))
def test_the_register_read_as_json_arrays_is_the_rows_read_one_by_one(tmp_path_factory, records, rnd):
    path = tmp_path_factory.mktemp("reg") / "so.sqlite"
    ids = rnd.sample(range(1, 1000), len(records))  # inserted out of id order
    _register(path, [(i, n or "", n or "", "", y, "", "u" + (n or ""), "ca_nhan", "LDTT", year)
                     for i, (n, y, year) in zip(ids, records)])
    sql = ("SELECT name_key, nam_sinh AS birth_year, ngay_sinh AS birth_date, unit_key, subject, award, nam AS year "
           "FROM award WHERE nam BETWEEN :y0 AND :y1 ORDER BY id")
    schema = {"name_key": pl.String, "birth_year": pl.Float64, "birth_date": pl.String, "unit_key": pl.String,
              "subject": pl.String, "award": pl.String, "year": pl.Int64}
    params = {"y0": 2012, "y1": 2024}
    by_rows = pl.DataFrame(store.columns(path, sql, params), schema=schema, strict=False)
    got = store.frame(path, sql, params, schema)
    assert got.equals(by_rows) and got.schema == by_rows.schema
    assert load_polars(path, years=(2012, 2024), columns=JOIN_COLUMNS).equals(by_rows)


def test_a_text_in_a_number_column_reads_as_the_rows_do(tmp_path):
    path = tmp_path / "so.sqlite"
    _register(path, [(1, "An", "an", "", "năm 1980", "", "u", "ca_nhan", "LDTT", 2024),
                     (2, "Bình", "binh", "", 1981, "", "u", "ca_nhan", "LDTT", 2024)])
    sql = "SELECT name_key, nam_sinh AS birth_year FROM award ORDER BY id"
    schema = {"name_key": pl.String, "birth_year": pl.Float64}
    assert store.frame(path, sql, None, schema).equals(pl.DataFrame(store.columns(path, sql), schema=schema,
                                                                     strict=False))
    assert store.frame(path, "SELECT name_key FROM award WHERE nam = 1900", None, {"name_key": pl.String}).height == 0


VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
LETTERS = VIETNAMESE + VIETNAMESE.upper() + "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ" \
          "ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ"
TITLES = st.one_of(
    st.text(alphabet=st.sampled_from(LETTERS + " 0123456789_-.,;:()\"'/%–—“”‘’…•‰′‿⁀⁞«»\u2028\u205f\u00a0\t\n"),
            max_size=40),
    st.text(alphabet=st.sampled_from(LETTERS), max_size=20).map(lambda t: unicodedata.normalize("NFD", t)),
    st.text(alphabet=st.sampled_from("aeoAEO nN\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323\u0304\u030c\u0327"
                                     "ǹǸñÑçÇǎ²ªºµß×÷İıſK\u00b8\u00d5"), max_size=12),
    st.text(max_size=12))


@settings(max_examples=400, deadline=None)
@given(st.lists(TITLES, min_size=1, max_size=10))
def test_title_keys_by_polars_are_fold_of_each_title(titles):
    """A title of ASCII and Vietnamese letters (composed or decomposed, either case) is folded by Polars expressions;
    its key must be what fold() gives it, and any other title keeps going through Python."""
    series = pl.Series(titles, dtype=pl.String)
    assert _ten_keys(series).to_list() == [fold(_unicode_text(t)) for t in titles]


def test_vietnamese_titles_take_the_polars_fold():
    from thidua_xl.validate import _foldable

    titles = ["Ứng dụng kỹ thuật nội soi trong điều trị sỏi mật (2023)", "ĐỔI MỚI QUY TRÌNH_TIẾP ĐÓN",
              unicodedata.normalize("NFD", "Giải pháp quản lý hồ sơ"), "Hà Lê", "Khoa Ngoại – Phụ", "Café “x”",
              "a\tb", "Café «x»", "x²", "a\u2028b"]
    safe = pl.select(_foldable(pl.lit(pl.Series(titles)))).to_series().to_list()
    assert safe == [True] * 6 + [False] * 4


def test_the_punctuation_polars_folds_is_what_fold_makes_a_space_of():
    """Each character of `_PUNCTUATION`'s ranges has no case and no decomposition, is no word character and no
    space, and clean() keeps it: fold() makes a space of it, as `_fold_vietnamese` does."""
    import re

    from thidua_xl.rules.authors import _PUNCTUATION
    from thidua_xl.text import clean

    chars = [chr(c) for a, b in re.findall("(.)-(.)", _PUNCTUATION) for c in range(ord(a), ord(b) + 1)]
    assert len(chars) == 24 + 47
    for ch in chars:
        assert ch.lower() == ch == ch.upper() and unicodedata.normalize("NFD", ch) == ch, hex(ord(ch))
        assert not re.match(r"\w", ch) and not ch.isspace() and ch.isprintable() and clean("a" + ch + "b") == \
            "a" + ch + "b", hex(ord(ch))
        assert fold("a" + ch + "b") == "a b", hex(ord(ch))


AUTHOR_CELLS = st.one_of(st.sampled_from(SAMPLES), st.lists(st.sampled_from(
    ["ThS.", "BS", "bsckii.", "TS ", "Gs", "ĐD.", "ktv", "ts", "Nguyễn", " Văn", "An", ",", ";", "\n", " ", "\u00a0",
     "\t", ".", "\x00", "\x1b", "ſ", "Tsang", "e\u0301"]), max_size=12).map("".join), st.text(max_size=10))


@settings(max_examples=300, deadline=None)
@given(st.lists(AUTHOR_CELLS, max_size=10))
def test_authors_of_many_cells_are_each_cells_authors(cells):
    from thidua_xl.validate import _authors_of

    assert _authors_of(cells) == [_authors(c) for c in cells]
