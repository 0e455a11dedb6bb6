"""The streamed annex (rows written as bytes while document.xml is saved) equals the tree-built one."""
from __future__ import annotations

import zipfile

from docx import Document
from docxtpl import DocxTemplate

from thidua_xl.documents import annex as A
from thidua_xl.documents.context import AnnexRow
from thidua_xl.documents.render import core_properties, leftover_tags, make_env, render_docx, size_rules

TRICKY = ["Nguyễn Văn A & B <Khoa> \"Nội\" 'x'", "dòng\r\nhai\ttab", "]]> --> <!--", "", None, 0, 12.5,
          "bad\x01char\x0bhere", "  spaces kept  ", "«ho_ten» literal", "x" * 3000]


def _rows(n: int = 60) -> list[AnnexRow]:
    rows = [AnnexRow("nhom", {"nhom": "I. CÁ NHÂN & <TẬP THỂ>"})]
    for i in range(n):
        if i % 7 == 0:
            rows.append(AnnexRow("don_vi", {"don_vi": f"Bệnh viện {TRICKY[i % len(TRICKY)]} ({i})"}))
        v = TRICKY[i % len(TRICKY)]
        rows.append(AnnexRow("dong", {"stt": i + 1, "ho_ten": v, "ngay_sinh": v, "gioi_tinh": "Nữ",
                                      "chuc_vu": v, "khoa_phong": TRICKY[(i + 3) % len(TRICKY)], "ghi_chu": v}))
    rows.append(AnnexRow("khac", {"khac": "a row of an unknown kind & <x>"}))
    return rows


def _eager(template, context, rows, out):
    tpl = DocxTemplate(str(template))
    tpl.render(context, jinja_env=make_env(), autoescape=True)
    assert not leftover_tags(tpl.docx, context)  # as render_docx does (it touches headers and footers)
    size_rules(tpl.docx)
    core_properties(tpl.docx, context)  # title, author, date, language, as render_docx sets them
    A.fill_annex(tpl.docx.element.body, rows)
    tpl.save(str(out))
    return out


def _context(seed_result):
    from thidua_xl.config import Config
    from thidua_xl.documents import context as C
    from thidua_xl.documents.render import split_lists

    config = Config({"giam_doc": "Hoàng Quốc Hương", "so_quyet_dinh": "5", "ngay_van_ban": "2021-01-05"})
    lists, _ = split_lists(seed_result)
    code = next(iter(lists))
    return C.quyet_dinh_context(code, lists[code], seed_result, config, {}, "5")


def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_streamed_annex_is_byte_identical_to_the_tree_built_one(tmp_path, seed_folder):
    from thidua_xl.documents.render import template_path
    from thidua_xl.intake import read_paths
    from thidua_xl.pipeline import totals

    result = totals(read_paths([seed_folder]), 2020)
    ctx = _context(result)
    rows = _rows()
    streamed = render_docx(template_path("quyet-dinh"), ctx, tmp_path / "streamed.docx", annex_rows=rows)
    eager = _eager(template_path("quyet-dinh"), ctx, rows, tmp_path / "eager.docx")
    a, b = _parts(streamed), _parts(eager)
    assert list(a) == list(b)
    for name in a:
        assert a[name] == b[name], name
    doc = Document(str(streamed))  # Word-readable, rows in place, prototypes and marks gone
    xml = a["word/document.xml"]
    assert b"thidua-annex" not in xml and "«stt»".encode() not in xml
    cells = ["".join(t.text or "" for t in tc.iter(f"{{{A.W}}}t")) for tc in doc.tables[-1]._tbl.iter(f"{{{A.W}}}tc")]
    assert any("Nguyễn Văn A & B <Khoa>" in c for c in cells)
    assert any("badcharhere" in c for c in cells)


def test_streamed_annex_with_no_rows_drops_the_prototypes(tmp_path, seed_folder):
    from thidua_xl.documents.render import template_path
    from thidua_xl.intake import read_paths
    from thidua_xl.pipeline import totals

    ctx = _context(totals(read_paths([seed_folder]), 2020))
    streamed = render_docx(template_path("quyet-dinh"), ctx, tmp_path / "s.docx", annex_rows=[])
    eager = _eager(template_path("quyet-dinh"), ctx, [], tmp_path / "e.docx")
    assert _parts(streamed)["word/document.xml"] == _parts(eager)["word/document.xml"]


def _annex_tables(path):
    """The annex tables of a document (those after the first one holding the list's header) as cell texts."""
    doc = Document(str(path))
    return [[["".join(t.text or "" for t in tc.iter(f"{{{A.W}}}t")) for tc in tr.iter(f"{{{A.W}}}tc")]
             for tr in tbl._tbl.iter(f"{{{A.W}}}tr")] for tbl in doc.tables]


def test_a_long_list_is_cut_into_tables_with_the_header_repeated_and_numbering_running_on(tmp_path, seed_folder,
                                                                                         monkeypatch):
    """LibreOffice is quadratic in one table's rows: past MAX_TABLE_ROWS the list continues in a new table."""
    from thidua_xl.documents.render import template_path
    from thidua_xl.intake import read_paths
    from thidua_xl.pipeline import totals

    monkeypatch.setattr(A, "MAX_TABLE_ROWS", 7)
    ctx = _context(totals(read_paths([seed_folder]), 2020))
    rows = _rows(40)
    streamed = render_docx(template_path("quyet-dinh"), ctx, tmp_path / "streamed.docx", annex_rows=rows)
    eager = _eager(template_path("quyet-dinh"), ctx, rows, tmp_path / "eager.docx")
    assert _parts(streamed)["word/document.xml"] == _parts(eager)["word/document.xml"]
    xml = _parts(streamed)["word/document.xml"]
    assert b"thidua-annex" not in xml
    tables = _annex_tables(streamed)
    parts = [t for t in tables if any("«" not in "".join(r) and "Họ và tên" in "".join(r) for r in t[:3])]
    expected = -(-len(rows) // 7)
    assert len(parts) == expected
    header = parts[0][0]
    assert all(p[0] == header for p in parts)  # each part opens with the template's header row
    body_rows = [r for p in parts for r in p if r != header]
    numbers = [r[0] for r in body_rows if r and r[0].isdigit()]
    assert numbers == [str(i) for i in range(1, 41)]  # one numbering across the parts
    assert sum(len(p) - 1 for p in parts) == len(rows)
