"""The Typer application: the root of the command tree, its groups and the root's own options.

Made here, apart from the helpers every command shares (common.py), so that a plain run of `validate` or
`consolidate` (plain.py) imports no typer: its commands are registered on `app` by the modules beside
this one when the whole command line is needed (`cli._commands`).
"""
from __future__ import annotations

import typer

from ..cli_vn import VnTyper
from .common import console, root_options

app = VnTyper(
    name="thidua",
    help="thidua_xl – công cụ thi đua, khen thưởng của Sở Y tế: kiểm tra, tổng hợp, xuất văn bản.",
    pretty_exceptions_enable=False,
)
history_app = VnTyper(help="Sổ lịch sử khen thưởng (dùng để kiểm tra điều kiện nhiều năm).")
app.add_typer(history_app, name="history")
decisions_app = VnTyper(help="Quyết định khen thưởng của cấp trên (tỉnh, Bộ, Nhà nước).")
app.add_typer(decisions_app, name="decisions")


def _show_version(value: bool) -> None:
    if value:
        from .. import __version__

        console.print(f"thidua_xl {__version__}", markup=False)
        raise typer.Exit(0)


@app.callback()
def _root(debug: bool = typer.Option(False, "--debug", help="Hiện chi tiết lỗi kỹ thuật (traceback)."),
          verbose: bool = typer.Option(False, "--verbose", help="Hiện thời gian từng bước (đọc, kiểm tra, tổng "
                                                                 "hợp, quyết định, xuất văn bản…)."),
          version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True,
                                       help="Hiện phiên bản rồi thoát.")):
    root_options(debug, verbose)
