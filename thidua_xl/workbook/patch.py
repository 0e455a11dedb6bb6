"""Rewrite the data rows of some sheets of a workbook without touching anything else.

openpyxl re-serialises a whole workbook and drops what it does not model (the
`customUI14.xml` ribbon relationship, shapes, form controls). Here the workbook is
copied part by part, byte for byte; only the `<sheetData>` rows below a header of
the named sheets are replaced (inline strings, styles of the sheet's own columns),
so the VBA project, the ribbon, validations, conditional formats, print setup,
defined names and every other sheet stay exactly as the user left them.
"""
from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..safety import EXCEL_TEXT_MAX
from .xmlparts import parse_xml
from ..tables import col_letter  # noqa: F401  (0 -> A, re-exported)

from ..fileio import atomic_path
from ..locks import master_lock
from ..text import fold

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CALC_CHAIN_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain"
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MARK = "THIDUA_ROWS"
_EPOCH = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)


@dataclass
class SheetData:
    """New content for a sheet: the header row (1-based) and the rows below it, by header text."""

    header_row: int
    headers: list[str]  # header of each value position in rows
    rows: list[list]
    text_headers: tuple[str, ...] = ()  # headers whose numbers are written as text (years, ID numbers)
    hidden_headers: tuple[str, ...] = ()  # columns kept for the tool (a row's source), hidden from view


def col_index(ref: str) -> int:
    n = 0
    for ch in ref:
        if ch.isalpha():
            n = n * 26 + (ord(ch.upper()) - 64)
        else:
            break
    return n - 1


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> part name inside the package."""
    wb = parse_xml(z.read("xl/workbook.xml"))
    rels = parse_xml(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    out = {}
    for s in wb.iter(_q("sheet")):
        t = target.get(s.get(f"{{{REL_NS}}}id"), "")
        out[s.get("name")] = t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join("xl", t))
    return out


def _shared_strings(z: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in z.namelist():
        return []
    root = parse_xml(z.read("xl/sharedStrings.xml"), huge=True)
    return ["".join(t.text or "" for t in si.iter(_q("t"))) for si in root.iter(_q("si"))]


def _cell_text(c, strings: list[str]) -> str:
    t = c.get("t")
    if t == "s":
        v = c.find(_q("v"))
        return strings[int(v.text)] if v is not None and v.text else ""
    if t == "inlineStr":
        return "".join(x.text or "" for x in c.iter(_q("t")))
    v = c.find(_q("v"))
    return v.text if v is not None and v.text else ""


def _esc(text: str) -> str:
    text = _ILLEGAL_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _serial(value, date1904: bool) -> str:
    if isinstance(value, dt.datetime):
        d = value
    else:
        d = dt.datetime(value.year, value.month, value.day)
    delta = d - (_EPOCH_1904 if date1904 else _EPOCH)
    serial = delta.days + delta.seconds / 86400
    return str(int(serial)) if serial == int(serial) else repr(serial)


def _cell_xml(ref: str, value, style: str | None, date1904: bool, as_text: bool) -> str:
    s = f' s="{style}"' if style else ""
    if isinstance(value, (dt.date, dt.datetime)):
        return f'<c r="{ref}"{s}><v>{_serial(value, date1904)}</v></c>'
    if isinstance(value, bool):
        value = "Có" if value else "Không"
    if isinstance(value, (int, float)) and not as_text:
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # text stays text (an inline string is never a formula or a link), and no longer than a cell holds
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{_esc(str(value)[:EXCEL_TEXT_MAX])}</t></is></c>'


def _patch_sheet(xml: bytes, data: SheetData, strings: list[str], date1904: bool) -> bytes:
    root = parse_xml(xml, huge=True)
    sheet_data = root.find(_q("sheetData"))
    header_row = data.header_row
    col_style: dict[int, str] = {}
    cols = root.find(_q("cols"))
    if cols is not None:
        for c in cols.iter(_q("col")):
            if c.get("style"):
                for j in range(int(c.get("min")) - 1, min(int(c.get("max")), 16384)):
                    col_style[j] = c.get("style")
    header_cells: dict[int, object] = {}
    header_el = None
    old_style: dict[int, str] = {}
    r = 0
    for row in list(sheet_data):
        r = int(row.get("r")) if row.get("r") else r + 1
        if r == header_row:
            header_el = row
            for c in row.iter(_q("c")):
                header_cells[col_index(c.get("r"))] = c
        elif r > header_row:
            for c in row.iter(_q("c")):
                j = col_index(c.get("r"))
                if j not in old_style and c.get("s"):
                    old_style[j] = c.get("s")
            sheet_data.remove(row)
    if header_el is None:
        header_el = etree.SubElement(sheet_data, _q("row"), r=str(header_row))
    # where each header goes: the sheet's own column of that name, else a new column on the right
    by_name = {fold(_cell_text(c, strings)): j for j, c in header_cells.items() if _cell_text(c, strings).strip()}
    last = max(header_cells) if header_cells else -1
    head_style = header_cells[last].get("s") if last >= 0 else None
    target: list[int] = []
    for h in data.headers:
        j = by_name.get(fold(h))
        if j is None:
            last += 1
            j = last
            by_name[fold(h)] = j
            cell = etree.SubElement(header_el, _q("c"), r=f"{col_letter(j)}{header_row}", t="inlineStr")
            if head_style:
                cell.set("s", head_style)
            is_ = etree.SubElement(cell, _q("is"))
            etree.SubElement(is_, _q("t")).text = _ILLEGAL_XML.sub("", h)
        target.append(j)
    if header_el.get("spans"):
        del header_el.attrib["spans"]
    hidden = {fold(h) for h in data.hidden_headers}
    _hide_columns(root, [target[k] for k, h in enumerate(data.headers) if fold(h) in hidden])
    order = sorted(range(len(target)), key=lambda k: target[k])
    text_cols = {fold(h) for h in data.text_headers}
    as_text = [fold(h) in text_cols for h in data.headers]
    style = [col_style.get(target[k]) or old_style.get(target[k]) for k in range(len(target))]
    letters = [col_letter(j) for j in target]
    parts: list[str] = []
    for i, values in enumerate(data.rows):
        r = header_row + 1 + i
        cells = []
        for k in order:
            v = values[k] if k < len(values) else None
            if v is None or (isinstance(v, str) and v == "") or (isinstance(v, float) and v != v):
                continue
            cells.append(_cell_xml(f"{letters[k]}{r}", v, style[k], date1904, as_text[k]))
        if cells:
            parts.append(f'<row r="{r}">{"".join(cells)}</row>')
    sheet_data.append(etree.Comment(_MARK))
    dim = root.find(_q("dimension"))
    last_row = header_row + len(data.rows)
    max_col = max([last] + list(header_cells))
    if dim is not None:
        dim.set("ref", f"A1:{col_letter(max(max_col, 0))}{max(last_row, header_row)}")
    out = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return out.replace(f"<!--{_MARK}-->".encode(), "".join(parts).encode("utf-8"))


def _hide_columns(root, columns: list[int]) -> None:
    """Mark 0-based columns hidden in the sheet's <cols>, splitting a <col> range that covers one."""
    if not columns:
        return
    cols = root.find(_q("cols"))
    if cols is None:
        cols = etree.Element(_q("cols"))
        root.find(_q("sheetData")).addprevious(cols)
    for j in columns:
        n = j + 1
        for c in list(cols):
            lo, hi = int(c.get("min")), int(c.get("max"))
            if lo <= n <= hi:
                pieces = [(lo, n - 1), (n, n), (n + 1, hi)]
                at = cols.index(c)
                cols.remove(c)
                for k, (a, b) in enumerate(p for p in pieces if p[0] <= p[1]):
                    piece = etree.fromstring(etree.tostring(c))
                    piece.set("min", str(a))
                    piece.set("max", str(b))
                    if a == n:
                        piece.set("hidden", "1")
                    cols.insert(at + k, piece)
                break
        else:
            el = etree.Element(_q("col"), min=str(n), max=str(n), width="12", hidden="1", customWidth="1")
            after = [c for c in cols if int(c.get("min")) < n]
            (after[-1].addnext(el) if after else cols.insert(0, el))


