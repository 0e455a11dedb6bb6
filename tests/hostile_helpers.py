"""Hostile workbooks built by the tests: stray cells spelled every way, broken deflate streams."""
from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from badfile_helpers import read_part, replace_parts

STRAY = "<row r='1048576'><c r='XFD1048576' t='inlineStr'><is><t>lạc</t></is></c></row>"

# the same stray cell at the sheet's last cell, spelled as a hostile or odd writer would
STRAY_SPELLINGS = {
    "single-quotes": STRAY,
    "r-not-first": '<row spans="1:2" r="1048576"><c t="inlineStr" s="0" r="XFD1048576"><is><t>x</t></is></c></row>',
    "cell-lies-about-row": '<row r="9"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
    "lower-case-ref": '<row r="9"><c r="xfd1048576" t="inlineStr"><is><t>x</t></is></c></row>',
    "spacing": '<row\n r = "1048576" ><c\tr="XFD1048576"\nt="inlineStr"><is><t>x</t></is></c></row>',
    "gt-in-attribute": '<row r="9"><c foo="a>b" r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
    "entity-in-ref": '<row r="9"><c r="&#88;FD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
    "prefixed": '<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="1048576">'
                '<x:c r="XFD1048576" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c></x:row>',
    "no-r-after-far-cell": '<row r="1048576"><c r="XFC1048576" t="inlineStr"><is><t>x</t></is></c>'
                           '<c t="inlineStr"><is><t>y</t></is></c></row>',
}


def sheet_part(path: Path, sheet_index: int = 1) -> str:
    return f"xl/worksheets/sheet{sheet_index}.xml"


def with_stray(src: Path, dest: Path, spelling: str, part: str = "xl/worksheets/sheet1.xml",
               dimension_lie: bool = True) -> Path:
    """A copy of src whose sheet part ends with one far stray cell (and, by default, a lying dimension)."""
    xml = read_part(src, part)
    xml = xml.replace(b"</sheetData>", STRAY_SPELLINGS[spelling].encode() + b"</sheetData>", 1)
    if dimension_lie:
        import re

        xml = re.sub(rb'<dimension ref="[^"]*"\s*/>', b"<dimension ref='A1:XFD1048576'/>", xml, count=1)
    return replace_parts(src, dest, {part: xml})


def corrupt_deflate(path: Path, part: str = "xl/worksheets/sheet1.xml") -> Path:
    """Break one part's deflate stream in place (an invalid block type: zlib error -3)."""
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(part)
    assert info.compress_type == zipfile.ZIP_DEFLATED
    raw = bytearray(path.read_bytes())
    off = info.header_offset
    name_len, extra_len = struct.unpack("<HH", raw[off + 26:off + 30])
    start = off + 30 + name_len + extra_len
    raw[start] = 0xFF  # BFINAL=1, BTYPE=11: reserved, "invalid block type"
    path.write_bytes(bytes(raw))
    return path
