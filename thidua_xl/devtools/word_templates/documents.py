"""The five Word templates, each built from the blocks of `blocks`, and `build_all` writing them
with fixed zip timestamps so a rebuild gives the same bytes."""
from __future__ import annotations

from pathlib import Path

from docx.enum.table import WD_TABLE_ALIGNMENT

from .blocks import (CENTER, LEFT, TEMPLATE_DIR, _cant_split, _center, _fill, _new_document, _no_borders, _para, _repeat_header, _runs, _tag, _widths, annex_section, header_block, heading, loop_paragraphs, signer_block, title_block)


# --- the five documents ---------------------------------------------------------
def build_bao_cao(path: Path) -> None:
    doc = _new_document()
    header_block(doc)
    title_block(doc, "BÁO CÁO")
    heading(doc, "Phần I", center=True)
    heading(doc, "TÌNH HÌNH TỔ CHỨC TRIỂN KHAI THỰC HIỆN PHONG TRÀO THI ĐUA, CÔNG TÁC KHEN THƯỞNG NĂM {{ nam }}",
            center=True)
    loop_paragraphs(doc, "can_cu")
    _para(doc, "{{ ten_co_quan }} báo cáo tổng kết công tác thi đua, khen thưởng năm {{ nam }} và phương hướng "
               "nhiệm vụ năm {{ nam_sau }}, cụ thể như sau:")
    heading(doc, "1. Đặc điểm tình hình")
    loop_paragraphs(doc, "dac_diem_tinh_hinh")
    loop_paragraphs(doc, "thuan_loi")
    loop_paragraphs(doc, "kho_khan")
    heading(doc, "2. Công tác lãnh đạo, chỉ đạo, tổ chức công tác thi đua khen thưởng")
    loop_paragraphs(doc, "lanh_dao_chi_dao")
    _tag(doc, "{%p if sang_kien %}")
    _para(doc, "Phong trào phát huy sáng kiến, cải tiến kỹ thuật, nghiên cứu khoa học trong ngành Y tế tiếp tục được "
               "đẩy mạnh; các đơn vị tổ chức đăng ký đề tài, sáng kiến. Trong năm {{ nam }} ngành Y tế có "
               "{{ sang_kien }}.")
    _tag(doc, "{%p endif %}")
    _para(doc, "Công tác giải quyết đơn thư khiếu nại về công tác thi đua, khen thưởng: {{ don_thu }}")
    heading(doc, "3. Kết quả đạt được trong phong trào thi đua yêu nước")
    heading(doc, "3.1. Tổ chức phong trào thi đua:")
    loop_paragraphs(doc, "to_chuc_phong_trao")
    heading(doc, "3.2. Kết quả thực hiện nhiệm vụ chuyên môn:")
    loop_paragraphs(doc, "ket_qua_chuyen_mon")
    heading(doc, "3.3. Kết quả công tác xây dựng và nhân rộng điển hình tiên tiến:")
    loop_paragraphs(doc, "dien_hinh_tien_tien")
    heading(doc, "3.4. Việc tham gia hoạt động của khối thi đua:")
    loop_paragraphs(doc, "khoi_thi_dua")
    heading(doc, "4. Kết quả khen thưởng trong phong trào thi đua yêu nước")
    loop_paragraphs(doc, "mo_dau_khen_thuong")
    _para(doc, "Kết quả cụ thể:")
    loop_paragraphs(doc, "ket_qua_khen_thuong", prefix="- ")
    _tag(doc, "{%p if dang_de_nghi %}")
    _para(doc, "Đang đề nghị cấp trên khen thưởng (chưa có quyết định):")
    loop_paragraphs(doc, "dang_de_nghi", prefix="- ")
    _tag(doc, "{%p endif %}")
    heading(doc, "5. Đánh giá tổng quát, nguyên nhân và các bài học kinh nghiệm")
    heading(doc, "* Ưu điểm")
    loop_paragraphs(doc, "uu_diem")
    heading(doc, "* Tồn tại")
    loop_paragraphs(doc, "ton_tai")
    heading(doc, "* Bài học kinh nghiệm")
    loop_paragraphs(doc, "bai_hoc")
    heading(doc, "6. Kiến nghị, đề xuất")
    loop_paragraphs(doc, "kien_nghi")
    heading(doc, "Phần II", center=True)
    heading(doc, "PHƯƠNG HƯỚNG, NHIỆM VỤ VÀ GIẢI PHÁP THỰC HIỆN PHONG TRÀO THI ĐUA, CÔNG TÁC KHEN THƯỞNG "
                 "NĂM {{ nam_sau }}", center=True)
    loop_paragraphs(doc, "phuong_huong")
    _para(doc, "Trên đây là báo cáo kết quả tổ chức triển khai thực hiện phong trào thi đua, công tác khen thưởng "
               "năm {{ nam }} và phương hướng nhiệm vụ năm {{ nam_sau }} của {{ ten_co_quan }}./.")
    signer_block(doc)
    doc.save(path)


