"""The law as data: rule records, regimes by award year, verified vs unverified, Sở overrides."""
from __future__ import annotations

import openpyxl
import pytest
from validate_helpers import FIRST_ROW, ldtt_rows, person, write_table, write_unit

from thidua_xl.errors import UserError
from thidua_xl.intake import read_paths
from thidua_xl.model import ERROR, WARNING
from thidua_xl.rules import KINDS, load_builtin, load_rules, regime_for_year
from thidua_xl.validate import validate

R = FIRST_ROW


def test_the_regime_follows_the_award_year():
    assert regime_for_year(2017) == regime_for_year(2023) == "A"
    assert regime_for_year(2024) == regime_for_year(2026) == "B"


def test_every_packaged_rule_is_a_complete_record_with_a_known_kind():
    rules = load_builtin()
    assert len({r.id for r in rules}) == len(rules)
    for r in rules:
        assert r.kind in KINDS and r.code and r.message and r.severity in (ERROR, WARNING, "info")
        if r.regime in ("A", "B"):
            assert r.legal_ref and r.texts, r.id
            assert not r.verified or (r.quote and r.source), f"{r.id}: verified only with a quote and its source"
        if not r.verified:
            assert r.effective_severity != ERROR, r.id


def test_old_regime_rules_stop_in_2023_and_new_ones_start_in_2024():
    rules = load_builtin()
    ids_2023 = {r.id for r in rules.for_year(2023)}
    ids_2024 = {r.id for r in rules.for_year(2024)}
    assert "A.CSTDCS.TY_LE" in ids_2023 and "A.CSTDCS.TY_LE" not in ids_2024
    assert "B.CSTDCS.TY_LE" in ids_2024 and "B.CSTDCS.TY_LE" not in ids_2023
    assert {"REQ.HO_TEN", "DUP.PERSON_AWARD"} <= ids_2023 & ids_2024


def test_only_rules_quoted_from_the_text_are_errors():
    errors = {r.id for r in load_builtin() if r.regime in ("A", "B") and r.effective_severity == ERROR}
    assert errors == {"A.CSTDCS.LDTT", "A.CSTDCS.SANG_KIEN", "A.CSTDCS.TY_LE", "A.CSTD_TINH.CSTDCS_3_NAM",
                      "A.LDTT.TUYEN_DUNG", "A.TTLDTT.TY_LE_LDTT", "A.TTLDTT.KY_LUAT", "A.TTLDXS.TY_LE_LDTT",
                      "A.TTLDXS.HOAN_THANH", "A.TTLDXS.CSTDCS", "A.TTLDXS.KY_LUAT", "B.CSTDCS.LDTT", "B.CSTDCS.SANG_KIEN", "B.CSTD_TINH.CSTDCS_3_NAM",
                      "B.LDTT.TUYEN_DUNG", "B.TTLDXS.TY_LE_LDTT", "B.TTLDXS.HOAN_THANH", "B.TTLDXS.CSTDCS"}


def test_an_unverified_rule_declared_as_error_still_ships_as_a_warning(tmp_path):
    over = tmp_path / "quy-dinh.toml"
    over.write_text('[[rule]]\nid = "A.TTLDXS.TTLDTT"\nseverity = "error"\n', encoding="utf-8")
    rule = load_rules(over).get("A.TTLDXS.TTLDTT")
    assert rule.severity == ERROR and rule.effective_severity == WARNING


def _quota_unit(tmp_path, year=2020):
    rows = ldtt_rows(10) + [person(f"Người {n}", "CSTĐCS", dob=f"0{i + 1}/05/197{i}", Sáng_kiến="SK")
                            for i, n in enumerate(["An", "Bình", "Cường"])]
    return write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", rows, year=year)


