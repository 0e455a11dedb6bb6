"""The master's settings (sheet `Cấu hình`) and narrative texts (sheet `Văn bản`).

Both sheets are key/value tables: column A the Vietnamese label, column B the value.
Labels are matched folded (case/accents/spacing ignored), so staff may retype them.
Passwords are never stored here.
"""
from __future__ import annotations

from .perf import Plain
from .text import clean, fold

# field name -> (label in the sheet, default)
CONFIG_FIELDS: dict[str, tuple[str, str]] = {
    "nam": ("Năm", ""),
    "tinh": ("Tỉnh", "Lào Cai"),
    "dia_danh": ("Địa danh (ghi ở dòng ngày tháng)", "Lào Cai"),
    "co_quan_chu_quan": ("Cơ quan chủ quản", "UBND TỈNH LÀO CAI"),
    "co_quan_ban_hanh": ("Cơ quan ban hành", "SỞ Y TẾ"),
    "viet_tat_co_quan": ("Chữ viết tắt cơ quan", "SYT"),
    "don_vi_soan_thao": ("Đơn vị soạn thảo", "TCCB"),
    "giam_doc": ("Giám đốc", ""),
    "nguoi_ky": ("Người ký", ""),
    "chuc_vu_nguoi_ky": ("Chức vụ người ký", "GIÁM ĐỐC"),
    "quyen_han_ky": ("Quyền hạn ký (để trống, KT., TL., Q.)", ""),
    "chuc_vu_cap_truong": ("Chức vụ cấp trưởng (khi ký thay)", "GIÁM ĐỐC"),
    "so_bao_cao": ("Số báo cáo", ""),
    "so_cong_van": ("Số công văn", ""),
    "so_quyet_dinh": ("Số quyết định (đầu tiên)", ""),
    "so_to_trinh": ("Số tờ trình", ""),
    "ngay_van_ban": ("Ngày văn bản (để trống: văn thư điền)", ""),
    "ngay_cong_van": ("Ngày công văn phát động năm sau (để trống: như Ngày văn bản)", ""),
    "noi_nhan_bao_cao": ("Nơi nhận báo cáo (mỗi dòng một nơi)", "Sở Nội vụ;Ban Thi đua – Khen thưởng tỉnh;Ban Giám đốc Sở"),
    "kinh_gui_cong_van": ("Kính gửi (công văn phát động)", "Các phòng chuyên môn thuộc Sở;Các đơn vị trực thuộc trong ngành"),
    # Empty: regime A keeps the 15% of Nghị định 91/2017; from 2024 no ratio applies until one is set.
    "ty_le_cstdcs": ("Tỷ lệ CSTĐCS tối đa so với LĐTT (theo quy chế của tỉnh, Sở; để trống nếu không có)", ""),
    "can_cu_ty_le_cstdcs": ("Căn cứ tỷ lệ CSTĐCS (số, ngày, điều của quy chế)", ""),
    "han_nop": ("Hạn đơn vị gửi danh sách (ngày/tháng/năm)", ""),
    "so_lich_su": ("Sổ lịch sử khen thưởng (tệp .sqlite; trống: cạnh tệp này)", ""),
    "email_gui": ("Email người gửi", ""),
    "smtp_host": ("Máy chủ SMTP", ""),
    "smtp_port": ("Cổng SMTP", "587"),
    "smtp_bao_mat": ("Bảo mật SMTP (starttls, ssl, không)", "starttls"),
    "smtp_user": ("Tài khoản SMTP", ""),
    "email_nhan_bao_cao": ("Email nhận văn bản (mỗi dòng một địa chỉ)", ""),
    # Word documents
    "ten_co_quan": ("Tên cơ quan viết trong câu (vd. Sở Y tế)", ""),
    "so_bien_ban": ("Số biên bản Hội đồng TĐKT", ""),
    "hoi_dong_tong_so": ("Tổng số thành viên Hội đồng TĐKT", ""),
    "hoi_dong_co_mat": ("Số thành viên Hội đồng có mặt", ""),
    "chu_tich_hoi_dong": ("Chủ tịch Hội đồng (chủ trì họp)", ""),
    "thu_ky_hoi_dong": ("Thư ký Hội đồng", ""),
    "thoi_gian_hop": ("Thời gian họp Hội đồng (giờ, ngày)", ""),
    "dia_diem_hop": ("Địa điểm họp Hội đồng", ""),
    "ket_thuc_hop": ("Giờ kết thúc họp Hội đồng", ""),
    "ty_le_thong_qua": ("Tỷ lệ phiếu đồng ý để thông qua (vd. 2/3 hoặc 70%; trống: quá bán)", ""),
    "qd_chuc_nang": ("Quyết định của UBND tỉnh quy định chức năng, nhiệm vụ của Sở (số, ngày; vd. 05/2025/QĐ-UBND "
                     "ngày 10/3/2025)", ""),
}

