"""A whole year through the decision: the Hội đồng rejects Giấy khen and the Sở says no to one person.

Decisions, báo cáo, biên bản, tờ trình, doi-chieu.xlsx and the register must agree row by row,
and the register must hold no rejected, erroneous or undecided award.
"""
from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from docx import Document

from thidua_xl import history
from thidua_xl.cli import main
from thidua_xl.workbook.master import create_master

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
UNITS = pd.DataFrame({"unit_code": ["BVDK", "CDC"], "unit": ["Bệnh viện Đa khoa tỉnh", "Trung tâm Kiểm soát bệnh tật"],
                      "email": ["bvdk@x.vn", "cdc@x.vn"]})


def _row(unit, name, dob, gender, award, ket_qua="", so_qd="", ngay_qd=""):
    return {"unit_code": unit, "ho_ten": name, "ngay_sinh": dob, "gioi_tinh": gender, "hinh_thuc": award,
            "chuc_vu": "Bác sĩ" if dob else "", "ket_qua_xet": ket_qua, "so_quyet_dinh": so_qd,
            "ngay_quyet_dinh": ngay_qd}


NOMINATIONS = pd.DataFrame([
    _row("BVDK", "Nguyễn Văn An", "13/02/1980", "Nam", "Lao động tiên tiến"),
    _row("BVDK", "Trần Thị Bình", "05/06/1985", "Nữ", "Lao động tiên tiến"),
    _row("BVDK", "Lê Văn Cường", "01/01/1975", "Nam", "Lao động tiên tiến", "Không đồng ý"),
    _row("BVDK", "Khoa Dược", "", "", "Giấy khen"),
    _row("BVDK", "Đỗ Văn Dũng", "02/03/1990", "Nam", "Huy chương vàng"),  # an award nobody knows: an error
    _row("BVDK", "Vũ Thị Én", "04/05/1970", "Nữ", "Bằng khen UBND tỉnh", "", "1234/QĐ-UBND", "20/01/2025"),
    _row("CDC", "Nguyễn Văn An", "13/02/1980", "Nam", "LĐTT"),  # the same nomination twice
    _row("CDC", "Phạm Thị Giang", "07/08/1988", "Nữ", "Giấy khen"),
    _row("CDC", "Hoàng Văn Hải", "09/10/1982", "Nam", "Lao động tiên tiến"),
    _row("CDC", "Mai Thị Lan", "11/12/1979", "Nữ", "Bằng khen UBND tỉnh"),  # passed, awaiting the province
])
VOTES = {"Lao động tiên tiến": (14, 13, ""), "Giấy khen của Giám đốc Sở Y tế": (14, 12, "Không thông qua"),
         "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh": (14, 14, "Thông qua")}


def _votes(workbook, info) -> None:
    ws = workbook.get_worksheet_by_name("Biểu quyết")
    from thidua_xl.catalog import load_catalog

    for i, award in enumerate(load_catalog()):
        if award.name in VOTES:
            members, yes, result = VOTES[award.name]
            ws.write_number(3 + i, 2, members)
            ws.write_number(3 + i, 3, yes)
            if result:
                ws.write_string(3 + i, 4, result)


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nam-2024")
    master = create_master(folder / "ThiDua-2024.xlsx", 2024, UNITS, nominations=NOMINATIONS, customize=_votes,
                           config={"so_quyet_dinh": "5", "ngay_van_ban": "25/12/2024", "hoi_dong_tong_so": "15",
                                   "hoi_dong_co_mat": "14", "so_to_trinh": "7"})
    out = folder / "van-ban"
    code = main(["report", str(master), "--out", str(out)])
    assert code == 1  # the unknown award and the duplicate are errors the officer must see
    return master, out


def texts(path) -> list[str]:
    doc = Document(str(path))
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in doc.element.body.iter(f"{W}p")]


