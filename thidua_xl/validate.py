"""Validation: the nominations checked against the law, the quotas and the history.

The story of a run: intake's own findings (BAD_FILE …) first; legacy-encoded
cells converted to Unicode (and reported); the rules of the award year's regime
loaded (packaged, then the master's `Quy định` sheet, then a `--rules` file);
each rule's check run over whole columns; the findings returned in file order.
"""
from __future__ import annotations


import os
from pathlib import Path

import pandas as pd

from . import legacy
from .catalog import Catalog, load_catalog
from .errors import UserError
from .model import WARNING, Finding
from .schema import COLUMN_HEADER
from .rules import HISTORY_KINDS, KINDS, Context, RuleSet, load_rules
from .rules.context import proposed
from .text import clean, fold, name_keys

LEGACY_RULE = "LEGACY.ENCODING"
LEGACY_BASIS = "Nghị định 30/2020/NĐ-CP, Phụ lục I (phông chữ tiếng Việt Unicode theo TCVN 6909:2001)"
# Nomination text columns that may hold legacy-encoded text, with their header names.
LEGACY_COLUMNS = {c: COLUMN_HEADER[c.removesuffix("_raw")] for c in (
    "ho_ten", "hinh_thuc", "chuc_vu", "khoa_phong", "gioi_tinh", "doi_tuong_raw", "sang_kien", "ghi_chu")}
HISTORY_WINDOW = 12  # years of history loaded for the history rules


def validate(intake, year: int, history=None, rules=None) -> list[Finding]:
    """Check every nomination of `intake` for award year `year`.

    history: path of the SQLite register, a DataFrame as `history.load_frame` returns,
    False for none, or None for the default file beside the master when it exists.
    rules: None (packaged + master sheet), a path of an override file, or a RuleSet.
    Legacy-encoded cells of intake.nominations are replaced by their Unicode text.
    """
    year = int(year)
    catalog = load_catalog()
    findings: list[Finding] = list(intake.findings)
    findings += fix_legacy(intake, catalog)
    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules, intake=intake)
    rules_now = ruleset.for_year(year)
    ctx = build_context(intake, year, catalog, history, rules_now)
    found: list[Finding] = []
    for rule in rules_now:
        found += KINDS[rule.kind](ctx, rule)
    order = {f: i for i, f in enumerate(dict.fromkeys(intake.nominations["file"].tolist()))}
    found.sort(key=lambda f: (order.get(f.file, len(order)), f.sheet or "", f.row is None, f.row or 0))
    return findings + found


# --- context ----------------------------------------------------------------------------
def _map_unique(series: pd.Series, fn) -> pd.Series:
    """fn applied once per distinct value (names and units repeat a lot)."""
    values = series.fillna("").astype(str)
    table = {v: fn(v) for v in values.unique().tolist()}
    return values.map(table)


def _unit_key(codes: pd.Series, names: pd.Series) -> pd.Series:
    return codes.fillna("").where(codes.fillna("") != "", _map_unique(names, fold))


def build_context(intake, year: int, catalog: Catalog, history=None, rules=None) -> Context:
    """The nominations with their helper columns, this year's awards and the register's.

    rules: the rules that will run; the register is then read only for the people of
    the rows their history checks look at (default: every row's people).
    """
    df = intake.nominations.reset_index(drop=True).copy()
    df["_i"] = range(len(df))
    # Helper columns by plain list comprehensions: iterating a str-dtype Series is the slow part.
    df["name_key"] = pd.Series([k.partition("|")[0] for k in df["person_key"].fillna("").astype(str).tolist()],
                               index=df.index, dtype="str")
    df["birth_year"] = df["nam_sinh"].astype("Float64").astype(float)
    dates = df["ngay_sinh"]
    df["birth_date"] = ["" if na else d.isoformat() for d, na in zip(dates.tolist(), dates.isna().tolist())]
    df["unit_key"] = _unit_key(df["unit_code"], df["unit"])
    df["has_person"] = df["nam_sinh"].notna() | (df["ngay_sinh_raw"].fillna("") != "") | (df["gioi_tinh"] != "")
    df["award_name"] = df["award"].map({a.code: a.name for a in catalog}).fillna("")
    looked_at = df
    if rules is not None:
        # rows proposed for any history rule's award: one selection for the union of their awards
        looked_at = df[proposed(df, {a for r in rules if r.kind in HISTORY_KINDS for a in r.awards})]
    hist, label, history_years, db = _history_frame(intake, year, history, Context.people(looked_at))
    units = _unit_lookup(intake)
    discipline = None
    if db is not None:  # the register's disciplines of this run's people, with this year's unit codes
        from .discipline import load as load_discipline

        discipline = load_discipline(db, set(df["name_key"].tolist()))
        discipline["unit_key"] = [units.get(k, k) for k in discipline["unit_key"].tolist()]
    if hist is not None:
        hist = hist.copy()
        hist["unit_key"] = [units.get(k, k) for k in hist["unit_key"].tolist()]
        hist["source"] = "history"
    nominated = df[df["award"].notna() & (df["ho_ten"] != "")]
    known = nominated[["name_key", "birth_year", "birth_date", "unit_key", "subject", "award"]].assign(
        year=year, source="nomination")
    if hist is not None and not hist.empty:
        known = pd.concat([known, hist[known.columns]], ignore_index=True)
    sheets = {(f.file, s) for f in intake.files for s, m in f.mapped.items() if "Sáng kiến" in m.values()}
    return Context(df=df, year=year, catalog=catalog, initiatives=_initiative_authors(intake.initiatives, units),
                   known=known, history=hist, history_label=label,
                   history_years=history_years,
                   initiative_sheets=sheets, config_values=_explicit_config(intake),
                   discipline=discipline, rules=tuple(rules or ()))


