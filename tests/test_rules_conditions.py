"""Conditions beyond one title a year: collectives' members, Bằng khen and Huân chương windows,
one State-level award a year, discipline under review, a Thầy thuốc Nhân dân's years of work.

Each rule has a nominee that just meets it and one that just misses it, under each regime
where it applies; missing data is NOT_CHECKED, never a silent pass.
"""
from __future__ import annotations

import pandas as pd
import pytest
from validate_helpers import FIRST_ROW, HEADERS, collective, person, write_unit

from thidua_xl.intake import read_paths
from thidua_xl.model import ERROR, WARNING
from thidua_xl.text import name_key
from thidua_xl.validate import unverified_note, validate

R = FIRST_ROW
COUNTS = HEADERS + ["Tổng số thành viên", "Số LĐTT", "Số CSTĐCS", "Số hoàn thành nhiệm vụ", "Kỷ luật"]
REGIMES = [(2020, "A"), (2025, "B")]


def _run(tmp_path, rows, year, headers=COUNTS, history=False, unit="Bệnh viện A"):
    f = write_unit(tmp_path / "BV.xlsx", unit, rows, year=year, headers=headers)
    intake = read_paths([f])
    assert len(intake.nominations) == len(rows)  # "nothing flagged" must mean the rows were read
    return validate(intake, year, history=history)


def _hits(found, rule):
    return sorted((f.row, f.code) for f in found if rule in (f.rules or (f.rule,)))


def _hist(rows):
    return pd.DataFrame([{"ho_ten": n, "name_key": name_key(n), "birth_year": 1980.0, "birth_date": "",
                          "don_vi": "", "unit_key": "", "subject": "ca_nhan", "award": a, "year": y}
                         for n, a, y in rows])


# --- Tập thể lao động tiên tiến: more than half LĐTT, nobody disciplined from cảnh cáo up -------------
@pytest.mark.parametrize("year, prefix", REGIMES)
def test_ttldtt_needs_more_than_half_of_its_members_ldtt(tmp_path, year, prefix):
    rows = [collective("Khoa Nội", "TTLĐTT", **{"Tổng số thành viên": 20, "Số LĐTT": 11, "Kỷ luật": "Không"}),
            collective("Khoa Nhi", "TTLĐTT", **{"Tổng số thành viên": 20, "Số LĐTT": 10, "Kỷ luật": 0})]
    found = _run(tmp_path, rows, year)
    assert _hits(found, f"{prefix}.TTLDTT.TY_LE_LDTT") == [(R + 1, "CRITERIA_NOT_MET")]
    msg = next(f.message for f in found if f.rule == f"{prefix}.TTLDTT.TY_LE_LDTT")
    assert "10/20" in msg and "50%" in msg
    assert not _hits(found, f"{prefix}.TTLDTT.KY_LUAT")


@pytest.mark.parametrize("year, prefix", REGIMES)
def test_ttldtt_with_a_member_disciplined_is_flagged_and_without_counts_is_not_checked(tmp_path, year, prefix):
    rows = [collective("Khoa Nội", "TTLĐTT", **{"Tổng số thành viên": 20, "Số LĐTT": 15, "Kỷ luật": "01 cảnh cáo"}),
            collective("Khoa Nhi", "TTLĐTT", **{"Tổng số thành viên": 20, "Số LĐTT": 15, "Kỷ luật": "Khiển trách"}),
            collective("Khoa Sản", "TTLĐTT")]
    found = _run(tmp_path, rows, year)
    assert _hits(found, f"{prefix}.TTLDTT.KY_LUAT") == [(R, "CRITERIA_NOT_MET"), (R + 2, "NOT_CHECKED")]
    assert _hits(found, f"{prefix}.TTLDTT.TY_LE_LDTT") == [(R + 2, "NOT_CHECKED")]
    severity = {f.rule: f.severity for f in found if f.code == "CRITERIA_NOT_MET"}
    assert severity[f"{prefix}.TTLDTT.KY_LUAT"] == (ERROR if prefix == "A" else WARNING)


