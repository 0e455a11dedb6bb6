"""Cá nhân or tập thể: every signal a row gives, weighed; titles before a name.

For an award open to both (Giấy khen, Bằng khen, Huân chương) the subject is not written in
the award: it comes from an explicit column, the group heading, a title before the name
("Ông", "ThS.BS.", "Đại tá"), a birth date or gender, a chức vụ, or a name that is a
collective ("Khoa …", "Trạm …", "TTYT …"). `infer` weighs them over whole columns; rows
where they disagree, or where none speaks, are returned so intake can say so.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .catalog import CA_NHAN, TAP_THE
from .text import clean

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

# Words that open a collective's name, matched with their diacritics so that the surnames
# Tô, Đoàn, Trương are not mistaken for Tổ, Đoàn thể, Trường.
_COLLECTIVE_WORDS = (
    r"khoa|phòng|tổ|trạm|bệnh viện|trung tâm|ban|đội|đơn vị|chi cục|công đoàn|chi bộ|đảng bộ|văn phòng|"
    r"bộ phận|nhà thuốc|tập thể|phân viện|viện|trường|sở|cục|chi đoàn|đoàn thanh niên|nhóm|kíp|ê kíp|ekip|"
    r"phòng khám|hội đồng|hội|ttyt|bvđk|bv|pkđk|tyt|khu điều trị|đơn nguyên|xưởng|kho|hộ gia đình|gia đình|"
    r"ủy ban|uỷ ban|ubnd|cơ sở|công ty|hợp tác xã|doanh nghiệp|ban quản lý|trạm y tế")
_COLLECTIVE_STARTS = tuple(_COLLECTIVE_WORDS.split("|"))  # plain words: no character of them is special to a regex

# Titles written before a person's name: honorifics, degrees, ranks. Never part of the name key.
_TITLE_WORDS = (
    r"ông|bà|anh|chị|đồng chí|đ/c|đc|"
    r"gs|pgs|ts|ths|bs|bsck\s*i{1,2}|bsckii|bscki|ck\s*i{1,2}|bác sĩ|bác sỹ|thạc sĩ|thạc sỹ|tiến sĩ|tiến sỹ|"
    r"ds|dược sĩ|dược sỹ|cn|ktv|đd|ys|lương y|nhà giáo|nsnd|nsưt|ttnd|ttưt|"
    r"đại tướng|thượng tướng|trung tướng|thiếu tướng|đại tá|thượng tá|trung tá|thiếu tá|"
    r"đại úy|đại uý|thượng úy|thượng uý|trung úy|trung uý|thiếu úy|thiếu uý")
_TITLE = re.compile(r"^(?:(?:" + _TITLE_WORDS + r")\s*[.,:]?\s*)+", re.I)
# first words of the titles: a name whose first word is none of these has no title
_TITLE_STARTS = {w.split()[0].replace("\\s*i{1,2}", "") for w in _TITLE_WORDS.split("|")} | {"bsck", "ck"}


def is_collective_name(text: object) -> bool:
    """The name of a collective ("Khoa Nhi", "Trạm Y tế xã Tân Lập", "TTYT huyện Yên Sơn")."""
    return _opens_collective(clean(text).lower())


def _opens_collective(text: str) -> bool:
    r"""Whether the (lowered) text matches `^(word|word|…)(\s|$|\.)` of `_COLLECTIVE_WORDS`: it opens with one of
    the words, followed by white space (`\s` is str.isspace), a dot or nothing. Tested as strings: that regex,
    compiled at import, cost ~1 ms of every start (tests/test_subjects.py holds the two to each other)."""
    if not text.startswith(_COLLECTIVE_STARTS):
        return False
    for word in _COLLECTIVE_STARTS:
        if text.startswith(word):
            after = text[len(word):len(word) + 1]
            if not after or after == "." or after.isspace():
                return True
    return False


def strip_title(name: object) -> tuple[str, str]:
    """(title, name without it): "ThS.BS. Nguyễn Văn An" → ("ThS.BS.", "Nguyễn Văn An")."""
    text = clean(name)
    m = _TITLE.match(text)
    if not m or m.end() >= len(text):
        return "", text
    rest = text[m.end():].strip()
    if not rest or not rest[0].isupper():  # "Bà Rịa …", "Ban Giám đốc": not a title before a name
        return "", text
    return m.group(0).strip(), rest


def strip_titles(names: list[str]) -> list[str]:
    """strip_title()[1] of a whole column; C-level scans only when (as usual) no name has a title."""
    maybe = _maybe_titled(names)
    if not maybe:
        return list(names)
    bare = {n: strip_title(n)[1] for n in maybe}
    return [bare.get(n, n) for n in names]


def _maybe_titled(names: list) -> set:
    """The names whose first word could open a title (a C-level sieve before the regex)."""
    names = [n for n in names if n.__class__ is str]
    big = "\x00" + "\x00".join(names).lower()
    if not any(("\x00" + w) in big for w in _TITLE_STARTS):  # C-level scans: the usual case stops here
        return set()
    starts, heads = _TITLE_STARTS, _TITLE_HEADS
    return {n for n in names if n.lower().startswith(heads)
            and n[:8].lower().split(" ", 1)[0].split(".", 1)[0].split(",", 1)[0] in starts}


# a name whose collective test may pass starts with one of the words (lowered by Polars: the regex decides)
_COLLECTIVE_HEAD = "^(?:" + _COLLECTIVE_WORDS + ")"
# a name whose first word is a title starts with one (str.startswith of them all: one C call per name)
_TITLE_HEADS = tuple(sorted(_TITLE_STARTS))


def _title_sieve(names: "pl.Expr") -> "pl.Expr":
    """_maybe_titled's test as a Polars expression: the first word of the first 8 characters, lowered, is a
    title's first word (the surnames Lương, Ông pass too: the regex decides)."""
    return names.str.slice(0, 8).str.to_lowercase().str.extract(r"^([^ .,]*)", 1) \
        .is_in(sorted(_TITLE_STARTS)).fill_null(False)


