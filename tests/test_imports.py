"""Commands that read no data start without pandas or Polars (each ribbon click pays its own start)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("pandas", "polars", "numpy", "pyarrow", "fastexcel", "openpyxl", "xlsxwriter", "docxtpl",
         "rich.progress",  # the progress bar's machinery: only for a terminal
         "rich.console")  # rich's console: only for a terminal (cli.out writes plain text itself)

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


def test_validating_against_a_register_with_disciplines_needs_no_sqlalchemy(tmp_path):
    """`validate --history` reads the register's awards and disciplines with the standard library, and a
    person under discipline in the award year is still refused; a register file older than the discipline
    table gets it through the engine, as before, and changes nothing."""
    import sqlite3

    from validate_helpers import FIRST_ROW, HEADERS, person, write_table, write_unit

    from thidua_xl import discipline, history

    unit = "Bệnh viện A"
    db = tmp_path / "thidua-history.sqlite"
    history.import_file(db, write_table(tmp_path / "lich-su.xlsx", ["Họ và tên", "Ngày sinh", "Đơn vị", "Năm",
                                                                    "Hình thức"],
                                        [["Người Khác", "1970", unit, 2024, "LĐTT"]]))
    discipline.import_file(db, write_table(
        tmp_path / "ky-luat.xlsx", ["Họ và tên", "Ngày sinh", "Đơn vị", "Hình thức kỷ luật", "Từ ngày", "Đến ngày",
                                    "Số quyết định"],
        [["Lê Văn Bình", "13/02/1980", unit, "Cảnh cáo", "01/06/2024", "31/05/2025", "15/QĐ-BV"]], sheet="Kỷ luật"))
    f = write_unit(tmp_path / "BV.xlsx", unit, [person("Nguyễn Văn An", "LĐTT"), person("Lê Văn Bình", "LĐTT")],
                   year=2025, headers=HEADERS)
    code = ("import sys, json; from thidua_xl.intake import read_paths; from thidua_xl.validate import validate; "
            "found = validate(read_paths([sys.argv[1]]), 2025, history=sys.argv[2]); "
            "print(json.dumps({'hits': [f.row for f in found if f.rule == 'B.KY_LUAT.TRONG_NAM'], "
            "'sqlalchemy': 'sqlalchemy' in sys.modules}))")

    def run(register):
        proc = subprocess.run([sys.executable, "-c", code, str(f), str(register)], capture_output=True, text=True,
                              timeout=120)
        return json.loads(proc.stdout.strip().splitlines()[-1])

    assert run(db) == {"hits": [FIRST_ROW + 1], "sqlalchemy": False}
    with sqlite3.connect(db) as con:  # a register written before disciplines were kept
        con.execute("DROP TABLE discipline")
    assert run(db) == {"hits": [], "sqlalchemy": True}
    with sqlite3.connect(db) as con:  # the engine completed it, as it always did
        assert con.execute("SELECT COUNT(*) FROM discipline").fetchone() == (0,)


_CONSOLIDATE_POLARS = """
import datetime as dt, json, sys
import polars as pl
from thidua_xl.consolidate import consolidate
from thidua_xl.model import INITIATIVE_COLUMNS, NOMINATION_COLUMNS

people = [("BVP", "Bệnh viện Phổi", "Nguyễn Văn Bình", "LDTT", "ca_nhan"),
          ("BVP", "Bệnh viện Phổi", "Trần Thị An", "LDTT", "ca_nhan"),
          ("BVM", "Bệnh viện Mắt", "Lê Văn An", "LDTT", "ca_nhan"),
          ("BVM", "Bệnh viện Mắt", "Phạm Thị Ánh", "CSTDCS", "ca_nhan"),
          ("BVM", "Bệnh viện Mắt", "Khoa Khám bệnh", "TTLDTT", "tap_the"),
          ("BVM", "Bệnh viện Mắt", "Đỗ Đức Dũng", None, None)]  # an award not recognised: not counted
