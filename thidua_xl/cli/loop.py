"""Commands of the loop with the units: who has sent (`status`), what each must fix (`feedback`),
adding a unit to the master (`units add`). Thin: each parses, calls one function, prints."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..cli_vn import VnTyper
from ..errors import UserError
from .root import app
from .common import _audit, console, err

units_app = VnTyper(help="Danh sách đơn vị của tệp tổng hợp.")
app.add_typer(units_app, name="units")


@app.command()
def status(
    master: Path = typer.Argument(..., help="Tệp tổng hợp."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Ghi tình hình nộp ra tệp JSON."),
    out: Optional[Path] = typer.Option(None, "--out", help="Ghi bảng tình hình nộp ra tệp .xlsx."),
    remind: bool = typer.Option(False, "--remind", help="Soạn thư nhắc các đơn vị chưa nộp (hạn nộp lấy ở trang "
                                                        "Cấu hình)."),
    draft: Optional[Path] = typer.Option(None, "--draft", help="Thư mục lưu thư nhắc (mặc định: "
                                                               "<thư mục tệp tổng hợp>/thu-nhac)."),
    history: Optional[Path] = typer.Option(None, "--history", help="Tệp sổ lịch sử (SQLite) dùng khi đếm lỗi."),
):
    """Tình hình nộp: đơn vị nào đã gửi, gửi tệp nào, lúc nào, bao nhiêu dòng, bao nhiêu lỗi; đơn vị chưa nộp
    xếp trước."""
    from rich.table import Table

    from ..fileio import write_json
    from ..status import STATUS_HEADERS, send_reminders, unit_status, write_status_workbook

    for p, what in ((json_out, "--json"), (out, "--out")):
        if p is not None and p.resolve() == master.resolve():
            raise UserError(f"{what} không được trùng tệp tổng hợp “{master.name}”.")
    report = unit_status(master, history=history)
    if report.sample_config:
        err.print("[yellow]Lưu ý:[/] trang “Cấu hình” của tệp tổng hợp vẫn ghi tỉnh mẫu: hãy điền tỉnh, cơ quan, "
                  "người ký của Sở trước khi gửi thư hay xuất văn bản.", soft_wrap=True)
    table = Table(title=f"Tình hình nộp năm {report.year or ''}: {len(report.units) - len(report.missing)}/"
                        f"{len(report.units)} đơn vị đã nộp" + (f", hạn nộp {report.deadline}" if report.deadline else ""))
    for h in STATUS_HEADERS:
        table.add_column(h, overflow="fold")
    for row, u in zip(report.table_rows(), report.units):
        table.add_row(*row, style=None if u.received else "bold red")
    console.print(table)
    outputs = []
    if json_out:
        write_json(json_out, report.to_json())
        outputs.append(json_out)
        console.print(f"Đã ghi {json_out}")
    if out:
        write_status_workbook(report, out)
        outputs.append(out)
        console.print(f"Đã ghi {out}")
    code = 0
    if remind:
        if not report.missing:
            console.print("Mọi đơn vị đã nộp: không cần thư nhắc.")
        else:
            folder = draft or master.resolve().parent / "thu-nhac"
            results = send_reminders(report, mode="draft", draft_dir=folder,
                                     on_result=lambda d: (console if d.ok else err).print(d.line(), markup=False,
                                                                                          soft_wrap=True))
            ok = [d for d in results if d.ok]
            console.print(f"Đã soạn {len(ok)} thư nhắc (.eml) trong {folder}"
                          + (f"; {len(results) - len(ok)} đơn vị không soạn được (xem trên)." if len(ok) < len(results)
                             else "."), markup=False, soft_wrap=True)
            outputs += [d.eml for d in results if d.eml is not None]
            code = 1 if len(ok) < len(results) else 0
    _audit("status", [master], outputs, {"units": len(report.units), "missing": len(report.missing)}, code,
           folder=master.resolve().parent)
    raise typer.Exit(code)


@app.command()
def feedback(
    paths: List[Path] = typer.Argument(..., help="Tệp tổng hợp, hoặc các tệp đơn vị gửi về (hay thư mục chứa chúng)."),
    out: Path = typer.Option(..., "--out", help="Thư mục ghi tệp phản hồi <Mã đơn vị>.xlsx."),
    year: Optional[int] = typer.Option(None, "--year", help="Năm thi đua."),
    history: Optional[Path] = typer.Option(None, "--history", help="Tệp sổ lịch sử (SQLite)."),
):
    """Phản hồi đơn vị: mỗi đơn vị có lỗi nhận bản sao tệp của chính mình, ô cần sửa tô màu, kèm trang
    “Cần sửa” ghi đúng số dòng trong tệp của đơn vị."""
    from ..feedback import feedback as run

    if history is not None and not history.is_file():
        raise UserError(f"Không tìm thấy sổ lịch sử “{history}”.")
    units, written = run(paths, out, year=year, history=history)
    for u in units:
        errors = sum(it.finding.severity == "error" for it in u.items)
        console.print(f"  {u.out.name}: {u.unit} – {errors} lỗi, {len(u.items) - errors} cảnh báo", markup=False)
    if units:
        console.print(f"Đã ghi {len(written)} tệp phản hồi vào {out}. Gửi cho đơn vị: thidua email --feedback {out}",
                      markup=False)
    else:
        console.print("Không đơn vị nào có lỗi hay cảnh báo: không có tệp phản hồi nào.")
    _audit("feedback", paths, written, {"units": len(units)}, 0, folder=out)
    raise typer.Exit(0)


@units_app.command("add")
def units_add(
    master: Path = typer.Argument(..., help="Tệp tổng hợp."),
    code: str = typer.Argument(..., help="Mã đơn vị (dùng làm tên tệp <Mã đơn vị>.xlsx)."),
    name: str = typer.Argument(..., help="Tên đơn vị."),
    email: str = typer.Argument("", help="Email của đơn vị (có thể để trống)."),
):
    """Thêm một đơn vị: một dòng ở trang “Đơn vị” và một trang đề nghị của đơn vị (có sao lưu)."""
    from ..workbook.unit_add import add_unit

    result = add_unit(master, code, name, email)
    console.print(f"Đã thêm đơn vị {result.unit} ({result.unit_code}) vào {master}: trang “{result.sheet}”. "
                  f"Bản sao lưu: {result.backup}", markup=False)
    _audit("units add", [master], [master], {"units": 1}, 0, folder=master.resolve().parent)
