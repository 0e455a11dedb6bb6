"""Checks a workbook before any parser touches it.

Unit files come from forty offices by e-mail. A file may be empty, encrypted, a
zip bomb, an XML entity bomb, or carry one stray value at row 1,000,000 that makes
a reader allocate a million rows. `inspect` looks at the raw bytes (zip directory,
streamed XML parts, cheap byte scans) and either refuses the file with a Vietnamese
reason, or returns what it learned (hidden sheets and rows, formulas without a
cached value) and, when a sheet's used range is a trap, a trimmed in-memory copy
for the reader. Only small parts (workbook.xml and its relationships) are parsed as
XML, by expat with defusedxml's guards (no DTD, no entity declared, no external reference).
"""
from __future__ import annotations

import io
import posixpath
import pyexpat  # xml.parsers.expat, without its package's import (~1 ms of the pre-check child's start)
import re
import struct
import zipfile
import zlib
from pathlib import Path

from .scan import EXCEL_TEXT_MAX, LIMITS, Limits, Refused, Scan, SheetScan  # noqa: F401 - also named here
from .sheet_scan import col_number, plain_cells
from .xml_bytes import has_formula_tag, may_have_error_type
from .zip_parts import inflate

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


# Patterns only some files need are compiled at their first use, by `re`'s cache (~1.9 ms of the pre-check child's
# start, for the formulas', the error cells', an OpenDocument sheet's and the long text's patterns).
_FORMULA_NO_VALUE = (
    rb'<c\b[^>]*?\br="([A-Z]{1,3}\d+)"[^>]*>\s*<f\b[^>]*?(?:/>|>[^<]*</f>)\s*(?:</c>|<v\s*/>|<v>\s*</v>)')
_DANGEROUS = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity")


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
    except (NotImplementedError, ValueError, EOFError, RuntimeError, struct.error) as exc:
        # a damaged directory: a version zipfile does not know ("zip file version 6.4"), a name that is not
        # the UTF-8 it claims, offsets past the end
        raise Refused(f"danh mục tệp nén bị hỏng, không phải tệp Excel hợp lệ ({type(exc).__name__}: {exc})") from exc
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
        if kind == "xlsb":
            # its row and column extents cannot be checked before the reader allocates them
            raise Refused("tệp dạng .xlsb (nhị phân) không được hỗ trợ, hãy mở bằng Excel và lưu lại dạng .xlsx")
        scan = Scan(kind=kind)
        whole: dict[zipfile.ZipInfo, bytes] = {}  # parts inflated already, by their ZipInfo
        sheets_by_part = _sheet_parts(zf, names, whole) if kind == "xlsx" else {}
        for s in sheets_by_part.values():
            scan.sheets[s.name] = s
        inflated = 0
        trimmed: dict[str, bytes] = {}
        for info in infos:
            if info.is_dir():
                continue
            sheet = sheets_by_part.get(info.filename)
            if sheet is None and kind == "xlsx" and _maybe_sheet(info.filename):
                # a sheet part the relationships reach by a spelling we did not resolve: scan it all the same
                sheet = scan.sheets.setdefault(info.filename, SheetScan(name=info.filename, part=info.filename))
            if kind == "ods" and info.filename == "content.xml":
                sheet = SheetScan(name="content.xml", part="content.xml")
                inflated, _data = _stream_part(zf, info, inflated, limits, None, scan, ods=sheet, fh=zf.fp)
                continue
            inflated, data = _stream_part(zf, info, inflated, limits, sheet, scan, fh=zf.fp, whole=whole.get(info))
            if sheet is not None and data is not None:
                trimmed[info.filename] = data
        if trimmed:
            scan.data = _rebuild(zf, infos, trimmed)
    return scan


def _maybe_sheet(part: str) -> bool:
    low = part.lower()
    return low.endswith(".xml") and "sheet" in low and "sharedstrings" not in low and "_rels" not in low \
        and low not in ("xl/workbook.xml",)


def _read(zf: zipfile.ZipFile, name: str, whole: dict) -> bytes:
    """zf.read(name), inflated in one piece when the part reads plainly (zip_parts.inflate): those bytes are kept in
    `whole` by the part's ZipInfo, for the scan of every part to use rather than inflate them again."""
    info = zf.getinfo(name)
    data = inflate(zf.fp, info)
    if data is None:
        return zf.read(name)
    whole[info] = data
    return data


