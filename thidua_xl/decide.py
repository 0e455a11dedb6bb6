"""The decision: from what the units proposed to what the Sở grants or forwards.

One function, `decide`, says which rows go into the Sở's decisions and submissions
and why every other row stays out. A row is decided when it is valid (no row-level
error; of two copies of one nomination the first is kept), its award passed the
Hội đồng's vote (the `Biểu quyết` sheet's `Kết quả`, or its votes against the
threshold in `Cấu hình`) and the Sở's per-row `Kết quả xét` is not `Không đồng ý`.
Documents, the register and the Excel adapter all take their rows from here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

import pandas as pd

from .catalog import CA_NHAN, TAP_THE, Catalog, load_catalog
from .consolidate import Consolidation, consolidate, count_initiatives, unit_order
from .model import ERROR, Finding
from .text import clean, fold, name_keys

# Kết quả xét, as the Sở types it on a master's unit sheet (empty: follows the award's vote)
DONG_Y = "Đồng ý"
KHONG_DONG_Y = "Không đồng ý"
CHUYEN_CAP_TREN = "Chuyển cấp trên"
ROW_RESULTS = (DONG_Y, KHONG_DONG_Y, CHUYEN_CAP_TREN)
THONG_QUA = "Thông qua"
KHONG_THONG_QUA = "Không thông qua"

# why a row is not decided, in the order a row is judged
ERROR_REASON = "loi"            # a row-level error (unknown award, bad date, criteria not met, …)
DUPLICATE = "trung"             # a second copy of a nomination already kept
VOTE = "bieu_quyet"             # the Hội đồng did not pass the award
REJECTED = "khong_dong_y"       # Kết quả xét: Không đồng ý
FORWARDED = "chuyen_cap_tren"   # a Sở award the Sở sends up instead of granting it
PENDING = "chua_bieu_quyet"     # no result recorded for the award (only when a vote is required)
REASON_LABEL = {
    ERROR_REASON: "Có lỗi", DUPLICATE: "Trùng đề nghị", VOTE: "Hội đồng không thông qua",
    REJECTED: "Kết quả xét: Không đồng ý", FORWARDED: "Chuyển cấp trên", PENDING: "Chưa có kết quả biểu quyết",
}
_ROW_RESULT = {fold(x): x for x in ROW_RESULTS} | {"khong": KHONG_DONG_Y, "dong y": DONG_Y, "chuyen": CHUYEN_CAP_TREN,
                                                     "khong dong": KHONG_DONG_Y, "chuyen cap tren xet": CHUYEN_CAP_TREN}


def row_result(text: object) -> str:
    """`Kết quả xét` as typed → one of ROW_RESULTS, or '' (empty or not understood)."""
    return _ROW_RESULT.get(fold(text), "")


def row_results(values: list) -> list[str]:
    """row_result of a whole column (each distinct text folded once)."""
    memo = {v: row_result(v) for v in set(values) if v is not None and v == v}
    return [memo.get(v, "") if v is not None and v == v else "" for v in values]


@dataclass(frozen=True)
class AwardVote:
    """The Hội đồng's result on one award: passed (None: no result recorded) and the ballot behind it."""

    passed: bool | None
    dong_y: int | None = None
    thanh_vien: int | None = None
    source: str = ""  # "Kết quả" (typed), "phiếu" (computed), "" (none)

    @property
    def ballot(self) -> str:
        return f"{self.dong_y}/{self.thanh_vien}" if self.dong_y is not None and self.thanh_vien else ""


def parse_threshold(text: object) -> Fraction | None:
    """'2/3', '66,67%', '50', '0.5' → the share of members' votes needed; '' → None (a majority)."""
    raw = clean(text).replace("%", "").replace(",", ".").replace(" ", "")
    if not raw:
        return None
    try:
        if "/" in raw:
            a, b = raw.split("/", 1)
            return Fraction(int(a), int(b))
        value = Fraction(raw)
    except (ValueError, ZeroDivisionError):
        return None
    return value / 100 if value > 1 else value


