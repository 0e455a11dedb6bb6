"""Disciplines in the awards register (`thidua history discipline FILE`).

Nghị định 152/2025/NĐ-CP, as the Sở Tư pháp Cần Thơ quotes it: "sau khi chấp hành xong thời gian kỷ
luật … thành tích khen thưởng được tính từ thời điểm chấp hành xong thời gian thi hành kỷ luật". So a
person still under discipline in the award year is not rewarded, and the years a higher title counts
("3 lần liên tục", "03 lần trong 05 năm") start again after the discipline has been served. Each case
has a nominee who just meets the rule and one who just misses it; a register without disciplines
changes nothing.
"""
from __future__ import annotations

import sqlite3

from contract_helpers import run_cli
from validate_helpers import FIRST_ROW, HEADERS, person, write_table, write_unit

from thidua_xl import discipline, history
from thidua_xl.intake import read_paths
from thidua_xl.validate import validate

R = FIRST_ROW
HIST = ["Họ và tên", "Ngày sinh", "Đơn vị", "Năm", "Hình thức"]
KY_LUAT = ["Họ và tên", "Ngày sinh", "Đơn vị", "Hình thức kỷ luật", "Từ ngày", "Đến ngày", "Số quyết định"]
UNIT = "Bệnh viện A"


def _register(tmp_path, awards: list[list], disciplines: list[list]):
    db = tmp_path / "thidua-history.sqlite"
    history.import_file(db, write_table(tmp_path / "lich-su.xlsx", HIST, awards))
    if disciplines:
        discipline.import_file(db, write_table(tmp_path / "ky-luat.xlsx", KY_LUAT, disciplines, sheet="Kỷ luật"))
    return db


def _run(tmp_path, rows, year, db):
    f = write_unit(tmp_path / "BV.xlsx", UNIT, rows, year=year, headers=HEADERS)
    return validate(read_paths([f]), year, history=db)


def _hits(found, rule):
    return sorted((f.row, f.code) for f in found if f.rule == rule)


def _message(found, rule, row):
    return next(f.message for f in found if f.rule == rule and f.row == row)


# --- a person under discipline in the award year is not rewarded --------------------------------------------
def test_a_person_disciplined_during_the_award_year_is_refused(tmp_path):
    db = _register(tmp_path, [["Người Khác", "1970", UNIT, 2024, "LĐTT"]], [
        ["Nguyễn Văn An", "13/02/1980", UNIT, "Khiển trách", "01/01/2024", "31/12/2024", "12/QĐ-BV"],  # served
        ["Lê Văn Bình", "13/02/1980", UNIT, "Cảnh cáo", "01/06/2024", "31/05/2025", "15/QĐ-BV"],     # not yet
        ["Trần Văn Cường", "13/02/1980", UNIT, "Khiển trách", "15/02/2024", "", ""],                  # no end date
    ])
    rows = [person("Nguyễn Văn An", "LĐTT"), person("Lê Văn Bình", "LĐTT"), person("Trần Văn Cường", "Giấy khen")]
    found = _run(tmp_path, rows, 2025, db)
    assert _hits(found, "B.KY_LUAT.TRONG_NAM") == [(R + 1, "CRITERIA_NOT_MET"), (R + 2, "CRITERIA_NOT_MET")]
    msg = _message(found, "B.KY_LUAT.TRONG_NAM", R + 1)
    assert "“Cảnh cáo” từ ngày 01 tháng 6 năm 2024 đến ngày 31 tháng 5 năm 2025" in msg and "15/QĐ-BV" in msg
    assert "không ghi ngày kết thúc: tính 12 tháng" in _message(found, "B.KY_LUAT.TRONG_NAM", R + 2)
    # not verified against the text: a warning that says which rule, never a silent error
    assert {f.verified for f in found if f.rule == "B.KY_LUAT.TRONG_NAM"} == {False}


def test_a_discipline_is_matched_on_the_person_not_on_a_namesake(tmp_path):
    db = _register(tmp_path, [["Người Khác", "1970", UNIT, 2024, "LĐTT"]],
                   [["Lê Văn Bình", "01/01/1975", UNIT, "Cảnh cáo", "01/06/2025", "31/05/2026", ""]])
    found = _run(tmp_path, [person("Lê Văn Bình", "LĐTT"), person("Lê Văn Bình", "LĐTT", dob="01/01/1975")],
                 2025, db)
    assert _hits(found, "B.KY_LUAT.TRONG_NAM") == [(R + 1, "CRITERIA_NOT_MET")]


# --- the years a title counts start again after the discipline has been served --------------------------------
def test_three_consecutive_cstdcs_count_only_from_the_year_after_the_discipline_ended(tmp_path):
    awards = [[n, "13/02/1980", UNIT, y, "CSTĐCS"] for n in ("Nguyễn Văn An", "Lê Văn Bình") for y in (2023, 2024)]
    db = _register(tmp_path, awards, [
        ["Nguyễn Văn An", "13/02/1980", UNIT, "Khiển trách", "01/01/2022", "31/12/2022", ""],  # 2023 still counts
        ["Lê Văn Bình", "13/02/1980", UNIT, "Cảnh cáo", "01/03/2022", "28/02/2023", "07/QĐ-BV"],  # 2023 does not
    ])
    rows = [person(n, a) for n in ("Nguyễn Văn An", "Lê Văn Bình") for a in ("CSTĐ cấp tỉnh", "CSTĐCS")]
    found = _run(tmp_path, rows, 2025, db)
    assert _hits(found, "B.CSTD_TINH.CSTDCS_3_NAM") == [(R + 2, "CRITERIA_NOT_MET")]
    msg = _message(found, "B.CSTD_TINH.CSTDCS_3_NAM", R + 2)
    assert "năm 2023 không được tính" in msg and "chỉ được tính từ năm 2024" in msg
    assert "Quy định B.KY_LUAT.TINH_LAI.ND152; căn cứ: Nghị định 152/2025/NĐ-CP" in msg  # the law of 2025
    assert not _hits(found, "B.KY_LUAT.TRONG_NAM")  # both disciplines were served before 2025


