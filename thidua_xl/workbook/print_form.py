"""Where each line of a certificate goes on the Sở's pre-printed form: the `Mẫu in` sheet.

Giấy khen and title certificates are printed on paper that already carries the border,
the emblem and the heading; only the text is printed. Every form and every printer
differ a little, so the positions are the office's data, not code: one row per field
(x and y of the box's top-left corner from the paper's top-left edge, width, font
size, bold, italic, alignment, printed or not), the paper (A4/A3, landscape/portrait)
and one offset that shifts the whole page for a printer that feeds a few millimetres
off. A master without the sheet prints with `DEFAULT_FORM`.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import UserError
from ..text import clean, fold

from ..schema import PRINT_FIELD_HEADERS, PRINT_SHEET  # noqa: E402,F401
PAPERS_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}  # portrait width, height
ALIGNMENTS = {"trai": "left", "giua": "center", "phai": "right", "left": "left", "center": "center",
              "right": "right"}
ALIGN_LABEL = {"left": "Trái", "center": "Giữa", "right": "Phải"}
YES, NO = "Có", "Không"


@dataclass(frozen=True)
class FieldBox:
    """One line of the certificate: what it holds and where it goes (millimetres)."""

    key: str
    label: str
    note: str
    x: float
    y: float
    width: float
    size: float
    bold: bool = False
    italic: bool = False
    align: str = "center"  # left | center | right
    enabled: bool = True


@dataclass(frozen=True)
class PrintForm:
    paper: str = "A4"
    landscape: bool = True
    offset_x: float = 0.0
    offset_y: float = 0.0
    font: str = "Times New Roman"
    honorific: bool = True  # "Ông"/"Bà" before a person's name (off when the form prints "Ông/Bà:")
    fields: tuple[FieldBox, ...] = ()

    @property
    def page_mm(self) -> tuple[float, float]:
        """(width, height) of the sheet as it lies in the printer."""
        w, h = PAPERS_MM[self.paper]
        return (h, w) if self.landscape else (w, h)

    def field(self, key: str) -> FieldBox:
        return next(f for f in self.fields if f.key == key)

    def placed(self, box: FieldBox) -> tuple[float, float]:
        """The box's top-left corner on the paper, printer offset included."""
        return box.x + self.offset_x, box.y + self.offset_y


# A common Giấy khen form: A4 landscape, the emblem and "GIẤY KHEN" printed in the upper third,
# the signature block lower right. Measured in millimetres from the paper's top-left edge.
DEFAULT_FIELDS: tuple[FieldBox, ...] = (
    FieldBox("ho_ten", "Họ tên / tên tập thể", "Ông/Bà và họ tên; tên tập thể", 30, 88, 237, 20, bold=True),
    FieldBox("chuc_vu", "Chức vụ, khoa phòng", "Chức vụ, khoa, phòng của cá nhân", 30, 101, 237, 14),
    FieldBox("don_vi", "Đơn vị", "Đơn vị công tác (của cá nhân, hoặc đơn vị chủ quản của tập thể)",
             30, 109, 237, 15, bold=True),
    FieldBox("thanh_tich", "Thành tích", "Dòng thành tích (trang “Văn bản” hoặc theo quyết định)",
             40, 121, 217, 14, italic=True),
    FieldBox("dia_danh_ngay", "Địa danh, ngày tháng", "Địa danh, ngày của quyết định", 150, 141, 125, 14,
             italic=True),
    FieldBox("ky_dong1", "Chức vụ người ký", "GIÁM ĐỐC hoặc KT. GIÁM ĐỐC", 150, 148, 125, 14, bold=True),
    FieldBox("ky_dong2", "Chức vụ người ký (dòng 2)", "PHÓ GIÁM ĐỐC khi ký thay", 150, 154, 125, 14, bold=True),
    FieldBox("nguoi_ky", "Họ tên người ký", "Họ tên người ký quyết định", 150, 182, 125, 14, bold=True),
    FieldBox("quyet_dinh", "Số, ngày quyết định", "Quyết định số …, ngày …", 22, 182, 120, 12, align="left"),
)
DEFAULT_FORM = PrintForm(fields=DEFAULT_FIELDS)

FIELD_HEADERS = PRINT_FIELD_HEADERS
# setting key -> label in column A
SETTINGS = {
    "paper": "Khổ giấy (A4, A3)",
    "orientation": "Hướng giấy (Ngang, Dọc)",
    "offset_x": "Lệch ngang cả trang (mm, dương: sang phải)",
    "offset_y": "Lệch dọc cả trang (mm, dương: xuống dưới)",
    "font": "Phông chữ",
    "honorific": "In “Ông”/“Bà” trước họ tên (Có, Không)",
}
TITLE = "MẪU IN GIẤY KHEN, GIẤY CHỨNG NHẬN TRÊN PHÔI IN SẴN"
NOTE = ("Vị trí tính bằng milimét từ mép trái (X) và mép trên (Y) của tờ giấy tới góc trên bên trái của ô chữ. "
        "In thử trang căn chỉnh: thidua report <tệp này> --out <thư mục> --kind chung-nhan --calibration.")


