"""The award year picks the law: the 2022 law's CSTĐCS and LĐTT rules, the old decree's for 2020.

Each rule has a nominee who just meets it and one who just misses it, under every regime
where it applies; every finding cites the article it rests on.
"""
from __future__ import annotations

import pytest
from validate_helpers import FIRST_ROW, HEADERS, ldtt_rows, person, write_unit

from thidua_xl.intake import read_paths
from thidua_xl.model import ERROR, WARNING
from thidua_xl.validate import unverified_note, validate

R = FIRST_ROW
RATED = HEADERS + ["Xếp loại", "Ngày tuyển dụng"]


def _run(tmp_path, rows, year, **kw):
    unit = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", rows, year=year, headers=RATED)
    intake = read_paths([unit])
    assert len(intake.nominations) == len(rows)  # "nothing flagged" must mean the rows were read
    return validate(intake, year, history=False, **kw)


def _at(found, rule_prefix):
    return sorted((f.row, f.code, f.severity) for f in found if (f.rule or "").startswith(rule_prefix))


def _cstdcs(name, rating, year, dob, **kw):
    return [person(name, "CSTĐCS", dob=dob, Xếp_loại=rating, **kw), person(name, "LĐTT", dob=dob, Xếp_loại=rating)]


# --- CSTĐCS: from 2024 hoàn thành xuất sắc nhiệm vụ OR an initiative (Luật 2022, Điều 23) --------------
def test_2025_cstdcs_rated_excellent_needs_no_initiative_but_one_rated_good_does(tmp_path):
    rows = (_cstdcs("Nguyễn Văn An", "Hoàn thành xuất sắc nhiệm vụ", 2025, "01/01/1980")       # R, R+1: passes
            + _cstdcs("Lê Văn Bình", "Hoàn thành tốt nhiệm vụ", 2025, "02/02/1981")            # R+2: flagged
            + _cstdcs("Trần Văn Cường", "HTTNV", 2025, "03/03/1982", Sáng_kiến="Bảng kiểm")    # R+4: passes
            + ldtt_rows(10))
    found = _run(tmp_path, rows, 2025)
    assert _at(found, "B.CSTDCS.SANG_KIEN") == [(R + 2, "CRITERIA_NOT_MET", ERROR)]
    [f] = [f for f in found if f.rule == "B.CSTDCS.SANG_KIEN"]
    assert "Hoàn thành tốt nhiệm vụ" in f.message and f.column == "Sáng kiến"
    assert f.legal_basis == "Luật Thi đua, khen thưởng 2022 (số 06/2022/QH15), Điều 23 khoản 2" and f.verified


def test_2020_cstdcs_needs_an_initiative_even_when_rated_excellent(tmp_path):
    rows = (_cstdcs("Nguyễn Văn An", "HTXSNV", 2020, "01/01/1980")
            + _cstdcs("Trần Văn Cường", "HTXSNV", 2020, "03/03/1982", Sáng_kiến="Bảng kiểm") + ldtt_rows(12))
    found = _run(tmp_path, rows, 2020)
    assert _at(found, "A.CSTDCS.SANG_KIEN") == [(R, "CRITERIA_NOT_MET", ERROR)]
    assert "Nghị định 91/2017/NĐ-CP, Điều 9 khoản 3" in next(f.legal_basis for f in found
                                                              if f.rule == "A.CSTDCS.SANG_KIEN")


# --- LĐTT: recruited less than 6 months before (2024 on) / 10 months (up to 2023) --------------------
@pytest.mark.parametrize("year, rule, meets, misses, severity", [
    (2025, "B.LDTT.TUYEN_DUNG.TT15", "01/05/2025", "01/09/2025", WARNING),  # 8 months / 4 months
    (2024, "B.LDTT.TUYEN_DUNG", "01/07/2024", "02/07/2024", ERROR),          # 6 months exactly / 5
    (2020, "A.LDTT.TUYEN_DUNG", "01/03/2020", "02/03/2020", ERROR),          # 10 months exactly / 9
])
def test_lao_dong_tien_tien_recruitment_months_follow_the_award_year(tmp_path, year, rule, meets, misses, severity):
    rows = [person("Nguyễn Văn An", "LĐTT", Ngày_tuyển_dụng=meets),
            person("Lê Văn Bình", "LĐTT", dob="1981", Ngày_tuyển_dụng=misses)]
    found = [f for f in _run(tmp_path, rows, year) if "TUYEN_DUNG" in (f.rule or "")]
    assert [(f.row, f.rule, f.code, f.severity) for f in found] == [(R + 1, rule, "CRITERIA_NOT_MET", severity)]
    assert "Điều" in found[0].legal_basis or "Thông tư 15/2025" in found[0].legal_basis


