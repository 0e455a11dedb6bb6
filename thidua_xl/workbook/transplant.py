"""Put whole sheets made by the tool (Tổng hợp, one per award, Kiểm tra) into the master.

`consolidate --out` and `validate --out` write a workbook of their own with XlsxWriter;
this copies its sheets into the user's master, replacing sheets of the same name in
place and adding the others at the end. Like `patch`, every other part of the master
is copied byte for byte (VBA project, ribbon, shapes, the units' sheets), so a
macro-enabled master keeps its buttons. The copied sheets' styles are appended to
the master's stylesheet and their shared strings become inline strings.
"""
from __future__ import annotations

import os
import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from .xmlparts import parse_xml

from ..fileio import backup
from ..locks import master_lock
from .patch import NS, PKG_REL_NS, REL_NS, sheet_parts, write_package

_WS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_WS_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


def _q(tag: str, ns: str = NS) -> str:
    return f"{{{ns}}}{tag}"


def _xml(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _child(root, tag: str, before: tuple[str, ...]):
    """The styleSheet child `tag`, created in schema order (before the first of `before`) when absent."""
    el = root.find(_q(tag))
    if el is not None:
        return el
    el = etree.Element(_q(tag))
    el.set("count", "0")
    for b in before:
        nxt = root.find(_q(b))
        if nxt is not None:
            nxt.addprevious(el)
            return el
    root.append(el)
    return el


_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles",
          "colors", "extLst")


def merge_styles(master_xml: bytes, source_xml: bytes) -> tuple[bytes, int, int]:
    """Append the source's formats to the master's stylesheet; return it with the xf and dxf offsets."""
    m = parse_xml(master_xml)
    s = parse_xml(source_xml)

    def after(tag):
        return _ORDER[_ORDER.index(tag) + 1:]

    # number formats: reuse the master's id for the same code, else a new id
    m_fmts = _child(m, "numFmts", after("numFmts"))
    by_code = {f.get("formatCode"): int(f.get("numFmtId")) for f in m_fmts}
    next_id = max([163, *by_code.values()]) + 1
    fmt_map: dict[int, int] = {}
    s_fmts = s.find(_q("numFmts"))
    for f in (s_fmts if s_fmts is not None else []):
        code, fid = f.get("formatCode"), int(f.get("numFmtId"))
        if code not in by_code:
            etree.SubElement(m_fmts, _q("numFmt"), numFmtId=str(next_id), formatCode=code)
            by_code[code] = next_id
            next_id += 1
        fmt_map[fid] = by_code[code]
    m_fmts.set("count", str(len(m_fmts)))
    if not len(m_fmts):
        m.remove(m_fmts)
    offsets = {}
    for tag in ("fonts", "fills", "borders"):
        mt, st = _child(m, tag, after(tag)), s.find(_q(tag))
        offsets[tag] = len(mt)
        for el in list(st if st is not None else []):
            mt.append(el)
        mt.set("count", str(len(mt)))
    m_xfs, s_xfs = _child(m, "cellXfs", after("cellXfs")), s.find(_q("cellXfs"))
    xf_offset = len(m_xfs)
    for xf in list(s_xfs if s_xfs is not None else []):
        for attr, tag in (("fontId", "fonts"), ("fillId", "fills"), ("borderId", "borders")):
            xf.set(attr, str(int(xf.get(attr, "0")) + offsets[tag]))
        nid = int(xf.get("numFmtId", "0"))
        xf.set("numFmtId", str(fmt_map.get(nid, nid)))
        xf.set("xfId", "0")
        m_xfs.append(xf)
    m_xfs.set("count", str(len(m_xfs)))
    s_dxfs = s.find(_q("dxfs"))
    dxf_offset = 0
    if s_dxfs is not None and len(s_dxfs):
        m_dxfs = _child(m, "dxfs", after("dxfs"))
        dxf_offset = len(m_dxfs)
        for d in list(s_dxfs):
            m_dxfs.append(d)
        m_dxfs.set("count", str(len(m_dxfs)))
    return _xml(m), xf_offset, dxf_offset


def _shared_strings(z: zipfile.ZipFile) -> list:
    if "xl/sharedStrings.xml" not in z.namelist():
        return []
    return list(parse_xml(z.read("xl/sharedStrings.xml"), huge=True).iter(_q("si")))


