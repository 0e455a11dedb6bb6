"""clean() of a whole column by Polars expressions gives the texts clean() gives one by one, on random and
nasty Vietnamese cells: NFD, tones, Đ/đ, odd spaces, control characters, TCVN3 bytes, other scripts."""
from __future__ import annotations

import unicodedata

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from thidua_xl.text import clean, clean_columns, clean_series

PIECES = st.sampled_from([
    "Nguyễn", "Nguye\u0302\u0303n", "Hoà", "Hòa", "ĐỖ", "đ", "Thuý", "  ", "\u00a0", "\u200b", "\t", "\n", "\r\n",
    "\u3000", "\u2009", "\u202f", "\x0b", "\x0c", "\x1c", "\x85", "\x00", "\x1b[31m", "\u202e", "\u2066", "\ufeff",
    "\uffff", "NguyÔn V¨n A", "Tr\u00a7n", "µ", "¬", "1980-02-13 00:00:00", "true", " Văn ", "A", "e\u0301",
    "\u0301", "\u0323\u0302", "Å", "\u212b", "\uac00", "\u1100\u1161", "日本", "😀", "\U00016d68", "ﬁ", "–", "“x”",
])
TEXTS = st.one_of(st.none(), st.lists(PIECES, max_size=6).map("".join), st.text(max_size=16),
                  st.text(alphabet=st.characters(codec="utf-8"), max_size=8))


def _python(values: list) -> list[str]:
    return ["" if v is None else clean(v) for v in values]


@settings(max_examples=400, deadline=None)
@given(st.lists(TEXTS, max_size=30))
@example(["  Nguye\u0302\u0303n   Va\u0306n\u00a0An ", None, "a\x0bb", "\u200b x", "x\x85y", "", "   "])
def test_a_column_is_cleaned_as_clean_cleans_each_cell(values):
    got = clean_series(pl.Series("c", values, dtype=pl.String))
    assert got.to_list() == _python(values)
    assert got.name == "c" and got.dtype == pl.String


def test_a_text_polars_might_normalise_otherwise_goes_through_clean():
    # Hangul jamo compose under NFC; a text in another script is cleaned by Python's own tables
    values = ["\u1100\u1161 ", "Lê  Thị\u00a0Hà", None]
    assert clean_series(pl.Series(values, dtype=pl.String)).to_list() == ["\uac00", "Lê Thị Hà", ""]


def test_texts_matching_also_are_cleaned_by_the_slow_function():
    values = pl.Series(["a  b", "true", None, "x  y"])
    got = clean_series(values, also="^true$", slow=lambda keys: [k.upper() for k in keys])
    assert got.to_list() == ["a b", "TRUE", "", "x y"]


def test_a_column_of_few_texts_is_cleaned_once_per_text_by_the_slow_function():
    seen = []
    frame = pl.DataFrame({"a": ["Khoa  Nội", None, "Khoa  Nội", "Khoa Ngoại"], "b": [None] * 4})
    got = clean_columns(frame, slow=lambda keys: seen.extend(keys) or [" ".join(k.split()) for k in keys])
    assert got.to_dict(as_series=False) == {"a": ["Khoa Nội", "", "Khoa Nội", "Khoa Ngoại"], "b": [""] * 4}
    assert seen == ["Khoa  Nội", "Khoa Ngoại"]


def test_only_the_rows_asked_are_cleaned():
    frame = pl.DataFrame({"a": ["a  b", "c  d"]})
    got = clean_columns(frame, rows=pl.Series([True, False]))
    assert got.get_column("a").to_list() == ["a b", "c  d"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(TEXTS, TEXTS), max_size=20))
def test_every_column_of_a_frame_is_cleaned_alike(rows):
    a, b = [r[0] for r in rows], [r[1] for r in rows]
    got = clean_columns(pl.DataFrame({"a": a, "b": b}, schema={"a": pl.String, "b": pl.String}))
    assert got.get_column("a").to_list() == _python(a) and got.get_column("b").to_list() == _python(b)


def test_nfd_vietnamese_comes_out_nfc():
    nfd = unicodedata.normalize("NFD", "Trần Thị Đào  ")
    (out,) = clean_series(pl.Series([nfd], dtype=pl.String)).to_list()
    assert out == "Trần Thị Đào" and unicodedata.is_normalized("NFC", out)