def annex_names(path) -> list[str]:
    table = Document(str(path)).tables[-1]
    rows = [["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in tr.findall(f"{W}tc")]
            for tr in table._tbl.findall(f"{W}tr")]
    return [r[1] for r in rows[1:] if len(r) > 1]


def test_the_decision_lists_exactly_the_decided_rows(year):
    _master, out = year
    assert annex_names(out / "Quyet-dinh-LDTT-2024.docx") == ["Nguyễn Văn An", "Trần Thị Bình", "Hoàng Văn Hải"]
    dieu1 = next(x for x in texts(out / "Quyet-dinh-LDTT-2024.docx") if x.startswith("Điều 1."))
    assert "cho 03 cá nhân" in dieu1
    assert not (out / "Quyet-dinh-GK-2024.docx").exists()  # the Hội đồng did not pass Giấy khen


def test_bao_cao_counts_the_same_rows_and_keeps_the_province_apart(year):
    _master, out = year
    t = texts(out / "Bao-cao-tong-ket-2024.docx")
    body = "\n".join(t)
    assert "- Sở Y tế khen thưởng 03 lao động tiên tiến" in t
    assert "giấy khen" not in body.lower().split("kết quả cụ thể")[1].split("5. đánh giá")[0]
    granted, proposed = body.split("Đang đề nghị cấp trên khen thưởng")
    assert "Bằng khen cấp Tỉnh, Bộ, ngành: 01 cá nhân" in granted  # Vũ Thị Én: the province's decision is in
    assert "Bằng khen cấp Tỉnh, Bộ, ngành: 01 cá nhân" in proposed  # Mai Thị Lan: still awaiting it


def test_bien_ban_states_the_votes_and_the_person_refused(year):
    _master, out = year
    t = texts(out / "Bien-ban-Hoi-dong-TDKT-2024.docx")
    rows = {r[1]: r for r in ([c.text for c in row.cells] for row in Document(
        str(out / "Bien-ban-Hoi-dong-TDKT-2024.docx")).tables[-2].rows)}
    assert rows["Lao động tiên tiến"][3:] == ["04", "13/14", "92,9"]  # valid proposals: the duplicate is not voted
    assert rows["Giấy khen của Giám đốc Sở Y tế"][2:] == ["01", "01", "12/14", "85,7"]
    assert "Hội đồng không thông qua: Giấy khen của Giám đốc Sở Y tế." in t
    refused = next(x for x in t if x.startswith("Hội đồng không đồng ý"))
    assert "01 trường hợp: Lê Văn Cường (Lao động tiên tiến, Bệnh viện Đa khoa tỉnh)" in refused
    assert any("10 lượt đề nghị từ 2 đơn vị; 08 lượt hợp lệ".replace("08", "8") in x for x in t)


def test_to_trinh_asks_only_for_what_awaits_the_province(year):
    _master, out = year
    path = out / "To-trinh-UBND-tinh-2024.docx"
    assert annex_names(path) == ["Mai Thị Lan"]
    de_nghi = next(x for x in texts(path) if "đề nghị Sở Nội vụ" in x)
    assert "xét tặng danh hiệu thi đua, hình thức khen thưởng cho 01 cá nhân" in de_nghi


def test_doi_chieu_goes_from_proposed_to_decided_and_says_why(year):
    _master, out = year
    wb = openpyxl.load_workbook(out / "doi-chieu.xlsx")
    grid = {r[0]: r for r in wb["Đối chiếu"].iter_rows(min_row=4, values_only=True)}
    assert grid["LDTT"][3:7] == (5, 4, 4, 3)
    assert grid["GK"][3:7] == (2, 2, 0, 0)
    assert grid["BK_TINH"][3:7] == (2, 2, 2, 2)
    why = {r[1]: r[4] for r in wb["Không đưa vào"].iter_rows(min_row=4, values_only=True)}
    assert why == {"Lê Văn Cường": "Kết quả xét: Không đồng ý", "Khoa Dược": "Hội đồng không thông qua",
                   "Phạm Thị Giang": "Hội đồng không thông qua", "Đỗ Văn Dũng": "Có lỗi",
                   "Nguyễn Văn An": "Trùng đề nghị"}


def test_the_register_holds_only_granted_awards_each_with_its_decision(year, capsys):
    master, _out = year
    db = master.parent / "lich-su.sqlite"
    capsys.readouterr()
    assert main(["history", "archive", str(master), "--year", "2024", "--history", str(db)]) == 1
    said = capsys.readouterr()
    stored = history.records(db)
    got = sorted((r[0], r[5], r[7]) for r in stored)
    assert got == [("Hoàng Văn Hải", "LDTT", "05/QĐ-SYT"), ("Nguyễn Văn An", "LDTT", "05/QĐ-SYT"),
                   ("Trần Thị Bình", "LDTT", "05/QĐ-SYT"), ("Vũ Thị Én", "BK_TINH", "1234/QĐ-UBND")]
    assert "Mai Thị Lan" in said.err and "chưa có quyết định của cấp trên" in said.err
    assert history.pending_count(db) == 1  # Mai Thị Lan waits apart, as a proposal, for the province's decision
    assert "Đỗ Văn Dũng" in said.err
    # the master's Lịch sử sheet now shows them
    ws = openpyxl.load_workbook(master)["Lịch sử"]
    names = {ws.cell(r, 1).value for r in range(4, ws.max_row + 1)} - {None}
    assert names == {"Hoàng Văn Hải", "Nguyễn Văn An", "Trần Thị Bình", "Vũ Thị Én"}
    # archiving again adds nothing
    assert main(["history", "archive", str(master), "--year", "2024", "--history", str(db)]) == 1
    assert history.count(db) == 4


def test_the_provinces_decision_comes_back_and_the_row_is_granted(year, tmp_path, capsys):
    """The province grants Mai Thị Lan by its decision; its Excel annex list is imported onto the row."""
    master, _out = year
    annex = tmp_path / "QD-UBND.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG BẰNG KHEN CỦA CHỦ TỊCH UBND TỈNH"])
    ws.append(["(Kèm theo Quyết định số 2345/QĐ-UBND ngày 15/3/2025)"])
    ws.append(["STT", "Họ và tên", "Năm sinh", "Chức vụ, đơn vị công tác"])
    ws.append([1, "MAI THỊ LAN", 1979, "Bác sĩ, Trung tâm Kiểm soát bệnh tật"])
    ws.append([2, "Người Không Có", 1980, "Bác sĩ"])
    wb.save(annex)
    code = main(["decisions", "import", str(annex), "--into", str(master), "--so", "2345/QĐ-UBND",
                 "--ngay", "15/03/2025", "--hinh-thuc", "Bằng khen UBND tỉnh"])
    said = capsys.readouterr()
    assert code == 1 and "Người Không Có" in said.err  # a name not in the master is said, not guessed
    from thidua_xl.intake import read_paths

    n = read_paths([master]).nominations.set_index("ho_ten")
    assert n.loc["Mai Thị Lan", "so_quyet_dinh"] == "2345/QĐ-UBND"
    assert n.loc["Mai Thị Lan", "ngay_quyet_dinh"] == "15/03/2025"
    assert n.loc["Lê Văn Cường", "ket_qua_xet"] == "Không đồng ý"  # the Sở's own columns are kept
    db = master.parent / "lich-su-2.sqlite"
    main(["history", "archive", str(master), "--year", "2024", "--history", str(db)])
    assert ("Mai Thị Lan", "BK_TINH", "2345/QĐ-UBND") in {(r[0], r[5], r[7]) for r in history.records(db)}
    assert history.pending_count(db) == 0


