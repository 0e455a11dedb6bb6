"""The Căn cứ lines of a document: the legal texts in force for the award year.

One function the documents call; the texts themselves (full names, numbers, dates) are
the rules' legal-texts table (rules/data/legal_texts.toml).
"""
from __future__ import annotations

import re

from ..text import clean, ngay_vn, parse_date

_NUMBER = re.compile(r"\d+/[\w./-]*Q[ĐD][\w-]*", re.IGNORECASE)


def can_cu_lines(year: int, org: str = "") -> list[str]:
    """'Căn cứ Luật …', 'Căn cứ Nghị định …' for an award year (without the final ';' or '.')."""
    from ..rules.legal_texts import can_cu_lines as from_table

    return from_table(year)


def chuc_nang_line(setting: object, tinh: str, org: str) -> str:
    """'Căn cứ Quyết định số 05/2025/QĐ-UBND ngày 10 tháng 3 năm 2025 của Ủy ban nhân dân tỉnh Lào Cai quy định
    chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Y tế' from the `Cấu hình` setting; without it
    the line names no number (a MISSING_SETTING finding asks for it before rendering)."""
    text = clean(setting)
    number = _NUMBER.search(text)
    after = text[number.end():] if number else text
    date = parse_date(after.split("ngày", 1)[-1]) if after else None
    when = f" {ngay_vn(date.date)}" if date is not None and date.date else ""
    ref = f"Quyết định số {number.group(0)}{when}" if number else "Quyết định"
    return (f"Căn cứ {ref} của Ủy ban nhân dân tỉnh {tinh} quy định chức năng, nhiệm vụ, quyền hạn và "
            f"cơ cấu tổ chức của {org}")
