"""Rule loading: the packaged TOML records, the master's `Quy định` sheet and an override file.

Later sources override earlier ones (packaged → sheet → `--rules FILE`); a known id changes
only the fields given, a new id adds a rule. A kind no check implements is refused here.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ..errors import UserError
from ..model import ERROR, INFO, WARNING
from ..packaged import data_folder
from ..schema import RULE_OVERRIDE_HEADERS, RULES_SHEET
from ..text import clean, fold
from .checks import KINDS
from .records import Rule, RuleSet


def _toml_rules(text: str, source: str) -> list[dict]:
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"Tệp quy định “{source}” sai cú pháp TOML: {exc}.") from None
    recs = data.get("rule", [])
    if not isinstance(recs, list):
        raise UserError(f"Tệp quy định “{source}”: cần các mục [[rule]].")
    return recs


def load_builtin() -> RuleSet:
    """The packaged rules (rules/data/*.toml), in file-name order."""
    folder = data_folder("thidua_xl.rules", __file__)
    files = [(e.name, e.read_text(encoding="utf-8")) for e in sorted(folder.iterdir(), key=lambda e: e.name)
             if e.name.endswith(".toml")]
    return RuleSet([Rule.from_record(rec, name) for name, recs in parsed_records(files) for rec in recs])


def parsed_records(files: list[tuple[str, str]]) -> list[tuple[str, list[dict]]]:
    """(file name, its [[rule]] records) for each (file name, TOML text), as `_toml_rules` parses them.

    Parsing the packaged TOML is most of loading the rules on every run, so the records are kept as
    JSON in the user's cache folder under the digest of the texts: the same texts, the same records
    (a changed text is a new digest). No cache folder, an unwritable one, a damaged file or records
    JSON cannot hold (TOML dates): the texts are parsed, as without a cache."""
    digest = hashlib.sha256(json.dumps(files, ensure_ascii=False).encode("utf-8")).hexdigest()
    try:
        path = _cache_folder() / f"rules-{digest[:32]}.json"
    except RuntimeError:  # no home folder
        path = None
    try:
        got = json.loads(path.read_text(encoding="utf-8")) if path is not None else None
        if got is not None and [name for name, _recs in got] == [name for name, _text in files] and all(
                isinstance(recs, list) and all(isinstance(r, dict) for r in recs) for _name, recs in got):
            return [(name, recs) for name, recs in got]
    except (OSError, ValueError, TypeError):
        pass
    parsed = [(name, _toml_rules(text, name)) for name, text in files]
    if path is None:
        return parsed
    try:
        text = json.dumps(parsed, ensure_ascii=False, allow_nan=False)
        if json.loads(text) == [[name, recs] for name, recs in parsed]:  # only what JSON gives back unchanged (TOML dates would not be)
            from ..fileio import write_text

            path.parent.mkdir(parents=True, exist_ok=True)
            write_text(path, text)
    except (OSError, ValueError, TypeError):
        pass  # the cache is a shortcut, never a reason to fail
    return parsed


def _cache_folder() -> Path:
    """%LOCALAPPDATA%\\ThiDua\\cache on Windows, else $XDG_CACHE_HOME/thidua (~/.cache/thidua)."""
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "ThiDua" / "cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "thidua"


# Sheet / CSV layout of overrides: one setting per line.
OVERRIDE_HEADERS = RULE_OVERRIDE_HEADERS
_FIELD_ALIASES = {
    "muc": "severity", "muc do": "severity", "severity": "severity",
    "ap dung": "enabled", "enabled": "enabled", "bat": "enabled",
    "da xac minh": "verified", "verified": "verified",
    "can cu": "legal_ref", "legal ref": "legal_ref", "noi dung": "message", "message": "message",
    "trich dan": "quote", "quote": "quote", "nguon": "source", "source": "source",
    "tu nam": "effective_from", "effective from": "effective_from",
    "den nam": "effective_to", "effective to": "effective_to",
}
_SEVERITY_WORDS = {"loi": ERROR, "error": ERROR, "canh bao": WARNING, "warning": WARNING,
                   "ghi chu": INFO, "thong tin": INFO, "info": INFO}
_TRUE = {"co", "x", "true", "1", "yes", "dung", "bat"}
_FALSE = {"khong", "false", "0", "no", "sai", "tat"}


def _cell_value(value):
    """A sheet cell as a parameter value: numbers stay numbers, '15%' → 0.15, 'a; b' → list."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() else float(value)
    text = clean(value)
    f = fold(text)
    if f in _TRUE:
        return True
    if f in _FALSE:
        return False
    t = text.replace(",", ".") if text.count(",") == 1 and text.replace(",", "").replace("%", "").strip().isdigit() else text
    try:
        if t.endswith("%"):
            return float(t[:-1].strip()) / 100
        num = float(t)
        return int(num) if num.is_integer() and "." not in t else num
    except ValueError:
        pass
    if ";" in text:
        return [clean(p) for p in text.split(";") if clean(p)]
    return text


def overrides_from_rows(rows: list[list], source: str) -> list[dict]:
    """Override records from a table `Mã quy định | Tham số | Giá trị` (one setting per line)."""
    from ..intake import find_table

    table = find_table(rows, OVERRIDE_HEADERS, ("Mã quy định", "Tham số", "Giá trị"))
    if table is None:
        raise UserError(f"“{source}”: cần bảng có các cột “Mã quy định”, “Tham số”, “Giá trị”.")
    col = {OVERRIDE_HEADERS[c][0]: j for j, c in table.columns.items()}
    by_id: dict[str, dict] = {}
    for r in rows[table.header_idx + 1:]:
        get = lambda k: r[col[k]] if col[k] < len(r) else None  # noqa: E731
        rid, param = clean(get("id")), clean(get("param"))
        if not rid or not param:
            continue
        value = _cell_value(get("value"))
        rec = by_id.setdefault(rid, {"id": rid})
        key = _FIELD_ALIASES.get(fold(param))
        if key == "severity":
            value = _SEVERITY_WORDS.get(fold(value), str(value))
        if key:
            rec[key] = value
        else:
            rec.setdefault("params", {})[param] = value
    return list(by_id.values())


def read_override_file(path: str | os.PathLike) -> list[dict]:
    """Override records from a .toml file ([[rule]] records) or a .xlsx/.csv table."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp quy định “{path}”.")
    suffix = path.suffix.lower()
    if suffix == ".toml":
        return _toml_rules(path.read_text(encoding="utf-8-sig"), path.name)
    if suffix in (".csv", ".xlsx", ".xlsm", ".xls", ".ods"):
        from ..intake.lists import read_list_rows

        rows, _warnings = read_list_rows(path, prefer=RULES_SHEET)
        return overrides_from_rows(rows, path.name)
    raise UserError(f"Tệp quy định “{path.name}” phải là .toml, .xlsx hoặc .csv.")


def master_override_rows(intake) -> tuple[list[dict], str] | None:
    """Overrides from a `Quy định` sheet in the master workbook, if it has one."""
    from ..reading import Unreadable, read_sheets

    for f in intake.files:
        if f.kind != "master" or not f.ok:
            continue
        names = [n for n in f.sheets if fold(n) in ("quy dinh", "quy dinh kiem tra")]
        if not names:
            continue
        try:
            rows = read_sheets(f.path, lambda _all: names[:1])[names[0]]
        except Unreadable as exc:
            raise UserError(f"Không đọc được trang “{names[0]}” của tệp “{f.file}”: {exc}.") from None
        return overrides_from_rows(rows, f"{f.file} › {names[0]}"), f"{f.file} › {names[0]}"
    return None



def known_kinds(rules: RuleSet) -> RuleSet:
    """The set unchanged, or a clear message naming the kinds no check implements."""
    unknown = [r.kind for r in rules if r.kind not in KINDS]
    if unknown:
        raise UserError(f"Loại kiểm tra không có: {', '.join(sorted(set(unknown)))} "
                        f"(có: {', '.join(sorted(KINDS))}).")
    return rules


def load_rules(override: str | os.PathLike | None = None, intake=None) -> RuleSet:
    """Packaged rules, then the master's `Quy định` sheet, then an override file (last wins)."""
    rules = load_builtin()
    if intake is not None:
        found = master_override_rows(intake)
        if found:
            rules = known_kinds(rules.apply(found[0], found[1]))
    if override:
        rules = known_kinds(rules.apply(read_override_file(override), Path(override).name))
    return rules
