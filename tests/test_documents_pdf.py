"""Layout through LibreOffice: A4, embedded fonts with Vietnamese glyphs, page numbers from page 2."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from thidua_xl.config import Config
from thidua_xl.documents.pdf import available, find_soffice, to_pdf
from thidua_xl.documents.render import render_reports
from thidua_xl.intake import read_paths
from thidua_xl.pipeline import totals

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed"),
    pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils (pdffonts) is not installed"),
]
CONFIG = Config({"giam_doc": "Hoàng Quốc Hương", "so_quyet_dinh": "12", "ngay_van_ban": "2021-01-05"})


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def pdfs(seed_folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    docs = render_reports(totals(read_paths([seed_folder]), 2020), CONFIG, {}, out)
    return {p.stem: p for p in to_pdf(docs, out)}


def test_every_document_converts_to_a4(pdfs):
    assert available() == "libreoffice"
    assert len(pdfs) == 9
    for name, pdf in pdfs.items():
        info = _run("pdfinfo", str(pdf))
        assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), name
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        if name.startswith("Quyet-dinh-LDTT"):
            assert 30 <= pages <= 90, pages  # 1326 names at ~25 a page, plus the decision
        elif name.startswith(("Bao-cao", "Cong-van", "Bien-ban")):
            assert 1 <= pages <= 6, (name, pages)


def test_fonts_are_embedded_liberation_serif_for_times_new_roman(pdfs):
    fonts = _run("pdffonts", str(pdfs["Bao-cao-tong-ket-2020"]))
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    names = {r[0].split("+")[-1] for r in rows}
    assert {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"} <= names
    assert all(r[-5] == "yes" for r in rows)  # emb
    text = _run("pdftotext", "-layout", "-f", "1", "-l", "1", str(pdfs["Bao-cao-tong-ket-2020"]), "-")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "Lào Cai, ngày 05 tháng 01 năm 2021" in text


def test_page_numbers_start_on_page_two(pdfs):
    pdf = str(pdfs["Bao-cao-tong-ket-2020"])
    first = _run("pdftotext", "-f", "1", "-l", "1", pdf, "-").strip().splitlines()
    second = _run("pdftotext", "-f", "2", "-l", "2", pdf, "-").strip().splitlines()
    assert first[0].strip() == "UBND TỈNH LÀO CAI" or not first[0].strip().isdigit()
    assert second[0].strip() == "2"


def test_annex_header_row_repeats_on_every_page(pdfs):
    pdf = str(pdfs["Quyet-dinh-LDTT-2020"])
    for page in (3, 4, 10):
        text = _run("pdftotext", "-layout", "-f", str(page), "-l", str(page), pdf, "-")
        assert "Họ và tên / Tên tập thể" in text, page


def test_page_one_renders_as_an_image(pdfs, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    _run("pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdfs["Quyet-dinh-GK-2020"]), str(tmp_path / "p"))
    png = next(tmp_path.glob("p*.png"))
    assert png.stat().st_size > 5_000


def _pages(pdf) -> list[str]:
    return _run("pdftotext", "-layout", str(pdf), "-").split("\f")


def test_signature_is_never_alone_on_a_page(seed_folder, tmp_path):
    """Whatever the length of the text, the signer's page also carries the closing words ("…./.")."""
    result = totals(read_paths([seed_folder]), 2020)
    docs = []
    for n in range(8):  # each extra line moves the page end by one line: one of them falls on the signer
        lines = "\n".join(f"Nội dung tổ chức thực hiện thứ {i + 1} của các đơn vị trực thuộc trong ngành."
                          for i in range(n))
        (doc,) = render_reports(result, CONFIG, {"to_chuc_thuc_hien": lines}, tmp_path / f"d{n}",
                                kinds=["cong-van-phat-dong"])
        docs.append(doc.rename(tmp_path / f"cong-van-{n:02d}.docx"))
    two_pages = 0
    for pdf in to_pdf(docs, tmp_path / "pdf"):
        pages = _pages(pdf)
        two_pages += len([p for p in pages if p.strip()]) > 1
        signer_page = next(p for p in pages if "Hoàng Quốc Hương" in p)
        assert "./." in signer_page and "GIÁM ĐỐC" in signer_page, pdf.name
    assert two_pages  # the case that matters did occur
