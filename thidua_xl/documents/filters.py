"""Jinja filters for the Word templates: dates, counts and numbers the Vietnamese way.

The templates call these by name ({{ ngay | ngay_vn }}, {{ n | so2 }}, {{ n | bang_chu }}),
so staff who edit a template in Word keep the Nghị định 30/2020 conventions.
"""
from __future__ import annotations

import datetime as dt

from ..text import clean, name_sort_key, ngay_vn as _ngay_vn, so2 as _so2, sort_key


def ngay_vn(value: object = None, blank_day: bool = False) -> str:
    """"ngày 05 tháng 7 năm 2023"; empty/None → day, month and year left blank for the văn thư."""
    if value in (None, ""):
        return "ngày      tháng      năm      "  # never today's clock: left for the văn thư
    return _ngay_vn(value, blank_day=blank_day)


def so2(n: object) -> str:
    """Counts below 10 with a leading zero, as the Sở's reports write them: "01 tập thể"."""
    return _so2(n)


def bang_chu(n: object, capitalize: bool = False) -> str:
    """A number in Vietnamese words ("một trăm linh năm"), via vn-numberwords."""
    try:
        i = int(n)
    except (TypeError, ValueError):
        return clean(n)
    try:
        from vn_numberwords import number_to_words
        words = number_to_words(i)
    except Exception:  # noqa: BLE001 - the library missing must not stop a document
        words = str(i)
    return words[:1].upper() + words[1:] if capitalize else words


def sap_xep_ten(names, attribute: str | None = None):
    """Vietnamese name order: by tên, then họ đệm."""
    def key(item):
        value = item.get(attribute) if attribute and isinstance(item, dict) else getattr(item, attribute, item) if attribute else item
        return name_sort_key(value)
    return sorted(names, key=key)


def sap_xep(values, attribute: str | None = None):
    """Vietnamese collation of whole strings (units, collectives)."""
    def key(item):
        value = item.get(attribute) if attribute and isinstance(item, dict) else getattr(item, attribute, item) if attribute else item
        return sort_key(value)
    return sorted(values, key=key)


def hoa(value: object) -> str:
    """IN HOA for headings (Python's upper() handles Vietnamese letters)."""
    return clean(value).upper()


FILTERS = {
    "ngay_vn": ngay_vn,
    "so2": so2,
    "bang_chu": bang_chu,
    "sap_xep_ten": sap_xep_ten,
    "sap_xep": sap_xep,
    "hoa": hoa,
}
