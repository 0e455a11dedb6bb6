"""Word documents: the wording of the Sở's 2020 report, NĐ 30 header, annex order and speed, escaping, sandbox, lint."""
from __future__ import annotations

import datetime as dt
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from docx import Document

from thidua_xl.cli import main
from thidua_xl.config import Config
from thidua_xl.consolidate import consolidate
from thidua_xl.documents import context as C
from thidua_xl.documents.bien_ban import _pct, bien_ban_context
from thidua_xl.documents import filters as F
from thidua_xl.documents.annex import AnnexError, fill_annex
from thidua_xl.devtools.word_templates import build_all
from thidua_xl.documents.render import (KINDS, TEMPLATE_DIR, TemplateProblem, leftover_tags, lint_template,
                                        render_docx, render_reports, template_path)
from thidua_xl.errors import UserError
from thidua_xl.intake import read_paths
from thidua_xl.model import ERROR, NOMINATION_COLUMNS, Finding
from thidua_xl.pipeline import totals
from workbook_helpers import numbered_unit_file

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CONFIG = Config({"giam_doc": "Hoàng Quốc Hương", "so_bao_cao": "15", "so_quyet_dinh": "5",
                 "ngay_van_ban": "2021-01-05", "noi_nhan_bao_cao": "Sở Nội vụ;Ban Thi đua – Khen thưởng tỉnh"})


def texts(path) -> list[str]:
    """Every paragraph of the body (tables included), in order."""
    doc = Document(str(path))
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in doc.element.body.iter(f"{W}p")]


