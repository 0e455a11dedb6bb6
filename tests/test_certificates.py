"""Certificates on the pre-printed form: one page per decided awardee, the decision's own texts, the
office's positions.

A master with two Sở decisions (Giấy khen for people and collectives, Lao động tiên tiến) and a row
the decision leaves out; the certificates are read back from the .docx XML and, where LibreOffice is
installed, from the PDF it prints (page count, text per page, where the words land).
"""
from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pandas as pd
import pytest
from docx import Document

from thidua_xl.cli import main
from thidua_xl.documents.certificate_docx import TWIPS_PER_MM, twips
from thidua_xl.workbook.master import create_master
from thidua_xl.workbook.print_form import DEFAULT_FORM, PRINT_SHEET, form_from_rows, form_rows

from thidua_xl.documents.pdf import find_soffice

SOFFICE = find_soffice()

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
UNITS = pd.DataFrame({
    "unit_code": ["BVDK", "TTYT-BT", "CDC"],
    "unit": ["Bệnh viện Đa khoa tỉnh", "Trung tâm Y tế huyện Bảo Thắng", "Trung tâm Kiểm soát bệnh tật tỉnh"],
    "email": ["bvdk@example.vn", "bt@example.vn", "cdc@example.vn"],
})
PEOPLE = [  # unit, name, gender, position, ward
    ("TTYT-BT", "Vũ Thị Ánh", "Nữ", "Bác sĩ", "Khoa Nhi"),
    ("BVDK", "Nguyễn Văn Bình", "Nam", "Điều dưỡng trưởng", "Khoa Nội"),
    ("BVDK", "Đặng Thị Bình", "Nữ", "Dược sĩ", "Khoa Dược"),
    ("BVDK", "Trần Văn Anh", "Nam", "", ""),
    ("CDC", "Lê Thị Yến", "Nữ", "Kỹ thuật viên", "Khoa Xét nghiệm"),
    ("TTYT-BT", "Phạm Văn Đức", "Nam", "Y sĩ", "Trạm Y tế xã Gia Phú"),
]
COLLECTIVES = [("BVDK", "Khoa Hồi sức & Cấp cứu"), ("CDC", "Trung tâm Kiểm soát bệnh tật tỉnh")]
CONFIG = {"so_quyet_dinh": "15", "ngay_van_ban": "2026-02-13", "giam_doc": "Hoàng Quốc Hương",
          "dia_danh": "Lào Cai", "quyen_han_ky": "KT.", "nguoi_ky": "Đỗ Minh Tâm"}


def _rows() -> list[dict]:
    rows = []
    for i, (u, name, g, cv, kp) in enumerate(PEOPLE):
        person = {"unit_code": u, "ho_ten": name, "ngay_sinh": dt.date(1975 + i, 1 + i, 9), "gioi_tinh": g,
                  "chuc_vu": cv, "khoa_phong": kp}
        rows.append({**person, "hinh_thuc": "Giấy khen"})
        if i < 3:
            rows.append({**person, "hinh_thuc": "Lao động tiên tiến"})
    for u, name in COLLECTIVES:
        rows.append({"unit_code": u, "ho_ten": name, "hinh_thuc": "Giấy khen", "doi_tuong": "Tập thể"})
    # born in the future: a row-level error, so the decision (and the certificates) leave it out
    rows.append({"unit_code": "CDC", "ho_ten": "Hà Văn Sai", "ngay_sinh": dt.date(2031, 5, 5), "gioi_tinh": "Nam",
                 "hinh_thuc": "Giấy khen"})
    return rows


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cert")
    return create_master(folder / "ThiDua-2025.xlsx", 2025, UNITS, nominations=pd.DataFrame(_rows()), config=CONFIG)


@pytest.fixture(scope="module")
def printed(master, tmp_path_factory):
    """The decisions and the certificates of one `report` run."""
    out = tmp_path_factory.mktemp("in")
    code = main(["report", str(master), "--out", str(out), "--kind", "quyet-dinh", "--kind", "chung-nhan"])
    assert code == 1  # the future birth date is an error row, reported and left out
    return out