def strip_titles_series(names: "pl.Series") -> "pl.Series":
    """strip_titles of a text column: the sieve by expressions, strip_title only for the distinct names
    it lets through, mapped back (no Python string per row)."""
    import polars as pl

    n = pl.col(names.name)
    maybe = names.to_frame().lazy().select(n.filter(_title_sieve(n)).unique(maintain_order=True)) \
        .collect(engine="in-memory").to_series()
    if not len(maybe):
        return names
    maybe = maybe.to_list()
    return names.replace(maybe, [strip_title(n)[1] for n in maybe])


def has_person_title(name: object) -> bool:
    """A title that only a person carries ("Ông", "Bà", "ThS.BS.", "Đại tá")."""
    title, _rest = strip_title(name)
    return bool(title)


_SURNAMES = set("""nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đinh đào trịnh mai lưu
lương tạ triệu cao chu châu quách hà thái tô tăng la lâm kiều kim văn vi mạc nông lò lục hứa thân tống đoàn trương
giang đồng phùng khúc mã ông bạch cù nghiêm tôn doãn lã hầu âu""".split())


def looks_like_a_person(text: object) -> bool:
    """Two to five capitalised words opening with a Vietnamese surname ("Nguyễn Văn An")."""
    words = strip_title(text)[1].split()
    return 2 <= len(words) <= 5 and words[0].lower() in _SURNAMES and all(w[:1].isupper() for w in words)


