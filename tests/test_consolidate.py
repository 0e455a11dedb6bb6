"""Consolidation: the totals the Sở signs, checked against the 2020 Lào Cai report (section 4)."""
from __future__ import annotations

import json
import shutil

import python_calamine as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl.cli import main
from thidua_xl.consolidate import consolidate
from thidua_xl.intake import read_paths
from thidua_xl.sample import SEED_2020

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def seed_result(seed_folder):
    intake = read_paths([seed_folder])
    return intake, consolidate(intake.nominations, intake.initiatives, 2020, files=len(intake.files),
                               units=intake.units)


def test_twelve_unit_files_half_of_them_messy_read_without_findings(seed_result):
    intake, _ = seed_result
    assert len(intake.files) == 12 and intake.findings == []
    assert all(f.rows > 0 for f in intake.files) and len(intake.nominations) == sum(f.rows for f in intake.files)


def test_section_4_of_the_2020_report(seed_result):
    _, result = seed_result
    t = result.totals
    assert t["CO_TINH"]["tap_the"] == 1                                    # Cờ thi đua của UBND tỉnh: 01 tập thể
    assert t["TTUT"]["ca_nhan"] == 23                                      # Thầy thuốc ưu tú: 23 cá nhân
    assert t["BK_TTCP"]["ca_nhan"] == 3                                    # Bằng khen của Thủ tướng: 03 cá nhân
    assert t["HCLD3"]["ca_nhan"] == 1                                      # Huân chương Lao động hạng Ba: 01
    assert t["BK_TINH"]["tap_the"] + t["BK_BO"]["tap_the"] == 26           # Bằng khen cấp Tỉnh, Bộ: 26 tập thể
    assert t["BK_TINH"]["ca_nhan"] + t["BK_BO"]["ca_nhan"] == 151          # … 151 cá nhân
    assert t["TTLDXS"]["tap_the"] == 41
    assert t["CSTD_TINH"]["ca_nhan"] == 13
    assert (t["GK"]["tap_the"], t["GK"]["ca_nhan"]) == (19, 339)            # giấy khen: 358 (19 tập thể, 339 cá nhân)
    assert t["TTLDTT"]["tap_the"] == 127
    assert t["CSTDCS"]["ca_nhan"] == 200
    assert t["LDTT"]["ca_nhan"] == 1326


def test_initiatives_line_of_the_2020_report(seed_result):
    _, result = seed_result
    # "193 sáng kiến cơ sở; 28 đề tài cơ sở; 9 sáng kiến cấp tỉnh; 01 Đề tài cấp tỉnh"
    assert result.initiatives == {"sang_kien": {"co_so": 193, "tinh": 9}, "de_tai": {"co_so": 28, "tinh": 1}}


def test_unit_totals_add_up_to_the_province(seed_result, seed_province):
    _, result = seed_result
    by_unit = result.by_unit
    assert len(by_unit) == 12
    for code, subjects in SEED_2020.items():
        for subject, n in subjects.items():
            assert sum(u.get(code, {}).get(subject, 0) for u in by_unit.values()) == n
    expected = seed_province.nominations.groupby("unit").size().to_dict()
    got = {u: sum(v["tap_the"] + v["ca_nhan"] for v in awards.values()) for u, awards in by_unit.items()}
    assert got == expected


