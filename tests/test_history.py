"""The awards register: imports and archives stored once, queried by person and year,
and used by the history rules of validation."""
from __future__ import annotations

import json

import pytest
from validate_helpers import FIRST_ROW, ldtt_rows, person, write_table, write_unit

from thidua_xl import history
from thidua_xl.cli import main
from thidua_xl.errors import UserError
from thidua_xl.intake import read_paths
from thidua_xl.validate import validate

HEAD = ["Họ và tên", "Ngày sinh", "Đơn vị", "Năm", "Hình thức", "Số quyết định"]
PAST = [
    ["Nguyễn Văn An", "13/02/1980", "Bệnh viện A", 2018, "CSTĐCS", "12/QĐ-SYT"],
    ["Nguyễn Văn An", "13/02/1980", "Bệnh viện A", 2019, "Chiến sĩ thi đua cơ sở", "15/QĐ-SYT"],
    ["Nguyễn Văn An", "1980", "Bệnh viện A", 2017, "BK UBND tỉnh", ""],
    ["Nguyễn Văn An", "1992", "Trung tâm B", 2019, "Giấy khen", ""],  # a namesake
    ["Khoa Nội", "", "Bệnh viện A", 2019, "TTLĐXS", ""],
]


def test_import_xlsx_stores_every_row_and_a_second_import_adds_nothing(tmp_path):
    src = write_table(tmp_path / "lich-su.xlsx", HEAD, PAST)
    db = tmp_path / "h.sqlite"
    first = history.import_file(db, src)
    assert (first.added, first.already, first.refused) == (5, 0, 0)
    second = history.import_file(db, src)
    assert (second.added, second.already) == (0, 5)
    assert history.count(db) == 5


def test_a_year_alone_matches_a_full_date_of_that_year_when_importing(tmp_path):
    db = tmp_path / "h.sqlite"
    history.import_file(db, write_table(tmp_path / "a.xlsx", HEAD, [PAST[0]]))
    again = history.import_file(db, write_table(tmp_path / "b.xlsx", HEAD, [["nguyễn  văn an", "1980", "BV A", 2018, "CSTDCS"]]))
    assert again.added == 0 and history.count(db) == 1


def test_import_csv_with_header_variants_and_refused_rows(tmp_path):
    src = tmp_path / "cu.csv"
    src.write_text("HỌ TÊN;Năm sinh;Tên đơn vị;Năm khen thưởng;Danh hiệu;Đối tượng\n"
                   "Trần Thị Thuý;1985;Bệnh viện A;2016;Lao động tiên tiến;Cá nhân\n"
                   "Trần Thị Thuý;1985;Bệnh viện A;2016;Huy chương vàng;Cá nhân\n"
                   "Khoa Dược;;Bệnh viện A;năm ngoái;Giấy khen;Tập thể\n"
                   "Khoa Dược;;Bệnh viện A;2016;Giấy khen;Tập thể\n", encoding="utf-8-sig")
    db = tmp_path / "h.sqlite"
    res = history.import_file(db, src)
    assert res.added == 2
    assert sorted((f.row, f.code) for f in res.findings) == [(3, "UNKNOWN_AWARD"), (4, "BAD_DATE")]
    rows = history.person_awards(db, "Khoa Dược")
    assert list(rows["subject"]) == ["tap_the"] and list(rows["award"]) == ["GK"]


def test_person_awards_by_year_keeps_namesakes_apart(tmp_path):
    db = tmp_path / "h.sqlite"
    history.import_file(db, write_table(tmp_path / "a.xlsx", HEAD, PAST))
    mine = history.person_awards(db, "NGUYỄN VĂN AN", "13/02/1980")
    assert list(zip(mine["year"], mine["award"])) == [(2017, "BK_TINH"), (2018, "CSTDCS"), (2019, "CSTDCS")]
    assert mine["award_name"].iloc[0] == "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
    other = history.person_awards(db, "Nguyễn Văn An", 1992)
    assert list(other["award"]) == ["GK"]


def test_archive_records_a_years_awards_once(tmp_path):
    f = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [person("Nguyễn Văn An", "LĐTT"), person("Lê Văn Bình", "Giấy khen")])
    db = tmp_path / "h.sqlite"
    intake = read_paths([f])
    assert history.archive(db, intake, 2020).added == 2
    assert history.archive(db, read_paths([f]), 2020).added == 0
    assert history.years_covered(db) == {2020}
    assert list(history.person_awards(db, "Lê Văn Bình")["award"]) == ["GK"]


def test_default_register_sits_beside_the_master(tmp_path):
    master = tmp_path / "ThiDua.xlsm"
    master.write_bytes(b"")
    unit = tmp_path / "don-vi" / "BV.xlsx"
    unit.parent.mkdir()
    unit.write_bytes(b"")
    assert history.default_path([unit.parent, master]) == master.resolve().parent / "thidua-history.sqlite"
    assert history.default_path([unit.parent]) == unit.parent.resolve() / "thidua-history.sqlite"


def test_a_file_that_is_not_a_register_is_a_user_error(tmp_path):
    bad = tmp_path / "h.sqlite"
    bad.write_text("not sqlite")
    with pytest.raises(UserError):
        history.load_frame(bad)


