"""The decision: which proposed rows the Sở grants or forwards, and why each other row stays out."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from thidua_xl.decide import (CHUYEN_CAP_TREN, DUPLICATE, ERROR_REASON, FORWARDED, PENDING, REJECTED, VOTE,
                              award_vote, decide, decide_year, parse_threshold, row_result)
from thidua_xl.documents.votes import Vote, read_vote_sheet
from thidua_xl.intake import read_paths
from thidua_xl.validate import validate
from workbook_helpers import numbered_unit_file

def unit_file(path: Path, unit: str, rows: list[tuple]) -> Path:
    return numbered_unit_file(path, unit, rows, year=2024, extra=("Kết quả xét",))


def votes_workbook(path: Path, rows: list[tuple]) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "Ghi chú"
    ws = wb.create_sheet("Biểu quyết")
    ws.append(["KẾT QUẢ BIỂU QUYẾT"])
    ws.append(["STT", "Hình thức", "Số thành viên Hội đồng", "Số phiếu đồng ý", "Kết quả"])
    for i, r in enumerate(rows, 1):
        ws.append([i, *r])
    wb.save(path)
    return path


@pytest.fixture()
def year_2024(tmp_path):
    """Two units; the Hội đồng rejects Giấy khen; the Sở says Không đồng ý to one person."""
    folder = tmp_path / "don-vi"
    folder.mkdir()
    unit_file(folder / "BVDK.xlsx", "Bệnh viện Đa khoa tỉnh", [
        ("Nguyễn Văn An", "13/02/1980", "Nam", "Bác sĩ", "Khoa Nội", "Lao động tiên tiến", ""),
        ("Trần Thị Bình", "05/06/1985", "Nữ", "Điều dưỡng", "Khoa Ngoại", "LĐTT", "Đồng ý"),
        ("Lê Văn Cường", "01/01/1975", "Nam", "Trưởng khoa", "Khoa Nhi", "LĐTT", "Không đồng ý"),
        ("Khoa Dược", None, None, None, None, "Giấy khen", ""),
        ("Đỗ Văn Dũng", "02/03/1990", "Nam", "Kỹ thuật viên", "Khoa Xét nghiệm", "Huy chương vàng", ""),
        ("Vũ Thị Én", "04/05/1970", "Nữ", "Giám đốc", "Ban Giám đốc", "Bằng khen UBND tỉnh", CHUYEN_CAP_TREN),
    ])
    unit_file(folder / "CDC.xlsx", "Trung tâm Kiểm soát bệnh tật tỉnh", [
        ("Nguyễn Văn An", "13/02/1980", "Nam", "Bác sĩ", "Khoa Nội", "LĐTT", ""),  # the same nomination again
        ("Phạm Thị Giang", "07/08/1988", "Nữ", "Y sĩ", "Phòng Kế hoạch", "Giấy khen", ""),
        ("Hoàng Văn Hải", "09/10/1982", "Nam", "Bác sĩ", "Khoa Dịch tễ", "LĐTT", CHUYEN_CAP_TREN),
    ])
    votes = votes_workbook(tmp_path / "bieu-quyet.xlsx", [
        ("Lao động tiên tiến", 14, 12, ""),
        ("Giấy khen của Giám đốc Sở Y tế", 14, 13, "Không thông qua"),  # typed result wins over the ballot
        ("Bằng khen UBND tỉnh", 14, 7, ""),  # 7/14: not more than half … unless the threshold says ½
    ])
    intake = read_paths([folder])
    findings = validate(intake, 2024)
    return intake, findings, read_vote_sheet([votes])


def _where(decision):
    return {(e.file, e.row): e for e in decision.excluded}


def test_each_row_is_decided_or_excluded_with_its_reason(year_2024):
    intake, findings, votes = year_2024
    d = decide(intake.nominations, findings, votes, year=2024, members=14)
    out = _where(d)
    assert out[("CDC.xlsx", 4)].reason == DUPLICATE and "BVDK.xlsx" in out[("CDC.xlsx", 4)].detail
    assert ("BVDK.xlsx", 4) not in out  # the first copy is kept
    assert out[("BVDK.xlsx", 6)].reason == REJECTED and out[("BVDK.xlsx", 6)].ho_ten == "Lê Văn Cường"
    assert out[("BVDK.xlsx", 7)].reason == VOTE and out[("CDC.xlsx", 5)].reason == VOTE  # Giấy khen rejected
    assert out[("BVDK.xlsx", 8)].reason == ERROR_REASON and "UNKNOWN_AWARD" in out[("BVDK.xlsx", 8)].detail
    assert out[("BVDK.xlsx", 9)].reason == VOTE  # Bằng khen UBND tỉnh: 7/14 is not a majority
    assert out[("CDC.xlsx", 6)].reason == FORWARDED  # a Sở award sent up is not in the Sở's decision
    decided = d.lists
    assert sorted(decided) == ["LDTT"]
    assert decided["LDTT"]["ho_ten"].tolist() == ["Nguyễn Văn An", "Trần Thị Bình"]  # tên order
    assert d.decided.total("LDTT") == 2 and d.proposed.total("LDTT") == 5
    assert len(d.excluded) + 2 == len(intake.nominations)


def test_the_decision_is_the_same_from_intake_polars_frame(year_2024):
    """The core hands on Polars frames (no pyarrow here): decide reads them as it reads the pandas view."""
    intake, findings, votes = year_2024
    from_pandas = decide(intake.nominations, findings, votes, year=2024, members=14)
    from_polars = decide(intake.frame, findings, votes, year=2024, members=14)
    assert [(e.file, e.row, e.reason) for e in from_polars.excluded] == \
        [(e.file, e.row, e.reason) for e in from_pandas.excluded]
    assert from_polars.lists["LDTT"]["ho_ten"].tolist() == from_pandas.lists["LDTT"]["ho_ten"].tolist() \
        == ["Nguyễn Văn An", "Trần Thị Bình"]


def test_reconciliation_goes_proposed_valid_passed_decided(year_2024):
    intake, findings, votes = year_2024
    d = decide(intake.nominations, findings, votes, year=2024, members=14)
    table = {r.award: (r.proposed, r.valid, r.passed, r.decided) for r in d.reconciliation}
    assert table["LDTT"] == (5, 4, 4, 2)  # a duplicate; Không đồng ý and Chuyển cấp trên after the vote
    assert table["GK"] == (2, 2, 0, 0)
    assert table["BK_TINH"] == (1, 1, 0, 0)
    assert table[None] == (1, 0, 0, 0)  # the award nobody recognised is listed, not lost
    assert sum(r.proposed for r in d.reconciliation) == len(intake.nominations)


def test_a_threshold_of_one_half_passes_seven_of_fourteen(year_2024):
    intake, findings, votes = year_2024
    d = decide(intake.nominations, findings, votes, year=2024, members=14, threshold="50%")
    assert d.votes["BK_TINH"].passed is True
    assert d.lists["BK_TINH"]["ho_ten"].tolist() == ["Vũ Thị Én"]  # Chuyển cấp trên on a higher award: forwarded


def test_without_any_result_an_award_is_pending_a_draft_or_refused_for_the_register(year_2024):
    intake, findings, _votes = year_2024
    draft = decide(intake.nominations, findings, {}, year=2024)
    assert draft.is_pending("GK") and draft.decided.total("GK") == 2
    final = decide(intake.nominations, findings, {}, year=2024, require_vote=True)
    reasons = {(e.file, e.row): e.reason for e in final.excluded}
    assert reasons[("CDC.xlsx", 5)] == PENDING
    assert final.lists["LDTT"]["ho_ten"].tolist() == ["Trần Thị Bình"]  # only the row the Sở said Đồng ý to


def test_votes_sheet_result_column_and_threshold_texts(tmp_path):
    path = votes_workbook(tmp_path / "v.xlsx", [("CSTĐCS", None, None, "Thông qua"), ("LĐTT", 15, 10, ""),
                                                ("Giấy khen", None, None, "không thông qua")])
    assert read_vote_sheet([path]) == {"CSTDCS": Vote(None, None, True), "LDTT": Vote(10, 15, None),
                                       "GK": Vote(None, None, False)}
    assert parse_threshold("2/3") == Fraction(2, 3) and parse_threshold("70%") == Fraction(7, 10)
    assert parse_threshold("66,5") == Fraction(133, 200) and parse_threshold("") is None
    assert award_vote(Vote(10, 15), None, Fraction(2, 3)).passed is True
    assert award_vote(Vote(9, 15), None, Fraction(2, 3)).passed is False
    assert award_vote(Vote(9, None), None, None).passed is None  # no member count anywhere: undecided
    assert row_result(" không  ĐỒNG Ý ") == "Không đồng ý" and row_result("x") == ""


def test_decide_year_reads_members_and_threshold_from_the_config(year_2024):
    intake, findings, votes = year_2024
    intake.config = {"so thanh vien hoi dong co mat": "14", "ty le phieu dong y de thong qua": "1/2"}
    d = decide_year(intake, 2024, findings, votes)
    assert d.votes["BK_TINH"].passed is True and d.votes["LDTT"].ballot == "12/14"
