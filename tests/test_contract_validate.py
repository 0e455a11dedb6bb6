"""Acceptance (black-box) tests of docs/interface.md §4 and §6: `thidua validate --json` on crafted unit
files, every finding code pointed at its file, sheet and Excel row; the history register.
"""
from __future__ import annotations

import datetime as dt
import sqlite3

import openpyxl
import pytest
from openpyxl.styles import Font

from contract_helpers import consolidate_json, findings_of, nfd, run_cli, validate_json, write_openpyxl, write_xlsxwriter

YEAR = 2023
HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ", "Khoa, phòng", "Hình thức đề nghị",
          "Sáng kiến", "Ghi chú"]
FINDING_KEYS = {"file", "sheet", "row", "column", "unit", "code", "severity", "message", "rule", "legal_basis"}


def _person(name, dob, award, sex="Nam", sk=None):
    return [None, name, dob, sex, "Bác sĩ", "Khoa Nội", award, sk, None]


def _unit_file(path, unit, entries, title_year=YEAR, legacy_rows=()):
    """Title rows, header on row 4, then `entries` (label, row) from row 5; returns label -> Excel row."""
    rows = [["SỞ Y TẾ TỈNH LÀO CAI"], [f"Đơn vị: {unit}"], [f"DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM {title_year}"],
            HEADER]
    where = {}
    for label, row in entries:
        rows.append(row)
        if label:
            where.setdefault(label, []).append(len(rows))
    write_openpyxl(path, {"Đề nghị": rows})
    if legacy_rows:  # the way old files look: the text typed with a TCVN3 font
        wb = openpyxl.load_workbook(path)
        ws = wb["Đề nghị"]
        for r in legacy_rows:
            for c in range(1, len(HEADER) + 1):
                ws.cell(r, c).font = Font(name=".VnTime")
        wb.save(path)
    return where


def _clean_people(prefix, n, award="LĐTT"):
    return [("clean", _person(f"{prefix} Văn Người{i}", f"{i + 1:02d}/03/1980", award)) for i in range(n)]


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """A folder of unit files with one planted mistake of each kind, and where each one lies."""
    folder = tmp_path_factory.mktemp("gui-ve")
    entries = [
        (None, ["II. CÁ NHÂN"]),
        *_clean_people("Lò", 10),
        ("csdcs_ok", _person("Lò Văn Người0", "01/03/1980", "CSTĐCS", sk="Cải tiến quy trình tiếp đón")),
        ("missing_name", [None, None, "01/01/1985", "Nữ", None, None, "LĐTT", None, None]),
        ("missing_award", _person("Mai Văn Thiếu", "02/02/1986", None)),
        ("bad_date", _person("Hà Văn Sai", "31/02/1980", "LĐTT")),
        ("future_date", _person("Hà Văn Tương", "01/01/2090", "LĐTT")),
        ("unknown", _person("Đỗ Văn Lạ", "03/03/1981", "Bằng khen Chủ tịch xã")),
        ("dup1", _person("Nguyễn Văn An", "13/02/1980", "LĐTT")),
        ("dup2", _person(nfd("nguyễn  văn AN "), dt.date(1980, 2, 13), "lđtt")),
        ("namesake", _person("Nguyễn Văn An", "14/02/1980", "LĐTT")),
        ("cross1", _person("Trần Thị Bình", 1975, "Giấy khen", sex="Nữ")),
        ("no_ldtt", _person("Vi Văn Chưa", "04/04/1982", "CSTĐCS")),
        ("legacy", _person("NguyÔn V¨n T©m", "05/05/1983", "LĐTT")),
    ]
    legacy_row = 5 + [label for label, _ in entries].index("legacy")
    a = _unit_file(folder / "BVDK.xlsx", "Bệnh viện Đa khoa tỉnh", entries, legacy_rows=[legacy_row])
    # another tool, another unit: the same woman with her full date of birth, and a quota overrun
    b_rows = [["TRUNG TÂM Y TẾ HUYỆN BẢO XUÂN"], ["Đơn vị: Trung tâm Y tế huyện Bảo Xuân"], [],
              ["Hình thức khen thưởng", "Họ tên", "Năm sinh", "Nam/Nữ", "Sáng kiến, đề tài"]]
    b = {}
    for i in range(2):
        b_rows.append(["LĐTT", f"Sầm Văn Quá{i}", f"0{i + 1}/06/1979", "Nam", None])
        b_rows.append(["CSTĐCS", f"Sầm Văn Quá{i}", f"0{i + 1}/06/1979", "Nam", f"Sáng kiến số {i}"])
    b_rows.append(["GK", "trần thị bình", "05/06/1975", "Nữ", None])
    b["cross2"] = [len(b_rows)]
    write_xlsxwriter(folder / "TTYT_BX.xlsx", {"DS đề nghị": b_rows})
    (folder / "HONG.xlsx").write_bytes(b"\x00\x01 not a workbook at all \xff" * 40)
    return folder, a, b


