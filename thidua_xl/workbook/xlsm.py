"""What the macro-enabled workbook ThiDua.xlsm carries that runtime code reads.

The build (thidua_xl/devtools/build_workbook.py) writes these settings and properties; `thidua
doctor` reads them back to check the interpreter the buttons will start. Standard library only.
"""
from __future__ import annotations

import os
import re
import zipfile

from ..schema import CONF_SHEET  # noqa: F401
from ..schema import VBA_TEXT_SHEET as TEXT_SHEET  # noqa: F401  (the VBA pre-flight's messages, very hidden)

HOME_VARIABLE = "THIDUA_HOME"  # set by install\cai-dat.bat for this Windows user: an ASCII folder
# Where the Windows installer puts the interpreter (docs/windows-smoke-test.md): an ASCII folder it
# records in the user environment variable THIDUA_HOME (xlwings.bas expands variables in settings).
# xlwings' VBA reaches these paths through ANSI calls, so a profile folder with a Vietnamese name
# (C:\Users\Nguyễn…) must not appear in them.
INTERPRETER_WIN = rf"%{HOME_VARIABLE}%\venv\Scripts\pythonw.exe"
TEMP_DIR_WIN = rf"%{HOME_VARIABLE}%\tmp"
# Every key a directory- or user-level xlwings.conf (%USERPROFILE%\.xlwings\xlwings.conf, written
# by the xlwings add-in's ribbon) could set for RunPython: the sheet is read first, so a key
# present here, even empty, wins. Contiguous from A1: xlwings stops at the first empty key.
CONF_SETTINGS = (
    ("Interpreter_Win", INTERPRETER_WIN),
    ("ADD_WORKBOOK_TO_PYTHONPATH", "False"),
    ("USE UDF SERVER", "False"),
    ("CONDA PATH", ""),
    ("CONDA ENV", ""),
    ("SHOW CONSOLE", "False"),
    ("TEMP DIR", TEMP_DIR_WIN),
    ("PYTHONPATH", ""),
    ("SHOW_ERROR_POPUPS", "True"),
)
# `thidua build-workbook` from an installed package (which holds no macros/ and no build tools)
NEEDS_SOURCE_TREE = ("Lệnh build-workbook dựng tệp ThiDua.xlsm từ mã nguồn (thư mục macros/ và công cụ dựng "
                     "trong kho mã nguồn thidua_xl), nên chỉ chạy được từ bản sao mã nguồn: tải kho mã nguồn "
                     "(git clone), cài bằng “pip install -e .” rồi chạy lại trong thư mục đó. Người dùng không "
                     "cần lệnh này: bộ cài đã có sẵn ThiDua.xlsm. (Không thấy: {folder})")
HASH_PROPERTY = "ThiDuaSourceHash"
XLWINGS_PROPERTY = "ThiDuaXlwingsVersion"
ROUTE_PROPERTY = "ThiDuaVbaRoute"  # "source", or "excel:<sha256 prefix>" of the saved project used


def workbook_property(path: str | os.PathLike, name: str) -> str | None:
    """A text custom document property of a workbook (None if absent)."""
    with zipfile.ZipFile(path) as z:
        try:
            xml = z.read("docProps/custom.xml").decode("utf-8")
        except KeyError:
            return None
    m = re.search(rf'name="{re.escape(name)}"[^>]*>\s*<vt:lpwstr>([^<]*)</vt:lpwstr>', xml)
    return m.group(1) if m else None


def stored_hash(path: str | os.PathLike) -> str | None:
    """The source hash recorded in a built workbook's custom properties (None if absent)."""
    value = workbook_property(path, HASH_PROPERTY)
    return value if value and re.fullmatch(r"[0-9a-f]+", value) else None
