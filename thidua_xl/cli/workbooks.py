"""Commands that make and fill workbooks: `init`, `split`, `collect`, `build-workbook`."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import UserError
from .root import app
from .common import _audit, _refuse_overwrites, console, err


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
    from ..fileio import backup
    from ..workbook.master import create_master
    from ..workbook.units import read_units

    _refuse_overwrites([units], year, out=master)
    unit_list = read_units(units) if units else None
    for w in (unit_list.warnings if unit_list else []):
        err.print(f"[yellow]Cảnh báo:[/] {w}")
    if master.exists() and not force:
        raise UserError(f"Tệp “{master}” đã có. Chọn tên khác, hoặc thêm --force để ghi đè (tệp cũ được sao lưu).")
    if from_last is not None:
        from ..workbook.next_year import next_year_master

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
    from ..workbook.split import split_master

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
    from ..pipeline.outputs import collect_into
    from ..text import printable

    result, refreshed = collect_into(folder, into, dry_run=dry_run, supplement=bo_sung, year_ok=year_ok)

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
        if isinstance(refreshed, UserError):  # the `Lịch sử` sheet follows the master's people
            err.print(f"[yellow]Không cập nhật trang “Lịch sử”:[/] {refreshed}")
        elif refreshed is not None:
            console.print(f"Đã cập nhật trang “Lịch sử” của {into.name}: {refreshed} dòng.")
    code = result.exit_code
    _audit("collect", [folder, into], [into] if result.written else [],
           {"units": len(result.units), "refused": len(result.refused), "dry_run": dry_run}, code, folder=into.parent)
    raise typer.Exit(code)



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
        from ..devtools.build_workbook import VBA_BIN, build_workbook as build, save_vba as keep
    except ImportError:
        from ..workbook.xlsm import NEEDS_SOURCE_TREE

        raise UserError(NEEDS_SOURCE_TREE.format(folder=Path(__file__).resolve().parent.parent / "devtools")) from None

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
        from ..workbook.units import read_units

        unit_df = read_units(units).units
    info = build(out, year=year, units=unit_df, vba=vba)
    console.print(f"Đã ghi {info.path}: {len(info.sheets)} trang tính, mô-đun VBA {', '.join(info.modules[-2:])}, "
                  f"ribbon “Thi đua”.")
    if out is not None:  # the default target is the repository's own workbooks/ folder: no log there
        _audit("build-workbook", [units] if units else [], [info.path], {"sheets": len(info.sheets)}, 0,
               folder=info.path.parent)


