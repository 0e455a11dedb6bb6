"""The small lists users give besides nominations — units, the awards register, rule settings.

One tolerant reader for all of them: a .csv/.txt in UTF-8 (with or without BOM), else
Windows-1258 or Windows-1252 with a warning (what Excel saves on a Vietnamese Windows), its
delimiter sniffed; a workbook always opened behind the safety pre-check, like every nomination file.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import UserError
from ..text import fold
from .files import open_workbook, sheet_rows
from .headers import find_table

CSV_SUFFIXES = (".csv", ".txt")
WORKBOOK_LIST_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def decode_csv(data: bytes, name: str) -> tuple[str, list[str]]:
    """UTF-8 (with or without BOM), else Windows-1258, else Windows-1252, with a warning."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    for enc, label in (("cp1258", "Windows-1258 (tiếng Việt)"), ("cp1252", "Windows-1252")):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return text, [f"Tệp “{name}” không phải UTF-8; đã đọc theo bảng mã {label}. Hãy kiểm tra dấu tiếng Việt "
                      "của tên đơn vị, hoặc lưu lại tệp bằng Excel dạng “CSV UTF-8”."]
    raise UserError(f"Không đọc được tệp “{name}”: không phải văn bản UTF-8 hay Windows-1258. "
                    "Hãy mở tệp bằng Excel và lưu lại dạng “CSV UTF-8 (Comma delimited)”.")


def csv_rows(text: str) -> list[list[str]]:
    """Rows of a CSV text, its delimiter (`,` `;` or tab) sniffed, else the commoner of `;` and `,`."""
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
        if sample.count(";") > sample.count(","):
            dialect = type("semicolon", (csv.excel,), {"delimiter": ";"})
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def workbook_rows(path: Path, spec=None, required=(), *, prefer: str | None = None,
                  label: str = "tệp") -> list[list]:
    """The rows of the list's sheet: the one named `prefer`, else the first holding the table, else the first."""
    wb, reason = open_workbook(path)
    if wb is None:
        raise UserError(f"Không đọc được {label} “{path.name}”: {reason}.")
    try:
        names = list(wb.sheet_names)
        if not names:
            return []
        if prefer is not None:
            named = next((n for n in names if fold(n) == fold(prefer)), None)
            if named is not None:
                return sheet_rows(wb, named)[0]
        if spec is not None:
            for name in names:
                rows = sheet_rows(wb, name)[0]
                if find_table(rows, spec, required) is not None:
                    return rows
        return sheet_rows(wb, names[0])[0]
    finally:
        try:
            wb.close()
        except Exception:  # noqa: BLE001
            pass


def read_list_rows(path: Path, spec=None, required=(), *, prefer: str | None = None,
                   label: str = "tệp") -> tuple[list[list], list[str]]:
    """(rows, warnings) of a list file; the caller has checked that it exists and chosen the suffixes it takes."""
    if path.suffix.lower() in CSV_SUFFIXES:
        text, warnings = decode_csv(path.read_bytes(), path.name)
        return csv_rows(text), warnings
    return workbook_rows(path, spec, required, prefer=prefer, label=label), []
