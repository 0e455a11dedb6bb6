"""Builds the Word templates (templates/*.docx) reproducibly from python-docx.

Run `python -m thidua_xl.devtools.word_templates [DIR]` (default: the packaged
thidua_xl/documents/templates). This module holds the building blocks; `documents` the five
documents. The output is what staff
open and edit in Word: plain paragraphs with named styles, Jinja tags typed in one
run each ({{ … }}, {%p … %}), and annex tables whose prototype rows carry
«markers» filled by the fast annex path (annex.py) instead of Jinja.

Layout: Nghị định 30/2020/NĐ-CP, Phụ lục I (A4; margins 20/20/30/15 mm; Times New
Roman 14 pt; two-column header; page numbers at the top from page 2).
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "documents" / "templates"
FONT = "Times New Roman"
BODY_PT = 14
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
LEFT = WD_ALIGN_PARAGRAPH.LEFT
TEXT_WIDTH_CM = 16.0  # 210 mm − 30 mm − 20 mm would be 16.0; right margin 15 mm leaves 16.5
HEADER_LEFT_CM = 6.3
HEADER_RIGHT_CM = 10.0

# Paragraph styles the renderer relies on (rules are sized from the text above them).
RULE_HALF = "TĐKT Gạch dưới tên cơ quan"
RULE_FULL = "TĐKT Gạch dưới tiêu ngữ"
RULE_TITLE = "TĐKT Gạch dưới trích yếu"


def _rfonts(rpr) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _setup_styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _rfonts(normal.element.get_or_add_rPr())
    pf = normal.paragraph_format
    pf.alignment = JUSTIFY
    pf.first_line_indent = Cm(1.27)
    pf.space_before = Pt(0)
    pf.space_after = Pt(6)
    pf.line_spacing = 1.15
    # docDefaults too, so tables and headers inherit the font
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _rfonts(rpr_default)
    _vietnamese(rpr_default)
    # the built-in headings and title (a staff member may use them): Times New Roman, black, not Calibri blue
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        try:
            st = styles[name]
        except KeyError:
            continue
        st.font.name = FONT
        st.font.color.rgb = RGBColor(0, 0, 0)
        rpr = st.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attr), None)
        _rfonts(rpr)
        color = rpr.find(qn("w:color"))
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            color.attrib.pop(qn(attr), None)
    for name in (RULE_HALF, RULE_FULL, RULE_TITLE):
        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        st.font.size = Pt(2)
        st.paragraph_format.first_line_indent = Cm(0)
        st.paragraph_format.space_after = Pt(0)
        st.paragraph_format.space_before = Pt(0)
        st.paragraph_format.line_spacing = 1.0
        _border(st.element.get_or_add_pPr(), "bottom")
    cell = styles.add_style("TĐKT Ô bảng", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    cell.font.size = Pt(13)
    cell.paragraph_format.first_line_indent = Cm(0)
    cell.paragraph_format.space_after = Pt(0)
    cell.paragraph_format.line_spacing = 1.0
    cell.paragraph_format.alignment = LEFT


def _vietnamese(rpr) -> None:
    """Text language vi-VN, so Word's spelling check does not underline every Vietnamese word."""
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")


def _keep_next(p) -> None:
    p.paragraph_format.keep_with_next = True


def _border(ppr, side: str) -> None:
    bdr = OxmlElement("w:pBdr")
    b = OxmlElement(f"w:{side}")
    b.set(qn("w:val"), "single")
    b.set(qn("w:sz"), "6")
    b.set(qn("w:space"), "1")
    b.set(qn("w:color"), "000000")
    bdr.append(b)
    # pBdr must come before spacing/ind/jc in CT_PPr order; put it early
    ppr.insert(0, bdr)


def _new_document():
    doc = Document()
    _setup_styles(doc)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    sec.header_distance = Mm(10)
    sec.footer_distance = Mm(10)
    _page_number_header(sec)
    return doc


def _page_number_header(section) -> None:
    """PAGE field centred in the top margin, none on page 1 (NĐ 30)."""
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = CENTER
    p.paragraph_format.first_line_indent = Cm(0)
    run = p.add_run()
    run.font.size = Pt(14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)