def infer(stated: pd.Series, group: pd.Series, names: pd.Series, has_person: pd.Series,
          chuc_vu: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(subject, conflict, silent) for rows of awards open to both subjects.

    Strong signals: the stated Đối tượng column, a birth date or gender, a title before the name
    ("Ông", "ThS.BS."), the group heading, a collective's name ("Khoa …"). Weak ones: a chức vụ, a
    name shaped like a person's. The subject is the strongest signal's (stated > birth/gender/title
    > collective name > group heading > weak ones); `conflict` marks rows where two strong signals
    disagree, `silent` rows where none speaks (counted as tập thể, docs/interface.md §2).
    Each distinct name is looked at once.
    """
    import pandas as pd

    index = names.index
    out, conflict, silent = infer_columns(stated.fillna("").tolist(), group.fillna("").tolist(), names.tolist(),
                                          has_person.tolist(), chuc_vu.tolist())
    return (pd.Series(out, index=index, dtype=object), pd.Series(conflict, index=index),
            pd.Series(silent, index=index))


def infer_columns(stated: list, group: list, names: list, has_person: list, chuc_vu: list):
    """`infer` on plain columns (lists): lists (subject, conflict, silent), by `infer_frame`."""
    import polars as pl

    rows = pl.DataFrame({
        "name": [n if n.__class__ is str else "" for n in names], "stated": stated, "group": group,
        "has_person": has_person, "has_cv": [bool(c) and c == c for c in chuc_vu],
    }, schema={"name": pl.String, "stated": pl.String, "group": pl.String, "has_person": pl.Boolean,
               "has_cv": pl.Boolean}, strict=False)
    out = infer_frame(rows)
    return tuple(out.get_column(c).to_list() for c in ("subject", "conflict", "silent"))


def infer_frame(rows: "pl.DataFrame") -> "pl.DataFrame":
    """`infer` on a frame of columns name, stated, group (String), has_person, has_cv (Boolean): a frame of
    subject, conflict, silent. The masks are Polars expressions; only the distinct names a Polars sieve
    lets through (a collective's first word, a title's) are looked at in Python, once each."""
    import polars as pl

    rows = rows.with_columns(pl.col("name", "stated", "group").fill_null(""))
    distinct = rows.get_column("name").unique()
    sieve = pl.DataFrame({"name": distinct}).select(
        pl.col("name").str.to_lowercase().str.contains(_COLLECTIVE_HEAD).alias("coll"),
        _title_sieve(pl.col("name")).alias("titled"))
    coll = [n for n in distinct.filter(sieve.get_column("coll")).to_list() if _opens_collective(n.lower())]
    titled = [n for n in distinct.filter(sieve.get_column("titled")).to_list() if has_person_title(n)]
    name = pl.col("name")
    rows = rows.with_columns(name.is_in(coll).alias("coll"), name.is_in(titled).alias("titled"))
    coll, stated_, group_ = pl.col("coll"), pl.col("stated"), pl.col("group")
    person = pl.col("has_person") | pl.col("titled")
    # a name shaped like a person's only matters where nothing stronger speaks
    quiet = ~(person | coll) & (stated_ == "") & (group_ == "") & ~pl.col("has_cv")
    quiet_names = rows.filter(quiet).get_column("name").unique().to_list()
    shaped_names = [n for n in quiet_names if looks_like_a_person(n)]
    weak_person = (pl.col("has_cv") | (quiet & name.is_in(shaped_names))) & ~coll
    says_person = person | (group_ == CA_NHAN) | (stated_ == CA_NHAN)
    says_collective = coll | (group_ == TAP_THE) | (stated_ == TAP_THE)
    subject = (pl.when(stated_ == CA_NHAN).then(pl.lit(CA_NHAN))  # the strongest signal speaks
               .when(stated_ == TAP_THE).then(pl.lit(TAP_THE))
               .when(person).then(pl.lit(CA_NHAN))
               .when(coll).then(pl.lit(TAP_THE))
               .when(group_ == CA_NHAN).then(pl.lit(CA_NHAN))
               .when(group_ == TAP_THE).then(pl.lit(TAP_THE))
               .when(weak_person).then(pl.lit(CA_NHAN))
               .otherwise(pl.lit(TAP_THE)))
    return rows.select(subject.alias("subject"), (says_person & says_collective).alias("conflict"),
                       (~says_person & ~says_collective & ~weak_person).alias("silent"))


def signals(row) -> tuple[list[str], list[str]]:
    """(what says cá nhân, what says tập thể) in one row, in words for a finding."""
    person, collective = [], []
    if row.get("doi_tuong") == CA_NHAN:
        person.append("cột Đối tượng ghi “Cá nhân”")
    if row.get("doi_tuong") == TAP_THE:
        collective.append("cột Đối tượng ghi “Tập thể”")
    if row.get("has_person"):
        person.append("có ngày sinh hoặc giới tính")
    if has_person_title(row.get("ho_ten")):
        person.append(f"có danh xưng “{strip_title(row.get('ho_ten'))[0]}” trước tên")
    if row.get("group_subject") == CA_NHAN:
        person.append("nằm dưới đề mục cá nhân")
    if row.get("group_subject") == TAP_THE:
        collective.append("nằm dưới đề mục tập thể")
    if is_collective_name(row.get("ho_ten")):
        collective.append("tên là tên một tập thể")
    return person, collective