def test_a_toml_override_changes_a_ratio_and_a_severity(tmp_path):
    unit = _quota_unit(tmp_path)
    assert [f.severity for f in validate(read_paths([unit]), 2020, history=False) if f.code == "QUOTA_EXCEEDED"] == [ERROR]
    over = tmp_path / "quy-dinh.toml"
    over.write_text('[[rule]]\nid = "A.CSTDCS.TY_LE"\nparams = { ratio = 0.3, max_ratio = 0.3 }\n', encoding="utf-8")
    found = validate(read_paths([unit]), 2020, history=False, rules=over)
    assert not [f for f in found if f.code == "QUOTA_EXCEEDED"]
    assert "tối đa 3 (30%)" in next(f.message for f in found if f.code == "QUOTA_REMAINING")
    over.write_text('[[rule]]\nid = "A.CSTDCS.TY_LE"\nseverity = "warning"\n', encoding="utf-8")
    found = validate(read_paths([unit]), 2020, history=False, rules=over)
    assert [f.severity for f in found if f.code == "QUOTA_EXCEEDED"] == [WARNING]


def test_a_rule_can_be_switched_off_and_a_new_one_added(tmp_path):
    over = tmp_path / "quy-dinh.toml"
    over.write_text(
        '[[rule]]\nid = "A.CSTDCS.TY_LE"\nenabled = false\n\n'
        '[[rule]]\nid = "TINH.TTLDXS.TY_LE"\ntitle = "TTLĐXS không quá 50% TTLĐTT"\nawards = ["TTLDXS"]\n'
        'regime = "*"\nkind = "quota_ratio"\ncode = "QUOTA_EXCEEDED"\nseverity = "error"\nverified = true\n'
        'legal_ref = "Quyết định 50/2017/QĐ-UBND tỉnh Lào Cai"\nparams = { of = "TTLDTT", ratio = 0.5 }\n'
        'message = "Đơn vị đề nghị {proposed} TTLĐXS trên {base} TTLĐTT: tối đa {allowed}, vượt {excess}."\n',
        encoding="utf-8")
    rows = ldtt_rows(2) + [person("Người An", "CSTĐCS", Sáng_kiến="SK"),
                           {"Họ và tên": "Khoa Nội", "Hình thức đề nghị": "TTLĐTT"},
                           {"Họ và tên": "Khoa Nội", "Hình thức đề nghị": "TTLĐXS"},
                           {"Họ và tên": "Khoa Nhi", "Hình thức đề nghị": "TTLĐTT"},
                           {"Họ và tên": "Khoa Nhi", "Hình thức đề nghị": "TTLĐXS"}]
    unit = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", rows)
    quota = [f for f in validate(read_paths([unit]), 2024, history=False, rules=over) if f.code == "QUOTA_EXCEEDED"]
    assert [(f.rule, f.severity) for f in quota] == [("TINH.TTLDXS.TY_LE", ERROR)]  # no national CSTĐCS ratio
    quota = [f for f in validate(read_paths([unit]), 2020, history=False, rules=over) if f.code == "QUOTA_EXCEEDED"]
    assert [f.rule for f in quota] == ["TINH.TTLDXS.TY_LE"]
    assert "tối đa 1, vượt 1" in quota[0].message and quota[0].legal_basis.startswith("Quyết định 50/2017")


def test_an_xlsx_override_table_sets_one_value_per_line(tmp_path):
    over = write_table(tmp_path / "quy-dinh.xlsx", ["Mã quy định", "Tham số", "Giá trị"], [
        ["A.CSTDCS.TY_LE", "ratio", "30%"], ["A.CSTDCS.TY_LE", "Mức", "Cảnh báo"],
        ["DATE.NGAY_SINH", "max_age", 70], ["A.TTND.TTUT", "Áp dụng", "không"],
    ], sheet="Quy định")
    rules = load_rules(over)
    assert rules.get("A.CSTDCS.TY_LE").params["ratio"] == pytest.approx(0.3)
    assert rules.get("A.CSTDCS.TY_LE").severity == WARNING
    assert rules.get("DATE.NGAY_SINH").params == {"min_age": 18, "max_age": 70}
    assert not rules.get("A.TTND.TTUT").enabled