def _explicit_config(intake) -> dict[str, str]:
    """Settings the master states itself (defaults are the rules' own params)."""
    from .config import Config

    return {k: v for k, v in Config.from_kv(intake.config).values.items() if v not in (None, "")}


def _unit_lookup(intake) -> dict[str, str]:
    """Folded unit name or code → unit code, so history rows meet this year's units."""
    out: dict[str, str] = {}
    for code, name in zip(intake.units.get("unit_code", []), intake.units.get("unit", [])):
        if code:
            out[fold(name)] = code
            out[fold(code)] = code
    pairs = intake.nominations[["unit_code", "unit"]].drop_duplicates()
    for code, name in zip(pairs["unit_code"], pairs["unit"]):
        if code:
            out.setdefault(fold(name), code)
            out.setdefault(fold(code), code)
    return out


def default_history_path(intake) -> Path | None:
    """`thidua-history.sqlite` beside the master (else beside the first file read)."""
    from .config import Config
    from .history import DEFAULT_NAME

    files = [f for f in intake.files if f.kind == "master"] or list(intake.files)
    if not files:
        return None
    folder = Path(files[0].path).resolve().parent
    named = Config.from_kv(intake.config).values.get("so_lich_su") if intake.config else None
    if named:  # `Cấu hình` names the register (carried from last year's master by `init --from`)
        path = Path(named) if Path(named).is_absolute() else folder / named
        if path.is_file():
            return path
    return folder / DEFAULT_NAME


def _history_frame(intake, year: int, history,
                   people: dict | None) -> tuple[pd.DataFrame | None, str, set[int], object]:
    """The register records the run can match (of `people`, see `Context.people`), its label, the years
    it covers and the register itself (None when there is none or a frame was handed in)."""
    from . import history as register

    people = register.People(**people) if people is not None else None  # None: every record
    if history is False:
        return None, "", set(), None
    if isinstance(history, pd.DataFrame):
        return history, "(dữ liệu truyền vào)", set(int(y) for y in history["year"].unique()), None
    if history is None:
        path = default_history_path(intake)
        if path is None or not path.is_file():
            return None, "", set(), None
    else:
        from .store import as_db, exists, is_url, label

        path = as_db(history)
        if not exists(path):
            raise UserError(f"Không tìm thấy sổ lịch sử “{path}”.")
        if is_url(path):
            window = (year - HISTORY_WINDOW, year)
            frame = register.load_frame(path, years=window, columns=register.JOIN_COLUMNS, people=people)
            return frame, f"“{label(path)}”", register.years_in(path, window), path
    window = (year - HISTORY_WINDOW, year)
    frame = register.load_frame(path, years=window, columns=register.JOIN_COLUMNS, people=people)
    return frame, f"“{path.name}”", register.years_in(path, window), path


def _unicode_text(text: str) -> str:
    """The text in Unicode (converted when it is TCVN3/VNI)."""
    return legacy.convert(text)[0]


_AUTHOR_TITLE = (r"^(?:(?:gs|pgs|ts|ths|bs|bscki|bsckii|bsck1|bsck2|ck1|ck2|cki|ckii|ds|dd|đd|ktv|cn|ys|"
                 r"kts|ks|nt)\.?\s*)+")


