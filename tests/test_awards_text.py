"""Award texts as units and provincial systems write them: every spelling of an award is that award,
a cell naming two awards is two, and nothing is guessed — a kind without its level is a question."""
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from thidua_xl.awards_text import PROVINCES, canonical
from thidua_xl.catalog import load_catalog

CAT = load_catalog()
M = CAT.matcher


@pytest.mark.parametrize("typed,code", [
    ("Chiến sỹ thi đua cơ sở", "CSTDCS"), ("Chiến sỹ thi đua cấp tỉnh", "CSTD_TINH"),
    ("Giấy khen GĐ Sở Y tế", "GK"), ("Giấy khen Giám đốc Sở Y tế", "GK"), ("Giấy khen của GĐ Sở", "GK"),
    ("Bằng khen UBND tỉnh", "BK_TINH"), ("Bằng khen Ủy ban nhân dân tỉnh", "BK_TINH"),
    ("Bằng khen của Chủ tịch UBND tỉnh", "BK_TINH"), ("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "BK_TINH"),
    ("Bằng khen UBND tỉnh Quảng Bình", "BK_TINH"), ("Bằng khen UBND Tỉnh", "BK_TINH"),
    ("Bằng khen của Chủ tịch UBND tỉnh Tuyên Quang", "BK_TINH"), ("Bằng khen Quảng Bình", None),
    ("Bằng khen của Bộ Y tế", "BK_BO"), ("Bằng khen Bộ trưởng Bộ Y tế", "BK_BO"),
    ("CSTĐ cấp cơ sở", "CSTDCS"), ("Tập thể LĐ xuất sắc", "TTLDXS"), ("Tập thể lao động xuất sắc", "TTLDXS"),
    ("Danh hiệu Lao động tiên tiến", "LDTT"), ("Danh hiệu Chiến sĩ thi đua cơ sở", "CSTDCS"),
    ("Lao động tiên tiến (LĐTT)", "LDTT"), ("Danh hiệu Tập thể lao động tiên tiến (TTLĐTT)", "TTLDTT"),
    ("(LĐTT)", "LDTT"),
    ("Huân chương Lao động hạng 3", "HCLD3"), ("Huân chương Lao động hạng III", "HCLD3"),
    ("Huân chương Lao động hạng Ba", "HCLD3"), ("HCLĐ hạng 2", "HCLD2"), ("HCLĐ hạng I", "HCLD1"),
    ("Bằng khen cấp bộ, ban, ngành, tỉnh, đoàn thể trung ương", "BK_TINH"),
    ("Chiến sĩ thi đua cấp Bộ, ngành, tỉnh", "CSTD_TINH"),
    ("Chiến sĩ thi đua cấp bộ, ban, ngành, tỉnh, đoàn thể trung ương", "CSTD_TINH"),
    ("Giấy khen của Thủ trưởng cơ quan chuyên môn, đơn vị thuộc Ủy ban nhân dân cấp tỉnh", "GK"),
    ("Giấy khen của Thủ trưởng cơ quan chuyên môn thuộc UBND tỉnh", "GK"),
    ("Cờ thi đua của UBND tỉnh Lào Cai", "CO_TINH"), ("Bằng khen Thủ tướng Chính phủ", "BK_TTCP"),
    ("Đề nghị tặng Giấy khen", "GK"), ("Lao động tiên tiến năm 2024", "LDTT"),
    ("Giấy khen tập thể", "GK"), ("Bằng khen UBND tỉnh cho cá nhân", "BK_TINH"),
    ("Bằng khen UBND huyện", None), ("Giấy khen Chủ tịch UBND huyện", None),
    # "TT" before a collective title is "Tập thể"; elsewhere it stays unread
    ("TT lao động tiên tiến", "TTLDTT"), ("TT LĐTT", "TTLDTT"), ("TT lao động xuất sắc", "TTLDXS"),
    ("Danh hiệu TT LĐXS", "TTLDXS"), ("TT", None),
])
def test_the_spellings_people_write_name_the_award(typed, code):
    assert CAT.match(typed) == code
    assert CAT.match(typed.upper()) == code
    assert CAT.match(unicodedata.normalize("NFD", typed)) == code


@pytest.mark.parametrize("typed,parts", [
    ("LĐTT, CSTĐCS", [("LĐTT", "LDTT"), ("CSTĐCS", "CSTDCS")]),
    ("LĐTT; CSTĐCS", [("LĐTT", "LDTT"), ("CSTĐCS", "CSTDCS")]),
    ("LĐTT + Bằng khen UBND tỉnh", [("LĐTT", "LDTT"), ("Bằng khen UBND tỉnh", "BK_TINH")]),
    ("Lao động tiên tiến\nChiến sĩ thi đua cơ sở", [("Lao động tiên tiến", "LDTT"), ("Chiến sĩ thi đua cơ sở", "CSTDCS")]),
    ("LĐTT và Giấy khen", [("LĐTT", "LDTT"), ("Giấy khen", "GK")]),
    ("Bằng khen cấp bộ, ban, ngành, tỉnh, đoàn thể trung ương; CSTĐ cơ sở",
     [("Bằng khen cấp bộ, ban, ngành, tỉnh, đoàn thể trung ương", "BK_TINH"), ("CSTĐ cơ sở", "CSTDCS")]),
    ("LĐTT, LĐTT", None),  # the same award twice is one nomination, not a split
])
def test_a_cell_naming_two_awards_is_two(typed, parts):
    got = CAT.split(typed)
    if parts is None:
        assert got is None or len(got) == 1
    else:
        assert [(p.replace("\n", " "), c) for p, c in got] == [(p.replace("\n", " "), c) for p, c in parts]


def test_one_award_with_commas_in_its_name_is_not_split():
    assert CAT.split("Bằng khen cấp bộ, ban, ngành, tỉnh, đoàn thể trung ương") is None
    assert CAT.split("Giấy khen của Thủ trưởng cơ quan chuyên môn, đơn vị thuộc Ủy ban nhân dân cấp tỉnh") is None


def test_an_award_with_another_in_brackets_is_a_question_not_two_awards():
    assert CAT.match("Giấy khen (LĐTT)") is None and CAT.split("Giấy khen (LĐTT)") is None
    assert "hai hình thức khác nhau" in CAT.hint("Giấy khen (LĐTT)")


@pytest.mark.parametrize("typed,asked", [
    ("Bằng khen", {"BK_TINH", "BK_BO", "BK_TTCP"}),
    ("Huân chương Lao động", {"HCLD1", "HCLD2", "HCLD3"}),
    ("Chiến sĩ thi đua", {"CSTDCS", "CSTD_TINH", "CSTD_BO", "CSTD_TQ"}),
    ("Cờ thi đua", {"CO_TINH", "CO_BO", "CO_CP"}),
])
def test_a_kind_without_its_level_asks_which(typed, asked):
    assert CAT.match(typed) is None
    assert set(M.ambiguous(typed)) == asked
    hint = CAT.hint(typed)
    assert hint.startswith(" Chưa rõ là") and all(CAT[c].name in hint for c in asked)
    assert CAT.suggest(typed) == []


@pytest.mark.parametrize("typed,suggested", [
    ("Lao động tiên tiếng", "Lao động tiên tiến"),
    ("Chiến sĩ thi đua cơ sơ", None),  # "cơ sơ" is not "cơ sở" once folded? it is: matched exactly
    ("Huân chương Lao động hạng 4", None),
    ("Nguyễn Văn Tiến", None), ("Trần Thị Lao", None), ("Lê Văn Động", None),
    ("Nguyễn Tiến Lao Động", None),  # one word missing and one from elsewhere: in doubt
    ("Nguyễn Lao Động Tiến", None),  # the same, the award's words in order
    ("Lao động tiên tiếm", "Lao động tiên tiến"),  # a word mistyped beyond recognition, in its place
    ("Tập thể lao động tiên tiếng", "Tập thể lao động tiên tiến"),
    ("Bằng khen UBND huyện", None),
])
def test_suggestions_only_when_truly_close(typed, suggested):
    if CAT.match(typed):
        return
    assert CAT.suggest(typed) == ([suggested] if suggested else [])
    if suggested:
        assert CAT.hint(typed) == f" Có phải là “{suggested}”?"


def test_a_rank_is_never_suggested_as_another_rank():
    for typed in ("Huân chương Lao động hạng 3", "HCLĐ hạng ba", "Huân chương Lao động hạng III"):
        assert CAT.match(typed) == "HCLD3"
    assert CAT.suggest("Huân chương Lao đọng hạng 3") in ([], ["Huân chương Lao động hạng Ba"])
    for other in ("HCLD1", "HCLD2"):
        assert M.score("Huân chương Lao động hạng 3", other) == 0


def test_an_award_named_in_a_title_or_group_heading():
    assert CAT.find_in("DANH SÁCH CÁ NHÂN ĐỀ NGHỊ CÔNG NHẬN DANH HIỆU LAO ĐỘNG TIÊN TIẾN NĂM 2024") == "LDTT"
    assert CAT.find_in("1. Tập thể lao động tiên tiến (16 tập thể)") == "TTLDTT"
    assert CAT.find_in("II. Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh") == "BK_TINH"
    assert CAT.find_in("DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2020") is None
    assert CAT.find_in("ĐỀ NGHỊ CÔNG NHẬN LAO ĐỘNG TIÊN TIẾN VÀ CHIẾN SĨ THI ĐUA CƠ SỞ") is None  # two: not one


def test_the_catalogue_has_no_two_awards_with_one_canonical_form():
    assert M.conflicting == {}


# --- properties --------------------------------------------------------------------------------
AWARDS = list(CAT)

_SWAPS = [  # (written in the catalogue, how people also write it)
    ("Chiến sĩ", "Chiến sỹ"), ("Ủy ban nhân dân", "UBND"), ("Giám đốc", "GĐ"), ("Lao động", "LĐ"),
    ("của ", ""), ("Chủ tịch Ủy ban nhân dân", "UBND"), ("Bộ trưởng Bộ Y tế", "Bộ Y tế"),
    ("hạng Ba", "hạng 3"), ("hạng Ba", "hạng III"), ("hạng Nhì", "hạng 2"), ("hạng Nhì", "hạng II"),
    ("hạng Nhất", "hạng 1"), ("hạng Nhất", "hạng I"), ("Chiến sĩ thi đua", "CSTĐ"),
    ("Thủ tướng Chính phủ", "TTCP"), ("Huân chương Lao động", "HCLĐ"), ("Bằng khen", "BK"),
]


@st.composite
def written(draw):
    """An award of the catalogue and one way a person could write it."""
    award = draw(st.sampled_from(AWARDS))
    text = draw(st.sampled_from((award.name, *award.aliases)))
    for old, new in _SWAPS:
        if old in text and draw(st.booleans()):
            text = text.replace(old, new)
    if "tỉnh" in text and draw(st.booleans()):
        text = text.replace("tỉnh", "tỉnh " + draw(st.sampled_from(PROVINCES)).title(), 1)
    if draw(st.booleans()):
        text = draw(st.sampled_from(["Danh hiệu ", "Đề nghị tặng ", "Đề nghị ", "Tặng "])) + text
    if draw(st.booleans()):
        text += " năm " + str(draw(st.integers(2015, 2030)))
    if draw(st.booleans()):
        text += f" ({draw(st.sampled_from((award.name, *award.aliases)))})"
    form = draw(st.sampled_from(["same", "upper", "lower", "nfd", "spaces"]))
    text = {"same": text, "upper": text.upper(), "lower": text.lower(),
            "nfd": unicodedata.normalize("NFD", text), "spaces": "  " + text.replace(" ", "  \n") + " "}[form]
    return award.code, text


@settings(max_examples=300, deadline=None)
@given(written())
def test_every_way_of_writing_an_award_names_it(case):
    code, text = case
    assert CAT.match(text) == code, (text, canonical(text))


def _one_word_less(text: str):
    words = text.split()
    return [" ".join(words[:i] + words[i + 1:]) for i in range(len(words))] if len(words) > 1 else []


@pytest.mark.parametrize("award", AWARDS, ids=lambda a: a.code)
def test_a_name_missing_a_word_is_never_taken_for_another_award(award):
    for text in _one_word_less(award.name):
        assert CAT.match(text) in (None, award.code), text
        own = M.score(text, award.code)
        for other in AWARDS:
            if other.code != award.code:
                assert M.score(text, other.code) <= own, (text, other.code)
        assert CAT.suggest(text) in ([], [award.name]), text
    for alias in award.aliases:  # aliases: never matched or suggested as another award
        for text in _one_word_less(alias):
            assert CAT.match(text) in (None, award.code), text
            assert CAT.suggest(text) in ([], [award.name]), text


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(AWARDS), st.data())
def test_a_typo_in_one_word_suggests_that_award_or_nothing(award, data):
    words = award.name.split()
    i = data.draw(st.integers(0, len(words) - 1))
    w = words[i]
    if len(w) < 5:
        return
    j = data.draw(st.integers(0, len(w) - 1))
    typo = w[:j] + data.draw(st.sampled_from("aeiouxyz")) + w[j + 1:]
    text = " ".join(words[:i] + [typo] + words[i + 1:])
    assert CAT.match(text) in (None, award.code)
    assert CAT.suggest(text) in ([], [award.name])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Nguyễn", "Văn", "Thị", "Tiến", "Lao", "Động", "Hùng", "Dân", "Nhân", "Bằng",
                                 "Khen", "Sở", "Thu", "Huân"]), min_size=2, max_size=4))
