"""The names the Sở sees, defined once: sheet names, table headers, labels.

Every module that reads or writes a sheet takes its name, its headers and the words it shows
for a code from here, so the command line, the ribbon, the templates and the checks cannot
drift apart. Input header specs map each canonical header to (column id, accepted spellings);
spellings are compared folded (no case, no diacritics, no punctuation) by `intake.headers`.
Output headers are plain lists, in the order they are written. Nothing here imports the package.
"""
from __future__ import annotations

# --- sheets ---------------------------------------------------------------------------------
META_SHEET = "_thidua"  # hidden key/value sheet written by `split`: ma_don_vi, ten_don_vi, nam
VBA_TEXT_SHEET = "_thidua_vba"  # the VBA pre-flight's messages (thidua_xl/vba/messages.py)
CONF_SHEET = "xlwings.conf"
GUIDE_SHEET = "Hướng dẫn"
CONFIG_SHEET = "Cấu hình"
UNITS_SHEET = "Đơn vị"
CATALOG_SHEET = "Danh mục"
INITIATIVES_SHEET = "Sáng kiến"
HISTORY_SHEET = "Lịch sử"
NARRATIVE_SHEET = "Văn bản"
VOTES_SHEET = "Biểu quyết"
RULES_SHEET = "Quy định"
DISCIPLINE_SHEET = "Kỷ luật"  # the register of disciplines to import (`thidua history discipline`)
LEDGER_SHEET = "Nhận tệp"
PRINT_SHEET = "Mẫu in"
CHECK_SHEET = "Kiểm tra"
SUMMARY_SHEET = "Tổng hợp"
CHART_SHEET = "Biểu đồ"
STATUS_SHEET = "Tình hình nộp"
FIX_SHEET = "Cần sửa"  # a unit's feedback file: what to fix, row by row
MARKED_COPY_SHEET = "Đề nghị (đánh dấu)"  # kiem-tra.xlsx: the nominations with faulty cells coloured
UNIT_FILE_SHEET = "Đề nghị khen thưởng"  # the one nomination sheet of a unit file

# --- labels ---------------------------------------------------------------------------------
TAP_THE = "tap_the"
CA_NHAN = "ca_nhan"
BOTH = "both"
SUBJECT_LABEL = {TAP_THE: "Tập thể", CA_NHAN: "Cá nhân"}
SEVERITY_LABEL = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Ghi chú"}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
INITIATIVE_KIND_LABEL = {"sang_kien": "Sáng kiến", "de_tai": "Đề tài"}
INITIATIVE_LEVEL_LABEL = {"co_so": "Cơ sở", "tinh": "Tỉnh", "bo": "Bộ", "toan_quoc": "Toàn quốc"}
INITIATIVE_LEVEL_PHRASE = {"co_so": "cơ sở", "tinh": "cấp tỉnh", "bo": "cấp bộ", "toan_quoc": "toàn quốc"}  # in a sentence
TOTAL_LABEL = "Tổng cộng"
UNVERIFIED_MARK = "Chưa đối chiếu"  # the `Đối chiếu` cell of a finding whose rule is not checked against the law
UNVERIFIED_COLUMN_NOTE = ("Dòng có “Chưa đối chiếu” ở cột “Đối chiếu”: quy định đó chưa được đối chiếu với văn bản "
                          "gốc nên chỉ là cảnh báo.")
SUM_LABEL = "Cộng"

