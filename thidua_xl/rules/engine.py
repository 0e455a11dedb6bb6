"""Rule records and the machinery that runs them.

The law lives in data (``rules/data/*.toml``): each record names the awards it
covers, the legal regime and years it belongs to, the *kind* of check with its
parameters, a severity, the legal reference and whether that reference was
verified. Each kind is one function over whole columns, registered by name in
``KINDS`` (see ``checks.py``). A Sở changes thresholds, severities or switches a
rule off in an override file or a ``Quy định`` sheet, never in code.
"""
from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Callable

from ..errors import UserError
from ..model import ERROR, INFO, WARNING
from ..text import clean, fold

REGIME_A = "A"  # Luật TĐKT 2003 (sửa đổi 2005, 2013) + NĐ 91/2017/NĐ-CP: award years ≤ 2023
REGIME_B = "B"  # Luật TĐKT 06/2022/QH15 + its decrees by date (legal_texts.toml): award years ≥ 2024
FIRST_YEAR_B = 2024
REGIME_LABEL = {
    REGIME_A: "Luật Thi đua, khen thưởng 2003 (sửa đổi 2013), Nghị định 91/2017/NĐ-CP",
    REGIME_B: "Luật Thi đua, khen thưởng 2022 (06/2022/QH15) và các nghị định, thông tư hướng dẫn theo ngày hiệu lực",
}
SEVERITIES = (ERROR, WARNING, INFO)
RULE_FIELDS = ("id", "title", "awards", "regime", "effective_from", "effective_to", "kind", "code", "params",
               "severity", "legal_ref", "quote", "source", "texts", "verified", "enabled", "message")
UNVERIFIED_NOTE = "(Quy định này chưa được đối chiếu với văn bản gốc nên chỉ là cảnh báo.)"


def regime_for_year(year: int) -> str:
    """The regime of an award year (năm thành tích): A up to 2023, B from 2024."""
    return REGIME_A if int(year) < FIRST_YEAR_B else REGIME_B


def _year_of(value) -> int | None:
    """effective_from/to may be a year or a date (2024-01-01)."""
    if value in (None, ""):
        return None
    if hasattr(value, "year"):
        return int(value.year)
    text = str(value).strip()
    return int(text[:4]) if text[:4].isdigit() else None


def _tuple(v) -> tuple[str, ...]:
    """A list field given as a list or as text "a, b; c"."""
    if isinstance(v, str):
        return tuple(a.strip() for a in v.replace(";", ",").split(",") if a.strip())
    return tuple(v or ())


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    code: str
    message: str
    awards: tuple[str, ...] = ("*",)
    regime: str = "*"
    effective_from: int | None = None
    effective_to: int | None = None
    params: dict = field(default_factory=dict)
    severity: str = WARNING
    legal_ref: str | None = None  # law, article, clause, point: the finding's legal_basis
    quote: str = ""  # a short verbatim quote of the text the rule implements
    source: str = ""  # where the quote was read (address of the page or document)
    texts: tuple[str, ...] = ()  # ids of rules/data/legal_texts.toml the rule rests on
    verified: bool = False  # true only with a quote
    enabled: bool = True
    title: str = ""
    defined_in: str = ""  # which file defined or last overrode it

    def applies_to_year(self, year: int) -> bool:
        if not self.enabled:
            return False
        if self.regime not in ("*", "", None) and self.regime != regime_for_year(year):
            return False
        if self.effective_from is not None and year < self.effective_from:
            return False
        if self.effective_to is not None and year > self.effective_to:
            return False
        return True

    def covers(self, award: str | None) -> bool:
        return "*" in self.awards or (award is not None and award in self.awards)

    @property
    def effective_severity(self) -> str:
        """An unverified rule is never an error: it ships as a warning that says so."""
        if not self.verified and self.severity == ERROR:
            return WARNING
        return self.severity

    @classmethod
    def from_record(cls, rec: dict, source: str = "") -> "Rule":
        missing = [k for k in ("id", "kind", "code", "message") if not rec.get(k)]
        if missing:
            raise UserError(f"Quy định trong “{source}” thiếu trường: {', '.join(missing)} ({rec.get('id', '?')}).")
        sev = str(rec.get("severity", WARNING)).lower()
        if sev not in SEVERITIES:
            raise UserError(f"Quy định “{rec['id']}”: mức “{sev}” không hợp lệ (error, warning, info).")
        awards = rec.get("awards", ["*"])
        if isinstance(awards, str):
            awards = [a.strip() for a in awards.replace(";", ",").split(",") if a.strip()]
        return cls(
            id=str(rec["id"]), kind=str(rec["kind"]), code=str(rec["code"]), message=str(rec["message"]),
            awards=tuple(awards), regime=str(rec.get("regime", "*")),
            effective_from=_year_of(rec.get("effective_from")), effective_to=_year_of(rec.get("effective_to")),
            params=dict(rec.get("params", {})), severity=sev, legal_ref=rec.get("legal_ref") or None,
            quote=str(rec.get("quote", "")), source=str(rec.get("source", "")), texts=_tuple(rec.get("texts", ())),
            verified=bool(rec.get("verified", False)), enabled=bool(rec.get("enabled", True)),
            title=str(rec.get("title", "")), defined_in=source,
        )

    def merged(self, override: dict, source: str) -> "Rule":
        """This rule with the fields an override names (params merged key by key)."""
        changes = {}
        for k, v in override.items():
            if k == "id":
                continue
            if k == "params":
                p = dict(self.params)
                p.update(v)
                changes["params"] = p
            elif k in ("effective_from", "effective_to"):
                changes[k] = _year_of(v)
            elif k in ("awards", "texts"):
                changes[k] = _tuple(v)
            elif k == "severity":
                sev = str(v).lower()
                if sev not in SEVERITIES:
                    raise UserError(f"Quy định “{self.id}”: mức “{v}” không hợp lệ (error, warning, info).")
                changes[k] = sev
            elif k in RULE_FIELDS:
                changes[k] = v
        changes["defined_in"] = source
        return replace(self, **changes)