@example(["Tiến", "Lao", "Động"])
@example(["Nguyễn", "Lao", "Động", "Tiến"])  # three of the award's words in order after a surname
def test_a_persons_name_is_never_suggested_as_an_award(words):
    text = " ".join(words)
    if CAT.match(text) or M.ambiguous(text):
        return  # "Bằng Khen" really is the word for a Bằng khen
    # words that are all taken from one award's name ("Tiến Lao Động") are that name with a word
    # missing, where a suggestion of that award is allowed (as in the one-word-less test above)
    allowed = [a.name for a in AWARDS if set(_toneless(text).split()) <= set(_toneless(a.name).split())]
    assert all(s in allowed for s in CAT.suggest(text)), text


def _toneless(text):
    t = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in t if not unicodedata.combining(c))


def test_a_cell_naming_two_awards_is_two_nominations_of_the_same_row(tmp_path):
    import openpyxl

    from thidua_xl.intake import read_paths

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["STT", "Họ và tên", "Năm sinh", "Hình thức đề nghị"])
    ws.append([1, "Nguyễn Văn An", 1980, "LĐTT, CSTĐCS"])
    ws.append([2, "Trần Thị Bình", 1985, "Lao động tiên tiến\nChiến sỹ thi đua cơ sở"])
    ws.append([3, "Lê Văn Cường", 1979, "Danh hiệu Lao động tiên tiến (LĐTT)"])
    ws.append([4, "Phạm Thị Dung", 1990, "Bằng khen"])
    wb.save(tmp_path / "DV.xlsx")
    df = read_paths([tmp_path / "DV.xlsx"]).nominations
    assert df[["row", "award"]].fillna("?").values.tolist() == [
        [2, "LDTT"], [2, "CSTDCS"], [3, "LDTT"], [3, "CSTDCS"], [4, "LDTT"], [5, "?"]]
    assert df["hinh_thuc"].tolist()[:2] == ["LĐTT", "CSTĐCS"]