def annex_table_rows(path) -> list[list[str]]:
    """The annex list as one table: a long list is cut into tables that each repeat the header row."""
    doc = Document(str(path))
    tables = [[["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in tr.findall(f"{W}tc")]
               for tr in table._tbl.findall(f"{W}tr")] for table in doc.tables]
    parts = [tables[-1]]
    for earlier in reversed(tables[:-1]):
        if not earlier or earlier[0] != parts[0][0]:
            break
        parts.insert(0, earlier)
    return parts[0] + [r for part in parts[1:] for r in part[1:]]


# --- fixtures -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seed_result(seed_folder):
    intake = read_paths([seed_folder])
    return totals(intake, 2020)


@pytest.fixture(scope="module")
def seed_docs(seed_result, tmp_path_factory):
    out = tmp_path_factory.mktemp("van-ban")
    paths = render_reports(seed_result, CONFIG, {}, out)
    return {p.name: p for p in paths}


def _unit_file(path: Path, unit: str, rows: list[tuple]) -> Path:
    return numbered_unit_file(path, unit, rows, year=2020)


@pytest.fixture()
def small_folder(tmp_path):
    """Two units; names chosen to exercise Vietnamese order; an '&' and '<b>' and '{{' in the data."""
    folder = tmp_path / "don-vi"
    folder.mkdir()
    _unit_file(folder / "BVDK.xlsx", "Bệnh viện Đa khoa tỉnh", [
        ("Nguyễn Văn Đức", "13/02/1980", "Nam", "Bác sĩ", "Khoa Nội", "LĐTT"),
        ("Trần Thị Dung", "05/07/1985", "Nữ", "Điều dưỡng", "Khoa Hồi sức & Cấp cứu", "LĐTT"),
        ("Lê Thị Ánh", "1990", "Nữ", "", "Khoa Nhi", "LĐTT"),
        ("Phạm Văn An", "01/01/1979", "Nam", "", "Khoa <b>Ngoại</b>", "LĐTT"),
        ("Đỗ Minh An", "02/01/1979", "Nam", "", "Khoa Ngoại", "LĐTT"),
        ("Khoa Hồi sức & Cấp cứu", "", "", "", "", "Giấy khen"),
        ("Hà Văn {{ x }}", "1970", "Nam", "", "", "Giấy khen"),
        ("Khoa Dược", "", "", "", "", "Bằng khen UBND tỉnh"),
    ])
    _unit_file(folder / "TTYT.xlsx", "Trung tâm Y tế huyện Bát Xát", [
        ("Vàng A Sử", "1982", "Nam", "Y sĩ", "Trạm Y tế xã", "LĐTT"),
        ("Ơn Thị Ánh", "1988", "Nữ", "", "", "LĐTT"),
        ("Giàng Thị Ánh", "1991", "Nữ", "", "", "CSTĐCS"),
    ])
    return folder


@pytest.fixture()
def small_result(small_folder):
    intake = read_paths([small_folder])
    assert not [f for f in intake.findings if f.severity == ERROR]
    return intake, totals(intake, 2020)


# --- filters ----------------------------------------------------------------------------
def test_filters_follow_nghi_dinh_30_and_vietnamese_words():
    assert F.ngay_vn(dt.date(2023, 7, 5)) == "ngày 05 tháng 7 năm 2023"
    assert F.ngay_vn(dt.date(2020, 2, 13)) == "ngày 13 tháng 02 năm 2020"
    assert F.ngay_vn("05/01/2021", blank_day=True).startswith("ngày ") and "tháng 01 năm 2021" in \
        F.ngay_vn("05/01/2021", blank_day=True) and "05" not in F.ngay_vn("05/01/2021", blank_day=True)
    assert F.so2(1) == "01" and F.so2(9) == "09" and F.so2(10) == "10" and F.so2(1326) == "1326"
    assert F.bang_chu(2021) == "hai nghìn không trăm hai mươi mốt"
    assert F.bang_chu(105, capitalize=True) == "Một trăm linh năm"
    assert F.sap_xep_ten(["Nguyễn Văn Đức", "Trần Thị Dung", "Lê Ánh", "Phạm An"]) == \
        ["Phạm An", "Lê Ánh", "Trần Thị Dung", "Nguyễn Văn Đức"]


# --- báo cáo tổng kết ------------------------------------------------------------------
def test_results_section_is_worded_as_seed_003(seed_docs):
    t = texts(seed_docs["Bao-cao-tong-ket-2020.docx"])
    assert "- Cờ thi đua của UBND tỉnh: 01 tập thể" in t
    assert "- Danh hiệu Thầy thuốc ưu tú: 23 cá nhân" in t
    assert "- Bằng khen của Thủ tướng Chính phủ: 03 cá nhân" in t
    assert "- Huân chương Lao động hạng Ba: 01 cá nhân" in t
    assert "- Bằng khen cấp Tỉnh, Bộ, ngành: 26 tập thể, 151 cá nhân" in t
    assert "- Tập thể Lao động xuất sắc: 41 tập thể" in t
    assert "- Chiến sĩ thi đua cấp tỉnh: 13 cá nhân" in t
    # the higher awards await their decisions: the Sở's own line stands first, without the "còn" of the Sở's 2020 report
    assert ("- Sở Y tế tặng giấy khen: 358 (19 tập thể, 339 cá nhân); khen thưởng 127 tập thể lao động tiên "
            "tiến; 200 chiến sĩ thi đua cấp cơ sở, 1326 lao động tiên tiến") in t
    body = "\n".join(t)
    assert "193 sáng kiến cơ sở; 28 đề tài cơ sở; 9 sáng kiến cấp tỉnh; 01 Đề tài cấp tỉnh" in body
    # lines of awards nobody was proposed for are left out
    for absent in ("Cờ thi đua của Chính phủ", "Thầy thuốc Nhân dân", "Huân chương Lao động hạng Nhì",
                   "Chiến sĩ thi đua toàn quốc", "Kỷ niệm chương"):
        assert absent not in body
    # what the Sở granted first; higher awards, still awaiting their decision, apart and in the order of the Sở's report
    order = [body.index(s) for s in ("Sở Y tế tặng giấy khen", "Đang đề nghị cấp trên khen thưởng",
                                     "Cờ thi đua của UBND tỉnh:", "Thầy thuốc ưu tú:", "Bằng khen của Thủ tướng",
                                     "Huân chương Lao động hạng Ba:", "Bằng khen cấp Tỉnh", "Chiến sĩ thi đua cấp tỉnh:")]
    assert order == sorted(order)


def test_results_lines_with_small_counts_and_missing_parts(small_result):
    _, result = small_result
    lines = C.award_lines(result)
    assert "Bằng khen cấp Tỉnh, Bộ, ngành: 01 tập thể" in lines
    assert lines[-1] == ("Sở Y tế còn tặng giấy khen: 02 (01 tập thể, 01 cá nhân); khen thưởng "
                         "01 chiến sĩ thi đua cấp cơ sở, 07 lao động tiên tiến")
    assert not any(line.startswith("Cờ thi đua") for line in lines)


def test_header_block_date_signer_and_recipients(seed_docs):
    path = seed_docs["Bao-cao-tong-ket-2020.docx"]
    doc = Document(str(path))
    header = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert "UBND TỈNH LÀO CAI\nSỞ Y TẾ" in header[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc" in header[1]
    assert header[2].strip() == "Số: 15/BC-SYT"
    date_par = doc.tables[0].rows[1].cells[1].paragraphs[0]
    assert date_par.text == "Lào Cai, ngày 05 tháng 01 năm 2021"
    assert all(r.italic for r in date_par.runs if r.text.strip())
    org = doc.tables[0].rows[0].cells[0].paragraphs[1]
    assert org.text == "SỞ Y TẾ" and org.runs[0].bold
    t = texts(path)
    assert "BÁO CÁO" in t
    assert "Tổng kết công tác thi đua, khen thưởng năm 2020, phương hướng, nhiệm vụ năm 2021" in t
    # Nơi nhận: 12 pt bold italic; list 11 pt ending with "- Lưu: VT, TCCB."
    sign = doc.tables[-1]
    left = sign.rows[0].cells[0].paragraphs
    assert left[0].text == "Nơi nhận:" and left[0].runs[0].bold and left[0].runs[0].italic
    assert left[0].runs[0].font.size.pt == 12
    assert [p.text for p in left[1:]] == ["- Sở Nội vụ;", "- Ban Thi đua – Khen thưởng tỉnh;", "- Lưu: VT, TCCB."]
    assert all(p.runs[0].font.size.pt == 11 for p in left[1:])
    right = [p.text for p in sign.rows[0].cells[1].paragraphs if p.text]
    assert right == ["GIÁM ĐỐC", "Hoàng Quốc Hương"]
    # A4, NĐ 30 margins, Times New Roman, page number field only from page 2
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    mm = {k: round(getattr(sec, k).mm) for k in ("top_margin", "bottom_margin", "left_margin", "right_margin")}
    assert 20 <= mm["top_margin"] <= 25 and 20 <= mm["bottom_margin"] <= 25
    assert 30 <= mm["left_margin"] <= 35 and 15 <= mm["right_margin"] <= 20
    assert doc.styles["Normal"].font.name == "Times New Roman" and doc.styles["Normal"].font.size.pt in (13, 14)
    assert sec.different_first_page_header_footer
    assert "PAGE" in "".join(sec.header._element.itertext()) and not sec.first_page_header.paragraphs[0].text


def test_blank_number_blank_day_and_deputy_signer(small_result, tmp_path):
    _, result = small_result
    cfg = Config({"quyen_han_ky": "KT.", "nguoi_ky": "Nguyễn Văn Bình"})
    (path,) = render_reports(result, cfg, {}, tmp_path, kinds=["bao-cao-tong-ket"])
    doc = Document(str(path))
    assert re.fullmatch(r"Số: +/BC-SYT", doc.tables[0].rows[1].cells[0].text.strip())
    # no date in Cấu hình: day, month and year left for the văn thư, never today's clock
    assert re.fullmatch(r"Lào Cai, ngày +tháng +năm +", doc.tables[0].rows[1].cells[1].text)
    right = [p.text for p in doc.tables[-1].rows[0].cells[1].paragraphs if p.text]
    assert right == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Bình"]


def test_narrative_from_the_master_replaces_the_defaults(small_result, tmp_path):
    _, result = small_result
    narrative = {"uu_diem": "Dòng một & hai.\nDòng <ba>.", "kien_nghi": ""}
    (path,) = render_reports(result, CONFIG, narrative, tmp_path, kinds=["bao-cao-tong-ket"])
    t = texts(path)
    assert "Dòng một & hai." in t and "Dòng <ba>." in t
    assert "Không." in t  # empty field: the default


# --- every document -----------------------------------------------------------------------
def test_every_kind_renders_without_leftover_tags(seed_docs):
    names = set(seed_docs)
    assert {"Bao-cao-tong-ket-2020.docx", "Cong-van-phat-dong-2021.docx", "Bien-ban-Hoi-dong-TDKT-2020.docx",
            "Quyet-dinh-LDTT-2020.docx", "Quyet-dinh-CSTDCS-2020.docx", "Quyet-dinh-TTLDTT-2020.docx",
            "Quyet-dinh-GK-2020.docx", "To-trinh-UBND-tinh-2020.docx", "To-trinh-Bo-Y-te-2020.docx"} == names
    for path in seed_docs.values():
        with zipfile.ZipFile(path) as z:
            xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        assert "{{" not in xml and "{%" not in xml and "«" not in xml, path.name


def test_cong_van_has_kinh_gui_and_sections(seed_docs):
    t = texts(seed_docs["Cong-van-phat-dong-2021.docx"])
    doc = Document(str(seed_docs["Cong-van-phat-dong-2021.docx"]))
    assert doc.tables[0].rows[1].cells[0].paragraphs[1].text == "V/v phát động phong trào thi đua năm 2021"
    assert doc.tables[0].rows[1].cells[0].paragraphs[0].text.startswith("Số:")
    assert doc.tables[0].rows[1].cells[0].paragraphs[0].text.endswith("/SYT-TCCB")
    i = t.index("Kính gửi:")
    assert t[i + 1:i + 3] == ["- Các phòng chuyên môn thuộc Sở;", "- Các đơn vị trực thuộc trong ngành."]
    for h in ("I. CHỦ ĐỀ", "II. MỤC TIÊU VÀ CÁC GIẢI PHÁP CHỦ YẾU", "1. Mục tiêu", "2. Các giải pháp chủ yếu",
              "III. TỔ CHỨC THỰC HIỆN"):
        assert h in t
    sign = Document(str(seed_docs["Cong-van-phat-dong-2021.docx"])).tables[-1].rows[0].cells[0].paragraphs
    assert [p.text for p in sign] == ["Nơi nhận:", "- Như trên;", "- Lưu: VT, TCCB."]


def test_quyet_dinh_articles_and_its_list(seed_docs, seed_result):
    path = seed_docs["Quyet-dinh-GK-2020.docx"]
    t = texts(path)
    assert "QUYẾT ĐỊNH" in t and "QUYẾT ĐỊNH:" in t and "GIÁM ĐỐC SỞ Y TẾ" in t
    assert "Về việc tặng Giấy khen của Giám đốc Sở Y tế năm 2020" in t
    assert t[t.index("GIÁM ĐỐC SỞ Y TẾ") + 1] == (
        "Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số điều của "
        "Luật Thi đua, khen thưởng ngày 14 tháng 6 năm 2005; Luật sửa đổi, bổ sung một số điều của Luật Thi đua, "
        "khen thưởng ngày 16 tháng 11 năm 2013;")
    assert t[t.index("GIÁM ĐỐC SỞ Y TẾ") + 2].startswith("Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017")
    assert "Theo đề nghị của Trưởng phòng Tổ chức cán bộ." in t
    dieu1 = next(x for x in t if x.startswith("Điều 1."))
    assert "19 tập thể và 339 cá nhân" in dieu1 and "(có danh sách kèm theo)" in dieu1
    assert any(x.startswith("Điều 2.") for x in t) and any(x.startswith("Điều 3.") for x in t)
    # numbers follow so_quyet_dinh = 5 in the order LĐTT, CSTĐCS, TTLĐTT, GK
    assert "Số: 08/QĐ-SYT" in t
    assert any(x.startswith("(Kèm theo Quyết định số 08/QĐ-SYT ngày 05 tháng 01 năm 2021") for x in t)
    rows = annex_table_rows(path)
    assert rows[0][:2] == ["STT", "Họ và tên / Tên tập thể"]
    headings = [r[0] for r in rows if len(r) == 1]
    assert headings[0] == "I. TẬP THỂ (19)" and "II. CÁ NHÂN (339)" in headings
    people = [r for r in rows[1:] if len(r) > 1]
    assert len(people) == 358
    doc = Document(str(path))
    assert doc.tables[-1].rows[0]._tr.trPr.find(f"{W}tblHeader") is not None  # header repeated on every page


def test_to_trinh_to_the_province_and_to_the_ministry(seed_docs):
    t = texts(seed_docs["To-trinh-UBND-tinh-2020.docx"])
    assert "TỜ TRÌNH" in t
    assert "- Chủ tịch Ủy ban nhân dân tỉnh Lào Cai;" in t and "- Sở Nội vụ tỉnh Lào Cai." in t
    # TTLĐXS 41, CO_TINH 1, BK_TINH 18+96, BK_TTCP 3, HCLD3 1, TTUT 23, CSTD_TINH 13
    # the Chủ tịch grants his own awards (TTLĐXS, Cờ, BK tỉnh, CSTĐ tỉnh); the others he forwards
    de_nghi = next(x for x in t if "đề nghị Sở Nội vụ" in x)
    assert "xét tặng danh hiệu thi đua, hình thức khen thưởng cho 60 tập thể và 109 cá nhân" in de_nghi
    assert "trình cấp có thẩm quyền khen thưởng cho 27 cá nhân" in de_nghi
    assert "- Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh: 18 tập thể, 96 cá nhân;" in t
    assert "- Trình Thủ tướng Chính phủ tặng Bằng khen của Thủ tướng Chính phủ: 03 cá nhân;" in t
    assert "- Trình Thủ tướng Chính phủ xem xét, trình Chủ tịch nước phong tặng danh hiệu Thầy thuốc Ưu tú: 23 cá nhân." in t
    rows = annex_table_rows(seed_docs["To-trinh-UBND-tinh-2020.docx"])
    assert len([r for r in rows[1:] if len(r) > 1]) == 196
    tb = texts(seed_docs["To-trinh-Bo-Y-te-2020.docx"])
    assert "Kính gửi: Bộ trưởng Bộ Y tế." in tb
    assert any("08 tập thể và 55 cá nhân" in x for x in tb)


def test_bien_ban_with_votes(seed_result, tmp_path):
    cfg = Config({**CONFIG.values, "hoi_dong_tong_so": "15", "hoi_dong_co_mat": "14",
                  "chu_tich_hoi_dong": "Hoàng Quốc Hương", "thu_ky_hoi_dong": "Lê Thị Hoa",
                  "thoi_gian_hop": "14 giờ 00 ngày 28 tháng 12 năm 2020", "so_bien_ban": "3"})
    (path,) = render_reports(seed_result, cfg, {}, tmp_path, kinds=["bien-ban"], votes={"CSTD_TINH": 13,
                                                                                          "LDTT": 14})
    t = texts(path)
    assert "Số: 03/BB-HĐTĐKT" in t
    assert "Thành phần: 14/15 thành viên Hội đồng Thi đua – Khen thưởng Sở Y tế có mặt." in t
    assert "Thời gian bắt đầu: 14 giờ 00 ngày 28 tháng 12 năm 2020." in t
    doc = Document(str(path))
    rows = [[c.text for c in row.cells] for row in doc.tables[-2].rows]
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["Chiến sĩ thi đua cấp tỉnh"][3:] == ["13", "13/14", "92,9"]
    assert by_name["Lao động tiên tiến"][3:] == ["1326", "14/14", "100"]
    assert by_name["Giấy khen của Giám đốc Sở Y tế"][2:] == ["19", "339", "", ""]  # no vote given: left blank
    signers = [p.text for c in doc.tables[-1].rows[0].cells for p in c.paragraphs if p.text]
    assert signers == ["THƯ KÝ", "Lê Thị Hoa", "CHỦ TỌA", "Hoàng Quốc Hương"]


# --- annex: order, escaping, speed --------------------------------------------------------
def test_annex_grouped_by_unit_sorted_by_ten_then_ho_dem(small_result, tmp_path):
    _, result = small_result
    paths = render_reports(result, CONFIG, {}, tmp_path, kinds=["quyet-dinh"])
    ld = next(p for p in paths if "LDTT" in p.name)
    rows = annex_table_rows(ld)[1:]
    flat = [r[0] if len(r) == 1 else r[1] for r in rows]
    assert flat == [
        "I. CÁ NHÂN (07)",
        "Bệnh viện Đa khoa tỉnh (05)",
        "Đỗ Minh An", "Phạm Văn An", "Lê Thị Ánh", "Trần Thị Dung", "Nguyễn Văn Đức",
        "Trung tâm Y tế huyện Bát Xát (02)",
        "Ơn Thị Ánh", "Vàng A Sử",
    ]
    assert [r[0] for r in rows if len(r) > 1] == ["1", "2", "3", "4", "5", "6", "7"]
    first = next(r for r in rows if len(r) > 1)
    assert first[2:] == ["02/01/1979", "", "Khoa Ngoại"]


def test_ampersand_angle_brackets_and_braces_in_data_come_out_literally(small_result, tmp_path):
    _, result = small_result
    paths = render_reports(result, CONFIG, {"uu_diem": "A & B <c> {{ d }} {% e %}"}, tmp_path)
    gk = next(p for p in paths if "GK" in p.name)
    rows = annex_table_rows(gk)
    names = [r[1] for r in rows if len(r) > 1]
    assert "Khoa Hồi sức & Cấp cứu" in names and "Hà Văn {{ x }}" in names
    ld = next(p for p in paths if "LDTT" in p.name)
    assert "Khoa <b>Ngoại</b>" in [r[4] for r in annex_table_rows(ld) if len(r) > 1]
    bc = next(p for p in paths if p.name.startswith("Bao-cao"))
    assert "A & B <c> {{ d }} {% e %}" in texts(bc)


def _many(n: int) -> pd.DataFrame:
    from thidua_xl.sample import people_name
    import random

    rng = random.Random(5)
    rows = []
    for i in range(n):
        unit = f"Trung tâm Y tế số {i % 12 + 1}"
        rows.append({c: None for c in NOMINATION_COLUMNS} | {
            "file": "x.xlsx", "sheet": "Đề nghị", "row": i + 4, "unit_code": f"U{i % 12}", "unit": unit,
            "ho_ten": people_name(rng), "ngay_sinh": dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28),
            "nam_sinh": 1970 + i % 30, "gioi_tinh": "Nam", "chuc_vu": "Bác sĩ", "khoa_phong": "Khoa Nội",
            "award": "LDTT", "subject": "ca_nhan", "hinh_thuc": "LĐTT"})
    return pd.DataFrame(rows, columns=NOMINATION_COLUMNS)


def test_five_thousand_names_render_in_order(tmp_path):
    """Speed is the bench's (bench/run.py); here: all 5,000 rows, numbered in order."""
    result = consolidate(_many(5000), None, 2020)
    (path,) = render_reports(result, CONFIG, {}, tmp_path, kinds=["quyet-dinh"])
    rows = annex_table_rows(path)
    assert len([r for r in rows[1:] if len(r) > 1]) == 5000
    assert [r[0] for r in rows if len(r) > 1][-1] == "5000"


# --- template safety and lint -------------------------------------------------------------
def _template(tmp_path, *paragraphs, split: bool = False) -> Path:
    doc = Document()
    for text in paragraphs:
        p = doc.add_paragraph()
        if split:
            half = len(text) // 2
            p.add_run(text[:half]).bold = True
            p.add_run(text[half:])
        else:
            p.add_run(text)
    path = tmp_path / "mau.docx"
    doc.save(path)
    return path


@pytest.mark.parametrize("evil", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ nam.__class__.__base__.__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
])
def test_sandbox_refuses_a_malicious_template(tmp_path, evil):
    path = _template(tmp_path, "Năm {{ nam }}", evil)
    with pytest.raises(TemplateProblem) as exc:
        render_docx(path, {"nam": 2020, "cycler": None}, tmp_path / "out.docx")
    assert "Mẫu" in str(exc.value) and isinstance(exc.value, UserError)
    assert not (tmp_path / "out.docx").exists()


