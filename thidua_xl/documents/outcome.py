"""What the Hội đồng's decision means for each document.

The báo cáo tells awards granted (the Sở's own, and higher ones whose decision is
recorded) from those still proposed upward; each tờ trình asks its addressee to grant
what is within his power and to forward what belongs to the Thủ tướng or the Chủ tịch
nước; the biên bản states each award's vote and the rows the Sở said no to; and the
reconciliation (`doi-chieu.xlsx`) shows every award's path from proposal to decision.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..catalog import load_catalog
from ..consolidate import Consolidation
from ..decide import REASON_LABEL, REJECTED, Decision, decide, parse_threshold, subset
from ..schema import CONFIG_SHEET, EXCLUDED_HEADERS, RECONCILIATION_HEADERS  # noqa: F401
from ..text import clean, so2
from .authority import forward_line, grants_itself  # noqa: F401  (where callers found them)
from .names import written
from .numbering import decision_refs

TARGETS = (("tinh", "UBND-tinh"), ("bo", "Bo-Y-te"))  # addressee of a tờ trình, file name suffix


def _rows(result: Consolidation) -> pd.DataFrame:
    frames = [df for df in result.lists.values() if df is not None and len(df)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["unit_code", "unit", "award", "subject", "ho_ten", "so_quyet_dinh"])


def decide_consolidation(result: Consolidation, findings, votes: dict | None, config) -> Decision:
    """The decision for callers that only hold a Consolidation (its rows, the master's settings)."""
    def _int(name):
        v = clean(config.get(name))
        return int(v) if v.isdigit() else None

    d = decide(_rows(result), findings, votes, year=result.year, units=list(result.units), files=result.files,
               presorted=True,
               members=_int("hoi_dong_co_mat") or _int("hoi_dong_tong_so"),
               threshold=parse_threshold(config.get("ty_le_thong_qua")))
    for c in (d.decided, d.proposed, d.valid):
        c.initiatives = result.initiatives
    return d


def granted_and_upward(decision: Decision) -> tuple[Consolidation, Consolidation]:
    """(granted, proposed upward): a higher award counts as granted once its decision is recorded."""
    own_codes = [a.code for a in load_catalog() if a.decided_by_so]

    def granted(df: pd.DataFrame) -> pd.Series:
        recorded = (df["so_quyet_dinh"].fillna("").astype(str).str.strip() != "") if "so_quyet_dinh" in df \
            else pd.Series(False, index=df.index)
        return df["award"].isin(own_codes) | recorded

    return subset(decision.decided, granted), subset(decision.decided, lambda df: ~granted(df))


def so_decisions(decision: Decision, config) -> dict[str, tuple[str, str]]:
    """{award code: (số ký hiệu, ngày)} of the Sở's own decisions, numbered as the quyết định are rendered
    (the first number in Cấu hình, then one more per award with rows, in catalogue order); '' when not set."""
    return decision_refs(decision.lists, config)


SETTINGS_NEEDED = (  # (setting, documents that print it, what is missing)
    ("ngay_van_ban", ("bao-cao-tong-ket", "cong-van-phat-dong", "quyet-dinh", "to-trinh", "bien-ban"),
     "ngày văn bản (dòng “Ngày văn bản”): văn bản để trống ngày, tháng, năm"),
    ("so_quyet_dinh", ("quyet-dinh",), "số quyết định đầu tiên (dòng “Số quyết định”): để trống số"),
    ("qd_chuc_nang", ("quyet-dinh",), "quyết định của UBND tỉnh quy định chức năng, nhiệm vụ của Sở (số, ngày): căn "
     "cứ của quyết định không ghi số, ngày"),
    ("thoi_gian_hop", ("bien-ban",), "thời gian họp Hội đồng (dòng “Thời gian họp Hội đồng”): biên bản để trống"),
    ("hoi_dong_co_mat", ("bien-ban",), "số thành viên Hội đồng có mặt: tỷ lệ phiếu tính trên số ghi ở Biểu quyết"),
)


def missing_settings(config, kinds) -> list:
    """Findings for the settings of `Cấu hình` the chosen documents print but that are empty — asked for
    before rendering, never filled from today's clock."""
    from ..model import WARNING, Finding

    out = []
    for name, docs, what in SETTINGS_NEEDED:
        if any(k in docs for k in kinds) and not clean(config.values.get(name)):
            out.append(Finding("MISSING_SETTING", WARNING, f"Trang “{CONFIG_SHEET}” chưa có {what}.", sheet=CONFIG_SHEET,
                               column=name, rule="DOCUMENTS.SETTINGS"))
    return out


@dataclass
class Submission:
    """One tờ trình: its addressee and the award lists it carries, in catalogue order."""

    target: str  # tinh | bo
    suffix: str
    frames: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)


def submissions(decision: Decision) -> list[Submission]:
    """Tờ trình to write: to UBND tỉnh (its own awards and what it forwards), to Bộ Y tế likewise."""
    out = []
    for target, suffix in TARGETS:
        sub = Submission(target, suffix)
        for a in load_catalog():
            df = decision.lists.get(a.code)
            if a.via == target and df is not None and len(df):
                if "so_quyet_dinh" in df:  # already granted (its decision recorded): nothing left to ask
                    df = df[df["so_quyet_dinh"].fillna("").astype(str).str.strip() == ""]
                if len(df):
                    sub.frames.append((a.name, df.reset_index(drop=True)))
                    sub.codes.append(a.code)
        if sub.frames:
            out.append(sub)
    return out


