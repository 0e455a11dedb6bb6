"""Checks a workbook before any parser touches it.

Unit files come from forty offices by e-mail. A file may be empty, encrypted, a
zip bomb, an XML entity bomb, or carry one stray value at row 1,000,000 that makes
a reader allocate a million rows. `inspect` looks at the raw bytes (zip directory,
streamed XML parts, cheap byte scans) and either refuses the file with a Vietnamese
reason, or returns what it learned (hidden sheets and rows, formulas without a
cached value) and, when a sheet's used range is a trap, a trimmed in-memory copy
for the reader. Only small parts (workbook.xml and its relationships) are parsed as
XML, and always with defusedxml.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import defusedxml.ElementTree as DET

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Limits:
    """What one input workbook may contain; beyond these it is refused or trimmed."""

    max_file_bytes: int = 200 * 1024 * 1024
    max_uncompressed: int = 400 * 1024 * 1024  # all parts together, actually inflated
    max_ratio: int = 200  # inflated / compressed, for parts over ratio_floor
    ratio_floor: int = 20 * 1024 * 1024
    max_rows: int = 300_000  # per sheet, after trimming stray cells
    max_cols: int = 500  # columns beyond are dropped (stray cells at XFD…)
    max_cells: int = 10_000_000  # rows x columns of one sheet's used range
    empty_run: int = 1_000  # a gap this long ends the data: what follows is a stray


LIMITS = Limits()


@dataclass
class SheetScan:
    name: str
    part: str
    state: str = "visible"  # visible | hidden | veryHidden
    max_row: int = 0
    max_col: int = 0
    hidden_rows: list[int] = field(default_factory=list)  # Excel row numbers
    formulas_without_value: list[str] = field(default_factory=list)  # cell refs, e.g. "B7"
    stray_cells: list[str] = field(default_factory=list)  # cells dropped from the reader's copy
    trimmed_at: int | None = None  # last row kept when a stray far below was dropped


@dataclass
class Scan:
    """What the pre-check learned; `data` is a trimmed copy to read instead of the file."""

    kind: str = ""  # xlsx | xls | ods | xlsb
    sheets: dict[str, SheetScan] = field(default_factory=dict)
    data: bytes | None = None


class Refused(Exception):
    """The file must not be given to a parser; the message says why, in Vietnamese."""


_ROW_TAG = re.compile(rb'<row r="(\d+)"')
_HIDDEN_ROW = re.compile(rb'<row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"')
_FORMULA_NO_VALUE = re.compile(
    rb'<c\b[^>]*?\br="([A-Z]{1,3}\d+)"[^>]*>\s*<f\b[^>]*?(?:/>|>[^<]*</f>)\s*(?:</c>|<v\s*/>|<v>\s*</v>)')
_WIDE_CELL = re.compile(rb' r="([A-Z]{2,3})(\d+)"')
_ANY_CELL_REF = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})(\d+)"')
_DANGEROUS = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity")


def col_number(letters: str | bytes) -> int:
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def col_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def inspect(path: str | Path, limits: Limits = LIMITS) -> Scan:
    """Refuse (raise Refused) or describe a workbook, reading raw bytes only."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
    except PermissionError as exc:
        raise Refused("tệp đang bị khóa hoặc không có quyền đọc (có thể đang mở trong Excel), "
                      "hãy đóng tệp rồi chạy lại") from exc
    except OSError as exc:
        raise Refused(f"không mở được tệp ({exc.strerror or exc})") from exc
    if size == 0:
        raise Refused("tệp rỗng (0 byte)")
    if size > limits.max_file_bytes:
        raise Refused(f"tệp quá lớn ({size / 1048576:.0f} MB, giới hạn {limits.max_file_bytes // 1048576} MB)")
    if head.startswith(CFB_MAGIC):
        return _inspect_cfb(path)
    if head.startswith(ZIP_MAGIC):
        return _inspect_zip(path, limits)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or _looks_like_text(path):
        raise Refused("tệp là văn bản thường (có thể là CSV hoặc HTML đổi đuôi), không phải tệp Excel; "
                      "hãy mở bằng Excel và lưu lại dạng .xlsx")
    raise Refused("tệp không phải là tệp Excel hợp lệ (hỏng hoặc sai định dạng)")


def _looks_like_text(path: Path) -> bool:
    with open(path, "rb") as fh:
        sample = fh.read(4096)
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:  # a character cut at the sample's end
            return True
    try:
        text = sample.decode("cp1258")
    except UnicodeDecodeError:
        return False
    return sum(ch.isprintable() or ch in "\r\n\t" for ch in text) > 0.95 * len(text)