def test_lint_names_the_missing_variable(tmp_path):
    path = _template(tmp_path, "Năm {{ nam }} – {{ ten_khong_co }}")
    assert lint_template(path, {"nam": 2020}) == ["thiếu dữ liệu cho biến: ten_khong_co"]
    with pytest.raises(TemplateProblem, match="ten_khong_co"):
        render_docx(path, {"nam": 2020}, tmp_path / "out.docx")


def test_a_tag_split_across_runs_still_renders(tmp_path):
    path = _template(tmp_path, "Năm {{ nam }}", split=True)
    doc = Document(str(path))
    p = doc.paragraphs[0]
    p.runs[0].text, p.runs[1].text = "Năm {", "{ nam }}"
    doc.save(path)
    render_docx(path, {"nam": 2020}, tmp_path / "out.docx")
    assert texts(tmp_path / "out.docx") == ["Năm 2020"]


def test_leftover_tags_are_reported_unless_the_data_brought_them(tmp_path):
    doc = Document()
    doc.add_paragraph("Đơn vị {{ don_vi }")  # a broken tag typed by hand, left as text
    doc.add_paragraph("Tên: Hà Văn {{ x }}")
    assert leftover_tags(doc, {"ten": "Hà Văn {{ x }}"}) == ["Đơn vị {{ don_vi }"]
    path = _template(tmp_path, "Năm {{ nam }", "x")
    with pytest.raises(TemplateProblem, match="cú pháp"):
        render_docx(path, {"nam": 2020}, tmp_path / "out.docx")