def _restyle_sheet(xml: bytes, strings: list, xf_offset: int, dxf_offset: int) -> bytes:
    root = parse_xml(xml, huge=True)
    for c in root.iter(_q("c")):
        if c.get("s") is not None:
            c.set("s", str(int(c.get("s")) + xf_offset))
        if c.get("t") == "s":
            v = c.find(_q("v"))
            si = strings[int(v.text)]
            c.remove(v)
            c.set("t", "inlineStr")
            is_ = etree.SubElement(c, _q("is"))
            for child in si:
                is_.append(etree.fromstring(etree.tostring(child)))
    for row in root.iter(_q("row")):
        if row.get("s") is not None:
            row.set("s", str(int(row.get("s")) + xf_offset))
    for col in root.iter(_q("col")):
        if col.get("style") is not None:
            col.set("style", str(int(col.get("style")) + xf_offset))
    for rule in root.iter(_q("cfRule")):
        if rule.get("dxfId") is not None:
            rule.set("dxfId", str(int(rule.get("dxfId")) + dxf_offset))
    for view in root.iter(_q("sheetView")):
        view.attrib.pop("tabSelected", None)  # one selected tab only, or Excel groups the sheets
    return _xml(root)


_DRAWING_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"
_CHART_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
_DRAWING_CT = "application/vnd.openxmlformats-officedocument.drawing+xml"
_CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"


def _rels_name(part: str) -> str:
    return posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")


