"""Rendering the Word documents: docxtpl in a sandbox, a template lint, the annex fast path.

Templates are data staff may edit, so they run in Jinja's SandboxedEnvironment with
autoescape on (a "&" in a unit name would otherwise corrupt the XML silently) and
StrictUndefined; before rendering, every variable a template uses must be provided,
and after rendering no `{{`/`{%` may be left that the data did not bring.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pandas as pd
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from ..catalog import load_catalog
from ..config import Config
from ..consolidate import Consolidation
from ..errors import UserError
from ..fileio import atomic_path
from ..model import ERROR
from .annex import (ANNEX_FIELDS, DeferredAnnex, W, _T, drop_person_columns, fill_annex, markers_in,
                    only_collectives)
from .context import (AnnexRow, annex_rows as list_rows, award_lines, bao_cao_context, cong_van_context,
                      quyet_dinh_context, to_trinh_context)
from .bien_ban import bien_ban_context
from .numbering import next_number as _next_number, so_decisions  # noqa: F401  (so_decisions: callers' name)
from .filters import FILTERS

KINDS = ("bao-cao-tong-ket", "cong-van-phat-dong", "quyet-dinh", "to-trinh", "bien-ban")
TEMPLATE_DIR = Path(__file__).with_name("templates")
_TAG = re.compile(r"\{\{|\{%|\{#")


class TemplateProblem(UserError):
    """A template that cannot be rendered safely (missing variable, leftover tag, forbidden code)."""


def make_env() -> SandboxedEnvironment:
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    env.filters.update(FILTERS)
    return env


def template_path(kind: str, templates_dir: str | Path | None = None) -> Path:
    """The staff's own copy (templates_dir/<kind>.docx) when present, else the packaged one."""
    if templates_dir:
        own = Path(templates_dir) / f"{kind}.docx"
        if own.is_file():
            return own
    path = TEMPLATE_DIR / f"{kind}.docx"
    if not path.is_file():
        raise TemplateProblem(f"Không tìm thấy mẫu văn bản “{kind}.docx”.")
    return path


def _strings(obj) -> Iterable[str]:
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _strings(v)
    elif isinstance(obj, AnnexRow):
        yield from _strings(obj.values)


def _all_text(docx) -> list[str]:
    texts = []
    body = docx.element.body
    for p in body.iter(f"{{{W}}}p"):
        texts.append("".join(t.text or "" for t in p.iter(_T)))
    for section in docx.sections:
        for part in (section.header, section.first_page_header, section.footer):
            for p in part._element.iter(f"{{{W}}}p"):
                texts.append("".join(t.text or "" for t in p.iter(_T)))
    return texts


def lint_template(path: str | Path, context: dict, annex: bool = False) -> list[str]:
    """Problems of a template against a context: variables used but not provided, unknown annex markers."""
    tpl = DocxTemplate(str(path))
    try:
        tpl.init_docx()
    except Exception as exc:  # noqa: BLE001 - not a zip, a .doc renamed, Word's lock file: the staff's to fix
        raise TemplateProblem(f"Mẫu “{Path(path).name}” không mở được: tệp bị hỏng hoặc không phải tệp Word .docx "
                              f"({type(exc).__name__}). Hãy mở bằng Word và lưu lại dạng .docx, hoặc xóa tệp "
                              "để dùng mẫu có sẵn.") from None
    problems = []
    try:
        missing = sorted(tpl.get_undeclared_template_variables(make_env()) - set(context))
    except TemplateError as exc:
        return [f"lỗi cú pháp thẻ Jinja: {exc}"]
    if missing:
        problems.append("thiếu dữ liệu cho biến: " + ", ".join(missing))
    if annex:
        unknown = markers_in(tpl.docx.element.body) - set(ANNEX_FIELDS)
        if unknown:
            problems.append("bảng danh sách có ô không rõ: " + ", ".join(f"«{m}»" for m in sorted(unknown)))
    return problems


