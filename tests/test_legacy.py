"""TCVN3 (ABC) and VNI text from old government files: detected and converted to Unicode."""
from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# --- the shortcut of detect: a text whose every word is a syllable is left alone ----------------
def _detect_by_scores(text: str) -> str | None:
    """detect() without its shortcut: every text scored as it stands and under both encodings."""
    if not legacy._LEGACY_CANDIDATE.search(text) or legacy._VIET_UNICODE.search(text):
        return None
    base = legacy.looks_vietnamese_score(unicodedata.normalize("NFC", text))
    scores = {legacy.TCVN3: legacy.looks_vietnamese_score(legacy.tcvn3_to_unicode(text)),
              legacy.VNI: legacy.looks_vietnamese_score(legacy.vni_to_unicode(text))}
    signs = {legacy.TCVN3: len(re.findall(legacy._TCVN3_SIGN, text)),
             legacy.VNI: len(re.findall(legacy._VNI_SIGN, text))}
    best = max(scores, key=lambda k: (scores[k], signs[k], k == legacy.TCVN3))
    return best if scores[best] > base else None


def test_conversions_map_word_characters_to_word_characters():
    """Why the shortcut holds: a conversion neither splits nor joins words, so it cannot
    have more words, hence more syllables, than a text whose every word is one."""
    for table in (legacy.TCVN3_TABLE, legacy.VNI_TABLE):
        for key, value in table.items():
            assert legacy._WORD.fullmatch(key.lower()) and legacy._WORD.fullmatch(value.lower()), (key, value)


SHORTCUT_WORDS = [
    "Hà", "Lê", "Tâm", "Hòa", "Thúy", "Ánh", "Võ", "Hồ", "Phạm", "an", "AN", "Khoa", "ngã", "Lý", "Thị", "GK", "BVĐK",
    "NguyÔn", "V¨n", "B×nh", "Tr\xadêng", "§inh", "C«ng", "®éng", "tiªn", "TrÇn", "ThÞ", "Hoµ",
    "Nguyeãn", "Vaên", "Bình", "Tröôøng", "Ñaïi", "hoïc", "Leâ", "Thò", "CHIEÁN", "SÓ", "Aùnh",
    "xyz", "Ðð", "ÿ", "«»", "a\u0301", "e\u0302\u0300", "Ê\u0301",
]
SEPARATORS = [" ", "  ", ", ", "-", " (", ") ", "/", " <\u0338 ", "=\u0338", "1980", "\n", ""]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(SHORTCUT_WORDS), st.sampled_from(SEPARATORS)), max_size=5))
def test_detect_with_its_shortcut_answers_as_scoring_every_text(parts):
    text = "".join(w + s for w, s in parts)
    assert legacy.detect(text) == _detect_by_scores(text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="aeiouyAnghtHTNrlmcs \u00a1\u00a8\u00a9\u00aa\u00ab\u00ad\u00b5\u00d4\u00d7\u00e0\u00e2\u00e3\u00f2"
                        "\u00f4\u00f6\u00f8\u00f9\u00e9\u00ea\u00ef\u00f1\u0300\u0301\u0338<=,-.", max_size=16))
def test_detect_with_its_shortcut_answers_as_scoring_any_text(text):
    assert legacy.detect(text) == _detect_by_scores(text)


def test_detect_with_its_shortcut_answers_as_scoring_the_examples():
    examples = ["NguyÔn V¨n B×nh", "B¶o Th¾ng", "TrÇn ThÞ Hoµ", "§inh C«ng §øc", "Lao ®éng tiªn tiÕn", "Tr\xadêng",
                "Nguyeãn Vaên Bình", "Tröôøng Ñaïi hoïc", "Leâ Thò Hoa", "CHIEÁN SÓ THI ÑUA", "Aùnh Ñöùc",
                "Nguyễn Văn Hoà", "Lê Tâm", "Hà Nam", "Khoa Hồi sức & Cấp cứu", "Phạm Thị Thuý", "BVĐK", "GK",
                "Hà Lê", "Lò Văn Ánh", "Võ Thị Thu Hà", "Ðinh", "Lê Thị Mỹ", "Hòa Bình", "Tô Thị Ý"]
    for text in examples:
        assert legacy.detect(text) == _detect_by_scores(text), text


# --- capitals: TCVN3 has no code for a capital with a tone mark ---------------------------------------
@pytest.mark.parametrize("tcvn3, unicode", [
    ("NGUYÔN V¨N B×NH", "NGUYỄN VĂN BÌNH"),          # typed in capitals: the toned letters are capitals too
    ("§INH C«NG §øC", "ĐINH CÔNG ĐỨC"),
    ("TR\xadêNG", "TRƯỜNG"),
    ("NGUYÔN Hå", "NGUYỄN HỒ"),                      # "Hå" has only an initial: the text is in capitals
    ("Khoa HåI SøC CÊP CøU", "Khoa HỒI SỨC CẤP CỨU"),  # word by word
    ("NguyÔn V¨n B×nh", "Nguyễn Văn Bình"),          # a capital initial only: as typed
    ("Lª Hå", "Lê Hồ"),
    ("BS. Lª Hå", "BS. Lê Hồ"),                      # an abbreviation does not make a name capitals
])
def test_tcvn3_text_typed_in_capitals_converts_to_capitals(tcvn3, unicode):
    assert legacy.tcvn3_to_unicode(tcvn3) == unicode
    assert legacy.convert(tcvn3) == (unicode, legacy.TCVN3)
    assert legacy.tcvn3_to_unicode(tcvn3, capitals=True) == unicode.upper()  # a .VnTimeH font: all capitals


def test_vni_capitals_come_from_the_base_letter_as_before():
    assert legacy.vni_to_unicode("NGUYEÃN VAÊN BÌNH") == "NGUYỄN VĂN BÌNH"
    assert legacy.vni_to_unicode("NGUYEãN VAêN") == "NGUYỄN VĂN"  # a lower-case mark after a capital