_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _sheet_parts(zf: zipfile.ZipFile, names: set[str], whole: dict) -> dict[str, SheetScan]:
    """Sheet name, visibility and part path, from workbook.xml and its relationships (expat, defusedxml's guards)."""
    try:
        wb_xml = _read(zf, "xl/workbook.xml", whole)
        rels_xml = _read(zf, "xl/_rels/workbook.xml.rels", whole) if "xl/_rels/workbook.xml.rels" in names else b""
        if any(d in wb_xml or d in rels_xml for d in _DANGEROUS):
            raise Refused("tệp chứa khai báo DOCTYPE/ENTITY trong XML (nghi “bom XML”), không đọc")
        sheets = _elements(wb_xml, lambda name, depth: name == _NS_MAIN + "sheet")
        targets = {}
        if rels_xml:
            for rel in _elements(rels_xml, lambda name, depth: depth == 2):
                target = rel.get("Target", "")
                target = target.replace("\\", "/")
                target = target.lstrip("/") if target.startswith("/") else "xl/" + target
                targets[rel.get("Id")] = posixpath.normpath(target)
    except Refused:
        raise
    except Exception as exc:  # noqa: BLE001 - expat errors, defusedxml's refusals, on a broken or hostile part
        # expat's error under the name ElementTree gave it when defusedxml's ElementTree parsed these parts
        kind = "ParseError" if isinstance(exc, pyexpat.ExpatError) else type(exc).__name__
        raise Refused(f"phần xl/workbook.xml của tệp bị lỗi hoặc không an toàn ({kind})") from exc
    out: dict[str, SheetScan] = {}
    for s in sheets:
        part = targets.get(s.get(_NS_REL + "id"), "")
        if part:
            out[part] = SheetScan(name=s.get("name", ""), part=part, state=s.get("state", "visible"))
    return out


def _elements(data: bytes, wanted) -> list[dict[str, str]]:
    """The attributes of the elements of `data` that `wanted(name, depth)` takes (the root at depth 1), in document order.

    Parsed by expat as defusedxml's ElementTree parsed these parts (its parser is expat's, with "}" between a
    namespace and a name, and the same guards: a DTD, an entity declared, an external reference raise defusedxml's
    own exceptions), without building a tree, and without importing ElementTree (defusedxml imports it twice, its
    pure-Python copy included: ~8 ms of the pre-check child's start). Names are ElementTree's less its leading "{"."""
    parser = pyexpat.ParserCreate(None, "}")
    parser.StartDoctypeDeclHandler = _forbid_dtd
    parser.EntityDeclHandler = _forbid_entity
    parser.UnparsedEntityDeclHandler = _forbid_unparsed_entity
    parser.ExternalEntityRefHandler = _forbid_external
    out = []
    depth = 0

    def start(name, attrs):
        nonlocal depth
        depth += 1
        if wanted(name, depth):
            out.append(attrs)

    def end(_name):
        nonlocal depth
        depth -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.Parse(data, True)
    return out


# defusedxml's DefusedXMLParser handlers, its exceptions imported only when a part is refused
def _forbid_dtd(name, sysid, pubid, _has_internal_subset):
    from defusedxml.common import DTDForbidden

    raise DTDForbidden(name, sysid, pubid)


def _forbid_entity(name, _is_parameter_entity, value, base, sysid, pubid, notation_name):
    from defusedxml.common import EntitiesForbidden

    raise EntitiesForbidden(name, value, base, sysid, pubid, notation_name)


def _forbid_unparsed_entity(name, base, sysid, pubid, notation_name):
    from defusedxml.common import EntitiesForbidden

    raise EntitiesForbidden(name, None, base, sysid, pubid, notation_name)


def _forbid_external(context, base, sysid, pubid):
    from defusedxml.common import ExternalReferenceForbidden

    raise ExternalReferenceForbidden(context, base, sysid, pubid)