# --- reading --------------------------------------------------------------------------
def _cell_ref(row: int, col: int) -> str:
    s, index = "", col + 1
    while index:
        index, rem = divmod(index - 1, 26)
        s = chr(65 + rem) + s
    return f"{s}{row + 1}"


class _Reader:
    def __init__(self, file: str, sheet: str):
        self.file, self.sheet = file, sheet
        self.problems: list[str] = []

    def bad(self, r: int, c: int, value, what: str) -> None:
        self.problems.append(f"ô {_cell_ref(r, c)}: “{clean(value)}” {what}")

    def number(self, value, r: int, c: int, default: float, *, low: float | None = None) -> float:
        text = clean(value).replace(",", ".")
        if text == "":
            return default
        try:
            got = float(text)
        except ValueError:
            self.bad(r, c, value, "không phải là số")
            return default
        if got != got or (low is not None and got < low):
            self.bad(r, c, value, f"phải từ {low:g} trở lên" if low is not None else "không phải là số")
            return default
        return got

    def yes_no(self, value, r: int, c: int, default: bool) -> bool:
        f = fold(value)
        if f == "":
            return default
        if f in ("co", "x", "yes", "true", "1", "dung"):
            return True
        if f in ("khong", "no", "false", "0", "sai"):
            return False
        self.bad(r, c, value, "phải là “Có” hoặc “Không”")
        return default


def _settings_key(label) -> str | None:
    f = fold(label)
    for key, text in SETTINGS.items():
        if f and (f == fold(text) or f == fold(text.split("(")[0])):
            return key
    return None


def form_from_rows(rows: list[list], file: str = "", sheet: str = PRINT_SHEET,
                   base: PrintForm = DEFAULT_FORM) -> PrintForm:
    """The sheet's cells → a PrintForm; empty cells keep `base`'s value, bad ones are a UserError naming them."""
    rd = _Reader(file, sheet)
    form = base
    header = None
    for r, row in enumerate(rows):
        cells = list(row) + [""] * 2
        key = _settings_key(cells[0])
        if key and header is None:
            value = cells[1]
            if key == "paper":
                paper = clean(value).upper().replace(" ", "")
                if paper in PAPERS_MM:
                    form = replace(form, paper=paper)
                elif paper:
                    rd.bad(r, 1, value, "không phải khổ giấy A4 hoặc A3")
            elif key == "orientation":
                f = fold(value)
                if f in ("ngang", "landscape"):
                    form = replace(form, landscape=True)
                elif f in ("doc", "portrait"):
                    form = replace(form, landscape=False)
                elif f:
                    rd.bad(r, 1, value, "phải là “Ngang” hoặc “Dọc”")
            elif key in ("offset_x", "offset_y"):
                form = replace(form, **{key: rd.number(value, r, 1, getattr(form, key))})
            elif key == "font":
                form = replace(form, font=clean(value) or form.font)
            elif key == "honorific":
                form = replace(form, honorific=rd.yes_no(value, r, 1, form.honorific))
            continue
        folded = [fold(c) for c in row]
        if header is None:
            if "x mm" in folded and "y mm" in folded:
                header = {h: folded.index(fold(h)) for h in FIELD_HEADERS if fold(h) in folded}
            continue
        form = _field_row(form, row, r, header, rd)
    if rd.problems:
        raise UserError(f"Trang “{sheet}” của tệp “{file}” có ô không dùng được: " + "; ".join(rd.problems[:12])
                        + ". Sửa các ô đó (để trống thì dùng giá trị mặc định) rồi chạy lại.")
    return form


def _field_row(form: PrintForm, row: list, r: int, header: dict[str, int], rd: _Reader) -> PrintForm:
    def cell(name):
        j = header.get(name)
        return (row[j] if j is not None and j < len(row) else ""), j

    code, _ = cell("Mã")
    label, _ = cell("Trường")
    box = next((f for f in form.fields if clean(code) and f.key == clean(code)), None) or \
        next((f for f in form.fields if fold(label) and fold(f.label) == fold(label)), None)
    if box is None:
        if clean(code) or clean(label):
            j = header.get("Mã", header.get("Trường", 0))
            rd.bad(r, j, code or label, "không phải trường nào của giấy khen (xem cột “Mã” của mẫu mặc định)")
        return form
    values = {}
    for name, attr, low in (("X (mm)", "x", None), ("Y (mm)", "y", None), ("Rộng (mm)", "width", 5),
                            ("Cỡ chữ", "size", 4)):
        v, j = cell(name)
        if j is not None:
            values[attr] = rd.number(v, r, j, getattr(box, attr), low=low)
    for name, attr in (("In", "enabled"), ("Đậm", "bold"), ("Nghiêng", "italic")):
        v, j = cell(name)
        if j is not None:
            values[attr] = rd.yes_no(v, r, j, getattr(box, attr))
    v, j = cell("Căn lề")
    if j is not None and fold(v):
        if fold(v) in ALIGNMENTS:
            values["align"] = ALIGNMENTS[fold(v)]
        else:
            rd.bad(r, j, v, "phải là “Trái”, “Giữa” hoặc “Phải”")
    new = replace(box, **values)
    return replace(form, fields=tuple(new if f.key == box.key else f for f in form.fields))


