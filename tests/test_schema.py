"""The names the Sở sees are defined once (`schema`), and dates are written one way (`text`)."""
from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pandas as pd

from thidua_xl import schema
from thidua_xl.text import date_text, ngay_vn, time_text

PACKAGE = Path(schema.__file__).parent
NAMED = ("_SHEET", "_HEADERS")


def _literal_definitions():
    """(module, name) of every module-level `X_SHEET = "…"` / `X_HEADERS = [...]` outside schema."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "schema.py":
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
                if isinstance(node, ast.AnnAssign) else []
            literal = isinstance(getattr(node, "value", None), (ast.Constant, ast.List, ast.Dict, ast.Tuple))
            out += [(path.relative_to(PACKAGE).as_posix(), t.id) for t in targets
                    if literal and isinstance(t, ast.Name) and t.id.endswith(NAMED)]
    return out


def test_sheet_names_and_headers_are_defined_only_in_schema():
    assert _literal_definitions() == []


def test_every_sheet_name_is_distinct():
    names = [v for k, v in vars(schema).items() if k.endswith("_SHEET")]
    assert len(names) == len(set(names)) >= 20
    assert schema.CHECK_SHEET == "Kiểm tra" and schema.SUMMARY_SHEET == "Tổng hợp" and schema.CHART_SHEET == "Biểu đồ"


def test_old_names_still_import_and_are_the_same_objects():
    from thidua_xl import export, feedback, status, tables, validate
    from thidua_xl.catalog import SUBJECT_LABEL
    from thidua_xl.intake import NOMINATION_HEADERS, UNITS_SHEET
    from thidua_xl.workbook.layout import CHECK_SHEET
    from thidua_xl.workbook.ledger import LEDGER_SHEET

    assert NOMINATION_HEADERS is schema.NOMINATION_HEADERS and UNITS_SHEET == "Đơn vị"
    assert SUBJECT_LABEL is schema.SUBJECT_LABEL
    assert tables.CHECK_HEADERS is schema.CHECK_HEADERS and validate.SEVERITY_LABEL is schema.SEVERITY_LABEL
    assert export.LIST_HEADERS is schema.AWARD_LIST_HEADERS
    assert status.STATUS_HEADERS is schema.STATUS_HEADERS and feedback.FIX_HEADERS is schema.FIX_HEADERS
    assert CHECK_SHEET == schema.CHECK_SHEET and LEDGER_SHEET == "Nhận tệp"


def test_column_header_names_each_frame_column_as_on_the_sheet():
    assert schema.COLUMN_HEADER["ho_ten"] == "Họ và tên"
    assert schema.COLUMN_HEADER["hinh_thuc"] == "Hình thức đề nghị"
    assert schema.COLUMN_HEADER["tac_gia"] == "Tác giả"  # initiatives too
    assert schema.COLUMN_HEADER["stt"] == "STT"


def test_a_date_is_written_day_month_year_whatever_its_type():
    for value in (dt.date(1980, 2, 13), dt.datetime(1980, 2, 13, 7, 30), pd.Timestamp("1980-02-13")):
        assert date_text(value) == "13/02/1980"
    for missing in (None, float("nan"), pd.NaT):
        assert date_text(missing) == ""


def test_a_time_is_written_day_month_year_hour_minute():
    at = dt.datetime(2026, 3, 5, 14, 5, 9)
    assert time_text(at) == "05/03/2026 14:05"
    assert time_text(at, seconds=True) == "05/03/2026 14:05:09"
    assert time_text(at.isoformat()) == "05/03/2026 14:05"
    assert time_text(None) == time_text("") == ""


def test_documents_write_the_long_form():
    assert ngay_vn(dt.date(2020, 2, 13)) == "ngày 13 tháng 02 năm 2020"
    assert ngay_vn(dt.date(2023, 7, 5)) == "ngày 05 tháng 7 năm 2023"


def test_no_module_formats_a_date_for_users_by_itself():
    """Every dd/mm/yyyy goes through text.date_text/time_text (file-name stamps are not for users)."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in ("text.py", "sample.py"):  # sample.py writes dates the many ways units type them
            continue
        src = path.read_text(encoding="utf-8")
        for needle in ('"%d/%m/%Y', ":%d/%m/%Y"):
            if needle in src:
                offenders.append(f"{path.relative_to(PACKAGE)}: {needle}")
    assert offenders == []
