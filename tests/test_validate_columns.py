"""The context's helper columns, computed as Polars expressions, agree with the Python they replaced on
random and nasty Vietnamese text (NFD, tones, Đ/đ, odd spaces, TCVN3 bytes, empty, missing)."""
from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl.text import fold
from thidua_xl.validate import _authors, _unit_key

NASTY = st.sampled_from(["", " ", "\u00a0", "Đ", "đ", "Nguyễn", "Nguye\u0302\u0303n", "Bệnh viện  A", "|", "||",
                         "Kho\u00b8 Néi", "ThS.BS.", ",", ";", "\n", "Trần Văn Bình", "bv_a", "BV\tA"])
TEXT = st.one_of(st.none(), st.lists(st.one_of(NASTY, st.text(max_size=6)), max_size=4).map("".join))


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=12))
def test_name_key_is_the_person_key_before_its_bar(keys):
    got = pl.Series(keys, dtype=pl.String).fill_null("").str.splitn("|", 2).struct.field("field_0").to_list()
    assert got == [("" if k is None else k).partition("|")[0] for k in keys]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=12))
def test_unit_key_is_the_code_else_the_folded_name(pairs):
    codes, names = [c for c, _n in pairs], [n for _c, n in pairs]
    got = _unit_key(pl.Series(codes, dtype=pl.String), pl.Series(names, dtype=pl.String)).to_list()
    assert got == [c if c else fold("" if n is None else n) for c, n in pairs]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1))), min_size=1, max_size=12))
def test_birth_date_is_the_iso_date(dates):
    got = pl.Series(dates, dtype=pl.Date).dt.strftime("%Y-%m-%d").fill_null("").to_list()
    assert got == ["" if d is None else d.isoformat() for d in dates]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(NASTY, st.sampled_from(["GS.TS. Lê An", "ths. bs Hoa", "BSCKII.Lý Mai"]),
                          st.text(max_size=8)), max_size=5).map(lambda parts: ",".join(parts)))
def test_an_initiatives_authors_are_the_pandas_split(text):
    import pandas as pd

    from thidua_xl.text import clean
    from thidua_xl.validate import _AUTHOR_TITLE

    s = pd.Series([text], dtype="str").str.split(r"[,;\n]+").explode()
    s = s.map(clean).str.replace(_AUTHOR_TITLE, "", regex=True, case=False)
    assert _authors(text) == [a for a in s.tolist() if a != ""]