def award_vote(vote, members: int | None, threshold: Fraction | None) -> AwardVote:
    """One award's result from a votes.Vote (its typed Kết quả first, else its ballot), or none."""
    if vote is None:
        return AwardVote(None)
    dong_y = getattr(vote, "dong_y", vote if isinstance(vote, int) else None)
    of = getattr(vote, "thanh_vien", None) or members
    typed = getattr(vote, "ket_qua", None)
    if typed is not None:
        return AwardVote(bool(typed), dong_y, of, "Kết quả")
    if dong_y is None or not of:
        return AwardVote(None, dong_y, of)
    share = Fraction(int(dong_y), int(of))
    passed = share >= threshold if threshold is not None else share > Fraction(1, 2)
    return AwardVote(passed, dong_y, of, "phiếu")


@dataclass(frozen=True)
class Exclusion:
    """A proposed row kept out of the decisions and submissions, and why (pointing at its cell)."""

    reason: str  # one of REASON_LABEL
    detail: str
    award: str | None
    ho_ten: str
    unit: str
    file: str
    sheet: str
    row: int | None

    @property
    def label(self) -> str:
        return REASON_LABEL.get(self.reason, self.reason)


@dataclass(frozen=True)
class Reconciliation:
    """One award's path from proposal to decision: proposed → valid → passed → decided."""

    award: str | None  # None: rows whose award was not recognised
    name: str
    authority: str
    proposed: int
    valid: int
    passed: int
    decided: int


@dataclass
class Decision:
    """The decided set (as a Consolidation, lists sorted the Vietnamese way) and everything left out."""

    year: int
    decided: Consolidation
    proposed: Consolidation
    valid: Consolidation  # what the Hội đồng voted on: proposals without errors, each once
    excluded: list[Exclusion]
    votes: dict[str, AwardVote]
    reconciliation: list[Reconciliation]
    findings: list[Finding] = field(default_factory=list)

    @property
    def lists(self) -> dict[str, pd.DataFrame]:
        return self.decided.lists

    def rows(self, code: str) -> pd.DataFrame:
        df = self.decided.lists.get(code)
        return df if df is not None else self.proposed.lists.get(code, pd.DataFrame()).iloc[0:0]

    def excluded_for(self, code: str) -> list[Exclusion]:
        return [e for e in self.excluded if e.award == code]

    def is_pending(self, code: str) -> bool:
        return self.votes.get(code, AwardVote(None)).passed is None


def _row_keys(df: pd.DataFrame) -> list[tuple[str, str, int]]:
    return [(str(f or ""), str(s or ""), int(r) if pd.notna(r) else -1)
            for f, s, r in zip(df["file"].tolist(), df["sheet"].tolist(), df["row"].tolist())]


def _errors_by_row(findings) -> tuple[dict[tuple, list[str]], set[tuple]]:
    """Row-level errors (DUPLICATE aside, decided here) and rows flagged as duplicates."""
    errors: dict[tuple, list[str]] = {}
    dupes: set[tuple] = set()
    for f in findings or []:
        if f.row is None:
            continue
        key = (f.file or "", f.sheet or "", int(f.row))
        if f.code == "DUPLICATE":
            dupes.add(key)
        elif f.severity == ERROR or (f.code == "LEGACY_ENCODING" and fold(f.column) == fold("Họ và tên")):
            errors.setdefault(key, []).append(f"{f.code}: {f.message}")
    return errors, dupes


def _copy_keys(df: pd.DataFrame) -> list[tuple]:
    """What makes two rows the same nomination: person (name, birth year) or unit's collective, and award."""
    names = name_keys(df["ho_ten"].tolist())
    years = [int(y) if pd.notna(y) else -1 for y in df["nam_sinh"].tolist()]
    units = [fold(c or u) for c, u in zip(df["unit_code"].tolist(), df["unit"].tolist())]
    return [(n, y, u if s == TAP_THE else "", a) for n, y, u, s, a in
            zip(names, years, units, df["subject"].tolist(), df["award"].tolist())]


