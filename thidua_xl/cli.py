"""The `thidua` command line: a thin adapter over the pipeline functions.

Each command parses its options, calls plain functions and prints. User errors
print a Vietnamese message and exit 2; only --debug shows a traceback.
"""
from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

from .errors import UserError

from .cli_vn import VnTyper

app = VnTyper(
    name="thidua",
    help="thidua_xl – công cụ thi đua, khen thưởng của Sở Y tế: kiểm tra, tổng hợp, xuất văn bản.",
    pretty_exceptions_enable=False,
)
history_app = VnTyper(help="Sổ lịch sử khen thưởng (dùng để kiểm tra điều kiện nhiều năm).")
app.add_typer(history_app, name="history")
decisions_app = VnTyper(help="Quyết định khen thưởng của cấp trên (tỉnh, Bộ, Nhà nước).")
app.add_typer(decisions_app, name="decisions")

console = Console(stderr=False, highlight=False)
err = Console(stderr=True, highlight=False)
_STATE = {"debug": False}


def _show_version(value: bool) -> None:
    if value:
        from . import __version__

        console.print(f"thidua_xl {__version__}", markup=False)
        raise typer.Exit(0)


@app.callback()
def _root(debug: bool = typer.Option(False, "--debug", help="Hiện chi tiết lỗi kỹ thuật (traceback)."),
          version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True,
                                       help="Hiện phiên bản rồi thoát.")):
    _STATE["debug"] = debug