# --- biên bản ---------------------------------------------------------------------------
def _names(items: list[str], limit: int = 12) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" và {len(items) - limit} trường hợp khác" if len(items) > limit else "")


def vote_conclusions(decision: Decision) -> list[str]:
    """The Hội đồng's results as the biên bản states them: passed, not passed, rows said no to."""
    cat = load_catalog()
    passed, failed, pending = [], [], []
    for code, t in decision.valid.totals.items():
        if not sum(t.values()):
            continue
        v = decision.votes.get(code)
        name = cat[code].name
        (passed if v and v.passed else failed if v and v.passed is False else pending).append(name)
    out = []
    if passed:
        out.append(f"Hội đồng thông qua: {', '.join(passed)}.")
    if failed:
        out.append(f"Hội đồng không thông qua: {', '.join(failed)}.")
    if pending:
        out.append(f"Chưa có kết quả biểu quyết: {', '.join(pending)}.")
    no = [e for e in decision.excluded if e.reason == REJECTED]
    if no:
        out.append(f"Hội đồng không đồng ý đề nghị đối với {so2(len(no))} trường hợp: "
                   + _names([f"{written(e.ho_ten)} ({cat[e.award].name}, {e.unit})" for e in no if e.award]) + ".")
    return out


def meeting_summary(decision: Decision) -> str:
    proposed = decision.proposed.rows + sum(1 for e in decision.excluded if e.award is None)
    valid = decision.valid.rows
    units = len({u for _c, u in decision.proposed.units})
    left = proposed - valid
    return (f"Thư ký Hội đồng báo cáo tổng hợp đề nghị khen thưởng năm {decision.year} của các đơn vị trực thuộc "
            f"({proposed} lượt đề nghị từ {units} đơn vị; {valid} lượt hợp lệ đưa ra xét"
            + (f", {left} lượt có lỗi hoặc trùng không đưa ra xét" if left else "") + ") và kết quả kiểm tra hồ sơ.")


# --- doi-chieu.xlsx -----------------------------------------------------------------------


def reconciliation_rows(decision: Decision) -> list[list]:
    rows = [[r.award or "", r.name, r.authority, r.proposed, r.valid, r.passed, r.decided, r.proposed - r.decided]
            for r in decision.reconciliation]
    totals = [sum(r[i] for r in rows) for i in range(3, 8)]
    return rows + [["", "Tổng cộng", "", *totals]]


def excluded_rows(decision: Decision) -> list[list]:
    cat = load_catalog()
    return [[i, written(e.ho_ten), e.unit, cat[e.award].name if e.award in cat.by_code else "", REASON_LABEL[e.reason],
             e.detail, e.file, e.sheet, e.row] for i, e in enumerate(decision.excluded, 1)]


def write_reconciliation(decision: Decision, path: str | Path) -> Path:
    """`doi-chieu.xlsx`: the proposed → valid → passed → decided table and every row left out, with why."""
    import xlsxwriter

    from ..fileio import atomic_path

    path = Path(path)
    with atomic_path(path, suffix=".xlsx") as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False, "strings_to_formulas": False,
                                            "strings_to_urls": False})
        wb.set_properties({"title": f"Đối chiếu đề nghị – quyết định khen thưởng năm {decision.year}",
                           "comments": "thidua_xl"})
        head = wb.add_format({"bold": True, "border": 1, "text_wrap": True, "valign": "vcenter",
                              "font_name": "Times New Roman", "bg_color": "#DDEBF7"})
        cell = wb.add_format({"border": 1, "text_wrap": True, "valign": "top", "font_name": "Times New Roman"})
        title = wb.add_format({"bold": True, "font_size": 14, "font_name": "Times New Roman"})
        for name, caption, headers, rows, widths in (
                ("Đối chiếu", f"ĐỐI CHIẾU ĐỀ NGHỊ – HỢP LỆ – THÔNG QUA – QUYẾT ĐỊNH NĂM {decision.year}",
                 RECONCILIATION_HEADERS, reconciliation_rows(decision), (10, 44, 22, 10, 10, 12, 14, 12)),
                ("Không đưa vào", "CÁC DÒNG KHÔNG ĐƯA VÀO QUYẾT ĐỊNH, TỜ TRÌNH (VÀ LÝ DO)", EXCLUDED_HEADERS,
                 excluded_rows(decision), (6, 28, 30, 30, 22, 60, 20, 16, 7))):
            ws = wb.add_worksheet(name)
            ws.write_string(0, 0, caption, title)
            ws.write_row(2, 0, headers, head)
            for i, row in enumerate(rows):
                for j, v in enumerate(row):
                    if isinstance(v, (int, float)) and not isinstance(v, bool):
                        ws.write_number(3 + i, j, v, cell)
                    else:
                        ws.write_string(3 + i, j, "" if v is None else str(v), cell)
            for j, w in enumerate(widths):
                ws.set_column(j, j, w)
            ws.freeze_panes(3, 0)
            ws.set_landscape()
            ws.set_paper(9)
            ws.fit_to_pages(1, 0)
        wb.close()
    return path
