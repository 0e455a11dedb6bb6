"""The award catalogue: every way units write an award leads to one code."""
import unicodedata

import pytest

from thidua_xl.catalog import BOTH, CA_NHAN, TAP_THE, load_catalog

CAT = load_catalog()


def test_contract_codes_are_all_there():
    expected = {"LDTT", "CSTDCS", "CSTD_TINH", "CSTD_BO", "CSTD_TQ", "TTLDTT", "TTLDXS", "CO_TINH", "CO_BO",
                "CO_CP", "GK", "BK_TINH", "BK_BO", "BK_TTCP", "HCLD3", "HCLD2", "HCLD1", "TTUT", "TTND", "KNC"}
    assert expected <= set(CAT.codes())


@pytest.mark.parametrize("typed,code", [
    ("Lao động tiên tiến", "LDTT"), ("LĐTT", "LDTT"), ("lao  động TIÊN tiến", "LDTT"),
    ("CSTĐCS", "CSTDCS"), ("CSTĐ cơ sở", "CSTDCS"), ("CSTĐ cấp tỉnh", "CSTD_TINH"), ("CSTĐ tỉnh", "CSTD_TINH"),
    ("CSTĐ ngành Y tế", "CSTD_BO"), ("CSTĐTQ", "CSTD_TQ"), ("TTLĐTT", "TTLDTT"), ("TTLĐXS", "TTLDXS"),
    ("Cờ thi đua UBND tỉnh", "CO_TINH"), ("Cờ thi đua Bộ Y tế", "CO_BO"), ("Cờ thi đua Chính phủ", "CO_CP"),
    ("Giấy khen", "GK"), ("GK", "GK"), ("BK UBND tỉnh", "BK_TINH"), ("Bằng khen cấp tỉnh", "BK_TINH"),
    ("BK Bộ Y tế", "BK_BO"), ("Bằng khen Thủ tướng", "BK_TTCP"), ("BK TTCP", "BK_TTCP"),
    ("HCLĐ hạng Ba", "HCLD3"), ("Huân chương Lao động hạng Nhì", "HCLD2"), ("HCLĐ hạng Nhất", "HCLD1"),
    ("TTƯT", "TTUT"), ("TTND", "TTND"), ("Kỷ niệm chương", "KNC"), ("LDTT", "LDTT"),
    ("Danh hiệu Lao động tiên tiến năm 2020", "LDTT"),
])
def test_award_text_matches_whatever_its_form(typed, code):
    assert CAT.match(typed) == code
    assert CAT.match(unicodedata.normalize("NFD", typed)) == code
    assert CAT.match(typed.upper()) == code


def test_unknown_award_gets_a_suggestion():
    assert CAT.match("Lao động tiên tiếng") is None
    assert CAT.suggest("Lao động tiên tiếng") == ["Lao động tiên tiến"]


def test_subjects_follow_the_contract():
    assert CAT["LDTT"].subject == CA_NHAN
    assert CAT["TTLDTT"].subject == TAP_THE
    assert CAT["CO_TINH"].subject == TAP_THE
    assert CAT["GK"].subject == BOTH and CAT["BK_TINH"].subject == BOTH
    assert CAT["TTUT"].subject == CA_NHAN


def test_titles_and_award_forms_are_kept_distinct():
    assert CAT["LDTT"].kind == "danh_hieu_thi_dua"
    assert CAT["GK"].kind == "hinh_thuc_khen_thuong"
    assert CAT["TTND"].kind == "danh_hieu_vinh_du"


def test_only_the_so_decides_its_own_awards():
    assert {a.code for a in CAT if a.decided_by_so} == {"LDTT", "CSTDCS", "TTLDTT", "GK"}
