"""The award catalogue: codes, names, subjects and the texts units type for them.

The catalogue is data (data/awards.csv). Danh hiệu thi đua, hình thức khen thưởng
and danh hiệu vinh dự live in one table with a `kind` column, because units write
all of them in the same "Hình thức đề nghị" cell.
"""
from __future__ import annotations

import csv
from functools import lru_cache

from .awards_text import AwardMatcher
from .packaged import data_folder
from .perf import Frozen
from .schema import BOTH, CA_NHAN, SUBJECT_LABEL, TAP_THE  # noqa: F401  (the subjects, named once)

KIND_LABEL = {
    "danh_hieu_thi_dua": "Danh hiệu thi đua",
    "hinh_thuc_khen_thuong": "Hình thức khen thưởng",
    "danh_hieu_vinh_du": "Danh hiệu vinh dự Nhà nước",
    "ky_niem_chuong": "Kỷ niệm chương",
}
AUTHORITY_LABEL = {
    "so": "Giám đốc Sở Y tế",
    "tinh": "Chủ tịch UBND tỉnh",
    "bo": "Bộ trưởng Bộ Y tế",
    "cp": "Thủ tướng Chính phủ",
    "nha_nuoc": "Chủ tịch nước",
}


class Award(Frozen):
    """One award of the catalogue (read-only; a plain class: see perf.Plain)."""

    _fields = ("code", "order", "name", "kind", "subject", "authority", "decided_by_so", "aliases", "via")

    def __init__(self, code: str, order: int, name: str, kind: str, subject: str, authority: str,
                 decided_by_so: bool, aliases: tuple[str, ...], via: str = ""):
        put = object.__setattr__
        put(self, "code", code)
        put(self, "order", order)
        put(self, "name", name)
        put(self, "kind", kind)
        put(self, "subject", subject)  # tap_the | ca_nhan | both
        put(self, "authority", authority)
        put(self, "decided_by_so", decided_by_so)
        put(self, "aliases", aliases)
        put(self, "via", via)  # through whom the Sở proposes it: '' (its own), 'tinh' (UBND tỉnh), 'bo' (Bộ Y tế)

    def allows(self, subject: str) -> bool:
        return self.subject == BOTH or self.subject == subject

    @property
    def subjects(self) -> tuple[str, ...]:
        return (TAP_THE, CA_NHAN) if self.subject == BOTH else (self.subject,)


class Catalog:
    """Looks award texts up by code, name or abbreviation, whatever their form (awards_text)."""

    def __init__(self, awards: list[Award]):
        self.awards = sorted(awards, key=lambda a: a.order)
        self.by_code = {a.code: a for a in self.awards}
        self.matcher = AwardMatcher(self.awards)

    def __iter__(self):
        return iter(self.awards)

    def __getitem__(self, code: str) -> Award:
        return self.by_code[code]

    def match(self, text: object) -> str | None:
        """The award code for what a unit typed, or None."""
        return self.matcher.match(text)

    def split(self, text: object) -> list[tuple[str, str]] | None:
        """[(part, code), …] for a cell naming several awards ("LĐTT, CSTĐCS"), else None."""
        return self.matcher.split(text)

    def suggest(self, text: object, n: int = 1) -> list[str]:
        """Closest award names for an unknown text ("did you mean"), only when truly close."""
        return self.matcher.suggest(text, n)

    def hint(self, text: object) -> str:
        """What to tell the unit about an award text that names no award (ambiguous, a suggestion, or how)."""
        return self.matcher.hint(text)

    def find_in(self, text: object) -> str | None:
        """The single award a title or group heading names, or None."""
        return self.matcher.find_in(text)

    def codes(self) -> list[str]:
        return [a.code for a in self.awards]


@lru_cache(maxsize=None)
def load_catalog() -> Catalog:
    awards = []
    with data_folder("thidua_xl", __file__).joinpath("awards.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            awards.append(Award(
                code=row["code"], order=int(row["order"]), name=row["name"], kind=row["kind"],
                subject=row["subject"], authority=row["authority"],
                decided_by_so=row["decided_by_so"] == "yes",
                aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
                via=(row.get("via") or "").strip(),
            ))
    return Catalog(awards)