def test_packaged_templates_use_only_provided_variables(seed_result):
    ctxs = {
        "bao-cao-tong-ket": C.bao_cao_context(seed_result, CONFIG, {}),
        "cong-van-phat-dong": C.cong_van_context(seed_result, CONFIG, {}),
        "quyet-dinh": C.quyet_dinh_context("LDTT", seed_result.lists["LDTT"], seed_result, CONFIG, {}),
        "to-trinh": C.to_trinh_context("tinh", [("x", seed_result.lists["TTLDXS"])], seed_result, CONFIG, {}),
        "bien-ban": bien_ban_context(seed_result, CONFIG, {}),
    }
    assert set(ctxs) == set(KINDS)
    for kind, ctx in ctxs.items():
        assert lint_template(template_path(kind), ctx, annex=kind in ("quyet-dinh", "to-trinh")) == [], kind


def test_annex_needs_its_prototype_row(tmp_path):
    doc = Document()
    doc.add_table(rows=1, cols=2).rows[0].cells[0].text = "STT"
    with pytest.raises(AnnexError):
        fill_annex(doc.element.body, [])


def test_staff_templates_folder_overrides_the_packaged_one(small_result, tmp_path):
    _, result = small_result
    own = tmp_path / "mau"
    own.mkdir()
    doc = Document()
    doc.add_paragraph("Bản riêng của Sở năm {{ nam }}: {{ ten_co_quan }}")
    doc.save(own / "bao-cao-tong-ket.docx")
    (path,) = render_reports(result, CONFIG, {}, tmp_path / "out", kinds=["bao-cao-tong-ket"], templates_dir=own)
    assert texts(path) == ["Bản riêng của Sở năm 2020: Sở Y tế"]