def _para(container, text: str = "", *, bold=False, italic=False, size=None, align=None, indent=None,
          first=None, after=None, before=None, style=None, underline=False, keep_next=False):
    p = container.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        run.underline = underline or None
        if size:
            run.font.size = Pt(size)
    pf = p.paragraph_format
    if align is not None:
        pf.alignment = align
    if indent is not None:
        pf.left_indent = Cm(indent)
    if first is not None:
        pf.first_line_indent = Cm(first)
    if after is not None:
        pf.space_after = Pt(after)
    if before is not None:
        pf.space_before = Pt(before)
    if keep_next:
        pf.keep_with_next = True
    return p


def _runs(p, parts) -> None:
    """parts: [(text, {bold, italic})]"""
    for text, fmt in parts:
        r = p.add_run(text)
        r.bold = fmt.get("bold") or None
        r.italic = fmt.get("italic") or None


def _center(container, text="", **kw):
    kw.setdefault("first", 0)
    kw.setdefault("after", 0)
    return _para(container, text, align=CENTER, **kw)


def _tag(container, tag: str):
    """A paragraph holding only a {%p … %} tag (docxtpl removes it)."""
    return _para(container, tag, first=0, after=0)


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        b = OxmlElement(f"w:{side}")
        b.set(qn("w:val"), "nil")
        borders.append(b)
    tbl_pr.append(borders)


def _widths(table, widths_cm) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm):
            cell.width = Cm(w)
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(Cm(w).twips)))


def _cell_first(cell):
    """The cell's own first paragraph, emptied of defaults."""
    return cell.paragraphs[0]


def _fill(p, text, *, bold=False, italic=False, size=None, align=CENTER):
    if text:
        r = p.add_run(text)
        r.bold = bold or None
        r.italic = italic or None
        if size:
            r.font.size = Pt(size)
    p.paragraph_format.alignment = align
    p.paragraph_format.first_line_indent = Cm(0)
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = 1.0
    return p


