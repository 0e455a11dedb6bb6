"""Person keys of a whole column (Polars) are the keys name_key gives one name at a time, and titles are
stripped as strip_title strips them, on random and nasty Vietnamese: NFD, old/new tone placement, Đ/đ, odd
spaces, control characters, TCVN3 bytes, titles, other scripts, empty and missing names."""
from __future__ import annotations

import sys
import unicodedata

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from thidua_xl import subjects, text
from thidua_xl.subjects import strip_title, strip_titles, strip_titles_series
from thidua_xl.text import name_key, name_keys, name_keys_series

PIECES = st.sampled_from([
    "Nguyễn", "Nguye\u0302\u0303n", "Hoà", "Hòa", "HOÀ", "Thuý", "Thúy", "ĐỖ", "đ", "Đặng", " ", "  ", "\u00a0",
    "\u200b", "\t", "\n", "\x0b", "\x1c", "\x85", "\x00", "\x1b[31m", "\u202e", "\u3000", "\u2009", "\ufeff",
    "NguyÔn V¨n A", "Tr\u00a7n", "µ", "ThS.BS.", "Ông", "ông", "Bà", "Lương", "Lương y", "Đ/C", "BSCK II", "Đại tá",
    "TS,", "GS.TS", "Ts.Bs", "İ", "ΑΣ", "Σ", "e\u0301", "\u0301", "\u0340", "Å", "\u212b", "\u1100\u1161", "日本",
    "😀", "ﬁ", "–", "₫", "x" * 9, "Văn", "An", ".", ",",
])
NAMES = st.one_of(st.none(), st.lists(PIECES, max_size=6).map("".join), st.text(max_size=12),
                  st.text(alphabet=st.characters(codec="utf-8"), max_size=8))


@settings(max_examples=600, deadline=None)
@given(st.lists(NAMES, max_size=25))
@example(["Lê Thị Hoà", "LÊ  THỊ HÒA", unicodedata.normalize("NFD", "lê thị hoà"), "Thuý", "THÚY", "", None, " "])
@example(["ΑΣ Β", "ΑΣ\u00a0Β", "a\x85b", "a\x1cb", "\u200b", "x \u0301y"])
def test_a_column_keyed_by_polars_is_each_name_keyed(names):
    got = name_keys_series(pl.Series("ho_ten", names, dtype=pl.String))
    assert got.to_list() == [name_key(n) for n in names]
    assert got.name == "ho_ten" and got.dtype == pl.String
    assert name_keys(names) == got.to_list()


def test_old_and_new_tone_placement_give_one_key_in_a_column():
    got = name_keys_series(pl.Series(["Lê Thị Hoà", "LÊ  THỊ HÒA", "Nguyễn Thị Thuý", "nguyễn thị thúy", None]))
    assert got.to_list() == [name_key("Lê Thị Hòa")] * 2 + [name_key("Nguyễn Thị Thúy")] * 2 + [""]
    assert got[0] != got[2] and got[0] == "lê thi5 hoa1"


def test_the_clean_characters_are_the_ones_no_neighbour_changes():
    """A text of these characters and single inner spaces is left as it is by clean(): each is printable, NFC on
    its own, no combining mark, and none is the second of a pair that composes."""
    allowed = pl.Series([chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]) \
        .filter(~pl.Series([chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF])
                .str.contains(text._UNCLEAN)).to_list()
    assert len(allowed) > 1000
    seconds = set()
    for cp in range(sys.maxunicode + 1):
        d = unicodedata.decomposition(chr(cp))
        if d and not d.startswith("<") and len(d.split()) == 2:
            seconds.add(chr(int(d.split()[1], 16)))
    for ch in allowed:
        assert ch.isprintable() and unicodedata.is_normalized("NFC", ch) and not unicodedata.combining(ch), hex(ord(ch))
        assert ch == " " or not ch.isspace(), hex(ord(ch))
        assert ch not in seconds and ch not in "\u00a0\u200b", hex(ord(ch))


TITLED = st.tuples(st.sampled_from(["ThS.BS.", "Ông", "bà", "BSCK II", "Đại tá", "đ/c", "Đ/C", "TS,", "GS.TS",
                                    "Bác sĩ", "NSƯT", "Bàng", "Thái", "Ckii", "İ", "ΣΣ", "ông.", "Ts.Bs", "Lương y",
                                    "LƯƠNG", "Trung tá", "", " ", "x" * 9]),
                   st.sampled_from(["", " ", ".", ",", "  "]),
                   st.sampled_from(["Nguyễn Văn An", "Lê Thị Thuý", "Khoa Nội", "Ông Ích Khiêm", "Bà Rịa", "an",
                                    "ÔNG", "Lương Văn Can", "  x", ""])).map("".join)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(TITLED, NAMES), max_size=25))