# --- the rewrites, each tried only where it can match ----------------------------------------------
def _every_rewrite(text: str) -> str:
    """The rewrites as they were applied before the substring tests: every pattern on every text."""
    import re

    from thidua_xl.awards_text import _REWRITES

    for _needs, pattern, rep in _REWRITES:
        text = re.sub(pattern, rep, text)
    return text


# the words the rewrites look for, and words near them, so that a drawn text meets each rewrite often
_REWRITE_WORDS = ["nam", "2024", "1999", "doan", "the", "hang", "3", "iii", "ba", "2", "ii", "nhi", "1", "i", "nhat",
                  "thanh", "pho", "truc", "thuoc", "trung", "uong", "tinh", "bo", "ban", "nganh", "doanthe", "thu",
                  "truong", "cac", "co", "quan", "chuyen", "mon", "chu", "tich", "uy", "nhan", "dan", "cap", "huyen",
                  "xa", "thi", "phuong", "y", "te", "so", "giam", "doc", "tuong", "chinh", "phu", "toan", "quoc",
                  "vi", "suc", "khoe", "de", "nghi", "tang", "cong", "xet", "hinh", "thuc", "khen", "thuong",
                  "danh", "hieu", "vinh", "du", "nuoc", "cua", "muc", "lao", "dong", "tien", "@TINH", "@SO", "x",
                  "bangkhen", "sotay", "tinhyeu", "hue", *(w for p in PROVINCES for w in p.split())]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_REWRITE_WORDS) | st.sampled_from(PROVINCES), max_size=14),
       st.sampled_from(["", " ", "  "]))
@example(["bang", "khen", "chu", "tich", "uy", "ban", "nhan", "dan", "tinh", "quang", "binh"], "")
@example(["chien", "si", "thi", "dua", "thanh", "pho", "ho", "chi", "minh"], " ")
def test_a_rewrite_skipped_where_its_words_are_missing_changes_nothing(words, end):
    from thidua_xl.awards_text import _rewritten

    text = " ".join(words) + end
    assert _rewritten(text) == _every_rewrite(text)


@pytest.mark.parametrize("award", AWARDS, ids=lambda a: a.code)
def test_the_catalogue_texts_rewrite_as_with_every_rewrite(award):
    from thidua_xl.awards_text import _WORDS, _rewritten
    from thidua_xl.text import fold

    for text in (award.name, *award.aliases, award.code):
        words = fold(text).replace("@", " ").split()
        out = " ".join(_WORDS.get(w, w) for w in words)
        assert _rewritten(out) == _every_rewrite(out), text