def test_a_collective_that_is_the_whole_unit_is_counted_from_the_units_own_nominees(tmp_path):
    rows = [collective("Bệnh viện A", "TTLĐXS", **{"Tổng số thành viên": 10, "Số hoàn thành nhiệm vụ": 10,
                                                   "Kỷ luật": "Không"})]
    rows += [person(f"Người {n}", "LĐTT", dob=f"0{i + 1}/01/198{i}") for i, n in enumerate("ABCDEFG")]  # 7 of 10
    found = _run(tmp_path, rows, 2025)
    assert not _hits(found, "B.TTLDXS.TY_LE_LDTT")                       # 70%: just meets
    assert _hits(found, "B.TTLDXS.CSTDCS") == [(R, "CRITERIA_NOT_MET")]  # none proposed for CSTĐCS
    rows = rows[:-1]                                                     # 6 of 10: just misses
    found = _run(tmp_path, rows, 2025)
    assert _hits(found, "B.TTLDXS.TY_LE_LDTT") == [(R, "CRITERIA_NOT_MET")]


def test_ttldxs_needs_seventy_percent_ldtt_one_cstdcs_and_everyone_completing_tasks(tmp_path):
    ok = {"Tổng số thành viên": 10, "Số LĐTT": 7, "Số CSTĐCS": 1, "Số hoàn thành nhiệm vụ": 10, "Kỷ luật": "0"}
    rows = [collective("Khoa Nội", "TTLĐXS", **ok),
            collective("Khoa Nhi", "TTLĐXS", **{**ok, "Số LĐTT": 6, "Số CSTĐCS": 0, "Số hoàn thành nhiệm vụ": 9})]
    found = _run(tmp_path, rows, 2025)
    for rule in ("B.TTLDXS.TY_LE_LDTT", "B.TTLDXS.CSTDCS", "B.TTLDXS.HOAN_THANH"):
        assert _hits(found, rule) == [(R + 1, "CRITERIA_NOT_MET")], rule
    assert not [f for f in found if f.row == R and f.code in ("CRITERIA_NOT_MET", "NOT_CHECKED")
                and f.rule != "B.TTLDXS.TTLDTT"]


def test_the_member_count_columns_are_read_under_their_usual_names(tmp_path):
    headers = HEADERS + ["Tổng số người", "Số người đạt LĐTT", "Số người đạt CSTĐCS", "Hình thức kỷ luật"]
    rows = [collective("Khoa Nội", "TTLĐTT", **{"Tổng số người": 8, "Số người đạt LĐTT": 4,
                                               "Hình thức kỷ luật": "Không"})]
    found = _run(tmp_path, rows, 2025, headers=headers)
    assert _hits(found, "B.TTLDTT.TY_LE_LDTT") == [(R, "CRITERIA_NOT_MET")]  # 4/8 is not more than half
    assert not _hits(found, "B.TTLDTT.KY_LUAT")


@pytest.mark.parametrize("year, prefix", REGIMES)
def test_a_ttldxs_row_without_member_counts_gets_one_not_checked_naming_what_it_lacks(tmp_path, year, prefix):
    rows = [collective("Khoa Nội", "TTLĐXS"),                                               # no counts at all
            collective("Khoa Nhi", "TTLĐXS", **{"Tổng số thành viên": 10, "Số LĐTT": 7, "Số CSTĐCS": 1,
                                                "Số hoàn thành nhiệm vụ": 10}),            # only Kỷ luật empty
            collective("Khoa Sản", "TTLĐTT")]                                               # no counts at all
    found = _run(tmp_path, rows, year)
    [gap] = [f for f in found if f.row == R and f.code == "NOT_CHECKED"]
    lacks = {f"{prefix}.TTLDXS.{r}": what for r, what in (
        ("TY_LE_LDTT", "Số LĐTT, Tổng số thành viên"), ("HOAN_THANH", "Số hoàn thành nhiệm vụ, Tổng số thành viên"),
        ("CSTDCS", "Số CSTĐCS"), ("KY_LUAT", "Kỷ luật"))}
    if prefix == "B":  # the 2022 law's point d no longer names disciplined members (the rule is off)
        del lacks["B.TTLDXS.KY_LUAT"]
    ids = gap.rules  # in the order of the rule tables
    assert sorted(ids) == sorted(lacks) and gap.rule == ids[0] and gap.severity == WARNING
    assert gap.to_dict()["rules"] == list(ids) and gap.to_dict()["rule"] == ids[0]
    assert gap.message.startswith(f"Không kiểm tra được {len(lacks)} tiêu chuẩn của Tập thể lao động xuất sắc "
                                  f"năm {year} cho “Khoa Nội”: ")
    for rule, what in lacks.items():
        assert f"(thiếu “{what}”, quy định {rule})" in gap.message
    assert "Điều 27 khoản 1 điểm c" in gap.legal_basis and gap.verified
    # a row that lacks one thing only keeps the plain finding of that rule (none from 2024: nothing it lacks counts)
    nc = [f for f in found if f.row == R + 1 and f.code == "NOT_CHECKED"]
    if prefix == "A":
        [one] = nc
        assert one.rule == "A.TTLDXS.KY_LUAT" and not one.rules and "rules" not in one.to_dict()
        assert "ô “Kỷ luật” của tập thể để trống" in one.message
    else:
        assert not nc
    [tt] = [f for f in found if f.row == R + 2 and f.code == "NOT_CHECKED"]
    assert tt.rules == (f"{prefix}.TTLDTT.TY_LE_LDTT", f"{prefix}.TTLDTT.KY_LUAT")
    if prefix == "B":  # the run's one sentence on unverified rules names every rule behind a merged finding
        assert not tt.verified and all(r in unverified_note(found) for r in tt.rules)


