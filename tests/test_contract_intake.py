"""Acceptance (black-box) tests of docs/interface.md §2, §3 and §5: unit files made by other tools and by
hand, read through `thidua consolidate --json`, with the totals computed here from what was written.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from contract_helpers import (consolidate_json, nfd, run_cli, table, validate_json, write_openpyxl,
                              write_xlsxwriter, findings_of)

# docs/interface.md §3, typed from it: code -> (canonical name, subject, abbreviations)
CA, TT, BOTH = "ca_nhan", "tap_the", "both"
AWARDS = {
    "LDTT": ("Lao động tiên tiến", CA, ["LĐTT"]),
    "CSTDCS": ("Chiến sĩ thi đua cơ sở", CA, ["CSTĐCS", "CSTĐ cơ sở"]),
    "CSTD_TINH": ("Chiến sĩ thi đua cấp tỉnh", CA, ["CSTĐ cấp tỉnh", "CSTĐ tỉnh"]),
    "CSTD_BO": ("Chiến sĩ thi đua cấp bộ", CA, ["CSTĐ cấp bộ", "CSTĐ ngành Y tế"]),
    "CSTD_TQ": ("Chiến sĩ thi đua toàn quốc", CA, ["CSTĐTQ"]),
    "TTLDTT": ("Tập thể lao động tiên tiến", TT, ["TTLĐTT"]),
    "TTLDXS": ("Tập thể lao động xuất sắc", TT, ["TTLĐXS"]),
    "CO_TINH": ("Cờ thi đua của Ủy ban nhân dân tỉnh", TT, ["Cờ thi đua UBND tỉnh", "Cờ thi đua cấp tỉnh"]),
    "CO_BO": ("Cờ thi đua của Bộ Y tế", TT, ["Cờ thi đua Bộ Y tế"]),
    "CO_CP": ("Cờ thi đua của Chính phủ", TT, ["Cờ thi đua Chính phủ"]),
    "GK": ("Giấy khen của Giám đốc Sở Y tế", BOTH, ["Giấy khen", "GK"]),
    "BK_TINH": ("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", BOTH,
                ["Bằng khen UBND tỉnh", "BK UBND tỉnh", "Bằng khen cấp tỉnh"]),
    "BK_BO": ("Bằng khen của Bộ trưởng Bộ Y tế", BOTH, ["Bằng khen Bộ Y tế", "BK Bộ Y tế"]),
    "BK_TTCP": ("Bằng khen của Thủ tướng Chính phủ", BOTH, ["BK TTCP", "Bằng khen Thủ tướng"]),
    "HCLD3": ("Huân chương Lao động hạng Ba", BOTH, ["HCLĐ hạng Ba"]),
    "HCLD2": ("Huân chương Lao động hạng Nhì", BOTH, ["HCLĐ hạng Nhì"]),
    "HCLD1": ("Huân chương Lao động hạng Nhất", BOTH, ["HCLĐ hạng Nhất"]),
    "TTUT": ("Thầy thuốc Ưu tú", CA, ["TTƯT"]),
    "TTND": ("Thầy thuốc Nhân dân", CA, ["TTND"]),
    "KNC": ("Kỷ niệm chương Vì sức khỏe nhân dân", CA, ["Kỷ niệm chương"]),
}

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ", "Khoa, phòng", "Hình thức đề nghị", "Ghi chú"]


def _forms(text: str) -> list[str]:
    """The same award text as people type it: as is, upper, lower, NFD, extra spaces."""
    return [text, text.upper(), text.lower(), nfd(text), "  " + text.replace(" ", "  ") + " "]


def _award_rows():
    """One nominee per (code, text form); returns the rows and the expected totals."""
    rows, expected = [], Counter()
    i = 0
    for code, (name, subject, abbrs) in AWARDS.items():
        for text in [name, code] + abbrs:
            for form in _forms(text):
                i += 1
                if subject == TT:
                    rows.append({"ten": f"Khoa số {i}", "ht": form})
                    expected[(code, TT)] += 1
                else:
                    rows.append({"ten": f"Nguyễn Văn Số{i}", "ns": dt.date(1970, 1, 1) + dt.timedelta(days=i),
                                 "gt": "Nam", "ht": form})
                    expected[(code, CA)] += 1
    return rows, expected


def _totals(report: dict) -> Counter:
    return Counter({(code, subj): n for code, d in report["totals"].items() for subj, n in d.items() if n})


@pytest.mark.parametrize("writer", [write_openpyxl, write_xlsxwriter])
def test_every_award_code_name_and_abbreviation_in_any_form(tmp_path, capsys, writer):
    rows, expected = _award_rows()
    title = [["SỞ Y TẾ TỈNH LÀO CAI"], ["Đơn vị: Bệnh viện Đa khoa tỉnh"], []]
    writer(tmp_path / "BVDK.xlsx", {"Danh sách": table(HEADER, rows, title)})
    rep = consolidate_json(capsys, tmp_path, tmp_path / "BVDK.xlsx", year=2024, expect_code=0)
    got = _totals(rep)
    missing = {k: v for k, v in expected.items() if got.get(k) != v}
    assert not missing, f"award texts not recognised: expected {missing}, got {[(k, got.get(k)) for k in missing]}"
    assert got == expected
    assert rep["rows"] == len(rows)
    assert rep["files"] == 1
    assert list(rep["by_unit"]) == ["Bệnh viện Đa khoa tỉnh"]
    # no row was refused as an unknown award
    _, v = validate_json(capsys, tmp_path, tmp_path / "BVDK.xlsx", year=2024)
    assert findings_of(v, "UNKNOWN_AWARD") == []


def _messy_unit(writer, path, variant: int):
    """A unit file as another tool makes it: title rows, header lower down, shuffled renamed columns
    (one variant set per file), line breaks / NFD in headers, an extra column, group headings,
    totals rows; returns the expected totals."""
    name_h = ["Họ và tên", "Họ tên", "Họ và tên / Tên tập thể", "Tên tập thể"][variant % 4]
    dob_h = ["Ngày sinh", "Năm sinh", "Ngày, tháng,\nnăm sinh", nfd("Ngày sinh")][variant % 4]
    sex_h = ["Giới tính", "Nam/Nữ", "GIỚI TÍNH", nfd("Nam/Nữ")][variant % 4]
    role_h = ["Chức vụ", "Chức vụ, chức danh", "Chức danh", "Chức vụ,\nchức danh"][variant % 4]
    dept_h = ["Khoa, phòng", "Khoa/Phòng", "Bộ phận", "Đơn vị công tác"][variant % 4]
    award_h = ["Hình thức đề nghị", "Danh hiệu đề nghị", "Danh hiệu, hình thức khen thưởng",
               "Hình thức khen thưởng"][variant % 4]
    stt_h = ["STT", "TT", "Số TT", "STT"][variant % 4]
    header = [dob_h, "Số điện thoại", award_h, nfd(name_h) if variant % 2 else name_h, stt_h, sex_h,
              "Ghi chú", dept_h, role_h]
    if variant % 2:
        header = header[::-1]
        header = [h if "\n" in h else h.upper() for h in header]
    unit = f"Trung tâm Y tế huyện Số {variant}"

    def person(i, name, dob, sex, award):
        return {"stt": str(i), "ten": name, "ns": dob, "gt": sex, "cv": "Bác sĩ", "kp": "Khoa Nội",
                "ht": award, "gc": None, "extra:Số điện thoại": "0912345678"}

    at = "ten" if variant % 2 == 0 else "stt"  # where people type headings and totals

    body = [
        {at: "I. TẬP THỂ"},
        {"stt": 1, "ten": "Khoa Hồi sức cấp cứu", "ht": "TTLĐTT"},
        {"stt": 2, "ten": "Phòng Kế hoạch & Nghiệp vụ", "ht": "Tập thể lao động tiên tiến"},
        {"stt": 3, "ten": "Khoa Dược", "ht": "Giấy khen"},
        {at: "Cộng", "gc": "3"},
        [],
        {at: "II. CÁ NHÂN"},
        {at: "A. Khối lâm sàng"},
        person(1, "Nguyễn Văn An", dt.date(1980, 2, 13), "Nam", "LĐTT"),
        person(2, "Trần Thị Bình", "13/02/1981", "Nữ", "lao động tiên tiến"),
        person(3, "Lê Văn Cường", "13-02-1982", "Nam", "LĐTT"),
        {at: "B. Khối cận lâm sàng"},
        person(4, "Phạm Thị Dung", "1983-02-13", "Nữ", "Lao động tiên tiến"),
        person(5, "Hoàng Văn Em", 1984, "Nam", nfd("Lao động tiên tiến")),
        person(6, "Vũ Thị Gấm", "1985", "Nữ", "giấy khen"),
        person(7, "Đặng Văn Hải", dt.date(1986, 7, 1), "Nam", "BK UBND tỉnh"),
        [],
        {at: "Tổng cộng", "gc": "10"},
    ]
    title = [["SỞ Y TẾ TỈNH LÀO CAI", None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
             [f"Đơn vị: {unit}" if variant % 2 == 0 else f"ĐƠN VỊ: {unit}"],
             [], ["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2024"], [None, "(Kèm theo Tờ trình số 12/TTr-TTYT)"], []]
    writer(path, {"Đề nghị": table(header, body, title[: 2 + variant % 5])})
    expected = Counter({("TTLDTT", TT): 2, ("GK", TT): 1, ("LDTT", CA): 5, ("GK", CA): 1, ("BK_TINH", CA): 1})
    return unit, expected


def test_messy_unit_files_from_other_tools_give_exactly_their_totals(tmp_path, capsys):
    folder = tmp_path / "don-vi"
    folder.mkdir()
    expected_total, expected_units = Counter(), {}
    for variant in range(8):
        writer = write_openpyxl if variant % 3 else write_xlsxwriter
        unit, exp = _messy_unit(writer, folder / f"file-{variant}.xlsx", variant)
        expected_units[unit] = exp
        expected_total += exp
    # what else lies in a unit folder: Excel's owner file, a Word file, a text note, a sub-folder
    (folder / "~$file-0.xlsx").write_bytes(b"\x00owner-file")
    (folder / "Cong van.docx").write_bytes(b"PK\x03\x04 not really")
    (folder / "ghi chu.txt").write_text("gửi kèm", encoding="utf-8")
    (folder / "cu").mkdir()
    write_openpyxl(folder / "cu" / "old.xlsx", {"S": table(HEADER, [{"ten": "X Y", "ns": 1980, "ht": "LĐTT"}])})
    rep = consolidate_json(capsys, tmp_path, folder, year=2024, expect_code=0)
    assert rep["files"] == 8
    assert rep["rows"] == 8 * 10
    assert _totals(rep) == expected_total
    assert set(rep["by_unit"]) == set(expected_units)
    for unit, exp in expected_units.items():
        got = Counter({(c, s): n for c, d in rep["by_unit"][unit].items() for s, n in d.items() if n})
        assert got == exp, unit
    # the dates typed every way are dates: no BAD_DATE, no MISSING_FIELD on any nominee
    _, v = validate_json(capsys, tmp_path, folder, year=2024)
    assert findings_of(v, "BAD_DATE") == []
    assert findings_of(v, "MISSING_FIELD") == []
    assert findings_of(v, "UNKNOWN_AWARD") == []
    assert findings_of(v, "BAD_FILE") == []


def test_unit_identified_by_file_name_against_master_unit_codes(tmp_path, capsys):
    units = tmp_path / "don-vi.csv"
    units.write_text("Mã đơn vị,Tên đơn vị,Email\nBVDK,Bệnh viện Đa khoa tỉnh,bvdk@example.vn\n"
                     "TTYT_BX,Trung tâm Y tế huyện Bảo Xuân,bx@example.vn\n", encoding="utf-8")
    master = tmp_path / "ThiDua.xlsx"
    code, so, se = run_cli(capsys, "init", master, "--year", 2024, "--units", units)
    assert code == 0, se
    folder = tmp_path / "gui-ve"
    folder.mkdir()
    # made by hand, no "Đơn vị:" row: only the file name says which unit it is (case differs)
    write_xlsxwriter(folder / "bvdk.xlsx", {"Sheet1": table(["TT", "Họ tên", "Năm sinh", "Danh hiệu đề nghị"], [
        {"stt": 1, "ten": "Nguyễn Văn An", "ns": 1980, "ht": "LĐTT"},
        {"stt": 2, "ten": "Lê Thị Hoa", "ns": "1990", "ht": "LĐTT"}])})
    # a title row names the unit by its full name, file name means nothing
    write_openpyxl(folder / "danh sach gui so.xlsx", {"DS": table(HEADER, [
        {"stt": 1, "ten": "Khoa Nội", "ht": "TTLĐTT"}], [["đơn vị: Trung tâm Y tế huyện Bảo Xuân"], []])})
    rep = consolidate_json(capsys, tmp_path, master, folder, expect_code=0)
    assert rep["year"] == 2024  # from the master's config sheet
    assert rep["by_unit"]["Bệnh viện Đa khoa tỉnh"]["LDTT"] == {"tap_the": 0, "ca_nhan": 2}
    assert rep["by_unit"]["Trung tâm Y tế huyện Bảo Xuân"]["TTLDTT"]["tap_the"] == 1
    assert rep["totals"]["LDTT"]["ca_nhan"] == 2
    assert rep["files"] == 3


def test_split_fill_like_a_unit_then_consolidate(tmp_path, capsys):
    units = tmp_path / "don-vi.csv"
    units.write_text("Mã đơn vị,Tên đơn vị,Email\nCDC,Trung tâm Kiểm soát bệnh tật,cdc@example.vn\n"
                     "BVSN,Bệnh viện Sản Nhi,sn@example.vn\n", encoding="utf-8")
    master = tmp_path / "ThiDua.xlsx"
    assert run_cli(capsys, "init", master, "--year", 2023, "--units", units)[0] == 0
    out = tmp_path / "tach"
    code, so, se = run_cli(capsys, "split", master, "--out", out)
    assert code == 0, se
    assert sorted(p.name for p in out.glob("*.xlsx")) == ["BVSN.xlsx", "CDC.xlsx"]
    # the unit fills its file with openpyxl under the header the tool wrote
    import openpyxl

    wb = openpyxl.load_workbook(out / "CDC.xlsx")
    ws = next(ws for ws in wb.worksheets if ws.sheet_state == "visible"
              and any(str(c.value or "").strip() == "Họ và tên" for row in ws.iter_rows(max_row=30) for c in row))
    hdr_row = next(r for r in range(1, 31) if any(str(ws.cell(r, c).value or "").strip() == "Họ và tên"
                                                  for c in range(1, 20)))
    cols = {str(ws.cell(hdr_row, c).value or "").strip(): c for c in range(1, 30)}
    people = [("Nguyễn Văn An", "12/03/1980", "LĐTT"), ("Trần Thị Bình", "1975", "Lao động tiên tiến"),
              ("Khoa Xét nghiệm", None, "TTLĐTT")]
    for i, (name, dob, award) in enumerate(people, start=1):
        r = hdr_row + i
        ws.cell(r, cols["Họ và tên"], name)
        if dob:
            ws.cell(r, cols["Ngày sinh"], dob)
        ws.cell(r, cols["Hình thức đề nghị"], award)
    wb.save(out / "CDC.xlsx")
    rep = consolidate_json(capsys, tmp_path, out, expect_code=0)
    assert rep["year"] == 2023  # written by the tool into the unit file
    assert rep["by_unit"]["Trung tâm Kiểm soát bệnh tật"]["LDTT"]["ca_nhan"] == 2
    assert rep["by_unit"]["Trung tâm Kiểm soát bệnh tật"]["TTLDTT"]["tap_the"] == 1
    assert rep["totals"]["LDTT"] == {"tap_the": 0, "ca_nhan": 2}


def test_subject_rules_of_the_doi_tuong_column(tmp_path, capsys):
    hdr = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Hình thức đề nghị", "Đối tượng"]
    rows = [
        {"ten": "Khoa Nội", "ht": "Giấy khen"},                                   # 3: both, no dob/sex -> tập thể
        {"ten": "Nguyễn Văn An", "ns": "01/01/1980", "ht": "Giấy khen"},          # 4: dob -> cá nhân
        {"ten": "Trần Thị Bình", "gt": "Nữ", "ht": "Giấy khen"},                  # 5: gender only -> cá nhân
        {"ten": "Lê Văn Cường", "ht": "Giấy khen", "dt": "Cá nhân"},              # 6: stated -> cá nhân
        {"ten": "Phòng Tổ chức", "ht": "BK UBND tỉnh", "dt": "tập thể"},          # 7: stated -> tập thể
        {"ten": "Khoa Ngoại", "ns": "02/02/1980", "ht": "TTLĐTT"},                # 8: collective award + dob -> mismatch
        {"ten": "Phạm Văn Dũng", "ns": "03/03/1981", "ht": "LĐTT", "dt": "Tập thể"},  # 9: stated, not allowed
        {"ten": "Khoa Dược", "ht": "TTLĐTT", "dt": "Cá nhân"},                    # 10: stated, not allowed
        {"ten": "Khoa Sản", "gt": "Nam", "ht": "Cờ thi đua UBND tỉnh"},           # 11: collective award + gender
        {"ten": "Hoàng Thị Em", "ns": "04/04/1982", "ht": "LĐTT", "dt": "Cá nhân"},   # 12: fine
    ]
    hdr_map = {"STT": "stt", "Họ và tên": "ten", "Ngày sinh": "ns", "Giới tính": "gt",
               "Hình thức đề nghị": "ht", "Đối tượng": "dt"}
    body = [[None, "Đơn vị: Bệnh viện Y học cổ truyền"], hdr] + [[r.get(hdr_map[h]) for h in hdr] for r in rows]
    path = write_openpyxl(tmp_path / "YHCT.xlsx", {"Đề nghị": body})
    _, v = validate_json(capsys, tmp_path, path, year=2024)
    mism = sorted(f["row"] for f in findings_of(v, "SUBJECT_MISMATCH"))
    assert mism == [8, 9, 10, 11], v["findings"]
    for f in findings_of(v, "SUBJECT_MISMATCH"):
        assert f["file"] == "YHCT.xlsx" and f["sheet"] == "Đề nghị"
        assert f["unit"] == "Bệnh viện Y học cổ truyền"
    rep = consolidate_json(capsys, tmp_path, path, year=2024, expect_code=0)
    assert rep["totals"]["GK"] == {"tap_the": 1, "ca_nhan": 3}
    assert rep["totals"]["BK_TINH"] == {"tap_the": 1, "ca_nhan": 0}


def test_initiatives_table_counted_by_loai_and_cap(tmp_path, capsys):
    noms = table(HEADER, [{"ten": "Nguyễn Văn An", "ns": "01/01/1980", "ht": "LĐTT"}], [["Đơn vị: Bệnh viện Sản Nhi"]])
    inits = [["DANH SÁCH SÁNG KIẾN, ĐỀ TÀI NĂM 2024"], [],
             ["STT", "Tên sáng kiến, đề tài", "Loại", "Cấp công nhận", "Tác giả", "Năm"],
             [1, "Cải tiến quy trình tiếp đón", "Sáng kiến", "Cơ sở", "Nguyễn Văn An; Lê Thị Hoa", 2024],
             [2, "Giảm thời gian chờ", "sáng kiến", "cơ sở", "Trần Văn Bình", "2024"],
             [3, "Ứng dụng CNTT trong kê đơn", "Sáng kiến", "Tỉnh", "Phạm Thị Cúc", 2024],
             [4, "Đánh giá kháng sinh", "Đề tài", "Cơ sở", "Hoàng Văn Dũng, Vũ Thị Em", 2024],
             [5, "Mô hình bệnh tật", nfd("Đề tài"), "Bộ", "Đặng Văn Giang", 2024],
             [6, "Chuyển đổi số", "Đề tài", "Toàn quốc", "Ngô Thị Hà", 2024]]
    path = write_xlsxwriter(tmp_path / "BVSN.xlsx", {"Đề nghị": noms, "Sáng kiến": inits})
    rep = consolidate_json(capsys, tmp_path, path, year=2024, expect_code=0)
    ini = {k: {c: n for c, n in d.items() if n} for k, d in rep["initiatives"].items()}
    assert ini == {"sang_kien": {"co_so": 2, "tinh": 1}, "de_tai": {"co_so": 1, "bo": 1, "toan_quoc": 1}}


def test_year_defaults(tmp_path, capsys):
    """--year: the master's config, else the unit file's title rows, else the current year minus one."""
    t = tmp_path / "a"
    t.mkdir()
    path = write_openpyxl(t / "TTYT.xlsx", {"S": table(HEADER, [{"ten": "Nguyễn Văn An", "ns": 1980, "ht": "LĐTT"}],
                                                         [["Đơn vị: TTYT"], ["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2022"]])})
    assert consolidate_json(capsys, tmp_path, path)["year"] == 2022
    assert consolidate_json(capsys, tmp_path, path, year=2021)["year"] == 2021
    _, v = validate_json(capsys, tmp_path, path)
    assert v["year"] == 2022
    bare = write_openpyxl(t / "BV.xlsx", {"S": table(HEADER, [{"ten": "Nguyễn Văn An", "ns": 1980, "ht": "LĐTT"}])})
    assert consolidate_json(capsys, tmp_path, bare)["year"] == dt.date.today().year - 1
    master = tmp_path / "ThiDua.xlsx"
    assert run_cli(capsys, "init", master, "--year", 2019)[0] == 0
    assert consolidate_json(capsys, tmp_path, master, path)["year"] == 2019


def test_master_identifies_unit_files_whatever_the_order(tmp_path, capsys):
    """A folder holding the master and the returned files (the master sorts after them by name),
    or the folder named before the master: the file-name rule still uses the master's unit codes."""
    units = tmp_path / "dv.csv"
    units.write_text("Mã đơn vị,Tên đơn vị,Email\nBVDK,Bệnh viện Đa khoa tỉnh,a@example.vn\n", encoding="utf-8")
    folder = tmp_path / "nam-2024"
    folder.mkdir()
    master = folder / "ThiDua.xlsx"
    assert run_cli(capsys, "init", master, "--year", 2024, "--units", units)[0] == 0
    write_openpyxl(folder / "BVDK.xlsx", {"Sheet1": table(HEADER, [
        {"ten": "Nguyễn Văn An", "ns": "01/02/1980", "ht": "LĐTT"}])})
    rep = consolidate_json(capsys, tmp_path, folder, expect_code=0)
    assert list(rep["by_unit"]) == ["Bệnh viện Đa khoa tỉnh"]
    assert rep["year"] == 2024 and rep["files"] == 2
    other = tmp_path / "gui-ve"
    other.mkdir()
    (folder / "BVDK.xlsx").rename(other / "BVDK.xlsx")
    rep = consolidate_json(capsys, tmp_path, other, master, expect_code=0)
    assert list(rep["by_unit"]) == ["Bệnh viện Đa khoa tỉnh"]


