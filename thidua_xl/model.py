"""Plain records passed between the pipeline stages.

Nominations travel as one DataFrame whose columns are listed in NOMINATION_COLUMNS;
every row keeps its source (file, sheet, Excel row) so any finding, total or annex
line can point back at the cell it came from.
"""
from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, field, fields

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
class Finding:
    """One problem, pointing at its source; the same record feeds CLI, JSON and Excel.

    A frozen dataclass whose __init__, __repr__, __eq__ and __hash__ are written out below, as `dataclass`
    would generate them: generated, they are compiled at every start (~1.5 ms of each ribbon click); written,
    they come with the module's cached bytecode. `tests/test_model_records.py` holds them to the generated ones.
    """

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
        put = object.__setattr__
        put(self, "code", code)
        put(self, "severity", severity)
        put(self, "message", message)
        put(self, "file", file)
        put(self, "sheet", sheet)
        put(self, "row", row)
        put(self, "column", column)
        put(self, "unit", unit)
        put(self, "rule", rule)
        put(self, "legal_basis", legal_basis)
        put(self, "verified", verified)
        put(self, "rules", rules)

    def _values(self) -> tuple:
        return (self.code, self.severity, self.message, self.file, self.sheet, self.row, self.column, self.unit,
                self.rule, self.legal_basis, self.verified, self.rules)

    def __repr__(self) -> str:
        return (f"{self.__class__.__qualname__}(code={self.code!r}, severity={self.severity!r}, "
                f"message={self.message!r}, file={self.file!r}, sheet={self.sheet!r}, row={self.row!r}, "
                f"column={self.column!r}, unit={self.unit!r}, rule={self.rule!r}, legal_basis={self.legal_basis!r}, "
                f"verified={self.verified!r}, rules={self.rules!r})")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self._values() == other._values()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

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


_FINDING_FIELDS = tuple(f.name for f in fields(Finding) if f.name != "rules")


@dataclass(init=False, repr=False, eq=False)
class FileReport:
    """What intake learned about one file: its unit, its header mapping, its drift.

    A dataclass whose __init__, __repr__ and __eq__ are written out below, as `dataclass` would generate them
    (see Finding)."""

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
        self.path = path
        self.file = file
        self.kind = kind
        self.unit_code = unit_code
        self.unit = unit
        self.unit_source = unit_source
        self.sheets = [] if sheets is MISSING else sheets
        self.header_row = {} if header_row is MISSING else header_row
        self.mapped = {} if mapped is MISSING else mapped
        self.missing = {} if missing is MISSING else missing
        self.extra = {} if extra is MISSING else extra
        self.rows = rows
        self.year = year
        self.ok = ok
        self.unit_conflict = unit_conflict
        self.superseded_by = superseded_by

    def _values(self) -> tuple:
        return (self.path, self.file, self.kind, self.unit_code, self.unit, self.unit_source, self.sheets,
                self.header_row, self.mapped, self.missing, self.extra, self.rows, self.year, self.ok,
                self.unit_conflict, self.superseded_by)

    def __repr__(self) -> str:
        return (f"{self.__class__.__qualname__}(path={self.path!r}, file={self.file!r}, kind={self.kind!r}, "
                f"unit_code={self.unit_code!r}, unit={self.unit!r}, unit_source={self.unit_source!r}, "
                f"sheets={self.sheets!r}, header_row={self.header_row!r}, mapped={self.mapped!r}, "
                f"missing={self.missing!r}, extra={self.extra!r}, rows={self.rows!r}, year={self.year!r}, "
                f"ok={self.ok!r}, unit_conflict={self.unit_conflict!r}, superseded_by={self.superseded_by!r})")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self._values() == other._values()
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # as eq=True makes a dataclass: unhashable

    def to_dict(self) -> dict:
        return asdict(self)
