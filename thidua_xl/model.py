"""Plain records passed between the pipeline stages.

Nominations travel as one DataFrame whose columns are listed in NOMINATION_COLUMNS;
every row keeps its source (file, sheet, Excel row) so any finding, total or annex
line can point back at the cell it came from.
"""
from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, field, fields

from .perf import Frozen, Plain

ERROR = "error"
WARNING = "warning"
INFO = "info"

HISTORY_FILE = "thidua-history.sqlite"
"""The awards register's file name beside the master (`history.DEFAULT_NAME`): named here so that a run without a
register (the ribbon's click) looks for it without importing the register's module (~2 ms)."""

# Columns of the nominations DataFrame produced by intake.
NOMINATION_COLUMNS = [
    "file",          # file name as given (basename)
    "path",          # full path
    "sheet",         # sheet name
    "row",           # Excel row number, 1-based
    "unit_code",     # Mã đơn vị ('' when unknown)
    "unit",          # Tên đơn vị
    "stt",
    "ho_ten",        # NFC, trimmed
    "ngay_sinh",     # datetime.date or None
    "nam_sinh",      # Int64 year (from a full date or a year alone)
    "ngay_sinh_raw",  # the text as typed, for messages
    "ngay_sinh_error",  # None or a Vietnamese reason
    "gioi_tinh",     # 'Nam' / 'Nữ' / '' / other text as typed
    "chuc_vu",
    "khoa_phong",
    "hinh_thuc",     # award text as typed
    "award",         # award code or None
    "doi_tuong",     # 'tap_the' / 'ca_nhan' / '' as stated in the file
    "doi_tuong_raw",
    "group_subject",  # subject from a group heading above the row ('' if none)
    "subject",       # tap_the / ca_nhan / None: the subject the row is counted under
    "sang_kien",
    "ghi_chu",
    "person_key",    # name_key|birth year, see text.person_key
    # optional columns ('' when the file has none): used by rules when present
    "xep_loai", "ky_luat", "ngay_tuyen_dung", "so_cccd",
    "tong_so_thanh_vien", "so_ldtt", "so_cstdcs", "so_hoan_thanh",  # member counts of a collective
    # the Sở's own columns of a master (decide.py): Kết quả xét, a higher-level decision's number and date
    "ket_qua_xet", "so_quyet_dinh", "ngay_quyet_dinh",
]

INITIATIVE_COLUMNS = [
    "file", "sheet", "row", "unit_code", "unit", "ten", "loai", "cap", "tac_gia", "nam",
]


# What each finding code means, in the words an officer uses (the code stays for scripts and the JSON).
CODE_LABELS = {
    "MISSING_FIELD": "Thiếu thông tin",
    "BAD_DATE": "Ngày sinh sai",
    "GENDER_CONFLICT": "Giới tính không khớp",
    "UNKNOWN_AWARD": "Hình thức không có trong danh mục",
    "SUBJECT_MISMATCH": "Sai đối tượng",
    "DUPLICATE": "Trùng lặp",
    "CRITERIA_NOT_MET": "Chưa đủ tiêu chuẩn",
    "QUOTA_EXCEEDED": "Vượt tỷ lệ",
    "QUOTA_REMAINING": "Còn trong tỷ lệ",
    "LEGACY_ENCODING": "Phông chữ cũ",
    "NOT_CHECKED": "Chưa kiểm tra được",
    "BAD_FILE": "Tệp không đọc được",
    "FORMULA_NO_VALUE": "Công thức chưa có giá trị",
    "STRAY_CELLS": "Ô lạc ngoài bảng",
    "HIDDEN_SHEET": "Trang tính ẩn",
    "HIDDEN_ROWS": "Dòng ẩn",
    "MISSING_SHEET": "Thiếu trang tính",
}


def code_label(code: str) -> str:
    """`DUPLICATE` → `Trùng lặp (DUPLICATE)`; an unknown code is shown as it is."""
    label = CODE_LABELS.get(code)
    return f"{label} ({code})" if label else code


