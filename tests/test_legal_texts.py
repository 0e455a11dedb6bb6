"""The legal texts by date: which law and decree a decision of an award year cites, in full."""
from __future__ import annotations

import datetime as dt

from thidua_xl.rules import load_builtin
from thidua_xl.rules.legal_texts import can_cu_lines, in_force, load_texts, text


def test_every_text_has_a_full_name_and_a_consistent_replacement():
    texts = {t.id: t for t in load_texts()}
    for t in texts.values():
        assert t.name and t.kind in ("luat", "nghi_dinh", "thong_tu") and t.source, t.id
        if t.replaced_by:
            new = texts[t.replaced_by]
            assert t.effective_to and new.effective_from and t.effective_to < new.effective_from, t.id
        if t.documents:
            assert t.verified and t.issued, f"{t.id}: a document cites only texts whose number and date were read"


def test_every_rule_names_texts_of_the_table():
    ids = {t.id for t in load_texts()}
    for r in load_builtin():
        assert set(r.texts) <= ids, r.id


def test_the_can_cu_lines_follow_the_award_year():
    assert can_cu_lines(2020) == [
        "Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số điều của Luật "
        "Thi đua, khen thưởng ngày 14 tháng 6 năm 2005; Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen "
        "thưởng ngày 16 tháng 11 năm 2013",
        "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi tiết thi hành một "
        "số điều của Luật Thi đua, khen thưởng",
    ]
    assert can_cu_lines(2024) == [
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
        "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành một "
        "số điều của Luật Thi đua, khen thưởng",
    ]
    y2025 = can_cu_lines(2025)
    assert y2025[0] == "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"
    assert y2025[1].startswith("Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định "
                               "về phân cấp, phân quyền trong lĩnh vực thi đua, khen thưởng")


def test_a_decree_replaced_mid_year_is_cited_until_its_last_day():
    assert "ND_98_2023" in {t.id for t in in_force(2025, dt.date(2025, 6, 30))}
    assert "ND_152_2025" in {t.id for t in in_force(2025, dt.date(2025, 7, 1))}
    assert "ND_98_2023" not in {t.id for t in in_force(2025)}


def test_texts_of_one_award_join_only_for_that_award():
    assert not any("25/2024/NĐ-CP" in line for line in can_cu_lines(2026))
    assert can_cu_lines(2026, award="TTND")[-1].startswith("Căn cứ Nghị định số 25/2024/NĐ-CP ngày 27 tháng 02 năm 2024")


def test_an_unverified_text_stays_out_of_the_documents():
    amendment = text("LUAT_2026")
    assert amendment is not None and not amendment.verified and not amendment.documents
    assert all("06/2026" not in line for line in can_cu_lines(2026))
