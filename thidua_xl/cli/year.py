"""The year's core commands: `validate`, `consolidate` (their runs: runs.py), `report` — each one pipeline run, printed."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..errors import UserError
from . import runs
from .root import app
from .common import _audit, _print_bad_files, _refuse_overwrites, console, err, exit_code_for, read


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
    raise typer.Exit(runs.consolidate(paths, year, json_out, out, into))


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
    raise typer.Exit(runs.validate(paths, year, history, json_out, rules, out, into))


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