# --- input tables: canonical header -> (column id, accepted spellings) ------------------------
NOMINATION_HEADERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "STT": ("stt", ("TT", "Số TT", "Số thứ tự")),
    "Họ và tên": ("ho_ten", (
        "Họ tên", "Họ và tên / Tên tập thể", "Tên tập thể", "Họ và tên, tên tập thể",
        "Họ tên / Tên tập thể", "Họ và tên/Tên tập thể", "Tên tập thể, cá nhân",
        "Tên tập thể / cá nhân", "Họ và tên cá nhân, tên tập thể", "Tên cá nhân, tập thể",
    )),
    "Ngày sinh": ("ngay_sinh", (
        "Năm sinh", "Ngày, tháng, năm sinh", "Ngày tháng năm sinh", "Ngày/tháng/năm sinh",
    )),
    "Giới tính": ("gioi_tinh", ("Nam/Nữ", "Nam, Nữ", "Giới")),
    "Chức vụ": ("chuc_vu", ("Chức vụ, chức danh", "Chức danh", "Chức vụ/chức danh", "Chức vụ, chức danh nghề nghiệp")),
    "Khoa, phòng": ("khoa_phong", (
        "Khoa/Phòng", "Bộ phận", "Đơn vị công tác", "Khoa phòng", "Khoa, phòng công tác",
        "Khoa, phòng, bộ phận",
    )),
    "Hình thức đề nghị": ("hinh_thuc", (
        "Danh hiệu đề nghị", "Danh hiệu, hình thức khen thưởng", "Hình thức khen thưởng",
        "Danh hiệu, hình thức đề nghị", "Hình thức khen thưởng đề nghị", "Danh hiệu thi đua",
        "Danh hiệu", "Hình thức", "Danh hiệu/hình thức khen thưởng", "Đề nghị",
    )),
    "Đối tượng": ("doi_tuong", ("Tập thể/Cá nhân", "Loại đối tượng")),
    "Sáng kiến": ("sang_kien", ("Sáng kiến, đề tài", "Tên sáng kiến", "Sáng kiến/đề tài")),
    "Ghi chú": ("ghi_chu", ()),
    # Optional columns some Sở ask for; rules use them when present (xếp loại, kỷ luật, tuyển dụng).
    "Xếp loại": ("xep_loai", ("Xếp loại đánh giá", "Đánh giá, xếp loại", "Kết quả đánh giá, xếp loại",
                               "Xếp loại viên chức", "Kết quả xếp loại", "Mức độ hoàn thành nhiệm vụ")),
    "Kỷ luật": ("ky_luat", ("Hình thức kỷ luật", "Kỷ luật (nếu có)")),
    "Ngày tuyển dụng": ("ngay_tuyen_dung", ("Thời gian tuyển dụng", "Ngày vào ngành", "Năm tuyển dụng")),
    "Số CCCD": ("so_cccd", ("CCCD", "Số căn cước", "Số căn cước công dân", "Số định danh cá nhân", "Số CMND/CCCD")),
    # Member counts on a collective's row (Tập thể lao động tiên tiến / xuất sắc criteria).
    "Tổng số thành viên": ("tong_so_thanh_vien", ("Tổng số người", "Số thành viên", "Tổng số cán bộ",
                                                   "Tổng số CBVC", "Tổng số cán bộ, viên chức", "Tổng số CCVC")),
    "Số LĐTT": ("so_ldtt", ("Số người đạt LĐTT", "Số cá nhân đạt LĐTT", "Số lao động tiên tiến",
                            "Số người đạt Lao động tiên tiến", "Số cá nhân đạt Lao động tiên tiến")),
    "Số CSTĐCS": ("so_cstdcs", ("Số người đạt CSTĐCS", "Số cá nhân đạt CSTĐCS", "Số chiến sĩ thi đua cơ sở",
                                "Số người đạt Chiến sĩ thi đua cơ sở")),
    "Số hoàn thành nhiệm vụ": ("so_hoan_thanh", ("Số người hoàn thành nhiệm vụ", "Số cá nhân hoàn thành nhiệm vụ")),
    # The Sở's own columns on a master's unit sheets (units never see them): see decide.py.
    "Kết quả xét": ("ket_qua_xet", ("Kết quả xét duyệt", "Kết quả xét của Sở", "Kết quả Hội đồng xét")),
    "Số quyết định": ("so_quyet_dinh", ("Số QĐ", "Số quyết định khen thưởng", "Quyết định số")),
    "Ngày quyết định": ("ngay_quyet_dinh", ("Ngày QĐ", "Ngày ký quyết định", "Ngày ban hành quyết định")),
}
OPTIONAL_COLUMNS = ("xep_loai", "ky_luat", "ngay_tuyen_dung", "so_cccd", "ket_qua_xet", "so_quyet_dinh",
                    "ngay_quyet_dinh", "tong_so_thanh_vien", "so_ldtt", "so_cstdcs", "so_hoan_thanh")
MASTER_ONLY_HEADERS = ("Kết quả xét", "Số quyết định", "Ngày quyết định")
NOMINATION_REQUIRED = ("Họ và tên", "Hình thức đề nghị")