def test_2025_lao_dong_tien_tien_recruited_eight_months_before_passes_four_months_is_flagged(tmp_path):
    rows = [person("Nguyễn Văn An", "LĐTT", Ngày_tuyển_dụng="01/05/2025"),
            person("Lê Văn Bình", "LĐTT", dob="1981", Ngày_tuyển_dụng="01/09/2025")]
    found = _run(tmp_path, rows, 2025)
    assert {f.row for f in found if f.code == "CRITERIA_NOT_MET"} == {R + 1}
    assert "mới 4 tháng" in next(f.message for f in found if f.code == "CRITERIA_NOT_MET")


# --- the CSTĐCS ratio: 15% of LĐTT under Nghị định 91/2017 only --------------------------------------
def _over_quota(n_cstdcs=2):
    return ldtt_rows(7) + [person(f"Người {n}", "CSTĐCS", dob=f"0{i + 1}/03/198{i}", Sáng_kiến="SK",
                                  Xếp_loại="HTXSNV") for i, n in enumerate(["An", "Bình"][:n_cstdcs])]


def test_2020_fifteen_percent_applies_and_2025_has_no_ratio_and_no_remaining_note(tmp_path):
    found = _run(tmp_path, _over_quota(), 2020)
    [q] = [f for f in found if f.code == "QUOTA_EXCEEDED"]
    assert q.rule == "A.CSTDCS.TY_LE" and q.legal_basis == "Nghị định 91/2017/NĐ-CP, Điều 9 khoản 3"
    found = _run(tmp_path, _over_quota(), 2025)
    assert not [f for f in found if f.code in ("QUOTA_EXCEEDED", "QUOTA_REMAINING")]
    assert not [f for f in found if "còn có thể đề nghị thêm" in f.message]


def test_a_ratio_the_so_configures_applies_from_2024_citing_the_configured_source(tmp_path):
    unit = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", _over_quota(), year=2025, headers=RATED)
    intake = read_paths([unit])
    intake.config["ty le cstdcs toi da so voi ldtt"] = "15%"
    intake.config["can cu ty le cstdcs"] = "Quyết định số 14/2024/QĐ-UBND của Ủy ban nhân dân tỉnh, Điều 10"
    [q] = [f for f in validate(intake, 2025, history=False) if f.code == "QUOTA_EXCEEDED"]
    assert q.rule == "B.CSTDCS.TY_LE" and q.legal_basis.startswith("Quyết định số 14/2024/QĐ-UBND") and q.verified
    assert "tối đa 1 (15%" in q.message
    intake = read_paths([unit])
    intake.config["ty le cstdcs toi da so voi ldtt"] = "15%"
    [q] = [f for f in validate(intake, 2025, history=False) if f.code == "QUOTA_EXCEEDED"]
    assert "chưa ghi căn cứ" in q.legal_basis and not q.verified and q.severity == WARNING


# --- said once per run ------------------------------------------------------------------------------
def test_the_unverified_note_is_said_once_and_marked_per_finding(tmp_path):
    rows = [person("Nguyễn Văn An", "LĐTT", Ngày_tuyển_dụng="01/09/2025")]
    found = _run(tmp_path, rows, 2025)
    assert not [f for f in found if "chưa được đối chiếu" in f.message]
    unverified = [f for f in found if not f.verified]
    assert [f.rule for f in unverified] == ["B.LDTT.TUYEN_DUNG.TT15"]
    assert "B.LDTT.TUYEN_DUNG.TT15" in unverified_note(found) and unverified_note([]) is None


def test_every_finding_of_a_law_rule_cites_an_article(tmp_path):
    rows = (_cstdcs("Lê Văn Bình", "HTTNV", 2020, "02/02/1981") + _over_quota()
            + [person("Trần Văn Cường", "LĐTT", dob="1982", Ngày_tuyển_dụng="01/12/2020")])
    for year in (2020, 2024, 2025):
        found = [f for f in _run(tmp_path, rows, year) if (f.rule or "")[:2] in ("A.", "B.")]
        assert found, year
        assert all(f.legal_basis and ("Điều" in f.legal_basis or "Thông tư" in f.legal_basis) for f in found), year
