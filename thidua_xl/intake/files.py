"""Files and threads: which files a command names, opening each behind the safety pre-check, and
parsing the next files in worker threads while the current one is classified.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterable

from ..model import ERROR, Finding
from ..perf import Plain
from .arrow import ARROW_SUFFIXES, ArrowBook, open_book, parse_sheet
from .early import WORKBOOK_SUFFIXES, workbooks  # noqa: F401 - WORKBOOK_SUFFIXES: intake's name for it
from .headers import _find_units_sheet


def expand_paths(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[Finding]]:
    """Files named, and the workbooks of folders named (early.workbooks: the list the early reading checks)."""
    out, missing = workbooks(paths)
    return out, [Finding("BAD_FILE", ERROR, f"Không tìm thấy tệp hoặc thư mục “{path}”.", file=str(path))
                 for path in missing]


def open_workbook(path: Path):
    """Open with calamine, translating its failures into Vietnamese reasons."""
    wb, reason, _scan = open_checked(path)
    return wb, reason


def open_checked(path: Path):
    """Pre-check the raw bytes (bombs, encryption, traps), then open with calamine (see reading)."""
    from ..reading import open_checked as checked

    return checked(path)


def sheet_rows(wb, name: str) -> tuple[list[list], int]:
    """All rows of a sheet from A1, so list index + 1 is the Excel row number (capped, see reading)."""
    if isinstance(wb, ArrowBook):
        try:
            return wb.sheet(name), 0
        except Exception:  # noqa: BLE001 - python-calamine reads it, or its error says why not
            wb = wb.calamine()
    from ..reading import sheet_rows as rows

    return rows(wb, name), 0


def _visible_sheets(wb) -> list[str]:
    if isinstance(wb, ArrowBook):
        return wb.visible()
    import python_calamine as pc

    try:
        return [m.name for m in wb.sheets_metadata
                if m.visible == pc.SheetVisibleEnum.Visible and m.typ == pc.SheetTypeEnum.WorkSheet]
    except Exception:  # noqa: BLE001 - older calamine without metadata
        return list(wb.sheet_names)


class Loaded(Plain):
    """A workbook opened and pre-checked, with the sheets already parsed (see `load_file`; a plain class: see
    perf.Plain)."""

    _fields = ("wb", "reason", "scan", "rows")

    def __init__(self, wb: object, reason: str | None, scan: object, rows: dict[str, list[list]] | None = None):
        self.wb = wb
        self.reason = reason
        self.scan = scan
        self.rows = {} if rows is None else rows


def load_file(path: Path, arrow: bool = True, scan=None, ahead: bool = False) -> Loaded:
    """The part of reading a file that needs no other file: safety scan, open, parse the sheets.

    Runs in worker threads (fastexcel and python-calamine parse mostly without the GIL; handing fastexcel's
    columns to Polars holds it), so the next files are being parsed while this one's rows are classified. A workbook (.xlsx/.xlsm) is read with
    fastexcel into text columns (`arrow`); another format, a file fastexcel cannot open, or `arrow=False`
    (the caller needs the cells as typed, to write them back) go to python-calamine. A unit file's
    sheets are all read here; a master's are left to be read on demand (it has many sheets intake never
    needs). A sheet that fails here is simply not cached: `read_file` reads it again and reports it.
    """
    if arrow and path.suffix.lower() in ARROW_SUFFIXES:
        return _load_arrow(path, scan, ahead)
    if scan is not None:
        from ..reading import open_scanned

        wb, reason = open_scanned(path, scan)
        return _prefetch_sheets(Loaded(wb, reason, scan if wb is not None else None))
    wb, reason, scan = open_checked(path)
    return _prefetch_sheets(Loaded(wb, reason, scan))


def _load_arrow(path: Path, scan=None, ahead: bool = False) -> Loaded:
    """`scan`: the file's pre-check, made already (by intake.checker's process); else made here. `ahead`:
    the sheets only parsed (`parse_ahead`), handed to Polars when `read_file` asks for them."""
    from ..reading import checked_scan, open_scanned
    from ..scan import Refused

    if scan is None:
        try:
            scan = checked_scan(path)
        except Refused as exc:
            return Loaded(None, str(exc), None)
    book = None
    try:
        book = open_book(path, scan)
        if ahead:
            parse_ahead(book, MASTER_OUTPUTS if _find_units_sheet(book.sheet_names) is not None else frozenset())
            return Loaded(book, None, scan)
        if _find_units_sheet(book.sheet_names) is not None:
            return Loaded(book, None, scan)  # a master: its sheets are read when asked for
        return Loaded(book, None, scan, {name: book.sheet(name) for name in book.sheet_names})
    except Exception:  # noqa: BLE001 - python-calamine reads it, or says in Vietnamese why not
        if book is not None:
            book.close()
    wb, reason = open_scanned(path, scan)
    return _prefetch_sheets(Loaded(wb, reason, scan if wb is not None else None))


def _prefetch_sheets(loaded: Loaded) -> Loaded:
    wb = loaded.wb
    if wb is not None:
        try:
            names = list(wb.sheet_names)
            if _find_units_sheet(names) is None:
                for name in names:
                    loaded.rows[name] = sheet_rows(wb, name)[0]
        except Exception:  # noqa: BLE001 - read_file meets the same error and reports it
            pass
    return loaded


def parse_ahead(book: ArrowBook, skip: frozenset[str]) -> None:
    """Every sheet but `skip` parsed by fastexcel and made Arrow columns now, without Polars (a thread beside
    the command line's imports: fastexcel lets go of the interpreter lock while it parses); `ArrowBook.sheet`
    hands each to Polars when asked for. A sheet that fails here is loaded again then, and reports its error.

    Each sheet's parse gives the interpreter lock back and waits a switch interval (5 ms) to take it again
    from the main thread's imports: ~70 sheets took ~0.15 s so, ~0.05 s with the interval at 0.5 ms meanwhile."""
    switch = sys.getswitchinterval()
    sys.setswitchinterval(EARLY_SWITCH_INTERVAL)
    try:
        for name in book.sheet_names:
            if name not in skip:
                try:
                    book.ahead[name] = _Parsed(parse_sheet(book.reader, name))
                except Exception:  # noqa: BLE001 - see above
                    pass
    finally:
        sys.setswitchinterval(switch)


class _Parsed:
    """A fastexcel sheet whose Arrow columns are made (fastexcel makes them when first asked, ~1/3 of the
    hand-over's cost); Polars takes them once (`ArrowBook.sheet`), a second ask makes them again."""

    __slots__ = ("sheet", "arrays")

    def __init__(self, sheet):
        self.sheet, self.arrays = sheet, sheet.__arrow_c_array__()

    def available_columns(self):
        return self.sheet.available_columns()

    def __arrow_c_array__(self, requested_schema=None):
        arrays, self.arrays = self.arrays, None
        return arrays if arrays is not None and requested_schema is None else \
            self.sheet.__arrow_c_array__(requested_schema)


# a master's sheets the tool writes and intake never reads (its report, its totals...): not parsed ahead
MASTER_OUTPUTS = frozenset({"Tổng hợp", "Kiểm tra", "Nhận tệp", "Lịch sử", "Biểu quyết", "Mẫu in"})
SINGLE_AHEAD_BYTES = 128 * 1024  # a single workbook this large on disk is parsed ahead (begin_early)
EARLY_SWITCH_INTERVAL = 0.0005  # s, while a single workbook is parsed beside the imports (parse_ahead)
PREFETCH_AHEAD = 4  # files parsed ahead of the one being classified (bounds the rows held in memory)


def _prefetched(files: list[Path], arrow: bool = True):
    """(path, Loaded) in the given order, the next files loaded by worker threads meanwhile."""
    from . import early

    if len(files) < 2:
        for path in files:
            begun = early.take(path, arrow)
            loaded = begun.result() if begun is not None else None
            yield path, loaded if loaded is not None else load_file(path, arrow)
        return
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    workers = max(1, min(2, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="thidua-read") as pool:
        pending = deque()
        ahead = iter(files)

        def begin(path: Path):  # a read the command line began early (begin_early), or one begun now
            return early.take(path, arrow) or pool.submit(_load_quietly, path, arrow)

        for path in ahead:
            pending.append((path, begin(path)))
            if len(pending) >= PREFETCH_AHEAD:
                break
        try:
            while pending:
                path, future = pending.popleft()
                nxt = next(ahead, None)
                if nxt is not None:
                    pending.append((nxt, begin(nxt)))
                yield path, future.result()
        finally:  # stopped early (an error, Ctrl-C): close what the workers already opened
            for _path, future in pending:
                if not future.cancel():
                    _close(future.result())


def _close(loaded: Loaded | None) -> None:
    """Release a workbook's file (Windows keeps an open file from being replaced)."""
    try:
        if loaded is not None and loaded.wb is not None:
            loaded.wb.close()
    except Exception:  # noqa: BLE001
        pass


def _load_quietly(path: Path, arrow: bool = True, scan=None, ahead: bool = False) -> Loaded | None:
    """load_file in a worker; None (read again in the main thread, which reports the error) on a surprise."""
    try:
        return load_file(path, arrow, scan, ahead)
    except Exception:  # noqa: BLE001
        return None


def begin_early(paths: list[str]) -> None:
    """The reads a command line begins before its CLI is imported (intake.early, started by `__main__`):
    the files listed as intake will list them; when there are enough for a child process to pre-check
    (checker.worth_a_child: a single workbook is checked faster here, unless the child was forked), two threads
    parse each file the child has checked, and register the result for `_prefetched` to take over. A single
    workbook of SINGLE_AHEAD_BYTES or more (a master: the ribbon's click) is checked (by the forked child, where
    there is one) and only parsed by one thread (`parse_ahead`: no Polars in that thread, whose import would hold
    the lock the main thread's imports need); a smaller one is left to intake."""
    from concurrent.futures import Future
    import threading

    from . import early
    from .checker import AGAIN, OK, REFUSED, Checker, worth_a_child

    chosen = early.ahead(workbooks(paths)[0])
    files = [path for path, _s in chosen]
    started = early.started_checker(files)  # begun with the command (early._begin)
    # the ribbon's click (one master): checked and parsed by one thread beside the imports, without Polars
    single = len(chosen) == 1 and files[0].suffix.lower() in ARROW_SUFFIXES and chosen[0][1][0] >= SINGLE_AHEAD_BYTES
    if not chosen or not (started or worth_a_child(files) or single):
        return  # nothing registered: intake reads every file as it always has
    queue: list[tuple[Path, Future]] = []
    for path, sig in chosen:
        queue.append((path, Future()))
        early.register(path, sig, queue[-1][1], _close)
    checker = started or (Checker(files) if worth_a_child(files) else None)
    early.planned()
    jobs = iter(enumerate(queue))
    jobs_lock = threading.Lock()

    def work() -> None:
        while True:
            with jobs_lock:
                job = next(jobs, None)
            if job is None:
                return
            i, (path, future) = job
            kind, got = checker.answer(i) if checker is not None else (AGAIN, None)
            if not future.set_running_or_notify_cancel():
                continue
            try:
                if kind == REFUSED:
                    future.set_result(Loaded(None, got, None))
                else:  # checked by the child, or (AGAIN, or no child) checked here by load_file itself
                    future.set_result(_load_quietly(path, True, got if kind == OK else None, ahead=single))
            except BaseException as exc:  # noqa: BLE001 - handed to whoever takes the result
                future.set_exception(exc)

    for n in range(1 if single else 2):
        threading.Thread(target=work, name=f"thidua-read-early_{n}", daemon=True).start()
