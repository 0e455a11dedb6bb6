"""Names as a signed list prints them: written case, and one birth date per person.

Units type names in capitals now and then ("KHOA Y HỌC CỔ TRUYỀN", "ĐẶNG PHƯƠNG DUNG") and a
person's birth date differently in each row (a year in one list, the full date in another).
A person's name is printed with each syllable capitalised; a collective's in its written case —
the form the same collective has elsewhere in the year's lists, else the Nghị định 30 rule for
organisations (capital on the first syllable, on the syllable after the kind of body — Khoa,
Phòng, Trạm… — and on place names); and one person (unit, name, birth year) shows the one full
birth date the year's lists give, in every document.
"""
from __future__ import annotations

import datetime as dt
import weakref

import pandas as pd

from ..catalog import CA_NHAN, TAP_THE
from ..text import clean, name_key, name_keys

# the kind of body a collective's name starts with: the next syllable is capitalised too (NĐ 30, Phụ lục II)
_KINDS = ("khoa", "phòng", "trạm", "tổ", "đội", "ban", "trung tâm", "bệnh viện", "văn phòng", "bộ phận", "đơn vị",
          "nhà thuốc", "phân viện", "cơ sở", "chi cục", "công đoàn", "đoàn", "chi bộ", "đảng bộ", "hội", "viện",
          "phòng khám", "trường", "tập thể", "bộ môn", "labo", "kho")
_PLACE = ("xã", "phường", "thị trấn", "huyện", "tỉnh", "thành phố", "thị xã", "khu vực", "bản", "thôn")
_JOINERS = {"-", "–", "&", "và", "+"}
# acronyms kept in capitals inside a name otherwise written in lower case
_ACRONYMS = {"hiv", "aids", "hiv/aids", "icu", "ct", "mri", "ecg", "pcr", "covid-19", "covid", "bhyt", "tdkt", "ubnd"}


def person_case(name: str) -> str:
    """'ĐẶNG PHƯƠNG DUNG' → 'Đặng Phương Dung' (only a name typed all in capitals is changed)."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in name.split(" ")) if name.isupper() else name


def organisation_case(name: str) -> str:
    """'KHOA HỒI SỨC TÍCH CỰC - CHỐNG ĐỘC' → 'Khoa Hồi sức tích cực - Chống độc';
    'TRẠM Y TẾ XÃ BẢN VƯỢC' → 'Trạm Y tế xã Bản Vược' (only a name typed all in capitals is changed)."""
    if not name.isupper():
        return name
    words = name.lower().split(" ")
    out: list[str] = []
    cap_next, kinds_open, place = True, True, False
    i = 0
    while i < len(words):
        w, two = words[i], " ".join(words[i:i + 2])
        n = 2 if two in _KINDS or (two in _PLACE and not place) else 1
        if kinds_open and (two in _KINDS or w in _KINDS):  # "Tập thể Khoa …", "Trung tâm …"
            out += [words[i].capitalize()] + words[i + 1:i + n]
        elif not place and (two in _PLACE or w in _PLACE):  # "xã Bản Vược": the place's own name follows
            out += words[i:i + n]
            place = True
        elif w in _JOINERS:  # "Hồi sức - Chống độc", "Tài nguyên và Môi trường"
            out.append(w)
            cap_next = True
            n = 1
        else:
            bare = w.strip(",.;:()")
            if bare in _ACRONYMS or "/" in bare and all(part in _ACRONYMS for part in bare.split("/")):
                out.append(w.upper())
            else:
                out.append(w[:1].upper() + w[1:] if cap_next or place else w)
            cap_next = kinds_open = False
            i += 1
            continue
        i += n
    return " ".join(out)


def written(name: str) -> str:
    """A name typed in capitals, written as a name: a collective's (it starts with the kind of body) by
    organisation_case, a person's by person_case; for texts that do not know the row's subject."""
    if not name.isupper():
        return name
    low = name.lower()
    if any(low == k or low.startswith(k + " ") for k in _KINDS):
        return organisation_case(name)
    return person_case(name)


class YearNames:
    """What the year's lists say about names: collectives' written forms, persons' full birth dates."""

    def __init__(self, lists: dict[str, pd.DataFrame]):
        frames = [df[[c for c in ("ho_ten", "subject", "unit", "ngay_sinh") if c in df]]
                  for df in lists.values() if df is not None and len(df) and "subject" in df]
        rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["ho_ten", "subject"])
        written = rows.loc[rows["subject"] == TAP_THE, "ho_ten"]
        written = written[[isinstance(n, str) and not n.isupper() for n in written]]
        self.forms: dict[str, str] = {}
        for n, key in zip(written.value_counts().index, name_keys(list(written.value_counts().index))):
            self.forms.setdefault(key, n)  # the commonest written form of each collective
        self.births: dict[tuple, dt.date] = {}
        if "ngay_sinh" in rows:
            full = pd.Series([isinstance(d, (dt.date, pd.Timestamp)) and not pd.isna(d) for d in rows["ngay_sinh"]],
                             index=rows.index, dtype=bool)
            dated = rows[(rows["subject"] == CA_NHAN) & full]
            seen: dict[tuple, set] = {}
            units = dated["unit"].map(clean).tolist() if "unit" in dated else [""] * len(dated)
            for u, key, d in zip(units, name_keys(dated["ho_ten"].tolist()), dated["ngay_sinh"].tolist()):
                d = d.date() if isinstance(d, pd.Timestamp) else d
                seen.setdefault((u, key, d.year), set()).add(d)
            # one full date for the person; two different dates stay each with its own row
            self.births = {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}

    def collective(self, name: str) -> str:
        if not name.isupper():
            return name
        return self.forms.get(name_key(name)) or organisation_case(name)

    def birth(self, unit: str, name: str, year) -> dt.date | None:
        try:
            y = int(year)
        except (TypeError, ValueError):
            return None
        return self.births.get((clean(unit), name_key(name), y))


_CACHE: dict[int, tuple[weakref.ref, YearNames]] = {}  # by identity: a Consolidation is not hashable


def year_names(result) -> YearNames:
    """The YearNames of a Consolidation (its lists), built once per result, however many lists are rendered."""
    hit = _CACHE.get(id(result))
    if hit is not None and hit[0]() is result:
        return hit[1]
    names = YearNames(result.lists)
    for key in [k for k, (ref, _n) in _CACHE.items() if ref() is None]:
        del _CACHE[key]
    try:
        _CACHE[id(result)] = (weakref.ref(result), names)
    except TypeError:  # an object without weak references: not cached
        pass
    return names


__all__ = ["YearNames", "organisation_case", "person_case", "written", "year_names"]