def leftover_tags(docx, context: dict) -> list[str]:
    """Paragraphs with `{{`/`{%`/`{#` the data did not bring (a tag Word split, a typo)."""
    from_data = [s for s in _strings(context) if _TAG.search(s)]
    bad = []
    for text in _all_text(docx):
        if _TAG.search(text) and not any(s in text for s in from_data):
            bad.append(text[:120])
    return bad


def render_docx(template: str | Path, context: dict, out: str | Path,
                annex_rows: list | None = None) -> Path:
    """Render one document: lint, docxtpl (sandboxed, autoescaped), annex rows, atomic save."""
    template = Path(template)
    out = Path(out)
    problems = lint_template(template, context, annex=annex_rows is not None)
    if problems:
        raise TemplateProblem(f"Mẫu “{template.name}” không dùng được: " + "; ".join(problems) + ".")
    tpl = DocxTemplate(str(template))
    try:
        tpl.render(context, jinja_env=make_env(), autoescape=True)
    except TemplateError as exc:
        raise TemplateProblem(f"Mẫu “{template.name}” bị từ chối khi xuất văn bản: {exc}") from exc
    left = leftover_tags(tpl.docx, context)
    if left:
        raise TemplateProblem(f"Mẫu “{template.name}” còn thẻ chưa xử lý (có thể Word đã tách thẻ): "
                              + " | ".join(left[:3]))
    size_rules(tpl.docx)
    core_properties(tpl.docx, context)
    deferred = None
    if annex_rows is not None:
        if only_collectives(annex_rows):  # a list of collectives has no birth date, gender or position
            drop_person_columns(tpl.docx.element.body)
        deferred = DeferredAnnex(tpl.docx.element.body, annex_rows)
        if deferred.usable:
            deferred.prepare()
        else:
            fill_annex(tpl.docx.element.body, annex_rows)
            deferred = None
    with atomic_path(out) as tmp:
        if deferred is None:
            tpl.save(str(tmp))
        else:
            _save_streaming(tpl, deferred, tmp)
    return out


def _save_streaming(tpl: DocxTemplate, deferred, path) -> None:
    """Save with the annex rows streamed into word/document.xml, never held as a tree or one string.

    The document (without its rows) is saved to memory as docxtpl would, then copied part by
    part; the main part is written as head, one row at a time, tail.
    """
    import io
    import zipfile

    buf = io.BytesIO()
    tpl.save(buf)
    main = tpl.docx.part.partname.lstrip("/")
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename != main:
                zout.writestr(item, data)
                continue
            head, tail = deferred.split(data)
            del data
            with zout.open(item, "w") as w:
                w.write(head)
                chunk: list[bytes] = []
                for row in deferred.rows_bytes():
                    chunk.append(row)
                    if len(chunk) >= 2000:
                        w.write(b"".join(chunk))
                        chunk.clear()
                w.write(b"".join(chunk))
                w.write(tail)


def core_properties(docx, context: dict) -> None:
    """Title (the trích yếu), author (the issuing body), date (the document's own) and language."""
    import datetime as dt

    cp = docx.core_properties
    title = " ".join(str(context.get("trich_yeu") or "").split())
    if title:
        cp.title = title[:255]
    org = context.get("ten_co_quan") or context.get("co_quan_ban_hanh") or ""
    if org:
        cp.author = cp.last_modified_by = str(org)
    cp.language = "vi-VN"
    iso = context.get("ngay_iso") or ""
    if iso:
        when = dt.datetime.fromisoformat(iso)
        cp.created = cp.modified = when
    cp.revision = 1