@pytest.fixture(scope="module")
def planted_report(planted, tmp_path_factory):
    import json
    from thidua_xl.cli import main

    folder, a, b = planted
    out = tmp_path_factory.mktemp("kq") / "kiem-tra.json"
    code = main(["validate", str(folder), "--json", str(out)])
    return code, json.loads(out.read_text(encoding="utf-8"))


def test_json_shape_counts_and_exit_code(planted_report):
    code, rep = planted_report
    assert code == 1  # errors found
    assert set(rep) >= {"year", "findings", "counts"}
    assert rep["year"] == YEAR  # from the unit files' title rows
    for f in rep["findings"]:
        assert set(f) >= FINDING_KEYS, f
        assert f["severity"] in ("error", "warning", "info")
        assert isinstance(f["message"], str) and f["message"]
        assert f["row"] is None or (isinstance(f["row"], int) and f["row"] >= 1)
    assert rep["counts"]["error"] == sum(f["severity"] == "error" for f in rep["findings"])
    assert rep["counts"]["warning"] == sum(f["severity"] == "warning" for f in rep["findings"])


@pytest.mark.parametrize("label, code", [
    ("missing_name", "MISSING_FIELD"), ("missing_award", "MISSING_FIELD"), ("bad_date", "BAD_DATE"),
    ("future_date", "BAD_DATE"), ("unknown", "UNKNOWN_AWARD"), ("dup2", "DUPLICATE"),
    ("no_ldtt", "CRITERIA_NOT_MET"), ("legacy", "LEGACY_ENCODING"),
])
def test_each_planted_mistake_is_found_at_its_cell(planted, planted_report, label, code):
    _, a, _ = planted
    _, rep = planted_report
    row = a[label][0]
    hits = findings_of(rep, code, file="BVDK.xlsx", row=row)
    assert hits, f"{code} expected at BVDK.xlsx row {row}; got " + str(
        [(f["code"], f["row"]) for f in rep["findings"] if f["file"] == "BVDK.xlsx"])
    for f in hits:
        assert f["sheet"] == "Đề nghị"
        assert f["unit"] == "Bệnh viện Đa khoa tỉnh"
        if code != "LEGACY_ENCODING":
            assert f["severity"] == "error", f


def test_unknown_award_suggests_and_legacy_text_is_converted(planted, planted_report):
    _, a, _ = planted
    _, rep = planted_report
    legacy = findings_of(rep, "LEGACY_ENCODING", row=a["legacy"][0])
    assert any("Nguyễn Văn Tâm" in f["message"] for f in legacy), legacy


def test_duplicates_by_person_key(planted, planted_report):
    _, a, b = planted
    _, rep = planted_report
    dups = findings_of(rep, "DUPLICATE")
    where = {(f["file"], f["row"]) for f in dups}
    # same unit: NFD, case and spacing do not make a different person
    assert ("BVDK.xlsx", a["dup2"][0]) in where or ("BVDK.xlsx", a["dup1"][0]) in where
    # a namesake with another date of birth is another person
    assert ("BVDK.xlsx", a["namesake"][0]) not in where
    # across units: a year alone matches the full date of that year
    assert ("TTYT_BX.xlsx", b["cross2"][0]) in where or ("BVDK.xlsx", a["cross1"][0]) in where
    assert all(f["severity"] == "error" for f in dups)
    assert {r for f, r in where} <= {a["dup1"][0], a["dup2"][0], a["cross1"][0], b["cross2"][0]}


def test_quota_is_unit_level_and_bad_file_has_no_row(planted_report):
    _, rep = planted_report
    quota = findings_of(rep, "QUOTA_EXCEEDED")
    assert quota, "2 CSTĐCS over 2 LĐTT is above 15 %"
    assert all(f["row"] is None for f in quota)
    assert {f["unit"] for f in quota} == {"Trung tâm Y tế huyện Bảo Xuân"}
    bad = findings_of(rep, "BAD_FILE")
    assert [(f["file"], f["row"], f["severity"]) for f in bad] == [("HONG.xlsx", None, "error")]


