"""The year's core commands: `validate`, `consolidate`, `report` — each one pipeline run, printed."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..errors import UserError
from .screen import Column, print_table
from .common import (_audit, _nothing, _print_bad_files, _refuse_overwrites, _working, app, console, err,
                     exit_code_for, read, wrote_into)


# --- consolidate -----------------------------------------------------------------
@app.command()
def consolidate(
    paths: List[Path] = typer.Argument(..., help="Tệp tổng hợp, tệp đơn vị hoặc thư mục chứa các tệp."),
    year: Optional[int] = typer.Option(None, "--year", help="Năm thi đua (mặc định: năm trong trang Cấu hình)."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Ghi kết quả ra tệp JSON."),
    out: Optional[Path] = typer.Option(None, "--out", help="Ghi bảng Tổng hợp ra tệp Excel (.xlsx)."),
    into: Optional[Path] = typer.Option(None, "--into", help="Ghi trang Tổng hợp và các trang theo hình thức vào tệp tổng hợp (có sao lưu)."),
):
    """Tổng hợp: đếm theo hình thức khen thưởng × tập thể/cá nhân × đơn vị."""
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
           timings=year_result.timings)
    raise typer.Exit(code)


# --- validate --------------------------------------------------------------------
@app.command()
def validate(
    paths: List[Path] = typer.Argument(..., help="Tệp tổng hợp, tệp đơn vị hoặc thư mục."),
    year: Optional[int] = typer.Option(None, "--year", help="Năm thi đua."),
    history: Optional[Path] = typer.Option(None, "--history", help="Tệp sổ lịch sử (SQLite)."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Ghi các phát hiện ra tệp JSON."),
    rules: Optional[Path] = typer.Option(None, "--rules", help="Tệp quy định riêng của Sở (.toml, .xlsx, .csv)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Ghi trang Kiểm tra và bản sao danh sách ra tệp .xlsx."),
    into: Optional[Path] = typer.Option(None, "--into", help="Ghi trang Kiểm tra vào tệp tổng hợp (có sao lưu)."),
):
    """Kiểm tra: từng dòng đề nghị theo quy định, tiêu chuẩn, tỷ lệ và lịch sử khen thưởng."""
    from .. import pipeline
    from ..model import ERROR, WARNING, code_label
    from ..pipeline.outputs import write_findings
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
        # the findings JSON alone is written while the tables print (its Polars work lets go of the GIL);
        # a workbook asked for is written after, as before
        writing = Beside(write_findings, result, json_out=json_out) if json_out and not (out or into) else None
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
        written = writing.result() if writing else write_findings(result, json_out=json_out, out=out, into=into)
    for kind in ("json", "xlsx"):
        if kind in written:
            console.print(f"Đã ghi {written[kind]}")
    if "into" in written:
        wrote_into(written["into"], written["backup"])
    code = exit_code_for(intake, counts[ERROR])
    _audit("validate", paths, [p for p in (json_out, out, into) if p], counts, code, timings=result.timings)
    raise typer.Exit(code)


# --- documents, workbooks, delivery ----------------------------------------------------
@app.command()
def report(
    paths: List[Path] = typer.Argument(..., help="Tệp tổng hợp, tệp đơn vị hoặc thư mục."),
    out: Path = typer.Option(..., "--out", help="Thư mục ghi văn bản Word."),
    kind: Optional[List[str]] = typer.Option(None, "--kind", help="bao-cao-tong-ket, cong-van-phat-dong, quyet-dinh, to-trinh, bien-ban; chung-nhan (giấy khen, giấy chứng nhận in trên phôi)"),
    year: Optional[int] = typer.Option(None, "--year", help="Năm thi đua."),
    pdf: bool = typer.Option(False, "--pdf", help="Chuyển thêm sang PDF (LibreOffice, hoặc Word trên Windows)."),
    history: Optional[Path] = typer.Option(None, "--history", help="Tệp sổ lịch sử (SQLite) dùng khi kiểm tra."),
    templates: Optional[Path] = typer.Option(None, "--templates", help="Thư mục mẫu văn bản đã sửa (<loại>.docx)."),
    award: Optional[List[str]] = typer.Option(None, "--award", help="Với chung-nhan: chỉ in hình thức này (GK, CSTDCS, TTLDTT, LDTT); lặp lại được."),
    calibration: bool = typer.Option(False, "--calibration", help="Với chung-nhan: in trang căn chỉnh (lưới milimét và các ô chữ của trang “Mẫu in”)."),
):
    """Xuất văn bản Word: báo cáo tổng kết, công văn phát động, quyết định, tờ trình, biên bản; giấy khen (chung-nhan)."""
    from .out import escape

    from .. import pipeline
    from ..decide import DUPLICATE, ERROR_REASON
    from ..documents import KINDS
    from ..documents.votes import read_vote_sheet
    from ..model import ERROR, INFO

    cert_kind = "chung-nhan"
    kinds = list(kind or ([cert_kind] if award or calibration else KINDS))
    bad = [k for k in kinds if k not in KINDS and k != cert_kind]
    if bad:
        raise UserError(f"Loại văn bản không có: {', '.join(bad)}. Chọn trong: {', '.join(KINDS)}, {cert_kind}.")
    _refuse_overwrites([*paths, history, templates], year, out=out)
    if cert_kind not in kinds and (award or calibration):
        raise UserError("--award và --calibration chỉ dùng với --kind chung-nhan.")
    form = None
    if cert_kind in kinds:
        from ..documents.certificates import resolve_awards
        from ..workbook.print_form import outside_paper, read_print_form

        resolve_awards(award)  # a wrong --award stops before the long part
        form, source = read_print_form(paths)
        console.print(f"Vị trí in: {escape(source) if source else 'mẫu mặc định (tệp không có trang “Mẫu in”)'}.")
        for w in outside_paper(form):
            err.print(f"[yellow]Cảnh báo:[/] {escape(w)}.")
    if kinds == [cert_kind] and calibration and not award:
        from ..documents.certificates import render_calibration

        written = [render_calibration(form, out)]
        console.print(f"Đã ghi {written[0]}: in trang này lên giấy trắng, đặt chồng lên phôi để so vị trí.")
        outputs = written + (_pdf_copies(written, out) if pdf else [])
        _audit("report", paths, outputs, {"documents": 1}, 0, folder=out)
        raise typer.Exit(0)
    result = read(paths, year)
    intake, y = result.intake, result.year
    _print_bad_files(intake)
    votes = read_vote_sheet(paths)
    result = pipeline.decide(pipeline.validate(result, history), votes)
    findings, decision = result.findings, result.decision
    excluded = decision.excluded
    faulty = [e for e in excluded if e.reason in (ERROR_REASON, DUPLICATE)]
    if faulty:
        err.print(f"[bold yellow]{len(faulty)} dòng có lỗi không đưa vào quyết định và tờ trình[/] (lỗi, trùng đề nghị):")
    if len(excluded) > len(faulty):
        err.print(f"[bold yellow]{len(excluded) - len(faulty)} dòng không đưa vào theo kết quả xét của Hội đồng, "
                  "của Sở[/] (danh sách đầy đủ, lý do: doi-chieu.xlsx):")
    if excluded:
        for e in excluded[:30]:
            err.print(escape(f"  - {e.ho_ten or '(không tên)'} – {e.unit} ({e.file}, {e.sheet}, dòng {e.row}): "
                             f"{e.label}: {e.detail}"))
        if len(excluded) > 30:
            err.print(f"  … và {len(excluded) - 30} dòng khác (xem doi-chieu.xlsx).")
    # a quota over the limit is shown, not enforced; "still room for n more" (info) is not news here
    unit_level = [f for f in findings if f.row is None and f.code != "BAD_FILE" and f.severity != INFO]
    for f in unit_level[:20]:
        level = "Lỗi" if f.severity == ERROR else "Lưu ý"
        err.print(f"[yellow]{level} cấp đơn vị[/] ({escape(f.unit or f.file or '')}): {escape(f.message)} – các dòng "
                  "vẫn được giữ, cán bộ TĐKT quyết định.")
    if len(unit_level) > 20:
        err.print(f"  … và {len(unit_level) - 20} lưu ý cấp đơn vị khác (xem kết quả `thidua validate`).")
    doc_kinds = [k for k in kinds if k != cert_kind]
    from ..documents.outcome import missing_settings

    for f in missing_settings(result.config, doc_kinds):
        err.print(f"[yellow]Cần bổ sung:[/] {escape(f.message)}", soft_wrap=True)
    result = pipeline.render(result, out, doc_kinds, templates=templates)
    if form is not None:
        from ..documents.certificates import summary

        result = pipeline.certificates(result, out, form, award, votes=votes, calibration=calibration)
        for c in result.certificates:
            for w in c.warnings[:20]:
                err.print(f"[yellow]Lưu ý:[/] {escape(w)}")
        for line in summary(result.certificates):
            console.print(f"In giấy khen – {escape(line)}")
    written = list(result.documents)
    for pth in written:
        console.print(f"Đã ghi {pth}")
    for k in kinds:  # a kind asked for but not written (e.g. no higher award to propose) is said, not silent
        if not any(Path(p).stem.lower().startswith(k) for p in written):
            console.print(f"Không lập “{k}”: không có đề nghị nào thuộc loại văn bản này.")
    outputs = list(written)
    if result.reconciliation is not None:  # it goes with the documents (not with a certificates-only run)
        from rich.table import Table

        from ..documents.outcome import reconciliation_rows

        table = Table(title=f"Đối chiếu năm {y}: đề nghị → hợp lệ → thông qua → quyết định/trình")
        for c in ("Hình thức", "Đề nghị", "Hợp lệ", "Thông qua", "Quyết định/trình"):
            table.add_column(c, justify="left" if c == "Hình thức" else "right")
        for r in reconciliation_rows(decision):
            table.add_row(r[1], *(str(v) for v in r[3:7]))
        console.print(table)
        console.print(f"Đã ghi {result.reconciliation}")
        outputs.append(result.reconciliation)
    if pdf:
        outputs += _pdf_copies(written, out)
    code = exit_code_for(intake, len(faulty))
    _audit("report", paths, outputs, {"documents": len(written), "excluded_rows": len(excluded)}, code,
           timings=result.timings)
    raise typer.Exit(code)


def _pdf_copies(written: list[Path], out: Path) -> list[Path]:
    from ..documents.pdf import NoConverter, to_pdf

    try:
        pdfs = to_pdf(written, out)
    except NoConverter as exc:
        err.print(f"[yellow]{exc}[/]")
        return []
    console.print(f"Đã chuyển {len(pdfs)} văn bản sang PDF.")
    return pdfs