def _stream_part(zf, info, inflated: int, limits: Limits, sheet: SheetScan | None, scan: Scan | None = None,
                 ods: SheetScan | None = None, fh=None, whole: bytes | None = None):
    """Inflate one part: count its real size, refuse DTDs, learn a sheet's shape.

    A part whose declared size keeps the total within the limit (zipfile never gives more than that) is
    inflated in one piece from `fh` when it reads plainly (zip_parts.inflate; `whole`: its bytes so inflated
    already); any other, in chunks."""
    strings = info.filename.lower().endswith("sharedstrings.xml")
    keep = sheet is not None or strings or ods is not None
    data = None
    if fh is not None and inflated + info.file_size <= limits.max_uncompressed \
            and (keep or info.file_size <= WHOLE_PART_MAX):
        data = whole if whole is not None else inflate(fh, info, limits.max_uncompressed - inflated)
    if data is None:
        inflated, data = _stream_chunks(zf, info, inflated, limits, keep)
    else:
        inflated += len(data)
        if b"!" in data and b"<!" in data and any(d in data for d in _DANGEROUS):  # memchr first
            raise _entity_bomb(info)
    if not keep:
        return inflated, None
    if scan is not None and _has_long_text(data):
        scan.long_text = True
    if ods is not None:
        _check_ods(data, ods, limits)
        return inflated, None
    if sheet is None:
        return inflated, None
    return inflated, _scan_sheet(data, sheet, limits)


WHOLE_PART_MAX = 16 * 1024 * 1024  # a part that is not kept is held whole only up to this size


def _entity_bomb(info) -> Refused:
    return Refused(f"phần “{info.filename}” chứa khai báo DOCTYPE/ENTITY trong XML "
                   "(nghi “bom XML” mở rộng thực thể), không đọc")


def _stream_chunks(zf, info, inflated: int, limits: Limits, keep: bool) -> tuple[int, bytes | None]:
    """zipfile's reader, 1 MiB at a time: the size counted as it grows, a DTD seen across chunk boundaries."""
    tail = b""
    chunks: list[bytes] = []
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(1 << 20)
                if not chunk:
                    break
                inflated += len(chunk)
                if inflated > limits.max_uncompressed:
                    raise Refused(f"dữ liệu giải nén vượt {limits.max_uncompressed // 1048576} MB (nghi “bom zip”)")
                if (b"!" in chunk or b"!" in tail) and (b"<!" in chunk or b"<!" in tail + chunk[:16]):  # memchr first
                    window = tail + chunk
                    if any(d in window for d in _DANGEROUS):
                        raise _entity_bomb(info)
                if keep:
                    chunks.append(chunk)
                tail = (tail + chunk)[-64:] if len(chunk) < 64 else chunk[-64:]
    except Refused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError) as exc:
        raise Refused(f"phần “{info.filename}” của tệp bị hỏng, không giải nén được ({exc})") from exc
    if not keep:
        return inflated, None
    return inflated, chunks[0] if len(chunks) == 1 else b"".join(chunks)


_LONG_TEXT = rb"[^<]{%d,}" % (EXCEL_TEXT_MAX + 1)  # bytes >= characters: a cheap first sieve


def _has_long_text(data: bytes, run: int = EXCEL_TEXT_MAX + 1) -> bool:
    """re.search(_LONG_TEXT, data), without trying the pattern at every byte.

    A run of `run` bytes without '<' covers a whole window of run // 2 bytes starting at a multiple
    of run // 2; `find` gives up at the first '<' of each window, so a usual sheet costs a few
    dozen short scans. A window without '<' is then measured exactly.
    """
    step = run // 2
    for k in range(0, len(data) - step + 1, step):
        if data.find(b"<", k, k + step) == -1:
            end = data.find(b"<", k)
            if (len(data) if end == -1 else end) - (data.rfind(b"<", 0, k) + 1) >= run:
                return True
    return False


_ERROR_TYPE = rb"""\bt\s*=\s*(?:"e"|'e')"""
_VALUE = rb"<(?:[\w.\-]+:)?v\s*>([^<]*)<"


def _error_cells(data: bytes) -> list[tuple[str, str]]:
    """(ref, error text) of cells typed as an error (#REF!, #VALUE!…): the reader gives them as blanks."""
    out = []
    value = re.compile(_VALUE).search
    for m in re.compile(_ERROR_TYPE).finditer(data):
        start = data.rfind(b"<", 0, m.start())
        tag = _TAG.match(data, start)
        if not tag or tag.group(1) != b"c":
            continue
        ref = _attrs(tag.group(2)).get(b"r", "?")
        end = data.find(b"</", tag.end())
        v = value(data, tag.end(), end + 8 if end >= 0 else len(data))
        out.append((ref.upper(), v.group(1).decode("utf-8", "replace") if v else "#?"))
        if len(out) >= 200:
            break
    return out