def _kinh_gui(doc) -> None:
    """Kính gửi: one recipient on the same line, several as dash lines aligned under the colon."""
    _tag(doc, "{%p if kinh_gui|length == 1 %}")
    _center(doc, "Kính gửi: {{ kinh_gui[0] }}", after=6)
    _tag(doc, "{%p else %}")
    _para(doc, "Kính gửi:", indent=2.5, first=0, after=0)
    _tag(doc, "{%p for dong in kinh_gui %}")
    _para(doc, "{{ dong }}", indent=4.8, first=0, after=0)
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endif %}")
    _para(doc, "", first=0)


def build_cong_van(path: Path) -> None:
    doc = _new_document()
    header_block(doc, cong_van=True)
    _kinh_gui(doc)
    loop_paragraphs(doc, "mo_dau")
    heading(doc, "I. CHỦ ĐỀ")
    loop_paragraphs(doc, "chu_de")
    heading(doc, "II. MỤC TIÊU VÀ CÁC GIẢI PHÁP CHỦ YẾU")
    heading(doc, "1. Mục tiêu")
    loop_paragraphs(doc, "muc_tieu")
    heading(doc, "2. Các giải pháp chủ yếu")
    loop_paragraphs(doc, "giai_phap")
    heading(doc, "III. TỔ CHỨC THỰC HIỆN")
    loop_paragraphs(doc, "to_chuc_thuc_hien")
    loop_paragraphs(doc, "ket_luan")
    signer_block(doc)
    doc.save(path)


QD_COLUMNS = [
    ("STT", "«stt»", 1.4),
    ("Họ và tên / Tên tập thể", "«ho_ten»", 5.2),
    ("Ngày sinh", "«ngay_sinh»", 2.5),
    ("Chức vụ", "«chuc_vu»", 3.0),
    ("Khoa, phòng", "«khoa_phong»", 4.2),
]
TTR_COLUMNS = [
    ("STT", "«stt»", 1.4),
    ("Họ và tên / Tên tập thể", "«ho_ten»", 4.6),
    ("Năm sinh", "«nam_sinh»", 1.8),
    ("Giới tính", "«gioi_tinh»", 1.6),
    ("Chức vụ, đơn vị công tác", "«chuc_vu_don_vi»", 4.6),
    ("Ghi chú", "«ghi_chu»", 2.0),
]


def build_quyet_dinh(path: Path) -> None:
    doc = _new_document()
    header_block(doc)
    title_block(doc, "QUYẾT ĐỊNH")
    _center(doc, "{{ tham_quyen }}", bold=True, after=6)
    _tag(doc, "{%p for doan in can_cu %}")
    _para(doc, "{{ doan }}", italic=True)
    _tag(doc, "{%p endfor %}")
    _center(doc, "QUYẾT ĐỊNH:", bold=True, before=6, after=6)
    for n in (1, 2, 3):
        p = _para(doc)
        _runs(p, [(f"Điều {n}. ", {"bold": True}), (f"{{{{ dieu{n} }}}}", {})])
    signer_block(doc)
    annex_section(doc, "DANH SÁCH", "{{ tieu_de_danh_sach }}", "{{ kem_theo }}", QD_COLUMNS)
    doc.save(path)


def build_to_trinh(path: Path) -> None:
    doc = _new_document()
    header_block(doc)
    title_block(doc, "TỜ TRÌNH")
    _kinh_gui(doc)
    _tag(doc, "{%p for doan in can_cu %}")
    _para(doc, "{{ doan }}")
    _tag(doc, "{%p endfor %}")
    _para(doc, "{{ de_nghi }}")
    loop_paragraphs(doc, "chi_tiet", prefix="- ")
    loop_paragraphs(doc, "ket_luan")
    signer_block(doc)
    annex_section(doc, "DANH SÁCH", "{{ tieu_de_danh_sach }}", "{{ kem_theo }}", TTR_COLUMNS)
    doc.save(path)


