"""Names and lists as an officer signs them.

A list of collectives has no birth date, gender or position columns; a collective's name is
printed in its written case, never in the capitals a unit typed; a person's name typed in
capitals is printed as a name; and a person shows one birth date in every document, even when
one unit's row gives only the year.
"""
from __future__ import annotations

import pandas as pd
import pytest
from docx import Document

from thidua_xl.cli import main
from thidua_xl.documents.names import organisation_case, person_case
from thidua_xl.workbook.master import create_master

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
UNITS = pd.DataFrame({"unit_code": ["BVDK", "TTYT"], "unit": ["Bệnh viện Đa khoa tỉnh", "Trung tâm Y tế khu vực Bắc Hà"],
                      "email": ["bvdk@x.vn", "ttyt@x.vn"]})


def _row(unit, name, dob, gender, award, chuc_vu="", subject=""):
    return {"unit_code": unit, "ho_ten": name, "ngay_sinh": dob, "gioi_tinh": gender, "hinh_thuc": award,
            "chuc_vu": chuc_vu, "khoa_phong": "Khoa Nội" if gender else "", "doi_tuong": subject}


NOMINATIONS = pd.DataFrame([
    _row("BVDK", "Nguyễn Văn An", "1980", "Nam", "Lao động tiên tiến", "Bác sĩ"),  # the year only here …
    _row("BVDK", "Nguyễn Văn An", "13/02/1980", "Nam", "Chiến sĩ thi đua cơ sở", "Bác sĩ"),  # … the date here
    _row("BVDK", "ĐẶNG PHƯƠNG DUNG", "05/06/1985", "Nữ", "Lao động tiên tiến", "Điều dưỡng"),
    _row("BVDK", "Khoa Y học cổ truyền", "", "", "Tập thể lao động tiên tiến", subject="Tập thể"),
    _row("TTYT", "KHOA Y HỌC CỔ TRUYỀN", "", "", "Tập thể lao động tiên tiến", subject="Tập thể"),
    _row("TTYT", "TRẠM Y TẾ XÃ BẢN VƯỢC", "", "", "Tập thể lao động tiên tiến", subject="Tập thể"),
    _row("TTYT", "KHOA HỒI SỨC TÍCH CỰC - CHỐNG ĐỘC", "", "", "Giấy khen", subject="Tập thể"),
    _row("TTYT", "Lê Thị Hoa", "07/08/1988", "Nữ", "Giấy khen", "Hộ sinh"),
])


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ten")
    master = create_master(folder / "ThiDua-2024.xlsx", 2024, UNITS, nominations=NOMINATIONS,
                           config={"so_quyet_dinh": "5", "ngay_van_ban": "25/12/2024"})
    out = folder / "van-ban"
    assert main(["report", str(master), "--out", str(out), "--kind", "quyet-dinh"]) in (0, 1)
    return out


def table(path) -> list[list[str]]:
    tbl = Document(str(path)).tables[-1]._tbl
    return [["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in tr.findall(f"{W}tc")]
            for tr in tbl.findall(f"{W}tr")]


def nominees(path) -> dict[str, list[str]]:
    return {r[1]: r for r in table(path)[1:] if len(r) > 1}


def test_a_list_of_collectives_has_no_person_columns(docs):
    rows = table(docs / "Quyet-dinh-TTLDTT-2024.docx")
    assert rows[0] == ["STT", "Tên tập thể"]
    assert all(len(r) in (1, 2) for r in rows)
    grid = Document(str(docs / "Quyet-dinh-TTLDTT-2024.docx")).tables[-1]._tbl.find(f"{W}tblGrid")
    assert len(grid.findall(f"{W}gridCol")) == 2  # the name takes the width the removed columns had
    # a list of persons, or of both, keeps them
    assert table(docs / "Quyet-dinh-LDTT-2024.docx")[0] == ["STT", "Họ và tên / Tên tập thể", "Ngày sinh", "Chức vụ",
                                                            "Khoa, phòng"]
    assert len(table(docs / "Quyet-dinh-GK-2024.docx")[0]) == 5


def test_collectives_in_their_written_case_persons_as_names(docs):
    names = [r[1] for r in table(docs / "Quyet-dinh-TTLDTT-2024.docx")[1:] if len(r) > 1]
    # the same khoa written properly by another unit gives its form; a name seen only in capitals gets NĐ 30's
    assert names == ["Khoa Y học cổ truyền", "Khoa Y học cổ truyền", "Trạm Y tế xã Bản Vược"]
    assert "Khoa Hồi sức tích cực - Chống độc" in nominees(docs / "Quyet-dinh-GK-2024.docx")
    assert "Đặng Phương Dung" in nominees(docs / "Quyet-dinh-LDTT-2024.docx")


def test_one_birth_date_per_person_in_every_document(docs):
    ldtt = nominees(docs / "Quyet-dinh-LDTT-2024.docx")["Nguyễn Văn An"]
    cstdcs = nominees(docs / "Quyet-dinh-CSTDCS-2024.docx")["Nguyễn Văn An"]
    assert ldtt[2] == cstdcs[2] == "13/02/1980"


def test_casing_rules():
    assert person_case("ĐẶNG PHƯƠNG DUNG") == "Đặng Phương Dung"
    assert person_case("Đặng Phương Dung") == "Đặng Phương Dung"
    assert organisation_case("TRUNG TÂM Y TẾ KHU VỰC BẮC HÀ") == "Trung tâm Y tế khu vực Bắc Hà"
    assert organisation_case("PHÒNG TÀI CHÍNH - KẾ TOÁN") == "Phòng Tài chính - Kế toán"
    assert organisation_case("TẬP THỂ KHOA DƯỢC") == "Tập thể Khoa Dược"
    assert organisation_case("TRẠM Y TẾ THỊ TRẤN BẮC HÀ") == "Trạm Y tế thị trấn Bắc Hà"
    assert organisation_case("Khoa Nhi") == "Khoa Nhi"  # typed properly: kept as typed
    assert organisation_case("KHOA PHÒNG, CHỐNG HIV/AIDS") == "Khoa Phòng, chống HIV/AIDS"  # acronyms stay


def test_a_name_whose_subject_is_not_known_is_written_by_its_first_words():
    from thidua_xl.documents.names import written

    assert written("KHOA DƯỢC") == "Khoa Dược"
    assert written("LÊ VĂN CƯỜNG") == "Lê Văn Cường"
    assert written("Lê văn Cường") == "Lê văn Cường"  # not all capitals: as typed
