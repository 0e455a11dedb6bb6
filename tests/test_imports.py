"""Commands that read no data start without pandas or Polars (each ribbon click pays its own start)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("pandas", "polars", "numpy", "pyarrow", "fastexcel", "openpyxl", "xlsxwriter", "docxtpl")

_PROBE = """
import json, sys
from thidua_xl.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "heavy": sorted(m for m in %r if m in sys.modules)}))
""" % (HEAVY,)


def _run(*args: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, timeout=120)
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [["--help"], ["email", "--help"], ["validate", "--help"], ["report", "--help"]])
def test_help_imports_no_data_library(args):
    got = _run(*args)
    assert got["code"] in (0, None) and got["heavy"] == []


def test_doctor_imports_no_data_library():
    """`thidua doctor` checks the environment (exit 1 when something must be fixed), reading no data."""
    got = _run("doctor")
    assert got["code"] in (0, 1) and got["heavy"] == []


def test_email_of_a_documents_folder_imports_no_data_library(tmp_path):
    docs = tmp_path / "van-ban"
    docs.mkdir()
    (docs / "Quyet-dinh.docx").write_bytes(b"PK\x03\x04 not really a document, attached as is")
    got = _run("email", "--docs", str(docs), "--to", "tdkt@syt.example.vn", "--draft", str(tmp_path / "nhap"))
    assert got["code"] == 0 and got["heavy"] == []
    assert list((tmp_path / "nhap").glob("*.eml"))


def test_the_file_list_and_header_specs_import_no_data_library():
    code = ("import sys; from thidua_xl.intake import NOMINATION_HEADERS, expand_paths, find_table; "
            "print(sorted(m for m in %r if m in sys.modules))" % (HEAVY,))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120).stdout
    assert out.strip() == "[]"


def test_reading_the_register_needs_no_sqlalchemy(tmp_path):
    """Validation reads the awards register (a SQLite file) with the standard library: SQLAlchemy, which
    writes and serves PostgreSQL, is not imported to read; the frame read is the one the engine reads."""
    import pandas as pd

    from thidua_xl import history, store

    db = tmp_path / "lich-su.sqlite"
    history.add_records(db, pd.DataFrame({
        "ho_ten": ["Nguyễn Thị Hoà", "Trần Văn Bình"], "ngay_sinh": ["1980-02-13", ""], "nam_sinh": [1980, None],
        "don_vi": ["Bệnh viện Phổi", "Bệnh viện Mắt"], "nam": [2022, 2023], "award": ["LDTT", "CSTDCS"],
        "hinh_thuc": ["", ""], "subject": ["ca_nhan", "ca_nhan"], "so_quyet_dinh": ["", ""]}), source="test")
    code = ("import sys, json; from thidua_xl import history; f = history.load_frame(sys.argv[1]); "
            "print(json.dumps({'rows': len(f), 'years': sorted(history.years_in(sys.argv[1], (2010, 2030))), "
            "'count': history.count(sys.argv[1]), 'sqlalchemy': 'sqlalchemy' in sys.modules}))")
    proc = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, timeout=120)
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got == {"rows": 2, "years": [2022, 2023], "count": 2, "sqlalchemy": False}
    from sqlalchemy import text

    with store.engine(db).connect() as con:  # the same records through SQLAlchemy
        engine_frame = pd.read_sql_query(text("SELECT nam_sinh AS birth_year, award FROM award"), con)
    direct = store.read(db, "SELECT nam_sinh AS birth_year, award FROM award")
    pd.testing.assert_frame_equal(direct, engine_frame)
