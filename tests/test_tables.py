"""One model per output table: the `Kiểm tra` the command line writes and the one the ribbon writes
have the same title, columns, rows, order, colours and links (a link is a hyperlink in one, a
HYPERLINK formula in the other)."""
from __future__ import annotations

import re

import openpyxl

from thidua_xl.model import ERROR, INFO, WARNING, Finding
from thidua_xl.tables import CHECK_HEADERS, COLOR_SEVERITY, Link, check_sheet, excel_block


def _findings():
    return [
        Finding("DUPLICATE", WARNING, "Trùng.", file="ThiDua.xlsx", sheet="BV", row=7, column="Họ và tên", unit="BV"),
        Finding("BAD_DATE", ERROR, "Ngày sai.", file="ThiDua.xlsx", sheet="BV", row=5, column="Ngày sinh", unit="BV"),
        Finding("QUOTA_REMAINING", INFO, "Còn 2.", unit="BV"),
        Finding("BAD_FILE", ERROR, "Hỏng.", file="khac.xlsx"),
    ]


def test_model_orders_errors_first_and_colours_each_severity_as_one_block():
    model = check_sheet(_findings(), 2025, lambda f: f"'{f.sheet}'!B{f.row}" if f.file == "ThiDua.xlsx" else None)
    assert model.headers == CHECK_HEADERS
    assert [r[2] for r in model.rows] == ["BAD_FILE", "BAD_DATE", "DUPLICATE", "QUOTA_REMAINING"]
    assert model.spans() == {COLOR_SEVERITY["error"]: (4, 5), COLOR_SEVERITY["warning"]: (6, 6),
                             COLOR_SEVERITY["info"]: (7, 7)}
    dong = CHECK_HEADERS.index("Dòng")
    assert model.rows[1][dong] == Link("'BV'!B5", "5") and model.rows[0][dong] == ""
    assert model.titles[0].endswith("2 lỗi, 1 cảnh báo, 1 ghi chú") and "Cập nhật" in model.titles[1]


def test_cli_and_ribbon_write_the_same_sheet(tmp_path):
    import xlsxwriter

    from thidua_xl import xl
    from thidua_xl.export import write_sheet_xlsxwriter

    findings = _findings()
    model = check_sheet(findings, 2025, lambda f: f"'{f.sheet}'!B{f.row}" if f.file == "ThiDua.xlsx" else None)
    path = tmp_path / "k.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    write_sheet_xlsxwriter(wb, model)
    wb.close()
    ws = openpyxl.load_workbook(path)["Kiểm tra"]
    cli = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    header = {"BV": (4, ["STT", "Họ và tên", "Ngày sinh"])}
    ribbon, spans = xl.check_table(findings, "ThiDua.xlsx", 2025, header)
    assert ribbon[2] == cli[0] == CHECK_HEADERS
    dong = CHECK_HEADERS.index("Dòng")
    for a, b in zip(cli[1:], ribbon[3:]):
        link = re.fullmatch(r'=HYPERLINK\("#(.*)","(\d+)"\)', b[dong] or "")
        blank = (lambda x: "" if x is None else x)  # noqa: E731 - an empty cell reads as None or ""
        assert [blank(x) if j != dong else None for j, x in enumerate(a)] == \
               [blank(x) if j != dong else None for j, x in enumerate(b)]
        if link:
            assert str(a[dong]) == link.group(2)
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$3:$3"
    assert ws.cell(4, 1).fill.fgColor.rgb.endswith(COLOR_SEVERITY["error"].lstrip("#").upper())
    assert spans["error"] == (4, 5)
    assert ws.cell(5, dong + 1).hyperlink.location == "'BV'!B5"
    assert len(excel_block(model)) == len(ribbon)
