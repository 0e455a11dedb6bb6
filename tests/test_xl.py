"""The ribbon actions run for real on xlwings' own Book/Sheet/Range objects.

xlwings' remote engine (`xw.Book(json=payload)`) serves the desktop API in memory and
records every write; the payload is built from a real master written by
`create_master` and read back cell by cell with calamine, as Excel would send it.
(tests/xl_helpers.py holds that setup, shared by every ribbon test).
"""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from xl_helpers import UNITS, actions, alert, nominations, payload_of, payload_of_small, written, xw
from thidua_xl import xl
from thidua_xl.model import ERROR, WARNING, Finding


@pytest.fixture(scope="module")
def masters(tmp_path_factory):
    from thidua_xl.workbook.master import create_master

    folder = tmp_path_factory.mktemp("xl")
    return {n: create_master(folder / f"m{n}.xlsx", 2024, UNITS, nominations=nominations(n)) for n in (100, 10_000)}


@pytest.fixture
def book(masters, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the remote book has no folder: logs land in the cwd
    return xw.Book(json=payload_of(masters[100]))


def test_kiem_tra_writes_findings_with_links_and_colours(book):
    message = xl.run("kiem_tra", book)
    text, mode = alert(book)
    assert text == message
    assert mode != "critical"
    assert text.startswith("Đã kiểm tra 102 dòng của 3 đơn vị: ")
    blocks = written(book, "Kiểm tra")
    assert len(blocks) == 1  # one 2-D block for the whole sheet
    r0, c0, values = blocks[0]
    assert (r0, c0) == (0, 0)
    assert values[2] == xl.CHECK_HEADERS
    body = values[3:]
    assert [r[0] for r in body] == list(range(1, len(body) + 1))
    missing = [r for r in body if r[2] == "MISSING_FIELD"]
    assert missing and missing[0][1] == "Lỗi"
    # the row number is the link, to the empty "Họ và tên" cell of the offending row (same model as the CLI's)
    sheet = missing[0][xl.CHECK_HEADERS.index("Trang tính")]
    link = re.fullmatch(r'=HYPERLINK\("#(.*)!B(\d+)","(\d+)"\)', missing[0][xl.CHECK_HEADERS.index("Dòng")])
    assert link and link.group(1) == f"'{sheet}'" and link.group(2) == link.group(3)
    unknown = [r for r in body if r[2] == "UNKNOWN_AWARD"]
    assert unknown and "Huy hiệu không có" in unknown[0][xl.CHECK_HEADERS.index("Nội dung")]
    severities = [r[1] for r in body]
    assert severities == sorted(severities, key=["Lỗi", "Cảnh báo", "Ghi chú"].index)
    colours = actions(book, "setRangeColor")
    assert colours[0]["args"][0].lower() == xl.COLOR_HEADER.lower() and colours[0]["start_row"] == 2
    n_err = severities.count("Lỗi")
    err = [c for c in colours if c["args"][0].lower() == xl.COLOR_SEVERITY["error"].lower()]
    assert len(err) == 1 and err[0]["start_row"] == 3 and err[0]["row_count"] == n_err
    assert f"{n_err} lỗi" in text


def test_tong_hop_matches_the_cli_totals(book, masters):
    from thidua_xl.catalog import load_catalog
    from thidua_xl.pipeline import load, totals

    xl.run("tong_hop", book)
    expected = totals(load([masters[100]]), 2024)  # the CLI's path: read the file from disk
    (_, _, values), = written(book, "Tổng hợp")
    assert values[0][0] == "BẢNG TỔNG HỢP ĐỀ NGHỊ KHEN THƯỞNG NĂM 2024"
    header, subjects = values[3], values[4]  # as `thidua consolidate` lays it out: a blank line, then two
    total = next(r for r in values if r[0] == "Tổng cộng")
    cat = load_catalog()
    award_of = []  # an award's name heads the first of its Tập thể | Cá nhân columns (merged in the file)
    for h in header:
        award_of.append(h if h is not None else award_of[-1] if award_of else None)
    for code, t in expected.totals.items():
        for subj, label in (("tap_the", "Tập thể"), ("ca_nhan", "Cá nhân")):
            cols = [j for j, (h, s) in enumerate(zip(award_of, subjects)) if h == cat[code].name and s == label]
            if cols:
                assert total[cols[0]] == t[subj]
    assert sum(v for v in total[2:-2]) == expected.rows == 101
    units = [r[1] for r in values[5:] if isinstance(r[0], int)]
    assert units == list(UNITS["unit"])
    # one list sheet per award, nominees sorted, sources given
    lists = {s.name for s in book.sheets} - {s["name"] for s in payload_of(masters[100])["sheets"]} - {"Biểu đồ"}
    from thidua_xl.export import sheet_name_for

    used = {"tổng hợp", "kiểm tra"}
    assert lists == {sheet_name_for(cat[c].name, used) for c in expected.totals}
    assert len(lists) == 4
    (_, _, ldtt), = written(book, "Lao động tiên tiến")
    assert len(ldtt) - 3 == expected.total("LDTT")
    assert ldtt[3][8].startswith("ThiDua.xlsm, ")
    text, mode = alert(book)
    assert "101 lượt đề nghị của 3 đơn vị" in text


@pytest.mark.parametrize("action", ["kiem_tra", "tong_hop"])
def test_number_of_writes_does_not_grow_with_rows(masters, action, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    counts = {}
    for n in (100, 10_000):
        b = xw.Book(json=payload_of(masters[n]))
        xl.run(action, b)
        acts = actions(b)
        assert not [a for a in acts if a["func"] == "alert" and a["args"][3] == "critical"], acts[-1]
        counts[n] = [a["func"] for a in acts]
    assert counts[100] == counts[10_000]
    assert len(counts[10_000]) <= 36  # at most six writes for each sheet (Tổng hợp, four lists, Biểu đồ)


def test_them_don_vi_adds_missing_unit_sheets(masters, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    payload = payload_of(masters[100])
    units = next(s for s in payload["sheets"] if s["name"] == "Đơn vị")
    units["values"].append(["YTDP", "Trung tâm Y tế dự phòng", "ytdp@example.vn", None])
    b = xw.Book(json=payload)
    message = xl.run("them_don_vi", b)
    assert "Trung tâm Y tế dự phòng" in message
    new = [a for a in actions(b, "addSheet")]
    assert len(new) == 1 and new[0]["args"][1] == "Trung tâm Y tế dự phòng"
    (_, _, block), = written(b, "Trung tâm Y tế dự phòng")
    assert "Họ và tên" in block[3] and "Hình thức đề nghị" in block[3]
    col = written(b, "Đơn vị")
    assert col and col[0][2][-1] == ["Trung tâm Y tế dự phòng"]
    # and the new sheet is read as that unit's table
    b2 = xw.Book(json=payload)
    assert xl.run("them_don_vi", b2)  # idempotent on the original payload too


def test_user_errors_and_crashes_become_vietnamese_alerts(book, tmp_path, monkeypatch):
    xl.run("khong_co", book)
    text, mode = alert(book)
    assert mode == "critical" and "khong_co" in text

    def broken(_book):
        return 1 / 0

    monkeypatch.setitem(xl.ACTIONS, "hong", broken)
    b = xw.Book(json=payload_of_small())
    message = xl.run("hong", b)
    text, mode = alert(b)
    assert mode == "critical" and "ZeroDivisionError" in text and "Traceback" not in text
    log = tmp_path / xl.LOG_NAME
    assert log.is_file() and "Traceback" in log.read_text("utf-8") and message == text


def test_missing_module_is_a_chua_co_alert(book, monkeypatch):
    monkeypatch.setitem(xl.ACTIONS, "moi", lambda b: xl._require("thidua_xl.khong_ton_tai", "Chức năng mới"))
    xl.run("moi", book)
    text, mode = alert(book)
    assert "chưa có" in text and mode == "info"


def test_book_without_units_sheet_is_a_user_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    b = xw.Book(json=payload_of_small())
    xl.run("kiem_tra", b)
    text, mode = alert(b)
    assert mode == "critical" and "Đơn vị" in text
    assert not (tmp_path / xl.LOG_NAME).exists()  # a user error is not a crash


def test_file_based_buttons_need_a_saved_workbook(book):
    xl.run("tach_file", book)
    text, mode = alert(book)
    assert mode in ("critical", "info")
    assert "lưu tệp" in text or "chưa có" in text


def test_check_table_is_plain_data():
    findings = [
        Finding("DUPLICATE", WARNING, "Trùng.", file="ThiDua.xlsm", sheet="BV 'A'", row=7, column="Hình thức đề nghị"),
        Finding("BAD_FILE", ERROR, "Hỏng.", file="khac.xlsx"),
        Finding("QUOTA_EXCEEDED", ERROR, "Vượt tỷ lệ.", unit="BV"),
    ]
    header = {"BV 'A'": (4, ["STT", "Họ và tên", "Ngày sinh", "Hình thức đề nghị"])}
    block, spans = xl.check_table(findings, "ThiDua.xlsm", 2024, header)
    assert block[0][0].endswith("2 lỗi, 1 cảnh báo")
    assert [r[2] for r in block[3:]] == ["BAD_FILE", "QUOTA_EXCEEDED", "DUPLICATE"]
    assert spans == {"error": (4, 5), "warning": (6, 6)}
    dong = xl.CHECK_HEADERS.index("Dòng")
    assert block[5][dong] == '=HYPERLINK("#\'BV \'\'A\'\'\'!D7","7")'
    assert block[3][dong] is None  # another file: no link
    assert all(len(r) == len(xl.CHECK_HEADERS) for r in block)


def test_helpers():
    assert xl.vn_number(2569) == "2.569" and xl.vn_number(12) == "12"
    assert [xl.col_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]
    assert xl._cell(2020.0) == 2020 and xl._cell(None) == "" and xl._cell(1.5) == 1.5


def test_every_ribbon_tag_is_an_action():
    from thidua_xl.devtools.build_workbook import ribbon_tags

    tags = [t for _l, _a, t in ribbon_tags()]
    assert sorted(tags) == sorted(xl.ACTIONS)


def test_import_is_cheap():
    code = "import sys, thidua_xl.xl; print(sorted(m for m in ('pandas', 'xlwings', 'openpyxl') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.fixture
def saved_book(masters, tmp_path):
    """A master saved in a folder, open in the (remote) engine under its full name, as on Windows."""
    import shutil

    folder = tmp_path / "Thi đua 2024"
    folder.mkdir()
    path = folder / "ThiDua.xlsx"
    shutil.copy2(masters[100], path)
    return xw.Book(json=payload_of(path, name=str(path))), path


def test_file_buttons_split_draft_and_collect_through_the_cli_code(saved_book):
    import openpyxl

    book, path = saved_book
    xl.run("tach_file", book)
    text, mode = alert(book)
    assert mode != "critical", text
    split_dir = path.parent / xl.RESULTS_DIR / "don-vi"
    files = sorted(p.name for p in split_dir.glob("*.xlsx"))
    assert files == sorted(f"{c}.xlsx" for c in UNITS["unit_code"])

    book2 = xw.Book(json=payload_of(path, name=str(path)))
    xl.run("gui_email", book2)
    text, mode = alert(book2)
    assert mode != "critical", text
    drafts = list((path.parent / xl.RESULTS_DIR / "thu").rglob("*.eml"))
    assert len(drafts) == 3

    # first click: the inbox folder is made and explained; then a unit sends its file back with one more row
    book3 = xw.Book(json=payload_of(path, name=str(path)))
    assert "Hãy chép" in xl.run("nhap_file", book3)
    inbox = path.parent / xl.RESULTS_DIR / "don-vi-gui-ve"
    wb = openpyxl.load_workbook(split_dir / "CDC.xlsx")
    ws = next(w for w in wb.worksheets if w.sheet_state == "visible")
    header = next(r for r in range(1, 20) if ws.cell(r, 2).value == "Họ và tên")
    last = max(r for r in range(header, ws.max_row + 1) if ws.cell(r, 2).value)
    ws.cell(last + 1, 2).value = "Vũ Thị Mới Gửi"
    ws.cell(last + 1, 3).value = "02/03/1990"
    ws.cell(last + 1, 4).value = "Nữ"
    ws.cell(last + 1, 8).value = "Lao động tiên tiến"
    wb.save(inbox / "CDC.xlsx")
    before = path.read_bytes()
    book4 = xw.Book(json=payload_of(path, name=str(path)))
    message = xl.run("nhap_file", book4)
    assert "Đã nhập 1 tệp đơn vị" in message, message
    assert path.read_bytes() == before  # the open master is not rewritten behind Excel's back
    cdc_sheet = [s for s in book4.sheets if s.name.startswith("Trung tâm Kiểm soát")][0].name
    (row0, _c, block), = written(book4, cdc_sheet)
    names = [r[1] for r in block if r and r[1]]
    assert "Vũ Thị Mới Gửi" in names and len(names) == 34 + 1
    master_rows = next(sh["values"] for sh in payload_of(path)["sheets"] if sh["name"] == cdc_sheet)
    master_header = next(i for i, r in enumerate(master_rows) if "Họ và tên" in r)  # 0-based
    assert row0 == master_header + 1  # the block starts right below the master's header row
    assert list((path.parent / "sao-luu").glob("ThiDua.*.xlsx"))


def test_collect_blocks_without_changes_writes_nothing(saved_book, tmp_path):
    _book, path = saved_book
    inbox = tmp_path / "empty-inbox"
    inbox.mkdir()
    report, blocks = xl.collect_blocks(path, inbox)
    assert blocks == {} and not report.units


def test_history_and_documents_buttons(saved_book):
    book, path = saved_book
    xl.run("luu_lich_su", book)
    text, mode = alert(book)
    assert mode != "critical", text
    assert (path.parent / xl.HISTORY_NAME).is_file() and "2024" in text
    book2 = xw.Book(json=payload_of(path, name=str(path)))
    xl.run("xuat_van_ban", book2)
    text, mode = alert(book2)
    assert mode != "critical", text
    docs = list((path.parent / xl.RESULTS_DIR / "van-ban").glob("*.docx"))
    assert len(docs) >= 3, text


def test_folder_and_guide_buttons(saved_book):
    book, path = saved_book
    message = xl.run("mo_thu_muc", book)
    assert (path.parent / xl.RESULTS_DIR).is_dir() and str(path.parent / xl.RESULTS_DIR) in message
    book2 = xw.Book(json=payload_of(path, name=str(path)))
    assert "Kiểm tra" in xl.run("huong_dan", book2)
    assert actions(book2, "activateSheet") or actions(book2, "alert")


def test_gui_email_drafts_unit_files_and_the_documents_for_the_province(tmp_path):
    """One click: each unit its file, and the province the documents, to the addresses in Cấu hình."""
    from email import policy
    from email.parser import BytesParser

    from thidua_xl.workbook.master import create_master

    folder = tmp_path / "Thi đua 2024"
    path = create_master(folder / "ThiDua.xlsx", 2024, UNITS, nominations=nominations(30),
                         config={"email_nhan_bao_cao": "bantdkt@snv.example.vn"})
    for action in ("tach_file", "xuat_van_ban"):
        book = xw.Book(json=payload_of(path, name=str(path)))
        xl.run(action, book)
        assert alert(book)[1] != "critical", alert(book)[0]
    book = xw.Book(json=payload_of(path, name=str(path)))
    xl.run("gui_email", book)
    text, mode = alert(book)
    assert mode != "critical", text
    thu = path.parent / xl.RESULTS_DIR / "thu"
    unit_drafts = list(thu.glob("*.eml"))
    doc_drafts = list((thu / "van-ban").glob("*.eml"))
    assert len(unit_drafts) == 3 and len(doc_drafts) == 1
    msg = BytesParser(policy=policy.default).parse(doc_drafts[0].open("rb"))
    assert msg["To"] == "bantdkt@snv.example.vn"
    assert any(p.get_filename().startswith("Bao-cao-tong-ket") for p in msg.iter_attachments())


def test_in_giay_khen_and_calibration_buttons(saved_book):
    book, path = saved_book
    xl.run("in_giay_khen", book)
    text, mode = alert(book)
    assert mode != "critical", text
    folder = path.parent / xl.RESULTS_DIR / "giay-khen"
    names = sorted(p.name for p in folder.glob("*.docx"))
    assert {"Chung-nhan-GK-2024.docx", "Chung-nhan-LDTT-2024.docx"} <= set(names), names
    assert "trang – Quyết định số" in text
    book2 = xw.Book(json=payload_of(path, name=str(path)))
    xl.run("can_chinh_mau_in", book2)
    text, mode = alert(book2)
    assert mode != "critical", text
    assert (folder / "Chung-nhan-can-chinh.docx").is_file()