def test_the_award_year_picks_the_decree_that_restarts_the_period(tmp_path):
    awards = [["Lê Văn Bình", "13/02/1980", UNIT, y, "CSTĐCS"] for y in (2022, 2023)]
    db = _register(tmp_path, awards, [["Lê Văn Bình", "13/02/1980", UNIT, "Cảnh cáo", "01/03/2021", "28/02/2022", ""]])
    found = _run(tmp_path, [person("Lê Văn Bình", "CSTĐ cấp tỉnh"), person("Lê Văn Bình", "CSTĐCS")], 2024, db)
    assert "Quy định B.KY_LUAT.TINH_LAI; căn cứ: Nghị định 98/2023/NĐ-CP" in _message(
        found, "B.CSTD_TINH.CSTDCS_3_NAM", R)


def test_three_cstdcs_in_five_years_for_the_prime_ministers_certificate_restart_too(tmp_path):
    # CSTĐCS 2021, 2022, 2024 and a discipline served on 30/06/2023: only 2024 counts, so 1 of 3
    awards = [[n, "13/02/1980", UNIT, y, "CSTĐCS"] for n in ("Nguyễn Văn An", "Lê Văn Bình") for y in (2021, 2022, 2024)]
    awards.append(["Người Khác", "1970", UNIT, 2023, "LĐTT"])  # the register covers 2023
    db = _register(tmp_path, awards, [["Lê Văn Bình", "13/02/1980", UNIT, "Khiển trách", "01/07/2022", "30/06/2023", ""]])
    found = _run(tmp_path, [person("Nguyễn Văn An", "BK TTCP"), person("Lê Văn Bình", "BK TTCP")], 2025, db)
    assert _hits(found, "B.BK_TTCP.CSTDCS_3_LAN") == [(R + 1, "CRITERIA_NOT_MET")]
    msg = _message(found, "B.BK_TTCP.CSTDCS_3_LAN", R + 1)
    assert "chỉ ghi 1 lần" in msg and "chỉ được tính từ năm 2024" in msg


def test_a_register_without_disciplines_changes_nothing(tmp_path):
    awards = [["Lê Văn Bình", "13/02/1980", UNIT, y, "CSTĐCS"] for y in (2023, 2024)]
    with_table = _register(tmp_path, awards, [])
    rows = [person("Lê Văn Bình", "CSTĐ cấp tỉnh"), person("Lê Văn Bình", "CSTĐCS")]
    found = _run(tmp_path, rows, 2025, with_table)
    assert not _hits(found, "B.CSTD_TINH.CSTDCS_3_NAM") and not _hits(found, "B.KY_LUAT.TRONG_NAM")
    # a register written before the table existed gains it empty, its awards untouched
    old = tmp_path / "old.sqlite"
    history.import_file(old, write_table(tmp_path / "lich-su-2.xlsx", HIST, awards))
    with sqlite3.connect(old) as con:
        con.execute("DROP TABLE discipline")
    assert discipline.load(old).empty
    assert _run(tmp_path, rows, 2025, old) == found


# --- the list itself -------------------------------------------------------------------------------------------
def test_history_discipline_imports_a_list_once_and_refuses_bad_rows_by_name(tmp_path, capsys):
    db = tmp_path / "h.sqlite"
    f = write_table(tmp_path / "ky-luat.xlsx", KY_LUAT, [
        ["Nguyễn Văn An", "13/02/1980", UNIT, "Khiển trách", "01/01/2024", "31/12/2024", "12/QĐ-BV"],
        ["Lê Văn Bình", "1980", UNIT, "Cảnh cáo", "ngày mai", "", ""],
        ["Trần Văn Cường", "", UNIT, "Cảnh cáo", "01/06/2024", "01/01/2024", ""]], sheet="Kỷ luật")
    code, out, err = run_cli(capsys, "history", "discipline", f, "--history", db)
    assert code == 1 and "thêm 1 bản ghi mới" in out and "bỏ qua 2 dòng lỗi" in out
    err = " ".join(err.split())
    assert "ky-luat.xlsx, dòng 3: Dòng kỷ luật của “Lê Văn Bình”: “Từ ngày” “ngày mai” không phải một ngày" in err
    assert "dòng 4: Dòng kỷ luật của “Trần Văn Cường”: “Đến ngày” trước “Từ ngày”" in err
    code, out, _err = run_cli(capsys, "history", "discipline", f, "--history", db)
    assert "thêm 0 bản ghi mới, 1 bản ghi đã có" in out
    got = discipline.load(db)
    assert got[["ho_ten", "hinh_thuc", "tu_ngay", "den_ngay", "so_quyet_dinh"]].values.tolist() == [
        ["Nguyễn Văn An", "Khiển trách", "2024-01-01", "2024-12-31", "12/QĐ-BV"]]
