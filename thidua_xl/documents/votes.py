"""The Hội đồng's vote results for the biên bản: the `Biểu quyết` sheet of the master.

Columns (header matched like the nomination table's): `Hình thức` (award name,
abbreviation or code), `Số phiếu đồng ý` and, optionally, `Số thành viên Hội đồng`
(members who voted on that award; when empty the biên bản uses the members present
from the `Cấu hình` sheet) and `Kết quả` (`Thông qua` / `Không thông qua`, which
decides over the ballot; see decide.py). Missing sheet: no votes, and the biên bản leaves the
cells for the secretary to fill in.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..catalog import load_catalog
from ..text import clean, fold

from ..schema import VOTES_SHEET  # noqa: E402,F401
_AWARD = {fold(x) for x in ("Hình thức", "Hình thức khen thưởng", "Danh hiệu, hình thức khen thưởng",
                            "Danh hiệu", "Hình thức đề nghị")}
_VOTES = {fold(x) for x in ("Số phiếu đồng ý", "Số phiếu", "Phiếu đồng ý", "Đồng ý")}
_RESULT = {fold(x) for x in ("Kết quả", "Kết quả biểu quyết", "Kết luận", "Thông qua")}
_PASSED = {"thong qua": True, "dat": True, "co": True, "dong y": True,
           "khong thong qua": False, "khong dat": False, "khong": False, "khong dong y": False}
_MEMBERS = {fold(x) for x in ("Số thành viên Hội đồng", "Số thành viên", "Tổng số thành viên",
                              "Số thành viên biểu quyết", "Tổng số phiếu")}


@dataclass(frozen=True)
class Vote:
    """One award's result: votes in favour, of how many members (None: the config's members present)."""

    dong_y: int | None
    thanh_vien: int | None = None
    ket_qua: bool | None = None  # the Kết quả typed: Thông qua (True) / Không thông qua (False)


def _int(value) -> int | None:
    raw = clean(value)
    if raw.endswith(".0"):
        raw = raw[:-2]
    return int(raw) if raw.isdigit() else None


def read_vote_sheet(paths) -> dict[str, Vote]:
    """{award code: Vote} from the first workbook among paths with a `Biểu quyết` sheet."""
    from ..reading import Unreadable, read_sheets

    cat = load_catalog()
    for p in paths:
        p = Path(p)
        if not p.is_file() or p.suffix.lower() not in (".xlsx", ".xlsm"):
            continue
        try:  # the guarded reader: the master's vote sheet gets the same limits as any input
            sheets = read_sheets(p, lambda names: [n for n in names if fold(n) == fold(VOTES_SHEET)][:1])
        except Unreadable:  # an unreadable master is reported by intake; here it just has no votes
            continue
        if not sheets:
            continue
        rows = next(iter(sheets.values()))
        out: dict[str, Vote] = {}
        cols = None
        for row in rows:
            if cols is None:
                keys = [fold(c) for c in row]
                a = next((i for i, k in enumerate(keys) if k in _AWARD), None)
                v = next((i for i, k in enumerate(keys) if k in _VOTES), None)
                m = next((i for i, k in enumerate(keys) if k in _MEMBERS), None)
                r = next((i for i, k in enumerate(keys) if k in _RESULT), None)
                if a is not None and (v is not None or r is not None):
                    cols = (a, v, m, r)
                continue
            a, v, m, r = cols
            code = cat.match(row[a]) if a < len(row) else None
            votes = _int(row[v]) if v is not None and v < len(row) else None
            passed = _PASSED.get(fold(row[r])) if r is not None and r < len(row) else None
            if code and (votes is not None or passed is not None):
                members = _int(row[m]) if m is not None and m < len(row) else None
                out[code] = Vote(votes, members or None, passed)
        return out
    return {}


def read_votes(paths) -> dict[str, int]:
    """{award code: số phiếu đồng ý} (see read_vote_sheet for the members of each vote)."""
    return {code: v.dong_y for code, v in read_vote_sheet(paths).items() if v.dong_y is not None}
