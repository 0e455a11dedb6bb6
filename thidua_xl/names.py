"""A unit's file name from its code: the one rule `split` writes by and `email` looks up by.

Kept free of heavy imports: `email --docs` must start without the data libraries.
"""
from __future__ import annotations

import re

from .errors import UserError

BAD_FILE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_CODE_LENGTH = 64  # a file name; a sheet name (31) is cut separately


def unit_file_name(code: str) -> str:
    """`<Mã đơn vị>.xlsx`, with characters (and device names) Windows forbids in file names avoided."""
    code = str(code)
    if len(code) > MAX_CODE_LENGTH:
        raise UserError(f"Mã đơn vị “{code[:40]}…” dài {len(code)} ký tự (tối đa {MAX_CODE_LENGTH}): không đặt được "
                        "tên tệp. Hãy sửa mã đơn vị trong trang “Đơn vị”.")
    stem = BAD_FILE_CHARS.sub("-", code).strip(" .") or "don-vi"
    if stem.split(".")[0].upper() in RESERVED:
        stem = f"{stem}_"
    return stem + ".xlsx"