def _inspect_cfb(path: Path) -> Scan:
    """An OLE container: an old .xls, or an encrypted OOXML workbook (EncryptedPackage)."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(s) for s in ole.listdir(streams=True, storages=False)}
    except Exception as exc:  # noqa: BLE001 - olefile raises many types on broken containers
        raise Refused("tệp Excel cũ (.xls) bị hỏng, không đọc được") from exc
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        raise Refused("tệp được đặt mật khẩu (mã hóa), cần gỡ mật khẩu (File › Info › Protect Workbook) rồi gửi lại")
    if not ({"Workbook", "Book"} & streams):
        raise Refused("tệp Office này không phải là bảng tính Excel (có thể là tệp Word đổi đuôi)")
    return Scan(kind="xls")


def _inspect_zip(path: Path, limits: Limits) -> Scan:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise Refused("tệp nén bị hỏng, không phải tệp Excel hợp lệ") from exc
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        declared = sum(i.file_size for i in infos)
        if declared > limits.max_uncompressed:
            raise Refused(f"tệp khai báo {declared / 1048576:,.0f} MB dữ liệu khi giải nén (nghi “bom zip”, "
                          f"giới hạn {limits.max_uncompressed // 1048576} MB)")
        for i in infos:
            if i.file_size > limits.ratio_floor and i.compress_size and i.file_size / i.compress_size > limits.max_ratio:
                raise Refused(f"phần “{i.filename}” nén với tỷ lệ bất thường {i.file_size // i.compress_size}:1 "
                              "(nghi “bom zip”)")
        if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
            kind = "xlsb" if "xl/workbook.bin" in names else "xlsx"
        elif "content.xml" in names:
            kind = "ods"
        else:
            raise Refused("tệp nén này không phải là bảng tính Excel (thiếu xl/workbook.xml)")
        scan = Scan(kind=kind)
        sheets_by_part = _sheet_parts(zf, names) if kind == "xlsx" else {}
        for s in sheets_by_part.values():
            scan.sheets[s.name] = s
        inflated = 0
        trimmed: dict[str, bytes] = {}
        for info in infos:
            if info.is_dir():
                continue
            sheet = sheets_by_part.get(info.filename)
            inflated, data = _stream_part(zf, info, inflated, limits, sheet)
            if sheet is not None and data is not None:
                trimmed[info.filename] = data
        if trimmed:
            scan.data = _rebuild(zf, infos, trimmed)
    return scan


def _sheet_parts(zf: zipfile.ZipFile, names: set[str]) -> dict[str, SheetScan]:
    """Sheet name, visibility and part path, from workbook.xml and its relationships (defusedxml)."""
    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    try:
        wb_xml = zf.read("xl/workbook.xml")
        rels_xml = zf.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in names else b""
        if any(d in wb_xml or d in rels_xml for d in _DANGEROUS):
            raise Refused("tệp chứa khai báo DOCTYPE/ENTITY trong XML (nghi “bom XML”), không đọc")
        wb = DET.fromstring(wb_xml, forbid_dtd=True)
        targets = {}
        if rels_xml:
            for rel in DET.fromstring(rels_xml, forbid_dtd=True):
                target = rel.get("Target", "")
                target = target.lstrip("/") if target.startswith("/") else "xl/" + target
                targets[rel.get("Id")] = target
    except Refused:
        raise
    except Exception as exc:  # noqa: BLE001 - defusedxml / expat errors on a broken or hostile part
        raise Refused(f"phần xl/workbook.xml của tệp bị lỗi hoặc không an toàn ({type(exc).__name__})") from exc
    out: dict[str, SheetScan] = {}
    for s in wb.iter(f"{ns_main}sheet"):
        part = targets.get(s.get(f"{ns_rel}id"), "")
        if part:
            out[part] = SheetScan(name=s.get("name", ""), part=part, state=s.get("state", "visible"))
    return out


def _stream_part(zf, info, inflated: int, limits: Limits, sheet: SheetScan | None):
    """Inflate one part in chunks: count its real size, refuse DTDs, learn a sheet's shape."""
    rows: list[int] = []
    tail = b""
    chunks: list[bytes] | None = [] if sheet is not None else None
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(1 << 20)
                if not chunk:
                    break
                inflated += len(chunk)
                if inflated > limits.max_uncompressed:
                    raise Refused(f"dữ liệu giải nén vượt {limits.max_uncompressed // 1048576} MB (nghi “bom zip”)")
                if b"<!" in chunk or b"<!" in tail + chunk[:16]:
                    window = tail + chunk
                    if any(d in window for d in _DANGEROUS):
                        raise Refused(f"phần “{info.filename}” chứa khai báo DOCTYPE/ENTITY trong XML "
                                      "(nghi “bom XML” mở rộng thực thể), không đọc")
                if sheet is not None:
                    chunks.append(chunk)
                tail = (tail + chunk)[-64:] if len(chunk) < 64 else chunk[-64:]
    except Refused:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
        raise Refused(f"phần “{info.filename}” của tệp bị hỏng ({exc})") from exc
    if sheet is None:
        return inflated, None
    data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    return inflated, _scan_sheet(data, sheet, limits)