def replace_sheet_rows(workbook: str | os.PathLike, sheets: dict[str, SheetData],
                       out: str | os.PathLike | None = None) -> Path:
    """Replace the rows below the header of each named sheet; write atomically to out (default: in place).

    Every other part of the package is copied unchanged. The calculation chain is
    dropped (Excel rebuilds it), since it may name cells that no longer hold formulas.
    """
    workbook = Path(workbook)
    out = Path(out) if out else workbook
    with master_lock(out), zipfile.ZipFile(workbook) as z:
        parts = sheet_parts(z)
        missing = [s for s in sheets if s not in parts]
        if missing:
            raise KeyError(f"sheets not in workbook: {missing}")
        strings = _shared_strings(z)
        wb_xml = z.read("xl/workbook.xml")
        date1904 = bool(re.search(rb'date1904="(1|true)"', wb_xml))
        new: dict[str, bytes] = {}
        for name, data in sheets.items():
            new[parts[name]] = _patch_sheet(z.read(parts[name]), data, strings, date1904)
        drop: set[str] = set()
        rels = parse_xml(z.read("xl/_rels/workbook.xml.rels"))
        for r in list(rels):
            if r.get("Type") == CALC_CHAIN_TYPE:
                drop.add(posixpath.normpath(posixpath.join("xl", r.get("Target"))).lstrip("/"))
                rels.remove(r)
        if drop:
            new["xl/_rels/workbook.xml.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8",
                                                               standalone=True)
            ct = parse_xml(z.read("[Content_Types].xml"))
            for o in list(ct):
                if o.get("PartName", "").lstrip("/") in drop:
                    ct.remove(o)
            new["[Content_Types].xml"] = etree.tostring(ct, xml_declaration=True, encoding="UTF-8",
                                                        standalone=True)
        write_package(z, out, new, drop)
    return out


def write_package(z: zipfile.ZipFile, out: Path, new: dict[str, bytes], drop=frozenset()) -> None:
    """Save package `z` as `out` atomically: parts in `drop` left out, parts in `new` replaced (or
    appended when `z` lacks them), every other part — vbaProject.bin, customUI, shapes — copied as is."""
    new = dict(new)
    with atomic_path(out, suffix=out.suffix) as tmp:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in z.infolist():
                if info.filename in drop:
                    continue
                if info.filename in new:
                    zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                    zi.compress_type = zipfile.ZIP_DEFLATED
                    zi.external_attr = info.external_attr
                    zout.writestr(zi, new.pop(info.filename))
                else:
                    zout.writestr(info, z.read(info.filename))
            for part, data in new.items():
                zout.writestr(zipfile.ZipInfo(part, date_time=(1980, 1, 1, 0, 0, 0)), data,
                              compress_type=zipfile.ZIP_DEFLATED)
