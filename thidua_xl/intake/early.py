"""The named workbooks read while the command line is still being imported.

`thidua consolidate` and `thidua validate` spend their first half second importing Polars, typer, rich
and this package, on one thread; the files they will read are already on their command line. The entry
point (`thidua_xl.__main__`) hands its arguments here first: a child process makes each file's safety
pre-check (intake.checker: Python that would otherwise hold this process's interpreter lock), and two
worker threads parse each checked file with fastexcel (which runs without the lock); `files._prefetched`
takes each result over when intake reaches that file, exactly as if it had started it then. Nothing else
changes: the same check and `load_file` run, a file that changed since is read again, one no command
asks for is closed.
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import Future
from pathlib import Path

COMMANDS = frozenset({"consolidate", "validate"})  # the commands that read their positional paths with fastexcel
AHEAD_BYTES = 16 * 1024 * 1024  # files read ahead, by size on disk (a 120,000-row province is ~8 MB)
WORKERS = 2

_state: dict = {}
_lock = threading.Lock()


def positional_paths(argv: list[str]) -> list[str]:
    """The paths a reading command names: the words after the command that are neither an option nor the
    word right after one (an option's value, e.g. `--history sổ.sqlite`, is not read as a workbook)."""
    words = [w for w in argv if w != "--debug"]
    if not words or words[0] not in COMMANDS or any(w in ("--help", "-h") for w in words):
        return []
    out = []
    after_option = False
    for w in words[1:]:
        if w.startswith("-"):
            after_option = "=" not in w
            continue
        if not after_option:
            out.append(w)
        after_option = False
    return out


def start(argv: list[str]) -> None:
    """Begin reading the workbooks `argv` names, in the background; never raises, never blocks."""
    try:
        paths = positional_paths(argv)
        if not paths or os.environ.get("THIDUA_NO_EARLY_READ"):
            return
        with _lock:
            if _state:
                return
            _state.update(pending={}, planned=threading.Event())
        threading.Thread(target=_plan, args=(paths,), name="thidua-early", daemon=True).start()
    except Exception:  # noqa: BLE001 - reading early is only a head start: intake reads everything anyway
        _state.clear()


def _key(path: Path) -> str:
    return os.path.normcase(os.path.abspath(path))


def _signature(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _plan(paths: list[str]) -> None:
    """List the files as intake will (`expand_paths`); when there are enough of them for a child process
    to check (a single workbook is checked faster by intake itself, and a thread checking it here would
    only slow the imports it should overlap), read them ahead."""
    pending = _state["pending"]
    queue: list[tuple[Path, Future, tuple]] = []
    checker = None
    try:
        from .checker import Checker, worth_a_child
        from .files import expand_paths

        files, _findings = expand_paths(paths)
        budget = AHEAD_BYTES
        for path in files:
            sig = _signature(path)
            if sig is None or sig[0] > budget:
                break
            budget -= sig[0]
            queue.append((path, Future(), sig))
        if not worth_a_child([path for path, _f, _s in queue]):
            queue = []
        for path, future, sig in queue:
            pending[_key(path)] = (sig, future)
        if queue:
            checker = Checker([path for path, _f, _s in queue])
    except Exception:  # noqa: BLE001 - intake reads what was not begun here
        pending.clear()
        queue = []
    finally:
        _state["planned"].set()
    if not queue:
        return
    jobs = iter(enumerate(queue))
    jobs_lock = threading.Lock()

    def work() -> None:
        from .checker import AGAIN, OK, REFUSED
        from .files import Loaded, _load_quietly

        while True:
            with jobs_lock:
                job = next(jobs, None)
            if job is None:
                return
            i, (path, future, _sig) = job
            kind, got = checker.answer(i) if checker is not None else (AGAIN, None)
            if not future.set_running_or_notify_cancel():
                continue
            try:
                if kind == REFUSED:
                    future.set_result(Loaded(None, got, None))
                else:  # checked by the child, or (AGAIN) checked here by load_file itself
                    future.set_result(_load_quietly(path, True, got if kind == OK else None))
            except BaseException as exc:  # noqa: BLE001 - handed to whoever takes the result
                future.set_exception(exc)

    for n in range(WORKERS):
        threading.Thread(target=work, name=f"thidua-read-early_{n}", daemon=True).start()


def take(path: Path, arrow: bool) -> Future | None:
    """The read begun early for `path`, if it is still the same file and read the same way; else None
    (and the early result, if any, closed)."""
    if not _state:
        return None
    _state["planned"].wait()
    with _lock:
        got = _state["pending"].pop(_key(path), None)
    if got is None:
        return None
    sig, future = got
    if arrow and _signature(path) == sig:
        return future
    _discard(future)
    return None


def forget() -> None:
    """Close every early read nobody took (Windows keeps an open workbook from being replaced)."""
    if not _state:
        return
    _state["planned"].wait()
    with _lock:
        left = list(_state["pending"].values())
        _state["pending"].clear()
    for _sig, future in left:
        _discard(future)


def _discard(future: Future) -> None:
    from .files import _close

    if future.cancel():
        return
    future.add_done_callback(lambda f: _close(None if f.exception() else f.result()))