@dataclass
class RuleSet:
    rules: list[Rule]

    def __iter__(self):
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def for_year(self, year: int) -> list[Rule]:
        return [r for r in self.rules if r.applies_to_year(year)]

    def apply(self, overrides: list[dict], source: str) -> "RuleSet":
        """Merge override records: a known id changes that rule, a new id adds a rule."""
        rules = list(self.rules)
        index = {r.id: i for i, r in enumerate(rules)}
        for rec in overrides:
            rid = str(rec.get("id", "")).strip()
            if not rid:
                raise UserError(f"Tệp quy định “{source}”: một dòng không có mã quy định (id).")
            if rid in index:
                rules[index[rid]] = rules[index[rid]].merged(rec, source)
            else:
                rule = Rule.from_record(rec, source)
                index[rid] = len(rules)
                rules.append(rule)
        unknown = [r.kind for r in rules if r.kind not in KINDS]
        if unknown:
            raise UserError(f"Loại kiểm tra không có: {', '.join(sorted(set(unknown)))} "
                            f"(có: {', '.join(sorted(KINDS))}).")
        return RuleSet(rules)


# --- loading -----------------------------------------------------------------------
def _toml_rules(text: str, source: str) -> list[dict]:
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
    rules: list[Rule] = []
    folder = resources.files("thidua_xl.rules").joinpath("data")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            for rec in _toml_rules(entry.read_text(encoding="utf-8"), entry.name):
                rules.append(Rule.from_record(rec, entry.name))
    return RuleSet(rules)


# Sheet / CSV layout of overrides: one setting per line.
OVERRIDE_HEADERS = {
    "Mã quy định": ("id", ("Mã", "Quy định", "id")),
    "Tham số": ("param", ("Thông số", "Trường", "param")),
    "Giá trị": ("value", ("value",)),
}
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

        rows, _warnings = read_list_rows(path, prefer="Quy định")
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


def load_rules(override: str | os.PathLike | None = None, intake=None) -> RuleSet:
    """Packaged rules, then the master's `Quy định` sheet, then an override file (last wins)."""
    rules = load_builtin()
    if intake is not None:
        found = master_override_rows(intake)
        if found:
            rules = rules.apply(found[0], found[1])
    if override:
        rules = rules.apply(read_override_file(override), Path(override).name)
    return rules


# --- check kinds ---------------------------------------------------------------------
KINDS: dict[str, Callable] = {}
HISTORY_KINDS: set[str] = set()  # kinds that match their rows against the history register


def check(kind: str, history: bool = False):
    """Register a check function under the kind name rule records use.

    history=True: the check matches its rows (`Context.rows_for`) against the register,
    so validation loads the register records of those rows' people.
    """
    def deco(fn):
        KINDS[kind] = fn
        if history:
            HISTORY_KINDS.add(kind)
        return fn
    return deco


class _SafeDict(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def render(rule: Rule, values: dict) -> str:
    """The rule's template filled in, naming the rule and its legal basis."""
    text = rule.message.format_map(_SafeDict({k: _fmt(v) for k, v in values.items()}))
    tail = f"Quy định {rule.id}"
    if rule.legal_ref:
        tail += f"; căn cứ: {rule.legal_ref}"
    return f"{text} [{tail}]"


def _fmt(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return v


from . import checks as _checks  # noqa: E402,F401  (registers the kinds)
from . import collective as _collective  # noqa: E402,F401
from . import person_checks as _person_checks  # noqa: E402,F401
