"""Lists in the layouts offices and provincial TĐKT systems really produce, counted per award × subject.

Each fixture is written with openpyxl in the shape such files have: title rows, headers named
the system's way, group headings instead of an award column, two award columns, a second table
on the same sheet, template instruction sheets and sample rows, totals and signature blocks.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from thidua_xl.intake import read_paths
from workbook_helpers import write_sheets


write = write_sheets


def counts(intake) -> Counter:
    df = intake.nominations
    df = df[df["award"].notna()]
    return Counter(zip(df["award"], df["subject"]))


def codes(intake) -> list[str]:
    return [f.code for f in intake.findings]


# --- 1. an export of a provincial TĐKT web system ----------------------------------------------------
def test_a_provincial_system_export_of_collectives(tmp_path):
    path = write(tmp_path / "DanhSachKhenThuong.xlsx", {"Sheet1": [
        ["ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG"],
        ["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"],
        [],
        ["STT", "Tên tập thể/cá nhân/hộ gia đình", "Đơn vị công tác", "Danh hiệu thi đua/Hình thức khen thưởng",
         "Phân loại khen thưởng", "Năm"],
        [1, "Khoa Nhi", "Bệnh viện Đa khoa tỉnh", "Tập thể lao động xuất sắc", "Tập thể", 2024],
        [2, "Khoa Nhi", "Bệnh viện Sản Nhi", "Tập thể lao động xuất sắc", "Tập thể", 2024],
        [3, "Khoa Dược", "Bệnh viện Sản Nhi", "Bằng khen cấp bộ, ban, ngành, tỉnh, đoàn thể trung ương", "Tập thể", 2024],
        [4, "Bệnh viện Sản Nhi", "Sở Y tế", "Cờ thi đua của Ủy ban nhân dân tỉnh", "Tập thể", 2024],
        [5, "Nguyễn Thị Hoa", "Bệnh viện Sản Nhi", "Chiến sỹ thi đua cấp tỉnh", "Cá nhân", 2024],
        [6, "Trần Văn Nam", "Bệnh viện Đa khoa tỉnh", "Bằng khen cấp bộ, ban, ngành, tỉnh, đoàn thể trung ương",
         "Cá nhân", 2024],
    ]})
    intake = read_paths([path])
    assert counts(intake) == Counter({("TTLDXS", "tap_the"): 2, ("BK_TINH", "tap_the"): 1, ("CO_TINH", "tap_the"): 1,
                                      ("CSTD_TINH", "ca_nhan"): 1, ("BK_TINH", "ca_nhan"): 1})
    assert "BAD_FILE" not in codes(intake)


def test_the_same_collective_name_under_two_parent_units_is_two_collectives(tmp_path):
    from thidua_xl.validate import validate

    path = write(tmp_path / "DS.xlsx", {"Sheet1": [
        ["STT", "Tên đơn vị / tập thể", "Đơn vị công tác", "Hình thức khen thưởng/Danh hiệu thi đua"],
        [1, "Khoa Nhi", "Bệnh viện Đa khoa tỉnh", "Tập thể lao động xuất sắc"],
        [2, "Khoa Nhi", "Bệnh viện Sản Nhi", "Tập thể lao động xuất sắc"],
        [3, "Khoa Nhi", "Bệnh viện Sản Nhi", "Tập thể lao động xuất sắc"],
    ]})
    intake = read_paths([path])
    assert counts(intake) == Counter({("TTLDXS", "tap_the"): 3})
    dups = [f for f in validate(intake, 2024, history=False) if f.code == "DUPLICATE"]
    assert sorted(f.row for f in dups) == [3, 4]


def test_titles_are_not_part_of_a_persons_key(tmp_path):
    from thidua_xl.validate import validate

    path = write(tmp_path / "DS.xlsx", {"Sheet1": [
        ["STT", "Họ và tên", "Năm sinh", "Hình thức đề nghị"],
        [1, "ThS.BS. Nguyễn Văn An", 1980, "Giấy khen"],
        [2, "Nguyễn Văn An", 1980, "Giấy khen"],
        [3, "Đại tá Lê Văn Bình", 1970, "LĐTT"],
        [4, "Ông Lê Văn Bình", 1970, "LĐTT"],
    ]})
    intake = read_paths([path])
    keys = intake.nominations["person_key"].tolist()
    assert keys[0] == keys[1] and keys[2] == keys[3]
    assert intake.nominations["ho_ten"].tolist()[0] == "ThS.BS. Nguyễn Văn An"  # shown as written
    assert len([f for f in validate(intake, 2024, history=False) if f.code == "DUPLICATE"]) == 4


# --- 2. an import template of the system: instructions, sample row ---------------------------------------
def test_a_template_with_an_instruction_sheet_and_a_sample_row(tmp_path):
    path = write(tmp_path / "BV Sản Nhi.xlsx", {
        "Hướng dẫn": [
            ["HƯỚNG DẪN NHẬP DANH SÁCH"],
            ["STT", "Họ và tên", "Hình thức khen thưởng", "Ghi chú"],
            [1, "Nguyễn Văn A", "Lao động tiên tiến", "Ghi đầy đủ họ tên"],
        ],
        "Danh sách": [
            ["DANH SÁCH ĐỀ NGHỊ"],
            ["STT", "Họ và tên (tập thể, cá nhân)", "Chức vụ, đơn vị", "Hình thức khen thưởng đề nghị",
             "Khen thưởng cá nhân/tập thể"],
            ["VD", "Nguyễn Văn A", "Bác sĩ, Khoa Nội", "Giấy khen", "Cá nhân"],
            [1, "Phạm Văn Hùng", "Trưởng khoa, Khoa Ngoại", "Giấy khen GĐ Sở Y tế", "Cá nhân"],
            [2, "Khoa Ngoại", "Bệnh viện Sản Nhi", "Giấy khen Giám đốc Sở Y tế", "Tập thể"],
            [3, "Lê Thị Mai", "Điều dưỡng, Khoa Nhi", "Chiến sỹ thi đua cơ sở", "Cá nhân"],
        ],
    })
    intake = read_paths([path])
    assert counts(intake) == Counter({("GK", "ca_nhan"): 1, ("GK", "tap_the"): 1, ("CSTDCS", "ca_nhan"): 1})
    assert "Nguyễn Văn A" not in intake.nominations["ho_ten"].tolist()
    assert "EXAMPLE_ROWS" in codes(intake)


# --- 3. a decision annex: the award in group headings, no award column ------------------------------------
def test_a_decision_annex_with_the_award_in_group_headings(tmp_path):
    path = write(tmp_path / "phu-luc.xlsx", {"Phụ lục": [
        ["DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC CÔNG NHẬN DANH HIỆU THI ĐUA NĂM 2024"],
        ["(Kèm theo Quyết định số 123/QĐ-SYT ngày 10/01/2025 của Giám đốc Sở Y tế)"],
        [],
        ["STT", "Họ và tên", "Chức vụ, đơn vị công tác"],
        ["1. Tập thể lao động tiên tiến (3 tập thể)"],
        [1, "Khoa Nội", "Bệnh viện Đa khoa tỉnh"],
        [2, "Khoa Ngoại", "Bệnh viện Đa khoa tỉnh"],
        [3, "Trạm Y tế xã Tân Lập", "Trung tâm Y tế huyện Yên Sơn"],
        ["2. Lao động tiên tiến (2 cá nhân)"],
        [1, "Nguyễn Văn An", "Bác sĩ, Khoa Nội"],
        [2, "Trần Thị Bình", "Điều dưỡng, Khoa Ngoại"],
        ["3. Chiến sĩ thi đua cơ sở (1 cá nhân)"],
        [1, "Nguyễn Văn An", "Bác sĩ, Khoa Nội"],
        [None, "Tổng cộng: 3 lượt tập thể, 3 lượt cá nhân"],
        [],
        [None, "Người lập biểu", "GIÁM ĐỐC"],
        [None, "Hoàng Văn Lập", "Nguyễn Văn Ký"],
    ]}, merges={"Phụ lục": ["A5:C5", "A9:C9", "A12:C12"]})
    intake = read_paths([path])
    assert counts(intake) == Counter({("TTLDTT", "tap_the"): 3, ("LDTT", "ca_nhan"): 2, ("CSTDCS", "ca_nhan"): 1})
    assert "TOTAL_MISMATCH" not in codes(intake)
    assert not {"Hoàng Văn Lập", "Nguyễn Văn Ký", "Người lập biểu"} & set(intake.nominations["ho_ten"])


def test_a_list_whose_award_is_in_its_title(tmp_path):
    path = write(tmp_path / "to-trinh.xlsx", {"DS": [
        ["SỞ Y TẾ TUYÊN QUANG"],
        ["DANH SÁCH TẬP THỂ ĐỀ NGHỊ TẶNG BẰNG KHEN CỦA CHỦ TỊCH UBND TỈNH"],
        ["(Kèm theo Tờ trình số 45/TTr-SYT)"],
        ["TT", "Tên đơn vị / tập thể", "Thành tích"],
        [1, "Khoa Hồi sức tích cực", "Hoàn thành xuất sắc nhiệm vụ"],
        [2, "Trạm Y tế xã Kim Phú", "Hoàn thành xuất sắc nhiệm vụ"],
        [3, "Phòng Kế hoạch tổng hợp", "Hoàn thành xuất sắc nhiệm vụ"],
    ]})
    intake = read_paths([path])
    assert counts(intake) == Counter({("BK_TINH", "tap_the"): 3})


def test_a_title_naming_lao_dong_tien_tien(tmp_path):
    path = write(tmp_path / "LDTT.xlsx", {"DS": [
        ["DANH SÁCH CÁ NHÂN ĐỀ NGHỊ CÔNG NHẬN DANH HIỆU LAO ĐỘNG TIÊN TIẾN NĂM 2024"],
        ["STT", "Họ và tên", "Năm sinh", "Chức vụ"],
        [1, "Nguyễn Văn An", 1980, "Bác sĩ"],
        [2, "Trần Thị Bình", 1985, "Điều dưỡng"],
    ]})
    assert counts(read_paths([path])) == Counter({("LDTT", "ca_nhan"): 2})


# --- 4. a unit's proposal: two award columns, abbreviations, signature in the award column ----------------
def test_two_award_columns_give_one_nomination_per_filled_cell(tmp_path):
    path = write(tmp_path / "TTYT Yên Sơn.xlsx", {"Đề nghị": [
        ["TRUNG TÂM Y TẾ HUYỆN YÊN SƠN"],
        ["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2024"],
        ["STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Danh hiệu thi đua/Hình thức khen thưởng", None, "Ghi chú"],
        [None, None, None, None, "Thi đua", "Khen thưởng", None],
        ["I", "TẬP THỂ"],
        [1, "Khoa Nội", None, None, "TTLĐTT", "GK", None],
        [2, "Trạm Y tế xã Kim Phú", None, None, "TTLĐTT", None, None],
        ["II", "CÁ NHÂN"],
        [1, "Nguyễn Văn An", dt.datetime(1980, 1, 2), "Bác sĩ", "LĐTT", "Giấy khen", None],
        [2, "Trần Thị Bình", "12/03/1985", "Điều dưỡng", "LĐTT, CSTĐCS", None, None],
        [3, "Lê Văn Cường", "1979", "Kỹ thuật viên", None, "BK UBND tỉnh", None],
        [None, "Tổng cộng: 3 lượt tập thể, 5 lượt cá nhân"],
        [None, "Ghi chú: danh sách đã được Hội đồng thi đua thông qua"],
        [None, "Người lập biểu", None, None, "GIÁM ĐỐC"],
        [None, "(Ký, ghi rõ họ tên)", None, None, "(Ký tên, đóng dấu)"],
        [None, "Hoàng Thị Lập", None, None, "Đỗ Văn Ký"],
    ]}, merges={"Đề nghị": ["E3:F3"]})
    intake = read_paths([path])
    assert counts(intake) == Counter({("TTLDTT", "tap_the"): 2, ("GK", "tap_the"): 1, ("LDTT", "ca_nhan"): 2,
                                      ("GK", "ca_nhan"): 1, ("CSTDCS", "ca_nhan"): 1, ("BK_TINH", "ca_nhan"): 1})
    assert "TOTAL_MISMATCH" not in codes(intake)
    assert not {"Hoàng Thị Lập", "Đỗ Văn Ký", "Người lập biểu"} & set(intake.nominations["ho_ten"])


def test_a_totals_line_that_disagrees_is_reported(tmp_path):
    path = write(tmp_path / "DV.xlsx", {"DS": [
        ["STT", "Họ và tên", "Năm sinh", "Hình thức đề nghị"],
        [1, "Nguyễn Văn An", 1980, "LĐTT"],
        [2, "Trần Thị Bình", 1985, "LĐTT"],
        [None, "Tổng cộng: 20 lượt tập thể, 37 lượt cá nhân"],
    ]})
    intake = read_paths([path])
    [f] = [f for f in intake.findings if f.code == "TOTAL_MISMATCH"]
    assert f.row == 4 and "20 tập thể, 37 cá nhân" in f.message and "0 tập thể, 2 cá nhân" in f.message


def test_a_totals_line_counting_people_agrees_when_a_person_is_proposed_for_two_awards(tmp_path):
    """"3 cá nhân" counts people: Bình, proposed for LĐTT and CSTĐCS in one cell, is one of them."""
    path = write(tmp_path / "DV.xlsx", {"DS": [
        ["STT", "Họ và tên", "Năm sinh", "Hình thức đề nghị"],
        [1, "Nguyễn Văn An", 1980, "LĐTT"],
        [2, "Trần Thị Bình", 1985, "Lao động tiên tiến, CSTĐCS"],
        [3, "Lê Văn Cường", 1975, "Giấy khen"],
        [None, "Tổng cộng: 3 cá nhân"],
    ]})
    intake = read_paths([path])
    assert len(intake.frame) == 4 and "TOTAL_MISMATCH" not in codes(intake)
    again = write(tmp_path / "DV2.xlsx", {"DS": [
        ["STT", "Họ và tên", "Năm sinh", "Hình thức đề nghị"],
        [1, "Nguyễn Văn An", 1980, "LĐTT"],
        [2, "Trần Thị Bình", 1985, "Lao động tiên tiến, CSTĐCS"],
        [None, "Tổng cộng: 5 cá nhân"],  # neither the 2 people nor the 3 nominations
    ]})
    [f] = [f for f in read_paths([again]).findings if f.code == "TOTAL_MISMATCH"]
    assert "5 cá nhân" in f.message and "3 cá nhân" in f.message


# --- 5. two tables on one sheet ------------------------------------------------------------------------------
def test_a_second_table_on_the_same_sheet_is_read_with_its_own_header(tmp_path):
    path = write(tmp_path / "DV.xlsx", {"DS": [
        ["DANH SÁCH TẬP THỂ ĐỀ NGHỊ KHEN THƯỞNG"],
        ["STT", "Tên tập thể", "Hình thức đề nghị"],
        [1, "Khoa Nội", "Giấy khen"],
        [2, "Khoa Ngoại", "Tập thể lao động tiên tiến"],
        [],
        ["DANH SÁCH CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG"],
        ["STT", "Hình thức đề nghị", "Họ và tên", "Ngày sinh", "Giới tính"],
        [1, "Giấy khen", "Nguyễn Văn An", "02/01/1980", "Nam"],
        [2, "Lao động tiên tiến", "Trần Thị Bình", "12/03/1985", "Nữ"],
        [3, "LĐTT", "Lê Văn Cường", "1979", "Nam"],
    ]})
    intake = read_paths([path])
    assert counts(intake) == Counter({("GK", "tap_the"): 1, ("TTLDTT", "tap_the"): 1, ("GK", "ca_nhan"): 1,
                                      ("LDTT", "ca_nhan"): 2})
    assert intake.nominations["row"].tolist() == [3, 4, 8, 9, 10]


# --- 6. headers named otherwise, and what cannot be read says why --------------------------------------------
@pytest.mark.parametrize("name_header,award_header,subject_header", [
    ("Tên tập thể/cá nhân/hộ gia đình", "Danh hiệu thi đua/Hình thức khen thưởng", "Phân loại khen thưởng"),
    ("Tên đơn vị / tập thể", "Hình thức khen thưởng/Danh hiệu thi đua", "Khen thưởng cá nhân/tập thể"),
    ("Tên đối tượng", "Hình thức khen thưởng đề nghị", "Phân loại khen thưởng"),
    ("Họ và tên (tập thể, cá nhân)", "Danh hiệu thi đua/Hình thức khen thưởng", "Khen thưởng cá nhân/tập thể"),
])
def test_header_names_are_recognised_by_their_words(tmp_path, name_header, award_header, subject_header):
    path = write(tmp_path / "DV.xlsx", {"DS": [
        [subject_header, "STT", award_header, "Chức vụ, đơn vị công tác", name_header],
        ["Cá nhân", 1, "Giấy khen", "Bác sĩ, Khoa Nội", "Nguyễn Văn An"],
        ["Tập thể", 2, "Giấy khen", "Bệnh viện Sản Nhi", "Khoa Nội"],
    ]})
    intake = read_paths([path])
    assert counts(intake) == Counter({("GK", "ca_nhan"): 1, ("GK", "tap_the"): 1})
    mapped = intake.files[0].mapped["DS"]
    assert mapped[name_header] == "Họ và tên" and mapped[award_header] == "Hình thức đề nghị"
    assert mapped[subject_header] == "Đối tượng" and mapped["Chức vụ, đơn vị công tác"] == "Chức vụ"


def test_a_file_not_understood_says_which_rows_were_looked_at_and_what_is_missing(tmp_path):
    path = write(tmp_path / "DV.xlsx", {"DS": [
        ["DANH SÁCH"],
        [],
        [],
        ["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Thành tích"],
        [1, "Nguyễn Văn An", 1980, "Bác sĩ", "Hoàn thành tốt nhiệm vụ"],
    ]})
    intake = read_paths([path])
    [f] = [f for f in intake.findings if f.code == "BAD_FILE"]
    assert "không thấy cột “Hình thức đề nghị”" in f.message
    assert "dòng 4" in f.message and "STT, Họ và tên, Năm sinh, Chức vụ, Thành tích" in f.message


# --- 7. the subject of an award open to both, from every signal ------------------------------------------------
def test_the_subject_comes_from_every_signal_and_disagreement_is_reported(tmp_path):
    from thidua_xl.validate import validate

    path = write(tmp_path / "DV.xlsx", {"DS": [
        ["STT", "Họ và tên", "Chức vụ", "Hình thức đề nghị"],
        ["I", "TẬP THỂ"],
        [1, "Khoa Nội", None, "Giấy khen"],
        [2, "Ông Trần Văn Bình", None, "Giấy khen"],  # a person under the tập thể heading
        ["II", "CÁ NHÂN"],
        [1, "ThS.BS. Nguyễn Văn An", None, "Bằng khen UBND tỉnh"],
        [2, "Lê Thị Hoa", "Điều dưỡng trưởng", "Giấy khen"],
        [3, "Trạm Y tế xã Kim Phú", None, "Giấy khen"],  # a collective under the cá nhân heading
    ]})
    intake = read_paths([path])
    assert counts(intake) == Counter({("GK", "tap_the"): 2, ("GK", "ca_nhan"): 2, ("BK_TINH", "ca_nhan"): 1})
    df = intake.nominations.set_index("ho_ten")
    assert df.loc["Ông Trần Văn Bình", "subject"] == "ca_nhan" and df.loc["Trạm Y tế xã Kim Phú", "subject"] == "tap_the"
    unclear = [f for f in validate(intake, 2024, history=False) if f.code == "SUBJECT_UNCLEAR"]
    assert sorted(f.row for f in unclear) == [4, 8]
    assert "trái nhau" in unclear[0].message and "đã tính là cá nhân" in unclear[0].message


def test_a_row_with_no_signal_at_all_is_reported_not_silently_chosen(tmp_path):
    from thidua_xl.validate import validate

    path = write(tmp_path / "DV.xlsx", {"DS": [
        ["STT", "Tên", "Hình thức đề nghị"],
        [1, "Ban Chỉ đạo", "Giấy khen"],
        [2, "Nhóm nghiên cứu A1", "Giấy khen"],
        [3, "Phòng khám 24", "Giấy khen"],
    ]})
    intake = read_paths([path])
    unclear = [f for f in validate(intake, 2024, history=False) if f.code == "SUBJECT_UNCLEAR"]
    assert [f.row for f in unclear] == [] or all("không có dấu hiệu" in f.message for f in unclear)


# --- 8. units named otherwise, and a consolidated list of many units ----------------------------------------
def _master_with_units(tmp_path):
    import pandas as pd

    from thidua_xl.workbook.master import create_master

    units = pd.DataFrame({
        "unit_code": ["TTYT-YS", "TTYT-SD", "BVDK", "BVDK-CH", "BVSN"],
        "unit": ["Trung tâm Y tế huyện Yên Sơn", "Trung tâm Y tế huyện Sơn Dương", "Bệnh viện Đa khoa tỉnh",
                 "Bệnh viện Đa khoa khu vực Chiêm Hóa", "Bệnh viện Sản Nhi"],
        "email": ["a@example.vn", "b@example.vn", "c@example.vn", "d@example.vn", "e@example.vn"],
    })
    return create_master(tmp_path / "ThiDua-2024.xlsx", 2024, units)


def _unit_file(path, title_unit=None):
    rows = [["SỞ Y TẾ TUYÊN QUANG"]] + ([[f"Đơn vị: {title_unit}"]] if title_unit else []) + [
        ["STT", "Họ và tên", "Năm sinh", "Hình thức đề nghị"],
        [1, "Nguyễn Văn An", 1980, "LĐTT"],
    ]
    return write(path, {"DS": rows})


@pytest.mark.parametrize("file_name,title,code", [
    ("TTYT Yên Sơn.xlsx", None, "TTYT-YS"),
    ("de-nghi.xlsx", "TTYT huyện Sơn Dương", "TTYT-SD"),
    ("de-nghi.xlsx", "Trung tâm Y tế Yên Sơn", "TTYT-YS"),
    ("BVĐK Chiêm Hóa.xlsx", None, "BVDK-CH"),
    ("de-nghi.xlsx", "BVĐK tỉnh", "BVDK"),
    ("BV Sản Nhi.xlsx", None, "BVSN"),
])
def test_a_unit_written_otherwise_is_matched_when_unambiguous(tmp_path, file_name, title, code):
    master = _master_with_units(tmp_path)
    (tmp_path / "ve").mkdir()
    unit = _unit_file(tmp_path / "ve" / file_name, title)
    intake = read_paths([master, unit])
    assert intake.files[1].unit_code == code


def test_an_ambiguous_unit_is_refused_naming_the_closest_units(tmp_path):
    from thidua_xl.workbook.collect import collect

    master = _master_with_units(tmp_path)
    (tmp_path / "ve").mkdir()
    _unit_file(tmp_path / "ve" / "TTYT.xlsx")
    report = collect(tmp_path / "ve", master, dry_run=True)
    [refusal] = report.refused
    assert "Trung tâm Y tế huyện Yên Sơn" in refusal.reason and "Trung tâm Y tế huyện Sơn Dương" in refusal.reason


def test_a_consolidated_list_of_many_units_is_counted_per_unit(tmp_path):
    from thidua_xl.pipeline import totals

    master = _master_with_units(tmp_path)
    path = write(tmp_path / "tong-hop-tu-he-thong.xlsx", {"Sheet1": [
        ["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"],
        ["STT", "Tên tập thể/cá nhân/hộ gia đình", "Đơn vị công tác", "Danh hiệu thi đua/Hình thức khen thưởng",
         "Phân loại khen thưởng"],
        [1, "Khoa Nhi", "Bệnh viện Đa khoa tỉnh", "Tập thể lao động tiên tiến", "Tập thể"],
        [2, "Khoa Nhi", "Bệnh viện Sản Nhi", "Tập thể lao động tiên tiến", "Tập thể"],
        [3, "Nguyễn Văn An", "TTYT Yên Sơn", "Lao động tiên tiến", "Cá nhân"],
        [4, "Trần Thị Bình", "Trung tâm Y tế huyện Yên Sơn", "Giấy khen", "Cá nhân"],
        [5, "Lê Văn Cường", "BVĐK tỉnh", "Giấy khen", "Cá nhân"],
    ]})
    intake = read_paths([master, path])
    assert totals(intake, 2024).by_unit == {
        "Trung tâm Y tế huyện Yên Sơn": {"LDTT": {"tap_the": 0, "ca_nhan": 1}, "GK": {"tap_the": 0, "ca_nhan": 1}},
        "Bệnh viện Đa khoa tỉnh": {"TTLDTT": {"tap_the": 1, "ca_nhan": 0}, "GK": {"tap_the": 0, "ca_nhan": 1}},
        "Bệnh viện Sản Nhi": {"TTLDTT": {"tap_the": 1, "ca_nhan": 0}},
    }


def test_a_consolidated_list_read_alone_is_counted_per_unit_named_in_it(tmp_path):
    from thidua_xl.consolidate import consolidate

    path = write(tmp_path / "export.xlsx", {"Sheet1": [
        ["STT", "Tên tập thể/cá nhân/hộ gia đình", "Đơn vị công tác", "Danh hiệu thi đua/Hình thức khen thưởng"],
        [1, "Khoa Nhi", "Bệnh viện Đa khoa tỉnh", "Tập thể lao động tiên tiến"],
        [2, "Khoa Nhi", "Bệnh viện Sản Nhi", "Tập thể lao động tiên tiến"],
    ]})
    intake = read_paths([path])
    result = consolidate(intake.nominations, intake.initiatives, 2024, files=1)
    assert set(result.by_unit) == {"Bệnh viện Đa khoa tỉnh", "Bệnh viện Sản Nhi"}


# --- 9. the date of birth in a column per sex, named in ONE header row ------------------------------------------
def _birth_by_sex_file(path, nam_header: str, nu_header: str, *, nu_first: bool = False, extra=(), rows=None):
    """A unit's list whose birth column says the sex: "Năm sinh (Nam)" | "Năm sinh (Nữ)" on the header row,
    a man's year under the first, a woman's date (one that does not exist) under the second."""
    def birth(nam, nu):
        return [nu, nam] if nu_first else [nam, nu]

    header = ["STT", "Họ và tên", *birth(nam_header, nu_header), "Chức vụ", "Hình thức đề nghị", *extra]
    rows = rows or [
        [1, "Phạm Văn Dũng", *birth(1978, None), "Bác sĩ", "Lao động tiên tiến"],
        [2, "Hoàng Thị Em", *birth(None, "31/02/1990"), "Điều dưỡng", "Lao động tiên tiến"],
        [3, "Vũ Thị Giang", *birth(None, dt.date(1988, 9, 2)), "Dược sĩ", "Giấy khen"],
    ]
    return write(path, {"Danh sách": [["Đơn vị: Bệnh viện Đa khoa tỉnh"], ["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2024"],
                                      header, *rows]})


def _nfd(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize("nam_header, nu_header, nu_first", [
    ("Năm sinh (Nam)", "Năm sinh (Nữ)", False),
    ("Ngày sinh Nam", "Ngày sinh Nữ", False),
    ("Nam (năm sinh)", "Nữ (năm sinh)", True),
    ("Ngày, tháng, năm sinh - Nam", "Ngày, tháng, năm sinh - Nữ", False),
    (_nfd("NĂM SINH\u00a0 NAM"), _nfd("NĂM  SINH\nNỮ"), True),
    ("Nam sinh (Nam)", "Nam sinh (Nu)", False),  # typed without diacritics
])
def test_a_birth_column_per_sex_in_one_header_row_gives_the_gender(tmp_path, nam_header, nu_header, nu_first):
    intake = read_paths([_birth_by_sex_file(tmp_path / "BVDK.xlsx", nam_header, nu_header, nu_first=nu_first)])
    df = intake.frame
    assert df["ho_ten"].to_list() == ["Phạm Văn Dũng", "Hoàng Thị Em", "Vũ Thị Giang"]
    assert df["gioi_tinh"].to_list() == ["Nam", "Nữ", "Nữ"]
    assert df["nam_sinh"].to_list() == [1978, None, 1988]
    assert df["ngay_sinh_raw"].to_list()[:2] == ["1978", "31/02/1990"]
    assert df["ngay_sinh_error"].to_list()[1]  # her date does not exist: said, not lost
    report = intake.files[0]
    assert "Giới tính" not in report.missing["Danh sách"]
    assert list(report.mapped["Danh sách"].values()).count("Ngày sinh") == 2  # both columns are read


def test_a_womans_bad_date_in_her_column_is_reported_at_her_cell(tmp_path, capsys):
    from contract_helpers import run_cli

    from thidua_xl.validate import validate

    path = _birth_by_sex_file(tmp_path / "BVDK.xlsx", "Năm sinh (Nam)", "Năm sinh (Nữ)")
    bad = [f for f in validate(read_paths([path]), 2024) if f.code == "BAD_DATE"]
    assert [(f.file, f.sheet, f.row, f.column, f.severity) for f in bad] == \
        [("BVDK.xlsx", "Danh sách", 5, "Năm sinh (Nữ)", "error")]
    assert "31/02/1990" in bad[0].message and "Hoàng Thị Em" in bad[0].message
    # the CLI says where, in the file's own words, and fails
    out = tmp_path / "kiem-tra.json"
    code, _text, _err = run_cli(capsys, "validate", path, "--year", 2024, "--json", out)
    import json

    found = [f for f in json.loads(out.read_text("utf-8"))["findings"] if f["code"] == "BAD_DATE"]
    assert code != 0 and [(f["row"], f["column"]) for f in found] == [(5, "Năm sinh (Nữ)")]


def test_the_unit_s_feedback_marks_the_cell_of_her_column(tmp_path):
    """`thidua feedback`: the copy of the unit's own file has the woman's date cell (column D) marked."""
    import openpyxl

    from thidua_xl.feedback import feedback

    folder = tmp_path / "ve"
    folder.mkdir()
    path = _birth_by_sex_file(folder / "BVDK.xlsx", "Năm sinh (Nam)", "Năm sinh (Nữ)")
    master = write(tmp_path / "ThiDua.xlsx", {"Đơn vị": [["Mã đơn vị", "Tên đơn vị", "Email"],
                                                        ["BVDK", "Bệnh viện Đa khoa tỉnh", "bvdk@example.vn"]]})
    _units, written = feedback([master, path], tmp_path / "phan-hoi", year=2024)
    book = next(p for p in written if p.suffix == ".xlsx")
    ws = openpyxl.load_workbook(book)["Danh sách"]
    assert ws["D5"].value == "31/02/1990" and "BAD_DATE" in ws["D5"].comment.text
    assert ws["C5"].comment is None


def test_her_birth_data_reaches_the_award_checks(tmp_path):
    """The age check and the CSTĐCS check (LĐTT of the same person, found by name and year of birth) see the
    date written in the Nữ column: a girl of 14 is too young; a woman listed for LĐTT and CSTĐCS is one person."""
    from thidua_xl.validate import validate

    path = _birth_by_sex_file(tmp_path / "BVDK.xlsx", "Năm sinh (Nam)", "Năm sinh (Nữ)", rows=[
        [1, "Phạm Văn Dũng", 1978, None, "Bác sĩ", "Lao động tiên tiến"],
        [2, "Lê Thị Hoa", None, 1985, "Điều dưỡng", "Lao động tiên tiến"],
        [3, "Lê Thị Hoa", None, 1985, "Điều dưỡng", "Chiến sĩ thi đua cơ sở"],
        [4, "Lê Thị Hoa", None, 1990, "Hộ lý", "Chiến sĩ thi đua cơ sở"],  # another Hoa: no LĐTT of hers
        [5, "Trần Thị Nhỏ", None, "01/06/2010", "Học việc", "Giấy khen"],
    ])
    findings = validate(read_paths([path]), 2024, history=False)
    young = [f for f in findings if f.code == "BAD_DATE"]
    assert [(f.row, f.column) for f in young] == [(8, "Năm sinh (Nữ)")] and "tuổi 14" in young[0].message
    no_lao_dong = [f.row for f in findings if f.code == "CRITERIA_NOT_MET" and "Lao động tiên tiến" in f.message]
    assert no_lao_dong == [7]


def test_a_date_in_both_columns_or_a_gender_column_saying_otherwise_is_reported(tmp_path):
    path = _birth_by_sex_file(tmp_path / "BVDK.xlsx", "Năm sinh (Nam)", "Năm sinh (Nữ)", extra=("Giới tính",), rows=[
        [1, "Phạm Văn Dũng", 1978, None, "Bác sĩ", "Lao động tiên tiến", "Nam"],
        [2, "Hoàng Thị Em", 1980, 1990, "Điều dưỡng", "Lao động tiên tiến", None],
        [3, "Vũ Thị Giang", 1988, None, "Dược sĩ", "Giấy khen", "Nữ"],
    ])
    intake = read_paths([path])
    df = intake.frame
    # read as the two-row form reads them: the Nam column first, a stated Giới tính before the column's sex
    assert df["nam_sinh"].to_list() == [1978, 1980, 1988] and df["gioi_tinh"].to_list() == ["Nam", "Nam", "Nữ"]
    said = [(f.code, f.severity, f.row, f.column) for f in intake.findings if f.code in ("BAD_DATE", "GENDER_CONFLICT")]
    assert said == [("BAD_DATE", "warning", 5, "Năm sinh (Nữ)"), ("GENDER_CONFLICT", "warning", 6, "Giới tính")]
    both = next(f for f in intake.findings if f.code == "BAD_DATE")
    assert "cả cột “Năm sinh (Nam)” (1980) và cột “Năm sinh (Nữ)” (1990)" in both.message
    conflict = next(f for f in intake.findings if f.code == "GENDER_CONFLICT")
    assert "“Giới tính” ghi “Nữ”" in conflict.message and "“Năm sinh (Nam)”" in conflict.message


def test_a_lone_birth_year_or_a_lone_nam_column_is_not_a_column_per_sex(tmp_path):
    """"Năm sinh" alone stays the date of birth; a "Nam" column away from it (a count of men) is no sex column;
    and "Năm sinh" beside "Năm vào ngành" is not split."""
    path = write(tmp_path / "BVDK.xlsx", {"Danh sách": [
        ["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2024"],
        ["STT", "Họ và tên", "Năm sinh", "Năm vào ngành", "Giới tính", "Hình thức đề nghị", "Nam", "Nữ"],
        [1, "Phạm Văn Dũng", 1978, 2001, "Nam", "Lao động tiên tiến", None, None],
        [2, "Hoàng Thị Em", 1990, 2012, "Nữ", "Lao động tiên tiến", None, None],
        [3, "Khoa Nội", None, None, None, "Tập thể lao động tiên tiến", 5, 12],
    ]})
    intake = read_paths([path])
    df = intake.frame
    assert df["nam_sinh"].to_list() == [1978, 1990, None]
    assert df["gioi_tinh"].to_list() == ["Nam", "Nữ", ""]
    assert list(intake.files[0].mapped["Danh sách"].values()).count("Ngày sinh") == 1
    assert [f.code for f in intake.findings if f.code in ("BAD_DATE", "GENDER_CONFLICT")] == []


def test_every_reader_reads_the_columns_per_sex_alike(tmp_path):
    """fastexcel (the CLI), python-calamine (typed rows: `collect`), and a master's unit sheet given as the open
    book's rows (the Excel adapter, `read_sheets`) give the same nominees, genders and findings."""
    from polars.testing import assert_frame_equal

    from thidua_xl.intake import read_sheets
    from thidua_xl.reading import read_sheets as calamine_sheets
    from thidua_xl.validate import validate

    path = _birth_by_sex_file(tmp_path / "BVDK.xlsx", "Nữ (năm sinh)", "Nam (năm sinh)", extra=("Giới tính",), rows=[
        [1, "Hoàng Thị Em", "31/02/1990", None, "Điều dưỡng", "Lao động tiên tiến", None],
        [2, "Phạm Văn Dũng", None, 1978, "Bác sĩ", "Lao động tiên tiến", None],
        [3, "Vũ Thị Giang", dt.date(1988, 9, 2), dt.date(1987, 1, 1), "Dược sĩ", "Giấy khen", "Nữ"],
    ])
    arrow, calamine = read_paths([path]), read_paths([path], keep_rows=True)
    assert_frame_equal(arrow.frame, calamine.frame)
    assert [f.to_dict() for f in arrow.findings] == [f.to_dict() for f in calamine.findings]
    assert arrow.frame["gioi_tinh"].to_list() == ["Nữ", "Nam", "Nữ"]
    assert [(f.code, f.row, f.column) for f in validate(arrow, 2024) if f.code in ("BAD_DATE", "GENDER_CONFLICT")] \
        == [("BAD_DATE", 6, "Nữ (năm sinh)"), ("GENDER_CONFLICT", 6, "Giới tính"), ("BAD_DATE", 4, "Nữ (năm sinh)")]

    master = write(tmp_path / "ThiDua.xlsx", {
        "Đơn vị": [["Mã đơn vị", "Tên đơn vị", "Email", "Tên sheet"], ["BVDK", "Bệnh viện Đa khoa tỉnh", "", "BVDK"]],
        "BVDK": calamine_sheets(path)["Danh sách"],
    })
    from_file = read_paths([master])
    from_book = read_sheets(master.name, calamine_sheets(master), master)
    assert_frame_equal(from_file.frame, from_book.frame)
    assert [f.to_dict() for f in from_file.findings] == [f.to_dict() for f in from_book.findings]
    assert from_book.frame["gioi_tinh"].to_list() == ["Nữ", "Nam", "Nữ"]
    assert from_book.birth_columns == {("ThiDua.xlsx", "BVDK", 4): "Nữ (năm sinh)",
                                       ("ThiDua.xlsx", "BVDK", 5): "Nam (năm sinh)",
                                       ("ThiDua.xlsx", "BVDK", 6): "Nam (năm sinh)"}  # both filled: Nam
    # the ribbon's `Kiểm tra` sheet links her finding to her own cell of the master's unit sheet
    from thidua_xl.tables import book_locator, header_columns

    header = calamine_sheets(master)["BVDK"][2]
    locate = book_locator(master.name, header_columns({"BVDK": header}))
    bad = next(f for f in validate(from_book, 2024) if f.code == "BAD_DATE" and f.row == 4)
    assert locate(bad).endswith("!C4") and header[2] == "Nữ (năm sinh)"