def test_our_own_submissions_annex_can_be_read_as_the_decisions_list(year, capsys):
    """A province often returns the Sở's own list: the tờ trình's annex (award headings, unit headings) is read."""
    from thidua_xl.decisions import read_decision_list

    _master, out = year
    rows = read_decision_list(out / "To-trinh-UBND-tinh-2024.docx", number="2345/QĐ-UBND")
    assert [(r.ho_ten, r.award, r.so_quyet_dinh) for r in rows] == [("Mai Thị Lan", "BK_TINH", "2345/QĐ-UBND")]


def test_email_to_the_province_carries_only_what_is_addressed_to_it(year, tmp_path, capsys):
    import email
    from email import policy

    _master, out = year
    drafts = tmp_path / "thu"
    assert main(["email", "--docs", str(out), "--to", "snv@example.vn", "--draft", str(drafts)]) == 0
    (eml,) = list(drafts.rglob("*.eml"))
    msg = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    names = sorted(p.get_filename() for p in msg.iter_attachments())
    assert names == ["Bao-cao-tong-ket-2024.docx", "To-trinh-UBND-tinh-2024.docx"]


def test_documents_an_officer_can_sign_as_they_are(year):
    """Điều 2 names whom the decision is for; the document says it is Vietnamese, whose and when it is;
    headings are not Calibri blue; an annex heading row goes with the row after it."""
    _master, out = year
    path = out / "Quyet-dinh-LDTT-2024.docx"
    t = texts(path)
    assert next(x for x in t if x.startswith("Điều 2.")).startswith("Điều 2. Các cá nhân có tên tại Điều 1")
    assert any("các cá nhân có tên tại Điều 1 chịu trách nhiệm" in x for x in t if x.startswith("Điều 3."))
    doc = Document(str(path))
    cp = doc.core_properties
    assert cp.title.startswith("Về việc công nhận danh hiệu") and cp.author == "Sở Y tế"
    assert cp.language == "vi-VN" and cp.created.date().isoformat() == "2024-12-25"
    lang = doc.styles.element.find(f"{W}docDefaults").find(f"{W}rPrDefault").find(f"{W}rPr").find(f"{W}lang")
    assert lang.get(f"{W}val") == "vi-VN"
    h1 = doc.styles["Heading 1"]
    assert h1.font.color.rgb == (0, 0, 0) and h1.font.name == "Times New Roman"
    table = doc.tables[-1]._tbl
    headings = [tr for tr in table.findall(f"{W}tr") if len(tr.findall(f"{W}tc")) == 1]
    assert headings and all(tr.find(f".//{W}keepNext") is not None for tr in headings)