# --- the short rules under the issuing body, the Tiêu ngữ and the trích yếu (NĐ 30) ------
RULE_STYLES = {"TĐKT Gạch dưới tên cơ quan": 0.5, "TĐKT Gạch dưới tiêu ngữ": 1.0, "TĐKT Gạch dưới trích yếu": 0.4}
# Rough Times New Roman advance widths in em; enough to size a rule to a line of text.
_NARROW = set("fijlrtI.,;:!'()-/ ")
_WIDE = set("mwMW")


def text_width_cm(text: str, size_pt: float, bold: bool = False) -> float:
    import unicodedata

    em = 0.0
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            continue
        if ch == " ":
            em += 0.25
        elif ch in _NARROW:
            em += 0.3
        elif ch in _WIDE:
            em += 0.85
        elif ch.isupper():
            em += 0.7
        elif ch.isdigit():
            em += 0.5
        else:
            em += 0.46
    return em * size_pt * (1.06 if bold else 1.0) / 72 * 2.54


def _para_size_bold(p) -> tuple[float, bool]:
    size, bold = 14.0, False
    for r in p.runs:
        if r.text.strip():
            if r.font.size:
                size = r.font.size.pt
            bold = bool(r.bold)
            break
    return size, bold


def size_rules(docx) -> None:
    """Give each rule paragraph the length NĐ 30 asks, centred under the text above it."""
    from docx.shared import Cm
    from docx.text.paragraph import Paragraph

    sec = docx.sections[0]
    body_cm = (sec.page_width - sec.left_margin - sec.right_margin) / 360000
    for p_el in list(docx.element.body.iter(f"{{{W}}}p")):
        p = Paragraph(p_el, None)
        style_id = p_el.pPr.pStyle.val if p_el.pPr is not None and p_el.pPr.pStyle is not None else ""
        style = docx.styles.element.get_by_id(style_id) if style_id else None
        name = style.name_val if style is not None else ""
        ratio = RULE_STYLES.get(name)
        if ratio is None:
            continue
        prev = p_el.getprevious()
        if prev is None or prev.tag != f"{{{W}}}p":
            continue
        above = Paragraph(prev, None)
        size, bold = _para_size_bold(above)
        tc = p_el.getparent()
        width = body_cm
        if tc.tag == f"{{{W}}}tc":
            tcw = tc.find(f"{{{W}}}tcPr/{{{W}}}tcW")
            if tcw is not None and tcw.get(f"{{{W}}}w"):
                width = int(tcw.get(f"{{{W}}}w")) / 567
            width -= 0.4  # cell margins
        rule = min(text_width_cm(above.text, size, bold), width) * ratio
        side = max((width - rule) / 2, 0)
        p.paragraph_format.left_indent = Cm(side)
        p.paragraph_format.right_indent = Cm(side)
        p.paragraph_format.first_line_indent = Cm(0)


# --- what goes into decisions and submissions ---------------------------------------
@dataclass
class Excluded:
    """A nominee kept out of decisions and submissions, and why."""

    award: str
    ho_ten: str
    unit: str
    file: str
    sheet: str
    row: int
    reasons: list[str]


def split_lists(result: Consolidation, findings=None) -> tuple[dict[str, pd.DataFrame], list[Excluded]]:
    """Award lists without the rows that carry a row-level error; unit-level findings keep rows in."""
    bad: dict[tuple, list[str]] = {}
    for f in findings or []:
        if getattr(f, "severity", None) == ERROR and getattr(f, "row", None) is not None:
            bad.setdefault((f.file or "", f.sheet or "", int(f.row)), []).append(f"{f.code}: {f.message}")
    lists: dict[str, pd.DataFrame] = {}
    excluded: list[Excluded] = []
    for code, df in result.lists.items():
        if not bad or df.empty or "row" not in df:
            lists[code] = df
            continue
        keys = [(str(fi or ""), str(sh or ""), int(r) if pd.notna(r) else -1)
                for fi, sh, r in zip(df.get("file", ""), df.get("sheet", ""), df["row"])]
        keep = [k not in bad for k in keys]
        for k, ok, rec in zip(keys, keep, df.to_dict("records")):
            if not ok:
                excluded.append(Excluded(code, str(rec.get("ho_ten", "")), str(rec.get("unit", "")),
                                         k[0], k[1], k[2], bad[k]))
        lists[code] = df[keep].reset_index(drop=True)
    return lists, excluded


