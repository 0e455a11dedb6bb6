"""A master's unit sheets made from one or two templates are stacked whole, one frame per layout, and their
kept rows taken by one gather: the same columns, texts and dates of birth, in the same order, as each
sheet's rows taken one by one — whatever the mix of layouts (columns moved, one more or one fewer, an
empty column before the table, a title above it, a column fastexcel typed as empty, a second table)."""
from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from thidua_xl.catalog import load_catalog
from thidua_xl.intake import frames
from thidua_xl.intake.arrow import ArrowSheet
from thidua_xl.intake.cells import Below, reading_memos
from thidua_xl.intake.frames import _bulk_by_sheet, _stacked_bulk, build_nominations
from thidua_xl.intake.rows import locate_table, nomination_columns

LAYOUTS = [
    ["STT", "Họ và tên", "Ngày sinh", "Hình thức đề nghị", "Chức vụ", "Ghi chú"],
    ["STT", "Họ và tên", "Ngày sinh", "Hình thức đề nghị", "Chức vụ", "Ghi chú", "Khoa, phòng"],
    ["STT", "Họ và tên", "Hình thức đề nghị", "Ngày sinh", "Ghi chú", "Chức vụ"],
    ["STT", "Họ và tên", "Ngày sinh", "Hình thức đề nghị"],
]
ROW = st.fixed_dictionaries({
    "Họ và tên": st.sampled_from(["Nguyễn Văn An", "Trần  Thị Bích", "Lò Văn Sáng", "", "Tổng cộng", "Nguyễn Văn A",
                                  "I. Tập thể"]),
    "Ngày sinh": st.sampled_from(["1980-02-13 00:00:00", "13/02/1985", "1979", "", None]),
    "Hình thức đề nghị": st.sampled_from(["LĐTT", "CSTĐCS", "Tập thể lao động tiên tiến", "", None]),
    "Chức vụ": st.sampled_from(["Bác  sĩ", None, "true"]),
    "Ghi chú": st.sampled_from([None, "ghi chú"]),
    "Khoa, phòng": st.sampled_from(["Khoa Nội", None]),
})
SHEET = st.fixed_dictionaries({
    "layout": st.sampled_from(range(len(LAYOUTS))), "rows": st.lists(ROW, min_size=1, max_size=6),
    "title": st.booleans(), "offset": st.sampled_from([0, 1]), "empty_notes": st.booleans(),
    "second": st.lists(ROW, max_size=3),  # a second table below the first, with its own header
})


def _sheet(spec: dict, k: int) -> list[dict]:
    """The sheet's tables read as read_file reads them (a second table from where the first one stopped)."""
    header = LAYOUTS[spec["layout"]]
    table = ([[f"Đơn vị: Khoa {k}"] + [None] * (len(header) - 1)] if spec["title"] else []) + [header]
    table += [[str(i + 1) if c == "STT" else r.get(c) for c in header] for i, r in enumerate(spec["rows"])]
    if spec["second"]:
        table += [header] + [[str(i + 1) if c == "STT" else r.get(c) for c in header]
                             for i, r in enumerate(spec["second"])]
    columns = {}
    for j, name in enumerate(header):
        values = [r[j] for r in table]
        empty = spec["empty_notes"] and name == "Ghi chú"
        columns[f"__UNNAMED__{j + spec['offset']}"] = pl.Series([None] * len(values) if empty else values,
                                                               dtype=pl.Null if empty else pl.String)
    sheet = ArrowSheet(pl.DataFrame(columns), spec["offset"])
    out = []
    found = locate_table(sheet)
    seen = set()
    while found is not None and found.header_idx not in seen:
        seen.add(found.header_idx)
        data = nomination_columns(sheet, found, file=f"DV{k}.xlsx", path=f"/DV{k}.xlsx", sheet=f"Đơn vị {k}",
                                  unit_code=f"DV{k}", unit=f"Đơn vị {k}")
        if data["frame"].height:
            out.append(data)
        nxt = data["_next_header"]
        found = locate_table(sheet, start=nxt, scan=3) if nxt is not None else None
    return out


@settings(max_examples=120, deadline=None)
@given(st.lists(SHEET, min_size=2, max_size=7))
def test_sheets_of_mixed_layouts_stacked_whole_are_the_sheets_taken_one_by_one(specs):
    with reading_memos():
        noms = [d for k, spec in enumerate(specs) for d in _sheet(spec, k)]
        if len(noms) < 2:
            return
        assert all(d["bulk"].__class__ is Below for d in noms)
        sheet_of = pl.Series([k for k, d in enumerate(noms) for _ in range(d["frame"].height)], dtype=pl.UInt32)
        stacked = _stacked_bulk(noms, sheet_of)
        one_by_one = _bulk_by_sheet(noms)
        assert_frame_equal(stacked, one_by_one)
        original = frames._from_frames
        frames._from_frames = lambda *a: None  # every sheet's slices concatenated, as before the layouts
        try:
            assert_frame_equal(_stacked_bulk(noms, sheet_of), stacked)
        finally:
            frames._from_frames = original
        built = build_nominations(noms, load_catalog())
    assert built.height >= sum(d["frame"].height for d in noms)


def test_a_master_of_two_templates_is_stacked_one_frame_per_template():
    one = {"layout": 0, "title": True, "offset": 0, "empty_notes": False, "second": [],
           "rows": [{"Họ và tên": "Nguyễn Văn An", "Ngày sinh": "1980-02-13 00:00:00", "Hình thức đề nghị": "LĐTT",
                     "Chức vụ": "Bác sĩ", "Ghi chú": None, "Khoa, phòng": None}]}
    two = dict(one, layout=1, rows=[dict(one["rows"][0], **{"Họ và tên": "Lò Văn Sáng", "Khoa, phòng": "Khoa Nội"})])
    with reading_memos():
        noms = [d for k, spec in enumerate([one, two, one]) for d in _sheet(spec, k)]
        built = build_nominations(noms, load_catalog())
    assert built.get_column("ho_ten").to_list() == ["Nguyễn Văn An", "Lò Văn Sáng", "Nguyễn Văn An"]
    assert built.get_column("khoa_phong").to_list() == ["", "Khoa Nội", ""]
    assert built.get_column("ngay_sinh_raw").to_list() == ["1980-02-13", "1980-02-13", "1980-02-13"]
