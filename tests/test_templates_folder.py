"""The staff-editable templates/ folder holds exactly the templates the installed tool uses."""
from pathlib import Path

import thidua_xl

ROOT = Path(__file__).resolve().parents[1]
PKG = Path(thidua_xl.__file__).resolve().parent


def test_word_templates_in_templates_folder_match_the_packaged_ones():
    packaged = sorted((PKG / "documents" / "templates").glob("*.docx"))
    assert len(packaged) == 5
    for p in packaged:
        assert (ROOT / "templates" / p.name).read_bytes() == p.read_bytes(), p.name


def test_email_templates_in_templates_folder_match_the_packaged_ones():
    packaged = sorted((PKG / "data" / "email").glob("*.j2"))
    assert packaged
    for p in packaged:
        assert (ROOT / "templates" / "email" / p.name).read_text("utf-8") == p.read_text("utf-8"), p.name


def test_report_renders_from_the_templates_folder(tmp_path, seed_folder):
    from thidua_xl.cli import main

    out = tmp_path / "van-ban"
    code = main(["report", str(seed_folder), "--year", "2020", "--out", str(out), "--kind", "bao-cao-tong-ket",
                 "--templates", str(ROOT / "templates")])
    assert code in (0, 1)
    assert list(out.glob("Bao-cao-tong-ket-*.docx"))
