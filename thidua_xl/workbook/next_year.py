"""Next year's master from this year's: `thidua init NEW --year Y --from LAST`.

An office keeps its units, its settings, its own rules (`Quy định`), its document texts and its
history register from one year to the next; only the nominations and what belongs to one year
(document numbers, dates, the meeting of the Hội đồng) start empty. The fields cleared are
listed, so the officer knows what to fill in again.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..config import CONFIG_FIELDS, YEAR_FIELDS, Config, narrative_from_kv
from ..errors import UserError
from ..text import clean

from ..schema import RULES_SHEET  # noqa: E402,F401


@dataclass
class NextYear:
    path: Path
    year: int
    units: int
    cleared: list[str] = field(default_factory=list)  # labels of the year's settings left empty
    copied_sheets: list[str] = field(default_factory=list)
    history: str = ""


def _config_values(intake) -> dict[str, str]:
    """Every setting the last master states, by field name."""
    return dict(Config.from_kv(intake.config).values)


def next_year_master(new: str | os.PathLike, year: int, last: str | os.PathLike, *, units=None) -> NextYear:
    """Write the new master from last year's (atomic; `last` is only read)."""
    from ..intake import read_paths
    from ..validate import default_history_path
    from .master import create_master
    from .patch import sheet_parts
    from .transplant import write_sheets_into

    new, last = Path(new), Path(last)
    if not last.is_file():
        raise UserError(f"Không tìm thấy tệp tổng hợp năm trước “{last}”.")
    if new.resolve() == last.resolve():
        raise UserError("Tệp mới phải khác tệp năm trước (tệp năm trước chỉ được đọc).")
    intake = read_paths([last])
    rep = intake.files[0] if intake.files else None
    if rep is None or rep.kind != "master":
        raise UserError(f"“{last.name}” không phải tệp tổng hợp: cần trang “Đơn vị” với các cột “Mã đơn vị”, "
                        "“Tên đơn vị”.")
    values = _config_values(intake)
    cleared = [CONFIG_FIELDS[k][0] for k in YEAR_FIELDS if clean(values.get(k, ""))]
    for k in YEAR_FIELDS:
        values.pop(k, None)
    values.pop("nam", None)
    history = clean(values.get("so_lich_su", ""))
    if not history:
        path = default_history_path(intake)
        if path is not None and path.is_file():
            history = str(path)
    if history:
        values["so_lich_su"] = history
    unit_df = units if units is not None else intake.units[["unit_code", "unit", "email"]]
    create_master(new, int(year), unit_df, config=values, narrative=narrative_from_kv(intake.narrative))
    import zipfile

    with zipfile.ZipFile(last) as z:
        has_rules = RULES_SHEET in sheet_parts(z)
    copied = []
    if has_rules:
        write_sheets_into(new, last, [RULES_SHEET], make_backup=False)
        copied.append(RULES_SHEET)
    return NextYear(new, int(year), len(unit_df), cleared, copied, history)
