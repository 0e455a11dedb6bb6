"""A sheet's body into the nominations frame: the kept rows chosen by the row classifier, the other columns
taken whole for those rows and cleaned as columns. The fastexcel reader (Arrow columns) and the
python-calamine reader (typed rows: masters, `collect`, the Excel adapter) must give the same frame."""
from __future__ import annotations

import datetime as dt
import unicodedata

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from thidua_xl.intake import read_paths, rows as intake_rows
from workbook_helpers import write_sheets

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ", "Khoa, phòng", "Hình thức đề nghị",
          "Đối tượng", "Ghi chú", "Xếp loại", "Số CCCD"]


@pytest.fixture(autouse=True, params=["column by column", "row by row"])
def sheet_path(request, monkeypatch):
    """Every sheet here read both ways a fastexcel sheet can be classified (by default its size decides)."""
    monkeypatch.setattr(intake_rows, "COLUMNAR_FROM", 0 if request.param == "column by column" else 10**9)
    return request.param


def _nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def _book(path, sheets: dict[str, list[list]], merges: tuple[str, ...] = ()):
    return write_sheets(path, sheets, {name: list(merges) for name in sheets})


def _unit_rows() -> list[list]:
    """A unit's list as units make them: headings, NFD and odd spaces, dates typed every way, a date and a
    bool in text columns, collectives without a date, a sample row, a subtotal, notes and signatures."""
    return [
        ["SỞ Y TẾ"], ["Đơn vị: Bệnh viện Đa khoa tỉnh"], ["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2024"], [],
        HEADER,
        ["I", "Tập thể", None, None, None, None, None, None, None, None, None],
        [1, "Khoa Nội", None, None, None, None, "Tập thể lao động tiên tiến", "Tập thể", None, None, None],
        [2, _nfd("Khoa  Ngoại\u00a0tổng hợp"), None, None, None, None, "Tập thể lao động tiên tiến", "TT", None,
         None, None],
        ["II", "Cá nhân", None, None, None, None, None, None, None, None, None],
        [1, "Nguyễn Văn An", "01/01/1980", "Nam", "Bác sĩ", "Khoa Nội", "Lao động tiên tiến", None, None, None, None],
        [2, _nfd(" Trần Thị  Bình "), dt.date(1985, 2, 13), "Nữ", _nfd("Điều dưỡng\ntrưởng"), "Khoa Ngoại",
         "Lao động tiên tiến", "Cá nhân", dt.date(2024, 3, 1), True, "012345678901"],
        [3, "Lê Văn Cường", "13/02/1975", "nam", "Kỹ thuật viên\u202e", "Khoa Xét nghiệm",
         "Chiến sĩ thi đua cơ sở", "CN", "ghi\u200bchú", "Hoàn thành tốt", 1234.0],
        [4, "Phạm Thị Dung", 1990, "Nữ", "Hộ lý", "Khoa Dược", "Lao động tiên tiến, Chiến sĩ thi đua cơ sở",
         None, "日本  語", None, None],
        [5, "Hoàng Văn Em", "30/02/1980", "Nam", None, "Khoa Nội", "Giấy khen", None, None, None, None],
        [6, "Vũ Thị Giang", "1980-02-30 00:00:00", "Nữ", None, None, "Giấy khen", None, None, None, None],
        [None, None, None, None, None, None, None, None, None, None, None],
        ["Cộng", None, None, None, None, None, None, None, "Tổng cộng: 8 lượt", None, None],
        [7, "Đỗ Văn Hùng", "1982", "Nam", "Bác sĩ", "Khoa Nhi", "Lao động tiên tiến", None, None, None, None],
        ["Ghi chú: danh sách đã được họp xét"], [None, "Người lập biểu", None, None, None, None, "GIÁM ĐỐC"],
    ]


def _frames(path):
    arrow = read_paths([path])
    calamine = read_paths([path], keep_rows=True)  # `collect` reads the typed rows with python-calamine
    return arrow, calamine