text = {c: [None] * len(people) for c in NOMINATION_COLUMNS}
for i, (code, unit, name, award, subject) in enumerate(people):
    for c, v in (("unit_code", code), ("unit", unit), ("ho_ten", name), ("award", award), ("subject", subject),
                 ("file", code + ".xlsx"), ("sheet", "Cá nhân")):
        text[c][i] = v
text["row"] = list(range(5, 5 + len(people)))
text["ngay_sinh"] = [dt.date(1980, 2, 13)] * len(people)
text["nam_sinh"] = [1980] * len(people)
schema = {c: pl.Int64 if c in ("row", "nam_sinh") else pl.Date if c == "ngay_sinh" else pl.String
          for c in NOMINATION_COLUMNS}
nominations = pl.DataFrame(text, schema=schema)
initiatives = pl.DataFrame({"file": ["BVP.xlsx"] * 3, "sheet": ["Sáng kiến"] * 3, "row": [3, 4, 5],
                            "unit_code": ["BVP"] * 3, "unit": ["Bệnh viện Phổi"] * 3, "ten": ["a", "b", "c"],
                            "loai": ["sang_kien", "sang_kien", "de_tai"], "cap": ["co_so", "co_so", "tinh"],
                            "tac_gia": ["x", "y", "z"], "nam": [2024, None, 2023]},
                           schema={c: pl.Int64 if c in ("row", "nam") else pl.String for c in INITIATIVE_COLUMNS})
units = pl.DataFrame({"unit_code": ["BVP"], "unit": ["Bệnh viện Phổi"], "email": [""], "sheet": [""]})
result = consolidate(nominations, initiatives, 2024, files=2, units=units)
got = {"json": result.to_json(), "units": result.units, "total": result.total("LDTT"),
       "pandas": "pandas" in sys.modules}
