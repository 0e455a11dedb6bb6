"""Intake: the unit files as units really make them, read into one table that remembers every cell."""
from __future__ import annotations

import datetime as dt
import unicodedata

import openpyxl
import pytest

from thidua_xl.intake import header_drift, read_paths


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def write(path, rows, title="Danh sách", extra_sheets=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    for name, srows in (extra_sheets or {}).items():
        s = wb.create_sheet(name)
        for r in srows:
            s.append(r)
    wb.save(path)
    return path


@pytest.fixture
def messy_file(tmp_path):
    """Title rows, NFD headers with line breaks, shuffled and renamed columns, groups and a totals row."""
    return write(tmp_path / "gui_so.xlsx", [
        ["SỞ Y TẾ LÀO CAI"],
        [nfd("Đơn vị: Bệnh viện Sản Nhi")],
        ["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2020"],
        [],
        ["Số TT", "Danh hiệu đề nghị", nfd("Họ và tên\n/ Tên tập thể"), "Điện thoại", "Năm sinh", "Nam/Nữ",
         "Chức danh", "Khoa/Phòng"],
        ["I", None, "TẬP THỂ"],
        [1, "TTLĐTT", "Khoa Nội", None, None, None, None, None],
        [2, "Giấy khen", "Khoa Hồi sức & Cấp cứu", None, None, None, None, None],
        ["II.", None, "CÁ NHÂN"],
        ["1", "LĐTT", nfd("Nguyễn  Văn Hoà"), "0912", "13/02/1980", "Nam", "Bác sĩ", "Khoa Nội"],
        [2, "CSTĐ cơ sở", " Trần Thị Thuý ", None, dt.datetime(1985, 5, 4), "Nữ", "Điều dưỡng", "Khoa Nhi"],
        [3, "Giấy khen", "Lê Văn Cường", None, "1979", "Nam", None, None],
        [4, "lao động tiên tiến", "Phạm Thị Dung", None, "1988-11-30", "Nữ", None, None],
        [5, "Lao động tiên tiến", "Vũ Văn Em", None, "05-06-1990", "Nam", None, None],
        [6, "Lao động tiên tiếng", "Đỗ Văn Phúc", None, "31/02/1990", "Nam", None, None],
        [None, "6 cá nhân", "Tổng cộng"],
        [],
        [None, None, "Người lập biểu", None, None, "THỦ TRƯỞNG ĐƠN VỊ"],
        [None, None, "Nguyễn Thị Lập", None, None, "Trần Văn Ký"],
    ])


def test_finds_the_header_wherever_it_is_and_reads_only_nominees(messy_file):
    intake = read_paths([messy_file])
    df = intake.nominations
    assert list(df["ho_ten"]) == ["Khoa Nội", "Khoa Hồi sức & Cấp cứu", "Nguyễn Văn Hoà", "Trần Thị Thuý",
                                  "Lê Văn Cường", "Phạm Thị Dung", "Vũ Văn Em", "Đỗ Văn Phúc"]
    assert intake.findings == []


def test_every_nominee_keeps_its_file_sheet_and_excel_row(messy_file):
    df = read_paths([messy_file]).nominations
    first = df.iloc[0]
    assert (first["file"], first["sheet"], first["row"]) == ("gui_so.xlsx", "Danh sách", 7)
    assert df.iloc[2]["row"] == 10  # after the "II. CÁ NHÂN" heading row
    assert df.iloc[-1]["row"] == 15


def test_text_is_nfc_and_trimmed(messy_file):
    df = read_paths([messy_file]).nominations
    for name in df["ho_ten"]:
        assert name == unicodedata.normalize("NFC", name) and name == name.strip() and "  " not in name


def test_dates_in_every_style_and_a_year_alone(messy_file):
    df = read_paths([messy_file]).nominations.set_index("ho_ten")
    assert df.loc["Nguyễn Văn Hoà", "ngay_sinh"] == dt.date(1980, 2, 13)
    assert df.loc["Trần Thị Thuý", "ngay_sinh"] == dt.date(1985, 5, 4)
    assert df.loc["Phạm Thị Dung", "ngay_sinh"] == dt.date(1988, 11, 30)
    assert df.loc["Vũ Văn Em", "ngay_sinh"] == dt.date(1990, 6, 5)
    assert df.loc["Lê Văn Cường", "ngay_sinh"] is None and df.loc["Lê Văn Cường", "nam_sinh"] == 1979
    assert "không tồn tại" in df.loc["Đỗ Văn Phúc", "ngay_sinh_error"]


def test_awards_and_subjects(messy_file):
    df = read_paths([messy_file]).nominations.set_index("ho_ten")
    assert df.loc["Khoa Nội", ["award", "subject"]].tolist() == ["TTLDTT", "tap_the"]
    # Giấy khen is open to both: no birth date or gender, under "I. TẬP THỂ" → tập thể
    assert df.loc["Khoa Hồi sức & Cấp cứu", ["award", "subject"]].tolist() == ["GK", "tap_the"]
    assert df.loc["Lê Văn Cường", ["award", "subject"]].tolist() == ["GK", "ca_nhan"]
    assert df.loc["Phạm Thị Dung", "award"] == "LDTT"
    assert df.loc["Trần Thị Thuý", "award"] == "CSTDCS"
    assert df.loc["Đỗ Văn Phúc", "award"] is None or str(df.loc["Đỗ Văn Phúc", "award"]) in ("nan", "None")


def test_unit_from_the_title_row_and_year_from_the_title(messy_file):
    intake = read_paths([messy_file])
    assert set(intake.nominations["unit"]) == {"Bệnh viện Sản Nhi"}
    assert intake.files[0].unit_source.startswith("dòng")
    assert intake.year == 2020


def test_unit_from_file_name_when_nothing_else_says(tmp_path):
    f = write(tmp_path / "TTYT_BX.xlsx", [["Họ và tên", "Hình thức đề nghị", "Năm sinh"], ["Hà Văn A", "LĐTT", 1980]])
    intake = read_paths([f])
    assert intake.nominations.iloc[0]["unit"] == "TTYT_BX"
    assert intake.files[0].unit_source == "tên tệp"


def test_unit_code_written_by_split_wins(tmp_path):
    f = tmp_path / "whatever.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Đơn vị: Tên gõ tay"])
    ws.append(["Họ và tên", "Hình thức đề nghị", "Năm sinh"])
    ws.append(["Hà Văn A", "LĐTT", 1980])
    meta = wb.create_sheet("_thidua")
    meta.append(["ma_don_vi", "CDC"])
    meta.append(["ten_don_vi", "Trung tâm Kiểm soát bệnh tật tỉnh"])
    meta.append(["nam", "2024"])
    meta.sheet_state = "hidden"
    wb.save(f)
    intake = read_paths([f])
    row = intake.nominations.iloc[0]
    assert (row["unit_code"], row["unit"]) == ("CDC", "Trung tâm Kiểm soát bệnh tật tỉnh")
    assert intake.year == 2024


