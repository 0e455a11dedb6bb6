"""A reading that mixes both readers (an .xlsx unit file beside an .xls or .ods one, read with
python-calamine): every sheet's kept rows cleaned by its own reader's rules, in reading order."""
import datetime as dt

import polars as pl
from polars.testing import assert_frame_equal

from thidua_xl.catalog import load_catalog
from thidua_xl.intake.arrow import ArrowSheet
from thidua_xl.intake.cells import reading_memos
from thidua_xl.intake.frames import build_nominations
from thidua_xl.intake.rows import locate_table, nomination_columns

ROWS = [["Họ và tên", "Ngày sinh", "Chức vụ", "Hình thức đề nghị", "Ghi chú"],
        ["Nguyễn  Văn Anh", "13/02/1980", " Bác  sĩ", "Giấy khen", "true"],
        ["Trần Thị Bích", dt.date(1985, 2, 1), "Dược sĩ", "Giấy khen", None]]


def _arrow(rows):
    def text(v):
        return None if v is None else f"{v.isoformat()} 00:00:00" if isinstance(v, dt.date) else str(v)
    return ArrowSheet(pl.DataFrame({f"c{j}": [text(r[j]) for r in rows] for j in range(len(rows[0]))},
                                   schema={f"c{j}": pl.String for j in range(len(rows[0]))}))


def _sheet(rows, name):
    return nomination_columns(rows, locate_table(rows), file=f"{name}.x", path=f"/{name}.x", sheet="DS",
                              unit_code=name, unit=name)


def test_sheets_of_both_readers_in_one_frame_each_cleaned_by_its_own_rules():
    cat = load_catalog()
    with reading_memos():
        lists, arrow = _sheet(ROWS, "A"), _sheet(_arrow(ROWS), "B")
        both = build_nominations([lists, _sheet(_arrow(ROWS), "B2"), _sheet(ROWS, "A2")], cat)
        alone = [build_nominations([d], cat) for d in (_sheet(ROWS, "A"), _sheet(_arrow(ROWS), "B"))]
    assert both.get_column("unit").to_list() == ["A", "A", "B2", "B2", "A2", "A2"]
    assert both.get_column("chuc_vu").to_list() == ["Bác sĩ", "Dược sĩ"] * 3
    # a text cell "true" (python-calamine) stays text; fastexcel's "true" is a bool cell's
    assert both.get_column("ghi_chu").to_list() == ["true", "", "True", "", "true", ""]
    assert both.get_column("ngay_sinh").to_list() == [dt.date(1980, 2, 13), dt.date(1985, 2, 1)] * 3
    cols = [c for c in both.columns if c not in ("file", "path", "unit", "unit_code", "ghi_chu")]
    assert_frame_equal(alone[0].select(cols), alone[1].select(cols))