def _out_name(kind: str, year: int, suffix: str = "") -> str:
    base = {"bao-cao-tong-ket": "Bao-cao-tong-ket", "cong-van-phat-dong": "Cong-van-phat-dong",
            "quyet-dinh": "Quyet-dinh", "to-trinh": "To-trinh", "bien-ban": "Bien-ban-Hoi-dong-TDKT"}[kind]
    return f"{base}{'-' + suffix if suffix else ''}-{year}.docx"


def render_reports(result: Consolidation, config: Config, narrative: dict, out_dir: str | Path,
                   kinds: Iterable[str] | None = None, findings=None, votes: dict | None = None,
                   templates_dir: str | Path | None = None, decision=None) -> list[Path]:
    """Render the chosen documents into out_dir; returns the .docx paths written.

    Every document counts from one decided set (decide.py): decisions and tờ trình list it,
    the báo cáo counts it (granted apart from proposed upward), the biên bản puts the valid
    proposals and the votes beside it. decision: a decide.Decision; when None it is computed
    from result, findings and votes ({award code: votes.Vote or số phiếu đồng ý}).
    """
    from .outcome import decide_consolidation, granted_and_upward, submissions

    out_dir = Path(out_dir)
    kinds = list(kinds or KINDS)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise UserError(f"Loại văn bản không có: {', '.join(unknown)}. Chọn trong: {', '.join(KINDS)}.")
    narrative = narrative or {}
    y = result.year
    written: list[Path] = []
    if decision is None:
        decision = decide_consolidation(result, findings, votes, config)
    decided = decision.decided
    cat = load_catalog()

    if "bao-cao-tong-ket" in kinds:
        granted, upward = granted_and_upward(decision)
        ctx = bao_cao_context(decided, config, narrative)
        ctx["ket_qua_khen_thuong"] = award_lines(granted, ctx["ten_co_quan"]) or ["Chưa có số liệu khen thưởng."]
        ctx["dang_de_nghi"] = award_lines(upward, ctx["ten_co_quan"])
        written.append(render_docx(template_path("bao-cao-tong-ket", templates_dir), ctx,
                                   out_dir / _out_name("bao-cao-tong-ket", y)))
    if "cong-van-phat-dong" in kinds:
        written.append(render_docx(template_path("cong-van-phat-dong", templates_dir),
                                   cong_van_context(result, config, narrative),
                                   out_dir / _out_name("cong-van-phat-dong", y + 1)))
    if "quyet-dinh" in kinds:
        for code, df, number in so_decisions(decided.lists, config):
            ctx = quyet_dinh_context(code, df, decided, config, narrative, number)
            rows = list_rows([(None, df)], decided)
            written.append(render_docx(template_path("quyet-dinh", templates_dir), ctx,
                                       out_dir / _out_name("quyet-dinh", y, code), annex_rows=rows))
    if "to-trinh" in kinds:
        first = config.get("so_to_trinh")
        for n, sub in enumerate(submissions(decision)):
            ctx = to_trinh_context(sub.target, sub.frames, decided, config, narrative, _next_number(first, n),
                                     codes=sub.codes)
            rows = list_rows(sub.frames, decided)
            written.append(render_docx(template_path("to-trinh", templates_dir), ctx,
                                       out_dir / _out_name("to-trinh", y, sub.suffix), annex_rows=rows))
    if "bien-ban" in kinds:
        written.append(render_docx(template_path("bien-ban", templates_dir),
                                   bien_ban_context(decision.valid, config, narrative, decision=decision),
                                   out_dir / _out_name("bien-ban", y)))
    return written
