"""Audit log: one JSON line per command, beside the master or in the output folder."""
from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from pathlib import Path

from .fileio import sha256

LOG_NAME = "thidua-audit.jsonl"


def record(folder: str | os.PathLike, command: str, inputs=(), outputs=(), counts: dict | None = None,
           exit_code: int | None = None) -> Path | None:
    """Append one line; never fails the command it records."""
    try:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        try:
            user = getpass.getuser()
        except Exception:  # noqa: BLE001
            user = os.environ.get("USERNAME", "")
        entry = {
            "time": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "user": user,
            "command": command,
            "inputs": [{"path": str(p), "sha256": sha256(p)} for p in inputs if Path(p).is_file()],
            "outputs": [str(p) for p in outputs],
            "counts": counts or {},
            "exit_code": exit_code,
        }
        path = folder / LOG_NAME
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        return path
    except OSError:
        return None
