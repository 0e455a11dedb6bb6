"""What every command shares: the consoles, reading with a progress bar, exit codes, the audit log (the
Typer application is root.py). Commands live in the modules beside this one, by stage of the year."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

from ..errors import UserError
from .out import Stream

console = Stream(stderr=False)  # rich's Console, imported only where a terminal (or rich markup) needs it
err = Stream(stderr=True)
_STATE = {"debug": False}


def root_options(debug: bool, verbose: bool) -> None:
    """What the root's --debug and --verbose do (root._root; plain.run the same for a plain run)."""
    _STATE["debug"] = debug
    if verbose:
        _show_steps()


def _show_steps() -> None:
    """`--verbose`: each pipeline step's duration on stderr, as the steps log it (until `main` ends)."""
    import logging

    class ToStderr(logging.StreamHandler):
        """Always the current sys.stderr (a test, or Excel's process, may have replaced it)."""

        @property
        def stream(self):
            return sys.stderr

        @stream.setter
        def stream(self, _value):
            pass

    handler = ToStderr()
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("thidua_xl.pipeline")
    logger.addHandler(handler)
    _STATE["verbose"] = (handler, logger.level)
    logger.setLevel(logging.INFO)


def end_verbose() -> None:
    """Undo `--verbose` once a command has run: the next command in this process is quiet again."""
    import logging

    shown = _STATE.pop("verbose", None)
    if shown is not None:
        handler, level = shown
        logger = logging.getLogger("thidua_xl.pipeline")
        logger.removeHandler(handler)
        logger.setLevel(level)


class _NoProgress:
    """What `_progress` gives when stderr is no terminal (a script, the Excel button's log): nothing shown,
    and rich's progress machinery (~0.05 s to import) not loaded."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def add_task(self, *args, **kwargs) -> int:
        return 0

    def update(self, *args, **kwargs) -> None:
        return None


def _progress(total: int, label: str):
    """A rich progress bar on stderr; silent when not a terminal. The file being read is shown after
    the bar, so the bar does not jump about with the length of each file name."""
    if not err.is_terminal:
        return _NoProgress()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    prog = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TextColumn("{task.fields[file]}", style="dim"),
                    console=err.rich, transient=True, disable=not err.is_terminal)
    return prog


def _working(text: str):
    """A spinner on stderr for a long step without countable items (totals, writing a workbook)."""
    from contextlib import nullcontext

    return err.status(text) if err.is_terminal else nullcontext()


def read(paths: List[Path], year: Optional[int] = None):
    """The pipeline's first step with a progress bar over files: a YearResult (intake and year)."""
    from .. import pipeline
    from ..intake import expand_paths
    from ..perf import start_done

    start_done()  # the command's modules are imported: the collector as before (__main__.run paused it)
    files, missing = expand_paths(paths)
    if missing:
        raise UserError(" ".join(f.message for f in missing))
    if not files:  # a wrong folder must not look like a clean result
        raise UserError("Không có tệp Excel nào (.xlsx, .xlsm, .xls) để đọc trong: "
                        + ", ".join(f"“{p}”" for p in paths) + " (tệp “~$…” là tệp tạm của Excel, được bỏ qua).")
    with _progress(len(files), "Đọc tệp") as prog:
        task = prog.add_task("Đọc tệp Excel", total=len(files), file="")
        result = pipeline.read(paths, year, progress=lambda name: prog.update(task, advance=1, file=name))
    from ..fileio import hash_ahead

    hash_ahead(files)  # the audit line's digests, worked out while the command goes on
    _warn_sample_config(result.intake)
    return result


def load(paths: List[Path]):
    """Read the inputs with a progress bar over files (the Intake alone)."""
    return read(paths).intake


def _warn_sample_config(intake) -> None:
    """A master whose `Cấu hình` still names the sample province: its documents would carry it."""
    from ..config import Config, is_sample

    if any(f.kind == "master" for f in intake.files) and intake.config and is_sample(Config.from_kv(intake.config)):
        err.print("[yellow]Lưu ý:[/] trang “Cấu hình” của tệp tổng hợp vẫn ghi tỉnh mẫu "
                  f"({Config.from_kv(intake.config).get('tinh')}): hãy điền tỉnh, cơ quan, người ký của Sở "
                  "trước khi xuất văn bản.", soft_wrap=True)


def exit_code_for(intake, errors: int = 0) -> int:
    """The command's exit code (pipeline.exit_code: 2 nothing read, 1 bad files or errors, 0)."""
    from ..pipeline import exit_code

    return exit_code(intake, errors)


