"""Rule records: what one rule of the law says, and a set of them for an award year.

A record names the awards it covers, the legal regime and years it belongs to, the
*kind* of check with its parameters, a severity, the legal reference with its quote,
and whether that reference was verified. Loading them from files is `loading.py`;
running them is the kinds listed in `checks.py`.
"""
from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields, replace

from ..errors import UserError
from ..model import ERROR, INFO, WARNING
from ..perf import Frozen, Plain

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


@dataclass(frozen=True, init=False, repr=False, eq=False)
class Rule(Frozen):
    """One rule record (rules/data/*.toml, the master's sheet, an override file): a frozen dataclass (fields, replace)
    whose __init__ is written out below and whose __repr__, __eq__ and __hash__ are perf.Frozen's, as `dataclass`
    generates them: generated, they were compiled at every start (as model.Finding's; tests/test_model_records.py
    holds them to the generated ones)."""

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

    def __init__(self, id: str, kind: str, code: str, message: str, awards: tuple[str, ...] = ("*",),
                 regime: str = "*", effective_from: int | None = None, effective_to: int | None = None,
                 params: dict = MISSING, severity: str = WARNING, legal_ref: str | None = None, quote: str = "",
                 source: str = "", texts: tuple[str, ...] = (), verified: bool = False, enabled: bool = True,
                 title: str = "", defined_in: str = "") -> None:
        # the fields set as a frozen dataclass's __init__ sets them, without its __setattr__; a fresh dict of params
        self.__dict__.update(id=id, kind=kind, code=code, message=message, awards=awards, regime=regime,
                             effective_from=effective_from, effective_to=effective_to,
                             params={} if params is MISSING else params, severity=severity, legal_ref=legal_ref,
                             quote=quote, source=source, texts=texts, verified=verified, enabled=enabled, title=title,
                             defined_in=defined_in)

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


Rule._fields = tuple(f.name for f in fields(Rule))  # what perf.Frozen compares, hashes and shows


@dataclass(init=False, repr=False, eq=False)
class RuleSet(Plain):
    """The rules of a run, in order (a dataclass whose __init__, __repr__ and __eq__ are written out: see Rule)."""

    rules: list[Rule]
    _fields = ("rules",)  # what perf.Plain compares and shows (not a field: no annotation)

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules

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
        return RuleSet(rules)