def test_a_quy_dinh_sheet_in_the_master_overrides_too(tmp_path):
    master = tmp_path / "ThiDua.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Đơn vị"
    ws.append(["Mã đơn vị", "Tên đơn vị", "Email"])
    ws.append(["BVA", "Bệnh viện A", "a@example.vn"])
    s = wb.create_sheet("BVA")
    s.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Hình thức đề nghị"])
    s.append([1, "Vũ Văn Em", "1948", "Nam", "Giấy khen"])
    q = wb.create_sheet("Quy định")
    q.append(["Mã quy định", "Tham số", "Giá trị"])
    q.append(["DATE.NGAY_SINH", "max_age", 75])
    wb.save(master)
    intake = read_paths([master])
    assert [f.code for f in validate(intake, 2020, history=False)] == []
    intake = read_paths([master])
    assert load_rules(intake=intake).get("DATE.NGAY_SINH").params["max_age"] == 75
    wb = openpyxl.load_workbook(master)
    wb["Quy định"]["C2"] = 70
    wb.save(master)
    assert [f.code for f in validate(read_paths([master]), 2020, history=False)] == ["BAD_DATE"]


def test_bad_override_files_are_user_errors(tmp_path):
    bad = tmp_path / "x.toml"
    bad.write_text("[[rule]\nid=", encoding="utf-8")
    with pytest.raises(UserError):
        load_rules(bad)
    bad.write_text('[[rule]]\nid = "NEW"\nkind = "no_such_kind"\ncode = "X"\nmessage = "m"\n', encoding="utf-8")
    with pytest.raises(UserError, match="no_such_kind"):
        load_rules(bad)
    with pytest.raises(UserError):
        load_rules(tmp_path / "khong-co.toml")


# --- each history kind passes and fails, under both regimes ------------------------------------
def _hist(rows):
    import pandas as pd

    from thidua_xl.text import name_key

    return pd.DataFrame([{"ho_ten": n, "name_key": name_key(n), "birth_year": 1980.0, "birth_date": "", "don_vi": "",
                          "unit_key": "", "subject": "ca_nhan", "award": a, "year": y} for n, a, y in rows])


@pytest.mark.parametrize("year, prefix", [(2020, "A"), (2024, "B")])
@pytest.mark.parametrize("award, needs, ok_year, late_year, rule", [
    ("HCLĐ hạng Ba", "BK_TTCP", -6, -3, "HCLD3.BK_TTCP_5_NAM"),
    ("HCLĐ hạng Nhì", "HCLD3", -5, -4, "HCLD2.HCLD3_5_NAM"),
    ("HCLĐ hạng Nhất", "HCLD2", -7, -1, "HCLD1.HCLD2_5_NAM"),
    ("Thầy thuốc Nhân dân", "TTUT", -3, 0, "TTND.TTUT"),
])
def test_prior_award_rules(tmp_path, year, prefix, award, needs, ok_year, late_year, rule):
    unit = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [
        person("Nguyễn Văn An", award), person("Lê Văn Bình", award)], year=year)
    hist = _hist([("Nguyễn Văn An", needs, year + ok_year), ("Lê Văn Bình", needs, year + late_year)])
    found = [f for f in validate(read_paths([unit]), year, history=hist) if f.rule == f"{prefix}.{rule}"]
    assert [(f.row, f.code, f.severity) for f in found] == [(R + 1, "CRITERIA_NOT_MET", WARNING)]
    assert "chưa được đối chiếu" not in found[0].message  # said once per run, not in every message
    assert found[0].verified == load_builtin().get(f"{prefix}.{rule}").verified


@pytest.mark.parametrize("year, prefix", [(2020, "A"), (2024, "B")])
def test_cstd_toan_quoc_needs_two_provincial_titles_in_six_years(tmp_path, year, prefix):
    unit = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [
        person("Nguyễn Văn An", "CSTĐTQ"), person("Lê Văn Bình", "CSTĐTQ")], year=year)
    rows = [("Nguyễn Văn An", "CSTD_TINH", year - 3), ("Nguyễn Văn An", "CSTD_BO", year - 1),
            ("Lê Văn Bình", "CSTD_TINH", year - 8), ("Lê Văn Bình", "CSTD_TINH", year - 2)]
    rows += [("Người Khác", "GK", y) for y in range(year - 6, year)]
    found = [f for f in validate(read_paths([unit]), year, history=_hist(rows)) if f.rule == f"{prefix}.CSTD_TQ.CSTD_2_LAN"]
    assert [(f.row, f.code) for f in found] == [(R + 1, "CRITERIA_NOT_MET")]
    assert "1 lần" in found[0].message