@pytest.mark.parametrize("numbers", [["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"], [1, 2, 3, 4, 5, 6],
                                     ["1", "2", "3", "4", "5", "6"]])
def test_row_of_column_numbers_under_the_header_is_not_a_nominee(tmp_path, capsys, numbers):
    """Official forms number their columns under the header; that row is no nominee (no false errors)."""
    rows = [["Đơn vị: Bệnh viện A"], ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Hình thức đề nghị", "Ghi chú"],
            numbers, ["I", "TẬP THỂ"], [1, "Khoa Nội", None, None, "Giấy khen"],
            ["II", "CÁ NHÂN"], [1, "Lê Văn Có", "1980", "Nam", "Giấy khen"], [2, "Lê Văn Hai", "1981", "Nam", "LĐTT"]]
    path = write_openpyxl(tmp_path / "A.xlsx", {"S": rows})
    rep = consolidate_json(capsys, tmp_path, path, year=2024, expect_code=0)
    assert rep["rows"] == 3
    assert rep["totals"]["GK"] == {"tap_the": 1, "ca_nhan": 1}
    _, v = validate_json(capsys, tmp_path, path, year=2024)
    assert [f for f in v["findings"] if f["row"] == 3] == []


def test_totals_row_in_whatever_column_comes_first(tmp_path, capsys):
    """Columns in any order: with the award column first, 'Tổng cộng' is typed under it; still no nominee."""
    path = write_xlsxwriter(tmp_path / "tu-lam.xlsx", {"DS": [
        ["SỞ Y TẾ"], ["Đơn vị: Trung tâm Kiểm soát bệnh tật"], [],
        ["Danh hiệu đề nghị", "Họ tên", "Năm sinh"], ["(1)", "(2)", "(3)"],
        ["LĐTT", "Vũ Văn Một", 1980], ["Giấy khen", "Khoa Xét nghiệm", None], ["Tổng cộng", None, None],
        ["Cộng: 2", None, None]]})
    rep = consolidate_json(capsys, tmp_path, path, year=2024, expect_code=0)
    assert rep["rows"] == 2
    _, v = validate_json(capsys, tmp_path, path, year=2024)
    assert [f for f in v["findings"] if f["row"] is not None and f["row"] >= 8] == []
