"""One writer at a time for a master workbook.

Two `collect` runs on one master (a double click on the ribbon does it) would each read
the master, add their unit and write it back: the second write drops the first unit. A
run that will write takes `~$thidua-khoa.<master>.json` beside the master before it
reads it, holding who, where and since when; a second run waits a little, then stops
with a message naming the holder. A lock left by a killed run is recognised (its process
is gone, or it is far too old) and taken over.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import socket
import threading
import time
from pathlib import Path

from .errors import UserError

LOCK_PREFIX = "~$thidua-khoa."
WAIT_SECONDS = 20.0  # a collect of forty files takes a few seconds: wait that long, then refuse
STALE_SECONDS = 2 * 3600  # no write of one master takes hours: a lock that old is a leftover
EMPTY_STALE_SECONDS = 5.0  # a lock is whole within microseconds of appearing; empty for longer, it was killed

_HELD: dict[str, int] = {}  # lock path -> depth, so nested writers of one run do not wait for themselves
_HELD_LOCK = threading.Lock()


def lock_path(master: str | os.PathLike) -> Path:
    master = Path(master)
    return master.with_name(f"{LOCK_PREFIX}{master.name}.json")


def _owner() -> dict:
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (a service account): the pid still says who
        user = ""
    return {"user": user, "host": socket.gethostname(), "pid": os.getpid(),
            "since": dt.datetime.now().isoformat(timespec="seconds")}


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_holder(path: Path) -> dict:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def _stale(path: Path, holder: dict) -> bool:
    try:
        age = time.time() - path.stat().st_mtime
    except OSError:
        return False  # gone already: the next attempt takes it
    if age > STALE_SECONDS:
        return True
    if not holder:  # a lock is written whole before it appears; empty or unreadable after a moment is a leftover
        return age > EMPTY_STALE_SECONDS
    return holder.get("host") == socket.gethostname() and not _alive(int(holder.get("pid") or 0))


def _try_take(path: Path) -> bool:
    """Create the lock with its owner already inside, so a kill at any instant never leaves it half-written.

    The owner goes to a private file first, which is then hard-linked onto the lock's name: the link
    fails if a lock exists, and appears whole. A folder that cannot link (some network shares, FAT)
    falls back to create-then-write; the few microseconds between are what `EMPTY_STALE_SECONDS` covers.
    """
    body = json.dumps(_owner(), ensure_ascii=False).encode("utf-8")
    draft = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        draft.write_bytes(body)
        try:
            os.link(draft, path)
            return True
        except FileExistsError:
            return False
        except (OSError, NotImplementedError, AttributeError):
            pass  # no hard links here: the exclusive create below
    finally:
        with contextlib.suppress(OSError):
            draft.unlink()
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as fh:
        fh.write(body)
    return True


def _break(path: Path) -> None:
    """Remove a stale lock; of two runs breaking it at once only one rename succeeds."""
    grave = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.cu")
    with contextlib.suppress(OSError):
        os.rename(path, grave)
        grave.unlink()


@contextlib.contextmanager
def master_lock(master: str | os.PathLike, *, wait: float | None = None):
    """Hold the master's write lock for the block (re-entrant within one run)."""
    path = lock_path(master)
    key = os.path.normcase(os.path.abspath(path))
    with _HELD_LOCK:
        if _HELD.get(key):
            _HELD[key] += 1
            nested = True
        else:
            nested = False
    if nested:
        try:
            yield path
        finally:
            with _HELD_LOCK:
                _HELD[key] -= 1
        return
    deadline = time.monotonic() + (WAIT_SECONDS if wait is None else wait)
    try:
        while not _try_take(path):
            holder = read_holder(path)
            if _stale(path, holder):
                _break(path)
                continue
            if time.monotonic() >= deadline:
                who = holder.get("user") or "người dùng khác"
                raise UserError(
                    f"Tệp tổng hợp “{Path(master).name}” đang được một lệnh khác ghi ({who} trên máy "
                    f"{holder.get('host', '?')}, tiến trình {holder.get('pid', '?')}, từ {holder.get('since', '?')}). "
                    "Hãy đợi lệnh đó xong rồi chạy lại. Chưa ghi gì. (Nếu chắc chắn không còn lệnh nào chạy, "
                    f"xóa tệp “{path.name}”.)")
            time.sleep(0.2)
    except PermissionError as exc:  # a read-only folder: the write would fail anyway, say it now
        raise UserError(f"Không ghi được vào thư mục của “{Path(master).name}” (chỉ cho đọc hoặc không có quyền). "
                        "Chưa ghi gì.") from exc
    with _HELD_LOCK:
        _HELD[key] = 1
    try:
        yield path
    finally:
        with _HELD_LOCK:
            _HELD.pop(key, None)
        with contextlib.suppress(OSError):
            path.unlink()