def test_every_row_with_a_recognised_award_is_counted_once(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Hình thức đề nghị", "Năm sinh"])
    ws.append(["Hà Văn A", "LĐTT", 1980])
    ws.append(["Hà Văn A", "LĐTT", 1980])  # a duplicate is still a proposal: counted, and flagged by validation
    ws.append(["", "LĐTT", 1981])  # missing name: counted, flagged
    ws.append(["Hà Văn C", "Không rõ", 1982])  # unknown award: not counted
    f = tmp_path / "BVSN.xlsx"
    wb.save(f)
    intake = read_paths([f])
    result = consolidate(intake.nominations, intake.initiatives, 2020, files=1)
    assert result.totals == {"LDTT": {"tap_the": 0, "ca_nhan": 3}}
    assert result.rows == 3


def test_per_award_lists_are_sorted_by_ten_then_ho_dem(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Hình thức đề nghị", "Năm sinh"])
    for name in ["Nguyễn Văn Bình", "Trần Thị An", "Lê Văn An", "Phạm Thị Ánh", "Đỗ Đức Dũng", "Vũ Văn Đạt"]:
        ws.append([name, "LĐTT", 1980])
    f = tmp_path / "BVSN.xlsx"
    wb.save(f)
    intake = read_paths([f])
    lst = consolidate(intake.nominations, intake.initiatives, 2020).lists["LDTT"]
    assert lst["ho_ten"].tolist() == ["Lê Văn An", "Trần Thị An", "Phạm Thị Ánh", "Nguyễn Văn Bình",
                                      "Đỗ Đức Dũng", "Vũ Văn Đạt"]


def test_cli_consolidate_json_gives_exactly_the_seed_totals(seed_folder, tmp_path):
    out = tmp_path / "tong-hop.json"
    xlsx = tmp_path / "tong-hop.xlsx"
    assert main(["consolidate", str(seed_folder), "--year", "2020", "--json", str(out), "--out", str(xlsx)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["year"] == 2020 and data["files"] == 12 and data["rows"] == 2270
    for code, subjects in SEED_2020.items():
        assert data["totals"][code] == subjects
    assert data["initiatives"]["de_tai"]["tinh"] == 1
    assert set(data["by_unit"]) >= {"Bệnh viện Đa khoa tỉnh", "Trung tâm Kiểm soát bệnh tật tỉnh"}


def test_consolidated_workbook_reads_back_with_the_same_totals(seed_folder, tmp_path):
    xlsx = tmp_path / "tong-hop.xlsx"
    assert main(["consolidate", str(seed_folder), "--year", "2020", "--out", str(xlsx)]) == 0
    wb = pc.CalamineWorkbook.from_path(str(xlsx))
    assert wb.sheet_names[0] == "Tổng hợp"
    assert "Lao động tiên tiến" in wb.sheet_names
    rows = wb.get_sheet_by_name("Tổng hợp").to_python()
    total_row = next(r for r in rows if r and r[0] == "Tổng cộng")
    header = next(r for r in rows if "Lao động tiên tiến" in r)
    assert total_row[header.index("Lao động tiên tiến")] == 1326
    ldtt = wb.get_sheet_by_name("Lao động tiên tiến").to_python()
    assert len([r for r in ldtt[3:] if r[0] != ""]) == 1326


def test_same_inputs_give_byte_identical_json(seed_folder, tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    main(["consolidate", str(seed_folder), "--year", "2020", "--json", str(a)])
    main(["consolidate", str(seed_folder), "--year", "2020", "--json", str(b)])
    assert a.read_bytes() == b.read_bytes()


def test_json_does_not_depend_on_the_order_files_are_named(seed_folder, tmp_path):
    files = sorted(seed_folder.glob("*.xlsx"))
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    main(["consolidate", *map(str, files), "--year", "2020", "--json", str(a)])
    main(["consolidate", *map(str, reversed(files)), "--year", "2020", "--json", str(b)])
    ja, jb = json.loads(a.read_text("utf-8")), json.loads(b.read_text("utf-8"))
    assert list(ja["by_unit"]) == list(jb["by_unit"]) and ja["totals"] == jb["totals"]


def test_award_sheet_names_fit_excel_without_trailing_spaces():
    from thidua_xl.export import sheet_name_for

    used: set[str] = set()
    name = sheet_name_for("Cờ thi đua của Ủy ban nhân dân tỉnh", used)
    assert len(name) <= 31 and name == name.strip()
    again = sheet_name_for("Cờ thi đua của Ủy ban nhân dân tỉnh", used)
    assert again != name and len(again) <= 31 and again.endswith("(2)")


@pytest.fixture(scope="module")
def every_award_folder(tmp_path_factory):
    """A province proposing every award of the catalogue: the widest Tổng hợp sheet."""
    from thidua_xl.sample import DEMO_TOTALS, generate, write_unit_files

    folder = tmp_path_factory.mktemp("moi-hinh-thuc")
    write_unit_files(generate(DEMO_TOTALS, year=2025), folder)
    return folder


def test_tong_hop_sheet_is_set_up_for_printing_on_a4(every_award_folder, tmp_path):
    """Units × awards is ~30 columns wide: A4 landscape at a readable scale, page breaks only between
    awards (never between an award's Tập thể and Cá nhân), STT and Đơn vị and the header on every page."""
    import openpyxl

    out = tmp_path / "tong-hop.xlsx"
    assert main(["consolidate", str(every_award_folder), "--year", "2025", "--out", str(out)]) == 0
    ws = openpyxl.load_workbook(out)["Tổng hợp"]
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
    assert 70 <= int(ws.page_setup.scale) <= 100
    assert ws.print_title_rows.replace("$", "") == "4:5" and ws.print_title_cols.replace("$", "") == "A:B"
    breaks = [b.id for b in ws.col_breaks.brk]
    assert len(breaks) == 1  # two pages wide, not ten columns a page nor 4-pt print
    award_starts = {rng.min_col for rng in ws.merged_cells.ranges if rng.min_row == 4 and rng.max_row == 4}
    award_starts |= {c.column for c in ws[4] if c.value and c.column > 2}
    for b in breaks:  # openpyxl's break id is the last column before the break (1-based)
        assert b + 1 in award_starts, f"page break inside an award at column {b + 1}"
    title = next(r for r in ws.merged_cells.ranges if r.min_row == 1)
    assert title.max_col == breaks[0]  # the title is centred on the first page, not across both


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_tong_hop_prints_two_readable_pages(every_award_folder, tmp_path):
    """Printed by LibreOffice (Times New Roman → Liberation Serif, metric-compatible): the Tổng hợp sheet
    takes exactly the planned pages, each with the unit names, and no column spills onto a page of its own."""
    import subprocess

    from thidua_xl.consolidate import consolidate as consolidate_rows
    from thidua_xl.export import write_consolidation

    intake = read_paths([every_award_folder])
    result = consolidate_rows(intake.nominations, intake.initiatives, 2025, files=len(intake.files),
                              units=intake.units)
    result.lists = {}  # only the Tổng hợp sheet in the PDF
    xlsx = write_consolidation(result, tmp_path / "tong-hop.xlsx")
    subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(xlsx)], check=True, timeout=180,
                   capture_output=True)
    pages = subprocess.run(["pdftotext", "-layout", str(tmp_path / "tong-hop.pdf"), "-"], check=True,
                           capture_output=True, text=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) == 2
    assert len(result.totals) == 20  # every award of the catalogue (HCLĐ counted by hạng): 31 count columns
    assert "BẢNG TỔNG HỢP ĐỀ NGHỊ KHEN THƯỞNG NĂM 2025" in pages[0]
    for p in pages:
        assert "Đơn vị" in p and "Tổng cộng" in p and p.count("Tập thể") + p.count("Cá nhân") >= 8
    assert "Lao" in pages[0] and "Cộng" in pages[1]


def _as_polars(df, columns):
    """A pandas frame of intake as the Polars frame the columnar core hands on (null for NaN/None)."""
    import polars as pl

    schema = {c: pl.Int64 if c in ("row", "nam_sinh", "nam") else pl.Date if c == "ngay_sinh" else pl.String
              for c in columns}
    return pl.DataFrame({c: df[c].astype(object).where(df[c].notna(), None).tolist() for c in columns},
                        schema=schema)


def _same(a, b):
    import pandas as pd

    assert a.to_json() == b.to_json() and a.units == b.units and a.rows == b.rows
    pd.testing.assert_frame_equal(a.counts, b.counts, check_exact=True)
    assert list(a.lists) == list(b.lists)
    for code in a.lists:
        pd.testing.assert_frame_equal(a.lists[code], b.lists[code], check_exact=True)


def test_polars_and_pandas_rows_give_the_same_totals_lists_and_counts(seed_result):
    """The core counts Polars frames; the writers read pandas counts and lists with the dtypes of
    intake's pandas frame (text `str`, a column with no text at all object, `row` int64, years Int64)."""
    from thidua_xl.model import INITIATIVE_COLUMNS, NOMINATION_COLUMNS

    intake, from_pandas = seed_result
    from_polars = consolidate(_as_polars(intake.nominations, NOMINATION_COLUMNS),
                              _as_polars(intake.initiatives, INITIATIVE_COLUMNS), 2020, files=len(intake.files),
                              units=_as_polars(intake.units, ["unit_code", "unit", "email", "sheet"]))
    _same(from_pandas, from_polars)
    assert from_polars.totals["LDTT"]["ca_nhan"] == 1326 and from_polars.initiatives == from_pandas.initiatives
    ldtt = from_polars.lists["LDTT"]
    assert ldtt["row"].dtype == "int64" and ldtt["nam_sinh"].dtype == "Int64" and ldtt["ho_ten"].dtype == "str"


def test_rows_missing_a_unit_or_a_name_are_counted_and_listed_alike_from_either_library():
    import datetime as dt

    import pandas as pd

    from thidua_xl.model import NOMINATION_COLUMNS

    rows = [("BVP", "Bệnh viện Phổi", "Trần Thị An", "LDTT", "ca_nhan"),
            (None, None, "Lê Văn An", "LDTT", "ca_nhan"),  # unit not known
            ("BVP", "Bệnh viện Phổi", None, "LDTT", "ca_nhan"),  # name missing: counted, listed first
            ("", "Trạm Y tế xã Bản Vược", "Trạm Y tế xã Bản Vược", "TTLDTT", "tap_the"),
            ("BVP", "Bệnh viện Phổi", "Vũ Văn Đạt", None, "ca_nhan"),  # award not recognised
            ("BVP", "Bệnh viện Phổi", "Trần Thị An", "LDTT", "ca_nhan")]  # the same name again: read order
    df = pd.DataFrame([dict(zip(NOMINATION_COLUMNS, [None] * len(NOMINATION_COLUMNS)),
                            unit_code=c, unit=u, ho_ten=n, award=a, subject=s, file="x.xlsx", row=5 + i,
                            ngay_sinh=dt.date(1980, 1, 1), nam_sinh=1980)
                       for i, (c, u, n, a, s) in enumerate(rows)], columns=NOMINATION_COLUMNS)
    df = df.astype({c: "str" for c in ("file", "unit_code", "unit", "ho_ten", "award", "subject")})
    df = df.astype({"row": "int64", "nam_sinh": "Int64"})
    a = consolidate(df, None, 2020)
    b = consolidate(_as_polars(df, NOMINATION_COLUMNS), None, 2020)
    assert a.to_json() == b.to_json() and a.rows == b.rows == 5
    assert a.totals == {"LDTT": {"tap_the": 0, "ca_nhan": 4}, "TTLDTT": {"tap_the": 1, "ca_nhan": 0}}
    pd.testing.assert_frame_equal(a.counts, b.counts, check_exact=True)
    for code in a.lists:
        pd.testing.assert_frame_equal(a.lists[code], b.lists[code], check_exact=True)
    assert a.lists["LDTT"]["row"].tolist() == [7, 6, 5, 10]  # no name; An: Lê, then Trần (Phổi, as read)


_WORDS = ["Nguyễn", "Nguyê\u0303n", "Văn", "Thị", "An", "Ánh", "Anh", "Đạt", "Dũng", "Bình", "bình", "Ơn", "Ôn"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(_WORDS), min_size=0, max_size=4),
                          st.sampled_from(["", " ", "  ", "\u00a0"]), st.booleans(),
                          st.sampled_from(["Bệnh viện Mắt", "Bệnh viện Phổi", None])), min_size=1, max_size=30))