def test_clean_rows_get_no_error(planted, planted_report):
    _, a, _ = planted
    _, rep = planted_report
    clean_rows = set(a["clean"]) | set(a["csdcs_ok"]) | set(a["namesake"])
    errors = [f for f in rep["findings"] if f["file"] == "BVDK.xlsx" and f["row"] in clean_rows
              and f["severity"] == "error"]
    assert errors == []


def test_clean_file_exits_zero_and_validate_prints_summary(tmp_path, capsys):
    rows = [["Đơn vị: Bệnh viện Sản Nhi"], ["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2023"], HEADER,
            ["I.", "TẬP THỂ"], [1, "Khoa Sản", None, None, None, None, "TTLĐTT", None, None],
            ["II.", "CÁ NHÂN"]]
    rows += [_person(f"Lê Thị Hoa{i}", f"{i + 1:02d}/07/1985", "LĐTT", sex="Nữ") for i in range(5)]
    path = write_openpyxl(tmp_path / "BVSN.xlsx", {"Đề nghị": rows})
    code, rep = validate_json(capsys, tmp_path, path)
    assert code == 0, rep["findings"]
    assert rep["counts"]["error"] == 0
    assert consolidate_json(capsys, tmp_path, path)["rows"] == 6  # clean because read, not because empty
    code, out, err = run_cli(capsys, "validate", path)
    assert code == 0 and "Traceback" not in out + err
    assert "2023" in out


