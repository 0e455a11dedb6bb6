"""A collective's name is told apart from a second table's header without the header matcher.

The row classifier asks of each distinct name, number and award text without a date of birth whether it
heads the name, number or award column (`rows._is_header_text`). Every way to name one of them folds to a
key holding "tt", "thu", "ten", "hinh", "danh" or "nghi" (checked on the specs themselves), and the matcher
only cuts a key (notes in brackets, a column number): a text whose key holds none is answered at once.
Checked here against the matcher on headers, their misspellings and nasty texts.
"""
from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from thidua_xl.intake import rows
from thidua_xl.intake.headers import NOMINATION_HEADERS, WORD_RULES, match_header
from thidua_xl.text import fold

THREE = ("Họ và tên", "STT", "Hình thức đề nghị")


def _matched(text: str) -> bool:
    """The answer without the sieve: the header matcher itself."""
    return bool(text) and len(text) < 80 and match_header(text, NOMINATION_HEADERS) in THREE


def test_every_header_and_word_rule_of_the_three_columns_holds_one_of_the_words():
    assert rows._header_words_hold()
    for c in THREE:
        for v in (c, *NOMINATION_HEADERS[c][1]):
            assert any(w in fold(v) for w in rows._HEADER_WORDS), v
    for c, need, _never in WORD_RULES:
        if c in THREE:
            assert any(w in word for word in need for w in rows._HEADER_WORDS), need


HEADERS = [v for c in THREE for v in (c, *NOMINATION_HEADERS[c][1])] + \
    [" ".join(sorted(need)) for c, need, _never in WORD_RULES if c in THREE]
PIECES = ["Họ", "và", "tên", "TÊN", "Te\u0302n", "tập thể", "cá nhân", "Số", "thứ", "tự", "TT", "STT", "S.T.T", "Hình",
          "thức", "khen", "thưởng", "Danh", "hiệu", "đề", "nghị", "Đề nghị", "thi đua", "kỷ luật", "(ghi rõ)", "[1]",
          "(6)", "2", " ", "\u00a0", "/", ",", "-", "\n", "\u200b", "\x01", "Khoa", "Dược", "Phòng", "Tổ", "chức",
          "Trạm Y tế", "xã", "Tân", "Thành", "Nguyễn Văn", "Tiến", "Tuấn", "Nghĩa", "Hà", "Đinh", "Ttt", "ṭ", "ñ"]
TEXTS = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=8).map(lambda p: " ".join(p)),
    st.lists(st.sampled_from(PIECES), max_size=8).map("".join),
    st.sampled_from(HEADERS).flatmap(lambda h: st.sampled_from([h, h.upper(), h + " (1)", h + " 3", "(x) " + h,
                                                                h.replace(" ", "\u00a0"), h + "\u0301"])),
    st.text(max_size=20),
)


@settings(max_examples=2000, deadline=None)
@given(TEXTS)
@example("Họ và tên (ghi rõ)")
@example("STT1")
@example("Số thứ tự")
@example("Đề nghị")
@example("Tên tập thể / cá nhân")
@example("Khoa Dược")
@example("x" * 85 + " tên")
def test_the_sieve_gives_the_matchers_answer(text):
    rows._is_header_text.cache_clear()
    assert rows._is_header_text(text) == _matched(text)