def read_print_form(paths) -> tuple[PrintForm, str | None]:
    """(form, where it came from) from the first workbook among paths with a `Mẫu in` sheet; else defaults."""
    from ..reading import Unreadable, read_sheets

    for p in paths:
        p = Path(p)
        if not p.is_file() or p.suffix.lower() not in (".xlsx", ".xlsm"):
            continue
        try:  # the guarded reader: this sheet gets the same limits as any input
            sheets = read_sheets(p, lambda names: [n for n in names if fold(n) == fold(PRINT_SHEET)][:1])
        except Unreadable:  # an unreadable workbook is reported by intake; the form falls back
            continue
        if not sheets:
            continue
        name, rows = next(iter(sheets.items()))
        return form_from_rows(rows, p.name, name), f"{p.name}, trang “{name}”"
    return DEFAULT_FORM, None


def outside_paper(form: PrintForm) -> list[str]:
    """Fields that would print (partly) off the paper, in Vietnamese."""
    pw, ph = form.page_mm
    out = []
    for f in form.fields:
        if not f.enabled:
            continue
        x, y = form.placed(f)
        if x < 0 or y < 0 or x + f.width > pw + 0.01 or y > ph:
            out.append(f"“{f.label}” (X {x:g} mm, Y {y:g} mm, rộng {f.width:g} mm) ra ngoài khổ giấy "
                       f"{form.paper} {'ngang' if form.landscape else 'dọc'} ({pw:g} × {ph:g} mm)")
    return out


# --- writing (the master's sheet) ---------------------------------------------------------
def form_rows(form: PrintForm = DEFAULT_FORM) -> list[list]:
    """The sheet as rows: title, note, settings, the field table."""
    yn = {True: YES, False: NO}
    rows: list[list] = [[TITLE], [NOTE], [],
                        [SETTINGS["paper"], form.paper],
                        [SETTINGS["orientation"], "Ngang" if form.landscape else "Dọc"],
                        [SETTINGS["offset_x"], form.offset_x],
                        [SETTINGS["offset_y"], form.offset_y],
                        [SETTINGS["font"], form.font],
                        [SETTINGS["honorific"], yn[form.honorific]],
                        [], FIELD_HEADERS]
    for f in form.fields:
        rows.append([f.key, f.label, f.note, yn[f.enabled], f.x, f.y, f.width, f.size, yn[f.bold], yn[f.italic],
                     ALIGN_LABEL[f.align]])
    return rows


def write_print_form_sheet(wb, fmt, form: PrintForm = DEFAULT_FORM) -> None:
    """The `Mẫu in` sheet of a master (XlsxWriter), with dropdowns for the choices."""
    ws = wb.add_worksheet(PRINT_SHEET)
    rows = form_rows(form)
    header = rows.index(FIELD_HEADERS)
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if r == 0:
                ws.write_string(r, c, v, fmt.title)
            elif r == 1:
                ws.write_string(r, c, v, fmt.note)
            elif r == header:
                ws.write_string(r, c, v, fmt.head)
            elif isinstance(v, (int, float)):
                ws.write_number(r, c, v, fmt.number)
            else:
                ws.write_string(r, c, v, fmt.label if c == 0 and r < header else fmt.text)
    for j, w in enumerate((14, 28, 44, 7, 9, 9, 10, 8, 8, 9, 9)):
        ws.set_column(j, j, w)
    ws.set_column(0, 0, 46)
    first, last = header + 1, header + len(form.fields)

    def choose(r0, c, r1, values):
        ws.data_validation(r0, c, r1, c, {"validate": "list", "source": values, "error_type": "warning"})

    choose(3, 1, 3, list(PAPERS_MM))
    choose(4, 1, 4, ["Ngang", "Dọc"])
    choose(8, 1, 8, [YES, NO])
    for c in (3, 8, 9):
        choose(first, c, last, [YES, NO])
    choose(first, 10, last, list(ALIGN_LABEL.values()))
    ws.freeze_panes(header + 1, 2)