INITIATIVE_HEADERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "STT": ("stt", ("TT", "Số TT")),
    "Tên sáng kiến, đề tài": ("ten", ("Tên sáng kiến", "Tên đề tài", "Tên sáng kiến/đề tài", "Sáng kiến, đề tài")),
    "Loại": ("loai", ("Loại sáng kiến", "Sáng kiến/Đề tài")),
    "Cấp công nhận": ("cap", ("Cấp", "Cấp công nhận sáng kiến", "Cấp công nhận, áp dụng")),
    "Tác giả": ("tac_gia", ("Tác giả, đồng tác giả", "Tác giả / đồng tác giả", "Chủ nhiệm", "Chủ nhiệm đề tài")),
    "Năm": ("nam", ("Năm công nhận",)),
    "Đơn vị": ("don_vi", ("Tên đơn vị", "Đơn vị công tác")),
}
INITIATIVE_REQUIRED = ("Tên sáng kiến, đề tài", "Tác giả")
# what a column of the nominations (or initiatives) frame is called on the sheet, for messages
COLUMN_HEADER = {**{col: canonical for canonical, (col, _v) in INITIATIVE_HEADERS.items()},
                 **{col: canonical for canonical, (col, _v) in NOMINATION_HEADERS.items()}}

UNIT_LIST_HEADERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Mã đơn vị": ("unit_code", ("Mã", "Mã ĐV")),
    "Tên đơn vị": ("unit", ("Đơn vị", "Tên")),
    "Email": ("email", ("Thư điện tử", "E-mail", "Địa chỉ email")),
    "Tên sheet": ("sheet", ("Sheet", "Trang tính", "Tên trang tính")),
}
UNIT_LIST_REQUIRED = ("Mã đơn vị", "Tên đơn vị")

HISTORY_IMPORT_HEADERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "STT": ("stt", ("TT", "Số TT")),
    "Họ và tên": ("ho_ten", ("Họ tên", "Họ và tên / Tên tập thể", "Tên tập thể", "Họ tên / Tên tập thể",
                             "Họ và tên/Tên tập thể", "Tên tập thể, cá nhân")),
    "Ngày sinh": ("ngay_sinh", ("Năm sinh", "Ngày, tháng, năm sinh", "Ngày tháng năm sinh")),
    "Đơn vị": ("don_vi", ("Tên đơn vị", "Đơn vị công tác", "Mã đơn vị", "Cơ quan, đơn vị")),
    "Năm": ("nam", ("Năm khen thưởng", "Năm thi đua", "Năm đạt", "Năm công nhận")),
    "Hình thức": ("hinh_thuc", ("Hình thức khen thưởng", "Danh hiệu", "Hình thức đề nghị", "Danh hiệu thi đua",
                                "Danh hiệu, hình thức khen thưởng", "Hình thức, danh hiệu")),
    "Số quyết định": ("so_quyet_dinh", ("Số QĐ", "Quyết định", "Số, ngày quyết định", "Số quyết định khen thưởng")),
    "Đối tượng": ("doi_tuong", ("Tập thể/Cá nhân",)),
}
HISTORY_IMPORT_REQUIRED = ("Họ và tên", "Năm", "Hình thức")

DECISION_LIST_HEADERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "STT": ("stt", ("TT", "Số TT")),
    "Họ và tên": ("ho_ten", ("Họ tên", "Họ và tên / Tên tập thể", "Tên tập thể", "Họ và tên, tên tập thể",
                             "Tên tập thể, cá nhân", "Họ tên / Tên tập thể", "Họ và tên/Tên tập thể")),
    "Ngày sinh": ("ngay_sinh", ("Năm sinh", "Ngày, tháng, năm sinh", "Ngày tháng năm sinh")),
    "Hình thức": ("hinh_thuc", ("Hình thức khen thưởng", "Danh hiệu", "Hình thức đề nghị",
                                "Danh hiệu, hình thức khen thưởng")),
    "Số quyết định": ("so_quyet_dinh", ("Số QĐ", "Quyết định số")),
    "Ngày quyết định": ("ngay_quyet_dinh", ("Ngày QĐ", "Ngày ký")),
}

DISCIPLINE_IMPORT_HEADERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "STT": ("stt", ("TT", "Số TT")),
    "Họ và tên": ("ho_ten", ("Họ tên", "Họ và tên cán bộ", "Tên cán bộ, viên chức")),
    "Ngày sinh": ("ngay_sinh", ("Năm sinh", "Ngày, tháng, năm sinh", "Ngày tháng năm sinh")),
    "Đơn vị": ("don_vi", ("Tên đơn vị", "Đơn vị công tác", "Mã đơn vị", "Cơ quan, đơn vị")),
    "Hình thức kỷ luật": ("hinh_thuc", ("Kỷ luật", "Hình thức", "Hình thức xử lý kỷ luật")),
    "Từ ngày": ("tu_ngay", ("Ngày quyết định", "Ngày kỷ luật", "Ngày có hiệu lực", "Hiệu lực từ ngày",
                            "Ngày quyết định kỷ luật")),
    "Đến ngày": ("den_ngay", ("Ngày hết hiệu lực", "Hết hiệu lực", "Hiệu lực đến ngày", "Ngày chấp hành xong",
                              "Thời hạn đến")),
    "Số quyết định": ("so_quyet_dinh", ("Số QĐ", "Quyết định", "Số quyết định kỷ luật")),
}
DISCIPLINE_IMPORT_REQUIRED = ("Họ và tên", "Hình thức kỷ luật", "Từ ngày")

