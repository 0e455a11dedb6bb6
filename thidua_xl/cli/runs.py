"""The year's two core commands, `consolidate` and `validate`, as plain functions that print and give the exit
code: the Typer commands (year.py) run them, and so does a plain run of either (plain.py), without typer."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

from ..errors import UserError
from .screen import Column, print_table
from .common import (_audit, _audit_begun, _nothing, _print_bad_files, _refuse_overwrites, _working, console,
                     exit_code_for, read, read_masters, wrote_into)


def consolidate(paths: List[Path], year: Optional[int] = None, json_out: Optional[Path] = None,
                out: Optional[Path] = None, into: Optional[Path] = None) -> int:
    """`thidua consolidate`: the totals by award × collective/individual × unit, printed and written."""
    from .. import pipeline
    from ..catalog import load_catalog
    from ..consolidate import summary_rows
    from ..pipeline.outputs import write_totals

    # the columns a unit's table is expected to have (the JSON `sources` lists every missing one)
    expected = ("Ngày sinh", "Giới tính", "Chức vụ", "Khoa, phòng")

    _refuse_overwrites(paths, year, into=into, json_out=json_out, out=out)
    year_result = read(paths, year)
    intake, y = year_result.intake, year_result.year
    with _working("Đang tổng hợp…"):
        year_result = pipeline.consolidate(year_result)
    result = year_result.consolidation
    _print_bad_files(intake)
    print_table(console, f"Tổng hợp đề nghị khen thưởng năm {y}",
                [Column("Hình thức"), Column("Tập thể", justify="right"), Column("Cá nhân", justify="right")],
                [(r["name"], str(r["tap_the"]), str(r["ca_nhan"])) for r in summary_rows(result, load_catalog())])
    src = pipeline.sources(intake)
    files_rows = []
    for s_ in src:
        missing = [h for h in expected if any(h in sh["missing"] for sh in s_["sheets"])]
        files_rows.append((s_["file"], s_["unit"] or "—", s_["unit_source"] or ("tệp tổng hợp" if s_["kind"] == "master" else "—"),
                           str(s_["rows"]) if s_["ok"] else "lỗi", ", ".join(missing)))
    print_table(console, "Tệp đã đọc", [Column(c, overflow="fold") for c in (
        "Tệp", "Đơn vị", "Nhận biết đơn vị qua", "Số dòng", "Cột không có trong tệp")], files_rows)
    if result.initiatives:
        from ..schema import INITIATIVE_KIND_LABEL as names, INITIATIVE_LEVEL_PHRASE as lv

        parts = [f"{n} {names[k]} {lv[c]}" for k, d in result.initiatives.items() for c, n in d.items()]
        console.print("Sáng kiến, đề tài: " + "; ".join(parts))
    with _working(f"Đang ghi {(out or into).name}…") if (out or into) else _nothing():
        written = write_totals(year_result, json_out=json_out, out=out, into=into)
    for kind in ("json", "xlsx"):
        if kind in written:
            console.print(f"Đã ghi {written[kind]}")
    if "into" in written:
        wrote_into(written["into"], written["backup"])
    outputs = [written[k] for k in ("json", "xlsx", "into") if k in written]
    code = exit_code_for(intake)
    _audit("consolidate", paths, outputs, {"rows": result.rows, "bad_files": len(intake.bad_files)}, code,
           timings=year_result.timings, masters=read_masters(intake))
    return code


def validate(paths: List[Path], year: Optional[int] = None, history: Optional[Path] = None,
             json_out: Optional[Path] = None, rules: Optional[Path] = None, out: Optional[Path] = None,
             into: Optional[Path] = None) -> int:
    """`thidua validate`: every row checked against the rules and the register, the findings printed and written."""
    from .. import pipeline
    from ..model import ERROR, WARNING, code_label
    from ..pipeline.outputs import findings_writer, write_findings
    from ..text import printable
    from ..threads import Beside
    from ..perf import spared_by_collector
    from ..validate import unverified_note

    if rules is not None and not rules.is_file():
        raise UserError(f"Không tìm thấy tệp quy định “{rules}”.")
    if history is not None and not history.is_file():
        raise UserError(f"Không tìm thấy sổ lịch sử “{history}”.")
    _refuse_overwrites([*paths, rules, history], year, into=into, json_out=json_out, out=out)
    year_result = read(paths, year)
    # validation to the findings written: the reading's objects and the findings spared the collector's walks
    with spared_by_collector():
        result = pipeline.validate(year_result, history=history, rules=rules)
        intake, y, findings = result.intake, result.year, result.findings
        # the findings JSON alone is written while the tables print: its pieces laid out first (Python, the GIL
        # held), then Polars' join and the write (which let go of it) beside the tables; a workbook asked for is
        # written after, as before
        writing = Beside(findings_writer(result, json_out)) if json_out and not (out or into) else None
        import operator
        from collections import Counter

        # counted column by column: a run can have tens of thousands of findings
        by_code = Counter(zip(map(operator.attrgetter("code"), findings),
                              map(operator.attrgetter("severity"), findings)))
        if by_code:
            print_table(console, "Tóm tắt theo mã", [Column("Mã"), Column("Mức"), Column("Số lượng")], [
                (code_label(c), "Lỗi" if s == ERROR else "Cảnh báo" if s == WARNING else "Ghi chú", str(n))
                for (c, s), n in sorted(by_code.items(),
                                        key=lambda kv: ({"error": 0, "warning": 1}.get(kv[0][1], 2), kv[0][0]))])
        counts = {ERROR: sum(n for (_c, s), n in by_code.items() if s == ERROR),
                  WARNING: sum(n for (_c, s), n in by_code.items() if s == WARNING)}
        print_table(console, f"Kết quả kiểm tra năm {y}: {counts[ERROR]} lỗi, {counts[WARNING]} cảnh báo",
                    [Column(c, overflow="fold") for c in ("Mức", "Mã", "Vị trí", "Nội dung")],
                    [("Lỗi" if f.severity == ERROR else "Cảnh báo" if f.severity == WARNING else "Ghi chú",
                      code_label(f.code), printable(f.where), printable(f.message)) for f in findings[:200]])
        if len(findings) > 200:
            console.print(f"… và {len(findings) - 200} phát hiện khác (xem tệp JSON).")
        note = unverified_note(findings)
        if note:
            console.print(f"({note})")
        outputs = [p for p in (json_out, out, into) if p]
        # the audit line's inputs while the JSON (no input) is written; a workbook written into the master first
        logging = _audit_begun("validate", paths, outputs, masters=read_masters(intake)) if writing else None
        written = writing.result() if writing else write_findings(result, json_out=json_out, out=out, into=into)
    for kind in ("json", "xlsx"):
        if kind in written:
            console.print(f"Đã ghi {written[kind]}")
    if "into" in written:
        wrote_into(written["into"], written["backup"])
    code = exit_code_for(intake, counts[ERROR])
    if logging is None:
        logging = _audit_begun("validate", paths, outputs, masters=read_masters(intake))
    logging(counts, code, timings=result.timings)
    return code
