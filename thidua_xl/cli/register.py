"""The registers: `history import|archive`, `decisions import`, `rules`, and `doctor`."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..errors import UserError
from .root import app, decisions_app, history_app
from .common import (_audit, _print_bad_files, _refresh_history_sheet, console, err, exit_code_for, read)


@app.command("rules")
def rules_cmd(
    rule: Optional[str] = typer.Argument(None, help="Mã quy định cần xem (ví dụ B.CSTDCS.SANG_KIEN)."),
    year: Optional[int] = typer.Option(None, "--year", help="Chỉ các quy định áp dụng cho năm thi đua này."),
    rules: Optional[Path] = typer.Option(None, "--rules", help="Tệp quy định riêng của Sở (.toml, .xlsx, .csv)."),
):
    """Xem quy định: trích dẫn văn bản, điều khoản, năm áp dụng, đã đối chiếu hay chưa."""
    from .out import escape
    from rich.table import Table

    from ..rules import load_rules
    from ..rules.explain import describe, table

    if rules is not None and not rules.is_file():
        raise UserError(f"Không tìm thấy tệp quy định “{rules}”.")
    ruleset = load_rules(rules)
    if rule:
        found = ruleset.get(rule.strip()) or next((r for r in ruleset if r.id.lower() == rule.strip().lower()), None)
        if found is None:
            close = [r.id for r in ruleset if rule.strip().upper() in r.id.upper()]
            hint = f" Có phải: {', '.join(close[:8])}?" if close else " Chạy “thidua rules” để xem danh sách."
            raise UserError(f"Không có quy định “{rule}”.{hint}")
        chosen = [found] + [r for r in ruleset if r.id.startswith(found.id + ".")] if year is None else [found]
        for r in chosen:
            console.print(escape(describe(r)), highlight=False)
            console.print()
        raise typer.Exit(0)
    t = Table(title=f"Các quy định áp dụng cho năm thi đua {year}" if year else "Các quy định")
    t.add_column("Mã", no_wrap=True)
    for c in ("Nội dung", "Căn cứ", "Năm áp dụng", "Đã đối chiếu"):
        t.add_column(c, overflow="fold")
    for line in table(ruleset, year):
        t.add_row(*(escape(x) for x in line))
    console.print(t)
    console.print("Xem một quy định với trích dẫn văn bản: thidua rules MÃ")
    raise typer.Exit(0)



@history_app.command("import")
def history_import(file: Path = typer.Argument(..., help="Tệp .xlsx/.csv: Họ và tên, Ngày sinh, Đơn vị, Năm, Hình thức."),
                   history: Optional[str] = typer.Option(None, "--history", help="Sổ lịch sử: tệp SQLite, hoặc "
                                                         "máy chủ postgresql://người_dùng@máy/tên_csdl.")):
    """Nhập sổ lịch sử khen thưởng từ tệp .xlsx/.csv (nhập lại cùng tệp không thêm trùng)."""
    from .. import history as register

    _import_list("history import", file, history, register.import_file, "dòng")


@history_app.command("discipline")
def history_discipline(file: Path = typer.Argument(..., help="Tệp .xlsx/.csv: Họ và tên, Ngày sinh, Đơn vị, "
                                                  "Hình thức kỷ luật, Từ ngày, Đến ngày, Số quyết định."),
                       history: Optional[str] = typer.Option(None, "--history", help="Sổ lịch sử: tệp SQLite, hoặc "
                                                             "máy chủ postgresql://người_dùng@máy/tên_csdl.")):
    """Nhập danh sách kỷ luật vào sổ lịch sử (người đang chịu kỷ luật không được khen; sau kỷ luật thời gian
    tính thành tích bắt đầu lại)."""
    from .. import discipline

    _import_list("history discipline", file, history, discipline.import_file, "dòng kỷ luật")


def _import_list(command: str, file: Path, history: Optional[str], import_file, rows_label: str) -> None:
    """A list file into the register (awards or disciplines): what was added, already there, refused."""
    from .. import history as register
    from ..store import as_db

    if not file.is_file():
        raise UserError(f"Không tìm thấy tệp “{file}”.")
    db = as_db(history) if history else register.default_path([file])
    result = import_file(db, file)
    for f in result.findings:
        err.print(f"[yellow]Bỏ qua:[/] {f.where}: {f.message}")
    console.print(f"Sổ lịch sử {db}: đọc {result.rows} {rows_label}, thêm {result.added} bản ghi mới, "
                  f"{result.already} bản ghi đã có, bỏ qua {result.refused} dòng lỗi.")
    code = 1 if result.refused else 0
    _audit(command, [file], [] if isinstance(db, str) else [db],
           {"added": result.added, "already": result.already, "refused": result.refused}, code, folder=file.parent)
    raise typer.Exit(code)


@history_app.command("archive")
def history_archive(paths: List[Path] = typer.Argument(..., help="Tệp tổng hợp, tệp đơn vị hoặc thư mục."),
                    year: int = typer.Option(..., "--year", help="Năm khen thưởng được lưu."),
                    history: Optional[str] = typer.Option(None, "--history", help="Sổ lịch sử: tệp SQLite, hoặc "
                                                          "máy chủ postgresql://người_dùng@máy/tên_csdl."),
                    so_quyet_dinh: str = typer.Option("", "--so-quyet-dinh", help="Tệp đơn vị là danh sách kèm "
                                                      "theo quyết định đã ký: số quyết định (vd 15/QĐ-SYT)."),
                    ngay_quyet_dinh: str = typer.Option("", "--ngay-quyet-dinh", help="Ngày của quyết định đó.")):
    """Lưu các khen thưởng đã được quyết định của một năm vào sổ lịch sử (chạy lại không thêm trùng)."""
    from .. import history as register, pipeline
    from ..documents.votes import read_vote_sheet
    from ..store import as_db, is_url, label
    from ..validate import default_history_path

    year_result = read(paths, year)
    intake = year_result.intake
    _print_bad_files(intake)
    db = as_db(history) if history else (default_history_path(intake) or register.default_path(paths))
    is_master = any(f.kind == "master" for f in intake.files)
    year_result = pipeline.archive(year_result, db, read_vote_sheet(paths) if is_master else None,
                                   decision_no=so_quyet_dinh, decision_date=ngay_quyet_dinh)
    intake, result = year_result.intake, year_result.archived
    rows_said = [f for f in result.findings if f.code != "NOT_GRANTED"]
    for f in rows_said[:30]:
        err.print(f"[yellow]{'Không lưu' if f.severity == 'error' else 'Chưa lưu'}:[/] {f.where}: {f.message}",
                  markup=True, soft_wrap=True)
    if len(rows_said) > 30:
        err.print(f"  … và {len(rows_said) - 30} dòng khác.")
    for f in result.findings:
        if f.code == "NOT_GRANTED":
            err.print(f"[bold red]CHÚ Ý:[/] {f.message}", markup=True, soft_wrap=True)
    console.print(f"Sổ lịch sử {label(db)}: năm {year}, {result.rows} khen thưởng đã quyết định, thêm {result.added} "
                  f"bản ghi mới, {result.already} bản ghi đã có, {len(rows_said)} dòng chưa lưu"
                  + (f", {result.pending} dòng đề nghị chờ quyết định (chưa phải khen thưởng)." if result.pending
                     else "."))
    masters = [Path(f.path) for f in intake.files if f.kind == "master"]
    for m in masters:
        _refresh_history_sheet(m, db, intake)
    code = max(exit_code_for(intake), 1 if result.refused else 0)
    _audit("history archive", paths, [] if is_url(db) else [db], {"added": result.added, "already": result.already,
                                                                  "refused": len(rows_said), "pending": result.pending,
                                                                  "warnings": [f.message for f in result.findings
                                                                               if f.code == "NOT_GRANTED"]}, code,
           timings=year_result.timings)
    raise typer.Exit(code)


@app.command()
def doctor(workbook: Optional[Path] = typer.Option(None, "--workbook",
                                                   help="Tệp ThiDua.xlsm cần kiểm tra (mặc định: tệp bộ cài đã chép).")):
    """Kiểm tra máy như Excel sẽ thấy (Python, thư mục, phiên bản, quyền ghi, Trusted Location) và cách sửa."""
    from .. import doctor as doc

    checks = doc.run_checks(workbook)
    for line in doc.report(checks):
        console.print(line, markup=False, soft_wrap=True)
    raise typer.Exit(doc.exit_code(checks))


@decisions_app.command("import")
def decisions_import(file: Path = typer.Argument(..., help="Danh sách kèm quyết định (.xlsx, hoặc .docx có bảng danh sách)."),
                     into: Path = typer.Option(..., "--into", help="Tệp tổng hợp cần ghi số, ngày quyết định."),
                     so: str = typer.Option("", "--so", help="Số quyết định (khi tệp không ghi), vd. 1234/QĐ-UBND."),
                     ngay: str = typer.Option("", "--ngay", help="Ngày quyết định (dd/mm/yyyy)."),
                     hinh_thuc: str = typer.Option("", "--hinh-thuc", help="Hình thức khen thưởng (khi tệp không ghi)."),
                     dry_run: bool = typer.Option(False, "--dry-run", help="Chỉ in, không ghi.")):
    """Ghi quyết định khen thưởng của cấp trên vào các dòng được nêu tên trong danh sách kèm theo."""
    from ..decisions import import_decision

    result = import_decision(file, into, number=so, date=ngay, award=hinh_thuc, dry_run=dry_run)
    for line in result.marked[:50]:
        console.print(f"  ✓ {line}", markup=False)
    for line in result.not_found:
        err.print(f"Không tìm thấy trong tệp tổng hợp: {line}", markup=False)
    for line in result.ambiguous:
        err.print(f"Trùng nhiều dòng, chưa ghi (hãy ghi tay): {line}", markup=False)
    done = "Chạy thử: chưa ghi gì." if dry_run else (f"Đã ghi vào {into} (bản sao lưu: {result.backup})."
                                                    if result.backup else "Không ghi gì.")
    console.print(f"Danh sách có {result.listed} dòng: {len(result.marked)} dòng được ghi quyết định, "
                  f"{len(result.not_found)} không tìm thấy, {len(result.ambiguous)} trùng. {done}", markup=False)
    code = 1 if (result.not_found or result.ambiguous) else 0
    _audit("decisions import", [file], [] if dry_run or not result.backup else [into], {"marked": len(result.marked)},
           code, folder=into.parent)
    raise typer.Exit(code)


