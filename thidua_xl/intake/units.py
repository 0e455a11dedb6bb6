"""Which unit a table belongs to: the master's units list, key/value sheets, title rows, names written otherwise.

A unit file says who sent it in a `Đơn vị:` line or its file name, and a consolidated list names each
row's unit in a column; they rarely write the name as the `Đơn vị` sheet does. A unit is matched by its
code or name, then by a key with abbreviations expanded (TTYT, BVĐK…) and administrative words dropped
(huyện, thị xã, khu vực…) — only when exactly one unit has that key. Otherwise nothing is guessed and
`closest` names the units the text is nearest to.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..awards_text import PROVINCES
from ..text import clean, fold
from .arrow import _arrow_texts
from .headers import UNIT_LIST_HEADERS, UNIT_LIST_REQUIRED, find_table

if TYPE_CHECKING:
    import pandas as pd

_UNIT_LABELS = {"don vi", "ten don vi", "don vi de nghi", "co quan don vi", "don vi bao cao"}
# the patterns of this module, compiled at their first use by `re`'s cache (a run may need none of them; compiled
# at import, every start paid ~1.5 ms for them)
_YEAR_IN_TITLE = r"\bnam (20\d{2}|19\d{2})\b"


def _key_values(rows: list[list]) -> dict[str, str]:
    out = {}
    for r in rows:
        if len(r) >= 2 and clean(r[0]):
            out[fold(str(r[0]).replace("_", " "))] = clean(r[1])
    return out


def _title_info(rows: list[list], header_idx: int) -> tuple[str, int | None]:
    """Unit name from a title row "Đơn vị: …" and the year from "… NĂM 2020" above the header."""
    memo = getattr(rows, "header_memo", None)  # an ArrowSheet: asked again by the identity check
    if memo is not None:
        got = memo.get(("title", header_idx))
        if got is None:
            got = memo[("title", header_idx)] = _title_lines(rows, header_idx)
        return got
    return _title_lines(rows, header_idx)


def _title_lines(rows: list[list], header_idx: int) -> tuple[str, int | None]:
    unit, year = "", None
    said = _TITLE_SAYS
    if len(said) > 1 << 12:
        said.clear()
    for r in rows[:header_idx]:
        for cell in r:
            if not isinstance(cell, str):
                continue
            got = said.get(cell)
            if got is None:
                got = said[cell] = _title_cell(cell)
            if got[0] and not unit:
                unit = got[0]
            if got[1] is not None and year is None:
                year = got[1]
    return unit, year


_TITLE_SAYS: dict[str, tuple[str, int | None]] = {}  # a title cell -> (unit it names, year): the same titles each file


def _title_cell(cell: str) -> tuple[str, int | None]:
    """The unit a title cell names ("Đơn vị: …") and the year it gives ("… NĂM 2020")."""
    if not cell.strip():
        return "", None
    text = clean(cell)
    unit = ""
    if ":" in text and fold(text.split(":", 1)[0]) in _UNIT_LABELS:
        unit = clean(text.split(":", 1)[1])
    y = re.search(_YEAR_IN_TITLE, fold(text))
    return unit, int(y.group(1)) if y else None


_UNIT_COLUMNS = ["unit_code", "unit", "email", "sheet"]


def units_records(rows: list[list]) -> list[dict[str, str]]:
    """The units a `Đơn vị` sheet lists, as records (unit_code, unit, email, sheet)."""
    table = find_table(rows, UNIT_LIST_HEADERS, UNIT_LIST_REQUIRED)
    if table is None:
        return []
    col = {UNIT_LIST_HEADERS[c][0]: j for j, c in table.columns.items()}
    recs = []
    for r in rows[table.header_idx + 1:]:
        get = lambda k: clean(r[col[k]]) if k in col and col[k] < len(r) else ""  # noqa: E731
        if not get("unit_code") and not get("unit"):
            continue
        recs.append({k: get(k) for k in _UNIT_COLUMNS})
    return recs


def read_units_sheet(rows: list[list]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame.from_records(units_records(rows), columns=_UNIT_COLUMNS)


_ABBREV = {
    "ttyt": "trung tam y te", "bvdk": "benh vien da khoa", "bv": "benh vien", "pkdk": "phong kham da khoa",
    "tt": "trung tam", "ksbt": "kiem soat benh tat", "cdc": "trung tam kiem soat benh tat",
    "yhct": "y hoc co truyen", "tyt": "tram y te", "cc": "chi cuc", "atvstp": "an toan ve sinh thuc pham",
    "dskhhgd": "dan so ke hoach hoa gia dinh", "ds": "dan so", "pcbxh": "phong chong benh xa hoi",
    "kn": "kiem nghiem", "gdyk": "giam dinh y khoa", "ptth": "pho thong", "cd": "cao dang", "syt": "so y te",
    "bvdktinh": "benh vien da khoa tinh", "tp": "thanh pho", "tx": "thi xa", "kv": "khu vuc",
}
_ADMIN = r"\b(huyen|thi xa|thanh pho|quan|khu vuc|tinh|thi tran|truc thuoc)\b"  # (compiled at first use: above)
_PROVINCE_END = r"\b(?:tinh )?(?:" + "|".join(sorted(PROVINCES, key=len, reverse=True)) + r")$"
# Words that open the name of a unit of a Sở Y tế (not of a department or station inside one).
_UNIT_START = (r"^(benh vien|trung tam|chi cuc|so y te|ban bao ve|truong cao dang|truong trung cap|"
               r"phong kham da khoa khu vuc)\b")


def unit_key(text: object) -> str:
    """A unit's name with abbreviations expanded and administrative words dropped."""
    words = fold(text).split()
    expanded = " ".join(_ABBREV.get(w, w) for w in words)
    if expanded.startswith(("benh vien", "trung tam", "chi cuc")):  # "… tỉnh Tuyên Quang": the province is ours
        expanded = re.sub(_PROVINCE_END, " ", expanded)
    return " ".join(re.sub(_ADMIN, " ", expanded).split())