def _scan_sheet(data: bytes, sheet: SheetScan, limits: Limits) -> bytes | None:
    """Learn a sheet's shape; return a copy for the reader when the file's own spelling cannot be trusted.

    The reader places a cell where its `r` attribute says (quotes, attribute order and case
    notwithstanding) and sizes the sheet from the farthest cell, so the extent is taken from
    every cell's parsed position, never from a pattern that assumes one spelling. A copy is
    made when a stray cell must go, when the sheet declares a huge `<dimension>`, or when the
    XML is spelled unusually (then every kept cell is rewritten with an explicit, plain `r`,
    so the reader cannot place it anywhere else than where it was counted).
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:200]:
        raise Refused(f"trang tính “{sheet.name}” được lưu bằng mã hóa XML không hỗ trợ (UTF-16), "
                      "hãy mở bằng Excel và lưu lại dạng .xlsx")
    cells = plain_cells(data)
    plain = cells is not None
    if cells is None:
        cells = _parsed_cells(data)
    if _may_hide_rows(data):
        sheet.hidden_rows = _hidden_rows(data)
    if has_formula_tag(data):
        sheet.formulas_without_value = [m.decode() for m in re.compile(_FORMULA_NO_VALUE).findall(data)]
    if may_have_error_type(data):
        sheet.error_cells = _error_cells(data)
    rows = sorted({r for r, _c in cells}) if not plain else cells[0]
    cols_max = max((c for _r, c in cells), default=0) if not plain else cells[1]
    sheet.max_row = rows[-1] if rows else 0
    sheet.max_col = cols_max
    cut = None
    if sheet.max_row > len(rows) + limits.empty_run:  # room for a long gap: look for it
        for a, b in zip(rows, rows[1:]):
            if b - a > limits.empty_run:
                cut = a
                break
    too_wide = sheet.max_col > limits.max_cols
    dim_lie = _dimension_too_big(data, limits)
    if plain and cut is None and not too_wide and not dim_lie:
        _check_size(sheet, limits)
        return None
    out = _rewrite_cells(data, sheet, limits, cut)
    sheet.trimmed_at = cut
    # the copy is read, so its shape is what counts: scan it again the same careful way
    kept = _parsed_cells(out)
    sheet.max_row = max((r for r, _c in kept), default=0)
    sheet.max_col = max((c for _r, c in kept), default=0)
    _check_size(sheet, limits)
    return out


_ODS_TAG = (rb"<(/?)" + rb"(?:[A-Za-z_][\w.\-]*:)?(table|table-row|table-cell|covered-table-cell)(?=[\s/>])"
            rb"((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>")


def _repeat(attrs: dict, name: bytes) -> int:
    for k, v in attrs.items():
        if k.split(b":")[-1] == name:
            return int(v) if v.strip().isdigit() else 1
    return 1


def _check_ods(data: bytes, sheet: SheetScan, limits: Limits) -> None:
    """An OpenDocument sheet's extent: repeated rows and cells that hold something count as often as repeated."""
    row = col = row_rep = 0
    for m in re.compile(_ODS_TAG).finditer(data):
        closing, kind, raw, empty = m.group(1), m.group(2), m.group(3), m.group(4)
        if kind == b"table":
            if not closing:
                row = 0
            continue
        if kind == b"table-row":
            if closing:
                row += row_rep
            else:
                row_rep, col = _repeat(_attrs(raw), b"number-rows-repeated"), 0
                if empty:
                    row += row_rep
            continue
        if closing:
            continue
        attrs = _attrs(raw)
        reps = _repeat(attrs, b"number-columns-repeated")
        if not empty or any(k.split(b":")[-1] == b"value-type" for k in attrs):
            sheet.max_row = max(sheet.max_row, row + row_rep)
            sheet.max_col = max(sheet.max_col, col + reps)
        col += reps
    _check_size(sheet, limits)


def _check_size(sheet: SheetScan, limits: Limits) -> None:
    if sheet.max_row > limits.max_rows or sheet.max_col > limits.max_cols \
            or sheet.max_row * sheet.max_col > limits.max_cells:
        raise Refused(f"trang tính “{sheet.name}” quá lớn ({sheet.max_row:,} dòng × {sheet.max_col} cột; "
                      f"giới hạn {limits.max_rows:,} dòng, {limits.max_cells:,} ô)")