def test_a_collective_that_is_the_whole_unit_lacks_only_what_its_nominees_cannot_give(tmp_path):
    rows = [collective("Bệnh viện A", "TTLĐXS")] + [person("Nguyễn Văn An", "LĐTT"), person("Lê Thị Hoa", "CSTĐCS",
                                                                                          gender="Nữ")]
    found = _run(tmp_path, rows, 2020)
    [gap] = [f for f in found if f.row == R and f.code == "NOT_CHECKED"]
    assert gap.rules == ("A.TTLDXS.TY_LE_LDTT", "A.TTLDXS.HOAN_THANH", "A.TTLDXS.KY_LUAT")
    assert "(thiếu “Tổng số thành viên”, quy định A.TTLDXS.TY_LE_LDTT)" in gap.message  # LĐTT counted: 1
    assert not _hits(found, "A.TTLDXS.CSTDCS")                                            # one CSTĐCS proposed


# --- Bằng khen Thủ tướng, Huân chương Lao động hạng Ba, Bằng khen Bộ/tỉnh -------------------------------
def test_bk_ttcp_2025_needs_three_cstdcs_in_five_years(tmp_path):
    rows = [person("Nguyễn Văn An", "BK TTCP"), person("Lê Văn Bình", "BK TTCP", dob="1980")]
    hist = _hist([("Nguyễn Văn An", "BK_TINH", 2019)] + [("Nguyễn Văn An", "CSTDCS", y) for y in (2021, 2023, 2024)]
                 + [("Lê Văn Bình", "BK_TINH", 2019)] + [("Lê Văn Bình", "CSTDCS", y) for y in (2020, 2023, 2024)]
                 + [("Người Khác", "GK", y) for y in range(2019, 2025)])
    found = _run(tmp_path, rows, 2025, headers=HEADERS, history=hist)
    assert _hits(found, "B.BK_TTCP.CSTDCS_3_LAN") == [(R + 1, "CRITERIA_NOT_MET")]  # 2020 is outside 2021–2025
    assert "Điều 73 khoản 1 điểm b" in next(f.legal_basis for f in found if f.rule == "B.BK_TTCP.CSTDCS_3_LAN")


def test_bk_ttcp_2020_needs_five_grassroots_initiatives_in_five_years(tmp_path):
    inits = [[f"SK {i}", "Sáng kiến", "Cơ sở", "Nguyễn Văn An", 2016 + i] for i in range(5)]
    inits += [[f"SK B{i}", "Sáng kiến", "Cơ sở", "Lê Văn Bình", 2016 + i] for i in range(4)]
    f = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [person("Nguyễn Văn An", "BK TTCP"),
                                                          person("Lê Văn Bình", "BK TTCP", dob="1980")],
                   year=2020, initiatives=inits)
    found = validate(read_paths([f]), 2020, history=False)
    assert _hits(found, "A.BK_TTCP.SANG_KIEN_5") == [(R + 1, "CRITERIA_NOT_MET")]
    assert "chỉ thấy 4 sáng kiến" in next(x.message for x in found if x.rule == "A.BK_TTCP.SANG_KIEN_5")


def test_hcld3_2025_counts_three_cstdcs_in_five_years(tmp_path):
    rows = [person("Nguyễn Văn An", "HCLĐ hạng Ba"), person("Lê Văn Bình", "HCLĐ hạng Ba", dob="1980")]
    hist = _hist([("Nguyễn Văn An", "CSTDCS", y) for y in (2021, 2022, 2025 - 1)]
                 + [("Lê Văn Bình", "CSTDCS", y) for y in (2022, 2024)]
                 + [("Người Khác", "GK", y) for y in range(2013, 2025)])
    found = _run(tmp_path, rows, 2025, headers=HEADERS, history=hist)
    assert _hits(found, "B.HCLD3.CSTDCS_3_LAN") == [(R + 1, "CRITERIA_NOT_MET")]