def decide(nominations, findings, votes: dict | None, *, year: int, initiatives=None, units=None, files: int = 0,
           members: int | None = None, threshold=None, require_vote: bool = False,
           catalog: Catalog | None = None, presorted: bool = False) -> Decision:
    """The decided set and the excluded rows with their reasons, from validated nominations.

    votes: {award code: votes.Vote} (its `ket_qua` when typed, else its ballot against
    `threshold`, a share of the members voting, majority when None; `members` when the
    vote does not say how many voted). An award without a result is pending: its rows
    are decided (a draft before the meeting) unless require_vote (the register's rule).
    presorted: the rows are already in list order (a Consolidation's lists), so none is sorted again.
    """
    catalog = catalog or load_catalog()
    if hasattr(nominations, "to_pandas"):  # a Polars frame: column by column (to_pandas needs pyarrow)
        nominations = pd.DataFrame({c: nominations.get_column(c).to_list() for c in nominations.columns})
    if isinstance(threshold, str) or threshold is None:
        threshold = parse_threshold(threshold)
    df = nominations.reset_index(drop=True)
    votes = votes or {}
    results = {code: award_vote(votes.get(code), members, threshold) for code in catalog.codes()}
    errors, dupes = _errors_by_row(findings)
    keys = _row_keys(df)
    row_res = row_results(df["ket_qua_xet"].tolist()) if "ket_qua_xet" in df else [""] * len(df)
    flagged = [i for i, k in enumerate(keys) if k in dupes] if dupes else []
    copy_keys = dict(zip(flagged, _copy_keys(df.iloc[flagged]))) if flagged else {}
    awards = df["award"].tolist()
    subjects = df["subject"].tolist()

    status: list[str | None] = []  # None: decided, else the reason
    details: list[str] = []
    kept_first: dict[tuple, tuple] = {}
    for i, key in enumerate(keys):
        code = awards[i]
        if not isinstance(code, str) or not code or subjects[i] not in (TAP_THE, CA_NHAN):
            status.append(ERROR_REASON)
            details.append("; ".join(errors.get(key, [])) or "không nhận ra hình thức hoặc đối tượng khen thưởng")
            continue
        if key in errors:
            status.append(ERROR_REASON)
            details.append("; ".join(errors[key]))
            continue
        if key in dupes:
            first = kept_first.get(copy_keys[i])
            if first is not None:
                status.append(DUPLICATE)
                details.append(f"trùng với {first[0]}, {first[1]}, dòng {first[2]} (giữ dòng đầu)")
                continue
            kept_first[copy_keys[i]] = key
        vote = results.get(code, AwardVote(None))
        if vote.passed is False:
            status.append(VOTE)
            details.append(f"Hội đồng không thông qua “{catalog[code].name}”"
                           + (f" ({vote.ballot} phiếu đồng ý)" if vote.ballot else ""))
            continue
        if row_res[i] == KHONG_DONG_Y:
            status.append(REJECTED)
            details.append("Kết quả xét của Sở: Không đồng ý")
            continue
        if vote.passed is None and require_vote and row_res[i] != DONG_Y:
            status.append(PENDING)
            details.append(f"chưa có kết quả biểu quyết của Hội đồng về “{catalog[code].name}”")
            continue
        if row_res[i] == CHUYEN_CAP_TREN and catalog[code].decided_by_so:
            status.append(FORWARDED)
            details.append("Kết quả xét: Chuyển cấp trên (không đưa vào quyết định của Sở)")
            continue
        status.append(None)
        details.append("")

    counted = df.assign(_status=[s or "" for s in status])
    counted = counted[counted["award"].notna() & counted["subject"].notna()]
    if presorted:
        whole = Consolidation(year=year, counts=counted.iloc[0:0], lists={"*": counted}, initiatives={}, rows=0,
                              files=files, units=units if isinstance(units, list) else unit_order(counted, units))
        proposed = subset(whole, lambda d: d["award"].notna())
        proposed.lists = {c: g.reset_index(drop=True) for c, g in proposed.lists["*"].groupby("award", sort=False)} \
            if proposed.lists else {}
        proposed.lists = {c: proposed.lists[c] for c in catalog.codes() if c in proposed.lists}
        proposed.initiatives = count_initiatives(initiatives, year) if initiatives is not None else {}
    else:
        proposed = consolidate(counted, initiatives, year, files=files, units=units, catalog=catalog)
    decided = subset(proposed, lambda d: d["_status"] == "")
    valid = subset(proposed, lambda d: ~d["_status"].isin([ERROR_REASON, DUPLICATE]))
    units_col, ho_ten = df["unit"].tolist(), df["ho_ten"].tolist()
    excluded = [Exclusion(s, d, awards[i] if isinstance(awards[i], str) else None, clean(ho_ten[i]),
                          clean(units_col[i]), keys[i][0], keys[i][1], keys[i][2] if keys[i][2] >= 0 else None)
                for i, (s, d) in enumerate(zip(status, details)) if s is not None]
    recon = _reconcile(awards, status, results, catalog)
    return Decision(year=year, decided=decided, proposed=proposed, valid=valid, excluded=excluded, votes=results,
                    reconciliation=recon)


