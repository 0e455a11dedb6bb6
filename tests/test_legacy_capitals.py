"""TCVN3 names typed in capitals, read from a real unit workbook: they stay capitals once converted.

TCVN3 has codes for Ă Â Ê Ô Ơ Ư Đ but none for a capital with a tone mark, so "NGUYỄN VĂN BÌNH"
typed in capitals in a `.VnTime` cell is "NGUYÔN V¨N B×NH": the ASCII letters say the case.
"""
from __future__ import annotations

import pytest
from validate_helpers import FIRST_ROW, person, write_unit

from thidua_xl.intake import read_paths
from thidua_xl.validate import validate

R = FIRST_ROW


@pytest.mark.parametrize("font", [None, ".VnTime"])  # told by the characters alone, or by the cell's font
def test_a_tcvn3_name_in_capitals_is_converted_to_capitals(tmp_path, font):
    f = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [
        person("NGUYÔN V¨N B×NH", "LAO §éNG TI£N TIÕN"),
        person("NguyÔn ThÞ Hoµ", "Lao ®éng tiªn tiÕn", gender="Nữ"),
        person("TRÇN Hå", "Lao ®éng tiªn tiÕn", dob="01/01/1979"),
    ], font=font)
    intake = read_paths([f])
    found = validate(intake, 2020, history=False)
    noms = intake.nominations
    assert list(noms["ho_ten"]) == ["NGUYỄN VĂN BÌNH", "Nguyễn Thị Hoà", "TRẦN HỒ"]
    assert list(noms["award"]) == ["LDTT"] * 3  # the award typed in capitals is still recognised
    leg = {(x.row, x.column): x.message for x in found if x.code == "LEGACY_ENCODING"}
    assert "“NGUYÔN V¨N B×NH” được đọc là “NGUYỄN VĂN BÌNH”" in leg[(R, "Họ và tên")]
    assert "được đọc là “LAO ĐỘNG TIÊN TIẾN”" in leg[(R, "Hình thức đề nghị")]
    assert "được đọc là “TRẦN HỒ”" in leg[(R + 2, "Họ và tên")]


def test_a_vnteh_font_draws_every_letter_as_a_capital(tmp_path):
    f = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [person("nguyÔn v¨n b×nh", "Lao ®éng tiªn tiÕn")],
                   font=".VnTimeH")
    intake = read_paths([f])
    validate(intake, 2020, history=False)
    assert intake.nominations.loc[0, "ho_ten"] == "NGUYỄN VĂN BÌNH"


def test_vni_names_in_capitals_were_already_capitals(tmp_path):
    f = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [person("NGUYEÃN VAÊN BÌNH", "Lao ñoäng tieân tieán")])
    intake = read_paths([f])
    validate(intake, 2020, history=False)
    assert intake.nominations.loc[0, "ho_ten"] == "NGUYỄN VĂN BÌNH"