def test_bang_khen_of_the_province_for_a_person_needs_two_consecutive_cstdcs_not_for_a_collective(tmp_path):
    rows = [person("Nguyễn Văn An", "Bằng khen UBND tỉnh"), person("Lê Văn Bình", "Bằng khen UBND tỉnh", dob="1980"),
            collective("Khoa Nội", "Bằng khen UBND tỉnh")]
    hist = _hist([("Nguyễn Văn An", "CSTDCS", 2024), ("Nguyễn Văn An", "CSTDCS", 2025),
                  ("Lê Văn Bình", "CSTDCS", 2023), ("Người Khác", "GK", 2024)])
    found = _run(tmp_path, rows, 2025, headers=HEADERS, history=hist)
    assert _hits(found, "B.BK_TINH.CSTDCS_2_LAN") == [(R + 1, "CRITERIA_NOT_MET")]


# --- one State-level award a year, discipline under review ---------------------------------------------
@pytest.mark.parametrize("year, prefix", REGIMES)
def test_one_state_level_award_a_year(tmp_path, year, prefix):
    rows = [person("Nguyễn Văn An", "BK TTCP"), person("Nguyễn Văn An", "HCLĐ hạng Ba"),
            person("Lê Văn Bình", "BK TTCP", dob="1980"), person("Lê Văn Bình", "Giấy khen", dob="1980")]
    found = _run(tmp_path, rows, year, headers=HEADERS)
    assert _hits(found, f"{prefix}.NHA_NUOC.MOT_NAM_MOT_LAN") == [(R, "CRITERIA_NOT_MET"), (R + 1, "CRITERIA_NOT_MET")]
    hist = _hist([("Lê Văn Bình", "TTUT", year)])
    found = _run(tmp_path, rows[2:], year, headers=HEADERS, history=hist)
    assert _hits(found, f"{prefix}.NHA_NUOC.MOT_NAM_MOT_LAN") == [(R, "CRITERIA_NOT_MET")]


@pytest.mark.parametrize("year, rule", [(2024, "B.KY_LUAT.DANG_XEM_XET"), (2025, "B.KY_LUAT.DANG_XEM_XET.ND152")])
def test_no_award_while_discipline_is_under_review(tmp_path, year, rule):
    headers = HEADERS + ["Kỷ luật"]
    rows = [person("Nguyễn Văn An", "Giấy khen", **{"Kỷ luật": "Không"}),
            person("Lê Văn Bình", "Giấy khen", dob="1980", **{"Kỷ luật": "Đang xem xét kỷ luật"})]
    found = _run(tmp_path, rows, year, headers=headers)
    assert _hits(found, rule) == [(R + 1, "CRITERIA_NOT_MET")]
    assert not _hits(found, "B.KY_LUAT.DANG_XEM_XET" if year == 2025 else "B.KY_LUAT.DANG_XEM_XET.ND152")


# --- Thầy thuốc Nhân dân: 20 years of work, 25 for managers -------------------------------------------
def test_ttnd_needs_twenty_years_and_a_manager_twenty_five(tmp_path):
    headers = HEADERS + ["Ngày tuyển dụng"]
    rows = [person("Nguyễn Văn An", "TTND", **{"Ngày tuyển dụng": "01/01/2006"}),                  # 20: meets
            person("Lê Văn Bình", "TTND", dob="1980", **{"Ngày tuyển dụng": "02/01/2006"}),       # 19: misses
            person("Trần Văn Cường", "TTND", dob="1970", Chức_vụ="Phó Giám đốc",
                   **{"Ngày tuyển dụng": "01/01/2001"}),                                          # 25: meets
            person("Phạm Văn Dũng", "TTND", dob="1971", Chức_vụ="Giám đốc",
                   **{"Ngày tuyển dụng": "01/01/2003"}),                                          # 23: misses 25
            person("Hoàng Văn Em", "TTND", dob="1972")]                                           # no date
    found = _run(tmp_path, rows, 2025, headers=headers)
    assert _hits(found, "B.TTND.NAM_CONG_TAC") == [(R + 1, "CRITERIA_NOT_MET"), (R + 4, "NOT_CHECKED")]
    assert _hits(found, "B.TTND.NAM_CONG_TAC_QUAN_LY") == [(R + 3, "CRITERIA_NOT_MET")]


# --- what the data cannot show: ratings of the years before this one ----------------------------------
RATED = HEADERS + ["Xếp loại"]


