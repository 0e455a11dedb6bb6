"""Vietnamese text: the same name however typed, lists in Vietnamese order, dates as Nghị định 30 wants."""
import datetime as dt
import unicodedata

import pytest

from thidua_xl import text


def test_nfd_and_spacing_do_not_change_a_name():
    nfd = unicodedata.normalize("NFD", "Nguyễn  Văn   Bình ")
    assert text.clean(nfd) == "Nguyễn Văn Bình"
    assert text.name_key(nfd) == text.name_key("nguyễn văn bình")


@pytest.mark.parametrize("old,new", [("Hoà", "Hòa"), ("Thuý", "Thúy"), ("Khoẻ", "Khỏe"), ("Thoả", "Thỏa")])
def test_old_and_new_tone_placement_are_the_same_person(old, new):
    assert text.name_key(f"Lê Thị {old}") == text.name_key(f"LÊ THỊ {new.upper()}")


def test_different_tones_are_different_names():
    assert text.name_key("Hòa") != text.name_key("Hóa")


def test_person_key_year_alone_matches_full_date_of_that_year():
    assert text.person_key("Trần Văn An", 1980) == text.person_key("TRẦN VĂN AN", 1980)
    assert text.person_key("Trần Văn An", 1980) != text.person_key("Trần Văn An", 1981)


def test_lists_sort_by_ten_then_ho_dem():
    names = ["Nguyễn Văn Bình", "Trần Thị An", "Lê Văn An", "Phạm Thị Ánh"]
    assert text.sort_names(names, use_icu=False) == ["Lê Văn An", "Trần Thị An", "Phạm Thị Ánh", "Nguyễn Văn Bình"]


def test_vietnamese_alphabet_order_d_before_dd_and_o_variants():
    words = ["Ơn", "Đào", "Ôn", "Dung", "On", "Ân", "Ăn", "An"]
    got = sorted(words, key=lambda w: text.sort_key(w, use_icu=False))
    assert got == ["An", "Ăn", "Ân", "Dung", "Đào", "On", "Ôn", "Ơn"]


def test_tone_order_ngang_huyen_hoi_nga_sac_nang():
    words = ["Mạ", "Má", "Mã", "Mả", "Mà", "Ma"]
    got = sorted(words, key=lambda w: text.sort_key(w, use_icu=False))
    assert got == ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]


def test_pure_python_order_agrees_with_icu_when_available():
    icu = pytest.importorskip("icu")
    coll = icu.Collator.createInstance(icu.Locale("vi_VN"))
    names = ["Ơn", "Đào", "Ôn", "Dung", "On", "Ân", "Ăn", "An", "Mạ", "Má", "Mã", "Mả", "Mà", "Ma", "Ưng", "Uyên"]
    assert sorted(names, key=lambda w: text.sort_key(w, use_icu=False)) == sorted(names, key=coll.getSortKey)


@pytest.mark.parametrize("typed,expected", [
    ("13/02/1980", dt.date(1980, 2, 13)),
    ("13-02-1980", dt.date(1980, 2, 13)),
    ("1980-02-13", dt.date(1980, 2, 13)),
    ("13.2.1980", dt.date(1980, 2, 13)),
    (dt.datetime(1980, 2, 13), dt.date(1980, 2, 13)),
    (29264.0, dt.date(1980, 2, 13)),  # an Excel serial number
])
def test_dates_as_units_type_them(typed, expected):
    parsed = text.parse_date(typed)
    assert parsed.date == expected and parsed.year == 1980 and parsed.error is None


def test_a_year_alone_is_a_year_of_birth():
    for typed in ("1980", 1980, 1980.0):
        parsed = text.parse_date(typed)
        assert parsed.date is None and parsed.year == 1980 and parsed.error is None


def test_impossible_and_unreadable_dates_explain_themselves():
    assert "không tồn tại" in text.parse_date("31/02/1980").error
    assert "không đọc được" in text.parse_date("mười hai").error
    assert text.parse_date("").empty and text.parse_date(None).empty