def _initiative_authors(initiatives: pd.DataFrame, units: dict[str, str]) -> pd.DataFrame:
    """One row per (initiative, author) with the author's name key, unit, level and year."""
    from .rules.context import LEVEL_ORDER

    cols = ["author_key", "unit_key", "level", "nam", "ten_key"]
    if initiatives is None or initiatives.empty:
        return pd.DataFrame(columns=cols)
    df = initiatives.copy()
    df["tac_gia"] = _map_unique(df["tac_gia"], _unicode_text)
    df["ten"] = _map_unique(df["ten"], _unicode_text)
    df["author"] = df["tac_gia"].str.split(r"[,;\n]+")
    df = df.explode("author")
    df["author"] = _map_unique(df["author"], clean).str.replace(_AUTHOR_TITLE, "", regex=True, case=False)
    df = df[df["author"] != ""]
    df["author_key"] = name_keys(df["author"].tolist())
    uk = _unit_key(df["unit_code"], df["unit"])
    df["unit_key"] = [units.get(k, k) if k else "" for k in uk.tolist()]
    df["level"] = df["cap"].map(LEVEL_ORDER).fillna(1).astype(int)
    df["nam"] = df["nam"].astype("Float64").astype(float)
    df["ten_key"] = _map_unique(df["ten"], fold)
    return df[cols].reset_index(drop=True)


# --- legacy encodings -----------------------------------------------------------------------
def fix_legacy(intake, catalog: Catalog) -> list[Finding]:
    """Convert TCVN3/VNI cells of the nominations to Unicode, reporting each converted cell.

    Character statistics find most cells; for files where they found some, the cells'
    fonts (read with openpyxl, only for those files) settle the ambiguous rest.
    """
    df = intake.nominations
    if df.empty:
        return []
    cand: dict[str, pd.Series] = {}
    odd_texts: dict[str, list[str]] = {}
    for col in LEGACY_COLUMNS:
        s = df[col].fillna("").astype(str)
        # Tested once per distinct text (columns repeat the same few values), then spread by isin.
        odd = [v for v in s.unique().tolist()
               if legacy._LEGACY_CANDIDATE.search(v) and not legacy._VIET_UNICODE.search(v)]
        if not odd:
            continue
        mask = s.isin(odd)
        if mask.any():
            cand[col] = s[mask]
            odd_texts[col] = odd
    if not cand:
        return []
    hits: list[tuple[int, str, str, str, str | None]] = []  # (index, column, new text, encoding, font)
    flagged_files: set[str] = set()
    seen: dict[str, tuple[str | None, str]] = {}  # text → (encoding, Unicode text): cells repeat a lot
    for col, s in cand.items():
        legacy_texts = []
        for text in odd_texts[col]:
            got = seen.get(text)
            if got is None:
                enc = legacy.detect(text)
                got = seen[text] = (enc, legacy.to_unicode(text, enc) if enc else text)
            if got[0]:
                legacy_texts.append(text)
        for idx, text in s[s.isin(legacy_texts)].items():  # only the cells to convert
            enc, new_text = seen[text]
            flagged_files.add(df.at[idx, "file"])
            hits.append((idx, col, new_text, enc, None))
    fonts = _fonts_for(intake, df, cand, flagged_files)
    if fonts:
        by_cell = {(h[0], h[1]): h for h in hits}
        for (idx, col), font in fonts.items():
            enc, caps = legacy.encoding_of_font(font)
            if enc is None:
                continue
            text = cand[col][idx]
            by_cell[(idx, col)] = (idx, col, legacy.to_unicode(text, enc, capitals=caps), enc, font)
        hits = list(by_cell.values())
    if not hits:
        return []
    order = list(LEGACY_COLUMNS)
    hits.sort(key=lambda h: (h[0], order.index(h[1])))
    at = df.iloc[df.index.get_indexer([h[0] for h in hits])]  # the hit rows, once, as lists
    where = {c: at[c].tolist() for c in ("file", "sheet", "row", "unit")}
    olds = {c: at[c].tolist() for c in {h[1] for h in hits}}
    findings = []
    new = df.copy()
    by_column: dict[str, tuple[list, list]] = {}
    for k, (idx, col, text, enc, font) in enumerate(hits):
        old = olds[col][k]
        idxs, texts = by_column.setdefault(col, ([], []))
        idxs.append(idx)
        texts.append(text)
        how = f"phông {font}" if font else "nhận dạng theo ký tự"
        findings.append(Finding(
            "LEGACY_ENCODING", WARNING,
            f"Ô “{LEGACY_COLUMNS[col]}” viết bằng bảng mã {legacy.ENCODING_LABEL[enc]} ({how}): “{old}” được đọc là "
            f"“{text}”. Hãy chuyển tệp sang Unicode (ví dụ Unikey › Công cụ chuyển mã) trước khi gửi lại. "
            f"[Quy định {LEGACY_RULE}; căn cứ: {LEGACY_BASIS}]",
            file=where["file"][k], sheet=where["sheet"][k], row=int(where["row"][k]),
            column=LEGACY_COLUMNS[col], unit=where["unit"][k], rule=LEGACY_RULE, legal_basis=LEGACY_BASIS))
    for col, (idxs, texts) in by_column.items():
        new.loc[idxs, col] = texts
    changed = sorted({h[0] for h in hits})
    stated = sorted({h[0] for h in hits if h[1] == "doi_tuong_raw"})
    if stated:
        new.loc[stated, "doi_tuong"] = new.loc[stated, "doi_tuong_raw"].map(_doi_tuong)
    from .intake import finish_nominations

    redone = finish_nominations(new.loc[changed], catalog)
    for c in ("award", "subject", "person_key"):
        new.loc[changed, c] = redone[c]
    intake.nominations = new
    return findings


