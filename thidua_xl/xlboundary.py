"""What stands between a ribbon button and the user: its label, the workbook's folder, the log, the alert.

A button's failure must reach the user as Vietnamese naming the button, whatever broke:
the workbook's folder may be unknown (a OneDrive address xlwings cannot map) or read-only,
Excel may refuse an alert, or there may be no calling workbook at all. `book_fullname`
turns an unknown folder into a Vietnamese `UserError`; the log and alert helpers never
raise. `xl.run` is the boundary that uses them.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from .errors import UserError

TITLE = "Thi đua"
LOG_NAME = "thidua-loi.log"

# The ribbon's labels (macros/customUI14.xml), so a message names the button the user clicked.
BUTTON_LABELS = {
    "kiem_tra": "Kiểm tra",
    "tong_hop": "Tổng hợp",
    "xuat_van_ban": "Xuất văn bản",
    "in_giay_khen": "In giấy khen",
    "can_chinh_mau_in": "Căn chỉnh mẫu in",
    "gui_email": "Gửi email",
    "tach_file": "Tách file đơn vị",
    "nhap_file": "Nhập file đơn vị",
    "tinh_hinh_nop": "Tình hình nộp",
    "phan_hoi": "Phản hồi đơn vị",
    "them_don_vi": "Thêm đơn vị",
    "luu_lich_su": "Lưu kết quả vào lịch sử",
    "mo_thu_muc": "Mở thư mục kết quả",
    "huong_dan": "Hướng dẫn",
}


def button_label(action: str) -> str:
    return BUTTON_LABELS.get(action, action)


def is_url(text: str) -> bool:
    return "://" in text


def not_local(where: str):
    return UserError(
        f"Không xác định được thư mục của tệp trên máy này (tệp đang mở từ “{where}”, thường là OneDrive "
        "hoặc SharePoint chưa đồng bộ về máy). Hãy lưu tệp vào một thư mục trên máy, ví dụ C:\\ThiDua "
        "(File → Save As → This PC), mở tệp đó rồi bấm lại.")


def book_fullname(book) -> str:
    """The workbook's local path; a OneDrive/SharePoint address xlwings cannot map is a user error."""
    try:
        full = getattr(book, "fullname", "") or ""
    except Exception as exc:  # noqa: BLE001 - xlwings raises when it cannot map a OneDrive address
        raise not_local(getattr(book, "name", "?")) from exc
    if is_url(str(full)):
        raise not_local(str(full))
    return str(full)


def book_folder(book) -> Path:
    full = Path(book_fullname(book) or book.name)
    return full.parent if full.is_absolute() else Path.cwd()


def fallback_log_dir() -> Path:
    """Where the log goes when the workbook's folder is unknown or read-only: %LOCALAPPDATA%\\ThiDua\\logs."""
    base = os.environ.get("LOCALAPPDATA") or str(Path.home() / ".local" / "share")
    return Path(base) / "ThiDua" / "logs"


def write_log(book, action: str, exc: BaseException) -> Path | None:
    """Append the traceback to the log beside the workbook, else in the fallback folder; never raises."""
    import traceback

    try:
        text = (f"--- {dt.datetime.now().isoformat(timespec='seconds')} {action}\n"
                + "".join(traceback.format_exception(exc)))
    except Exception:  # noqa: BLE001
        text = f"--- {action}: {exc!r}\n"
    candidates = []
    try:
        candidates.append(book_folder(book) / LOG_NAME)
    except Exception:  # noqa: BLE001 - no book, an unmapped OneDrive address, ...
        pass
    candidates.append(fallback_log_dir() / LOG_NAME)
    for path in candidates:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(text)
            return path
        except Exception:  # noqa: BLE001 - read-only folder, full disk: try the next place
            continue
    return None


def os_alert(message: str, critical: bool = True) -> None:
    """A message box without Excel (the caller book could not be reached): Windows' own, Unicode.

    Elsewhere (tests, a terminal) the text goes to stderr. Never raises.
    """
    import sys

    try:
        if sys.platform == "win32":
            import ctypes

            flags = (0x10 if critical else 0x40) | 0x10000 | 0x40000  # icon, MB_SETFOREGROUND, MB_TOPMOST
            ctypes.windll.user32.MessageBoxW(None, message, TITLE, flags)
        else:
            print(message, file=sys.stderr)
    except Exception:  # noqa: BLE001
        pass


def alert(app, message: str, mode: str | None = None) -> None:
    """Excel's alert; if Excel cannot show it (COM error, remote engine gone), Windows' message box."""
    try:
        if mode:
            app.alert(message, title=TITLE, mode=mode)
        else:
            app.alert(message, title=TITLE)
    except Exception:  # noqa: BLE001
        os_alert(message, critical=mode == "critical")


RESULTS_DIR = "ket-qua"  # beside the workbook: what the file-based buttons write
HISTORY_NAME = "thidua-history.sqlite"


class NotReady(Exception):
    """A button whose module is not built yet (shown as a 'chưa có' alert, not an error)."""


def require(module: str, what: str):
    """The module a button needs, or NotReady naming the button."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise NotReady(f"Chức năng “{what}” chưa có trong phiên bản này ({exc.name}).") from exc


def status(app, text: str | bool) -> None:
    """Excel's status bar (False gives it back to Excel)."""
    try:
        app.status_bar = text
    except Exception:  # noqa: BLE001 - the remote engine has no status bar
        pass


def saved_path(book) -> Path:
    """The workbook file, saved first: file-based steps read what the user sees."""
    full = Path(book_fullname(book))
    if not full.is_absolute():
        raise UserError("Hãy lưu tệp (Ctrl+S) vào một thư mục trước khi dùng chức năng này.")
    book.save()
    return full
