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


# --- the same master through the command line and through the ribbon ---------------------------
STAMP = re.compile(r"\d\d/\d\d/\d{4} \d\d:\d\d")  # when a sheet was computed: the one cell allowed to differ


def _cell(v):
    """A cell as the reader sees it: blanks alike, whole numbers as ints, dates as ISO text, stamps masked."""
    import datetime as dt

    if v is None or v == "":
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, (dt.date, dt.datetime)):
        return (v.date() if isinstance(v, dt.datetime) else v).isoformat()
    if isinstance(v, str):
        link = re.fullmatch(r'=HYPERLINK\("#(.*)","(.*)"\)', v)
        return link.group(2) if link else STAMP.sub("<lúc>", v)
    return v


def _grid(rows):
    rows = [[_cell(v) for v in r] for r in rows]
    width = max((len(r) for r in rows), default=0)
    rows = [r + [None] * (width - len(r)) for r in rows]
    while rows and not any(v is not None for v in rows[-1]):
        rows.pop()
    return rows


def test_the_ribbon_and_the_command_line_write_the_same_cells_on_the_same_master(tmp_path, monkeypatch):
    """Kiểm tra, Tổng hợp, an award's list and Biểu đồ: same cells whichever wrote them, and the
    links of Kiểm tra land on the same cells of the master."""
    import shutil

    import python_calamine as pc
    from xl_helpers import UNITS, nominations, payload_of, written, xw

    from thidua_xl import xl
    from thidua_xl.cli import main
    from thidua_xl.workbook.master import create_master

    master = create_master(tmp_path / "ThiDua-2024.xlsx", 2024, UNITS, nominations=nominations(100))
    cli_master = tmp_path / "cli" / master.name
    cli_master.parent.mkdir()
    shutil.copy2(master, cli_master)
    assert main(["validate", str(cli_master), "--into", str(cli_master)]) == 1  # the two broken rows
    assert main(["consolidate", str(cli_master), "--into", str(cli_master)]) == 0
    cli_book = pc.CalamineWorkbook.from_path(str(cli_master))

    monkeypatch.chdir(tmp_path)
    checked = xw.Book(json=payload_of(master, name=master.name))  # each button on the master as saved
    assert "lỗi" in xl.run("kiem_tra", checked)
    summed = xw.Book(json=payload_of(master, name=master.name))
    assert "Biểu đồ" in xl.run("tong_hop", summed)

    for book, sheet in ((checked, "Kiểm tra"), (summed, "Tổng hợp"), (summed, "Lao động tiên tiến"),
                        (summed, "Giấy khen của Giám đốc Sở Y tế"), (summed, "Biểu đồ")):
        (r0, c0, ribbon), = written(book, sheet)
        assert (r0, c0) == (0, 0)
        cli = cli_book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        assert _grid(ribbon) == _grid(cli), sheet
    (_r, _c, check), = written(checked, "Kiểm tra")
    assert len(check) > 3 and any(r[2] == "MISSING_FIELD" for r in check[3:])
    (_r, _c, ldtt), = written(summed, "Lao động tiên tiến")
    assert len(ldtt) - 3 == 26 and all(r[4] for r in ldtt[3:])  # every nominee, with a birth date

    ws = openpyxl.load_workbook(cli_master)["Kiểm tra"]
    dong = CHECK_HEADERS.index("Dòng")
    cli_links = [ws.cell(r, dong + 1).hyperlink.location if ws.cell(r, dong + 1).hyperlink else None
                 for r in range(4, ws.max_row + 1)]
    ribbon_links = [(re.fullmatch(r'=HYPERLINK\("#(.*)","(.*)"\)', r[dong] or "") or [None, None])[1]
                    for r in check[3:]]
    assert cli_links == ribbon_links and any(cli_links)
    assert all(t.startswith("'") and "!" in t for t in cli_links if t)  # a cell of a unit sheet in the master


def test_tong_hop_refreshes_biểu_đồ_each_time_without_piling_up_charts(tmp_path, monkeypatch):
    from xl_helpers import UNITS, actions, nominations, payload_of, xw

    from thidua_xl import xl
    from thidua_xl.catalog import load_catalog
    from thidua_xl.chart import chart_data
    from thidua_xl.pipeline import load, totals
    from thidua_xl.workbook.master import create_master

    master = create_master(tmp_path / "ThiDua-2024.xlsx", 2024, UNITS, nominations=nominations(40))
    monkeypatch.chdir(tmp_path)
    book = xw.Book(json=payload_of(master, name=master.name))
    xl.run("tong_hop", book)
    xl.run("tong_hop", book)
    names = [s.name for s in book.sheets]
    assert names.count("Biểu đồ") == 1 and names.index("Biểu đồ") > names.index("Tổng hợp")
    acts = actions(book)
    assert [a["func"] for a in acts].count("addChart") == 4  # two charts, drawn anew on each run
    deleted = [a for a in acts if a["func"] == "sheetDelete"]
    assert deleted  # the first run's chart sheet went, with its charts
    chart = book.sheets["Biểu đồ"]
    assert len(chart.charts) == 2
    expected = chart_data(totals(load([master]), 2024), load_catalog())
    last = [a for a in acts if a["func"] == "setValues"][-1]["values"]
    units = [r for r in last[3:3 + len(expected.by_unit)]]
    assert [[v for v in r[:len(r0)]] for r, r0 in zip(units, expected.by_unit)] == expected.by_unit
    assert sum(sum(r[1:]) for r in expected.by_unit) == 41  # 40 nominees and the row without a name


def test_a_new_master_prints_the_sheets_the_ribbon_fills_with_their_headers_on_every_page(tmp_path):
    """The ribbon clears and rewrites `Kiểm tra` and `Tổng hợp` but Excel keeps a sheet's page setup:
    the master carries it from the start, on the header rows the models put their headers on."""
    from xl_helpers import UNITS, nominations

    from thidua_xl.catalog import load_catalog
    from thidua_xl.pipeline import load, totals
    from thidua_xl.tables import summary_sheet
    from thidua_xl.workbook.master import create_master

    master = create_master(tmp_path / "ThiDua-2024.xlsx", 2024, UNITS, nominations=nominations(10))
    book = openpyxl.load_workbook(master)
    model = summary_sheet(totals(load([master]), 2024), load_catalog())
    check = check_sheet([], 2024, lambda f: None)
    for name, (first, last) in (("Tổng hợp", (model.heads[0] + 1, model.heads[1] + 1)),
                                ("Kiểm tra", (check.header_row, check.header_row))):
        ws = book[name]
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)  # 1 is the default
        assert ws.page_setup.fitToHeight == 0  # as many pages down as the rows need
        assert ws.print_title_rows == f"${first}:${last}"