def test_the_register_feeds_the_three_year_cstdcs_rule(tmp_path):
    db = tmp_path / "h.sqlite"
    history.import_file(db, write_table(tmp_path / "a.xlsx", HEAD, PAST))
    f = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [
        person("Nguyễn Văn An", "CSTĐ cấp tỉnh"), person("Nguyễn Văn An", "CSTĐCS", Sáng_kiến="SK"),
        person("Nguyễn Văn An", "LĐTT"),
        person("Nguyễn Văn An", "CSTĐ cấp tỉnh", dob="1992"),   # the namesake has no streak
    ] + ldtt_rows(7), initiatives=[["Bệnh án điện tử", "Sáng kiến", "Tỉnh", "Nguyễn Văn An", 2019]])
    found = validate(read_paths([f]), 2020, history=db)
    streak = [x for x in found if x.rule == "A.CSTD_TINH.CSTDCS_3_NAM"]
    assert [(x.row, x.code) for x in streak] == [(FIRST_ROW + 3, "CRITERIA_NOT_MET")]
    assert "2018, 2019" in streak[0].message


def test_the_register_beside_the_files_is_used_by_default(tmp_path):
    unit = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [person("Nguyễn Văn An", "Bằng khen Thủ tướng")])
    found = validate(read_paths([unit]), 2020)
    assert [x.code for x in found if x.rule == "A.BK_TTCP.BK_5_NAM"] == ["NOT_CHECKED"]
    history.import_file(tmp_path / "thidua-history.sqlite", write_table(tmp_path / "a.xlsx", HEAD, [
        ["Nguyễn Văn An", "13/02/1980", "Bệnh viện A", 2014, "BK UBND tỉnh"], ["Người Khác", "1970", "", 2019, "GK"]]))
    found = validate(read_paths([unit]), 2020)
    assert not [x for x in found if x.rule == "A.BK_TTCP.BK_5_NAM"]


# --- command line -------------------------------------------------------------------------------
def test_cli_history_import_twice_adds_nothing_twice(tmp_path, capsys):
    src = write_table(tmp_path / "lich-su.xlsx", HEAD, PAST)
    db = tmp_path / "so" / "h.sqlite"
    assert main(["history", "import", str(src), "--history", str(db)]) == 0
    assert "thêm 5 bản ghi mới" in capsys.readouterr().out
    assert main(["history", "import", str(src), "--history", str(db)]) == 0
    assert "thêm 0 bản ghi mới, 5 bản ghi đã có" in capsys.readouterr().out
    assert history.count(db) == 5


def test_cli_history_import_default_database_and_refused_rows_exit_1(tmp_path):
    src = write_table(tmp_path / "lich-su.xlsx", HEAD, PAST + [["Lê Văn Bình", "1970", "BV", 2019, "Huy chương"]])
    assert main(["history", "import", str(src)]) == 1
    assert history.count(tmp_path / "thidua-history.sqlite") == 5


def test_cli_history_import_missing_file_is_exit_2(tmp_path):
    assert main(["history", "import", str(tmp_path / "khong-co.xlsx")]) == 2


def test_cli_history_archive_then_validate_uses_it(tmp_path):
    (tmp_path / "2019").mkdir()
    y2019 = write_unit(tmp_path / "2019" / "BV.xlsx", "Bệnh viện A", [person("Nguyễn Văn An", "CSTĐCS")], year=2019)
    db = tmp_path / "h.sqlite"
    assert main(["history", "archive", str(y2019), "--year", "2019", "--history", str(db)]) == 0
    assert main(["history", "archive", str(y2019), "--year", "2019", "--history", str(db)]) == 0
    assert history.count(db) == 1
    history.add_records(db, history.nominations_to_records(read_paths([y2019]).nominations).assign(nam=2018), "test")
    (tmp_path / "2020").mkdir()
    y2020 = write_unit(tmp_path / "2020" / "BV.xlsx", "Bệnh viện A", [
        person("Nguyễn Văn An", "CSTĐ cấp tỉnh"), person("Nguyễn Văn An", "CSTĐCS", Sáng_kiến="SK"),
        person("Nguyễn Văn An", "LĐTT")] + ldtt_rows(7), initiatives=[["SK tỉnh", "Sáng kiến", "Tỉnh", "Nguyễn Văn An", 2020]])
    out = tmp_path / "kq.json"
    assert main(["validate", str(y2020), "--year", "2020", "--history", str(db), "--json", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert not [f for f in data["findings"] if f["rule"] == "A.CSTD_TINH.CSTDCS_3_NAM"]


def test_a_collective_in_the_register_is_matched_by_its_unit(tmp_path):
    db = tmp_path / "h.sqlite"
    history.import_file(db, write_table(tmp_path / "a.xlsx", HEAD + ["Đối tượng"], [
        ["Khoa Nội", "", "Bệnh viện A", 2020, "Giấy khen", "", "Tập thể"],
        ["Khoa Nội", "", "Bệnh viện A", 2020, "TTLĐTT", "", ""],
        ["Khoa Nhi", "", "Bệnh viện B", 2020, "TTLĐTT", "", ""]]))
    f = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [
        {"Họ và tên": "Khoa Nội", "Hình thức đề nghị": "TTLĐXS"},
        {"Họ và tên": "Khoa Nhi", "Hình thức đề nghị": "TTLĐXS"}])
    found = [x for x in validate(read_paths([f]), 2020, history=db) if x.rule == "A.TTLDXS.TTLDTT"]
    assert [x.row for x in found] == [FIRST_ROW + 1]
    assert set(history.person_awards(db, "Khoa Nội")["subject"]) == {"tap_the"}