def resolve_year(year, intake) -> int:
    """pipeline.resolve_year, imported when a command reads data (`--help` imports no pandas)."""
    from ..pipeline import resolve_year as resolve

    return resolve(year, intake)


def _audit_folder(paths: List[Path], outputs=(), masters=frozenset()) -> Path:
    """Where a run is logged: the output folder, else beside the master read; never a folder only read
    (units' files sent in, a shared folder): then the user's own log folder. `masters`: the paths a reading
    found to be masters (`read_masters`), known without opening them again."""
    from .. import audit

    for out in outputs:
        if out is not None:
            out = Path(out)
            return out if out.is_dir() or out.suffix == "" else out.parent
    for p in paths:
        p = Path(p)
        if p.is_file() and (str(p) in masters or _is_master(p)):
            return p.parent
    return audit.user_folder()


def read_masters(intake) -> frozenset[str]:
    """The files a reading read as masters: each has the `Đơn vị` sheet, so `_is_master` would say so."""
    return frozenset(f.path for f in intake.files if f.kind == "master")


def _is_master(path: Path) -> bool:
    """A master workbook (it has the `Đơn vị` sheet), found from its sheet names alone."""
    try:
        import python_calamine as pc

        from ..intake.headers import _find_units_sheet

        wb = pc.CalamineWorkbook.from_path(str(path))
        try:
            return _find_units_sheet(list(wb.sheet_names)) is not None
        finally:
            wb.close()
    except Exception:  # noqa: BLE001 - not a workbook we can open: not a master
        return False


def _audit(command: str, paths, outputs=(), counts=None, exit_code=None, folder=None, timings=(),
           masters=frozenset()):
    """One line in the audit log: inputs and outputs with their digests, counts, the steps' durations."""
    _audit_begun(command, paths, outputs, folder=folder, masters=masters)(counts, exit_code, timings=timings)


def _audit_begun(command: str, paths, outputs=(), folder=None, masters=frozenset()):
    """`_audit` in two steps: where the line goes and its inputs (real paths, digests) now, while the run's last
    output is still being written beside (none of the inputs); the function returned appends the line."""
    from .. import audit
    from ..intake import expand_paths

    files, _ = expand_paths([p for p in paths if Path(p).exists()])
    where = folder or _audit_folder(list(paths), outputs, masters)
    try:
        known = audit.input_records(files)
    except Exception:  # noqa: BLE001 - the log never breaks the command: `record` tries again and says nothing
        known = None

    def record(counts=None, exit_code=None, timings=()) -> None:
        audit.record(where, command, inputs=files, outputs=outputs, counts=counts, exit_code=exit_code,
                     timings=timings, known_inputs=known)

    return record


def _nothing():
    from contextlib import nullcontext

    return nullcontext()


_FILE_WARNINGS = ("STRAY_CELLS", "HIDDEN_SHEET", "HIDDEN_ROWS", "MISSING_SHEET")


def _print_bad_files(intake) -> None:
    """What intake found about the files themselves (unreadable, formulas without values, stray cells…)."""
    from .out import escape

    from ..text import printable

    for f in intake.findings:
        where = f" ({escape(printable(f.where))})" if f.sheet else ""
        if f.code == "BAD_FILE" or f.severity == "error":
            err.print(f"[bold red]Lỗi tệp:[/] {escape(printable(f.message))}{where}", soft_wrap=True)
        elif f.code in _FILE_WARNINGS:
            err.print(f"[yellow]Cảnh báo:[/] {escape(printable(f.message))}{where}", soft_wrap=True)


def _refuse_overwrites(inputs, year=None, into=None, **outputs) -> None:
    """Before reading anything: no output may replace an input (see guards), and the year must be sane."""
    from ..guards import check_year, refuse_outputs_over_inputs

    check_year(year)
    refuse_outputs_over_inputs(inputs, masters=[into], **outputs)


def wrote_into(master: Path, backup: Path) -> None:
    console.print(f"Đã ghi vào {master} (bản sao lưu: {backup})")


def _refresh_history_sheet(master: Path, db, intake=None) -> None:
    """The master's `Lịch sử` shows the register for its own people (skipped while Excel has it open)."""
    from ..pipeline.outputs import refresh_history_sheet

    try:
        n = refresh_history_sheet(master, db, intake)
    except UserError as exc:
        err.print(f"[yellow]Không cập nhật trang “Lịch sử”:[/] {exc}")
        return
    if n is not None:
        console.print(f"Đã cập nhật trang “Lịch sử” của {master.name}: {n} dòng.")