# Narrative sheet `Văn bản`: field -> label. Documents read these; the demo fills them.
NARRATIVE_FIELDS: dict[str, str] = {
    "can_cu_bao_cao": "Căn cứ (báo cáo tổng kết)",
    "dac_diem_tinh_hinh": "Đặc điểm tình hình",
    "thuan_loi": "Thuận lợi",
    "kho_khan": "Khó khăn",
    "lanh_dao_chi_dao": "Công tác lãnh đạo, chỉ đạo",
    "to_chuc_phong_trao": "Tổ chức phong trào thi đua",
    "ket_qua_chuyen_mon": "Kết quả thực hiện nhiệm vụ chuyên môn",
    "dien_hinh_tien_tien": "Xây dựng, nhân rộng điển hình tiên tiến (báo cáo, mục 3.3)",
    "khoi_thi_dua": "Tham gia hoạt động của khối thi đua (báo cáo, mục 3.4)",
    "don_thu": "Giải quyết đơn thư khiếu nại về thi đua, khen thưởng",
    "uu_diem": "Ưu điểm",
    "ton_tai": "Tồn tại",
    "bai_hoc": "Bài học kinh nghiệm",
    "kien_nghi": "Kiến nghị, đề xuất",
    "phuong_huong": "Phương hướng, nhiệm vụ năm sau",
    "chu_de_phat_dong": "Chủ đề phong trào thi đua (công văn phát động)",
    "muc_tieu": "Mục tiêu",
    "giai_phap": "Các giải pháp chủ yếu",
    "to_chuc_thuc_hien": "Tổ chức thực hiện",
    "can_cu_quyet_dinh": "Căn cứ quyết định khen thưởng",
    "thi_hanh_quyet_dinh": "Điều 3 quyết định (trách nhiệm thi hành)",
    "can_cu_to_trinh": "Căn cứ tờ trình",
    "noi_dung_bien_ban": "Nội dung họp Hội đồng (biên bản)",
    "ket_luan_bien_ban": "Kết luận của Hội đồng (biên bản)",
    "thanh_tich_giay_khen": "Thành tích ghi trên giấy khen (để trống: theo quyết định)",
}


def _lookup(kv: dict[str, str], label: str, name: str) -> str | None:
    for key in (fold(label), fold(label.split("(")[0]), fold(name.replace("_", " "))):
        if key in kv:
            return kv[key]
    return None


class Config(Plain):
    """The `Cấu hình` settings, by name (a plain class: see perf.Plain)."""

    _fields = ("values",)

    def __init__(self, values: dict[str, str] | None = None):
        self.values = {} if values is None else values

    def get(self, name: str) -> str:
        v = self.values.get(name)
        return v if v not in (None, "") else CONFIG_FIELDS.get(name, ("", ""))[1]

    def list(self, name: str) -> list[str]:
        """Multi-value settings: separated by ';' or line breaks."""
        raw = self.get(name).replace("\n", ";")
        return [clean(x) for x in raw.split(";") if clean(x)]

    @classmethod
    def from_kv(cls, kv: dict[str, str]) -> "Config":
        """kv: folded label -> value (as intake.Intake.config holds it)."""
        vals = {}
        for name, (label, _default) in CONFIG_FIELDS.items():
            v = _lookup(kv, label, name)
            if v is not None:
                vals[name] = v
        return cls(vals)


def narrative_from_kv(kv: dict[str, str]) -> dict[str, str]:
    out = {}
    for name, label in NARRATIVE_FIELDS.items():
        v = _lookup(kv, label, name)
        if v:
            out[name] = v
    return out


# Settings that belong to one year: cleared when next year's master is made from this one.
YEAR_FIELDS = ("so_bao_cao", "so_cong_van", "so_quyet_dinh", "so_to_trinh", "ngay_van_ban", "han_nop",
               "so_bien_ban", "hoi_dong_co_mat", "thoi_gian_hop", "dia_diem_hop", "ket_thuc_hop")
# The sample province every new master starts with; a master still holding them is not set up yet.
SAMPLE_FIELDS = ("tinh", "co_quan_chu_quan")


def is_sample(config: "Config") -> bool:
    """True while `Cấu hình` still names the sample province (the office has not filled it in)."""
    return all(fold(config.get(k)) == fold(CONFIG_FIELDS[k][1]) for k in SAMPLE_FIELDS)