def test_header_drift_is_reported_not_hidden(messy_file):
    drift = header_drift(read_paths([messy_file]))[0]
    assert drift["header_row"] == 5
    assert drift["mapped"]["Danh hiệu đề nghị"] == "Hình thức đề nghị"
    assert drift["mapped"]["Họ và tên / Tên tập thể"] == "Họ và tên"
    assert drift["mapped"]["Năm sinh"] == "Ngày sinh"
    assert "Đối tượng" in drift["missing"] and "Ghi chú" in drift["missing"]
    assert drift["extra"] == ["Điện thoại"]


def test_stated_doi_tuong_is_used_for_awards_open_to_both(tmp_path):
    f = write(tmp_path / "BVDKT.xlsx", [
        ["Họ và tên", "Hình thức đề nghị", "Đối tượng", "Giới tính"],
        ["Khoa Dược", "Bằng khen UBND tỉnh", "Tập thể", None],
        ["Lò Văn Sử", "BK UBND tỉnh", "Cá nhân", None],
        ["Hà Thị Nga", "BK Bộ Y tế", None, "Nữ"],
    ])
    df = read_paths([f]).nominations
    assert df["subject"].tolist() == ["tap_the", "ca_nhan", "ca_nhan"]


def test_a_collective_named_cong_doan_is_not_a_totals_row(tmp_path):
    f = write(tmp_path / "CDC.xlsx", [
        ["Họ và tên", "Hình thức đề nghị"],
        ["Công đoàn cơ sở Trung tâm", "Giấy khen"],
        ["Cộng", None],
        ["Ai đó sau dòng cộng", "Giấy khen"],
    ])
    # the "Cộng" line is not a nominee; a named row with an award below it still is (docs/interface.md §2:
    # only rows *after the last nominee* end the table; a group subtotal must not drop the next group)
    assert read_paths([f]).nominations["ho_ten"].tolist() == ["Công đoàn cơ sở Trung tâm", "Ai đó sau dòng cộng"]


def test_numbers_stored_as_text_and_excel_numbers(tmp_path):
    f = write(tmp_path / "TTKN.xlsx", [
        ["STT", "Họ và tên", "Hình thức đề nghị", "Ngày sinh"],
        ["1", "Hà Văn A", "LĐTT", "1975"],
        [2.0, "Hà Văn B", "LĐTT", 1976.0],
    ])
    df = read_paths([f]).nominations
    assert df["stt"].tolist() == ["1", "2"]
    assert df["nam_sinh"].tolist() == [1975, 1976]


