"""Whatever goes wrong around a button, the user reads Vietnamese naming that button, never a traceback.

Driven through xlwings' own objects (its remote engine, as tests/test_xl.py): no Excel here, so
the failures a staff PC can produce (no calling workbook, an unmapped OneDrive address, a folder
that cannot take a log, Excel refusing an alert, a used range dragged to row 1,048,576) are made
with real Book objects in those states.
"""
from __future__ import annotations

import datetime as dt

import pytest

from xl_helpers import UNITS, actions, alert, nominations, payload_of, payload_of_small, written, xw
from thidua_xl import xl

ONEDRIVE = "https://d.docs.live.net/8a1b2c3d4e5f/Documents/ThiDua/ThiDua.xlsm"


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    from thidua_xl.workbook.master import create_master

    return create_master(tmp_path_factory.mktemp("xlf") / "m.xlsx", 2024, UNITS, nominations=nominations(40))


@pytest.fixture
def local_appdata(tmp_path, monkeypatch):
    """%LOCALAPPDATA% of a Windows profile with a Vietnamese name."""
    home = tmp_path / "Users" / "Nguyễn Thị Hoà" / "AppData" / "Local"
    monkeypatch.setenv("LOCALAPPDATA", str(home))
    return home


def broken(_book):
    raise RuntimeError("hỏng giữa chừng")


def test_no_calling_workbook_is_a_vietnamese_message_and_a_log(local_appdata, capsys, monkeypatch, tmp_path):
    """`Book.caller()` fails (no Excel, or the workbook closed meanwhile): nothing is raised."""
    monkeypatch.chdir(tmp_path)
    message = xl.run("kiem_tra")  # no book given: run asks xlwings for the caller, which cannot answer here
    assert message.startswith("Lỗi không mong đợi khi chạy nút “Kiểm tra”")
    assert "Traceback" not in message
    shown = capsys.readouterr().err  # Windows shows it in a MessageBoxW; here it goes to stderr
    assert "“Kiểm tra”" in shown and "thidua doctor" in shown
    log = local_appdata / "ThiDua" / "logs" / xl.LOG_NAME
    assert log.is_file() and "Traceback" in log.read_text("utf-8")
    assert str(log) in message