def test_templates_are_rebuilt_byte_for_byte(tmp_path):
    built = build_all(tmp_path)
    assert len(built) == 5
    for p in built:
        assert p.read_bytes() == (TEMPLATE_DIR / p.name).read_bytes(), f"{p.name}: run python -m thidua_xl.devtools.word_templates"


# --- row-level errors stay out of decisions; the CLI -----------------------------------------
def test_rows_with_errors_stay_out_of_decisions_and_of_the_bao_cao(small_result, tmp_path):
    intake, result = small_result
    row = result.lists["LDTT"]
    victim = row[row["ho_ten"] == "Trần Thị Dung"].iloc[0]
    findings = [Finding("CRITERIA_NOT_MET", ERROR, "Chưa đủ tiêu chuẩn.", file=victim["file"],
                        sheet=victim["sheet"], row=int(victim["row"])),
                Finding("QUOTA_EXCEEDED", ERROR, "Vượt tỷ lệ.", file=victim["file"], unit=victim["unit"])]
    paths = render_reports(result, CONFIG, {}, tmp_path, findings=findings)
    ld = next(p for p in paths if "LDTT" in p.name)
    names = [r[1] for r in annex_table_rows(ld)[1:] if len(r) > 1]
    assert "Trần Thị Dung" not in names and len(names) == 6  # the unit-level quota finding keeps its rows
    assert "Công nhận danh hiệu “Lao động tiên tiến” năm 2020 cho 06 cá nhân" in \
        next(x for x in texts(ld) if x.startswith("Điều 1."))
    bc = next(p for p in paths if p.name.startswith("Bao-cao"))  # the báo cáo counts what was decided
    assert "- Sở Y tế tặng giấy khen: 02 (01 tập thể, 01 cá nhân); khen thưởng 01 chiến sĩ thi đua cấp cơ sở, " \
           "06 lao động tiên tiến" in texts(bc)


