"""The one way any workbook is read: the raw pre-check first, then calamine, rows capped.

Unit files, the master, the units list, rules, history imports, the vote sheet and the
collect copy all come through here, so the limits of `safety` (stray cells, sheet size,
bombs) hold for every read and no file can make the reader allocate a sheet of a
million rows by the way its XML is spelled.
"""
from __future__ import annotations

import io
import os
from pathlib import Path

from .scan import LIMITS, Refused, Scan


def checked_scan(path: str | os.PathLike) -> Scan:
    """safety.inspect (looked up at call time, so a test can watch every scan; imported when a file is checked
    here, not when a child process checked them all)."""
    from . import safety

    return safety.inspect(Path(path))


class Unreadable(Exception):
    """A workbook that cannot be read; the message is the Vietnamese reason."""


def open_checked(path: str | os.PathLike):
    """(calamine workbook or None, Vietnamese reason or None, safety.Scan or None)."""
    import python_calamine as pc

    path = Path(path)
    try:
        scan = checked_scan(path)
    except Refused as exc:
        return None, str(exc), None
    wb, reason = open_scanned(path, scan)
    return wb, reason, scan if wb is not None else None


def open_scanned(path: str | os.PathLike, scan: Scan):
    """(calamine workbook or None, Vietnamese reason or None) of a file the pre-check passed."""
    import python_calamine as pc

    try:
        if scan.data is not None:  # a trimmed copy: stray cells far from the table dropped
            return pc.CalamineWorkbook.from_filelike(io.BytesIO(scan.data)), None
        return pc.CalamineWorkbook.from_path(str(path)), None
    except pc.PasswordError:
        return None, "tệp được đặt mật khẩu (mã hóa), cần gỡ mật khẩu rồi gửi lại"
    except pc.ZipError:
        return None, "tệp không phải là tệp Excel hợp lệ (hỏng hoặc sai định dạng)"
    except pc.XmlError as exc:
        return None, f"nội dung XML của tệp bị lỗi ({exc})"
    except PermissionError:
        return None, "tệp đang bị khóa (có thể đang mở trong Excel), hãy đóng tệp rồi chạy lại"
    except Exception as exc:  # noqa: BLE001 - calamine raises several types for broken files
        return None, f"không đọc được tệp ({type(exc).__name__}: {exc})"


def sheet_rows(wb, name: str) -> list[list]:
    """All rows of a sheet from A1 (list index + 1 is the Excel row number), capped at the limits."""
    sheet = wb.get_sheet_by_name(name)
    rows = sheet.to_python(skip_empty_area=False, nrows=LIMITS.max_rows)
    if sheet.width > LIMITS.max_cols:  # an old .xls is not trimmed by the pre-check
        rows = [r[:LIMITS.max_cols] for r in rows]
    return rows


def read_sheets(path: str | os.PathLike, pick=None) -> dict[str, list[list]]:
    """{sheet: rows} of the sheets `pick(names)` chooses (default all); raises Unreadable."""
    wb, reason, _scan = open_checked(path)
    if wb is None:
        raise Unreadable(reason)
    try:
        names = list(wb.sheet_names)
        wanted = pick(names) if pick else names
        return {n: sheet_rows(wb, n) for n in wanted}
    except Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001 - a sheet calamine cannot parse
        raise Unreadable(f"không đọc được tệp ({type(exc).__name__}: {exc})") from exc
    finally:
        try:
            wb.close()
        except Exception:  # noqa: BLE001
            pass


def checked_source(path: str | os.PathLike, scan: Scan | None = None):
    """What another reader (openpyxl) should open: the trimmed copy if the pre-check made one, else the path.

    Raises Unreadable when the pre-check refuses the file.
    """
    if scan is None:
        try:
            scan = checked_scan(path)
        except Refused as exc:
            raise Unreadable(str(exc)) from exc
    return io.BytesIO(scan.data) if scan.data is not None else str(path)
