"""Who grants an award, and how a tờ trình asks for it.

A tờ trình asks its addressee to grant (xét tặng) what is within his power and to
forward (trình) what belongs to the Thủ tướng or the Chủ tịch nước; State honours go
up through the Thủ tướng, who puts them to the Chủ tịch nước.
"""
from __future__ import annotations

from ..catalog import AUTHORITY_LABEL, load_catalog


def grants_itself(target: str, code: str) -> bool:
    """Whether the addressee of a tờ trình ('tinh', 'bo') grants the award himself (else he forwards it)."""
    return load_catalog()[code].authority == target


def forward_line(code: str, title: str, subjects: str) -> str:
    """'Trình Thủ tướng Chính phủ tặng Bằng khen của Thủ tướng Chính phủ: 03 cá nhân'; a State honour goes
    'Trình Thủ tướng Chính phủ xem xét, trình Chủ tịch nước tặng thưởng Huân chương …'."""
    a = load_catalog()[code]
    if a.kind == "danh_hieu_vinh_du":
        verb = "phong tặng danh hiệu"
    elif a.kind == "danh_hieu_thi_dua" and not title.startswith("Cờ"):
        verb = "tặng danh hiệu"
    elif title.startswith("Huân chương"):
        verb = "tặng thưởng"
    else:
        verb = "tặng"
    if a.authority == "nha_nuoc":
        return f"Trình {AUTHORITY_LABEL['cp']} xem xét, trình {AUTHORITY_LABEL['nha_nuoc']} {verb} {title}: {subjects}"
    return f"Trình {AUTHORITY_LABEL.get(a.authority, a.authority)} {verb} {title}: {subjects}"