def looks_like_a_unit(text: object) -> bool:
    """The name of a unit of the Sở ("Bệnh viện …", "Trung tâm Y tế …", "TTYT …"), not of a khoa or trạm."""
    return bool(re.match(_UNIT_START, " ".join(_ABBREV.get(w, w) for w in fold(text).split())))


_UNSEEN = object()


class UnitRegistry:
    """Known units (from a master's Đơn vị sheet), looked up by code, name or a name written otherwise."""

    def __init__(self, units: pd.DataFrame | None = None):
        self.by_code: dict[str, tuple[str, str]] = {}
        self.by_name: dict[str, tuple[str, str]] = {}
        self._by_key: dict[str, set[tuple[str, str]]] = {}
        self._unkeyed: list[tuple[str, str]] = []  # units added whose key is not made yet (see by_key)
        self._found: dict[str, tuple[str, str] | None] = {}  # text -> find's answer, until a unit is added
        if units is not None:
            for code, name in zip(units["unit_code"], units["unit"]):
                self.add(code, name)

    def add(self, code: str, name: str) -> None:
        self.by_code[fold(code)] = (code, name)
        self.by_name[fold(name)] = (code, name)
        self._unkeyed.append((code, name))
        self._found.clear()

    @property
    def by_key(self) -> dict[str, set[tuple[str, str]]]:
        """The units by `unit_key` of their names, made when first asked for: a master's texts name its units
        as its `Đơn vị` sheet does (found by code or name), and a key costs ~20 µs a unit (~1 ms the first)."""
        if self._unkeyed:
            for code, name in self._unkeyed:
                self._by_key.setdefault(unit_key(name), set()).add((code, name))
            self._unkeyed.clear()
        return self._by_key

    def __bool__(self) -> bool:
        return bool(self.by_code)

    def find(self, text: str) -> tuple[str, str] | None:
        """(code, name) of the one unit a text names, or None (unknown, or several units fit)."""
        if not self.by_code:
            return None  # no unit known (a folder of unit files without their master)
        found = self._found.get(text, _UNSEEN)
        if found is _UNSEEN:
            found = self._found[text] = self._find(text)
        return found

    def _find(self, text: str) -> tuple[str, str] | None:
        hit = self.by_code.get(fold(text)) or self.by_name.get(fold(text))
        if hit:
            return hit
        key = unit_key(text)
        if not key:
            return None
        found = self.by_key.get(key, set())
        if len(found) == 1:
            return next(iter(found))
        if found:
            return None
        # "TTYT Yên Sơn" where the key of the unit is "trung tam y te yen son": same words, another order
        words = sorted(key.split())
        same = {u for k, us in self.by_key.items() if sorted(k.split()) == words for u in us}
        return next(iter(same)) if len(same) == 1 else None

    def closest(self, text: str, n: int = 3) -> list[str]:
        """Names of the units nearest to a text, for a refusal that helps the user choose."""
        import difflib  # only a refusal gets here

        key = unit_key(text)
        keys = list(self.by_key)
        near = difflib.get_close_matches(key, keys, n=n, cutoff=0.5) if key else []
        out = [name for k in near for _code, name in sorted(self.by_key[k])]
        return out[:n]


def row_units(values: list[str], registry: UnitRegistry, own_unit_known: bool) -> dict[str, tuple[str, str]] | None:
    """A consolidated list of many units: {column value: (code, unit)} when a column (`Đơn vị công tác`)
    names each row's unit, else None. Values matched against the known units; without them, values
    must all be unit names, and the file must not say which unit sent it."""
    distinct = [v for v in dict.fromkeys(values) if v]
    if len(distinct) < 2:
        return None
    if registry:
        hits = {v: registry.find(v) for v in distinct}
        found = {v: h for v, h in hits.items() if h}
        if len({h for h in found.values()}) >= 2 and len(found) >= 0.8 * len(distinct):
            return found
        return None
    if own_unit_known or not all(looks_like_a_unit(v) for v in distinct):
        return None
    return {v: ("", v) for v in distinct}


def units_per_row(parts: list[dict[str, list]], registry: UnitRegistry, own_unit_known: bool) -> None:
    """A consolidated list of many units (a `Đơn vị công tác` column naming each row's unit): each row
    is counted under the unit it names, not under the file's unit. Decided per distinct value."""
    if not registry and own_unit_known:
        return  # row_units finds nothing without known units when the file says whose it is
    from .frames import sheet_column

    for data in parts:
        frame = data["frame"]
        place = sheet_column(data, "khoa_phong")
        places = list(dict.fromkeys(place.to_list()))
        texts = _arrow_texts(places) if data["raw"] else places  # as fastexcel wrote them: cleaned as intake does
        mapping = row_units(texts, registry, own_unit_known)
        if mapping:
            if data["raw"]:
                mapping = {p: mapping[t] for p, t in zip(places, texts) if t in mapping}
            keys = list(mapping)
            # the rows' own units (a column of the sheet's frame; the others keep the file's)
            data["frame"] = frame.with_columns(
                place.replace_strict(keys, [mapping[k][0] for k in keys], default=data["unit_code"]).alias("unit_code"),
                place.replace_strict(keys, [mapping[k][1] for k in keys], default=data["unit"]).alias("unit"))