def test_cli_report_writes_documents_and_says_which_rows_are_left_out(small_folder, tmp_path, capsys):
    _unit_file(small_folder / "BVSN.xlsx", "Bệnh viện Sản Nhi", [
        ("", "1980", "Nữ", "", "", "LĐTT"),  # no name: a row-level error
        ("Lò Thị Mai", "1981", "Nữ", "", "", "LĐTT"),
    ])
    out = tmp_path / "van-ban"
    code = main(["report", str(small_folder), "--out", str(out), "--year", "2020", "--kind", "quyet-dinh",
                 "--kind", "bao-cao-tong-ket"])
    captured = capsys.readouterr()
    assert code == 1
    assert "dòng có lỗi không đưa vào quyết định" in captured.err
    assert "(không tên) – Bệnh viện Sản Nhi (BVSN.xlsx, Đề nghị, dòng 4)" in captured.err
    names = sorted(p.name for p in out.glob("*.docx"))
    assert {"Bao-cao-tong-ket-2020.docx", "Quyet-dinh-GK-2020.docx", "Quyet-dinh-LDTT-2020.docx"} <= set(names)
    assert all(n.startswith(("Bao-cao-tong-ket", "Quyet-dinh-")) for n in names)  # only the kinds asked for
    ld = [r[1] for r in annex_table_rows(out / "Quyet-dinh-LDTT-2020.docx")[1:] if len(r) > 1]
    assert "Lò Thị Mai" in ld and "" not in ld


def test_cli_report_unknown_kind_is_a_user_error(small_folder, tmp_path, capsys):
    code = main(["report", str(small_folder), "--out", str(tmp_path), "--kind", "thu-moi"])
    assert code == 2
    assert "thu-moi" in capsys.readouterr().err


def test_names_typed_in_capitals_are_written_in_the_usual_case():
    person = C._row_values({"ho_ten": "ĐẶNG PHƯƠNG DUNG", "subject": "ca_nhan", "unit": "BV"}, 1)
    collective = C._row_values({"ho_ten": "KHOA HỒI SỨC & CẤP CỨU", "subject": "tap_the", "unit": "BV"}, 2)
    assert person["ho_ten"] == "Đặng Phương Dung"
    assert collective["ho_ten"] == "Khoa Hồi sức & Cấp cứu"  # a collective in its written case, not in capitals


