"""Audit log: one JSON line per command, beside the master or in the output folder (never in a folder only read).

The office must be able to say later which files a decision was built from: every
line names the inputs with their sha256, the outputs, the finding counts and the
exit code. Appending never fails the command it records.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import socket
from pathlib import Path

from .fileio import known_sha256, sha256

LOG_NAME = "thidua-audit.jsonl"


def user_folder() -> Path:
    """The user's own log folder, for runs that only read (no output, no master to log beside)."""
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "ThiDua" / "nhat-ky"
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "thidua"


def _user() -> str:
    """getpass.getuser() (the login name from the environment, else the account's), without importing getpass and
    its terminal modules (~0.7 ms at every command's end)."""
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        user = os.environ.get(name)
        if user:
            return user
    try:
        import pwd

        return pwd.getpwuid(os.getuid())[0]
    except Exception:  # noqa: BLE001 - no login name in some service accounts (or no pwd: Windows)
        return os.environ.get("USERNAME") or os.environ.get("USER") or ""


def _digest(path) -> str | None:
    try:
        return known_sha256(path) or sha256(path)
    except OSError:  # locked by Excel, vanished meanwhile: still log the run
        return None


def input_records(inputs=()) -> list[dict]:
    """The line's inputs: each file's real path and sha256 (a name that is not a file left out). A command works
    them out while its last output is still being written (`record(known_inputs=…)`)."""
    return [{"path": os.path.realpath(p), "sha256": _digest(p)} for p in inputs if os.path.isfile(p)]


def entry(command: str, inputs=(), outputs=(), counts: dict | None = None, exit_code: int | None = None,
          message: str | None = None, timings=(), *, known_inputs: list[dict] | None = None) -> dict:
    """The record appended for one run (also what tests and the Excel adapter can inspect); `known_inputs`:
    `input_records(inputs)` worked out before."""
    from . import __version__

    return {
        "time": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "user": _user(),
        "host": socket.gethostname(),
        "version": __version__,
        "command": command,
        "inputs": input_records(inputs) if known_inputs is None else known_inputs,
        "outputs": [{"path": str(Path(p).resolve()), "sha256": _digest(Path(p)) if Path(p).is_file() else None}
                    for p in outputs if p is not None],
        "counts": counts or {},
        "exit_code": exit_code,
        **({"message": message} if message else {}),
        **({"timings": {step: seconds for step, seconds in timings}} if timings else {}),  # pipeline steps, s
    }


def record(folder: str | os.PathLike, command: str, inputs=(), outputs=(), counts: dict | None = None,
           exit_code: int | None = None, message: str | None = None, timings=(), *,
           known_inputs: list[dict] | None = None) -> Path | None:
    """Append one line to <folder>/thidua-audit.jsonl; returns its path, or None if it could not be written."""
    try:
        line = json.dumps(entry(command, inputs, outputs, counts, exit_code, message, timings,
                                known_inputs=known_inputs), ensure_ascii=False, default=str) + "\n"
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / LOG_NAME
        # one write of one line in append mode: concurrent runs do not interleave lines
        with open(path, "a", encoding="utf-8", newline="\n") as fh:
            fh.write(line)
        return path
    except Exception:  # noqa: BLE001 - the log must never break the command it records
        return None


def read(folder: str | os.PathLike) -> list[dict]:
    path = Path(folder) / LOG_NAME
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
