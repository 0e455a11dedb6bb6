"""WordprocessingML for pre-printed forms: text in frames fixed to the page, one page per awardee.

Each field is a framed paragraph (`w:framePr`, anchored to the page, x and y in twips),
so staff can still click into a name in Word and correct it, and Word or LibreOffice
print it where the `Mẫu in` sheet says. Pages are separated by page breaks in a
single section. The body is generated as text, page by page, and streamed into
`word/document.xml` of a skeleton python-docx saves (styles, page size, properties):
hundreds of pages cost what their characters cost.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Iterable, Iterator
from xml.sax.saxutils import escape

from ..fileio import atomic_path
from ..workbook.print_form import FieldBox, PrintForm

TWIPS_PER_MM = 1440 / 25.4
_MARK = "THIDUA-CERTIFICATE-BODY"
_BAD_XML = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32)])  # control characters XML 1.0 forbids


def twips(mm: float) -> int:
    return int(round(mm * TWIPS_PER_MM))


def _text(value: str) -> str:
    return escape(str(value).translate(_BAD_XML))


def _run_props(form: PrintForm, box: FieldBox, size: float | None = None) -> str:
    font = _text(form.font)
    half_points = int(round((size or box.size) * 2))
    return (f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>'
            + ('<w:b/><w:bCs/>' if box.bold else '') + ('<w:i/><w:iCs/>' if box.italic else '')
            + f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/><w:lang w:val="vi-VN"/>')


def frame(form: PrintForm, box: FieldBox, text: str, border: bool = False) -> str:
    """One field as a framed paragraph at its place on the page (printer offset included)."""
    x, y = form.placed(box)
    rpr = _run_props(form, box)
    bdr = ""
    if border:
        side = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>'
        bdr = "<w:pBdr>" + "".join(side.format(s) for s in ("top", "left", "bottom", "right")) + "</w:pBdr>"
    return (f'<w:p><w:pPr><w:framePr w:w="{twips(box.width)}" w:hSpace="0" w:vSpace="0" w:wrap="around" '
            f'w:vAnchor="page" w:hAnchor="page" w:x="{twips(max(x, 0))}" w:y="{twips(max(y, 0))}"/>{bdr}'
            f'<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:ind w:left="0" w:right="0"/>'
            f'<w:jc w:val="{box.align}"/><w:rPr>{rpr}</w:rPr></w:pPr>'
            f'<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{_text(text)}</w:t></w:r></w:p>')


PAGE_BREAK = ('<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
              '<w:rPr><w:sz w:val="2"/></w:rPr></w:pPr><w:r><w:rPr><w:sz w:val="2"/></w:rPr>'
              '<w:br w:type="page"/></w:r></w:p>')


def _stamps(form: PrintForm) -> list[tuple[str, str, str]]:
    """(field key, XML before its text, XML after it) of each printed field: made once per document."""
    marker = "\ue000"  # a private-use character: escaping keeps it
    out = []
    for box in form.fields:
        if box.enabled:
            head, tail = frame(form, box, marker).split(marker)
            out.append((box.key, head, tail))
    return out


def page_xml(form: PrintForm, texts: dict[str, str], stamps: list | None = None) -> str:
    """The frames of one page: every printed field that has text."""
    return "".join(head + _text(texts[key]) + tail for key, head, tail in (stamps or _stamps(form))
                   if texts.get(key))


def pages_xml(form: PrintForm, pages: Iterable[dict[str, str]]) -> Iterator[str]:
    """Page after page, a page break between two."""
    stamps = _stamps(form)
    for i, texts in enumerate(pages):
        if i:
            yield PAGE_BREAK
        yield page_xml(form, texts, stamps)


# --- the calibration page: a millimetre grid and the field boxes ---------------------------
def _line(x_mm: float, y_mm: float, w_mm: float, h_mm: float, sides: tuple[str, ...], label: str = "",
          size: float = 6) -> str:
    """A thin rule (a bordered empty frame) or a small label at (x, y) mm."""
    bdr = ""
    if sides:
        side = '<w:{0} w:val="single" w:sz="2" w:space="0" w:color="A6A6A6"/>'
        bdr = "<w:pBdr>" + "".join(side.format(s) for s in sides) + "</w:pBdr>"
    run = (f'<w:r><w:rPr><w:sz w:val="{int(size * 2)}"/></w:rPr><w:t>{_text(label)}</w:t></w:r>' if label else "")
    return (f'<w:p><w:pPr><w:framePr w:w="{max(twips(w_mm), 1)}" w:h="{max(twips(h_mm), 1)}" w:hRule="exact" '
            f'w:hSpace="0" w:vSpace="0" w:wrap="around" w:vAnchor="page" w:hAnchor="page" '
            f'w:x="{twips(max(x_mm, 0))}" w:y="{twips(max(y_mm, 0))}"/>{bdr}'
            f'<w:spacing w:before="0" w:after="0" w:line="{int(size * 20)}" w:lineRule="exact"/>'
            f'<w:rPr><w:sz w:val="{int(size * 2)}"/></w:rPr></w:pPr>{run}</w:p>')


def calibration_xml(form: PrintForm, samples: dict[str, str]) -> str:
    """A grid every 10 mm (labelled) shifted by the printer offset, then each field's box and sample text."""
    pw, ph = form.page_mm
    ox, oy = form.offset_x, form.offset_y
    parts = []
    for x in range(10, int(pw) + 1, 10):  # vertical rules: a frame 10 mm wide whose right border is the rule
        parts.append(_line(x - 10 + ox, oy, 10, ph, ("right",)))
        parts.append(_line(x + ox + 0.6, 1 + oy, 9, 3, (), str(x)))
    for y in range(10, int(ph) + 1, 10):
        parts.append(_line(ox, y - 10 + oy, pw, 10, ("bottom",)))
        parts.append(_line(1 + ox, y + oy + 0.4, 9, 3, (), str(y)))
    parts.append(_line(ox + 12, oy + 12, 120, 4, (), f"Lệch ngang {ox:g} mm, lệch dọc {oy:g} mm — khổ {form.paper} "
                                                       f"{'ngang' if form.landscape else 'dọc'}", size=8))
    for box in form.fields:
        if box.enabled:
            parts.append(frame(form, box, samples.get(box.key) or box.label, border=True))
    return "".join(parts)


