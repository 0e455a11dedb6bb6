"""The small lists users give (units, the awards register, rule settings): one tolerant reader for all."""
from __future__ import annotations

import pytest

from thidua_xl.errors import UserError
from thidua_xl.history import read_history_file
from thidua_xl.intake.lists import read_list_rows
from thidua_xl.rules import read_override_file
from thidua_xl.workbook.units import read_units

from badfile_helpers import zip_bomb

HISTORY_CSV = ("Họ và tên;Ngày sinh;Đơn vị;Năm;Hình thức\n"
               "Nguyễn Thị Hằng;13/02/1980;Bệnh viện Đa khoa tỉnh;2022;Lao động tiên tiến\n"
               "Đặng Văn Đức;1975;Trung tâm Y tế huyện Bát Xát;2023;CSTĐCS\n")


def cp1258(text: str) -> bytes:
    """Windows-1258 as Windows writes it: â ê ô ă ơ ư đ precomposed, the tone a combining mark after them."""
    import unicodedata

    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
                   + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def test_a_register_saved_by_excel_on_a_vietnamese_windows_keeps_its_names(tmp_path):
    """Windows-1258 with `;` (what Excel writes there): read, not refused, every diacritic kept."""
    f = tmp_path / "lich-su.csv"
    f.write_bytes(cp1258(HISTORY_CSV))
    records, findings = read_history_file(f)
    assert sorted(records["ho_ten"]) == ["Nguyễn Thị Hằng", "Đặng Văn Đức"]
    assert sorted(records["award"]) == ["CSTDCS", "LDTT"] and not findings


def test_the_same_register_in_utf8_with_bom_reads_the_same(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(cp1258(HISTORY_CSV))
    b.write_bytes(HISTORY_CSV.encode("utf-8-sig"))
    assert read_history_file(a)[0].equals(read_history_file(b)[0])


def test_units_in_a_tab_separated_file(tmp_path):
    f = tmp_path / "don-vi.txt"
    f.write_text("Mã đơn vị\tTên đơn vị\tEmail\nBVDK\tBệnh viện Đa khoa tỉnh\tbvdk@syt.vn\n", "utf-8")
    got = read_units(f)
    assert got.units.values.tolist() == [["BVDK", "Bệnh viện Đa khoa tỉnh", "bvdk@syt.vn"]] and not got.warnings


@pytest.mark.parametrize("reader", [read_units, read_override_file, read_history_file])
def test_every_list_workbook_goes_through_the_safety_pre_check(tmp_path, reader):
    """A zip bomb named like a list is refused with a Vietnamese reason, never expanded."""
    bomb = zip_bomb(tmp_path)
    target = bomb.with_name("danh-sach.xlsx")
    bomb.rename(target)
    with pytest.raises(UserError, match="Không đọc được"):
        reader(target)


def test_the_sheet_asked_for_is_read_else_the_first_holding_the_table(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Ghi chú"
    wb.active.append(["tệp này để thử"])
    ws = wb.create_sheet("Danh sách")
    ws.append(["Mã đơn vị", "Tên đơn vị"])
    ws.append(["CDC", "Trung tâm Kiểm soát bệnh tật"])
    wb.create_sheet("Quy định").append(["Mã quy định", "Tham số", "Giá trị"])
    wb.save(tmp_path / "x.xlsx")
    from thidua_xl.intake import UNIT_LIST_HEADERS, UNIT_LIST_REQUIRED

    rows, _ = read_list_rows(tmp_path / "x.xlsx", UNIT_LIST_HEADERS, UNIT_LIST_REQUIRED)
    assert rows[1][:2] == ["CDC", "Trung tâm Kiểm soát bệnh tật"]
    rows, _ = read_list_rows(tmp_path / "x.xlsx", prefer="Quy định")
    assert rows == [["Mã quy định", "Tham số", "Giá trị"]]