def test_a_folder_reads_workbooks_only_and_skips_excel_owner_files(tmp_path, messy_file):
    (tmp_path / "~$gui_so.xlsx").write_bytes(b"owner file")
    (tmp_path / "ghi chu.txt").write_text("not a workbook")
    sub = tmp_path / "cu"
    sub.mkdir()
    write(sub / "old.xlsx", [["Họ và tên", "Hình thức đề nghị"], ["X", "LĐTT"]])
    intake = read_paths([tmp_path])
    assert [f.file for f in intake.files] == ["gui_so.xlsx"]


def test_a_broken_file_is_reported_and_the_others_still_read(tmp_path, messy_file):
    (tmp_path / "hong.xlsx").write_bytes(b"this is not a zip file")
    intake = read_paths([tmp_path])
    assert len(intake.nominations) == 8
    bad = [f for f in intake.findings if f.code == "BAD_FILE"]
    assert len(bad) == 1 and bad[0].file == "hong.xlsx" and bad[0].row is None
    assert "hong.xlsx" in bad[0].message


def test_a_workbook_without_a_nomination_table_is_a_bad_file(tmp_path):
    f = write(tmp_path / "lac.xlsx", [["Báo cáo doanh thu"], ["Tháng", "Số tiền"], [1, 100]])
    intake = read_paths([f])
    assert [x.code for x in intake.findings] == ["BAD_FILE"]
    assert "Họ và tên" in intake.findings[0].message


def test_master_workbook_reads_units_config_and_unit_sheets(tmp_path):
    f = tmp_path / "master.xlsx"
    wb = openpyxl.Workbook()
    cfg = wb.active
    cfg.title = "Cấu hình"
    cfg.append(["Năm", 2025])
    cfg.append(["Tỉnh", "Lào Cai"])
    units = wb.create_sheet("Đơn vị")
    units.append(["Mã đơn vị", "Tên đơn vị", "Email", "Tên sheet"])
    units.append(["BVDKT", "Bệnh viện Đa khoa tỉnh", "a@x.vn", "BV Đa khoa"])
    units.append(["CDC", "Trung tâm Kiểm soát bệnh tật tỉnh", "", "CDC"])
    s1 = wb.create_sheet("BV Đa khoa")
    s1.append(["STT", "Họ và tên", "Ngày sinh", "Hình thức đề nghị"])
    s1.append([1, "Hà Văn A", "01/01/1980", "LĐTT"])
    s2 = wb.create_sheet("CDC")
    s2.append(["STT", "Họ và tên", "Ngày sinh", "Hình thức đề nghị"])
    s2.append([1, "Khoa Xét nghiệm", None, "TTLĐTT"])
    wb.save(f)
    intake = read_paths([f])
    assert intake.year == 2025
    assert intake.files[0].kind == "master"
    assert intake.nominations[["unit_code", "award"]].values.tolist() == [["BVDKT", "LDTT"], ["CDC", "TTLDTT"]]
    assert intake.units["unit_code"].tolist() == ["BVDKT", "CDC"]


def test_unit_files_are_identified_against_a_masters_unit_list(tmp_path):
    master = tmp_path / "master.xlsx"
    wb = openpyxl.Workbook()
    u = wb.active
    u.title = "Đơn vị"
    u.append(["Mã đơn vị", "Tên đơn vị", "Email"])
    u.append(["BVSN", "Bệnh viện Sản Nhi", "sn@x.vn"])
    wb.save(master)
    unit_file = write(tmp_path / "gui-lai.xlsx", [["Đơn vị: BỆNH VIỆN SẢN NHI"], ["Họ và tên", "Hình thức đề nghị"],
                                                   ["Hà Văn A", "GK"]])
    intake = read_paths([master, unit_file])
    row = intake.nominations.iloc[0]
    assert (row["unit_code"], row["unit"]) == ("BVSN", "Bệnh viện Sản Nhi")


def test_initiatives_table(tmp_path):
    f = write(tmp_path / "BVSN.xlsx", [["Họ và tên", "Hình thức đề nghị"], ["Hà Văn A", "CSTĐCS"]], extra_sheets={
        "Sáng kiến": [["STT", "Tên sáng kiến", "Loại", "Cấp công nhận", "Tác giả", "Năm"],
                      [1, "Cải tiến quy trình tiếp đón", "Sáng kiến", "Cơ sở", "Hà Văn A; Lê B", 2020],
                      [2, "Nghiên cứu sàng lọc", "Đề tài", "Tỉnh", "Hà Văn A", "2020"]]})
    ini = read_paths([f]).initiatives
    assert ini[["loai", "cap", "nam"]].values.tolist() == [["sang_kien", "co_so", 2020], ["de_tai", "tinh", 2020]]
    assert ini.iloc[0]["tac_gia"] == "Hà Văn A; Lê B"