def frames(path) -> list[list[dict]]:
    """Per page, the framed paragraphs: text, position (twips), width, alignment, size, bold."""
    body = Document(str(path)).element.body
    pages: list[list[dict]] = [[]]
    for p in body.iter(f"{W}p"):
        if p.find(f".//{W}br[@{W}type='page']") is not None:
            pages.append([])
            continue
        fp = p.find(f"{W}pPr/{W}framePr")
        if fp is None:
            continue
        rpr = p.find(f"{W}r/{W}rPr")
        pages[-1].append({
            "text": "".join(t.text or "" for t in p.iter(f"{W}t")),
            "x": int(fp.get(f"{W}x")), "y": int(fp.get(f"{W}y")), "w": int(fp.get(f"{W}w")),
            "h_anchor": fp.get(f"{W}hAnchor"), "v_anchor": fp.get(f"{W}vAnchor"),
            "jc": p.find(f"{W}pPr/{W}jc").get(f"{W}val"),
            "size": int(rpr.find(f"{W}sz").get(f"{W}val")) / 2, "bold": rpr.find(f"{W}b") is not None,
        })
    return pages


def page_breaks(path) -> int:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").count(b'w:type="page"')


def annex_names(path) -> list[str]:
    """The names of the decision's annex, in its order (rows whose first cell is a number)."""
    doc = Document(str(path))
    out = []
    for tr in doc.tables[-1]._tbl.findall(f"{W}tr"):
        cells = ["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in tr.findall(f"{W}tc")]
        if cells and cells[0].strip().isdigit() and len(cells) > 1:
            out.append(cells[1])
    return out


def decision_number(path) -> str:
    body = Document(str(path)).element.body
    text = "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p"))
    return re.search(r"Số:\s*(\S+/QĐ-SYT)", text).group(1)


# --- one page per decided awardee, in the annex's order ------------------------------------
@pytest.mark.parametrize("award, people", [("GK", 8), ("LDTT", 3)])
def test_one_page_per_awardee_of_the_decision_in_its_order(printed, award, people):
    cert = printed / f"Chung-nhan-{award}-2025.docx"
    pages = frames(cert)
    assert len(pages) == people and page_breaks(cert) == people - 1
    names = [next(f["text"] for f in page if f["y"] == twips(DEFAULT_FORM.field("ho_ten").y)) for page in pages]
    bare = [re.sub(r"^(Ông|Bà) ", "", n) for n in names]
    assert bare == annex_names(printed / f"Quyet-dinh-{award}-2025.docx")
    assert "Hà Văn Sai" not in " ".join(names)  # the decision leaves the error row out, so do we


def test_gk_order_is_collectives_then_people_by_unit_then_ten(printed):
    names = [page[0]["text"] for page in frames(printed / "Chung-nhan-GK-2025.docx")]
    assert names[:2] == ["Khoa Hồi sức & Cấp cứu", "Trung tâm Kiểm soát bệnh tật tỉnh"]
    # Bệnh viện: Anh < Bình (Đặng) < Bình (Nguyễn): by tên, then họ đệm
    assert names[2:5] == ["Ông Trần Văn Anh", "Bà Đặng Thị Bình", "Ông Nguyễn Văn Bình"]


def test_each_page_holds_awardee_unit_decision_place_and_signer(printed):
    number = decision_number(printed / "Quyet-dinh-GK-2025.docx")
    assert number == "16/QĐ-SYT"  # LĐTT comes first among the Sở's decisions and takes 15
    by_name = {}
    for page in frames(printed / "Chung-nhan-GK-2025.docx"):
        texts = [f["text"] for f in page]
        by_name[texts[0]] = texts
        assert f"Quyết định số {number} ngày 13 tháng 02 năm 2026" in texts
        assert "Lào Cai, ngày 13 tháng 02 năm 2026" in texts
        assert {"KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Đỗ Minh Tâm"} <= set(texts)
        assert "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2025" in texts
    assert by_name["Bà Vũ Thị Ánh"][1:3] == ["Bác sĩ, Khoa Nhi", "Trung tâm Y tế huyện Bảo Thắng"]
    assert by_name["Ông Nguyễn Văn Bình"][1:3] == ["Điều dưỡng trưởng, Khoa Nội", "Bệnh viện Đa khoa tỉnh"]
    assert by_name["Khoa Hồi sức & Cấp cứu"][1] == "Bệnh viện Đa khoa tỉnh"
    # a unit awarded as a whole: its name once, no unit line repeating it
    assert by_name["Trung tâm Kiểm soát bệnh tật tỉnh"].count("Trung tâm Kiểm soát bệnh tật tỉnh") == 1
    ldtt = frames(printed / "Chung-nhan-LDTT-2025.docx")
    assert "Đạt danh hiệu “Lao động tiên tiến” năm 2025" in [f["text"] for f in ldtt[0]]
    assert f"Quyết định số {decision_number(printed / 'Quyet-dinh-LDTT-2025.docx')} ngày 13 tháng 02 năm 2026" \
        in [f["text"] for f in ldtt[0]]


