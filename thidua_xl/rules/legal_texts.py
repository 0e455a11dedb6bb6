"""The legal texts, their versions by date, and the "Căn cứ" lines of the documents.

`rules/data/legal_texts.toml` lists each law, decree and circular with its full name,
number, dates and the text that replaced it. Which texts apply to an award year is a
question of dates, not of a regime letter: a decision for award year Y cites the texts
in force on 31/12/Y (or on the day the caller names), so a decree replaced in mid-year
gives way to its successor for that year.
"""
from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache

from ..packaged import data_folder

KIND_ORDER = {"luat": 0, "nghi_dinh": 1, "thong_tu": 2}


@dataclass(frozen=True)
class LegalText:
    id: str
    kind: str
    name: str
    family: str = ""
    number: str = ""
    issued: dt.date | None = None
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    replaced_by: str = ""
    documents: bool = True
    scope: tuple[str, ...] = ()
    verified: bool = False
    source: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    def in_force(self, on: dt.date) -> bool:
        if self.effective_from is not None and on < self.effective_from:
            return False
        return self.effective_to is None or on <= self.effective_to


def _date(v) -> dt.date | None:
    if v in (None, ""):
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


@lru_cache(maxsize=1)
def load_texts() -> tuple[LegalText, ...]:
    """The packaged table, in file order."""
    raw = data_folder("thidua_xl.rules", __file__).joinpath("legal_texts.toml").read_text(encoding="utf-8")
    out = []
    for rec in tomllib.loads(raw).get("text", []):
        out.append(LegalText(
            id=rec["id"], kind=rec["kind"], name=rec["name"], family=rec.get("family", rec["id"]),
            number=rec.get("number", ""), issued=_date(rec.get("issued")),
            effective_from=_date(rec.get("effective_from")), effective_to=_date(rec.get("effective_to")),
            replaced_by=rec.get("replaced_by", ""), documents=bool(rec.get("documents", True)),
            scope=tuple(rec.get("scope", ())), verified=bool(rec.get("verified", False)),
            source=rec.get("source", ""),
        ))
    return tuple(out)


def text(text_id: str) -> LegalText | None:
    return next((t for t in load_texts() if t.id == text_id), None)


def day_of(year: int, on: dt.date | None = None) -> dt.date:
    """The day whose law governs award year `year`: `on` when given, else 31/12 of that year."""
    return on or dt.date(int(year), 12, 31)


def in_force(year: int, on: dt.date | None = None, *, award: str | None = None) -> list[LegalText]:
    """The texts in force for award year `year`, general ones plus those of `award` (TTND …)."""
    day = day_of(year, on)
    return [t for t in load_texts() if t.in_force(day) and (not t.scope or (award is not None and award in t.scope))]


def can_cu_lines(year: int, on: dt.date | None = None, *, award: str | None = None,
                 kinds: tuple[str, ...] = ("luat", "nghi_dinh")) -> list[str]:
    """The "Căn cứ …" lines a decision or tờ trình of award year `year` opens with.

    One line per family: a law and the laws amending it share a line ("Căn cứ Luật …
    ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung … ngày 16 tháng 11 năm 2013"). Texts
    marked `documents = false` (unverified identity) are left out. No final punctuation:
    the document adds ";" or ".".
    """
    texts = [t for t in in_force(year, on, award=award) if t.documents and t.kind in kinds]
    texts.sort(key=lambda t: (KIND_ORDER.get(t.kind, 9), bool(t.scope), t.issued or dt.date.min))
    families: dict[str, list[LegalText]] = {}
    for t in texts:
        families.setdefault(t.family or t.id, []).append(t)
    return ["Căn cứ " + "; ".join(t.name for t in group) for group in families.values()]