def test_fastexcel_and_python_calamine_give_the_same_frame(tmp_path):
    path = _book(tmp_path / "BVDK.xlsx", {"Đề nghị": _unit_rows()})
    arrow, calamine = _frames(path)
    assert_frame_equal(arrow.frame, calamine.frame)
    assert [f.to_dict() for f in arrow.findings] == [f.to_dict() for f in calamine.findings]
    f = arrow.frame
    assert f.get_column("ho_ten").to_list() == [
        "Khoa Nội", "Khoa Ngoại tổng hợp", "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung",
        "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Giang", "Đỗ Văn Hùng"]
    row = f.row(3, named=True)  # the texts cleaned as clean() cleans them, a date and a bool cell as text
    assert (row["chuc_vu"], row["ghi_chu"], row["xep_loai"], row["doi_tuong"]) == (
        "Điều dưỡng trưởng", "01/03/2024", "True", "ca_nhan")
    assert row["ngay_sinh"] == dt.date(1985, 2, 13) and row["nam_sinh"] == 1985
    assert f.row(4, named=True)["chuc_vu"] == "Kỹ thuật viên" and f.row(4, named=True)["ghi_chu"] == "ghichú"
    assert f.row(4, named=True)["so_cccd"] == "1234"
    assert f.row(5, named=True)["ghi_chu"] == "日本 語" and f.row(5, named=True)["nam_sinh"] == 1990
    assert [f.row(i, named=True)["doi_tuong"] for i in (0, 1)] == ["tap_the", "tap_the"]
    assert f.row(7, named=True)["ngay_sinh_error"] and f.row(7, named=True)["ngay_sinh"] is None
    assert f.get_column("row").to_list()[-1] == 18  # below the subtotal, a real nominee reopens the table
    assert unicodedata.is_normalized("NFC", "".join(f.get_column("ho_ten").to_list()))


def test_a_sheet_without_the_optional_columns_has_them_empty(tmp_path):
    path = _book(tmp_path / "DV.xlsx", {"DS": [["Họ và tên", "Hình thức đề nghị"], ["Nguyễn Văn Anh", "Giấy khen"]]})
    arrow, calamine = _frames(path)
    assert_frame_equal(arrow.frame, calamine.frame)
    row = arrow.frame.row(0, named=True)
    assert (row["ghi_chu"], row["so_cccd"], row["doi_tuong_raw"], row["ngay_sinh_raw"]) == ("", "", "", "")
    assert row["ngay_sinh"] is None and row["doi_tuong"] == ""


def test_a_master_reads_its_dates_and_texts_as_a_unit_file(tmp_path):
    """A master's unit sheets (python-calamine) beside unit files (fastexcel): one frame, every date read."""
    units = [["Mã đơn vị", "Tên đơn vị", "Email", "Trang tính"], ["BVDK", "Bệnh viện Đa khoa tỉnh", "", "BVDK"]]
    master = _book(tmp_path / "ThiDua.xlsx", {"Đơn vị": units, "BVDK": _unit_rows()[4:]})
    unit = _book(tmp_path / "BVDK.xlsx", {"Đề nghị": _unit_rows()})
    got = read_paths([master, unit]).frame
    by_file = got.partition_by("file", as_dict=True)
    a, b = by_file[("ThiDua.xlsx",)], by_file[("BVDK.xlsx",)]
    cols = [c for c in got.columns if c not in ("file", "path", "sheet", "row", "unit", "unit_code")]
    assert_frame_equal(a.select(cols), b.select(cols))
    assert a.get_column("ngay_sinh").drop_nulls().to_list()[:2] == [dt.date(1980, 1, 1), dt.date(1985, 2, 13)]