def _doi_tuong(text: object) -> str:
    f = fold(text)
    return "tap_the" if f in ("tap the", "tt") else "ca_nhan" if f in ("ca nhan", "cn") else ""


def _fonts_for(intake, df: pd.DataFrame, cand: dict[str, pd.Series], files: set[str]) -> dict:
    """Font names of the candidate cells in `files` ((index, column) → font).

    openpyxl in read-only mode streams only the rows and columns holding candidates, so a
    large file with a few old cells is not loaded whole.
    """
    if not files:
        return {}
    from .intake import NOMINATION_HEADERS, match_header

    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a declared dependency
        return {}
    wanted: dict[tuple[str, str], dict[int, list]] = {}  # (file, sheet) -> Excel row -> [(source col, idx, col)]
    for col, s in cand.items():
        source_col = "doi_tuong" if col == "doi_tuong_raw" else col
        rows = df.loc[s.index, ["file", "sheet", "row"]]
        for idx, file, sheet, row in zip(s.index.tolist(), rows["file"].tolist(), rows["sheet"].tolist(),
                                         rows["row"].tolist()):
            if file in files:
                wanted.setdefault((file, sheet), {}).setdefault(int(row), []).append((source_col, idx, col))
    out = {}
    reports = {f.file: f for f in intake.files}
    for file in sorted(files):
        rep = reports.get(file)
        if rep is None or not os.path.isfile(rep.path):
            continue
        try:
            from .reading import checked_source

            wb = openpyxl.load_workbook(checked_source(rep.path), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - statistics already decided; fonts are a bonus
            continue
        try:
            for sheet, header_row in rep.header_row.items():
                need = wanted.get((file, sheet))
                if not need or sheet not in wb.sheetnames:
                    continue
                out.update(_sheet_fonts(wb[sheet], header_row, need, match_header, NOMINATION_HEADERS))
        finally:
            wb.close()
    return out


def _sheet_fonts(ws, header_row: int, need: dict[int, list], match_header, spec) -> dict:
    header = next(ws.iter_rows(min_row=header_row, max_row=header_row, values_only=True), ())
    columns = {}
    for j, value in enumerate(header, start=1):
        canon = match_header(value, spec)
        if canon:
            columns[spec[canon][0]] = j
    used = {columns[sc] for items in need.values() for sc, _i, _c in items if sc in columns}
    if not used:
        return {}
    lo, hi = min(used), max(used)
    out = {}
    for r, cells in enumerate(ws.iter_rows(min_row=min(need), max_row=max(need), min_col=lo, max_col=hi),
                              start=min(need)):
        for source_col, idx, col in need.get(r, ()):
            k = columns.get(source_col, 0) - lo
            if source_col in columns and k < len(cells):
                font = getattr(cells[k], "font", None)
                if font is not None and font.name:
                    out[(idx, col)] = font.name
    return out


# --- what the Kiểm tra sheet says (written by export.write_check_workbook) ------------------------
from .schema import CHECK_SHEET, SEVERITY_LABEL, UNVERIFIED_COLUMN_NOTE, UNVERIFIED_MARK  # noqa: E402,F401
from .schema import MARKED_COPY_SHEET as COPY_SHEET  # noqa: E402,F401


def unverified_note(findings) -> str | None:
    """The one sentence a run says about rules not checked against the legal text (None: no such finding)."""
    ids = sorted({r for f in findings if not f.verified for r in (f.rules or (f.rule,)) if r})
    if not ids:
        return None
    return (f"Quy định này chưa được đối chiếu với văn bản gốc nên chỉ là cảnh báo: {', '.join(ids)} "
            f"(xem “thidua rules MÃ”).")


def write_findings_workbook(intake, findings: list[Finding], out: str | os.PathLike, year: int, *,
                            master_name: str | None = None) -> Path:
    """`validate --out`: kept under this name for its callers; the writer is export.write_check_workbook."""
    from .export import write_check_workbook

    return write_check_workbook(intake, findings, out, year, master_name=master_name)