def test_optional_columns_reach_the_rules_and_ids_stay_text(tmp_path):
    f = write(tmp_path / "BVSN.xlsx", [
        ["Họ và tên", "Hình thức đề nghị", "Năm sinh", "Xếp loại đánh giá", "Hình thức kỷ luật", "Ngày tuyển dụng", "Số CCCD"],
        ["Hà Văn A", "LĐTT", 1980, "HTTNV", "Không", "01/03/2025", "001080012345"],
        ["Hà Văn B", "LĐTT", 1981, None, None, None, None],
    ])
    df = read_paths([f]).nominations
    assert df[["xep_loai", "ky_luat", "ngay_tuyen_dung", "so_cccd"]].values.tolist() == [
        ["HTTNV", "Không", "01/03/2025", "001080012345"], ["", "", "", ""]]


def test_a_folder_read_in_worker_threads_gives_what_each_file_gives_alone(seed_folder):
    """Files are parsed ahead in threads; the rows, their order and their sources must not change."""
    import pandas as pd

    from thidua_xl import intake as intake_mod

    files, _ = intake_mod.expand_paths([seed_folder])
    assert len(files) > intake_mod.PREFETCH_AHEAD  # the pool really runs ahead
    together = read_paths([seed_folder]).nominations.reset_index(drop=True)
    alone = pd.concat([read_paths([f]).nominations for f in files], ignore_index=True)
    pd.testing.assert_frame_equal(together, alone)


def test_each_distinct_birth_cell_is_read_once_but_true_is_not_one():
    """Date cells are read once per distinct value; True == 1 == 1.0 as dict keys, yet a tick is not a date."""
    from thidua_xl.intake.cells import _date_of, _dates

    cells = [1.0, True, 1, None, "", " 13/02/1980", dt.date(1980, 2, 13), dt.datetime(1980, 2, 13), 1980.0, 1.0]
    got = _dates(cells, {})
    texts, parsed = [t for t, _p in got], [p for _t, p in got]
    alone = [_date_of(c, {}) for c in cells]
    assert texts == [t for t, _p in alone]
    assert [(p.date, p.year, p.error, p.raw) for p in parsed] == [(p.date, p.year, p.error, p.raw) for _t, p in alone]
    assert parsed[1].date is None and parsed[1].error and parsed[0].date is not None  # serial 1 is a date
    assert texts[6] == texts[7] == "13/02/1980" and parsed[8].year == 1980 and parsed[8].date is None


def test_a_tick_and_the_number_one_in_one_column_keep_their_own_text():
    from thidua_xl.intake.cells import _column_texts, _transpose

    for cells in ([[True], [1.0], [1], [2.5]], [[1.0], [True], [False], [0.0]]):
        texts = _column_texts(_transpose(cells), 0, len(cells), {}, {})
        assert texts == [{True: "True", False: "False"}.get(c[0]) if c[0].__class__ is bool
                         else str(int(c[0])) if float(c[0]).is_integer() else str(c[0]) for c in cells]


def test_two_readings_at_once_in_two_threads_do_not_disturb_each_other(seed_folder, messy_file):
    """Each read_paths keeps its own text memo (an Excel session and a CLI call may overlap)."""
    from concurrent.futures import ThreadPoolExecutor

    import pandas as pd

    alone = [read_paths([seed_folder]).nominations, read_paths([messy_file]).nominations]
    with ThreadPoolExecutor(2) as pool:
        together = list(pool.map(lambda p: read_paths([p]).nominations, [seed_folder, messy_file] * 3))
    for i, df in enumerate(together):
        pd.testing.assert_frame_equal(df, alone[i % 2])


def test_a_reading_stopped_early_closes_the_files_already_opened_ahead(seed_folder, monkeypatch):
    """Files parsed ahead but never used are closed (on Windows an open file cannot be replaced)."""
    from thidua_xl.intake import files as intake_mod

    opened, closed = [], []
    real_load = intake_mod.load_file
    monkeypatch.setattr(intake_mod, "load_file", lambda *a: opened.append(real_load(*a)) or opened[-1])
    monkeypatch.setattr(intake_mod, "_close", lambda loaded: closed.append(loaded))
    files, _ = intake_mod.expand_paths([seed_folder])
    reading = intake_mod._prefetched(files)
    _path, first = next(reading)
    reading.close()  # e.g. Ctrl-C while the first file is classified
    assert first not in closed  # the file being read is closed by read_file itself
    assert {id(x) for x in opened} - {id(first)} == {id(x) for x in closed}
