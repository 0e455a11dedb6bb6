"""The sample-row sieve on a column's raw texts (rowkinds.example_sieve, a Polars regex) lets through every
text whose cleaned form is_example accepts: only what it lets through is cleaned and folded."""
from __future__ import annotations

import unicodedata

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from thidua_xl.rowkinds import _sieve_pattern, example_candidates, example_sieve, is_example
from thidua_xl.text import clean

PLACEHOLDERS = st.sampled_from([
    "Nguyễn Văn A", "NGUYỄN VĂN A", "Nguyễn Văn Ă", "Trần Thị B.", "Ông Nguyễn Văn A", "Bà Lê Thị C", "Đỗ Văn Đ",
    "Vũ Đức E", "Lê Văn A B", "Ví dụ", "VD:", "(mẫu)", "- Ví dụ: Khoa Nội", "Dòng mẫu", "Minh họa", "ṽí dụ",
    "Mẫu số 1", "Đinh Thị Ẩ", "Nguyễn Văn İ", "Phạm Hữu Ỳ", "Hoàng Đức ß", "Võ Văn Ò",
])
# what a cell may carry around or inside a word: odd spaces, zero-width and control characters, marks
ODD = st.sampled_from(["", " ", "  ", "\u00a0", "\u200b", "\u200d", "\u2060", "\ufeff", "\x01", "\x7f", "\x9f",
                       "\u202e", "\u0301", "\u0323", "\n", "\t", "\u3000", "*", "-", "(", ".", "_", "1"])


def _forms(t: str, how: int) -> str:
    return [t, unicodedata.normalize("NFD", t), f"  {t}  ", t.upper(), t.lower(), t.replace(" ", "\u00a0"),
            f"{t}\n", f"*{t}*", t.encode("utf-8").decode("latin-1", "replace"), t.replace(" ", "\u200b ")][how % 10]


def _spliced(t: str, odd: list[str], at: list[int]) -> str:
    for o, k in zip(odd, at):
        k %= len(t) + 1
        t = t[:k] + o + t[k:]
    return t


RAW = st.one_of(
    st.tuples(PLACEHOLDERS, st.integers(0, 9)).map(lambda x: _forms(*x)),
    st.tuples(PLACEHOLDERS, st.lists(ODD, max_size=3), st.lists(st.integers(0, 40), max_size=3))
    .map(lambda x: _spliced(*x)),
    st.text(max_size=15), st.text(st.characters(codec="utf-8"), max_size=6),
)


def _sieved(texts: list[str]) -> set[str]:
    return set(example_candidates(pl.Series(texts, dtype=pl.String)))


@settings(max_examples=600, deadline=None)
@given(st.lists(RAW, max_size=20))
@example(["Nguyễn Văn A\u200d", "Nguyễn Văn A\u0301", "Nguyễn Văn \u0301A", "Lê Văn A\u0000", "\u200bVí dụ",
          unicodedata.normalize("NFD", "Lê Văn Ă"), "Trần Văn Ａ", "Nguyễn Văn A\x01B"])
def test_every_text_that_cleans_to_a_sample_row_passes_the_sieve(texts):
    texts = [t.replace("\x00", "") for t in texts]
    missed = [t for t in texts if is_example(clean(t)) and t not in _sieved(texts)]
    assert not missed


def test_no_first_or_last_character_escapes_the_sieve():
    """Every character of the Basic Multilingual Plane as a mark's first letter and as the given name."""
    chars = [chr(c) for c in range(1, 0x10000) if not 0xD800 <= c < 0xE000]
    for texts in ([f"{c}í dụ" for c in chars], [f"Lê Văn {c}." for c in chars], [f"{c}rần Thị B" for c in chars],
                  [f"Lê Văn A{c}" for c in chars], [f"Lê Văn{c}A" for c in chars], [f"{c}Ví dụ" for c in chars],
                  [f"V{c} dụ" for c in chars], [f"V{c}í dụ" for c in chars], [f"M{c}u" for c in chars],
                  [f"T{c}ần Thị B" for c in chars], [f"Đ{c} Văn C" for c in chars], [f"{c}ng Lê Văn A" for c in chars],
                  [f"Lê{c}Văn A" for c in chars]):
        got = _sieved(texts)
        assert {t for t in texts if is_example(clean(t))} <= got


def test_the_common_names_are_not_let_through():
    names = ["Nguyễn Văn Bình", "Trần Thị Hà", "Lê Hoàng Nam", "Phạm Minh Tuấn", "Khoa Nội tổng hợp", "1", "12",
             unicodedata.normalize("NFD", "Nguyễn Thị Thu Hằng")]
    assert _sieved(names) == set()
    assert _sieved(["Nguyễn Văn A", "Ví dụ", "Vũ Văn Hùng", "Vũ Văn H", "Đặng Thị Mai", "Điều dưỡng"]) == \
        {"Nguyễn Văn A", "Ví dụ", "Vũ Văn H"}


def _matches(pattern: str, texts: list[str]) -> list[bool]:
    return pl.Series(texts, dtype=pl.String).str.contains(pattern).to_list()


WIDE = _sieve_pattern("")  # the sieve with Unicode's whole classes of letters and numbers


@settings(max_examples=400, deadline=None)
@given(st.lists(RAW, max_size=20))
def test_the_narrowed_sieve_matches_what_the_whole_classes_match(texts):
    assert _matches(example_sieve(), texts) == _matches(WIDE, texts)


def test_the_narrowed_sieve_on_every_character():
    """Every character of the Basic Multilingual Plane (and a few beyond) wherever a narrowed class reads one."""
    chars = [chr(c) for c in (*range(1, 0x10000), 0x10000, 0x1D400, 0x1F600, 0x20000, 0xE0041, 0x10FFFF)
             if not 0xD800 <= c < 0xE000]
    for texts in ([f"{c}Ví dụ" for c in chars], [f"Lê Văn {c}" for c in chars], [f"Lê Văn{c}A" for c in chars],
                  [f"Lê Văn A{c}" for c in chars], [f"Lê Văn {c}." for c in chars], [f"{c}ng Lê Văn A" for c in chars],
                  [f"Lê Văn \u0301{c}" for c in chars], [c for c in chars]):
        assert _matches(example_sieve(), texts) == _matches(WIDE, texts)