@pytest.mark.parametrize("header", [
    [["STT", "Họ và tên", "Năm sinh (Nam)", "Năm sinh (Nữ)", "Chức vụ", "Hình thức đề nghị"]],
    [["STT", "Họ và tên", "Năm sinh", None, "Chức vụ", "Hình thức đề nghị"], [None, None, "Nam", "Nữ", None, None]],
], ids=["one header row", "two header rows"])
def test_collected_into_the_master_her_date_and_every_gender_are_kept(tmp_path, header):
    """`collect` copies the unit's rows into the master's layout: the date from whichever column is filled goes
    to "Ngày sinh" and the sex its column gave to "Giới tính" (no date left behind in a column the master lacks)."""
    from thidua_xl.workbook.collect import collect
    from workbook_helpers import make_master

    master = make_master(tmp_path / "ThiDua.xlsx", 2024)
    (tmp_path / "ve").mkdir()
    write(tmp_path / "ve" / "BVDK.xlsx", {"DS": [["Đơn vị: Bệnh viện Đa khoa tỉnh Lào Cai"], ["DANH SÁCH NĂM 2024"],
                                                *header,
                                                [1, "Phạm Văn Dũng", 1978, None, "Bác sĩ", "Lao động tiên tiến"],
                                                [2, "Hoàng Thị Em", None, "31/02/1990", "Điều dưỡng", "Giấy khen"],
                                                [3, "Vũ Thị Giang", None, dt.datetime(1988, 9, 2), "Dược sĩ", "Giấy khen"]]})
    collect(tmp_path / "ve", master)
    df = read_paths([master]).frame
    assert df["ho_ten"].to_list() == ["Phạm Văn Dũng", "Hoàng Thị Em", "Vũ Thị Giang"]
    assert df["gioi_tinh"].to_list() == ["Nam", "Nữ", "Nữ"]
    assert df["ngay_sinh_raw"].to_list()[:2] == ["1978", "31/02/1990"] and df["nam_sinh"].to_list()[2] == 1988
