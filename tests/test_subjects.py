"""Cá nhân or tập thể weighed over whole columns (Polars sieves, Python only for the names they let through)
gives, row by row, what each row's signals say: the stated column, a birth date or gender, a title before the
name, a collective's name, the group heading, a chức vụ, a name shaped like a person's."""
from __future__ import annotations

import re
import unicodedata

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from thidua_xl import subjects
from thidua_xl.catalog import CA_NHAN, TAP_THE
from thidua_xl.subjects import has_person_title, infer_columns, infer_frame, looks_like_a_person


def _first_word_is_a_title_start(name: str) -> bool:
    return name[:8].lower().split(" ", 1)[0].split(".", 1)[0].split(",", 1)[0] in subjects._TITLE_STARTS


COLLECTIVE = re.compile(r"^(" + subjects._COLLECTIVE_WORDS + r")(\s|$|\.)")  # a collective's name, as a regex


def _one_row(stated, group, name, has_person, has_cv):
    """What one row's signals say, strongest first (the rule `subjects.infer` states)."""
    coll = bool(COLLECTIVE.match(name.lower()))
    person = has_person or (_first_word_is_a_title_start(name) and has_person_title(name))
    quiet = not (person or coll) and stated == "" and group == "" and not has_cv
    weak = (has_cv or (quiet and looks_like_a_person(name))) and not coll
    says_person = person or CA_NHAN in (group, stated)
    says_collective = coll or TAP_THE in (group, stated)
    for speaks, subject in ((stated == CA_NHAN, CA_NHAN), (stated == TAP_THE, TAP_THE), (person, CA_NHAN),
                            (coll, TAP_THE), (group == CA_NHAN, CA_NHAN), (group == TAP_THE, TAP_THE),
                            (weak, CA_NHAN)):
        if speaks:
            break
    else:
        subject = TAP_THE
    return subject, says_person and says_collective, not says_person and not says_collective and not weak


NAMES = st.one_of(
    st.sampled_from(["Khoa Nội", "KHOA NGOẠI", "khoa", "Khoa.", "Khoan Văn A", "Trạm Y tế xã Tân Lập", "Tổ Dược",
                     "Tô Văn Hải", "Đoàn Thị Lan", "Đoàn thanh niên", "TTYT huyện Yên Sơn", "Ủy ban nhân dân",
                     "ỦY BAN", "Uỷ ban", "Nguyễn Văn An", "Lê Thị Thuý", "Ông Nguyễn Văn An", "Ông Ích Khiêm",
                     "ThS.BS. Trần Thị B", "Lương Văn Can", "Lương y Trần Văn Bé", "Bà Rịa", "Ban Giám đốc",
                     "Đại tá Phạm C", "İ", "ΣΣ", "Khoa\u00a0Nội", "Khoa\tNội", "Khoa\x1cNội",
                     unicodedata.normalize("NFD", "Trạm y tế"), "an", "", "x" * 9, "Bệnh viện Đa khoa"]),
    st.text(max_size=12),
    st.tuples(st.sampled_from(["Khoa", "Ông", "Trạm", "Lương", "Nguyễn", "Tổ", "Ths.", "Hội"]),
              st.sampled_from(["", " ", ".", "  ", ","]), st.text(max_size=6)).map("".join))
ROWS = st.tuples(st.sampled_from(["", CA_NHAN, TAP_THE]), st.sampled_from(["", CA_NHAN, TAP_THE]), NAMES,
                 st.booleans(), st.booleans())


@settings(max_examples=500, deadline=None)
@given(st.lists(ROWS, max_size=25))
@example([("", "", "Khoa Nội", False, False), ("", "", "Ông Ích Khiêm", False, False),
          ("", "", "Nguyễn Văn An", False, False), ("", "", "Lương Văn Can", False, True),
          (CA_NHAN, TAP_THE, "Khoa Nội", True, False), ("", "", "", False, False)])
def test_each_row_is_weighed_as_its_own_signals_say(rows):
    columns = [list(c) for c in zip(*rows)] if rows else [[] for _ in range(5)]
    got = infer_columns(*columns)
    assert list(zip(*got)) == [_one_row(*r) for r in rows]


def test_a_frame_is_weighed_as_its_lists_are():
    rows = [("", "", "Khoa Nội", False, False), ("", "", "Ông Nguyễn Văn An", False, False),
            ("", TAP_THE, "Nguyễn Văn An", True, False), ("", "", "Nguyễn Văn An", False, False),
            ("", "", "abc", False, False)]
    frame = pl.DataFrame([list(c) for c in zip(*rows)], schema=["stated", "group", "name", "has_person", "has_cv"],
                         orient="col")
    got = infer_frame(frame)
    assert got.columns == ["subject", "conflict", "silent"]
    assert list(zip(*(got.get_column(c).to_list() for c in got.columns))) == [
        (TAP_THE, False, False), (CA_NHAN, False, False), (CA_NHAN, True, False), (CA_NHAN, False, False),
        (TAP_THE, False, True)]


def test_missing_names_and_headings_count_as_empty():
    got = infer_columns([None, ""], [None, None], [None, "Khoa Dược"], [False, False], [None, float("nan")])
    assert got == ([TAP_THE, TAP_THE], [False, False], [True, False])


AFTER = st.one_of(st.sampled_from(["", " ", ".", "\n", "\t", "\u00a0", "\u3000", "\x1c", "\x85", "a", "-", ",", "1",
                                   "\u0301", " Nội", ". Nội", "\n\n"]), st.text(max_size=4))


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.tuples(st.sampled_from(subjects._COLLECTIVE_STARTS), AFTER).map("".join), st.text(max_size=12)))
def test_a_collective_opens_as_the_regex_says(text):
    assert subjects._opens_collective(text) == bool(COLLECTIVE.match(text))


def test_a_collective_word_before_every_character():
    """Every character of the Basic Multilingual Plane after the first word; its white space after each word."""
    every = [chr(c) for c in range(0x10000)]
    for c in every:
        assert subjects._opens_collective("khoa" + c) == bool(COLLECTIVE.match("khoa" + c)), c
    odd = [c for c in every if c.isspace() or not c.isalnum()][::7] + [c for c in every if c.isspace()]
    for word in subjects._COLLECTIVE_STARTS:
        for c in odd:
            assert subjects._opens_collective(word + c) == bool(COLLECTIVE.match(word + c)), (word, c)
        cut = word[:-1] + "\ufffd"
        assert subjects._opens_collective(word) and subjects._opens_collective(cut) == bool(COLLECTIVE.match(cut))