@pytest.mark.parametrize("date,expected", [
    (dt.date(2020, 2, 13), "ngày 13 tháng 02 năm 2020"),
    (dt.date(2023, 7, 5), "ngày 05 tháng 7 năm 2023"),
    (dt.date(2021, 1, 5), "ngày 05 tháng 01 năm 2021"),
    (dt.date(2021, 12, 25), "ngày 25 tháng 12 năm 2021"),
])
def test_nghi_dinh_30_dates_pad_only_small_days_and_january_february(date, expected):
    assert text.ngay_vn(date) == expected


def test_blank_day_for_the_van_thu():
    blank = text.ngay_vn(dt.date(2021, 1, 20), blank_day=True)
    assert blank.startswith("ngày ") and blank.endswith(" tháng 01 năm 2021") and "ngày 20" not in blank


def test_so2_pads_counts_below_ten():
    assert [text.so2(n) for n in (1, 9, 10, 151)] == ["01", "09", "10", "151"]


# --- whole columns at once: the same text as one cell at a time -------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_CELL_CHARS = list(" \t\n\r\u00a0\u200b\u3000\x1c\x85ABaăâbcđĐeêioôơuưyYÝ\u0300\u0301\u0303\u0309\u0323"
                   "\u0302\u0306\u031b\u0340ấầẩẫậÀÁẢÃẠòóỏõọỳýỷỹỵΣσ")
_CELLS = st.text(alphabet=st.sampled_from(_CELL_CHARS), max_size=12) | st.sampled_from(
    ["Hoà", "Thuý", "NGUYỄN  VĂN\nHOÀ", "ΑΣ Β", "", " ", "a\x00b"])


@settings(max_examples=1500, deadline=None)
@given(st.lists(_CELLS, min_size=1, max_size=8))
def test_a_column_cleaned_at_once_is_each_cell_cleaned(cells):
    assert text.clean_strings(cells) == [text.clean(c) for c in cells]


@settings(max_examples=1500, deadline=None)
@given(st.lists(_CELLS | st.none() | st.integers(0, 3000) | st.floats(allow_nan=True), min_size=1, max_size=8))
def test_a_column_of_names_keyed_at_once_is_each_name_keyed(names):
    assert text.name_keys(names) == [text.name_key(n) for n in names]


def test_column_keys_keep_old_and_new_tone_placement_together():
    assert text.name_keys(["Lê Thị Hoà", "LÊ  THỊ HÒA", unicodedata.normalize("NFD", "lê thị hoà")]) == \
        [text.name_key("Lê Thị Hòa")] * 3


def test_the_fast_path_relies_on_every_other_whitespace_being_non_printable():
    """clean_strings skips its regexes for printable text: that is only right while no whitespace
    character but the space (and no zero-width space) counts as printable in this Python."""
    import sys

    printable_space = [hex(c) for c in range(sys.maxunicode + 1)
                       if (chr(c).isspace() or chr(c) in "\u200b\u00a0") and chr(c) != " " and chr(c).isprintable()]
    assert printable_space == []
    assert text.clean_strings(["Nguyễn Văn An", "Lê Thị Hoà", "LĐTT"]) == ["Nguyễn Văn An", "Lê Thị Hoà", "LĐTT"]
    nfd = unicodedata.normalize("NFD", "Hoà")
    assert text.clean_strings(["a", nfd]) == ["a", "Hoà"]  # printable but not NFC: the slow path


def test_fold_strings_is_fold_of_each():
    """A whole column folded at once gives what folding each cell gives: accents, đ, punctuation,
    line breaks, stray spaces, Greek final sigma, empty and punctuation-only cells."""
    from thidua_xl.text import fold, fold_strings

    cells = ["Nguyễn Thị Hoà", "  ĐẶNG  văn\nÚt ", "", "...", "Ví dụ:", "ΟΔΟΣ", "A\u0301nh", "İ", "x\u00a0y", "Lê-Văn.A",
             "\u200bTrần", "ThS.BS. Hồ Thị Ượng", "1", " ,;"]
    assert fold_strings(cells) == [fold(c) for c in cells]
    assert fold_strings([]) == []