got["lists"] = {k: v["ho_ten"].tolist() for k, v in result.lists.items()}  # the writers' view: pandas now
got["pandas_after_lists"] = "pandas" in sys.modules
print(json.dumps(got, ensure_ascii=False))
"""


def test_consolidating_polars_frames_imports_no_pandas():
    """`thidua consolidate` counts and sorts on Polars: the totals, units and JSON without pandas, which
    loads only when a writer reads the lists."""
    proc = subprocess.run([sys.executable, "-c", _CONSOLIDATE_POLARS], capture_output=True, text=True, timeout=120)
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["pandas"] is False and got["pandas_after_lists"] is True
    ldtt, cstdcs, ttldtt = {"tap_the": 0, "ca_nhan": 3}, {"tap_the": 0, "ca_nhan": 1}, {"tap_the": 1, "ca_nhan": 0}
    assert got["json"] == {
        "year": 2024, "rows": 5, "files": 2,  # the row whose award was not recognised is not counted
        "totals": {"LDTT": ldtt, "CSTDCS": cstdcs, "TTLDTT": ttldtt},
        "by_unit": {"Bệnh viện Phổi": {"LDTT": {"tap_the": 0, "ca_nhan": 2}},
                    "Bệnh viện Mắt": {"LDTT": {"tap_the": 0, "ca_nhan": 1}, "CSTDCS": cstdcs, "TTLDTT": ttldtt}},
        "initiatives": {"sang_kien": {"co_so": 2}}}  # this year's and the undated; 2023's đề tài left out
    assert list(got["json"]["totals"]) == ["LDTT", "CSTDCS", "TTLDTT"] and got["total"] == 3
    assert got["units"] == [["BVP", "Bệnh viện Phổi"], ["BVM", "Bệnh viện Mắt"]]  # the master's first
    assert got["lists"] == {"LDTT": ["Lê Văn An", "Trần Thị An", "Nguyễn Văn Bình"],  # by tên, then họ đệm
                            "CSTDCS": ["Phạm Thị Ánh"], "TTLDTT": ["Khoa Khám bệnh"]}


def test_consolidating_the_units_files_imports_no_pandas(seed_folder, tmp_path):
    """`thidua consolidate` reads with fastexcel into Polars and adds up on Polars: pandas (the writers')
    is never imported, and the totals are the ones the pandas views give."""
    out = tmp_path / "tong-hop.json"
    got = _run("consolidate", str(seed_folder), "--json", str(out))
    assert got["code"] in (0, 1)
    assert "pandas" not in got["heavy"] and {"polars", "fastexcel"} <= set(got["heavy"])
    assert "rich.progress" not in got["heavy"]  # output to a pipe: no bar drawn, its machinery not loaded
    assert "rich.console" not in got["heavy"]  # nor rich's console: the tables and lines are plain text
    from thidua_xl.consolidate import consolidate
    from thidua_xl.intake import read_paths

    intake = read_paths([seed_folder])
    data = json.loads(out.read_text(encoding="utf-8"))
    via_pandas = consolidate(intake.nominations, intake.initiatives, data["year"], files=len(intake.files),
                             units=intake.units).to_json()
    assert data["totals"] == via_pandas["totals"] and data["by_unit"] == via_pandas["by_unit"]
    assert data["rows"] == via_pandas["rows"] > 0


def test_validating_the_units_files_against_a_register_imports_no_pandas(seed_folder, tmp_path):
    """`thidua validate --history` reads with fastexcel, checks every rule on Polars frames and reads the
    register from the cursor: pandas is never imported, and the findings are those of a run whose intake
    was handed over as pandas views (the way the Excel adapter and the writers hold it)."""
    from validate_helpers import write_table

    from thidua_xl import history

    db = tmp_path / "lich-su.sqlite"
    history.import_file(db, write_table(tmp_path / "cu.xlsx", ["Họ và tên", "Ngày sinh", "Đơn vị", "Năm", "Hình thức"],
                                        [["Nguyễn Văn An", "1980", "Bệnh viện A", 2023, "CSTĐCS"]]))
    out = tmp_path / "kiem-tra.json"
    got = _run("validate", str(seed_folder), "--history", str(db), "--json", str(out))
    assert got["code"] in (0, 1)
    assert "pandas" not in got["heavy"] and {"polars", "fastexcel"} <= set(got["heavy"])
    assert "rich.console" not in got["heavy"]  # its findings' table printed to a pipe as plain text
    from thidua_xl.intake import read_paths
    from thidua_xl.validate import validate

    data = json.loads(out.read_text(encoding="utf-8"))
    intake = read_paths([seed_folder])
    intake.nominations = intake.nominations.copy()  # the view is the truth now: the frame is rebuilt from it
    via_pandas = [f.to_dict() for f in validate(intake, data["year"], history=db)]
    assert data["findings"] == json.loads(json.dumps(via_pandas, ensure_ascii=False)) and len(via_pandas) > 10


def test_converting_tcvn3_cells_imports_no_pandas(tmp_path):
    """Old TCVN3 cells are converted on the Polars frame, each distinct text once: the converted row is
    read again (its award recognised, its person key redone) and nothing imports pandas."""
    from validate_helpers import person, write_unit

    f = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [person("NguyÔn V¨n B×nh", "Lao ®éng tiªn tiÕn"),
                                                         person("Lê Văn Cường", "Giấy khen")])
    code = ("import sys, json; from thidua_xl.intake import read_paths; from thidua_xl.validate import validate; "
            "intake = read_paths([sys.argv[1]]); found = validate(intake, 2020, history=False); "
            "row = intake.frame.row(0, named=True); "
            "print(json.dumps({'legacy': sorted(f.column for f in found if f.code == 'LEGACY_ENCODING'), "
            "'unknown': [f.row for f in found if f.code == 'UNKNOWN_AWARD'], "
            "'row': [row['ho_ten'], row['award'], row['person_key']], 'pandas': 'pandas' in sys.modules}, "
            "ensure_ascii=False))")
    proc = subprocess.run([sys.executable, "-c", code, str(f)], capture_output=True, text=True, timeout=120)
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    from thidua_xl.text import name_key

    assert got == {"legacy": ["Hình thức đề nghị", "Họ và tên"], "unknown": [],
                   "row": ["Nguyễn Văn Bình", "LDTT", f"{name_key('Nguyễn Văn Bình')}|1980"], "pandas": False}


_PROBE_PYDANTIC = """
import json, sys
from thidua_xl.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "pydantic": "pydantic" in sys.modules}))
"""


@pytest.mark.parametrize("args", [["--help"], ["doctor"], ["validate", "-h"], ["history", "--help"]])
def test_commands_convert_their_options_without_pydantic(args):
    """typer converts options through pydantic (~0.25 s to import); the command line converts its plain values
    itself, so starting a command does not import it."""
    proc = subprocess.run([sys.executable, "-c", _PROBE_PYDANTIC, *args], capture_output=True, text=True, timeout=120)
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["code"] in (0, 1, None) and got["pydantic"] is False


def test_the_entry_point_starts_without_the_reading_machinery():
    """`thidua` enters through __main__, which hands a reading command's paths to intake.early first: that
    register must cost nothing to a command that reads no workbook (each ribbon click pays its own start)."""
    code = "import sys; import thidua_xl.intake.early; print(sorted(m for m in ('concurrent.futures', 'polars', " \
           "'thidua_xl.intake.files', 'thidua_xl.safety') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120).stdout
    assert out.strip() == "[]"


_CHILD_CHECKED = """
import json, sys
sys.argv = ["thidua"] + sys.argv[1:]
from thidua_xl.__main__ import run
code = run()
print(json.dumps({"code": code, "scan": "thidua_xl.scan" in sys.modules,
                  "loaded": sorted(m for m in ("thidua_xl.safety", "defusedxml") if m in sys.modules)}))