# Every start tag of a row or cell, whatever its namespace prefix, spacing or attribute quoting;
# attribute values may hold '>' so they are matched whole.
_PREFIX = rb"(?:[A-Za-z_][\w.\-]*:)?"
_TAG = re.compile(rb"<" + _PREFIX + rb"(row|c|dimension)(?=[\s/>])((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>")
_ATTR = re.compile(rb"([^\s=/>]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_CELL_END = re.compile(rb"</" + _PREFIX + rb"c\s*>")
_REF = re.compile(r"\$?([A-Za-z]{1,7})\$?(\d{1,15})")


def _attrs(raw: bytes) -> dict[bytes, str]:
    out = {}
    for m in _ATTR.finditer(raw):
        value = (m.group(2) if m.group(2) is not None else m.group(3)).decode("utf-8", "replace")
        if "&" in value:
            import html

            value = html.unescape(value)
        out.setdefault(m.group(1), value)
    return out


def _cell_tags(data: bytes):
    """(match, row, column) of every cell start tag, positions as the reader assigns them.

    A cell without `r` follows the previous one in its row; a row without `r` follows the
    previous row. A cell whose `r` cannot be read is placed nowhere sensible: row and
    column are then made huge so that it is dropped as a stray.
    """
    row, col, skip_to = 0, 0, -1
    for m in _TAG.finditer(data):
        if m.start() < skip_to:
            continue
        kind = m.group(1)
        if kind == b"row":
            r = _attrs(m.group(2)).get(b"r", "").strip()
            row = int(r) if r.isdigit() else row + 1
            col = 0
        elif kind == b"c":
            ref = _attrs(m.group(2)).get(b"r")
            if ref is None:
                col += 1
                r, c = max(row, 1), col
            else:
                hit = _REF.fullmatch(ref.strip())
                r, c = (int(hit.group(2)), col_number(hit.group(1).upper())) if hit else (10 ** 9, 10 ** 6)
                col = c
            end = m.end() if m.group(3) else _cell_end(data, m.end())
            skip_to = end
            yield m, r, c, end


def _cell_end(data: bytes, start: int) -> int:
    e = _CELL_END.search(data, start)
    return e.end() if e else len(data)


def _parsed_cells(data: bytes) -> list[tuple[int, int]]:
    return [(r, c) for _m, r, c, _e in _cell_tags(data)]


def _may_hide_rows(data: bytes) -> bool:
    """False when every `hidden` comes before the first `row` (hidden columns, `<col … hidden="1">`): a row's
    attributes follow its name, so `_hidden_rows` would find nothing and the tags need not be walked. The name
    alone is looked for: XML lets the `=` stand apart (`hidden = "1"`), and so does the walk."""
    last = data.rfind(b"hidden")
    return last != -1 and last > data.find(b"row")


def _hidden_rows(data: bytes) -> list[int]:
    out, row = [], 0
    for m in _TAG.finditer(data):
        if m.group(1) != b"row":
            continue
        a = _attrs(m.group(2))
        r = a.get(b"r", "").strip()
        row = int(r) if r.isdigit() else row + 1
        if a.get(b"hidden", "").strip() in ("1", "true"):
            out.append(row)
    return out


def _dimension_too_big(data: bytes, limits: Limits) -> bool:
    for m in _TAG.finditer(data, 0, data.find(b"sheetData") if b"sheetData" in data else len(data)):
        if m.group(1) != b"dimension":
            continue
        refs = [_REF.fullmatch(x.strip()) for x in _attrs(m.group(2)).get(b"ref", "").split(":")]
        if any(h is None for h in refs):
            return True
        return any(int(h.group(2)) > limits.max_rows or col_number(h.group(1).upper()) > limits.max_cols
                   for h in refs)
    return False


def _rewrite_cells(data: bytes, sheet: SheetScan, limits: Limits, cut: int | None) -> bytes:
    """The sheet without its stray cells and `<dimension>`, each kept cell with a plain explicit `r`."""
    parts: list[bytes] = []
    pos = 0
    for m, r, c, end in _cell_tags(data):
        parts.append(data[pos:m.start()])
        if (cut is not None and r > cut) or c > limits.max_cols or r > 1_048_576:
            if len(sheet.stray_cells) < 20:
                sheet.stray_cells.append(f"{col_letters(min(c, 16384))}{r}")
            pos = end
            continue
        tag = m.group(0)
        prefix = tag[1:m.start(1) - m.start()]
        others = b"".join(a.group(0) + b" " for a in _ATTR.finditer(m.group(2)) if a.group(1) != b"r")
        parts.append(b"<" + prefix + b'c r="' + f"{col_letters(c)}{r}".encode() + b'" ' + others
                     + (b"/>" if m.group(3) else b">"))
        pos = m.end()
    parts.append(data[pos:])
    out = b"".join(parts)
    return re.sub(rb"<" + _PREFIX + rb"dimension\b(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*/>", b"", out,
                  count=1)


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