def test_default_positions_are_frames_anchored_to_the_page(printed):
    page = frames(printed / "Chung-nhan-GK-2025.docx")[3]
    boxes = {b.key: b for b in DEFAULT_FORM.fields}
    for key in ("ho_ten", "chuc_vu", "don_vi", "thanh_tich", "quyet_dinh", "nguoi_ky"):
        b = boxes[key]
        f = next(f for f in page if f["y"] == twips(b.y) and f["x"] == twips(b.x))
        assert (f["w"], f["size"], f["bold"], f["jc"]) == (twips(b.width), b.size, b.bold, b.align)
        assert (f["h_anchor"], f["v_anchor"]) == ("page", "page")
    assert len(page) == len(DEFAULT_FORM.fields)  # every field has text on a person's page
    sect = Document(str(printed / "Chung-nhan-GK-2025.docx")).sections[0]
    assert (round(sect.page_width.mm), round(sect.page_height.mm)) == (297, 210)


# --- the office's settings: the `Mẫu in` sheet ---------------------------------------------
def _edit_form(master, tmp_path, edits: dict[str, dict[str, object]], settings: dict[str, object]):
    """A copy of the master whose `Mẫu in` cells are changed: field key -> {header: value}; label -> value."""
    path = tmp_path / "ThiDua-sua.xlsx"
    shutil.copy2(master, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[PRINT_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    header_idx = next(i for i, r in enumerate(rows) if r and "X (mm)" in r)
    header = list(rows[header_idx])
    for i, r in enumerate(rows):
        if r[0] in edits and i > header_idx:
            for col, value in edits[r[0]].items():
                ws.cell(i + 1, header.index(col) + 1).value = value
        for label, value in settings.items():
            if r[0] and str(r[0]).startswith(label) and i < header_idx:
                ws.cell(i + 1, 2).value = value
    wb.save(path)
    return path


def test_positions_and_paper_follow_the_mau_in_sheet(master, tmp_path):
    path = _edit_form(master, tmp_path, {
        "ho_ten": {"X (mm)": 20, "Y (mm)": 130.5, "Rộng (mm)": 180, "Cỡ chữ": 22, "Căn lề": "Trái", "Đậm": "Không"},
        "chuc_vu": {"In": "Không"},
    }, {"Khổ giấy": "A3", "Hướng giấy": "Dọc", "Lệch ngang": 2.5, "Lệch dọc": "-1,5", "In “Ông”": "Không"})
    out = tmp_path / "in"
    assert main(["report", str(path), "--out", str(out), "--kind", "chung-nhan", "--award", "Giấy khen"]) == 1
    assert [p.name for p in out.glob("*.docx")] == ["Chung-nhan-GK-2025.docx"]
    pages = frames(out / "Chung-nhan-GK-2025.docx")
    name = pages[3][0]
    assert name["text"] == "Đặng Thị Bình"  # no Ông/Bà when the form prints it
    assert (name["x"], name["y"]) == (round(22.5 * TWIPS_PER_MM), round(129 * TWIPS_PER_MM))
    assert (name["w"], name["size"], name["bold"], name["jc"]) == (twips(180), 22, False, "left")
    assert not any(f["text"] == "Dược sĩ, Khoa Dược" for f in pages[3])  # a field switched off
    signer = next(f for f in pages[3] if f["text"] == "Đỗ Minh Tâm")
    b = DEFAULT_FORM.field("nguoi_ky")
    assert (signer["x"], signer["y"]) == (twips(b.x + 2.5), twips(b.y - 1.5))  # the offset moves every field
    sect = Document(str(out / "Chung-nhan-GK-2025.docx")).sections[0]
    assert (round(sect.page_width.mm), round(sect.page_height.mm)) == (297, 420)


def test_master_without_the_sheet_prints_with_the_defaults(master, tmp_path, capsys):
    path = tmp_path / "khong-mau.xlsx"
    shutil.copy2(master, path)
    wb = openpyxl.load_workbook(path)
    del wb[PRINT_SHEET]
    wb.save(path)
    out = tmp_path / "in"
    main(["report", str(path), "--out", str(out), "--kind", "chung-nhan", "--award", "LDTT"])
    assert "mẫu mặc định" in capsys.readouterr().out
    page = frames(out / "Chung-nhan-LDTT-2025.docx")[0]
    b = DEFAULT_FORM.field("ho_ten")
    assert (page[0]["x"], page[0]["y"]) == (twips(b.x), twips(b.y))


def test_a_bad_cell_names_sheet_and_cell_and_nothing_is_printed(master, tmp_path, capsys):
    path = _edit_form(master, tmp_path, {"don_vi": {"Y (mm)": "một trăm"}}, {})
    out = tmp_path / "in"
    assert main(["report", str(path), "--out", str(out), "--kind", "chung-nhan"]) == 2
    message = " ".join(capsys.readouterr().err.split())
    assert "Mẫu in" in message and "ThiDua-sua.xlsx" in message and "“một trăm” không phải là số" in message
    assert re.search(r"ô F\d+", message)
    assert not out.exists() or not list(out.glob("*.docx"))


def test_award_option_refuses_awards_the_so_does_not_decide(master, tmp_path, capsys):
    assert main(["report", str(master), "--out", str(tmp_path), "--award", "Bằng khen UBND tỉnh"]) == 2
    assert "không do Giám đốc Sở quyết định" in " ".join(capsys.readouterr().err.split())


def test_sheet_rows_read_back_as_the_form_they_were_written_from():
    assert form_from_rows(form_rows(DEFAULT_FORM)) == DEFAULT_FORM
    rows = form_rows(DEFAULT_FORM)
    rows[rows.index(next(r for r in rows if r and r[0] == "ho_ten"))][10] = "Phải"
    assert form_from_rows(rows).field("ho_ten").align == "right"


def test_hundreds_of_pages_are_one_streamed_document(master, tmp_path):
    """400 names: 400 pages, 399 breaks, every name once."""
    from thidua_xl.documents.certificate_docx import pages_xml, write_docx

    pages = [{"ho_ten": f"Ông Người Thứ {i}", "don_vi": "Bệnh viện Đa khoa tỉnh"} for i in range(400)]
    path = write_docx(tmp_path / "dai.docx", DEFAULT_FORM, pages_xml(DEFAULT_FORM, pages))
    got = frames(path)
    assert len(got) == 400 and page_breaks(path) == 399
    assert [p[0]["text"] for p in got] == [p["ho_ten"] for p in pages]


# --- printed through LibreOffice ------------------------------------------------------------
def _pdf_words(pdf, page: int) -> list[tuple[str, float, float, float, float]]:
    """(word, xMin, yMin, xMax, yMax) in millimetres, from pdftotext -bbox."""
    xml = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    mm = 25.4 / 72
    return [(html.unescape(m.group(5)), *(float(m.group(i)) * mm for i in range(1, 5))) for m in re.finditer(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', xml)]


def _pages(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


@pytest.mark.slow
@pytest.mark.skipif(not SOFFICE or not shutil.which("pdftotext"), reason="LibreOffice and poppler not installed")
def test_pdf_has_one_page_per_awardee_with_its_texts_where_the_form_says(master, tmp_path):
    out = tmp_path / "in"
    assert main(["report", str(master), "--out", str(out), "--kind", "chung-nhan", "--pdf"]) == 1
    number = "16/QĐ-SYT"
    docx_pages = frames(out / "Chung-nhan-GK-2025.docx")
    assert _pages(out / "Chung-nhan-GK-2025.pdf") == len(docx_pages) == 8
    assert _pages(out / "Chung-nhan-LDTT-2025.pdf") == 3
    name_box, dec_box = DEFAULT_FORM.field("ho_ten"), DEFAULT_FORM.field("quyet_dinh")
    for i, page in enumerate(docx_pages, start=1):
        words = _pdf_words(out / "Chung-nhan-GK-2025.pdf", i)
        text = " ".join(w[0] for w in words)
        name = page[0]["text"]
        units = [f["text"] for f in page if f["y"] == twips(DEFAULT_FORM.field("don_vi").y)]
        assert name in text and number in text and all(u in text for u in units)
        first = next(w for w in words if w[0] == name.split()[0])
        assert abs(first[2] - name_box.y) < 1.5  # top of the name's line where the sheet puts it
        middle = (min(w[1] for w in words if w[2] == first[2]) + max(w[3] for w in words if w[2] == first[2])) / 2
        assert abs(middle - (name_box.x + name_box.width / 2)) < 1.5  # centred in its box
        qd = next(w for w in words if w[0] == "Quyết")
        assert abs(qd[1] - dec_box.x) < 1.0 and abs(qd[2] - dec_box.y) < 1.5  # left-aligned at its x


@pytest.mark.slow
@pytest.mark.skipif(not SOFFICE or not shutil.which("pdftotext"), reason="LibreOffice and poppler not installed")
def test_calibration_page_prints_the_grid_and_the_field_boxes_with_the_offset(master, tmp_path):
    path = _edit_form(master, tmp_path, {}, {"Lệch ngang": 3, "Lệch dọc": 2})
    out = tmp_path / "can-chinh"
    assert main(["report", str(path), "--out", str(out), "--calibration", "--pdf"]) == 0
    pdf = out / "Chung-nhan-can-chinh.pdf"
    assert _pages(pdf) == 1
    words = _pdf_words(pdf, 1)
    text = " ".join(w[0] for w in words)
    for label in ("Họ tên / tên tập thể", "Đơn vị", "Họ tên người ký", "Số, ngày quyết định", "Lệch ngang 3 mm"):
        assert label in text
    top_100 = next(w for w in words if w[0] == "100" and w[2] < 10)  # the column label of the 100 mm rule
    assert abs(top_100[1] - (100 + 3 + 0.6)) < 1.0
    png = subprocess.run(["pdftoppm", "-png", "-r", "30", "-singlefile", str(pdf), str(tmp_path / "p")],
                         capture_output=True)
    assert png.returncode == 0 and (tmp_path / "p.png").stat().st_size > 2000


def test_achievement_line_from_the_van_ban_sheet_else_from_the_decision():
    from thidua_xl.documents.certificates import achievement

    dieu1 = "Tặng Giấy khen cho 02 tập thể đã có thành tích xuất sắc trong phong trào thi đua năm 2025 (có danh sách kèm theo)."
    assert achievement("GK", {"dieu1": dieu1}, 2025, {}) == "Đã có thành tích xuất sắc trong phong trào thi đua năm 2025"
    own = {"thanh_tich_giay_khen": "Đã có thành tích xuất sắc trong công tác năm 2025"}
    assert achievement("GK", {"dieu1": dieu1}, 2025, own) == "Đã có thành tích xuất sắc trong công tác năm 2025"
    assert achievement("CSTDCS", {}, 2025, own) == "Đạt danh hiệu “Chiến sĩ thi đua cơ sở” năm 2025"


def test_a_row_the_so_refuses_gets_no_certificate(tmp_path):
    """Kết quả xét “Không đồng ý” takes a person out of the decision, and so out of the certificates."""
    rows = _rows()
    refused = next(r for r in rows if r["ho_ten"] == "Lê Thị Yến")
    refused["ket_qua_xet"] = "Không đồng ý"
    master = create_master(tmp_path / "m.xlsx", 2025, UNITS, nominations=pd.DataFrame(rows), config=CONFIG)
    out = tmp_path / "in"
    main(["report", str(master), "--out", str(out), "--kind", "quyet-dinh", "--kind", "chung-nhan"])
    pages = frames(out / "Chung-nhan-GK-2025.docx")
    names = [re.sub(r"^(Ông|Bà) ", "", p[0]["text"]) for p in pages]
    assert "Lê Thị Yến" not in names and len(pages) == 7
    assert names == annex_names(out / "Quyet-dinh-GK-2025.docx")
