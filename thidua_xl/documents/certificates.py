"""Certificates for everyone a decision of the Giám đốc Sở names: Giấy khen and title certificates.

After the decision is signed the office prints one certificate per awardee on the Sở's
pre-printed forms. One .docx per decision, one page per awardee, in the order of the
decision's annex (Tập thể, then Cá nhân; by unit; by tên then họ đệm), with the texts
the decision itself prints — its number and date, place, signer — taken from the same
context as the decision, and placed where the master's `Mẫu in` sheet says.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd

from ..catalog import CA_NHAN, load_catalog
from ..config import Config
from ..consolidate import Consolidation
from ..errors import UserError
from ..text import clean, fold
from ..workbook.print_form import DEFAULT_FORM, PrintForm
from .context import SO_AWARDS, annex_rows, paragraphs, quyet_dinh_context
from .certificate_docx import calibration_xml, pages_xml, write_docx

CERT_KIND = "chung-nhan"
CALIBRATION_NAME = "Chung-nhan-can-chinh.docx"
HONORIFIC = {"nam": "Ông", "nu": "Bà"}


def decided_set(result: Consolidation, findings=None, votes: dict | None = None,
                config: Config | None = None) -> Consolidation:
    """The rows the Sở's decisions list, as the quyết định takes them: the certificates' only source of people
    (decide.py: valid, passed by the Hội đồng, not `Không đồng ý`)."""
    from .outcome import decide_consolidation

    return decide_consolidation(result, findings, votes, config or Config({})).decided


@dataclass
class Certificates:
    """The pages of one decision's certificates: one dict of field texts per awardee."""

    award: str
    title: str
    number: str
    year: int
    pages: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return f"Chung-nhan-{self.award}-{self.year}.docx"


def achievement(code: str, ctx: dict, year: int, narrative: dict) -> str:
    """The line under the name: the `Văn bản` field, else the decision's own words."""
    a = load_catalog()[code]
    if a.kind == "danh_hieu_thi_dua":
        return f"Đạt danh hiệu “{a.name}” năm {year}"
    own = paragraphs(narrative.get("thanh_tich_giay_khen", ""))
    if own:
        return " ".join(own)
    m = re.search(r"\bđã có (.+?)\s*\(có danh sách", ctx.get("dieu1", ""))
    return f"Đã có {m.group(1)}" if m else f"Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm {year}"


def award_pages(code: str, df: pd.DataFrame, result: Consolidation, config: Config, narrative: dict, number: str,
                form: PrintForm = DEFAULT_FORM) -> Certificates:
    """The certificates of one decision: its annex's rows, in its order, with its number, date and signer."""
    ctx = quyet_dinh_context(code, df, result, config, narrative, number)
    a = load_catalog()[code]
    certs = Certificates(code, a.name, ctx["so_ky_hieu"], result.year)
    shared = {
        "thanh_tich": achievement(code, ctx, result.year, narrative),
        "quyet_dinh": f"Quyết định số {ctx['so_ky_hieu']} {ctx['ngay']}",
        "dia_danh_ngay": f"{ctx['dia_danh']}, {ctx['ngay']}" if ctx["dia_danh"] else ctx["ngay"],
        "ky_dong1": ctx["ky_dong1"], "ky_dong2": ctx["ky_dong2"], "nguoi_ky": ctx["nguoi_ky"],
    }
    for row in annex_rows([(None, df)], result):
        if row.kind != "dong":
            continue
        v = row.values
        name, unit = v.get("ho_ten", ""), v.get("don_vi", "")
        page = dict(shared)
        if v.get("doi_tuong") == CA_NHAN:
            prefix = HONORIFIC.get(fold(v.get("gioi_tinh")), "")
            if not prefix and form.honorific:
                certs.warnings.append(f"{a.name}: không rõ giới tính của “{name}” ({unit}) — in họ tên không có "
                                      "“Ông”/“Bà”.")
            page["ho_ten"] = f"{prefix} {name}" if prefix and form.honorific else name
            page["chuc_vu"] = ", ".join(x for x in (v.get("chuc_vu", ""), v.get("khoa_phong", "")) if x)
            page["don_vi"] = unit
        else:
            page["ho_ten"] = name
            page["chuc_vu"] = ""
            page["don_vi"] = "" if fold(unit) == fold(name) else unit  # a unit awarded as a whole
        certs.pages.append(page)
    return certs


def resolve_awards(names: Iterable[str] | None) -> list[str] | None:
    """Award codes from `--award` (code, name or abbreviation); only awards the Giám đốc Sở decides."""
    if not names:
        return None
    cat = load_catalog()
    codes = []
    for n in names:
        code = cat.match(n) if clean(n) else None
        if code is None and clean(n).upper() in SO_AWARDS:
            code = clean(n).upper()
        if code is None:
            raise UserError(f"Không nhận ra hình thức “{n}”. Dùng mã hoặc tên: "
                            + ", ".join(f"{c} ({cat[c].name})" for c in SO_AWARDS) + ".")
        if code not in SO_AWARDS:
            raise UserError(f"“{cat[code].name}” không do Giám đốc Sở quyết định nên không in giấy chứng nhận ở "
                            "đây. Chọn trong: " + ", ".join(SO_AWARDS) + ".")
        if code not in codes:
            codes.append(code)
    return codes


def plan(result: Consolidation, config: Config, narrative: dict | None = None, findings=None,
         awards: Iterable[str] | None = None, form: PrintForm = DEFAULT_FORM,
         votes: dict | None = None) -> list[Certificates]:
    """The certificates of every decision of the Sở (or of the chosen awards), numbered as the decisions are."""
    from .numbering import so_decisions

    wanted = resolve_awards(awards)
    decided = decided_set(result, findings, votes, config)
    out = []
    for code, df, number in so_decisions(decided.lists, config):
        if wanted is None or code in wanted:
            out.append(award_pages(code, df, decided, config, narrative or {}, number, form))
    return out


def render_certificates(certs: list[Certificates], form: PrintForm, out_dir: str | Path,
                        author: str = "") -> list[Path]:
    """One .docx per decision, one page per awardee."""
    out_dir = Path(out_dir)
    written = []
    for c in certs:
        if not c.pages:
            continue
        written.append(write_docx(out_dir / c.file_name, form, pages_xml(form, c.pages),
                                  title=f"{c.title} năm {c.year} – Quyết định số {c.number}", author=author))
    return written


def render_calibration(form: PrintForm, out_dir: str | Path, samples: dict[str, str] | None = None) -> Path:
    """The alignment page: a 10 mm grid and every field's box, shifted by the printer offset."""
    return write_docx(Path(out_dir) / CALIBRATION_NAME, form, [calibration_xml(form, samples or {})],
                      title="Trang căn chỉnh mẫu in giấy khen")


def summary(certs: list[Certificates]) -> list[str]:
    """'Giấy khen của Giám đốc Sở Y tế: 12 trang – Quyết định số 15/QĐ-SYT' per decision."""
    return [f"{c.title}: {len(c.pages)} trang – Quyết định số {c.number}" for c in certs]
