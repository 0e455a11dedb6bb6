"""The Căn cứ lines of a document: the legal texts in force for the award year.

One function the documents call; the texts themselves (full names, numbers, dates) are
the rules' legal-texts table (rules/data/legal_texts.toml).
"""
from __future__ import annotations


def can_cu_lines(year: int, org: str = "") -> list[str]:
    """'Căn cứ Luật …', 'Căn cứ Nghị định …' for an award year (without the final ';' or '.')."""
    from ..rules.legal_texts import can_cu_lines as from_table

    return from_table(year)