def test_votes_sheet_of_the_master_feeds_the_bien_ban(tmp_path):
    from thidua_xl.documents.votes import read_votes

    wb = openpyxl.Workbook()
    wb.active.title = "Cấu hình"
    ws = wb.create_sheet("Biểu quyết")
    ws.append(["KẾT QUẢ BỎ PHIẾU"])
    ws.append(["STT", "Hình thức khen thưởng", "Số phiếu đồng ý"])
    ws.append([1, "CSTĐ cấp tỉnh", 13])
    ws.append([2, "Bằng khen UBND tỉnh", "12"])
    ws.append([3, "Không rõ", 5])
    master = tmp_path / "ThiDua.xlsx"
    wb.save(master)
    assert read_votes([tmp_path / "khong-co.xlsx", master]) == {"CSTD_TINH": 13, "BK_TINH": 12}
    assert _pct(13, 14) == "92,9" and _pct(14, 14) == "100" and _pct(1, 0) == ""


def test_pdf_without_any_converter_says_so_plainly(small_result, tmp_path, monkeypatch):
    from thidua_xl.documents.pdf import NoConverter, available, to_pdf

    _, result = small_result
    (doc,) = render_reports(result, CONFIG, {}, tmp_path, kinds=["bien-ban"])
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr("sys.platform", "linux")
    assert available() is None
    with pytest.raises(NoConverter, match="LibreOffice"):
        to_pdf([doc])
    assert doc.is_file()


def test_master_from_init_votes_with_members_reach_the_bien_ban_through_the_cli(tmp_path, capsys):
    """The `Biểu quyết` sheet `thidua init` writes is the one the report reads, members column included."""
    from thidua_xl.documents.votes import Vote, read_vote_sheet, read_votes

    units = tmp_path / "don-vi.csv"
    units.write_text("Mã đơn vị,Tên đơn vị,Email\nBVDK,Bệnh viện Đa khoa tỉnh,bvdk@x.vn\n", encoding="utf-8")
    master = tmp_path / "ThiDua-2020.xlsx"
    assert main(["init", str(master), "--year", "2020", "--units", str(units)]) == 0
    wb = openpyxl.load_workbook(master)
    ws = wb["Cấu hình"]
    settings = {"Tổng số thành viên Hội đồng TĐKT": 15, "Số thành viên Hội đồng có mặt": 14}
    for row in ws.iter_rows(min_row=1):
        if row[0].value in settings:
            row[1].value = settings[row[0].value]
    sheet = next(s for s in wb.worksheets if s.title.startswith("Bệnh viện Đa khoa"))
    header = next(r for r in range(1, 20) if sheet.cell(r, 2).value == "Họ và tên")
    cols = {sheet.cell(header, c).value: c for c in range(1, sheet.max_column + 1)}
    for i, (name, award) in enumerate((("Lò Thị Mai", "LĐTT"), ("Vàng A Sử", "LĐTT"),
                                       ("Khoa Nhi", "Tập thể lao động tiên tiến"))):
        sheet.cell(header + 1 + i, cols["Họ và tên"], name)
        sheet.cell(header + 1 + i, cols["Hình thức đề nghị"], award)
        if award == "LĐTT":
            sheet.cell(header + 1 + i, cols["Ngày sinh"], "13/02/1980")
            sheet.cell(header + 1 + i, cols["Giới tính"], "Nữ")
    votes = wb["Biểu quyết"]
    row_of = {votes.cell(r, 2).value: r for r in range(4, votes.max_row + 1)}
    votes.cell(row_of["Lao động tiên tiến"], 3, 13)  # one member left before this vote
    votes.cell(row_of["Lao động tiên tiến"], 4, 12)
    votes.cell(row_of["Tập thể lao động tiên tiến"], 4, 14)  # no member count: the members present (14)
    wb.save(master)

    assert read_vote_sheet([master]) == {"LDTT": Vote(12, 13), "TTLDTT": Vote(14, None)}
    assert read_votes([master]) == {"LDTT": 12, "TTLDTT": 14}
    out = tmp_path / "van-ban"
    code = main(["report", str(master), "--out", str(out), "--kind", "bien-ban"])
    assert code == 0, capsys.readouterr().err
    doc = Document(str(out / "Bien-ban-Hoi-dong-TDKT-2020.docx"))
    rows = {r[1]: r for r in ([c.text for c in row.cells] for row in doc.tables[-2].rows)}
    assert rows["Lao động tiên tiến"][3:] == ["02", "12/13", "92,3"]
    assert rows["Tập thể lao động tiên tiến"][2:] == ["01", "", "14/14", "100"]
    assert "Thành phần: 14/15 thành viên Hội đồng Thi đua – Khen thưởng Sở Y tế có mặt." in texts(
        out / "Bien-ban-Hoi-dong-TDKT-2020.docx")


def test_signer_block_goes_with_the_closing_text_and_vote_rows_never_split(seed_docs):
    """No signature alone at the top of a page: the paragraph above it keeps with it (LibreOffice and Word)."""
    for name, path in seed_docs.items():
        body = Document(str(path)).element.body
        signer = next(t for t in body.iter(f"{W}tbl")
                      if any("Nơi nhận:" in (x.text or "") or x.text == "THƯ KÝ" for x in t.iter(f"{W}t")))
        before = list(body)[: list(body).index(signer)]
        texts_before = [p for p in before if p.tag == f"{W}p" and "".join(t.text or "" for t in p.iter(f"{W}t"))]
        spacer = signer.getprevious()
        for p in (texts_before[-1], spacer):
            assert p.find(f"{W}pPr/{W}keepNext") is not None, name
        assert signer.find(f"{W}tr/{W}trPr/{W}cantSplit") is not None, name
    bien_ban = Document(str(seed_docs["Bien-ban-Hoi-dong-TDKT-2020.docx"])).tables[-2]
    assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in bien_ban._tbl.findall(f"{W}tr")[1:])


