"""A rule as an officer reads it: its quote, citation, years, legal texts and whether it was verified.

`thidua rules` prints these; they are plain text so the Excel adapter can show them too.
"""
from __future__ import annotations

from ..catalog import load_catalog
from ..schema import SEVERITY_LABEL
from ..text import ngay_vn
from .records import REGIME_LABEL, Rule, RuleSet
from .legal_texts import text as legal_text


def years(rule: Rule) -> str:
    """'năm thi đua 2024' / 'từ năm 2025' / 'đến năm 2023' / 'mọi năm'."""
    lo, hi = rule.effective_from, rule.effective_to
    if lo and hi:
        return f"năm thi đua {lo}" if lo == hi else f"năm thi đua {lo}–{hi}"
    if lo:
        return f"năm thi đua từ {lo}"
    if hi:
        return f"năm thi đua đến {hi}"
    return "mọi năm thi đua"


def text_line(text_id: str) -> str:
    t = legal_text(text_id)
    if t is None:
        return text_id
    parts = [t.name]
    if t.effective_from:
        parts.append(f"hiệu lực từ {ngay_vn(t.effective_from)}")
    if t.effective_to:
        parts.append(f"hết hiệu lực {ngay_vn(t.effective_to)}")
    if t.replaced_by:
        new = legal_text(t.replaced_by)
        parts.append(f"thay bằng {new.number if new else t.replaced_by}")
    if not t.verified:
        parts.append("số hiệu, ngày tháng chưa đối chiếu đủ")
    return "; ".join(parts)


def _param(v) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_param(x)}" for k, x in v.items() if k != "unknown") + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(str(x) for x in v) + "]"
    return str(v)


def describe(rule: Rule) -> str:
    """Every field an officer needs to check the rule against the text, in Vietnamese."""
    catalog = load_catalog()
    awards = "mọi hình thức" if "*" in rule.awards else ", ".join(
        catalog.by_code[a].name if a in catalog.by_code else a for a in rule.awards)
    lines = [f"Quy định {rule.id}: {rule.title or rule.id}",
             f"  Áp dụng cho: {awards}" + (" (cá nhân)" if rule.params.get("subject") == "ca_nhan" else ""),
             f"  Chế độ: {REGIME_LABEL.get(rule.regime, 'mọi chế độ')}; {years(rule)}",
             f"  Căn cứ: {rule.legal_ref or '(không dẫn văn bản: kiểm tra dữ liệu)'}"]
    if rule.quote:
        lines.append(f"  Trích dẫn: “{rule.quote}”")
    if rule.source:
        lines.append(f"  Nguồn: {rule.source}")
    for t in rule.texts:
        lines.append(f"  Văn bản: {text_line(t)}")
    lines.append("  Đối chiếu: " + ("đã đối chiếu với trích dẫn trên" if rule.verified else
                                    "CHƯA đối chiếu với văn bản gốc, nên chỉ là cảnh báo"))
    lines.append(f"  Mức: {SEVERITY_LABEL.get(rule.effective_severity, rule.effective_severity)}"
                 + ("" if rule.enabled else " (đang tắt)"))
    params = ", ".join(f"{k} = {_param(v)}" for k, v in rule.params.items())
    lines.append(f"  Kiểm tra: {rule.kind}" + (f" ({params})" if params else ""))
    lines.append(f"  Khai báo tại: {rule.defined_in}")
    return "\n".join(lines)


def table(rules: RuleSet, year: int | None = None) -> list[list[str]]:
    """One line per rule (those of `year` when given): Mã, Tên, Căn cứ, Năm, Đối chiếu."""
    chosen = rules.for_year(year) if year is not None else [r for r in rules if r.enabled]
    return [[r.id, r.title, r.legal_ref or "", years(r), "có" if r.verified else "CHƯA"] for r in chosen]
