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

from .errors import NotAvailable, UserError

app = typer.Typer(
    name="thidua",
    help="thidua_xl – công cụ thi đua, khen thưởng của Sở Y tế: kiểm tra, tổng hợp, xuất văn bản.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
history_app = typer.Typer(help="Sổ lịch sử khen thưởng (dùng để kiểm tra điều kiện nhiều năm).",
                          no_args_is_help=True, rich_markup_mode=None)
app.add_typer(history_app, name="history")

console = Console(stderr=False, highlight=False)
err = Console(stderr=True, highlight=False)
_STATE = {"debug": False}


@app.callback()
def _root(debug: bool = typer.Option(False, "--debug", help="Hiện chi tiết lỗi kỹ thuật (traceback).")):
    _STATE["debug"] = debug


def _progress(total: int, label: str):
    """A rich progress bar on stderr; silent when not a terminal and few items."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    prog = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=True, disable=not err.is_terminal)
    return prog


def load(paths: List[Path]):
    """Read the inputs with a progress bar over files."""
    from .intake import expand_paths, read_paths

    files, missing = expand_paths(paths)
    if missing:
        raise UserError(" ".join(f.message for f in missing))
    with _progress(len(files), "Đọc tệp") as prog:
        task = prog.add_task("Đọc tệp Excel", total=len(files))
        result = read_paths(paths, progress=lambda name: prog.update(task, advance=1, description=f"Đọc {name}"))
    return result


def exit_code_for(intake, errors: int = 0) -> int:
    """2 when nothing could be read, 1 when some file was bad or errors were found, else 0."""
    if intake.files and all(not f.ok for f in intake.files):
        return 2
    return 1 if (intake.bad_files or errors) else 0


from .pipeline import resolve_year  # noqa: E402  (re-exported for the commands)


def _audit_folder(paths: List[Path], out: Optional[Path] = None) -> Path:
    if out is not None:
        return out if out.suffix == "" else out.parent
    for p in paths:
        if p.is_file():
            return p.parent
        if p.is_dir():
            return p
    return Path.cwd()


def _audit(command: str, paths, outputs=(), counts=None, exit_code=None, folder=None):
    from . import audit
    from .intake import expand_paths

    files, _ = expand_paths([p for p in paths if Path(p).exists()])
    audit.record(folder or _audit_folder(list(paths)), command, inputs=files, outputs=outputs,
                 counts=counts, exit_code=exit_code)


def _print_bad_files(intake) -> None:
    for f in intake.findings:
        if f.code == "BAD_FILE":
            err.print(f"[bold red]Lỗi tệp:[/] {f.message}" + (f" ({f.where})" if f.sheet else ""))


# --- consolidate -----------------------------------------------------------------
@app.command()
def consolidate(
    paths: List[Path] = typer.Argument(..., help="Tệp tổng hợp, tệp đơn vị hoặc thư mục chứa các tệp."),
    year: Optional[int] = typer.Option(None, "--year", help="Năm thi đua (mặc định: năm trong trang Cấu hình)."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Ghi kết quả ra tệp JSON."),
    out: Optional[Path] = typer.Option(None, "--out", help="Ghi bảng Tổng hợp ra tệp Excel (.xlsx)."),
):
    """Tổng hợp: đếm theo hình thức khen thưởng × tập thể/cá nhân × đơn vị."""
    from rich.table import Table

    from .catalog import load_catalog
    from .consolidate import summary_rows
    from .pipeline import totals
    from .export import write_consolidation
    from .fileio import write_json

    intake = load(paths)
    y = resolve_year(year, intake)
    result = totals(intake, y)
    _print_bad_files(intake)
    table = Table(title=f"Tổng hợp đề nghị khen thưởng năm {y}")
    table.add_column("Hình thức")
    table.add_column("Tập thể", justify="right")
    table.add_column("Cá nhân", justify="right")
    for r in summary_rows(result, load_catalog()):
        table.add_row(r["name"], str(r["tap_the"]), str(r["ca_nhan"]))
    console.print(table)
    if result.initiatives:
        names = {"sang_kien": "Sáng kiến", "de_tai": "Đề tài"}
        lv = {"co_so": "cơ sở", "tinh": "cấp tỉnh", "bo": "cấp bộ", "toan_quoc": "toàn quốc"}
        parts = [f"{n} {names[k]} {lv[c]}" for k, d in result.initiatives.items() for c, n in d.items()]
        console.print("Sáng kiến, đề tài: " + "; ".join(parts))
    outputs = []
    if json_out:
        write_json(json_out, result.to_json())
        outputs.append(json_out)
        console.print(f"Đã ghi {json_out}")
    if out:
        write_consolidation(result, out)
        outputs.append(out)
        console.print(f"Đã ghi {out}")
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
):
    """Kiểm tra: từng dòng đề nghị theo quy định, tiêu chuẩn, tỷ lệ và lịch sử khen thưởng."""
    from rich.table import Table

    from .fileio import write_json
    from .model import ERROR, WARNING
    from .validate import validate as run

    intake = load(paths)
    y = resolve_year(year, intake)
    findings = run(intake, y, history=history)
    counts = {ERROR: sum(f.severity == ERROR for f in findings), WARNING: sum(f.severity == WARNING for f in findings)}
    table = Table(title=f"Kết quả kiểm tra năm {y}: {counts[ERROR]} lỗi, {counts[WARNING]} cảnh báo")
    for c in ("Mức", "Mã", "Vị trí", "Nội dung"):
        table.add_column(c, overflow="fold")
    for f in findings[:200]:
        table.add_row("Lỗi" if f.severity == ERROR else "Cảnh báo" if f.severity == WARNING else "Ghi chú",
                      f.code, f.where, f.message)
    console.print(table)
    if len(findings) > 200:
        console.print(f"… và {len(findings) - 200} phát hiện khác (xem tệp JSON).")
    if json_out:
        write_json(json_out, {"year": y, "findings": [f.to_dict() for f in findings], "counts": counts})
        console.print(f"Đã ghi {json_out}")
    code = exit_code_for(intake, counts[ERROR])
    _audit("validate", paths, [json_out] if json_out else [], counts, code)
    raise typer.Exit(code)


# --- commands of later stages (each replaced by its own issue) ---------------------
def _not_yet(what: str):
    raise NotAvailable(f"Chức năng “{what}” chưa có trong phiên bản này.")


@app.command()
def report(
    paths: List[Path] = typer.Argument(..., help="Tệp tổng hợp, tệp đơn vị hoặc thư mục."),
    out: Path = typer.Option(..., "--out", help="Thư mục ghi văn bản Word."),
    kind: Optional[List[str]] = typer.Option(None, "--kind", help="bao-cao-tong-ket, cong-van-phat-dong, quyet-dinh, to-trinh, bien-ban"),
    year: Optional[int] = typer.Option(None, "--year", help="Năm thi đua."),
):
    """Xuất văn bản Word: báo cáo tổng kết, công văn phát động, quyết định, tờ trình, biên bản."""
    _not_yet("Xuất văn bản")


@app.command()
def init(
    master: Path = typer.Argument(..., help="Tệp tổng hợp mới (.xlsx/.xlsm)."),
    year: int = typer.Option(..., "--year", help="Năm thi đua."),
    units: Optional[Path] = typer.Option(None, "--units", help="Danh sách đơn vị (.xlsx/.csv: Mã đơn vị, Tên đơn vị, Email)."),
):
    """Tạo tệp tổng hợp (master) mới."""
    _not_yet("Tạo tệp tổng hợp")


@app.command()
def split(
    master: Path = typer.Argument(..., help="Tệp tổng hợp."),
    out: Path = typer.Option(..., "--out", help="Thư mục ghi các tệp đơn vị."),
):
    """Tách tệp cho từng đơn vị (<Mã đơn vị>.xlsx)."""
    _not_yet("Tách tệp đơn vị")


@app.command()
def collect(
    folder: Path = typer.Argument(..., help="Thư mục chứa các tệp đơn vị gửi về."),
    into: Path = typer.Option(..., "--into", help="Tệp tổng hợp cần cập nhật."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Chỉ in thay đổi, không ghi."),
):
    """Nhập các tệp đơn vị gửi về vào tệp tổng hợp (có sao lưu)."""
    _not_yet("Nhập tệp đơn vị")


@app.command()
def email(
    docs: Optional[Path] = typer.Option(None, "--docs"),
    to: Optional[List[str]] = typer.Option(None, "--to"),
):
    """Gửi email văn bản hoặc tệp đơn vị (hoặc lưu thư nháp .eml)."""
    _not_yet("Gửi email")


@app.command("build-workbook")
def build_workbook(out: Optional[Path] = typer.Option(None, "--out")):
    """Dựng tệp ThiDua.xlsm (có ribbon “Thi đua”) từ mã nguồn."""
    _not_yet("Dựng tệp ThiDua.xlsm")


@history_app.command("import")
def history_import(file: Path = typer.Argument(...), history: Optional[Path] = typer.Option(None, "--history")):
    """Nhập sổ lịch sử khen thưởng từ tệp .xlsx/.csv."""
    _not_yet("Nhập lịch sử")


@history_app.command("archive")
def history_archive(paths: List[Path] = typer.Argument(...), year: int = typer.Option(..., "--year"),
                    history: Optional[Path] = typer.Option(None, "--history")):
    """Lưu kết quả năm vào sổ lịch sử."""
    _not_yet("Lưu lịch sử")


# --- demo --------------------------------------------------------------------------
@app.command()
def demo(out: Path = typer.Option(Path("demo"), "--out", help="Thư mục ghi bản trình diễn.")):
    """Tạo bộ dữ liệu mẫu của một Sở Y tế và chạy mọi bước."""
    from .demo import run_demo

    summary = run_demo(out, echo=console.print)
    console.print(f"[bold green]Xong.[/] Kết quả trong thư mục {out}: {summary}")


def main(argv: Optional[list[str]] = None) -> int:
    """Entry point: maps user errors to exit 2 with a Vietnamese message, never a raw traceback."""
    args = list(argv if argv is not None else sys.argv[1:])
    debug = "--debug" in args
    try:
        app(args=args, prog_name="thidua", standalone_mode=True)
        return 0
    except SystemExit as exc:  # typer/click end every run this way, usage errors with 2
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 2)
    except UserError as exc:
        err.print(f"[bold red]Lỗi:[/] {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        err.print("Đã dừng theo yêu cầu.")
        return 130
    except Exception as exc:  # noqa: BLE001 - last line of defence for users
        if debug:
            raise
        err.print(f"[bold red]Lỗi không mong đợi:[/] {type(exc).__name__}: {exc}\n"
                  "Hãy chạy lại với --debug và gửi nội dung cho bộ phận kỹ thuật.")
        return 2


def run() -> None:  # pragma: no cover
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
