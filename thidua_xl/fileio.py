"""Writing files without ever leaving a half-written one behind.

Every output goes to a temporary file in the target's folder and is renamed into
place; a crash or a kill mid-write leaves the previous file as it was.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import itertools
import json
import os
import shutil
import tempfile
from pathlib import Path


# A file being written is `~$thidua.<name>.<random><suffix>`: every folder reader skips `~$…` (Excel's
# own owner files), so a killed write's leftover is never taken for an input.
TEMP_PREFIX = "~$thidua."
STALE_AFTER = 3600  # seconds: an older leftover is from a write that was killed, not one still running


def clean_stale_temps(folder: str | os.PathLike, older_than: float = STALE_AFTER) -> list[Path]:
    """Remove leftovers of killed writes in folder (ours only, by name, and only old ones)."""
    import time

    removed = []
    now = time.time()
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    for p in entries:
        if p.name.startswith(TEMP_PREFIX) and p.is_file():
            with contextlib.suppress(OSError):
                if now - p.stat().st_mtime > older_than:
                    p.unlink()
                    removed.append(p)
    return removed


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike, suffix: str | None = None):
    """Yield a temporary path beside target; on success rename it over target."""
    target = Path(target)
    clean_stale_temps(target.parent)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{target.stem[:80]}.", suffix=suffix or target.suffix,
                                   dir=target.parent)
    except OSError as exc:  # a read-only folder: name the folder, not a temporary file
        exc.filename = str(target.parent)
        raise
    os.close(fd)
    tmp_path = Path(tmp)
    # mkstemp makes the file private (0600); outputs on a shared folder must open for colleagues too
    umask = os.umask(0)
    os.umask(umask)
    with contextlib.suppress(OSError):
        os.chmod(tmp_path, 0o666 & ~umask)
    try:
        yield tmp_path
        try:
            os.replace(tmp_path, target)
        except PermissionError as exc:  # Windows: the target is open in Excel/Word (or read-only)
            from .errors import UserError

            raise UserError(f"Không ghi được “{target}”: tệp đang mở (trong Excel hoặc Word) hoặc chỉ cho đọc. "
                            "Hãy đóng tệp rồi chạy lại; tệp cũ vẫn giữ nguyên.") from exc
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        from .guards import underlying_os_error

        os_error = underlying_os_error(exc)  # a full disk names the file being written, not a temp name
        if os_error is not None and (not os_error.filename or Path(str(os_error.filename)) == tmp_path):
            os_error.filename = str(target)
        raise


def write_bytes(target: str | os.PathLike, data: bytes) -> Path:
    """`data` written atomically; a large one's sha256 (the audit line's) worked out while it is written."""
    hashing = _hashing(lambda: hashlib.sha256(data).hexdigest()) if len(data) >= AHEAD_MIN else None
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    key = os.path.abspath(target)
    if hashing is None:
        _KNOWN.pop(key, None)
    else:
        _KNOWN[key] = (_signature(target), *hashing)
    return Path(target)


def write_with(target: str | os.PathLike, write) -> Path:
    """A file written atomically by `write(temporary path)` (a writer of its own: Polars'); a large one's sha256
    (the audit line's) begun from the file once it is in place."""
    with atomic_path(target) as tmp:
        write(tmp)
    _KNOWN.pop(os.path.abspath(target), None)
    if os.path.getsize(target) >= AHEAD_MIN:
        hash_ahead([target])
    return Path(target)


def write_text(target: str | os.PathLike, text: str) -> Path:
    return write_bytes(target, text.encode("utf-8"))


def write_json(target: str | os.PathLike, obj) -> Path:
    """Deterministic JSON: same data, same bytes."""
    return write_text(target, json_text(obj) + "\n")


def json_text(obj, indent: int = 2) -> str:
    """`json.dumps(obj, ensure_ascii=False, indent=indent, default=str)`, byte for byte, faster.

    With `indent` the standard library encodes in Python, token by token (thousands of findings: a
    noticeable part of `validate --json`). Here every innermost list or object (no list or object
    inside: a finding, a count table) is encoded by the C encoder with the line break and indentation
    of its depth as item separator, which is exactly what the indented output holds between its items;
    only the outer levels are laid out in Python. Anything unusual (a key that is not text, a cycle)
    goes the standard way.
    """
    try:
        parts: list[str] = []
        _layout(obj, 0, " " * indent, parts, set())
        return "".join(parts)
    except _Unusual:
        return json.dumps(obj, ensure_ascii=False, indent=indent, default=str)


class _Unusual(Exception):
    pass


_CONTAINERS = (list, tuple, dict)


@functools.lru_cache(maxsize=64)
def _encoder(item_separator: str):
    """encode(obj) -> text, as JSONEncoder(ensure_ascii=False, default=str, separators=(item_separator, ": ")).

    The C encoder is made once per separator (JSONEncoder.encode makes one per call); an innermost
    container holds no container, so it needs no cycle check."""
    from json.encoder import c_make_encoder, encode_basestring

    plain = json.JSONEncoder(ensure_ascii=False, default=str, separators=(item_separator, ": "))
    if c_make_encoder is None:  # pragma: no cover - CPython always has it
        return plain.encode
    made = c_make_encoder(None, str, encode_basestring, None, ": ", item_separator, False, False, True)
    join = "".join

    def encode(obj) -> str:
        return join(made(obj, 0)) if isinstance(obj, _CONTAINERS) else plain.encode(obj)

    return encode


def _scalar(value) -> str:
    """A value that holds no list or object, as the encoder writes it: text, whole numbers and the three
    literals directly; anything else (decimals, dates through `default=str`…) through the encoder."""
    kind = type(value)
    if kind is str:
        return _text(value)
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    return _encoder(",")(value)


_text = json.encoder.encode_basestring  # the C function when CPython has it, as the encoder uses


def _innermost(obj, depth: int, step: str) -> str:
    """An empty or innermost list or object at `depth`, laid out by the C encoder."""
    if not obj:
        return "{}" if isinstance(obj, dict) else "[]"
    inner = "\n" + step * (depth + 1)
    text = _encoder("," + inner)(obj)
    return f"{text[0]}{inner}{text[1:-1]}\n{step * depth}{text[-1]}"


_NUL = "\\u0000"  # how the encoder writes the character 0, which marks a slot


def _two_levels(obj, depth: int, step: str, inner: str, out: list[str]) -> bool:
    """A list or object whose lists and objects are innermost (a finding and its rule codes) in one call of the
    C encoder: each inner one stands in as a marker text, then its own layout replaces the marker. False
    (nothing written) when deeper, or when the data itself holds the marker's character."""
    is_dict = isinstance(obj, dict)
    values = obj.values() if is_dict else obj
    nested = [v for v in values if isinstance(v, _CONTAINERS)]
    for v in nested:
        if any(map(isinstance, v.values() if isinstance(v, dict) else v, itertools.repeat(_CONTAINERS))):
            return False
    marks = {id(v): f"\0{i}\0" for i, v in enumerate(nested)}
    if len(marks) != len(nested):  # the same list twice: laid out the usual way
        return False
    if is_dict:
        if any(type(key) is not str for key in obj):
            return False
        shallow = {key: marks[id(v)] if id(v) in marks else v for key, v in obj.items()}
    else:
        shallow = [marks[id(v)] if id(v) in marks else v for v in obj]
    text = _encoder("," + inner)(shallow)
    if text.count(_NUL) != 2 * len(nested):
        return False
    for i, v in enumerate(nested):
        laid = _innermost(v, depth + 1, step)
        if _NUL in laid:
            return False
        text = text.replace(f'"{_NUL}{i}{_NUL}"', laid, 1)
    out.append(f"{text[0]}{inner}{text[1:-1]}\n{step * depth}{text[-1]}")
    return True


def _layout(obj, depth: int, step: str, out: list[str], path: set[int]) -> None:
    if not isinstance(obj, _CONTAINERS):
        out.append(_scalar(obj))  # a scalar reads the same at any depth
        return
    if not obj:
        out.append("{}" if isinstance(obj, dict) else "[]")
        return
    inner = "\n" + step * (depth + 1)
    values = obj.values() if isinstance(obj, dict) else obj
    if not any(map(isinstance, values, itertools.repeat(_CONTAINERS))):
        text = _encoder("," + inner)(obj)
        out.append(f"{text[0]}{inner}{text[1:-1]}\n{step * depth}{text[-1]}")
        return
    if _two_levels(obj, depth, step, inner, out):
        return
    if id(obj) in path:
        raise _Unusual
    path.add(id(obj))
    separator = inner
    if isinstance(obj, dict):
        out.append("{")
        for key, value in obj.items():
            if type(key) is not str:
                raise _Unusual
            if isinstance(value, _CONTAINERS):
                out.append(f"{separator}{_text(key)}: ")
                _layout(value, depth + 1, step, out, path)
            else:
                out.append(f"{separator}{_text(key)}: {_scalar(value)}")
            separator = "," + inner
        out.append("\n" + step * depth + "}")
    else:
        out.append("[")
        for value in obj:
            if isinstance(value, _CONTAINERS):
                out.append(separator)
                _layout(value, depth + 1, step, out, path)
            else:
                out.append(separator + _scalar(value))
            separator = "," + inner
        out.append("\n" + step * depth + "]")
    path.discard(id(obj))


def backup(path: str | os.PathLike, folder: str | os.PathLike | None = None) -> Path:
    """Timestamped copy kept before a user's file is rewritten."""
    path = Path(path)
    folder = Path(folder) if folder else path.parent / "sao-luu"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    dest = folder / f"{path.stem}.{stamp}{path.suffix}"
    n = 1
    while dest.exists():
        dest = folder / f"{path.stem}.{stamp}-{n}{path.suffix}"
        n += 1
    with atomic_path(dest) as tmp:  # a crash mid-copy never leaves a truncated "backup"
        shutil.copy2(path, tmp)
    return dest


def sha256(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --- digests worked out ahead ------------------------------------------------------------------------------------
# The audit line names every input and output by its sha256. A command's last step would read its inputs again and
# the file it has just written (a findings JSON of 120,000 rows: ~20 MB) to hash them, with the second core idle;
# here the inputs are hashed in a thread once read, and a large output while it is written (hashlib and file reads
# let go of the GIL). A digest is used only while the file's size and modification time are those it was hashed at.
AHEAD_MIN = 1 << 20  # bytes: a smaller output is hashed when the audit asks (a thread costs more)
_KNOWN: dict[str, tuple] = {}  # absolute path -> (size and mtime when hashed, done event, [digest])


def _signature(path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _hashing(work) -> tuple:
    """(done event, [digest]) of `work()` run in a thread of its own."""
    import threading

    done, box = threading.Event(), [None]

    def run() -> None:
        try:
            box[0] = work()
        except Exception:  # noqa: BLE001 - no digest ahead: the audit hashes the file itself
            pass
        finally:
            done.set()

    threading.Thread(target=run, name="thidua-sha256", daemon=True).start()
    return done, box


def hash_ahead(paths) -> None:
    """Begin the sha256 of files the audit line will name (a command's inputs, once read), in one thread."""
    import threading

    entries = []
    for p in paths:
        sig = _signature(p)
        if sig is not None:
            entry = _KNOWN[os.path.abspath(p)] = (sig, threading.Event(), [None])
            entries.append((p, entry))

    def run() -> None:
        for p, (_sig, done, box) in entries:
            try:
                box[0] = sha256(p)
            except OSError:
                pass
            finally:
                done.set()

    if entries:
        threading.Thread(target=run, name="thidua-sha256", daemon=True).start()


def known_sha256(path) -> str | None:
    """The sha256 worked out ahead for `path` (`hash_ahead`, `write_bytes`), if the file is still the one hashed."""
    entry = _KNOWN.get(os.path.abspath(path))
    if entry is None:
        return None
    sig, done, box = entry
    done.wait()
    return box[0] if sig is not None and _signature(path) == sig else None