def header_block(doc, *, left_top="{{ co_quan_chu_quan }}", left_bold="{{ co_quan_ban_hanh }}",
                 cong_van=False) -> None:
    """NĐ 30 ô 1–4: chủ quản / ban hành / Số on the left, Quốc hiệu / Tiêu ngữ / date on the right."""
    t = doc.add_table(rows=2, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(t)
    _widths(t, [HEADER_LEFT_CM, HEADER_RIGHT_CM])
    left, right = t.rows[0].cells
    _fill(_cell_first(left), left_top, size=13)
    _fill(left.add_paragraph(), left_bold, bold=True, size=13)
    left.add_paragraph(style=RULE_HALF)
    _fill(_cell_first(right), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=13)
    _fill(right.add_paragraph(), "Độc lập - Tự do - Hạnh phúc", bold=True, size=14)
    right.add_paragraph(style=RULE_FULL)
    left2, right2 = t.rows[1].cells
    p = _fill(_cell_first(left2), "Số: {{ so_ky_hieu }}", size=13)
    p.paragraph_format.space_before = Pt(6)
    if cong_van:
        q = _fill(left2.add_paragraph(), "V/v {{ trich_yeu }}", size=12)
        q.paragraph_format.space_before = Pt(6)
    p = _fill(_cell_first(right2), "{{ dia_danh }}, {{ ngay }}", italic=True, size=14)
    p.paragraph_format.space_before = Pt(6)
    _para(doc, "", after=6, first=0)


def title_block(doc, loai: str, trich_yeu: str = "{{ trich_yeu }}") -> None:
    """Tên loại (IN HOA, đậm) and trích yếu (đậm) with a rule under it (ô 5a)."""
    _center(doc, loai, bold=True, before=6, keep_next=True)
    _center(doc, trich_yeu, bold=True, keep_next=True)
    doc.add_paragraph(style=RULE_TITLE)
    _para(doc, "", after=6, first=0)


def loop_paragraphs(doc, var: str, prefix: str = "", **kw) -> None:
    """One paragraph per item of a list (narrative texts come as lists of paragraphs)."""
    _tag(doc, f"{{%p for doan in {var} %}}")
    _para(doc, prefix + "{{ doan }}", **kw)
    _tag(doc, "{%p endfor %}")


def heading(doc, text: str, *, center=False, italic=False) -> None:
    if center:
        _center(doc, text, bold=True, italic=italic, keep_next=True, after=6)
    else:
        _para(doc, text, bold=True, italic=italic, keep_next=True)


def _keep_last_with_next(doc) -> None:
    """The last text paragraph (not a {%p %} tag, which docxtpl removes) stays with what follows."""
    for p in reversed(doc.paragraphs):
        if not p.text.startswith("{%p"):
            p.paragraph_format.keep_with_next = True
            return


def signer_block(doc, *, noi_nhan=True) -> None:
    """Nơi nhận (12 pt bold italic, list 11 pt) on the left, the signer on the right (ô 7, 9b).

    The block never splits, and the closing paragraph goes with it: a signature alone
    at the top of a page, with nothing of the text above it, is not signable.
    """
    _keep_last_with_next(doc)
    _para(doc, "", after=0, first=0, keep_next=True)
    t = doc.add_table(rows=1, cols=2)
    _no_borders(t)
    _widths(t, [8.0, 8.0])
    _cant_split(t.rows[0])
    left, right = t.rows[0].cells
    if noi_nhan:
        _fill(_cell_first(left), "Nơi nhận:", bold=True, italic=True, size=12, align=LEFT)
        _fill(left.add_paragraph(), "{%p for dong in noi_nhan %}", size=11, align=LEFT)
        _fill(left.add_paragraph(), "{{ dong }}", size=11, align=LEFT)
        _fill(left.add_paragraph(), "{%p endfor %}", size=11, align=LEFT)
    _fill(_cell_first(right), "{{ ky_dong1 }}", bold=True, size=14)
    _fill(right.add_paragraph(), "{%p if ky_dong2 %}")
    _fill(right.add_paragraph(), "{{ ky_dong2 }}", bold=True, size=14)
    _fill(right.add_paragraph(), "{%p endif %}")
    for _ in range(4):
        _fill(right.add_paragraph(), "")
    _fill(right.add_paragraph(), "{{ nguoi_ky }}", bold=True, size=14)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    tr_pr.append(el)


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def annex_table(doc, columns: list[tuple[str, str, float]]) -> None:
    """Danh sách table: a repeated header row, then prototype rows the annex filler clones.

    «nhom» rows are section headings (I. TẬP THỂ …), «don_vi» rows unit headings,
    the last row the nominee. Headings span all columns (gridSpan, no vMerge).
    """
    t = doc.add_table(rows=4, cols=len(columns))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(t, [w for _, _, w in columns])
    hdr = t.rows[0]
    _repeat_header(hdr)
    _cant_split(hdr)
    for cell, (label, _, _) in zip(hdr.cells, columns):
        _fill(cell.paragraphs[0], label, bold=True, size=13)
    for i, marker in ((1, "«nhom»"), (2, "«don_vi»")):
        row = t.rows[i]
        _cant_split(row)
        merged = row.cells[0].merge(row.cells[-1])
        for extra in merged.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        _fill(merged.paragraphs[0], marker, bold=(i == 1), italic=(i == 2), size=13, align=LEFT)
        _keep_next(merged.paragraphs[0])  # a heading row never ends a page alone: it goes with the next row
    row = t.rows[3]
    _cant_split(row)
    for cell, (_, marker, _) in zip(row.cells, columns):
        align = CENTER if marker in ("«stt»", "«nam_sinh»", "«ngay_sinh»", "«gioi_tinh»") else LEFT
        _fill(cell.paragraphs[0], marker, size=13, align=align)


def annex_section(doc, title: str, subtitle: str, note: str, columns) -> None:
    """A new section for the phụ lục: its own page numbering, from page 2."""
    new = doc.add_section(WD_SECTION.NEW_PAGE)
    new.header.is_linked_to_previous = False
    new.first_page_header.is_linked_to_previous = False
    _page_number_header(new)
    pg = OxmlElement("w:pgNumType")
    pg.set(qn("w:start"), "1")
    new._sectPr.append(pg)
    _center(doc, title, bold=True, keep_next=True)
    _center(doc, subtitle, bold=True, keep_next=True)
    _center(doc, note, italic=True, keep_next=True)
    doc.add_paragraph(style=RULE_TITLE)
    _para(doc, "", after=6, first=0)
    annex_table(doc, columns)