def _target(part: str, target: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


def _sheet_rels_ok(z: zipfile.ZipFile, part: str) -> bytes | None:
    """The sheet's relationships, if they are external (hyperlinks) or a drawing of charts; else ValueError."""
    rels = _rels_name(part)
    if rels not in z.namelist():
        return None
    root = parse_xml(z.read(rels))
    if any(r.get("TargetMode") != "External" and r.get("Type") != _DRAWING_TYPE for r in root):
        raise ValueError(f"sheet part {part} has comments, tables or images: not supported")
    return z.read(rels)


def _drawing_parts(z: zipfile.ZipFile, part: str) -> list[str]:
    """The drawing of a sheet and the charts it holds, with their relationship parts (to copy or drop)."""
    rels = _rels_name(part)
    if rels not in z.namelist():
        return []
    out = []
    for r in parse_xml(z.read(rels)):
        if r.get("Type") == _DRAWING_TYPE:
            drawing = _target(part, r.get("Target"))
            out.append(drawing)
            d_rels = _rels_name(drawing)
            if d_rels in z.namelist():
                out.append(d_rels)
                for c in parse_xml(z.read(d_rels)):
                    if c.get("Type") == _CHART_TYPE:
                        out.append(_target(drawing, c.get("Target")))
    return out


def _copy_drawing(zs: zipfile.ZipFile, rels_xml: bytes, part: str, taken: set[str], new: dict, ct) -> bytes:
    """Copy the sheet's drawing and charts under fresh part names; return the sheet's rels, retargeted."""
    def fresh(folder: str, stem: str) -> str:
        k = 1
        while f"xl/{folder}/{stem}{k}.xml" in taken:
            k += 1
        name = f"xl/{folder}/{stem}{k}.xml"
        taken.add(name)
        return name

    rels = parse_xml(rels_xml)
    for r in rels:
        if r.get("Type") != _DRAWING_TYPE:
            continue
        drawing = _target(part, r.get("Target"))
        d_new = fresh("drawings", "drawing")
        d_rels = _rels_name(drawing)
        if d_rels in zs.namelist():
            dr = parse_xml(zs.read(d_rels))
            for c in dr:
                if c.get("Type") == _CHART_TYPE:
                    c_new = fresh("charts", "chart")
                    new[c_new] = zs.read(_target(drawing, c.get("Target")))
                    etree.SubElement(ct, _q("Override", _CT_NS), PartName="/" + c_new, ContentType=_CHART_CT)
                    c.set("Target", "../charts/" + posixpath.basename(c_new))
            new[_rels_name(d_new)] = _xml(dr)
        new[d_new] = zs.read(drawing)
        etree.SubElement(ct, _q("Override", _CT_NS), PartName="/" + d_new, ContentType=_DRAWING_CT)
        r.set("Target", "../drawings/" + posixpath.basename(d_new))
    return _xml(rels)


def write_sheets_into(master: str | os.PathLike, source: str | os.PathLike, sheets: list[str] | None = None, *,
                      backup_dir: str | os.PathLike | None = None, make_backup: bool = True) -> Path:
    """Copy sheets of `source` (all by default) into `master`: backup first, one atomic save.

    A sheet whose name the master already has is replaced where it stands (the names
    defined for it, such as print titles, come from the source); the others are added
    at the end. Returns the backup path (or the master when no backup was asked).
    """
    master, source = Path(master), Path(source)
    with master_lock(master):
        return _write_sheets_into(master, source, sheets, backup_dir, make_backup)


def _write_sheets_into(master: Path, source: Path, sheets, backup_dir, make_backup: bool) -> Path:
    with zipfile.ZipFile(source) as zs:
        s_parts = sheet_parts(zs)
        names = list(s_parts) if sheets is None else list(sheets)
        missing = [n for n in names if n not in s_parts]
        if missing:
            raise KeyError(f"sheets not in {source.name}: {missing}")
        s_wb = parse_xml(zs.read("xl/workbook.xml"))
        s_index = {el.get("name"): i for i, el in enumerate(s_wb.iter(_q("sheet")))}
        s_names = s_wb.find(_q("definedNames"))
        strings = _shared_strings(zs)
        s_styles = zs.read("xl/styles.xml")
        s_xml = {n: zs.read(s_parts[n]) for n in names}
        s_rels = {n: _sheet_rels_ok(zs, s_parts[n]) for n in names}
        s_drawn = {n for n in names if _drawing_parts(zs, s_parts[n])}
        s_drawing_bytes = {p: zs.read(p) for n in s_drawn for p in _drawing_parts(zs, s_parts[n])}
        s_drawing_bytes.update({p: zs.read(p) for n in s_drawn for p in [_rels_name(s_parts[n])]})
    saved = backup(master, backup_dir) if make_backup else master
    with zipfile.ZipFile(master) as zm:
        m_parts = sheet_parts(zm)
        styles, xf_off, dxf_off = merge_styles(zm.read("xl/styles.xml"), s_styles)
        new: dict[str, bytes] = {"xl/styles.xml": styles}
        m_wb = parse_xml(zm.read("xl/workbook.xml"))
        m_sheets_el = m_wb.find(_q("sheets"))
        m_index = {el.get("name"): i for i, el in enumerate(m_sheets_el)}
        rels = parse_xml(zm.read("xl/_rels/workbook.xml.rels"))
        ct = parse_xml(zm.read("[Content_Types].xml"))
        used_ids = {int(el.get("sheetId")) for el in m_sheets_el}
        used_rids = {r.get("Id") for r in rels}
        existing = set(zm.namelist())
        drop: set[str] = set()
        m_defined = m_wb.find(_q("definedNames"))
        for name in names:
            xml = _restyle_sheet(s_xml[name], strings, xf_off, dxf_off)
            if name in m_parts:
                part = m_parts[name]
                local = m_index[name]
                old_rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
                if old_rels in existing:
                    drop.add(old_rels)
                    old_drawing = set(_drawing_parts(zm, part))  # last run's charts go with the sheet they were on
                    drop |= old_drawing
                    for o in list(ct):
                        if o.get("PartName", "").lstrip("/") in old_drawing:
                            ct.remove(o)
                if m_defined is not None:
                    for d in list(m_defined):
                        if d.get("localSheetId") == str(local):
                            m_defined.remove(d)
            else:
                k = 1
                while f"xl/worksheets/sheet{k}.xml" in existing or f"xl/worksheets/sheet{k}.xml" in new:
                    k += 1
                part = f"xl/worksheets/sheet{k}.xml"
                rid = next(f"rId{n}" for n in range(1, 10_000) if f"rId{n}" not in used_rids)
                used_rids.add(rid)
                etree.SubElement(rels, _q("Relationship", PKG_REL_NS), Id=rid, Type=_WS_TYPE,
                                 Target=f"worksheets/sheet{k}.xml")
                etree.SubElement(ct, _q("Override", _CT_NS), PartName="/" + part, ContentType=_WS_CT)
                sheet_id = max(used_ids | {0}) + 1
                used_ids.add(sheet_id)
                el = etree.SubElement(m_sheets_el, _q("sheet"), name=name, sheetId=str(sheet_id))
                el.set(_q("id", REL_NS), rid)
                local = len(m_sheets_el) - 1
                m_index[name] = local
            new[part] = xml
            if s_rels[name] is not None:
                rels_xml = s_rels[name]
                if name in s_drawn:
                    taken = existing | set(new)
                    rels_xml = _copy_drawing(_Parts(s_drawing_bytes), rels_xml, s_parts[name], taken, new, ct)
                new[posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")] = rels_xml
                drop.discard(posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels"))
            # names defined for the sheet in the source (print titles, filter ranges)
            for d in (s_names if s_names is not None else []):
                if d.get("localSheetId") == str(s_index[name]):
                    if m_defined is None:
                        m_defined = etree.Element(_q("definedNames"))
                        m_sheets_el.addnext(m_defined)
                    copy = etree.fromstring(etree.tostring(d))
                    copy.set("localSheetId", str(local))
                    m_defined.append(copy)
        if m_defined is not None:  # Excel wants them sorted by name
            for d in sorted(m_defined, key=lambda d: (d.get("name").lower().removeprefix("_xlnm."),
                                                      int(d.get("localSheetId", "-1")))):
                m_defined.append(d)
        new["xl/workbook.xml"] = _xml(m_wb)
        new["xl/_rels/workbook.xml.rels"] = _xml(rels)
        new["[Content_Types].xml"] = _xml(ct)
        write_package(zm, master, new, drop)
    return saved


class _Parts:
    """The few parts of the source package read again after it is closed (drawings and charts)."""

    def __init__(self, parts: dict[str, bytes]):
        self._parts = parts

    def namelist(self) -> list[str]:
        return list(self._parts)

    def read(self, name: str) -> bytes:
        return self._parts[name]


__all__ = ["write_sheets_into", "merge_styles"]