def _history_csv(path, rows):
    lines = ["Họ và tên,Ngày sinh,Đơn vị,Năm,Hình thức,Số quyết định"]
    lines += [",".join(map(str, r)) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _db_rows(db):
    con = sqlite3.connect(db)
    try:
        tables = [t for (t,) in con.execute("select name from sqlite_master where type='table'")
                  if "log" not in t.lower()]  # an import log may record each run; the records may not grow
        return {t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def test_history_import_twice_and_three_year_streak(tmp_path, capsys):
    unit = "Bệnh viện Đa khoa tỉnh"
    hist = _history_csv(tmp_path / "lich-su.csv", [
        *[("Phan Văn Đủ", "10/10/1975", unit, y, "CSTĐCS", f"{y}/QĐ-SYT") for y in (2021, 2022)],
        ("Phan Văn Thiếu", "11/11/1976", unit, 2022, "Chiến sĩ thi đua cơ sở", "12/QĐ-SYT"),
        ("Phan Văn Đủ", "10/10/1975", unit, 2020, "LĐTT", "1/QĐ-SYT"),
    ])
    db = tmp_path / "lich-su.sqlite"
    code, out, err = run_cli(capsys, "history", "import", hist, "--history", db)
    assert code == 0, err
    first = _db_rows(db)
    code, out, err = run_cli(capsys, "history", "import", hist, "--history", db)
    assert code == 0, err
    assert _db_rows(db) == first  # importing the same file twice adds nothing
    # an .xlsx import of the same facts with other headers adds nothing either
    x = write_openpyxl(tmp_path / "lich-su.xlsx", {"LS": [["Lịch sử khen thưởng"], [],
                                                         ["Họ tên", "Năm sinh", "Đơn vị", "Năm", "Danh hiệu"],
                                                         ["PHAN VĂN ĐỦ", "10/10/1975", unit, 2021, "CSTĐ cơ sở"]]})
    assert run_cli(capsys, "history", "import", x, "--history", db)[0] == 0
    assert _db_rows(db) == first

    rows = [["Đơn vị: " + unit], ["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2023"], HEADER]
    for name, dob in (("Phan Văn Đủ", "10/10/1975"), ("Phan Văn Thiếu", "11/11/1976")):
        rows.append(_person(name, dob, "LĐTT"))
        rows.append(_person(name, dob, "CSTĐCS", sk="Sáng kiến cấp tỉnh về kê đơn"))
        rows.append(_person(name, dob, "CSTĐ cấp tỉnh", sk="Sáng kiến cấp tỉnh về kê đơn"))
    rows += [_person(f"Lò Văn Thêm{i}", f"{i + 1:02d}/01/1990", "LĐTT") for i in range(20)]
    inits = [["Tên sáng kiến, đề tài", "Loại", "Cấp công nhận", "Tác giả", "Năm"],
             ["Sáng kiến cấp tỉnh về kê đơn", "Sáng kiến", "Tỉnh", "Phan Văn Đủ; Phan Văn Thiếu", 2023]]
    path = write_openpyxl(tmp_path / "BVDK.xlsx", {"Đề nghị": rows, "Sáng kiến": inits})
    du_row, thieu_row = 6, 9  # Excel rows of the two CSTĐ cấp tỉnh nominations
    _, rep = validate_json(capsys, tmp_path, path, extra=["--history", db])
    crit = {f["row"] for f in findings_of(rep, "CRITERIA_NOT_MET") if f["severity"] == "error"}
    assert thieu_row in crit, rep["findings"]
    assert du_row not in crit
    # without the register the streak cannot be checked: a warning, never a false error
    _, rep = validate_json(capsys, tmp_path, path)
    assert not [f for f in rep["findings"] if f["row"] in (du_row, thieu_row) and f["severity"] == "error"
                and f["code"] == "CRITERIA_NOT_MET"]
    assert [f for f in rep["findings"] if f["row"] in (du_row, thieu_row) and f["severity"] == "warning"]


def test_master_rows_point_at_the_unit_sheet_of_the_master(tmp_path, capsys):
    units = tmp_path / "dv.csv"
    # as Excel saves "CSV UTF-8": a byte-order mark and CRLF
    units.write_bytes("\ufeffMã đơn vị,Tên đơn vị,Email\r\nBVDK,Bệnh viện Đa khoa tỉnh,a@example.vn\r\n"
                      "CDC,Trung tâm Kiểm soát bệnh tật,b@example.vn\r\n".encode("utf-8"))
    master = tmp_path / "ThiDua.xlsx"
    assert run_cli(capsys, "init", master, "--year", 2023, "--units", units)[0] == 0
    wb = openpyxl.load_workbook(master)
    assert {"Bệnh viện Đa khoa tỉnh", "Trung tâm Kiểm soát bệnh tật"} <= set(wb.sheetnames)

    def put(ws, row, name, dob, award):
        hdr = next(r for r in range(1, 30) if ws.cell(r, 2).value == "Họ và tên" or
                   any(ws.cell(r, c).value == "Họ và tên" for c in range(1, 15)))
        cols = {ws.cell(hdr, c).value: c for c in range(1, 30) if ws.cell(hdr, c).value}
        ws.cell(row, cols["Họ và tên"], name)
        ws.cell(row, cols["Ngày sinh"], dob)
        ws.cell(row, cols["Hình thức đề nghị"], award)

    a, c = wb["Bệnh viện Đa khoa tỉnh"], wb["Trung tâm Kiểm soát bệnh tật"]
    put(a, 8, "Nguyễn Văn An", dt.datetime(1980, 2, 13), "LĐTT")
    put(a, 9, "Nguyễn Văn An", "13/02/1980", "Lao động tiên tiến")
    put(a, 11, None, "01/01/1990", "LĐTT")
    put(c, 10, "nguyễn văn an", 1980, "lđtt")
    wb.save(master)
    _, rep = validate_json(capsys, tmp_path, master, expect_code=1)
    assert rep["year"] == 2023
    got = {(f["code"], f["sheet"], f["row"]) for f in rep["findings"] if f["severity"] == "error"}
    assert ("MISSING_FIELD", "Bệnh viện Đa khoa tỉnh", 11) in got
    assert {("DUPLICATE", "Bệnh viện Đa khoa tỉnh", 9), ("DUPLICATE", "Trung tâm Kiểm soát bệnh tật", 10)} & got
    assert all(f["file"] == "ThiDua.xlsx" for f in rep["findings"])


def test_legacy_text_recognised_without_its_font(tmp_path, capsys):
    path = write_openpyxl(tmp_path / "cu.xlsx", {"S": [
        ["Đơn vị: Bệnh viện A"], ["STT", "Họ và tên", "Ngày sinh", "Hình thức đề nghị"],
        [1, "Nguyeãn Vaên Taâm", "01/01/1980", "LĐTT"],                  # VNI
        [2, "NguyÔn ThÞ Thu Hµ", "02/02/1981", "Lao ®éng tiªn tiÕn"]]})  # TCVN3
    _, rep = validate_json(capsys, tmp_path, path, year=2024)
    leg = findings_of(rep, "LEGACY_ENCODING")
    assert any(f["row"] == 3 and "Nguyễn Văn Tâm" in f["message"] for f in leg)
    assert any(f["row"] == 4 and "Nguyễn Thị Thu Hà" in f["message"] for f in leg)
    # the converted text is used downstream: the TCVN3 award is counted as LĐTT
    assert findings_of(rep, "UNKNOWN_AWARD") == []
