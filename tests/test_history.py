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
    """A unit's list given as a signed decision's annex: its rows are granted under that decision, once."""
    f = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [person("Nguyễn Văn An", "LĐTT"), person("Lê Văn Bình", "Giấy khen")])
    db = tmp_path / "h.sqlite"
    intake = read_paths([f])
    assert history.archive(db, intake, 2020, decision_no="15/QĐ-SYT", decision_date="25/12/2020").added == 2
    assert history.archive(db, read_paths([f]), 2020, decision_no="15/QĐ-SYT").added == 0
    assert history.years_covered(db) == {2020}
    got = history.person_awards(db, "Lê Văn Bình")
    assert list(got["award"]) == ["GK"] and list(got["so_quyet_dinh"]) == ["15/QĐ-SYT"]
    assert list(got["ngay_quyet_dinh"]) == ["25/12/2020"]


def test_a_units_list_without_a_decision_is_not_stored_as_granted(tmp_path):
    """Proposals are not awards: without a decision they wait apart, never read by the history rules, and a
    warning says how to record the decision; once it is given they become awards and leave the waiting list."""
    f = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [person("Nguyễn Văn An", "CSTĐCS"),
                                                          person("Lê Văn Bình", "Giấy khen")])
    db = tmp_path / "h.sqlite"
    result = history.archive(db, read_paths([f]), 2020)
    assert (result.added, result.pending) == (0, 2)
    assert history.count(db) == 0 and history.pending_count(db) == 2
    assert history.years_covered(db) == set() and history.records(db) == []
    assert history.load_frame(db, years=(2015, 2025)).empty  # the rules see no award
    (warning,) = [x for x in result.findings if x.code == "NOT_GRANTED"]
    assert warning.severity == "warning" and "KHÔNG được lưu là đã khen thưởng" in warning.message
    assert "--so-quyet-dinh" in warning.message and "Biểu quyết" in warning.message
    assert history.archive(db, read_paths([f]), 2020).pending == 2 and history.pending_count(db) == 2  # once
    # the decision comes: the same rows are granted, and no longer wait
    assert history.archive(db, read_paths([f]), 2020, decision_no="15/QĐ-SYT").added == 2
    assert history.count(db) == 2 and history.pending_count(db) == 0


def test_cli_archive_of_units_lists_warns_loudly_and_stores_no_award(tmp_path, capsys):
    f = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [person("Nguyễn Văn An", "LĐTT")])
    db = tmp_path / "h.sqlite"
    assert main(["history", "archive", str(f), "--year", "2020", "--history", str(db)]) == 0
    said = capsys.readouterr()
    assert "CHÚ Ý" in said.err and "KHÔNG được lưu là đã khen thưởng" in said.err
    assert "1 dòng đề nghị chờ quyết định" in said.out
    assert history.count(db) == 0
    log = (tmp_path / "thidua-audit.jsonl").read_text(encoding="utf-8").splitlines()  # beside the register
    counts = json.loads(log[-1])["counts"]  # the run's record says it too
    assert counts["pending"] == 1 and "KHÔNG được lưu là đã khen thưởng" in counts["warnings"][0]
    assert main(["history", "archive", str(f), "--year", "2020", "--history", str(db),
                 "--so-quyet-dinh", "15/QĐ-SYT", "--ngay-quyet-dinh", "25/12/2020"]) == 0
    assert [(r[0], r[5], r[7]) for r in history.records(db)] == [("Nguyễn Văn An", "LDTT", "15/QĐ-SYT")]


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
    granted = ["--so-quyet-dinh", "12/QĐ-SYT"]
    assert main(["history", "archive", str(y2019), "--year", "2019", "--history", str(db), *granted]) == 0
    assert main(["history", "archive", str(y2019), "--year", "2019", "--history", str(db), *granted]) == 0
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
    assert len(read_paths([y2020]).nominations) == 10  # passed because the streak holds, not because nothing was read


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


def test_a_register_in_a_folder_named_with_percent_and_hash_is_written_where_named(tmp_path):
    """“Thi đua 100% #2/lịch sử%20.sqlite”: the register is that file, not one SQLAlchemy decoded elsewhere,
    and reading it (without SQLAlchemy) finds what was written."""
    import pandas as pd

    from thidua_xl import history

    folder = tmp_path / "Thi đua 100% #2"
    folder.mkdir()
    db = folder / "lịch sử%20.sqlite"
    added, _ = history.add_records(db, pd.DataFrame({
        "ho_ten": ["Nguyễn Thị Hoà"], "ngay_sinh": ["1980-02-13"], "nam_sinh": [1980], "don_vi": ["Bệnh viện Phổi"],
        "nam": [2023], "award": ["LDTT"], "hinh_thuc": [""], "subject": ["ca_nhan"], "so_quyet_dinh": [""]}),
        source="test")
    assert added == 1 and db.is_file() and sorted(p.name for p in folder.iterdir()) == ["lịch sử%20.sqlite"]
    assert history.count(db) == 1 and len(history.load_frame(db)) == 1