# --- the package ------------------------------------------------------------------------------
def _skeleton(form: PrintForm, title: str, author: str) -> bytes:
    """An empty document of the form's paper, Times New Roman, Vietnamese, with a marker paragraph."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    pw, ph = form.page_mm
    sec.orientation = WD_ORIENT.LANDSCAPE if form.landscape else WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(pw), Mm(ph)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Mm(10))
    sec.header_distance = sec.footer_distance = Mm(5)
    normal = doc.styles["Normal"]
    normal.font.name = form.font
    normal.font.size = Pt(12)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:eastAsia", "w:cs"):
        fonts.set(qn(attr), form.font)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")
    doc.core_properties.title = title
    doc.core_properties.author = author
    doc.core_properties.language = "vi-VN"
    doc.add_paragraph(_MARK)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def write_docx(path: str | Path, form: PrintForm, chunks: Iterable[str], title: str = "", author: str = "") -> Path:
    """Save a document whose body is `chunks` (paragraph XML), streamed in place of the marker."""
    skeleton = _skeleton(form, title, author)
    with zipfile.ZipFile(io.BytesIO(skeleton)) as zin, atomic_path(path, suffix=".docx") as tmp, \
            zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename != "word/document.xml":
                zout.writestr(item, data)
                continue
            at = data.index(_MARK.encode())
            start = max(data.rfind(b"<w:p>", 0, at), data.rfind(b"<w:p ", 0, at))
            end = data.index(b"</w:p>", at) + len(b"</w:p>")
            with zout.open(item.filename, "w") as w:
                w.write(data[:start])
                batch: list[str] = []
                for chunk in chunks:
                    batch.append(chunk)
                    if len(batch) >= 500:
                        w.write("".join(batch).encode("utf-8"))
                        batch.clear()
                w.write("".join(batch).encode("utf-8"))
                w.write(data[end:])
    return Path(path)