def test_streak_under_the_2022_law_counts_titles_earned_under_the_old_one(tmp_path):
    unit = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [
        person("Nguyễn Văn An", "CSTĐ cấp tỉnh"), person("Nguyễn Văn An", "CSTĐCS", Sáng_kiến="SK"),
        person("Nguyễn Văn An", "LĐTT")] + ldtt_rows(7), year=2024,
        initiatives=[["SK tỉnh", "Sáng kiến", "Tỉnh", "Nguyễn Văn An", 2023]])
    intake = read_paths([unit])
    assert len(intake.nominations) == 10
    found = validate(intake, 2024, history=_hist([("Nguyễn Văn An", "CSTDCS", 2022), ("Nguyễn Văn An", "CSTDCS", 2023)]))
    assert not [f for f in found if f.code in ("CRITERIA_NOT_MET", "NOT_CHECKED")]


REGIMES = [(2020, "A", ERROR), (2024, "B", ERROR)]


@pytest.mark.parametrize("year, prefix, severity", REGIMES)
def test_cstdcs_needs_ldtt_and_an_initiative_in_both_regimes(tmp_path, year, prefix, severity):
    unit = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [
        person("Nguyễn Văn An", "CSTĐCS", Sáng_kiến="SK"), person("Nguyễn Văn An", "LĐTT"),    # passes both
        person("Lê Văn Bình", "CSTĐCS", dob="1975", Sáng_kiến="SK"),                            # no LĐTT
        person("Trần Văn Cường", "CSTĐCS", dob="1976"), person("Trần Văn Cường", "LĐTT", dob="1976"),  # no SK
    ] + ldtt_rows(14), year=year)
    found = [f for f in validate(read_paths([unit]), year, history=False) if f.code in ("CRITERIA_NOT_MET", "NOT_CHECKED")]
    # from 2024 an initiative is one way among others (hoàn thành xuất sắc nhiệm vụ): without a
    # Xếp loại column the row without one cannot be judged
    no_sk = ("CRITERIA_NOT_MET", severity) if prefix == "A" else ("NOT_CHECKED", WARNING)
    assert sorted((f.row, f.rule, f.code, f.severity) for f in found) == [
        (R + 2, f"{prefix}.CSTDCS.LDTT", "CRITERIA_NOT_MET", severity),
        (R + 3, f"{prefix}.CSTDCS.SANG_KIEN", *no_sk)]


@pytest.mark.parametrize("year, prefix, severity", REGIMES)
def test_cstd_tinh_streak_fails_in_both_regimes(tmp_path, year, prefix, severity):
    unit = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [
        person("Nguyễn Văn An", "CSTĐ cấp tỉnh"), person("Nguyễn Văn An", "CSTĐCS", Sáng_kiến="SK"),
        person("Nguyễn Văn An", "LĐTT")] + ldtt_rows(7), year=year,
        initiatives=[["SK tỉnh", "Sáng kiến", "Tỉnh", "Nguyễn Văn An", year]])
    hist = _hist([("Nguyễn Văn An", "CSTDCS", year - 2), ("Người Khác", "GK", year - 1)])
    found = [f for f in validate(read_paths([unit]), year, history=hist) if f.code == "CRITERIA_NOT_MET"]
    assert [(f.row, f.rule, f.severity) for f in found] == [(R, f"{prefix}.CSTD_TINH.CSTDCS_3_NAM", severity)]
    assert f"năm {year - 1}" in found[0].message


