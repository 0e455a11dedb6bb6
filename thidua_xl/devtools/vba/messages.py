"""The Vietnamese messages of the VBA pre-flight (macros/ThiDua.bas), written into a hidden sheet.

VBA source is stored in code page 1252, so it cannot hold Vietnamese; the build writes
these texts into the very hidden sheet `_thidua_vba` and the macro reads them by key.
`{0}` and `{1}` are filled in by the macro (a path, a version). Each text says what
happened and what to do, in the user's words.
"""
from __future__ import annotations

from ...workbook.xlsm import HOME_VARIABLE, TEXT_SHEET  # noqa: F401 - the sheet and variable the macro reads

_REINSTALL = ("Cách sửa: 1) đóng hết cửa sổ Excel; 2) trong thư mục bộ cài đã tải về, nhấp đúp "
              "install\\cai-dat.bat và chờ dòng XONG; 3) mở lại tệp này.")

MESSAGES: dict[str, str] = {
    "title": "Thi đua",
    "no_home": ("Máy này chưa cài phần mềm Thi đua, hoặc vừa cài xong mà Excel chưa được mở lại "
                f"(chưa có biến môi trường {HOME_VARIABLE}).\n\n" + _REINSTALL + "\n\n(Đường dẫn Python: {0})"),
    "not_ascii": ("Python của phần mềm Thi đua nằm ở thư mục có chữ có dấu:\n{0}\n"
                  "Excel không chạy được Python ở đó.\n\n" + _REINSTALL
                  + " Bộ cài sẽ đặt Python vào thư mục không dấu (ví dụ C:\\ThiDua)."),
    "no_python": ("Không tìm thấy Python của phần mềm Thi đua tại:\n{0}\n\n" + _REINSTALL),
    "no_package": ("Python ở {0} chưa có đủ phần mềm Thi đua (gói thidua_xl hoặc pywin32 thiếu hay bị hỏng).\n\n"
                   + _REINSTALL),
    "xlwings_version": ("Tệp này cần xlwings {0}, nhưng Python ở {1} có phiên bản khác "
                        "(thường do tệp và bộ cài không cùng một lần phát hành).\n\n" + _REINSTALL
                        + " Hãy dùng đúng bộ cài đi kèm tệp này."),
    "temp_not_ascii": ("Thư mục tạm dùng để chạy Python có chữ có dấu hoặc chưa xác định:\n{0}\n\n" + _REINSTALL),
    "preflight_error": ("Không kiểm tra được phần cài đặt của phần mềm Thi đua ({0}).\n\n" + _REINSTALL
                        + "\nNếu vẫn lỗi: bấm Alt+F8, chọn ThiDua_KiemTraMay, bấm Run và làm theo hướng dẫn "
                          "hiện ra."),
}


def sheet_rows() -> list[tuple[str, str]]:
    """(key, text) rows of the hidden sheet, in a stable order."""
    return list(MESSAGES.items())