"""


def test_files_a_child_process_checked_are_read_without_the_scanning_code(seed_folder, tmp_path):
    """Sixteen files or more are pre-checked by a child process (intake.checker): the command's own process
    reads its answers and the limits (`thidua_xl.scan`) without importing the scan itself or its XML parser."""
    import shutil

    folder = tmp_path / "don-vi"
    folder.mkdir()
    units = sorted(seed_folder.glob("*.xlsx"))
    for k in range(18):  # the seed's unit files, some twice under another name
        shutil.copy(units[k % len(units)], folder / f"{k:02d}-{units[k % len(units)].name}")
    proc = subprocess.run([sys.executable, "-c", _CHILD_CHECKED, "consolidate", str(folder), "--year", "2024",
                           "--json", str(tmp_path / "tong-hop.json")], capture_output=True, text=True, timeout=300)
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["code"] in (0, 1) and got["scan"]
    assert got["loaded"] == [], got


_CLEAN_FILE = """
import json, sys
sys.argv = ["thidua"] + sys.argv[1:]
from thidua_xl.__main__ import run
code = run()
print(json.dumps({"code": code, "loaded": sorted(m for m in ("thidua_xl.cellcheck", "difflib", "pickle") if m in sys.modules)}))
"""


def test_a_clean_file_is_validated_without_the_cell_checks_or_the_suggestions(tmp_path):
    """A unit file with no error cell and no over-long text, whose award texts all name an award exactly: no
    finding about cells to make (cellcheck is not imported), nothing to suggest (nor is difflib), and no child
    process checked it (nor is pickle, its answers' format)."""
    from validate_helpers import write_table

    path = write_table(tmp_path / "don-vi.xlsx", ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Hình thức đề nghị"],
                       [[1, "Nguyễn Văn An", "12/03/1980", "Nam", "Lao động tiên tiến"],
                        [2, "Trần Thị Bình", "05/11/1985", "Nữ", "Chiến sĩ thi đua cơ sở"]], sheet="Danh sách")
    proc = subprocess.run([sys.executable, "-c", _CLEAN_FILE, "validate", str(path), "--year", "2024"],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["code"] in (0, 1) and got["loaded"] == [], got
