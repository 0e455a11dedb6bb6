"""TCVN3 (ABC) and VNI text from old government files: detected and converted to Unicode."""
from __future__ import annotations

import unicodedata

import pytest

from thidua_xl import legacy

VIETNAMESE = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"


@pytest.mark.parametrize("tcvn3, unicode", [
    ("NguyÔn V¨n B×nh", "Nguyễn Văn Bình"),
    ("B¶o Th¾ng", "Bảo Thắng"),
    ("TrÇn ThÞ Hoµ", "Trần Thị Hoà"),
    ("§inh C«ng §øc", "Đinh Công Đức"),
    ("Lao ®éng tiªn tiÕn", "Lao động tiên tiến"),
    ("Tr\xadêng", "Trường"),  # ư is 0xAD, a soft hyphen other tools drop
])
def test_tcvn3_examples_convert(tcvn3, unicode):
    assert legacy.tcvn3_to_unicode(tcvn3) == unicode
    assert legacy.detect(tcvn3) == legacy.TCVN3


@pytest.mark.parametrize("vni, unicode", [
    ("Nguyeãn Vaên Bình", "Nguyễn Văn Bình"),
    ("Tröôøng Ñaïi hoïc", "Trường Đại học"),
    ("Leâ Thò Hoa", "Lê Thị Hoa"),
    ("CHIEÁN SÓ THI ÑUA", "CHIẾN SĨ THI ĐUA"),
    ("Aùnh Ñöùc", "Ánh Đức"),
])
def test_vni_examples_convert(vni, unicode):
    assert legacy.vni_to_unicode(vni) == unicode
    assert legacy.detect(vni) == legacy.VNI


def test_the_tcvn3_table_covers_every_lower_case_vietnamese_letter():
    produced = set(legacy.TCVN3_TABLE.values()) | set("aeiouy")
    assert set(VIETNAMESE) <= produced
    assert {"Ă", "Â", "Ê", "Ô", "Ơ", "Ư", "Đ"} <= produced
    assert all(unicodedata.is_normalized("NFC", v) and len(v) == 1 for v in legacy.TCVN3_TABLE.values())


def test_the_vni_table_covers_every_vietnamese_letter_in_both_cases():
    produced = set(legacy.VNI_TABLE.values()) | set("aeiouyAEIOUY")
    letters = set(VIETNAMESE) | set(VIETNAMESE.upper())
    assert letters <= produced


def test_unicode_text_is_left_alone():
    for text in ["Nguyễn Văn Hoà", "Lê Tâm", "Hà Nam", "Khoa Hồi sức & Cấp cứu", "Phạm Thị Thuý", "BVĐK", "GK"]:
        assert legacy.detect(text) is None
        assert legacy.convert(text) == (text, None)


def test_the_font_decides_when_it_names_a_legacy_encoding():
    assert legacy.encoding_of_font(".VnTime") == (legacy.TCVN3, False)
    assert legacy.encoding_of_font(".VnTimeH") == (legacy.TCVN3, True)
    assert legacy.encoding_of_font("VNI-Times") == (legacy.VNI, False)
    assert legacy.encoding_of_font("Times New Roman") == (None, False)
    assert legacy.convert("Lª T©m", ".VnTime") == ("Lê Tâm", legacy.TCVN3)
    assert legacy.convert("Lê Tâm", ".VnTime") == ("Lờ Tõm", legacy.TCVN3)  # read as the old font shows it
    assert legacy.convert("nguyÔn v¨n an", ".VnTimeH") == ("NGUYỄN VĂN AN", legacy.TCVN3)


def test_non_text_cells_pass_through():
    assert legacy.convert(None) == ("", None)
    assert legacy.convert(1980) == ("1980", None)