def build_bien_ban(path: Path) -> None:
    doc = _new_document()
    header_block(doc, left_top="{{ co_quan_ban_hanh }}", left_bold="{{ hoi_dong }}")
    title_block(doc, "BIÊN BẢN")
    _para(doc, "Thời gian bắt đầu: {{ thoi_gian_hop }}.")
    _para(doc, "Địa điểm: {{ dia_diem_hop }}.")
    _para(doc, "Thành phần: {{ thanh_phan }}")
    _para(doc, "Chủ trì: {{ chu_tri }}.")
    _para(doc, "Thư ký: {{ thu_ky }}.")
    heading(doc, "Nội dung (theo diễn biến cuộc họp):")
    loop_paragraphs(doc, "noi_dung")
    heading(doc, "Kết quả bỏ phiếu kín:")
    t = doc.add_table(rows=2, cols=6)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(t, [1.4, 5.8, 1.9, 1.9, 2.4, 2.0])
    _repeat_header(t.rows[0])
    for cell, label in zip(t.rows[0].cells, ("STT", "Danh hiệu, hình thức khen thưởng", "Tập thể", "Cá nhân",
                                             "Số phiếu đồng ý", "Tỷ lệ (%)")):
        _fill(cell.paragraphs[0], label, bold=True, size=13)
    cells = t.rows[1].cells
    _fill(cells[0].paragraphs[0], "{%tr for kq in ket_qua %}", size=13)
    # docxtpl needs the {%tr %} tags in rows of their own: build them as three rows
    t.add_row()
    t.add_row()
    tag_open, body, tag_close = t.rows[1], t.rows[2], t.rows[3]
    for c in tag_open.cells[1:]:
        c.paragraphs[0].text = ""
    values = ("{{ kq.stt }}", "{{ kq.ten }}", "{{ kq.tap_the }}", "{{ kq.ca_nhan }}", "{{ kq.phieu }}", "{{ kq.ty_le }}")
    for c, v in zip(body.cells, values):
        _fill(c.paragraphs[0], v, size=13, align=LEFT if v == "{{ kq.ten }}" else CENTER)
    _cant_split(body)  # an award's line is never cut across two pages
    _fill(tag_close.cells[0].paragraphs[0], "{%tr endfor %}", size=13)
    _para(doc, "", first=0, after=0)
    heading(doc, "Kết luận:")
    loop_paragraphs(doc, "ket_luan")
    _para(doc, "Cuộc họp kết thúc vào {{ ket_thuc_hop }}.", keep_next=True)
    _para(doc, "", after=0, keep_next=True)
    t = doc.add_table(rows=1, cols=2)
    _no_borders(t)
    _widths(t, [8.0, 8.0])
    _cant_split(t.rows[0])
    for cell, (role, name) in zip(t.rows[0].cells, (("THƯ KÝ", "{{ thu_ky_ten }}"), ("CHỦ TỌA", "{{ chu_tri_ten }}"))):
        _fill(cell.paragraphs[0], role, bold=True)
        for _ in range(4):
            _fill(cell.add_paragraph(), "")
        _fill(cell.add_paragraph(), name, bold=True)
    doc.save(path)


BUILDERS = {
    "bao-cao-tong-ket": build_bao_cao,
    "cong-van-phat-dong": build_cong_van,
    "quyet-dinh": build_quyet_dinh,
    "to-trinh": build_to_trinh,
    "bien-ban": build_bien_ban,
}


def build_all(folder: Path = TEMPLATE_DIR) -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for kind, build in BUILDERS.items():
        path = folder / f"{kind}.docx"
        build(path)
        _normalise_zip(path)
        out.append(path)
    return out


def _normalise_zip(path: Path) -> None:
    """Fixed timestamps and order, so rebuilding gives the same bytes (reviewable diffs)."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            if name == "docProps/core.xml":
                import re
                data = re.sub(rb"<dcterms:(created|modified)([^>]*)>[^<]*<",
                              rb"<dcterms:\1\2>2020-01-01T00:00:00Z<", data)
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    tmp.replace(path)
