"""Refusals decided from the arguments alone, before any file is read or written.

An output that names an input would replace the user's file with a report of it; a year
no document can carry would be printed into signed decisions. These checks run first and
raise UserError (exit 2) with a Vietnamese message naming the path or value.
"""
from __future__ import annotations

import os
from pathlib import Path

from .errors import UserError

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
MIN_YEAR, MAX_YEAR = 1945, 2100


def _same(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def refuse_outputs_over_inputs(inputs, masters=(), **outputs) -> None:
    """Refuse any output (option name → path) that is an input file, an input folder, the master
    (`--into`, rewritten in place with a backup, so it is not an output of this kind), or a workbook
    written inside an input folder (the next run would read it as a unit's file)."""
    inputs = [Path(p) for p in inputs if p is not None]
    masters = [Path(p) for p in masters if p is not None]
    given = {k: Path(v) for k, v in outputs.items() if v is not None}
    for opt, out in given.items():
        flag = "--" + opt.replace("_out", "").replace("_", "-")
        for src in [*inputs, *masters]:
            if _same(out, src):
                what = "thư mục đầu vào" if src.is_dir() else "tệp đầu vào"
                raise UserError(f"{flag} “{out}” trùng với {what} “{src}”: ghi vào đó sẽ thay mất dữ liệu gốc. "
                                "Hãy chọn một tên tệp khác. Chưa ghi gì.")
            if src.is_dir() and out.suffix.lower() in WORKBOOK_SUFFIXES and not out.name.startswith("~$") \
                    and _same(out.parent, src):
                raise UserError(f"{flag} “{out}” nằm trong thư mục đầu vào “{src}”: lần chạy sau sẽ đọc nhầm tệp "
                                "này như tệp của một đơn vị. Hãy ghi ra thư mục khác. Chưa ghi gì.")
    names = list(given.items()) + [("into", m) for m in masters]
    for i, (opt_a, a) in enumerate(names):
        for opt_b, b in names[i + 1:]:
            if _same(a, b):
                raise UserError(f"--{opt_a.replace('_out', '')} và --{opt_b.replace('_out', '')} cùng chỉ tới “{a}”: "
                                "hãy chọn hai tên khác nhau. Chưa ghi gì.")


def check_year(year: int | None) -> int | None:
    """A year a Vietnamese award document can carry (four digits, from the law's history to the next decades)."""
    if year is None:
        return None
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise UserError(f"Năm thi đua “{year}” không hợp lệ: cần một năm từ {MIN_YEAR} đến {MAX_YEAR}.")
    return int(year)


def os_error_message(exc: OSError) -> str:
    """A Vietnamese sentence for a failed read or write (disk full, read-only folder, name too long)."""
    import errno

    from .text import printable

    name = printable(exc.filename) if exc.filename else ""
    target = f" “{name}”" if name else ""
    if exc.errno == errno.ENOSPC or exc.errno == getattr(errno, "EDQUOT", -1):
        return (f"Ổ đĩa đã đầy, không ghi được{target}. Hãy giải phóng dung lượng rồi chạy lại; "
                "các tệp đã có vẫn giữ nguyên.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"Không có quyền ghi{target}: thư mục chỉ cho đọc, tệp đang mở trong Excel/Word hoặc bị khóa. "
                "Hãy chọn thư mục khác (--out) hoặc đóng tệp rồi chạy lại; các tệp đã có vẫn giữ nguyên.")
    if exc.errno == errno.ENAMETOOLONG:
        return f"Tên tệp quá dài{target}: hãy dùng tên (hoặc mã đơn vị) ngắn hơn."
    if exc.errno == errno.ENOENT:
        return f"Không tìm thấy tệp hoặc thư mục{target}."
    return f"Lỗi khi đọc/ghi tệp{target}: {printable(exc.strerror or exc)}."


def underlying_os_error(exc: BaseException) -> OSError | None:
    """The OSError a library wrapped (XlsxWriter's FileCreateError holds the disk-full error), if any."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OSError):
            return exc
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
        exc = inner or exc.__cause__ or exc.__context__
        seen += 1
    return None