@example(["Ông Ích Khiêm", "ThS.BS. Nguyễn Văn An", "Lương Văn Can", "Lương y Trần Văn Bé", "Bà Rịa", None, ""])
def test_titles_stripped_by_polars_are_the_ones_strip_titles_strips(names):
    got = strip_titles_series(pl.Series("ho_ten", names, dtype=pl.String))
    assert got.to_list() == strip_titles(names)
    assert got.name == "ho_ten" and got.dtype == pl.String


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(TITLED, NAMES), max_size=25))
def test_the_title_sieve_by_expressions_keeps_the_names_the_python_sieve_keeps(names):
    got = pl.select(subjects._title_sieve(pl.lit(pl.Series(names, dtype=pl.String)))).to_series().to_list()
    first = [n is not None and n[:8].lower().split(" ", 1)[0].split(".", 1)[0].split(",", 1)[0]
             in subjects._TITLE_STARTS for n in names]
    assert got == first


def test_a_title_before_a_name_is_not_part_of_its_key():
    names = pl.Series(["ThS.BS. Nguyễn Văn An", "Ông Nguyễn Văn An", "Lương Văn Can", "Ban Giám đốc", None])
    assert name_keys_series(strip_titles_series(names)).to_list() == \
        [name_key("Nguyễn Văn An")] * 2 + [name_key("Lương Văn Can"), name_key("Ban Giám đốc"), ""]


CELLS = st.one_of(NAMES, st.sampled_from(["true", "false", "1980-02-13 00:00:00", "Khoa  Nội", " Khoa Nội",
                                          "Khoa Nội ", "Khoa\u00a0Nội", "Kho\u0301a", "–", "₫ 1.000"]))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(CELLS, CELLS, st.booleans()), max_size=25))
@example([("  Nguye\u0302\u0303n   Va\u0306n\u00a0An ", None, True), ("a\x0bb", "\u200b x", False),
          ("x\x85y", "", True), ("true", "   ", True)])
def test_columns_cleaned_through_the_sieve_are_each_cell_cleaned(cells):
    frame = pl.DataFrame({"a": [c[0] for c in cells], "b": [c[1] for c in cells]},
                         schema={"a": pl.String, "b": pl.String})
    rows = pl.Series([c[2] for c in cells], dtype=pl.Boolean)
    seen = []

    def slow(keys):
        seen.append(keys)
        return [k.upper() if k in ("true", "false") else text.clean(k) for k in keys]

    got = text.clean_known_columns(frame, also="^(?:true|false)$", slow=slow)
    assert got.columns == ["a", "b"] and all(d == pl.String for d in got.dtypes)
    for c in "ab":
        assert got.get_column(c).to_list() == \
            ["" if v is None else v.upper() if v in ("true", "false") else text.clean(v) for v in frame[c].to_list()]
    assert all(len(keys) == len(set(keys)) for keys in seen)  # each text at most once per column
    half = len(cells) // 2  # every sheet's rows stacked: a frame of several chunks is cleaned alike
    stacked = pl.concat([frame.slice(0, half), frame.slice(half)], rechunk=False)
    assert text.clean_known_columns(stacked, also="^(?:true|false)$", slow=slow).equals(got)
    masked = text.clean_known_columns(frame, rows=rows)
    for c in "ab":
        assert masked.get_column(c).to_list() == [text.clean(v) if keep else v
                                                  for v, keep in zip(frame[c].to_list(), rows.to_list())]


def test_clean_texts_go_to_python_only_when_polars_might_clean_them_otherwise():
    seen = []
    nfd = unicodedata.normalize("NFD", "Khoa Nội")
    frame = pl.DataFrame({"a": ["Khoa Nội", "Khoa  Nội", None, "Khoa Ngoại", "Khoa  Nội", nfd, "\uac00 ", "true"],
                          "b": [None] * 8}, schema={"a": pl.String, "b": pl.String})
    got = text.clean_known_columns(frame, also="^true$",
                                   slow=lambda keys: seen.extend(keys) or [k.upper() for k in keys])
    assert got.to_dict(as_series=False) == {
        "a": ["Khoa Nội", "Khoa Nội", "", "Khoa Ngoại", "Khoa Nội", "Khoa Nội", "\uac00 ".upper(), "TRUE"],
        "b": [""] * 8}
    # doubled spaces and NFD Vietnamese are cleaned by Polars; a Hangul text and a bool cell's by `slow`, once each
    assert sorted(seen) == sorted(["\uac00 ", "true"])


def test_an_empty_or_blank_frame_keeps_its_height():
    for height in (0, 3):
        frame = pl.DataFrame({"a": [None] * height, "b": [None] * height}, schema={"a": pl.String, "b": pl.String})
        assert text.clean_known_columns(frame).to_dict(as_series=False) == {"a": [""] * height, "b": [""] * height}
