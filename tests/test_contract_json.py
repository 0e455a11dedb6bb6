"""Acceptance (black-box) tests of the JSON outputs (§4, §5) beyond the basics: stability, the
`--out` workbook against the JSON, unaccented award text, tone-placement variants in person keys,
several nomination sheets in one file, inputs never modified, history archive run twice.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import unicodedata

import openpyxl

from contract_helpers import consolidate_json, findings_of, run_cli, validate_json, write_openpyxl, write_xlsxwriter

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Hình thức đề nghị"]


def _strip(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))


def test_award_text_typed_without_diacritics(tmp_path, capsys):
    """Staff without a Vietnamese keyboard type 'Giay khen', 'Bang khen UBND tinh', 'CSTD co so'."""
    typed = {"Lao động tiên tiến": "LDTT", "Chiến sĩ thi đua cơ sở": "CSTDCS", "CSTĐ cơ sở": "CSTDCS",
             "Giấy khen": "GK", "Bằng khen UBND tỉnh": "BK_TINH", "Bằng khen Bộ Y tế": "BK_BO",
             "Huân chương Lao động hạng Ba": "HCLD3", "Chiến sĩ thi đua cấp tỉnh": "CSTD_TINH",
             "Kỷ niệm chương": "KNC", "Thầy thuốc Ưu tú": "TTUT"}
    rows = [["Đơn vị: TTYT huyện Bảo Xuân"], HEADER]
    for i, text in enumerate(typed):
        rows.append([i + 1, f"Lý Văn Người{i}", f"{i + 1:02d}/01/1970", "Nam", _strip(text)])
    path = write_openpyxl(tmp_path / "BX.xlsx", {"DS": rows})
    rep = consolidate_json(capsys, tmp_path, path, year=2024, expect_code=0)
    expected = {}
    for code in typed.values():
        expected[code] = expected.get(code, 0) + 1
    got = {c: d["ca_nhan"] for c, d in rep["totals"].items() if d.get("ca_nhan")}
    assert got == expected


def test_tone_placement_and_namesakes_in_the_person_key(tmp_path, capsys):
    rows = [["Đơn vị: Bệnh viện Sản Nhi"], HEADER,
            [1, "Nguyễn Thị Hoà", "01/02/1990", "Nữ", "Giấy khen"],
            [2, "Nguyễn Thị Hòa", "01/02/1990", "Nữ", "Giấy khen"],       # same person, new tone placement
            [3, "Lê Thị Thuý", "1988", "Nữ", "Giấy khen"],
            [4, "LÊ THỊ THÚY", "03/04/1988", "Nữ", "GK"],                  # year alone vs full date
            [5, "Trần Văn Nam", "01/01/1980", "Nam", "Giấy khen"],
            [6, "Trần Văn Nam", "02/01/1980", "Nam", "Giấy khen"],        # namesake, another person
            [7, "Phạm Văn Khác", "05/05/1985", "Nam", "Giấy khen"],
            [8, "Phạm Văn Khác", "05/05/1985", "Nam", "LĐTT"]]             # same person, other award
    path = write_openpyxl(tmp_path / "BVSN.xlsx", {"Đề nghị": rows})
    _, rep = validate_json(capsys, tmp_path, path, year=2024)
    rows_dup = {f["row"] for f in findings_of(rep, "DUPLICATE")}
    assert rows_dup & {3, 4} and rows_dup & {5, 6}, rep["findings"]
    assert not rows_dup & {7, 8, 9, 10}


def test_several_nomination_sheets_in_one_unit_file(tmp_path, capsys):
    path = write_xlsxwriter(tmp_path / "CDC.xlsx", {
        "Tập thể": [["Đơn vị: Trung tâm Kiểm soát bệnh tật"], ["TT", "Tên tập thể", "Danh hiệu đề nghị"],
                    [1, "Khoa Xét nghiệm", "TTLĐTT"], [2, "Khoa Dược", "Giấy khen"]],
        "Cá nhân": [["Đơn vị: Trung tâm Kiểm soát bệnh tật"], ["TT", "Họ và tên", "Năm sinh", "Danh hiệu đề nghị"],
                    [1, "Vũ Văn Một", 1980, "LĐTT"], [2, "Vũ Văn Hai", 1981, "LĐTT"]],
    })
    rep = consolidate_json(capsys, tmp_path, path, year=2024, expect_code=0)
    assert rep["rows"] == 4
    assert rep["totals"]["TTLDTT"] == {"tap_the": 1, "ca_nhan": 0}
    assert rep["totals"]["GK"]["tap_the"] == 1
    assert rep["totals"]["LDTT"]["ca_nhan"] == 2
    _, v = validate_json(capsys, tmp_path, path, year=2024)
    assert all(f["sheet"] in ("Tập thể", "Cá nhân") for f in v["findings"] if f["row"] is not None)


def _sha(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.suffix == ".xlsx"}  # the audit log may be appended beside the inputs


def test_outputs_stable_inputs_untouched_and_out_workbook_matches_json(tmp_path, capsys):
    src = tmp_path / "vao"
    src.mkdir()
    write_openpyxl(src / "A.xlsx", {"S": [["Đơn vị: Bệnh viện A"], HEADER] + [
        [i, f"Hồ Văn Số{i}", f"{i:02d}/08/1979", "Nam", "LĐTT"] for i in range(1, 12)] + [
        [12, "Khoa Khám bệnh", None, None, "Giấy khen"], [13, "Hồ Văn Số1", "01/08/1979", "Nam", "LĐTT"]]})
    write_xlsxwriter(src / "B.xlsx", {"S": [["Đơn vị: Bệnh viện B"], HEADER,
                                            [1, "Khoa Nhi", None, None, "TTLĐTT"],
                                            [2, "Đào Thị Một", "1990", "Nữ", "Bằng khen UBND tỉnh"]]})
    before = _sha(src)
    j1 = consolidate_json(capsys, tmp_path, src, year=2024, expect_code=0)
    j2 = consolidate_json(capsys, tmp_path, src, year=2024, expect_code=0)
    assert j1 == j2
    v1 = tmp_path / "v1.json"
    v2 = tmp_path / "v2.json"
    run_cli(capsys, "validate", src, "--json", v1, "--year", 2024)
    run_cli(capsys, "validate", src, "--json", v2, "--year", 2024)
    assert v1.read_bytes() == v2.read_bytes()
    xl = tmp_path / "tong-hop.xlsx"
    code, out, err = run_cli(capsys, "consolidate", src, "--out", xl, "--year", 2024)
    assert code == 0, err
    run_cli(capsys, "report", src, "--out", tmp_path / "vb", "--year", 2024)
    assert _sha(src) == before  # no command modifies an input
    # every row with a recognised award is counted once, even the duplicate one
    assert j1["rows"] == 15
    assert j1["totals"]["LDTT"]["ca_nhan"] == 12
    assert j1["by_unit"]["Bệnh viện A"]["LDTT"]["ca_nhan"] == 12
    assert j1["by_unit"]["Bệnh viện B"]["BK_TINH"] == {"tap_the": 0, "ca_nhan": 1}
    assert j1["files"] == 2
    wb = openpyxl.load_workbook(xl, read_only=True)
    assert "Tổng hợp" in wb.sheetnames
    grid = [list(r) for r in wb["Tổng hợp"].iter_rows(values_only=True)]
    wb.close()
    hdr = next(i for i, r in enumerate(grid) if "Lao động tiên tiến" in r)
    col = grid[hdr].index("Lao động tiên tiến")
    by_name = {r[1]: r for r in grid[hdr + 1:] if len(r) > 1 and isinstance(r[1], str)}
    assert by_name["Bệnh viện A"][col] == 12
    assert not by_name.get("Bệnh viện B") or by_name["Bệnh viện B"][col] in (0, None)


def test_history_archive_twice_adds_nothing(tmp_path, capsys):
    path = write_openpyxl(tmp_path / "A.xlsx", {"S": [["Đơn vị: Bệnh viện A"], HEADER] + [
        [i, f"Hồ Văn Số{i}", f"{i:02d}/08/1979", "Nam", "LĐTT"] for i in range(1, 6)]})
    db = tmp_path / "ls.sqlite"
    assert run_cli(capsys, "history", "archive", path, "--year", 2024, "--history", db)[0] == 0

    def count():
        con = sqlite3.connect(db)
        try:
            names = [t for (t,) in con.execute("select name from sqlite_master where type='table'")
                     if "log" not in t.lower()]
            return {t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in names}
        finally:
            con.close()

    first = count()
    assert max(first.values()) >= 5
    assert run_cli(capsys, "history", "archive", path, "--year", 2024, "--history", db)[0] == 0
    assert count() == first
    # default register: thidua-history.sqlite beside the input
    assert run_cli(capsys, "history", "archive", path, "--year", 2024)[0] == 0
    assert (tmp_path / "thidua-history.sqlite").is_file()


def test_dates_in_other_common_shapes(tmp_path, capsys):
    """Beyond the list of docs/interface.md §2: '3/2/1980' (no padding) and a datetime with time are dates too."""
    rows = [["Đơn vị: Bệnh viện A"], HEADER,
            [1, "Ông Văn Một", "3/2/1980", "Nam", "LĐTT"],
            [2, "Ông Văn Hai", dt.datetime(1981, 2, 3, 0, 0), "Nam", "LĐTT"],
            [3, "Ông Văn Ba", "03/02/1980", "Nam", "Giấy khen"],
            [4, "Ông Văn Một", "03/02/1980", "Nam", "LĐTT"]]
    path = write_openpyxl(tmp_path / "A.xlsx", {"S": rows})
    _, rep = validate_json(capsys, tmp_path, path, year=2024)
    assert findings_of(rep, "BAD_DATE") == []
    assert {f["row"] for f in findings_of(rep, "DUPLICATE")} & {3, 6}
