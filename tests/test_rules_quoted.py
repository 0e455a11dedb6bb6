"""Rules whose legal text was found and quoted this round, checked as the text reads.

- Luật Thi đua, khen thưởng 2003, Điều 27 khoản 1: "c) Có 100% cá nhân trong tập thể hoàn thành nhiệm
  vụ được giao, trong đó có ít nhất 70% cá nhân đạt danh hiệu “Lao động tiên tiến”; d) Có cá nhân đạt
  danh hiệu “Chiến sĩ thi đua cơ sở” và không có cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên".
- Luật Thi đua, khen thưởng 2022, Điều 27 khoản 1: the same c), and "d) Có cá nhân đạt danh hiệu “Chiến
  sĩ thi đua cơ sở”;" without the disciplined members (that rule is off from 2024).
- Thông tư 12/2019/TT-BNV, Điều 3 (from 2020; Thông tư 08/2017/TT-BNV before): "Trong 01 năm không đề
  nghị xét, tặng 02 hình thức khen thưởng cấp Nhà nước cho một tập thể hoặc một cá nhân (trừ khen
  thưởng đột xuất; khen thưởng quá trình cống hiến; khen thưởng theo niên hạn)".
- Nghị định 91/2017/NĐ-CP, Điều 24: Huân chương Lao động hạng ba for who "Đã được tặng thưởng “Bằng khen
  của Thủ tướng Chính phủ” và 05 năm tiếp theo trở lên …".
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from validate_helpers import FIRST_ROW, HEADERS, collective, person, write_unit

import thidua_xl.rules
from thidua_xl.intake import read_paths
from thidua_xl.model import ERROR, WARNING
from thidua_xl.rules import load_builtin, load_rules
from thidua_xl.text import name_key
from thidua_xl.validate import validate

R = FIRST_ROW
COUNTS = HEADERS + ["Tổng số thành viên", "Số LĐTT", "Số CSTĐCS", "Số hoàn thành nhiệm vụ", "Kỷ luật"]


def _run(tmp_path, rows, year, headers=COUNTS, history=False):
    f = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", rows, year=year, headers=headers)
    return validate(read_paths([f]), year, history=history)


def _hits(found, rule):
    return sorted((f.row, f.code, f.severity) for f in found if rule in (f.rules or (f.rule,)))


def test_ttldxs_under_the_2003_law_needs_seventy_percent_ldtt_a_cstdcs_everyone_done_and_no_warning(tmp_path):
    ok = {"Tổng số thành viên": 10, "Số LĐTT": 7, "Số CSTĐCS": 1, "Số hoàn thành nhiệm vụ": 10, "Kỷ luật": "Không"}
    rows = [collective("Khoa Nội", "TTLĐXS", **ok),                                       # just meets every point
            collective("Khoa Nhi", "TTLĐXS", **{**ok, "Số LĐTT": 6}),                     # 60% LĐTT
            collective("Khoa Sản", "TTLĐXS", **{**ok, "Số hoàn thành nhiệm vụ": 9}),      # one did not finish
            collective("Khoa Dược", "TTLĐXS", **{**ok, "Số CSTĐCS": 0}),                  # no CSTĐCS
            collective("Khoa Mắt", "TTLĐXS", **{**ok, "Kỷ luật": "01 cảnh cáo"}),         # a cảnh cáo
            collective("Khoa Da liễu", "TTLĐXS", **{**ok, "Kỷ luật": "01 khiển trách"})]  # khiển trách is below it
    found = _run(tmp_path, rows, 2020)
    for rule, row in (("A.TTLDXS.TY_LE_LDTT", R + 1), ("A.TTLDXS.HOAN_THANH", R + 2), ("A.TTLDXS.CSTDCS", R + 3),
                      ("A.TTLDXS.KY_LUAT", R + 4)):
        assert _hits(found, rule) == [(row, "CRITERIA_NOT_MET", ERROR)], rule  # quoted, so an error
    f = next(f for f in found if f.rule == "A.TTLDXS.TY_LE_LDTT")
    assert f.legal_basis == "Luật Thi đua, khen thưởng 2003 (sửa đổi, bổ sung 2013), Điều 27 khoản 1 điểm c"
    assert "6/10" in f.message and "70%" in f.message and f.verified
    # the same collectives in 2025: the 2022 law (Điều 27, quoted too), whose point d no longer names a cảnh cáo
    found = _run(tmp_path, rows, 2025)
    assert not [f for f in found if f.rule and f.rule.startswith("A.")]
    for rule, row in (("B.TTLDXS.TY_LE_LDTT", R + 1), ("B.TTLDXS.HOAN_THANH", R + 2), ("B.TTLDXS.CSTDCS", R + 3)):
        assert _hits(found, rule) == [(row, "CRITERIA_NOT_MET", ERROR)], rule
    assert not _hits(found, "B.TTLDXS.KY_LUAT")  # Khoa Mắt's cảnh cáo is no criterion from 2024
    f = next(f for f in found if f.rule == "B.TTLDXS.CSTDCS")
    assert f.legal_basis == "Luật Thi đua, khen thưởng 2022 (số 06/2022/QH15), Điều 27 khoản 1 điểm d" and f.verified


def test_the_2022_collective_rules_quote_the_text_they_were_read_in():
    rules = load_rules(None)
    for rid in ("B.TTLDXS.TY_LE_LDTT", "B.TTLDXS.HOAN_THANH", "B.TTLDXS.CSTDCS"):
        r = rules.get(rid)
        assert r.verified and r.quote and r.source.startswith("https://stp.thuathienhue.gov.vn/"), rid
    off = rules.get("B.TTLDXS.KY_LUAT")
    assert not off.enabled and not off.verified and "không còn" in off.source
    # no rule, no legal text names a file outside the package as its source
    assert not [r.id for r in rules if ".md" in r.source]
    data = Path(thidua_xl.rules.__file__).parent / "data"
    assert not [line for f in data.glob("*.toml") for line in f.read_text(encoding="utf-8").splitlines()
                if line.startswith("source") and ".md" in line]


def test_ttldxs_under_the_2003_law_without_member_counts_is_not_checked(tmp_path):
    found = _run(tmp_path, [collective("Khoa Nội", "TTLĐXS")], 2020)
    for rule in ("A.TTLDXS.TY_LE_LDTT", "A.TTLDXS.HOAN_THANH", "A.TTLDXS.CSTDCS", "A.TTLDXS.KY_LUAT"):
        assert _hits(found, rule) == [(R, "NOT_CHECKED", WARNING)], rule


@pytest.mark.parametrize("year, rule, basis", [
    (2019, "A.NHA_NUOC.MOT_NAM_MOT_LAN.TT08", "Thông tư 08/2017/TT-BNV"),
    (2020, "A.NHA_NUOC.MOT_NAM_MOT_LAN", "Thông tư 12/2019/TT-BNV, Điều 3"),
])
def test_one_state_level_award_a_year_cites_the_circular_of_the_award_year(tmp_path, year, rule, basis):
    rows = [person("Nguyễn Văn An", "BK TTCP"), person("Nguyễn Văn An", "HCLĐ hạng Ba"),
            person("Lê Văn Bình", "HCLĐ hạng Ba", dob="1980")]                       # one award: nothing to say
    found = _run(tmp_path, rows, year, headers=HEADERS)
    hits = [f for f in found if f.rule and f.rule.startswith("A.NHA_NUOC")]
    assert sorted((f.rule, f.row) for f in hits) == [(rule, R), (rule, R + 1)]
    assert all(f.legal_basis.startswith(basis) and f.verified for f in hits)
    assert "Huân chương Lao động hạng Ba" in hits[0].message  # names the other award


def test_hcld3_under_the_2003_law_needs_the_prime_ministers_certificate_five_years_before(tmp_path):
    hist = pd.DataFrame([{"ho_ten": n, "name_key": name_key(n), "birth_year": 1980.0, "birth_date": "", "don_vi": "",
                          "unit_key": "", "subject": "ca_nhan", "award": "BK_TTCP", "year": y}
                         for n, y in (("Nguyễn Văn An", 2015), ("Lê Văn Bình", 2016))])
    rows = [person("Nguyễn Văn An", "HCLĐ hạng Ba", dob="1980"), person("Lê Văn Bình", "HCLĐ hạng Ba", dob="1980")]
    found = _run(tmp_path, rows, 2020, headers=HEADERS, history=hist)
    hits = [f for f in found if f.rule == "A.HCLD3.BK_TTCP_5_NAM"]
    assert [(f.row, f.verified) for f in hits] == [(R + 1, True)]  # 2015 + 5 = 2020 meets; 2016 misses
    assert "Nghị định 91/2017/NĐ-CP, Điều 24" in hits[0].legal_basis


def test_a_rule_marked_verified_carries_its_quote_and_where_it_was_read():
    for rule in load_builtin():
        if rule.verified and rule.legal_ref:
            assert rule.quote.strip() and rule.source.strip(), rule.id