def _scan_sheet(data: bytes, sheet: SheetScan, limits: Limits) -> bytes | None:
    """Learn rows, hidden rows and formulas without values; return a trimmed copy if the range is a trap."""
    rows = list(map(int, _ROW_TAG.findall(data)))
    if not rows and b"<row" in data:  # rows without r= are numbered in order
        rows = list(range(1, data.count(b"<row") + 1))
    sheet.max_row = max(rows) if rows else 0
    wide = {letters for letters, _ in _WIDE_CELL.findall(data)}
    sheet.max_col = max([26 if rows else 0, *map(col_number, wide)])
    if b'hidden="' in data:
        sheet.hidden_rows = [int(m) for m in _HIDDEN_ROW.findall(data)]
    if b"<f" in data and (b"<f>" in data or b"<f " in data):  # one scan in the common case: no formulas
        sheet.formulas_without_value = [m.decode() for m in _FORMULA_NO_VALUE.findall(data)]
    cut = None
    if sheet.max_row > len(rows) + limits.empty_run:  # room for a long gap: look for it
        ordered = sorted(set(rows))
        for a, b in zip(ordered, ordered[1:]):
            if b - a > limits.empty_run:
                cut = a
                break
    too_wide = sheet.max_col > limits.max_cols
    if cut is None and not too_wide:
        if sheet.max_row > limits.max_rows or sheet.max_row * sheet.max_col > limits.max_cells:
            raise Refused(f"trang tính “{sheet.name}” quá lớn ({sheet.max_row:,} dòng × {sheet.max_col} cột; "
                          f"giới hạn {limits.max_rows:,} dòng, {limits.max_cells:,} ô)")
        return None
    out = data
    if cut is not None:
        start = None
        for m in _ROW_TAG.finditer(out):
            if int(m.group(1)) > cut:
                start = m.start()
                break
        end = out.find(b"</sheetData>", start)
        sheet.stray_cells += [f"{c.decode()}{r.decode()}" for c, r in _ANY_CELL_REF.findall(out[start:end])][:20]
        out = out[:start] + out[end:]
        sheet.trimmed_at = cut
    if too_wide:
        def drop(m: re.Match) -> bytes:
            if col_number(m.group(1)) > limits.max_cols:
                sheet.stray_cells.append(f"{m.group(1).decode()}{m.group(2).decode()}")
                return b""
            return m.group(0)
        out = re.sub(rb'<c\b[^>]*?\br="([A-Z]{2,3})(\d+)"[^>]*?(?:/>|>.*?</c>)', drop, out, flags=re.S)
    out = re.sub(rb"<dimension\b[^>]*/>", b"", out, count=1)
    rows_left = [int(m) for m in _ROW_TAG.findall(out)]
    sheet.max_row = max(rows_left) if rows_left else 0
    sheet.max_col = min(sheet.max_col, limits.max_cols)
    if sheet.max_row > limits.max_rows or sheet.max_row * sheet.max_col > limits.max_cells:
        raise Refused(f"trang tính “{sheet.name}” quá lớn ({sheet.max_row:,} dòng × {sheet.max_col} cột)")
    return out


def _rebuild(zf: zipfile.ZipFile, infos, replaced: dict[str, bytes]) -> bytes:
    """The same package with some sheet parts replaced, in memory (the user's file is never touched)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in infos:
            if info.is_dir():
                continue
            data = replaced.get(info.filename)
            out.writestr(info.filename, data if data is not None else zf.read(info))
    return buf.getvalue()


# --- parsing parts of workbooks the tool rewrites (collect, --into) ----------------------------------
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)


def parse_xml(data: bytes, *, huge: bool = False):
    """lxml tree of a workbook part, refusing any DTD or entity (the bomb and XXE vectors).

    The rewriting code needs lxml (it keeps namespaces and unknown elements byte-faithful),
    so instead of defusedxml's wrapper it gets the same guarantees here: DTDs refused up
    front, no entity resolution, no network; `huge` only lifts libxml2's depth/size caps
    for big sheets, which the zip limits of `inspect` already bound.
    """
    from lxml import etree

    if _DTD.search(data):
        raise Refused("phần XML trong tệp có khai báo DOCTYPE/ENTITY (có thể là “bom XML”), không xử lý")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=huge)
    return etree.fromstring(data, parser=parser)