@dataclass(frozen=True, init=False, repr=False, eq=False)
class Finding(Frozen):
    """One problem, pointing at its source; the same record feeds CLI, JSON and Excel.

    A frozen dataclass (fields, replace, asdict) whose __init__ is written out below and whose __repr__, __eq__
    and __hash__ are perf.Frozen's, as `dataclass` would generate them: generated, they were compiled at every
    start (~1.5 ms of each ribbon click). `tests/test_model_records.py` holds them to the generated ones."""

    code: str
    severity: str
    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    unit: str | None = None
    rule: str | None = None
    legal_basis: str | None = None
    verified: bool = True  # False: the rule behind it was not checked against the legal text
    # every rule behind one finding that stands for several (`rule` is the first); empty otherwise
    rules: tuple[str, ...] = ()

    def __init__(self, code: str, severity: str, message: str, file: str | None = None, sheet: str | None = None,
                 row: int | None = None, column: str | None = None, unit: str | None = None, rule: str | None = None,
                 legal_basis: str | None = None, verified: bool = True, rules: tuple[str, ...] = ()) -> None:
        # the fields set as a frozen dataclass's __init__ sets them, without its __setattr__ (one call, not twelve)
        self.__dict__.update(code=code, severity=severity, message=message, file=file, sheet=sheet, row=row,
                             column=column, unit=unit, rule=rule, legal_basis=legal_basis, verified=verified,
                             rules=rules)

    def to_dict(self) -> dict:
        """asdict(self) for these scalar fields, without its recursive deep copy (a run has thousands);
        `rules` only on a finding that stands for several rules."""
        d = {name: getattr(self, name) for name in _FINDING_FIELDS}
        if self.rules:
            d["rules"] = list(self.rules)
        return d

    @property
    def where(self) -> str:
        parts = [p for p in (self.file, self.sheet) if p]
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column:
            parts.append(f"cột “{self.column}”")
        return ", ".join(parts)


Finding._fields = tuple(f.name for f in fields(Finding))  # what perf.Frozen compares, hashes and shows
_FINDING_FIELDS = tuple(f.name for f in fields(Finding) if f.name != "rules")


@dataclass(init=False, repr=False, eq=False)
class FileReport(Plain):
    """What intake learned about one file: its unit, its header mapping, its drift (a dataclass whose
    __init__ is written out below, its __repr__ and __eq__ perf.Plain's: see Finding)."""

    path: str
    file: str
    kind: str = "unit"  # unit | master | bad
    unit_code: str = ""
    unit: str = ""
    unit_source: str = ""  # how the unit was identified
    sheets: list[str] = field(default_factory=list)
    header_row: dict[str, int] = field(default_factory=dict)  # sheet -> Excel row of header
    mapped: dict[str, dict[str, str]] = field(default_factory=dict)  # sheet -> {header as typed: canonical}
    missing: dict[str, list[str]] = field(default_factory=dict)  # sheet -> expected canonical headers absent
    extra: dict[str, list[str]] = field(default_factory=dict)  # sheet -> unknown headers kept but ignored
    rows: int = 0
    year: int | None = None
    ok: bool = True
    unit_conflict: str = ""  # why the file's code, `Đơn vị:` line and name disagree (see identity)
    superseded_by: str = ""  # a newer copy of this file, or a newer file of its unit: its rows are not counted

    def __init__(self, path: str, file: str, kind: str = "unit", unit_code: str = "", unit: str = "",
                 unit_source: str = "", sheets: list[str] = MISSING, header_row: dict[str, int] = MISSING,
                 mapped: dict[str, dict[str, str]] = MISSING, missing: dict[str, list[str]] = MISSING,
                 extra: dict[str, list[str]] = MISSING, rows: int = 0, year: int | None = None, ok: bool = True,
                 unit_conflict: str = "", superseded_by: str = "") -> None:
        self.__dict__.update(  # the fields in their order, as the dataclass's __init__ set them; fresh lists and dicts
            path=path, file=file, kind=kind, unit_code=unit_code, unit=unit, unit_source=unit_source,
            sheets=[] if sheets is MISSING else sheets, header_row={} if header_row is MISSING else header_row,
            mapped={} if mapped is MISSING else mapped, missing={} if missing is MISSING else missing,
            extra={} if extra is MISSING else extra, rows=rows, year=year, ok=ok, unit_conflict=unit_conflict,
            superseded_by=superseded_by)

    def to_dict(self) -> dict:
        return asdict(self)


FileReport._fields = tuple(f.name for f in fields(FileReport))