def _progress(total: int, label: str):
    """A rich progress bar on stderr; silent when not a terminal. The file being read is shown after
    the bar, so the bar does not jump about with the length of each file name."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    prog = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TextColumn("{task.fields[file]}", style="dim"),
                    console=err, transient=True, disable=not err.is_terminal)
    return prog


def _working(text: str):
    """A spinner on stderr for a long step without countable items (totals, writing a workbook)."""
    from contextlib import nullcontext

    return err.status(text) if err.is_terminal else nullcontext()


def load(paths: List[Path]):
    """Read the inputs with a progress bar over files."""
    from .intake import expand_paths, read_paths

    files, missing = expand_paths(paths)
    if missing:
        raise UserError(" ".join(f.message for f in missing))
    if not files:  # a wrong folder must not look like a clean result
        raise UserError("Không có tệp Excel nào (.xlsx, .xlsm, .xls) để đọc trong: "
                        + ", ".join(f"“{p}”" for p in paths) + " (tệp “~$…” là tệp tạm của Excel, được bỏ qua).")
    with _progress(len(files), "Đọc tệp") as prog:
        task = prog.add_task("Đọc tệp Excel", total=len(files), file="")
        result = read_paths(paths, progress=lambda name: prog.update(task, advance=1, file=name))
    _warn_sample_config(result)
    return result


def _warn_sample_config(intake) -> None:
    """A master whose `Cấu hình` still names the sample province: its documents would carry it."""
    from .config import Config, is_sample

    if any(f.kind == "master" for f in intake.files) and intake.config and is_sample(Config.from_kv(intake.config)):
        err.print("[yellow]Lưu ý:[/] trang “Cấu hình” của tệp tổng hợp vẫn ghi tỉnh mẫu "
                  f"({Config.from_kv(intake.config).get('tinh')}): hãy điền tỉnh, cơ quan, người ký của Sở "
                  "trước khi xuất văn bản.", soft_wrap=True)


def exit_code_for(intake, errors: int = 0) -> int:
    """2 when nothing could be read, 1 when some file was bad or errors were found, else 0."""
    if intake.files and all(not f.ok for f in intake.files):
        return 2
    intake_errors = any(f.severity == "error" for f in intake.findings)
    return 1 if (intake.bad_files or errors or intake_errors) else 0


def resolve_year(year, intake) -> int:
    """pipeline.resolve_year, imported when a command reads data (`--help` imports no pandas)."""
    from .pipeline import resolve_year as resolve

    return resolve(year, intake)


def _audit_folder(paths: List[Path], outputs=()) -> Path:
    """Where a run is logged: the output folder, else beside the master read; never a folder only read
    (units' files sent in, a shared folder): then the user's own log folder."""
    from . import audit

    for out in outputs:
        if out is not None:
            out = Path(out)
            return out if out.is_dir() or out.suffix == "" else out.parent
    for p in paths:
        p = Path(p)
        if p.is_file() and _is_master(p):
            return p.parent
    return audit.user_folder()


def _is_master(path: Path) -> bool:
    """A master workbook (it has the `Đơn vị` sheet), found from its sheet names alone."""
    try:
        import python_calamine as pc

        from .intake.headers import _find_units_sheet

        wb = pc.CalamineWorkbook.from_path(str(path))
        try:
            return _find_units_sheet(list(wb.sheet_names)) is not None
        finally:
            wb.close()
    except Exception:  # noqa: BLE001 - not a workbook we can open: not a master
        return False


def _audit(command: str, paths, outputs=(), counts=None, exit_code=None, folder=None):
    from . import audit
    from .intake import expand_paths

    files, _ = expand_paths([p for p in paths if Path(p).exists()])
    audit.record(folder or _audit_folder(list(paths), outputs), command, inputs=files, outputs=outputs,
                 counts=counts, exit_code=exit_code)


_FILE_WARNINGS = ("STRAY_CELLS", "HIDDEN_SHEET", "HIDDEN_ROWS", "MISSING_SHEET")


def _print_bad_files(intake) -> None:
    """What intake found about the files themselves (unreadable, formulas without values, stray cells…)."""
    from rich.markup import escape

    from .text import printable

    for f in intake.findings:
        where = f" ({escape(printable(f.where))})" if f.sheet else ""
        if f.code == "BAD_FILE" or f.severity == "error":
            err.print(f"[bold red]Lỗi tệp:[/] {escape(printable(f.message))}{where}", soft_wrap=True)
        elif f.code in _FILE_WARNINGS:
            err.print(f"[yellow]Cảnh báo:[/] {escape(printable(f.message))}{where}", soft_wrap=True)


def _refuse_overwrites(inputs, year=None, into=None, **outputs) -> None:
    """Before reading anything: no output may replace an input (see guards), and the year must be sane."""
    from .guards import check_year, refuse_outputs_over_inputs

    check_year(year)
    refuse_outputs_over_inputs(inputs, masters=[into], **outputs)


def _write_into(master: Path, produced: Path, sheets=None) -> None:
    """Copy the tool's sheets into the user's master: refuse while Excel has it open; backup, atomic save."""
    from .workbook.transplant import write_sheets_into

    if not master.is_file():
        raise UserError(f"Không tìm thấy tệp tổng hợp “{master}”.")
    if (master.parent / f"~${master.name}").exists():
        raise UserError(f"Tệp “{master.name}” đang mở trong Excel: hãy đóng tệp rồi chạy lại.")
    from .locks import master_lock
    from .safety import Refused, inspect

    try:
        with master_lock(master):
            inspect(master)  # the same pre-parse limits as any input: no bomb gets rewritten
            saved = write_sheets_into(master, produced, sheets)
    except Refused as exc:
        raise UserError(f"Không ghi vào “{master.name}”: {exc}.") from None
    console.print(f"Đã ghi vào {master} (bản sao lưu: {saved})")


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
    from rich.table import Table

    from .catalog import load_catalog
    from .consolidate import summary_rows
    from .export import write_consolidation
    from .fileio import write_json
    from .pipeline import sources, totals

    # the columns a unit's table is expected to have (the JSON `sources` lists every missing one)
    expected = ("Ngày sinh", "Giới tính", "Chức vụ", "Khoa, phòng")

    _refuse_overwrites(paths, year, into=into, json_out=json_out, out=out)
    intake = load(paths)
    y = resolve_year(year, intake)
    with _working("Đang tổng hợp…"):
        result = totals(intake, y)
    _print_bad_files(intake)
    table = Table(title=f"Tổng hợp đề nghị khen thưởng năm {y}")
    table.add_column("Hình thức")
    table.add_column("Tập thể", justify="right")
    table.add_column("Cá nhân", justify="right")
    for r in summary_rows(result, load_catalog()):
        table.add_row(r["name"], str(r["tap_the"]), str(r["ca_nhan"]))
    console.print(table)
    src = sources(intake)
    files_table = Table(title="Tệp đã đọc")
    for c in ("Tệp", "Đơn vị", "Nhận biết đơn vị qua", "Số dòng", "Cột không có trong tệp"):
        files_table.add_column(c, overflow="fold")
    for s_ in src:
        missing = [h for h in expected if any(h in sh["missing"] for sh in s_["sheets"])]
        files_table.add_row(s_["file"], s_["unit"] or "—", s_["unit_source"] or ("tệp tổng hợp" if s_["kind"] == "master" else "—"),
                            str(s_["rows"]) if s_["ok"] else "lỗi", ", ".join(missing))
    console.print(files_table)
    if result.initiatives:
        names = {"sang_kien": "Sáng kiến", "de_tai": "Đề tài"}
        lv = {"co_so": "cơ sở", "tinh": "cấp tỉnh", "bo": "cấp bộ", "toan_quoc": "toàn quốc"}
        parts = [f"{n} {names[k]} {lv[c]}" for k, d in result.initiatives.items() for c, n in d.items()]
        console.print("Sáng kiến, đề tài: " + "; ".join(parts))
    outputs = []
    if json_out:
        write_json(json_out, {**result.to_json(), "sources": src})
        outputs.append(json_out)
        console.print(f"Đã ghi {json_out}")
    if out:
        with _working(f"Đang ghi {out.name}…"):
            write_consolidation(result, out)
        outputs.append(out)
        console.print(f"Đã ghi {out}")
    if into:
        import tempfile

        from .chart import chart_data
        from .validate import default_history_path

        history = default_history_path(intake)
        chart = chart_data(result, load_catalog(), history if history is not None and history.is_file() else None)
        with tempfile.TemporaryDirectory() as tmp:
            produced = write_consolidation(result, Path(tmp) / "tong-hop.xlsx", chart=chart)
            _write_into(into, produced)
        outputs.append(into)
    code = exit_code_for(intake)
    _audit("consolidate", paths, outputs, {"rows": result.rows, "bad_files": len(intake.bad_files)}, code)
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
    from rich.table import Table

    from .fileio import write_json
    from .model import ERROR, WARNING, code_label
    from .text import printable
    from .validate import unverified_note, validate as run, write_findings_workbook

    if rules is not None and not rules.is_file():
        raise UserError(f"Không tìm thấy tệp quy định “{rules}”.")
    if history is not None and not history.is_file():
        raise UserError(f"Không tìm thấy sổ lịch sử “{history}”.")
    _refuse_overwrites([*paths, rules, history], year, into=into, json_out=json_out, out=out)
    intake = load(paths)
    y = resolve_year(year, intake)
    findings = run(intake, y, history=history, rules=rules)
    from collections import Counter

    by_code = Counter((f.code, f.severity) for f in findings)
    if by_code:
        summary = Table(title="Tóm tắt theo mã")
        for c in ("Mã", "Mức", "Số lượng"):
            summary.add_column(c)
        for (c, s), n in sorted(by_code.items(), key=lambda kv: ({"error": 0, "warning": 1}.get(kv[0][1], 2), kv[0][0])):
            summary.add_row(code_label(c), "Lỗi" if s == ERROR else "Cảnh báo" if s == WARNING else "Ghi chú", str(n))
        console.print(summary)
    counts = {ERROR: sum(f.severity == ERROR for f in findings), WARNING: sum(f.severity == WARNING for f in findings)}
    table = Table(title=f"Kết quả kiểm tra năm {y}: {counts[ERROR]} lỗi, {counts[WARNING]} cảnh báo")
    for c in ("Mức", "Mã", "Vị trí", "Nội dung"):
        table.add_column(c, overflow="fold")
    for f in findings[:200]:
        table.add_row("Lỗi" if f.severity == ERROR else "Cảnh báo" if f.severity == WARNING else "Ghi chú",
                      code_label(f.code), printable(f.where), printable(f.message))
    console.print(table)
    if len(findings) > 200:
        console.print(f"… và {len(findings) - 200} phát hiện khác (xem tệp JSON).")
    note = unverified_note(findings)
    if note:
        console.print(f"({note})")
    if json_out:
        write_json(json_out, {"year": y, "findings": [f.to_dict() for f in findings], "counts": counts})
        console.print(f"Đã ghi {json_out}")
    if out:
        write_findings_workbook(intake, findings, out, y)
        console.print(f"Đã ghi {out}")
    if into:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            produced = write_findings_workbook(intake, findings, Path(tmp) / "kiem-tra.xlsx", y,
                                               master_name=into.name)
            _write_into(into, Path(produced), ["Kiểm tra"])
    code = exit_code_for(intake, counts[ERROR])
    _audit("validate", paths, [p for p in (json_out, out, into) if p], counts, code)
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
    from .documents import KINDS, render_reports
    from rich.markup import escape

    from .decide import DUPLICATE, ERROR_REASON, decide_year
    from .documents.votes import read_vote_sheet
    from .model import ERROR, INFO
    from .pipeline import check
    from .config import Config, narrative_from_kv

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
        from .documents.certificates import resolve_awards
        from .workbook.print_form import outside_paper, read_print_form

        resolve_awards(award)  # a wrong --award stops before the long part
        form, source = read_print_form(paths)
        console.print(f"Vị trí in: {escape(source) if source else 'mẫu mặc định (tệp không có trang “Mẫu in”)'}.")
        for w in outside_paper(form):
            err.print(f"[yellow]Cảnh báo:[/] {escape(w)}.")
    if kinds == [cert_kind] and calibration and not award:
        from .documents.certificates import render_calibration

        written = [render_calibration(form, out)]
        console.print(f"Đã ghi {written[0]}: in trang này lên giấy trắng, đặt chồng lên phôi để so vị trí.")
        outputs = written + (_pdf_copies(written, out) if pdf else [])
        _audit("report", paths, outputs, {"documents": 1}, 0, folder=out)
        raise typer.Exit(0)
    intake = load(paths)
    y = resolve_year(year, intake)
    _print_bad_files(intake)
    findings = check(intake, y, history)
    decision = decide_year(intake, y, findings, read_vote_sheet(paths))
    result = decision.proposed
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
    config, narrative = Config.from_kv(intake.config), narrative_from_kv(intake.narrative)
    doc_kinds = [k for k in kinds if k != cert_kind]
    votes = read_vote_sheet(paths)
    from .documents.outcome import missing_settings

    for f in missing_settings(config, doc_kinds):
        err.print(f"[yellow]Cần bổ sung:[/] {escape(f.message)}", soft_wrap=True)
    written = render_reports(result, config, narrative, out, kinds=doc_kinds, templates_dir=templates,
                             decision=decision) if doc_kinds else []
    if form is not None:
        from .documents import certificates as cert

        certs = cert.plan(result, config, narrative, findings, award, form, votes=votes)
        for c in certs:
            for w in c.warnings[:20]:
                err.print(f"[yellow]Lưu ý:[/] {escape(w)}")
        written += cert.render_certificates(certs, form, out, author=config.get("co_quan_ban_hanh"))
        for line in cert.summary(certs):
            console.print(f"In giấy khen – {escape(line)}")
        if calibration:
            written.append(cert.render_calibration(form, out))
    for pth in written:
        console.print(f"Đã ghi {pth}")
    for k in kinds:  # a kind asked for but not written (e.g. no higher award to propose) is said, not silent
        if not any(Path(p).stem.lower().startswith(k) for p in written):
            console.print(f"Không lập “{k}”: không có đề nghị nào thuộc loại văn bản này.")
    outputs = list(written)
    if doc_kinds:  # the reconciliation goes with the documents (not with a certificates-only run)
        from rich.table import Table

        from .documents.outcome import reconciliation_rows, write_reconciliation

        recon = write_reconciliation(decision, out / "doi-chieu.xlsx")
        table = Table(title=f"Đối chiếu năm {y}: đề nghị → hợp lệ → thông qua → quyết định/trình")
        for c in ("Hình thức", "Đề nghị", "Hợp lệ", "Thông qua", "Quyết định/trình"):
            table.add_column(c, justify="left" if c == "Hình thức" else "right")
        for r in reconciliation_rows(decision):
            table.add_row(r[1], *(str(v) for v in r[3:7]))
        console.print(table)
        console.print(f"Đã ghi {recon}")
        outputs.append(recon)
    if pdf:
        outputs += _pdf_copies(written, out)
    code = exit_code_for(intake, len(faulty))
    _audit("report", paths, outputs, {"documents": len(written), "excluded_rows": len(excluded)}, code)
    raise typer.Exit(code)


def _pdf_copies(written: list[Path], out: Path) -> list[Path]:
    from .documents.pdf import NoConverter, to_pdf

    try:
        pdfs = to_pdf(written, out)
    except NoConverter as exc:
        err.print(f"[yellow]{exc}[/]")
        return []
    console.print(f"Đã chuyển {len(pdfs)} văn bản sang PDF.")
    return pdfs


@app.command()
def init(
    master: Path = typer.Argument(..., help="Tệp tổng hợp mới (.xlsx/.xlsm)."),
    year: int = typer.Option(..., "--year", help="Năm thi đua."),
    units: Optional[Path] = typer.Option(None, "--units", help="Danh sách đơn vị (.xlsx/.csv: Mã đơn vị, Tên đơn vị, Email)."),
    force: bool = typer.Option(False, "--force", help="Ghi đè tệp tổng hợp đã có (tệp cũ được sao lưu)."),
    from_last: Optional[Path] = typer.Option(None, "--from", help="Tệp tổng hợp năm trước: mang sang đơn vị, Cấu hình, "
                                                                  "Quy định, nội dung văn bản, sổ lịch sử."),
):
    """Tạo tệp tổng hợp (master) mới; với --from, tạo từ tệp của năm trước."""
    from .fileio import backup
    from .workbook.master import create_master
    from .workbook.units import read_units

    _refuse_overwrites([units], year, out=master)
    unit_list = read_units(units) if units else None
    for w in (unit_list.warnings if unit_list else []):
        err.print(f"[yellow]Cảnh báo:[/] {w}")
    if master.exists() and not force:
        raise UserError(f"Tệp “{master}” đã có. Chọn tên khác, hoặc thêm --force để ghi đè (tệp cũ được sao lưu).")
    if from_last is not None:
        from .workbook.next_year import next_year_master

        if from_last.exists() and master.exists() and from_last.resolve() == master.resolve():
            raise UserError("Tệp mới phải khác tệp năm trước (tệp năm trước chỉ được đọc).")
        saved = backup(master) if master.exists() else None
        made = next_year_master(master, year, from_last, units=unit_list.units if unit_list else None)
        console.print(f"Đã tạo {master}: năm {year}, {made.units} đơn vị lấy từ “{from_last.name}”"
                      + (f", trang {', '.join(made.copied_sheets)}" if made.copied_sheets else "") + "."
                      + (f" Bản sao lưu tệp cũ: {saved}" if saved else ""), markup=False)
        if made.history:
            console.print(f"Sổ lịch sử khen thưởng: {made.history}", markup=False)
        if made.cleared:
            console.print("Các mục của năm trước đã để trống ở trang Cấu hình, cần điền lại: "
                          + "; ".join(made.cleared) + ".", markup=False)
        _audit("init", [from_last] + ([units] if units else []), [master], {"units": made.units}, 0,
               folder=master.parent)
        return
    saved = backup(master) if master.exists() else None
    create_master(master, year, unit_list.units if unit_list else None)
    n = len(unit_list.units) if unit_list else 0
    console.print(f"Đã tạo {master}: năm {year}, {n} đơn vị." + (f" Bản sao lưu tệp cũ: {saved}" if saved else ""))
    console.print("Hãy điền trang “Cấu hình” (tỉnh, cơ quan, người ký, email) trước khi xuất văn bản.")
    _audit("init", [units] if units else [], [master], {"units": n}, 0, folder=master.parent)


@app.command()
def split(
    master: Path = typer.Argument(..., help="Tệp tổng hợp."),
    out: Path = typer.Option(..., "--out", help="Thư mục ghi các tệp đơn vị."),
):
    """Tách tệp cho từng đơn vị (<Mã đơn vị>.xlsx)."""
    from .workbook.split import split_master

    files = split_master(master, out)
    for f in files:
        console.print(f"  {f.name}")
    console.print(f"Đã ghi {len(files)} tệp đơn vị vào {out}.")
    _audit("split", [master], files, {"files": len(files)}, 0, folder=master.parent)


@app.command()
def collect(
    folder: Path = typer.Argument(..., help="Thư mục chứa các tệp đơn vị gửi về."),
    into: Path = typer.Option(..., "--into", help="Tệp tổng hợp cần cập nhật."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Chỉ in thay đổi, không ghi."),
    bo_sung: bool = typer.Option(False, "--bo-sung", help="Tệp bổ sung: thêm các dòng vào danh sách đã có của "
                                                          "đơn vị thay vì thay thế (tệp có chữ “bổ sung” ở tên "
                                                          "hoặc tiêu đề cũng được hiểu như vậy)."),
    year_ok: bool = typer.Option(False, "--year-ok", help="Vẫn nhập tệp ghi năm khác năm của tệp tổng hợp."),
):
    """Nhập các tệp đơn vị gửi về vào tệp tổng hợp (có sao lưu)."""
    from .workbook.collect import collect as run_collect

    result = run_collect(folder, into, dry_run=dry_run, supplement=bo_sung, year_ok=year_ok)
    from .text import printable

    for line in result.lines():
        (err if line.startswith("Không nhập") else console).print(printable(line), markup=False)
    if not result.units and not result.refused:
        console.print(f"Không có tệp đơn vị nào trong “{folder}”.")
    if result.nothing_changed:
        console.print(f"Không có gì thay đổi so với lần nhập trước: không ghi vào {into}.")
    elif dry_run:
        console.print(f"Chạy thử (--dry-run): chưa ghi gì vào {into}.")
    elif result.written:
        console.print(f"Đã cập nhật {into} ({len(result.units)} đơn vị). Bản sao lưu: {result.backup}")
        from .history import default_path

        if default_path([into]).is_file():  # the `Lịch sử` sheet follows the master's people
            from .intake import read_paths

            _refresh_history_sheet(into, default_path([into]), read_paths([into]))
    code = result.exit_code
    _audit("collect", [folder, into], [into] if result.written else [],
           {"units": len(result.units), "refused": len(result.refused), "dry_run": dry_run}, code, folder=into.parent)
    raise typer.Exit(code)


@app.command()
def email(
    docs: Optional[Path] = typer.Option(None, "--docs", help="Thư mục văn bản: gửi mọi tệp .docx/.pdf/.xlsx trong đó."),
    to: Optional[List[str]] = typer.Option(None, "--to", help="Người nhận (lặp lại cho nhiều người; mỗi người một thư)."),
    units: Optional[Path] = typer.Option(None, "--units", help="Tệp tổng hợp: gửi mỗi đơn vị tệp <Mã đơn vị>.xlsx của nó."),
    feedback_dir: Optional[Path] = typer.Option(None, "--feedback", help="Thư mục phản hồi (do lệnh feedback tạo): gửi "
                                                                        "mỗi đơn vị có lỗi tệp phản hồi của nó."),
    split_dir: Optional[Path] = typer.Option(None, "--split-dir", help="Thư mục các tệp đơn vị (do lệnh split tạo)."),
    only: Optional[List[str]] = typer.Option(None, "--unit", help="Chỉ gửi cho đơn vị có mã này (lặp lại được)."),
    master: Optional[Path] = typer.Option(None, "--master", help="Tệp tổng hợp để lấy mặc định từ trang Cấu hình (với --docs)."),
    draft: Optional[Path] = typer.Option(None, "--draft", help="Lưu thư nháp .eml vào thư mục này (mặc định: <thư mục>/ban-nhap)."),
    send: bool = typer.Option(False, "--send", help="Gửi qua máy chủ SMTP."),
    smtp_host: Optional[str] = typer.Option(None, "--smtp-host", help="Máy chủ SMTP."),
    smtp_port: Optional[int] = typer.Option(None, "--smtp-port", help="Cổng SMTP (mặc định 587 STARTTLS, 465 SSL)."),
    starttls: bool = typer.Option(False, "--starttls", help="Mã hóa bằng STARTTLS."),
    use_ssl: bool = typer.Option(False, "--ssl", help="Mã hóa SSL/TLS ngay từ đầu (thường cổng 465)."),
    no_tls: bool = typer.Option(False, "--no-tls", help="Không mã hóa (chỉ với máy chủ nội bộ)."),
    cafile: Optional[Path] = typer.Option(None, "--cafile", help="Tệp chứng chỉ (PEM) cần tin cậy thêm, ví dụ của máy chủ Sở."),
    user: Optional[str] = typer.Option(None, "--user", help="Tài khoản đăng nhập SMTP."),
    password_env: Optional[str] = typer.Option(None, "--password-env", help="Tên biến môi trường chứa mật khẩu SMTP."),
    sender: Optional[str] = typer.Option(None, "--from", help="Địa chỉ người gửi."),
    subject: Optional[str] = typer.Option(None, "--subject", help="Tiêu đề thư (mặc định: theo mẫu)."),
    year: Optional[int] = typer.Option(None, "--year", help="Năm thi đua (ghi trong tiêu đề, nội dung)."),
    max_size: float = typer.Option(10.0, "--max-size", help="Dung lượng tối đa một thư, MB (0: không giới hạn)."),
    templates: Optional[Path] = typer.Option(None, "--templates", help="Thư mục mẫu email (*.j2) thay cho mẫu có sẵn."),
    unsent: Optional[Path] = typer.Option(None, "--unsent-dir", help="Nơi lưu thư chưa gửi được (mặc định: <thư mục>/chua-gui)."),
    retries: int = typer.Option(3, "--retries", help="Số lần thử lại khi lỗi tạm thời."),
    retry_delay: float = typer.Option(2.0, "--retry-delay", help="Giây chờ trước lần thử lại đầu (gấp đôi mỗi lần)."),
    timeout: float = typer.Option(60.0, "--timeout", help="Giây chờ máy chủ trả lời."),
    all_docs: bool = typer.Option(False, "--tat-ca", help="Với --docs: gửi cả quyết định, biên bản, công văn, "
                                  "tờ trình Bộ Y tế, đối chiếu (mặc định chỉ gửi văn bản gửi tỉnh)."),
):
    """Gửi email văn bản hoặc tệp đơn vị (hoặc lưu thư nháp .eml)."""
    from . import mail

    if feedback_dir is not None:
        if docs is not None or split_dir is not None:
            raise UserError("--feedback không dùng cùng --docs hay --split-dir.")
        units, split_dir, only = _feedback_recipients(feedback_dir, units, only)
    if (docs is None) == (units is None):
        raise UserError("Chọn một trong ba: --docs THU_MUC --to ĐỊA_CHỈ, --units TỆP_TỔNG_HỢP --split-dir THU_MUC, "
                        "hoặc --feedback THU_MUC_PHẢN_HỒI.")
    if units is not None and split_dir is None:
        raise UserError("Thiếu --split-dir: thư mục chứa các tệp <Mã đơn vị>.xlsx.")
    if docs is not None and (split_dir is not None or only):
        raise UserError("--split-dir và --unit chỉ dùng với --units.")
    if units is not None and (to or master is not None):
        raise UserError("Với --units, người nhận là email của từng đơn vị trong trang Đơn vị: bỏ --to và --master.")
    if send and draft is not None:
        raise UserError("Chọn --draft (lưu thư nháp) hoặc --send (gửi ngay), không dùng cả hai.")
    if sum((starttls, use_ssl, no_tls)) > 1:
        raise UserError("Chỉ chọn một trong --starttls, --ssl, --no-tls.")
    if max_size < 0:
        raise UserError("--max-size phải là số MB không âm.")
    mode = "send" if send else "draft"
    defaults = mail.mail_defaults(units if units is not None else master)
    smtp = None
    if send:
        security = "starttls" if starttls else "ssl" if use_ssl else "none" if no_tls else (defaults.security or "starttls")
        login = user if user is not None else defaults.user
        password = None
        if login:
            if password_env:
                password = os.environ.get(password_env)
                if not password:
                    raise UserError(f"Biến môi trường {password_env} chưa có mật khẩu SMTP.")
            elif sys.stdin is not None and sys.stdin.isatty():
                import getpass

                password = getpass.getpass(f"Mật khẩu SMTP của {login}: ")
            else:
                raise UserError("Thiếu mật khẩu SMTP: đặt mật khẩu vào một biến môi trường và dùng "
                                "--password-env TÊN_BIẾN (không ghi mật khẩu vào tệp hay dòng lệnh).")
        elif password_env:
            raise UserError("--password-env cần đi kèm --user (tài khoản SMTP).")
        host = smtp_host or defaults.host
        if not host:
            raise UserError("Thiếu máy chủ SMTP: dùng --smtp-host (hoặc điền “Máy chủ SMTP” trong trang Cấu hình).")
        smtp = mail.SmtpSettings(host=host, port=smtp_port or defaults.port, security=security, user=login or "",
                                 password=password, cafile=str(cafile) if cafile else None, timeout=timeout,
                                 retries=max(0, retries), retry_delay=max(0.0, retry_delay))
    common = dict(mode=mode, smtp=smtp, sender=sender or "", subject=subject, draft_dir=draft, unsent_dir=unsent,
                  year=year, max_size=int(max_size * 1024 * 1024) or None, templates=templates,
                  on_result=lambda d: (console if d.ok else err).print(d.line(), markup=False, soft_wrap=True))
    if docs is not None:
        results = mail.send_documents(docs, to or None, master=master, everything=all_docs, **common)
        base = docs
    else:
        results = mail.send_unit_files(units, split_dir, units=only or None,
                                       kind="phan-hoi" if feedback_dir is not None else "don-vi", **common)
        base = split_dir
    bad = [d for d in results if not d.ok]
    kept = sorted({str(d.eml.parent) for d in results if d.eml is not None and not d.ok and mode == "send"})
    counts = {s: sum(d.status == s for d in results) for s in (mail.SENT, mail.DRAFT, mail.REFUSED, mail.FAILED, mail.SKIPPED)}
    summary = ", ".join(f"{n} {mail.STATUS_VN[s]}" for s, n in counts.items() if n)
    console.print(f"Kết quả: {summary or 'không có thư nào'}.", markup=False, soft_wrap=True)
    drafts = sorted({str(d.eml.parent) for d in results if d.eml is not None and mode == "draft"})
    if drafts:
        console.print(f"Thư nháp (.eml, mở bằng Outlook/Thunderbird rồi bấm Gửi) trong: {', '.join(drafts)}",
                      markup=False, soft_wrap=True)
    if kept:
        err.print(f"Thư chưa gửi được đã lưu (.eml) trong: {', '.join(kept)}", markup=False, soft_wrap=True)
    code = 1 if bad else 0
    outputs = [d.eml for d in results if d.eml is not None]
    _audit("email", [p for p in (docs, units) if p is not None], outputs, counts, code, folder=base)
    raise typer.Exit(code)


@app.command("rules")
def rules_cmd(
    rule: Optional[str] = typer.Argument(None, help="Mã quy định cần xem (ví dụ B.CSTDCS.SANG_KIEN)."),
    year: Optional[int] = typer.Option(None, "--year", help="Chỉ các quy định áp dụng cho năm thi đua này."),
    rules: Optional[Path] = typer.Option(None, "--rules", help="Tệp quy định riêng của Sở (.toml, .xlsx, .csv)."),
):
    """Xem quy định: trích dẫn văn bản, điều khoản, năm áp dụng, đã đối chiếu hay chưa."""
    from rich.markup import escape
    from rich.table import Table

    from .rules import load_rules
    from .rules.explain import describe, table

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


def _feedback_recipients(folder: Path, master: Optional[Path], only):
    """The master and the unit codes of a feedback folder (its `phan-hoi.json`, or --units MASTER)."""
    import json

    from .feedback import INDEX_FILE

    index = folder / INDEX_FILE
    if not folder.is_dir():
        raise UserError(f"Không tìm thấy thư mục phản hồi “{folder}”.")
    data = json.loads(index.read_text(encoding="utf-8")) if index.is_file() else {}
    if master is None and data.get("master"):
        master = Path(data["master"])
    if master is None:
        raise UserError("Cần --units TỆP_TỔNG_HỢP để biết email của các đơn vị (thư mục phản hồi được lập từ "
                        "tệp đơn vị, không từ tệp tổng hợp).")
    codes = [u["unit_code"] for u in data.get("units", [])] or \
        [p.stem for p in folder.iterdir() if p.suffix.lower() == ".xlsx" and not p.name.startswith("~$")]
    if only:
        codes = [c for c in codes if c in only]
    if not codes:
        raise UserError(f"Thư mục “{folder}” không có tệp phản hồi nào để gửi.")
    return master, folder, codes


@app.command("build-workbook")
def build_workbook(
    out: Optional[Path] = typer.Option(None, "--out", help="Tệp .xlsm cần ghi (mặc định workbooks/ThiDua.xlsm)."),
    year: Optional[int] = typer.Option(None, "--year", help="Năm thi đua ghi trong tệp (mặc định: năm nay)."),
    units: Optional[Path] = typer.Option(None, "--units", help="Danh sách đơn vị (.xlsx/.csv: Mã đơn vị, Tên đơn vị, Email)."),
    vba: str = typer.Option("source", "--vba", help="Dự án VBA: source (viết từ macros/*.bas) hoặc excel "
                                                    "(macros/vbaProject.bin do Excel lưu, đã đối chiếu với nguồn)."),
    save_vba: Optional[Path] = typer.Option(None, "--save-vba", help="Lấy dự án VBA của tệp .xlsm đã mở và lưu "
                                                                     "bằng Excel, đối chiếu với nguồn, ghi macros/vbaProject.bin."),
):
    """Dựng tệp ThiDua.xlsm (có ribbon “Thi đua”) từ mã nguồn."""
    try:  # developer tools: a clone has them, an installed package does not
        from .devtools.build_workbook import VBA_BIN, build_workbook as build, save_vba as keep
    except ImportError:
        from .workbook.xlsm import NEEDS_SOURCE_TREE

        raise UserError(NEEDS_SOURCE_TREE.format(folder=Path(__file__).resolve().parent / "devtools")) from None

    if save_vba is not None:

        if not save_vba.is_file():
            raise UserError(f"Không tìm thấy tệp “{save_vba}”.")
        names = keep(save_vba)
        console.print(f"Đã ghi {VBA_BIN}: dự án VBA do Excel lưu, khớp mã nguồn ({', '.join(names)}). "
                      "Dựng tệp bằng: thidua build-workbook --vba excel", markup=False, soft_wrap=True)
        return

    unit_df = None
    if units is not None:
        if not units.is_file():
            raise UserError(f"Không tìm thấy tệp danh sách đơn vị “{units}”.")
        from .workbook.units import read_units

        unit_df = read_units(units).units
    info = build(out, year=year, units=unit_df, vba=vba)
    console.print(f"Đã ghi {info.path}: {len(info.sheets)} trang tính, mô-đun VBA {', '.join(info.modules[-2:])}, "
                  f"ribbon “Thi đua”.")
    if out is not None:  # the default target is the repository's own workbooks/ folder: no log there
        _audit("build-workbook", [units] if units else [], [info.path], {"sheets": len(info.sheets)}, 0,
               folder=info.path.parent)


@history_app.command("import")
def history_import(file: Path = typer.Argument(..., help="Tệp .xlsx/.csv: Họ và tên, Ngày sinh, Đơn vị, Năm, Hình thức."),
                   history: Optional[str] = typer.Option(None, "--history", help="Sổ lịch sử: tệp SQLite, hoặc "
                                                         "máy chủ postgresql://người_dùng@máy/tên_csdl.")):
    """Nhập sổ lịch sử khen thưởng từ tệp .xlsx/.csv (nhập lại cùng tệp không thêm trùng)."""
    from . import history as register
    from .store import as_db

    if not file.is_file():
        raise UserError(f"Không tìm thấy tệp “{file}”.")
    db = as_db(history) if history else register.default_path([file])
    result = register.import_file(db, file)
    for f in result.findings:
        err.print(f"[yellow]Bỏ qua:[/] {f.where}: {f.message}")
    console.print(f"Sổ lịch sử {db}: đọc {result.rows} dòng, thêm {result.added} bản ghi mới, "
                  f"{result.already} bản ghi đã có, bỏ qua {result.refused} dòng lỗi.")
    code = 1 if result.refused else 0
    _audit("history import", [file], [] if isinstance(db, str) else [db], {"added": result.added, "already": result.already,
                                            "refused": result.refused}, code, folder=file.parent)
    raise typer.Exit(code)


@history_app.command("discipline")
def history_discipline(file: Path = typer.Argument(..., help="Tệp .xlsx/.csv: Họ và tên, Ngày sinh, Đơn vị, "
                                                  "Hình thức kỷ luật, Từ ngày, Đến ngày, Số quyết định."),
                       history: Optional[str] = typer.Option(None, "--history", help="Sổ lịch sử: tệp SQLite, hoặc "
                                                             "máy chủ postgresql://người_dùng@máy/tên_csdl.")):
    """Nhập danh sách kỷ luật vào sổ lịch sử (người đang chịu kỷ luật không được khen; sau kỷ luật thời gian
    tính thành tích bắt đầu lại)."""
    from . import discipline, history as register
    from .store import as_db

    if not file.is_file():
        raise UserError(f"Không tìm thấy tệp “{file}”.")
    db = as_db(history) if history else register.default_path([file])
    result = discipline.import_file(db, file)
    for f in result.findings:
        err.print(f"[yellow]Bỏ qua:[/] {f.where}: {f.message}")
    console.print(f"Sổ lịch sử {db}: đọc {result.rows} dòng kỷ luật, thêm {result.added} bản ghi mới, "
                  f"{result.already} bản ghi đã có, bỏ qua {result.refused} dòng lỗi.")
    code = 1 if result.refused else 0
    _audit("history discipline", [file], [] if isinstance(db, str) else [db],
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
    from . import history as register
    from .documents.votes import read_vote_sheet
    from .store import as_db, is_url, label

    intake = load(paths)
    _print_bad_files(intake)
    from .validate import default_history_path

    db = as_db(history) if history else (default_history_path(intake) or register.default_path(paths))
    is_master = any(f.kind == "master" for f in intake.files)
    findings = list(intake.findings)
    if is_master:
        from .pipeline import check

        findings = check(intake, year, db if is_url(db) or Path(db).is_file() else None)
    result = register.archive(db, intake, year, findings, read_vote_sheet(paths) if is_master else None,
                              decision_no=so_quyet_dinh, decision_date=ngay_quyet_dinh)
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
                                                                               if f.code == "NOT_GRANTED"]}, code)
    raise typer.Exit(code)


@app.command()
def doctor(workbook: Optional[Path] = typer.Option(None, "--workbook",
                                                   help="Tệp ThiDua.xlsm cần kiểm tra (mặc định: tệp bộ cài đã chép).")):
    """Kiểm tra máy như Excel sẽ thấy (Python, thư mục, phiên bản, quyền ghi, Trusted Location) và cách sửa."""
    from . import doctor as doc

    checks = doc.run_checks(workbook)
    for line in doc.report(checks):
        console.print(line, markup=False, soft_wrap=True)
    raise typer.Exit(doc.exit_code(checks))


def _refresh_history_sheet(master: Path, db, intake=None) -> None:
    """The master's `Lịch sử` shows the register for its own people (skipped while Excel has it open)."""
    from .text import name_keys
    from .workbook.history_view import write_history_sheet

    if master.suffix.lower() not in (".xlsx", ".xlsm") or (master.parent / f"~${master.name}").exists():
        return
    try:
        noms = intake.nominations if intake is not None else None
        people = set(name_keys(noms["ho_ten"].tolist())) if noms is not None else None
        n = write_history_sheet(master, db, people=people)
        console.print(f"Đã cập nhật trang “Lịch sử” của {master.name}: {n} dòng.")
    except UserError as exc:
        err.print(f"[yellow]Không cập nhật trang “Lịch sử”:[/] {exc}")


@decisions_app.command("import")
def decisions_import(file: Path = typer.Argument(..., help="Danh sách kèm quyết định (.xlsx, hoặc .docx có bảng danh sách)."),
                     into: Path = typer.Option(..., "--into", help="Tệp tổng hợp cần ghi số, ngày quyết định."),
                     so: str = typer.Option("", "--so", help="Số quyết định (khi tệp không ghi), vd. 1234/QĐ-UBND."),
                     ngay: str = typer.Option("", "--ngay", help="Ngày quyết định (dd/mm/yyyy)."),
                     hinh_thuc: str = typer.Option("", "--hinh-thuc", help="Hình thức khen thưởng (khi tệp không ghi)."),
                     dry_run: bool = typer.Option(False, "--dry-run", help="Chỉ in, không ghi.")):
    """Ghi quyết định khen thưởng của cấp trên vào các dòng được nêu tên trong danh sách kèm theo."""
    from .decisions import import_decision

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


# --- demo --------------------------------------------------------------------------
@app.command()
def demo(out: Path = typer.Option(Path("demo"), "--out", help="Thư mục ghi bản trình diễn.")):
    """Tạo bộ dữ liệu mẫu của một Sở Y tế và chạy mọi bước."""
    from .demo import run_demo

    summary = run_demo(out, echo=console.print)
    console.print(f"[bold green]Xong.[/] Kết quả trong thư mục {out}: {summary}")


from . import cli_loop  # noqa: E402,F401  (registers status, feedback, units)


def main(argv: Optional[list[str]] = None) -> int:
    """Entry point: maps user errors to exit 2 with a Vietnamese message, never a raw traceback."""
    args = list(argv if argv is not None else sys.argv[1:])
    debug = "--debug" in args
    from . import cli_vn

    try:
        command = cli_vn.vietnamise(typer.main.get_command(app))
        code = command.main(args=args, prog_name="thidua", standalone_mode=False)
        return code if isinstance(code, int) else 0
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 2)
    except UserError as exc:
        from rich.markup import escape

        from .text import printable

        err.print(f"[bold red]Lỗi:[/] {escape(printable(exc))}", soft_wrap=True)
        _audit_failure(args, exc.exit_code, str(exc))
        return exc.exit_code
    except OSError as exc:  # disk full, read-only folder, a name too long: said plainly, never a traceback
        if debug:
            raise
        from rich.markup import escape

        from .guards import os_error_message

        message = os_error_message(exc)
        err.print(f"[bold red]Lỗi:[/] {escape(message)}", soft_wrap=True)
        _audit_failure(args, 2, message)
        return 2
    except KeyboardInterrupt:
        err.print("Đã dừng theo yêu cầu.")
        _audit_failure(args, 130, "dừng theo yêu cầu")
        return 130
    except Exception as exc:  # noqa: BLE001 - last line of defence for users
        if cli_vn.is_no_args_help(exc):  # `thidua` or `thidua history` alone: the help page
            console.print(exc.ctx.get_help(), markup=False, highlight=False)
            return 0
        if cli_vn.is_usage_error(exc):  # Click's parse errors, told in Vietnamese
            cli_vn.print_usage_error(exc, args, lambda line: err.print(line, markup=False, soft_wrap=True))
            return 2
        if cli_vn.is_abort(exc):
            err.print("Đã dừng.")
            return 1
        if debug:
            raise
        from .guards import os_error_message, underlying_os_error

        os_error = underlying_os_error(exc)  # e.g. XlsxWriter's FileCreateError around a full disk
        if os_error is not None:
            from rich.markup import escape

            message = os_error_message(os_error)
            err.print(f"[bold red]Lỗi:[/] {escape(message)}", soft_wrap=True)
            _audit_failure(args, 2, message)
            return 2
        err.print(f"[bold red]Lỗi không mong đợi:[/] {type(exc).__name__}: {exc}\n"
                  "Hãy chạy lại với --debug và gửi nội dung cho bộ phận kỹ thuật.", soft_wrap=True)
        _audit_failure(args, 2, f"{type(exc).__name__}: {exc}")
        return 2


def _audit_failure(args: list[str], code: int, message: str) -> None:
    """A command that stopped on an error is logged too, beside the first input that exists."""
    try:
        from . import audit
        from .intake import expand_paths

        words = [a for a in args if not a.startswith("-")]
        if not words:
            return
        outputs = [Path(b) for a, b in zip(args, args[1:]) if a in ("--out", "--json", "--into", "--draft")]
        command = " ".join(words[:2]) if words[0] in ("history", "decisions") and len(words) > 1 else words[0]
        paths = [Path(a) for a in words[1:] if Path(a).exists()]
        if paths:
            files, _ = expand_paths(paths)
            audit.record(_audit_folder(paths, outputs), command, inputs=files, counts=None, exit_code=code,
                         message=message)
    except Exception:  # noqa: BLE001 - logging must not mask the user's error
        pass


def run() -> None:  # pragma: no cover
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