def test_a_list_is_in_vietnamese_name_order_whatever_the_spacing_and_normalisation(rows):
    """Collectives by name first, then people by tên then họ đệm (text.name_sort_key), ties by unit then
    the order read — the order each distinct name's key gives, however the name was typed."""
    import polars as pl

    from thidua_xl.model import NOMINATION_COLUMNS
    from thidua_xl.text import name_sort_key, sort_key

    names = [pad + " ".join(words) + pad for words, pad, _c, _u in rows]
    data = {c: [None] * len(rows) for c in NOMINATION_COLUMNS}
    data.update(ho_ten=names, award=["BK_TINH"] * len(rows), row=list(range(len(rows))),
                subject=["tap_the" if c else "ca_nhan" for _w, _p, c, _u in rows], unit=[u for *_x, u in rows])
    schema = {c: pl.Int64 if c in ("row", "nam_sinh") else pl.Date if c == "ngay_sinh" else pl.String
              for c in NOMINATION_COLUMNS}
    got = consolidate(pl.DataFrame(data, schema=schema), None, 2020).lists["BK_TINH"]["row"].tolist()

    def key(i):
        name, collective = names[i], rows[i][2]
        return (0, sort_key(name)) if collective else (1, name_sort_key(name)), rows[i][3] or "", i

    assert got == sorted(range(len(rows)), key=key)


def test_the_lists_are_ordered_only_when_a_writer_reads_them(seed_result, monkeypatch):
    """Totals and the JSON need no Vietnamese name order (the collation of every distinct name): it is made
    when the lists are first read, once, and gives the lists it always gave."""
    import pandas as pd

    from thidua_xl import consolidate as module
    from thidua_xl.model import NOMINATION_COLUMNS

    intake, from_pandas = seed_result
    calls = []
    real = module._list_order
    monkeypatch.setattr(module, "_list_order", lambda *a: calls.append(1) or real(*a))
    result = consolidate(_as_polars(intake.nominations, NOMINATION_COLUMNS), None, 2020, units=intake.units)
    assert result.to_json()["totals"] == from_pandas.to_json()["totals"] and calls == []
    lists = result.lists
    assert calls == [1] and result.lists is lists and list(lists) == list(from_pandas.lists)
    for code in lists:
        pd.testing.assert_frame_equal(lists[code], from_pandas.lists[code], check_exact=True)
