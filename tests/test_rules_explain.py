"""`thidua rules`: an officer reads a rule's quote, article, years and whether it was verified."""
from __future__ import annotations

from thidua_xl.cli import main
from thidua_xl.rules import load_builtin
from thidua_xl.rules.explain import describe, table


def test_a_rule_reads_with_its_quote_article_years_and_texts():
    text = describe(load_builtin().get("B.CSTDCS.SANG_KIEN"))
    assert "Điều 23 khoản 2" in text and "“2. Hoàn thành xuất sắc nhiệm vụ hoặc có sáng kiến" in text
    assert "năm thi đua từ 2024" in text and "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022" in text
    assert "hiệu lực từ ngày 01 tháng 01 năm 2024" in text and "đã đối chiếu" in text
    assert "Nguồn: https://" in text


def test_an_unverified_rule_says_so():
    text = describe(load_builtin().get("B.LDTT.TUYEN_DUNG.TT15"))
    assert "CHƯA đối chiếu" in text and "Cảnh báo" in text and "năm thi đua từ 2025" in text


def test_the_list_of_a_year_holds_that_years_versions_only():
    ids_2024 = {line[0] for line in table(load_builtin(), 2024)}
    ids_2025 = {line[0] for line in table(load_builtin(), 2025)}
    assert "B.LDTT.TUYEN_DUNG" in ids_2024 and "B.LDTT.TUYEN_DUNG" not in ids_2025
    assert "B.LDTT.TUYEN_DUNG.TT15" in ids_2025 and not any(i.startswith("A.") for i in ids_2025)


def test_the_command_prints_a_rule_and_refuses_an_unknown_one(capsys):
    assert main(["rules", "A.CSTDCS.TY_LE"]) == 0
    out = capsys.readouterr().out
    assert "không quá 15% tổng số cá nhân" in out and "Điều 9 khoản 3" in out
    assert main(["rules", "--year", "2020"]) == 0
    assert "A.CSTDCS.TY_LE" in capsys.readouterr().out
    assert main(["rules", "KHONG.CO"]) == 2