def _inits(*rows):
    return [[title, "Sáng kiến", "Cơ sở", name, year] for title, name, year in rows]


def test_bang_khen_of_the_province_without_two_cstdcs_is_not_checked_while_the_htxsnv_path_stays_open(tmp_path):
    rows = [person("Nguyễn Văn An", "Bằng khen UBND tỉnh", Xếp_loại="HTXSNV"),                 # R: path open
            person("Lê Văn Bình", "Bằng khen UBND tỉnh", dob="1980", Xếp_loại="Hoàn thành tốt nhiệm vụ"),  # rated lower
            person("Trần Thị Cúc", "Bằng khen UBND tỉnh", gender="Nữ", Xếp_loại="HTXSNV"),     # one initiative only
            person("Phạm Văn Dũng", "Bằng khen UBND tỉnh"),                                     # no rating: open
            person("Hoàng Văn Em", "Bằng khen UBND tỉnh")]                                      # two CSTĐCS: met
    inits = _inits(("Bảng kiểm an toàn", "Nguyễn Văn An", 2024), ("Sổ tay điều dưỡng", "Nguyễn Văn An", 2025),
                   ("Quy trình cấp cứu", "Lê Văn Bình", 2024), ("Phần mềm lịch trực", "Lê Văn Bình", 2025),
                   ("Mẫu bệnh án", "Trần Thị Cúc", 2025),
                   ("Lịch tiêm chủng", "Phạm Văn Dũng", 2024), ("Tủ thuốc trực", "Phạm Văn Dũng", 2025))
    f = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", rows, year=2025, headers=RATED, initiatives=inits)
    hist = _hist([("Hoàng Văn Em", "CSTDCS", 2024), ("Hoàng Văn Em", "CSTDCS", 2025), ("Người Khác", "GK", 2024)])
    found = validate(read_paths([f]), 2025, history=hist)
    assert _hits(found, "B.BK_TINH.CSTDCS_2_LAN") == [(R, "NOT_CHECKED"), (R + 1, "CRITERIA_NOT_MET"),
                                                       (R + 2, "CRITERIA_NOT_MET"), (R + 3, "NOT_CHECKED")]
    msg = {f.row: f.message for f in found if f.rule == "B.BK_TINH.CSTDCS_2_LAN"}
    assert ("năm 2025 hoàn thành xuất sắc nhiệm vụ, có 2 sáng kiến trong 2024–2025, xếp loại năm 2024 không có "
            "trong dữ liệu") in msg[R]
    assert "“Xếp loại” năm 2025 là “Hoàn thành tốt nhiệm vụ”" in msg[R + 1]
    assert "chỉ có 1 sáng kiến cơ sở trở lên trong 2024–2025" in msg[R + 2]
    assert "không có “Xếp loại” năm 2025, có 2 sáng kiến" in msg[R + 3]


def test_hcld3_2025_needs_a_year_rated_htxsnv_which_only_this_years_rating_can_show(tmp_path):
    rows = [person("Nguyễn Văn An", "HCLĐ hạng Ba", Xếp_loại="Hoàn thành xuất sắc nhiệm vụ"),  # shown: met
            person("Lê Văn Bình", "HCLĐ hạng Ba", dob="1980", Xếp_loại="HTTNV"),               # earlier years unknown
            person("Trần Văn Cường", "HCLĐ hạng Ba", dob="1981")]                               # no rating at all
    found = _run(tmp_path, rows, 2025, headers=RATED)
    assert _hits(found, "B.HCLD3.HTXSNV_1_NAM") == [(R + 1, "NOT_CHECKED"), (R + 2, "NOT_CHECKED")]
    msg = {f.row: f.message for f in found if f.rule == "B.HCLD3.HTXSNV_1_NAM"}
    assert "cần ít nhất 01 năm hoàn thành xuất sắc nhiệm vụ trong các năm 2021–2025; “Xếp loại” năm 2025 là “HTTNV”" \
        in msg[R + 1]
    assert "không có “Xếp loại” năm 2025 (ô để trống" in msg[R + 2] and "không có trong dữ liệu" in msg[R + 2]
    found = _run(tmp_path, rows[2:], 2025, headers=HEADERS)
    assert _hits(found, "B.HCLD3.HTXSNV_1_NAM") == [(R, "NOT_CHECKED")]  # a file without the column: the same
    assert not _hits(_run(tmp_path, rows, 2020, headers=RATED), "B.HCLD3.HTXSNV_1_NAM")  # regime B only