@pytest.mark.parametrize("year, prefix, _severity", REGIMES)
def test_ttldxs_among_ttldtt_and_bk_ttcp_after_a_bang_khen_in_both_regimes(tmp_path, year, prefix, _severity):
    unit = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [
        {"Họ và tên": "Khoa Nội", "Hình thức đề nghị": "TTLĐXS"}, {"Họ và tên": "Khoa Nội", "Hình thức đề nghị": "TTLĐTT"},
        {"Họ và tên": "Khoa Nhi", "Hình thức đề nghị": "TTLĐXS"},
        person("Nguyễn Văn An", "BK TTCP"), person("Lê Văn Bình", "BK TTCP", dob="1980"),
    ], year=year)
    hist = _hist([("Nguyễn Văn An", "BK_BO", year - 5), ("Lê Văn Bình", "BK_TINH", year - 4)])
    found = [f for f in validate(read_paths([unit]), year, history=hist) if f.code == "CRITERIA_NOT_MET"
             and f.rule in (f"{prefix}.TTLDXS.TTLDTT", f"{prefix}.BK_TTCP.BK_5_NAM")]
    assert sorted((f.row, f.rule, f.severity) for f in found) == [
        (R + 2, f"{prefix}.TTLDXS.TTLDTT", WARNING), (R + 4, f"{prefix}.BK_TTCP.BK_5_NAM", WARNING)]


@pytest.mark.parametrize("year, prefix", [(2020, "A"), (2024, "B")])
def test_optional_columns_rank_discipline_and_recruitment_date_when_a_unit_sends_them(tmp_path, year, prefix):
    unit = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [
        person("Nguyễn Văn An", "LĐTT"), person("Lê Văn Bình", "LĐTT", dob="1981"),
        person("Trần Văn Cường", "LĐTT", dob="1982"), person("Phạm Văn Dũng", "LĐTT", dob="1983")], year=year)
    intake = read_paths([unit])
    assert len(intake.nominations) == 4
    assert not [f for f in validate(intake, year, history=False) if f.code == "CRITERIA_NOT_MET"]
    intake = read_paths([unit])
    intake.nominations["xep_loai"] = ["HTXSNV", "htnv", "", "Hoàn thành tốt nhiệm vụ"]
    intake.nominations["ky_luat"] = ["không", "", "Khiển trách", ""]
    intake.nominations["ngay_tuyen_dung"] = ["01/01/2010", "", "", f"02/07/{year}"]  # 5 months: < 10, < 6
    found = {(f.row, f.rule) for f in validate(intake, year, history=False) if f.code == "CRITERIA_NOT_MET"}
    assert found == {(R + 1, f"{prefix}.LDTT.XEP_LOAI"), (R + 2, f"{prefix}.LDTT.KY_LUAT"),
                     (R + 3, f"{prefix}.LDTT.TUYEN_DUNG")}


def test_an_initiative_cell_left_missing_in_an_edited_list_states_no_initiative(tmp_path):
    """A list handed over after editing (a script, the Excel adapter) may hold a missing cell, not an
    empty text: it names no initiative, so the Chiến sĩ thi đua cơ sở criterion is still not met."""
    unit = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [
        person("Trần Văn Cường", "CSTĐCS", dob="1976"), person("Trần Văn Cường", "LĐTT", dob="1976"),
    ] + ldtt_rows(14), year=2020)
    intake = read_paths([unit])
    intake.nominations.loc[intake.nominations["ho_ten"] == "Trần Văn Cường", "sang_kien"] = None
    found = [(f.row, f.rule) for f in validate(intake, 2020, history=False) if f.code == "CRITERIA_NOT_MET"]
    assert found == [(R, "A.CSTDCS.SANG_KIEN")]


@pytest.mark.parametrize("year, prefix", [(2020, "A"), (2024, "B")])
def test_two_state_awards_for_one_person_in_one_year_are_reported_on_both_rows(tmp_path, year, prefix):
    write_unit(tmp_path / "dv.xlsx", "Bệnh viện A", [
        person("Nguyễn Văn An", "Bằng khen của Thủ tướng Chính phủ"),
        person("Nguyễn Văn An", "Huân chương Lao động hạng Ba"),
        person("Trần Thị Bình", "Bằng khen của Thủ tướng Chính phủ"),
        person("Nguyễn Văn An", "Huân chương Lao động hạng Ba", dob="01/05/1975"),  # a namesake
    ], year=year)
    found = [f for f in validate(read_paths([tmp_path]), year, history=False)
             if f.rule == f"{prefix}.NHA_NUOC.MOT_NAM_MOT_LAN"]
    assert [f.row for f in found] == [FIRST_ROW, FIRST_ROW + 1]
    assert "Huân chương Lao động hạng Ba" in found[0].message and "Thủ tướng" in found[1].message.split("cũng có")[1]