def test_a_consolidated_list_counts_each_row_under_the_unit_it_names(tmp_path):
    units = [["Mã đơn vị", "Tên đơn vị", "Email", "Trang tính"], ["BVDK", "Bệnh viện Đa khoa tỉnh", "", ""],
             ["TTYT", "Trung tâm Y tế huyện Yên Sơn", "", ""]]
    master = _book(tmp_path / "ThiDua.xlsx", {"Đơn vị": units})
    rows = [["Họ và tên", "Ngày sinh", "Đơn vị công tác", "Hình thức đề nghị"],
            ["Nguyễn Văn Anh", "01/01/1980", _nfd("Bệnh viện  Đa khoa tỉnh"), "Giấy khen"],
            ["Trần Thị Bích", "02/02/1982", "TTYT Yên Sơn", "Giấy khen"]]
    unit = _book(tmp_path / "TongHop.xlsx", {"DS": rows})
    got = read_paths([master, unit]).frame.filter(pl.col("file") == "TongHop.xlsx")
    assert got.get_column("unit_code").to_list() == ["BVDK", "TTYT"]
    assert got.get_column("khoa_phong").to_list() == ["Bệnh viện Đa khoa tỉnh", "TTYT Yên Sơn"]


def test_two_award_columns_give_a_row_per_filled_cell_alike(tmp_path):
    rows = [["STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Danh hiệu thi đua/Hình thức khen thưởng", None, "Ghi chú"],
            [None, None, None, None, "Thi đua", "Khen thưởng", None],
            [1, "Nguyễn Văn Anh", "01/01/1980", " Bác  sĩ ", "Lao động tiên tiến", "Giấy khen", "một"],
            [2, "Trần Thị Bích", "02/02/1982", "Dược sĩ", None, "Giấy khen", None]]
    path = _book(tmp_path / "DV.xlsx", {"DS": rows}, merges=["E1:F1"])
    arrow, calamine = _frames(path)
    assert_frame_equal(arrow.frame, calamine.frame)
    assert arrow.frame.select("ho_ten", "hinh_thuc", "chuc_vu", "ghi_chu").rows() == [
        ("Nguyễn Văn Anh", "Lao động tiên tiến", "Bác sĩ", "một"), ("Nguyễn Văn Anh", "Giấy khen", "Bác sĩ", "một"),
        ("Trần Thị Bích", "Giấy khen", "Dược sĩ", "")]


def test_a_printed_form_with_many_numbered_empty_lines_keeps_only_its_nominees(tmp_path):
    rows = [HEADER, [1, "Nguyễn Văn Anh", "01/01/1980", "Nam", None, None, "Giấy khen", None, None, None, None]]
    rows += [[k, None, None, None, None, None, None, None, None, None, None] for k in range(2, 90)]
    rows += [[90, None, None, None, None, None, None, None, "chỉ có ghi chú", None, None]]
    arrow, calamine = _frames(_book(tmp_path / "DV.xlsx", {"DS": rows}))
    assert_frame_equal(arrow.frame, calamine.frame)
    assert arrow.frame.select("row", "ho_ten", "ghi_chu").rows() == [(2, "Nguyễn Văn Anh", ""), (91, "", "chỉ có ghi chú")]


def _titled_rows() -> list[list]:
    """A list whose award is in its title and its group headings (no award column), with a template's
    sample rows among real nominees ("Đỗ Thị Ẩ" in NFD is one), a date cell of spaces only, a date as text
    and a name typed as a date."""
    return [
        ["DANH SÁCH ĐỀ NGHỊ CÔNG NHẬN DANH HIỆU LAO ĐỘNG TIÊN TIẾN NĂM 2024"], [],
        ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ"],
        ["VD", "Nguyễn Văn A", "01/01/1980", "Nam", "Bác sĩ"],
        [1, "Vũ Văn Bình", "02/02/1981", "Nam", "Bác sĩ"],
        [2, _nfd("Đỗ Thị  Ẩ"), "03/03/1982", "Nữ", None],
        [3, "Mai Văn Minh", "\u00a0 \u200b", "Nam", "Hộ lý"],
        ["I", "Chiến sĩ thi đua cơ sở", None, None, None],
        [1, "Trần Thị Cúc", 1983, "Nữ", "Dược sĩ"],
        [2, dt.date(1984, 4, 4), "04/04/1984", None, None],
        [3, "Lê Văn Dũng", "1985-05-05", "Nam", "Ví dụ"],
        [None, "Người lập biểu"],
    ]