def test_onedrive_address_is_refused_with_a_way_out_and_checks_still_run(master, local_appdata, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    book = xw.Book(json=payload_of(master, name=ONEDRIVE))
    message = xl.run("tach_file", book)
    text, mode = alert(book)
    assert mode == "critical" and text == message
    assert text.startswith("“Tách file đơn vị”: ") and "OneDrive" in text and "Save As" in text
    assert "Traceback" not in text
    # the in-memory buttons need no folder: Kiểm tra runs on the cells
    book = xw.Book(json=payload_of(master, name=ONEDRIVE))
    assert xl.run("kiem_tra", book).startswith("Đã kiểm tra 42 dòng")


def test_crash_on_an_onedrive_book_logs_to_localappdata(master, local_appdata, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(xl.ACTIONS, "kiem_tra", broken)
    book = xw.Book(json=payload_of(master, name=ONEDRIVE))
    message = xl.run("kiem_tra", book)
    text, mode = alert(book)
    assert mode == "critical" and "nút “Kiểm tra”" in text and "kiem_tra" not in text
    log = local_appdata / "ThiDua" / "logs" / xl.LOG_NAME
    assert log.is_file() and "hỏng giữa chừng" in log.read_text("utf-8") and str(log) in message
    assert not (tmp_path / xl.LOG_NAME).exists()


def test_log_falls_back_when_the_workbook_folder_cannot_take_it(master, local_appdata, tmp_path, monkeypatch):
    blocker = tmp_path / "khong-phai-thu-muc"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setitem(xl.ACTIONS, "tong_hop", broken)
    book = xw.Book(json=payload_of(master, name=str(blocker / "ThiDua.xlsm")))
    xl.run("tong_hop", book)
    text, _ = alert(book)
    assert str(local_appdata / "ThiDua" / "logs" / xl.LOG_NAME) in text and "“Tổng hợp”" in text


def test_no_place_for_a_log_still_gives_a_message(master, tmp_path, monkeypatch):
    blocker = tmp_path / "tep"
    blocker.write_text("x")
    monkeypatch.setenv("LOCALAPPDATA", str(blocker))  # the fallback cannot be created either
    monkeypatch.setitem(xl.ACTIONS, "tong_hop", broken)
    book = xw.Book(json=payload_of(master, name=str(blocker / "ThiDua.xlsm")))
    message = xl.run("tong_hop", book)
    assert "hỏng giữa chừng" in message and "Chi tiết đã ghi" not in message
    assert alert(book)[1] == "critical"


def test_excel_refusing_the_alert_falls_back_to_a_message_box(master, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    book = xw.Book(json=payload_of(master))

    def refuse(*_a, **_k):
        raise OSError("(-2147417846, 'The message filter indicated that the application is busy.')")

    monkeypatch.setattr(type(book.app), "alert", refuse)
    message = xl.run("kiem_tra", book)
    assert message.startswith("Đã kiểm tra")
    assert message in capsys.readouterr().err


def test_unknown_tag_names_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    book = xw.Book(json=payload_of_small())
    xl.run("nut_moi", book)
    text, mode = alert(book)
    assert mode == "critical" and "nut_moi" in text


def test_user_errors_name_the_button_not_the_tag(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    book = xw.Book(json=payload_of_small())  # no "Đơn vị" sheet
    xl.run("tong_hop", book)
    text, mode = alert(book)
    assert mode == "critical" and text.startswith("“Tổng hợp”: ") and "tong_hop" not in text


def test_a_used_range_dragged_to_the_bottom_is_refused_with_the_cell_and_the_fix(master, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    payload = payload_of(master)
    unit = next(s for s in payload["sheets"] if s["name"].startswith("Bệnh viện"))
    width = len(unit["values"][0])
    unit["values"] += [[None] * width for _ in range(400)]
    unit["values"][-1][0] = ""  # Excel counts a formatted empty cell in the used range
    monkeypatch.setattr(xl, "MAX_SHEET_CELLS", width * 300)
    book = xw.Book(json=payload)
    xl.run("kiem_tra", book)
    text, mode = alert(book)
    assert mode == "critical" and unit["name"] in text
    assert f"{xl.col_letter(width - 1)}{len(unit['values'])}" in text and "Delete" in text
    assert not [a for a in actions(book, "setValues")]  # nothing half-written


def test_birth_dates_are_written_as_dates_with_a_number_format(master, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    book = xw.Book(json=payload_of(master))
    xl.run("tong_hop", book)
    (_r, _c, block), = written(book, "Lao động tiên tiến")
    col = block[2].index("Ngày sinh")
    dates = [r[col] for r in block[3:]]
    assert dates and all(isinstance(d, str) and dt.date.fromisoformat(d) for d in dates)  # ISO = a real date
    sheet = [s.name for s in book.sheets].index("Lao động tiên tiến")
    fmt = [a for a in actions(book, "setNumberFormat") if a["sheet_position"] == sheet]
    assert fmt and fmt[0]["args"] == [xl.DATE_FORMAT]
    assert (fmt[0]["start_row"], fmt[0]["start_column"], fmt[0]["row_count"]) == (3, col, len(block) - 3)


def test_as_date_keeps_only_real_dates():
    import pandas as pd

    assert xl._as_date(pd.Timestamp("1980-02-13")) == dt.date(1980, 2, 13)
    assert xl._as_date(dt.datetime(1980, 2, 13, 0, 0)) == dt.date(1980, 2, 13)
    assert xl._as_date(pd.NaT) is None and xl._as_date(None) is None and xl._as_date(float("nan")) is None


def test_every_ribbon_button_has_its_label_in_the_adapter():
    from thidua_xl.devtools.build_workbook import ribbon_tags

    assert {tag: label for label, _a, tag in ribbon_tags()} == xl.BUTTON_LABELS