def test_cli_report_shows_a_quota_over_the_limit_not_the_room_left(tmp_path, capsys):
    folder = tmp_path / "don-vi"
    folder.mkdir()
    _unit_file(folder / "BVDK.xlsx", "Bệnh viện Đa khoa tỉnh",
               [(f"Nguyễn Văn Đức {chr(65 + i)}", "13/02/1980", "Nam", "", "", "LĐTT") for i in range(20)]
               + [("Nguyễn Văn Đức A", "13/02/1980", "Nam", "", "", "CSTĐCS")])  # 1 of 3 allowed: room left
    _unit_file(folder / "TTYT.xlsx", "Trung tâm Y tế huyện Bát Xát",
               [("Vàng A Sử", "1982", "Nam", "", "", "LĐTT"), ("Vàng A Sử", "1982", "Nam", "", "", "CSTĐCS"),
                ("Ơn Thị Ánh", "1988", "Nữ", "", "", "LĐTT"), ("Ơn Thị Ánh", "1988", "Nữ", "", "", "CSTĐCS")])
    out = tmp_path / "van-ban"
    main(["report", str(folder), "--out", str(out), "--year", "2020", "--kind", "quyet-dinh"])
    err = " ".join(capsys.readouterr().err.split())
    assert "cấp đơn vị (Trung tâm Y tế huyện Bát Xát)" in err and "các dòng vẫn được giữ" in err
    assert "Bệnh viện Đa khoa tỉnh)" not in err  # "còn có thể đề nghị thêm" is no news at this step
    cs = [r[1] for r in annex_table_rows(out / "Quyet-dinh-CSTDCS-2020.docx")[1:] if len(r) > 1]
    assert cs == ["Nguyễn Văn Đức A", "Ơn Thị Ánh", "Vàng A Sử"]  # over the quota, still in: the officer decides


def test_pdf_through_word_on_windows_and_word_failing_is_a_plain_message(small_result, tmp_path, monkeypatch):
    """Without LibreOffice, Windows converts through Word (docx2pdf); Word itself cannot run here, so a stand-in
    module plays its two outcomes: a PDF written, or Word refusing (a COM error) — never a traceback."""
    import sys
    import types

    from thidua_xl.documents.pdf import available, to_pdf

    _, result = small_result
    (doc,) = render_reports(result, CONFIG, {}, tmp_path, kinds=["bien-ban"])
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr("sys.platform", "win32")
    monkeypatch.setattr("thidua_xl.documents.pdf._WINDOWS_SOFFICE", ())
    word = types.ModuleType("docx2pdf")
    word.convert = lambda src, dst: Path(dst).write_bytes(b"%PDF-1.7 " + Path(src).name.encode())
    monkeypatch.setitem(sys.modules, "docx2pdf", word)
    assert available() == "word"
    (pdf,) = to_pdf([doc], tmp_path / "pdf")
    assert pdf == tmp_path / "pdf" / "Bien-ban-Hoi-dong-TDKT-2020.pdf" and pdf.read_bytes().startswith(b"%PDF")

    def refuse(src, dst):
        raise OSError("(-2147221005, 'Invalid class string')")

    word.convert = refuse
    with pytest.raises(UserError, match="Microsoft Word không chuyển được “Bien-ban-Hoi-dong-TDKT-2020.docx”"):
        to_pdf([doc], tmp_path / "pdf2")


def test_broken_staff_templates_are_plain_messages_not_tracebacks(small_folder, tmp_path, capsys):
    own = tmp_path / "mau"
    own.mkdir()
    (own / "bien-ban.docx").write_bytes(b"WordDocument\x00 a .doc renamed")
    code = main(["report", str(small_folder), "--out", str(tmp_path / "a"), "--year", "2020", "--kind", "bien-ban",
                 "--templates", str(own)])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2 and "Mẫu “bien-ban.docx” không mở được" in err and "không mong đợi" not in err
    no_list = Document()
    no_list.add_paragraph("{{ trich_yeu }}")  # a quyết định whose Danh sách table was deleted
    no_list.save(own / "quyet-dinh.docx")
    code = main(["report", str(small_folder), "--out", str(tmp_path / "b"), "--year", "2020", "--kind", "quyet-dinh",
                 "--templates", str(own)])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2 and "không có bảng danh sách" in err and "Traceback" not in err


def test_body_is_justified_with_first_line_indent_and_the_can_cu_italic(seed_docs):
    """NĐ 30: nội dung justified, first line 1–1.27 cm, ≥ 6 pt between paragraphs; căn cứ of a quyết định italic."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document(str(seed_docs["Quyet-dinh-GK-2020.docx"]))
    normal = doc.styles["Normal"].paragraph_format
    assert normal.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert 1.0 <= normal.first_line_indent.cm <= 1.27 and normal.space_after.pt >= 6
    paras = doc.paragraphs
    can_cu = [p for p in paras if p.text.startswith(("Căn cứ", "Theo đề nghị"))]
    assert len(can_cu) >= 4 and all(r.italic for p in can_cu for r in p.runs if r.text.strip())
    dieu = next(p for p in paras if p.text.startswith("Điều 1."))
    assert dieu.paragraph_format.alignment in (None, WD_ALIGN_PARAGRAPH.JUSTIFY)  # the Normal style's
    assert dieu.runs[0].bold and not dieu.runs[0].italic and not any(r.italic for r in dieu.runs)
