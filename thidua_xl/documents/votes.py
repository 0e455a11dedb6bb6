"""The Hội đồng's vote results for the biên bản: an optional `Biểu quyết` sheet in the master.

Columns (header matched like the nomination table's): `Hình thức` (award name,
abbreviation or code) and `Số phiếu đồng ý`. Missing sheet: no votes, and the
biên bản leaves the cells for the secretary to fill in.
"""
from __future__ import annotations

from pathlib import Path

from ..catalog import load_catalog
from ..text import clean, fold

VOTES_SHEET = "Biểu quyết"
_AWARD = {fold(x) for x in ("Hình thức", "Hình thức khen thưởng", "Danh hiệu, hình thức khen thưởng",
                            "Danh hiệu", "Hình thức đề nghị")}
_VOTES = {fold(x) for x in ("Số phiếu đồng ý", "Số phiếu", "Phiếu đồng ý", "Đồng ý")}


def read_votes(paths) -> dict[str, int]:
    """{award code: số phiếu đồng ý} from the first workbook among paths with a `Biểu quyết` sheet."""
    import python_calamine as pc

    cat = load_catalog()
    for p in paths:
        p = Path(p)
        if not p.is_file() or p.suffix.lower() not in (".xlsx", ".xlsm"):
            continue
        try:
            wb = pc.CalamineWorkbook.from_path(str(p))
            names = {fold(n): n for n in wb.sheet_names}
            if fold(VOTES_SHEET) not in names:
                continue
            rows = wb.get_sheet_by_name(names[fold(VOTES_SHEET)]).to_python()
        except Exception:  # noqa: BLE001 - an unreadable sheet means no votes, never a crash
            continue
        out: dict[str, int] = {}
        cols = None
        for row in rows:
            keys = [fold(c) for c in row]
            if cols is None:
                a = next((i for i, k in enumerate(keys) if k in _AWARD), None)
                v = next((i for i, k in enumerate(keys) if k in _VOTES), None)
                if a is not None and v is not None:
                    cols = (a, v)
                continue
            a, v = cols
            code = cat.match(row[a]) if a < len(row) else None
            raw = clean(row[v]) if v < len(row) else ""
            if code and raw.replace(".0", "").isdigit():
                out[code] = int(float(raw))
        return out
    return {}