RULE_OVERRIDE_HEADERS = {  # the `Quy định` sheet / CSV: one setting per line
    "Mã quy định": ("id", ("Mã", "Quy định", "id")),
    "Tham số": ("param", ("Thông số", "Trường", "param")),
    "Giá trị": ("value", ("value",)),
}

# --- the master's own sheets (written by the tool, read back) --------------------------------
UNITS_HEADERS = ["Mã đơn vị", "Tên đơn vị", "Email", "Tên sheet"]
HISTORY_SHEET_HEADERS = ["Họ và tên", "Ngày sinh", "Đơn vị", "Năm", "Hình thức", "Số quyết định", "Đối tượng"]
VOTE_HEADERS = ["STT", "Hình thức", "Số thành viên Hội đồng", "Số phiếu đồng ý", "Kết quả", "Ghi chú"]
CATALOG_HEADERS = ["Mã", "Tên danh hiệu, hình thức khen thưởng", "Loại", "Đối tượng", "Thẩm quyền",
                   "Cách viết được chấp nhận"]
LEDGER_HEADERS = ["Thời gian", "Mã đơn vị", "Tên đơn vị", "Tệp", "Số dòng trong tệp", "Số dòng sau khi nhập",
                  "Cách nhập", "Đường dẫn"]
PRINT_FIELD_HEADERS = ["Mã", "Trường", "Nội dung", "In", "X (mm)", "Y (mm)", "Rộng (mm)", "Cỡ chữ", "Đậm",
                       "Nghiêng", "Căn lề"]  # the certificate's print layout (`Mẫu in`)
SOURCE_FILE = "Tệp gốc"  # hidden columns of the master's unit sheets
SOURCE_ROW = "Dòng gốc"
SOURCE_HEADERS = (SOURCE_FILE, SOURCE_ROW)

# --- outputs ------------------------------------------------------------------------------
CHECK_HEADERS = ["STT", "Mức", "Mã", "Đơn vị", "Tệp", "Trang tính", "Dòng", "Cột", "Nội dung", "Căn cứ",
                 "Quy định", "Đối chiếu"]
AWARD_LIST_HEADERS = ["STT", "Đơn vị", "Họ và tên / Tên tập thể", "Đối tượng", "Ngày sinh", "Giới tính",
                      "Chức vụ", "Khoa, phòng", "Nguồn (tệp, trang, dòng)"]
STATUS_HEADERS = ["Mã đơn vị", "Tên đơn vị", "Tình hình", "Tệp nhận lần cuối", "Thời gian nhận", "Số dòng",
                  "Số lỗi"]
FIX_HEADERS = ["STT", "Tệp", "Trang tính", "Dòng", "Cột", "Họ và tên", "Mức", "Nội dung", "Cách sửa", "Căn cứ"]
RECONCILIATION_HEADERS = ["Mã", "Danh hiệu, hình thức khen thưởng", "Thẩm quyền", "Đề nghị", "Hợp lệ",
                          "Hội đồng thông qua", "Quyết định / trình cấp trên", "Không đưa vào"]
EXCLUDED_HEADERS = ["STT", "Họ và tên / Tên tập thể", "Đơn vị", "Hình thức", "Lý do", "Chi tiết", "Tệp", "Trang",
                    "Dòng"]

# Sheets the tool writes into a master: never read back as nominations.
OUTPUT_SHEETS = (CHECK_SHEET, SUMMARY_SHEET, CHART_SHEET, STATUS_SHEET)
MAX_SHEET_NAME = 31


def sheet_name_for(title: str, used: set[str]) -> str:
    """An Excel-legal sheet name for `title`, unique among `used` (lower-cased names; the new one is added):
    at most 31 characters, none of []:*?/\\."""
    bad = '[]:*?/\\'
    base = "".join("-" if ch in bad else ch for ch in title).strip("' ")[:MAX_SHEET_NAME].rstrip("' ") or "Sheet"
    name, i = base, 2
    while name.lower() in used:
        tail = f" ({i})"
        name = base[: MAX_SHEET_NAME - len(tail)].rstrip() + tail
        i += 1
    used.add(name.lower())
    return name