def subset(result: Consolidation, keep) -> Consolidation:
    """The rows of a consolidation that keep(list) selects (a boolean Series), still in list order (no new sort)."""
    lists = {}
    for code, df in result.lists.items():
        sel = df[keep(df).to_numpy()].reset_index(drop=True)
        if len(sel):
            lists[code] = sel
    frames = list(lists.values())
    rows = pd.concat(frames, ignore_index=True) if frames else result.counts.iloc[0:0]
    counts = (rows.groupby(["unit_code", "unit", "award", "subject"], dropna=False).size().rename("n").reset_index()
              if len(rows) else result.counts.iloc[0:0])
    return Consolidation(year=result.year, counts=counts, lists=lists, initiatives=result.initiatives,
                         rows=len(rows), files=result.files, units=result.units)


def _reconcile(awards: list, status: list, results: dict[str, AwardVote], catalog: Catalog) -> list[Reconciliation]:
    from .catalog import AUTHORITY_LABEL

    per: dict[str | None, list[int]] = {}
    for code, s in zip(awards, status):
        code = code if isinstance(code, str) and code in catalog.by_code else None
        c = per.setdefault(code, [0, 0, 0, 0])
        c[0] += 1
        if s not in (ERROR_REASON, DUPLICATE):
            c[1] += 1
            if s not in (VOTE, PENDING):
                c[2] += 1
                if s is None:
                    c[3] += 1
    out = []
    for a in catalog:
        if a.code in per:
            p, v, ps, d = per[a.code]
            out.append(Reconciliation(a.code, a.name, AUTHORITY_LABEL.get(a.authority, a.authority), p, v, ps, d))
    if None in per:
        out.append(Reconciliation(None, "Không nhận ra hình thức khen thưởng", "", per[None][0], 0, 0, 0))
    return out


def decide_year(intake, year: int, findings, votes: dict | None = None, *, require_vote: bool = False) -> Decision:
    """`decide` with the master's settings: members present and the vote threshold from `Cấu hình`."""
    from .config import Config

    config = Config.from_kv(intake.config)
    members = _int(config.get("hoi_dong_co_mat")) or _int(config.get("hoi_dong_tong_so"))
    return decide(intake.nominations, findings, votes, year=year, initiatives=intake.initiatives,
                  units=intake.units, files=sum(f.ok for f in intake.files), members=members,
                  threshold=config.get("ty_le_thong_qua"), require_vote=require_vote)


def _int(text: object) -> int | None:
    raw = clean(text)
    raw = raw[:-2] if raw.endswith(".0") else raw
    return int(raw) if re.fullmatch(r"\d+", raw) else None