def test_only_the_rows_without_a_date_or_with_a_sample_become_python_strings(tmp_path, monkeypatch):
    """From fastexcel, the classifier's columns are never turned whole into Python strings: one query finds
    the rows it must look at, and the kept rows' texts are cleaned with the other columns; the same frame
    and findings as the python-calamine reading."""
    from thidua_xl.intake.arrow import ArrowBody

    monkeypatch.setattr(intake_rows, "COLUMNAR_FROM", 0)
    path = _book(tmp_path / "DV.xlsx", {"DS": _titled_rows(), "Đề nghị": _unit_rows()})
    calamine = read_paths([path], keep_rows=True)
    looked: list[list[int]] = []
    real = ArrowBody.rows_to_test

    def spy(self, *a, **k):
        got = real(self, *a, **k)
        looked.append(got[0])
        return got

    monkeypatch.setattr(ArrowBody, "rows_to_test", spy)
    monkeypatch.setattr(ArrowBody, "texts", lambda self, j: (_ for _ in ()).throw(AssertionError("a whole column")))
    arrow = read_paths([path])
    assert_frame_equal(arrow.frame, calamine.frame)
    assert [f.to_dict() for f in arrow.findings] == [f.to_dict() for f in calamine.findings]
    assert looked[0] == [0, 2, 3, 4, 8]  # the sample rows, the blank date, the heading, the signature
    got = arrow.frame.filter(pl.col("sheet") == "DS")
    assert got.select("row", "ho_ten", "hinh_thuc", "nam_sinh").rows() == [
        (5, "Vũ Văn Bình", "Lao động tiên tiến", 1981), (7, "Mai Văn Minh", "Lao động tiên tiến", None),
        (9, "Trần Thị Cúc", "Chiến sĩ thi đua cơ sở", 1983), (10, "04/04/1984", "Chiến sĩ thi đua cơ sở", 1984),
        (11, "Lê Văn Dũng", "Chiến sĩ thi đua cơ sở", 1985)]
    assert any(f.code == "EXAMPLE_ROWS" and f.row == 4 and "dòng 4, 6" in f.message for f in arrow.findings)


def test_a_small_sheet_is_classified_row_by_row_and_a_large_one_column_by_column(tmp_path, monkeypatch):
    """The query that finds a large sheet's rows to look at costs more than reading a master's small unit
    sheet row by row; both give the same frame as python-calamine."""
    from thidua_xl.intake.arrow import ArrowBody

    monkeypatch.undo()
    queried: list[int] = []
    real = ArrowBody.rows_to_test
    monkeypatch.setattr(ArrowBody, "rows_to_test", lambda self, *a, **k: queried.append(self.n) or real(self, *a, **k))
    person = [1, "Nguyễn Văn An", "01/01/1980", "Nam", "Bác sĩ", "Khoa Nội", "Lao động tiên tiến"]
    large = [HEADER[:7]] + [person] * intake_rows.COLUMNAR_FROM + [[None, "Người lập biểu"]]
    path = _book(tmp_path / "DV.xlsx", {"Nhỏ": _unit_rows(), "Lớn": large})
    arrow, calamine = read_paths([path]), read_paths([path], keep_rows=True)
    assert queried == [intake_rows.COLUMNAR_FROM + 1]
    assert_frame_equal(arrow.frame, calamine.frame)
    assert arrow.frame.height == 10 + intake_rows.COLUMNAR_FROM
