"""Validation: the nominations checked against the law, the quotas and the history.

The story of a run: intake's own findings (BAD_FILE …) first; legacy-encoded
cells converted to Unicode (and reported); the rules of the award year's regime
loaded (packaged, then the master's `Quy định` sheet, then a `--rules` file);
each rule's check run over whole columns; the findings returned in file order.
"""
from __future__ import annotations


import contextlib
import functools
import os
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

from . import legacy
from .catalog import Catalog, load_catalog
from .errors import UserError
from .model import WARNING, Finding
from .schema import COLUMN_HEADER
from .perf import spared_by_collector
from .threads import Beside
from .rules import HISTORY_KINDS, INITIATIVE_KINDS, KINDS, REGISTER_KINDS, Context, RuleSet, load_rules
from .rules.authors import _initiative_authors, _maybe_legacy
# the initiatives' authors and title keys, named here as before for their callers
from .rules.authors import (_AUTHOR_TITLE, _authors, _authors_of, _foldable, _ten_keys,  # noqa: F401
                            _unicode_text, _unicode_texts)
from .rules.context import proposed
from .text import fold

if TYPE_CHECKING:
    import polars as pl

LEGACY_RULE = "LEGACY.ENCODING"
LEGACY_BASIS = "Nghị định 30/2020/NĐ-CP, Phụ lục I (phông chữ tiếng Việt Unicode theo TCVN 6909:2001)"
# Nomination text columns that may hold legacy-encoded text, with their header names.
LEGACY_COLUMNS = {c: COLUMN_HEADER[c.removesuffix("_raw")] for c in (
    "ho_ten", "hinh_thuc", "chuc_vu", "khoa_phong", "gioi_tinh", "doi_tuong_raw", "sang_kien", "ghi_chu")}
HISTORY_WINDOW = 12  # years of history loaded for the history rules


def validate(intake, year: int, history=None, rules=None) -> list[Finding]:
    """Check every nomination of `intake` for award year `year`.

    history: path of the SQLite register, a frame as `history.load_frame` (pandas) or
    `history.load_polars` returns, False for none, or None for the default file beside the master
    when it exists.
    rules: None (packaged + master sheet), a path of an override file, or a RuleSet.
    Legacy-encoded cells of the nominations are replaced by their Unicode text (a new `intake.frame`).
    """
    with spared_by_collector(), in_memory_engine():
        return _validate(intake, int(year), history, rules)


@contextlib.contextmanager
def in_memory_engine():
    """Polars' in-memory engine for the block's queries (its threads' too), the caller's choice given back after.
    Validation runs ~200 small queries over frames of at most a few hundred thousand rows; the streaming engine,
    Polars 2's default, costs ~6 % more CPU on them (30,000 rows: 0.128 → 0.120 s; 120,000: 0.41 → 0.39 s)."""
    import polars as pl

    with pl.Config(engine_affinity="in-memory"):
        yield


def _validate(intake, year: int, history, rules) -> list[Finding]:
    catalog = load_catalog()
    findings: list[Finding] = list(intake.findings)
    findings += fix_legacy(intake, catalog)
    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules, intake=intake)
    rules_now = ruleset.for_year(year)
    ctx, initiatives, register = _partial_context(intake, year, catalog, history, rules_now)
    # the checks of this year's rows run while the register and the initiatives' authors are worked out; then
    # those that read the authors, then those that read the register; the findings kept in rule order
    phase = [2 if r.kind in REGISTER_KINDS else 1 if r.kind in INITIATIVE_KINDS else 0 for r in rules_now]
    found_by: dict[int, list[Finding]] = {}
    for p, add in enumerate((None, initiatives, register)):
        if add is not None:
            add(ctx)
        for k, rule in enumerate(rules_now):
            if phase[k] == p:
                found_by[k] = KINDS[rule.kind](ctx, rule)
    found: list[Finding] = [f for k in range(len(rules_now)) for f in found_by[k]]
    order = {f: i for i, f in enumerate(ctx.df.get_column("file").unique(maintain_order=True).to_list())}
    return findings + _birth_cells(intake, _in_file_order(found, order))


def _in_file_order(found: list[Finding], order: dict) -> list[Finding]:
    """found sorted (stably) by file in `order` (others last), sheet, row (none last): the keys made in one pass
    over the findings (their three fields read by one getter) and the positions sorted, not a key function called
    per finding (a run has thousands; 16,808 at 120,000 rows: ~7.6 → ~5.4 ms)."""
    import operator

    last, rank = len(order), order.get
    keys = [(rank(f, last), s or "", r is None, r or 0)
            for f, s, r in map(operator.attrgetter("file", "sheet", "row"), found)]
    return list(map(found.__getitem__, sorted(range(len(found)), key=keys.__getitem__)))


def _birth_cells(intake, found: list[Finding]) -> list[Finding]:
    """A finding about a birth date read from a column that gives the sex ("Năm sinh (Nữ)") names that column."""
    import dataclasses

    from .rules.context import COL_DOB

    where = getattr(intake, "birth_columns", None)
    if not where:
        return found
    return [dataclasses.replace(f, column=where[(f.file, f.sheet, f.row)])
            if f.column == COL_DOB and (f.file, f.sheet, f.row) in where else f for f in found]


# --- context ----------------------------------------------------------------------------
def _unit_key(codes: "pl.Series", names: "pl.Series") -> "pl.Series":
    """The unit code, else the folded unit name (`_unit_key_of` over these two columns)."""
    import polars as pl

    frame = pl.DataFrame({"unit_code": codes.cast(pl.String), "unit": names.cast(pl.String)})
    return frame.select(_unit_key_of(frame.unique())).to_series()


def _unit_key_of(pairs: "pl.DataFrame") -> "pl.Expr":
    """The unit code, else the folded unit name, as an expression over the nominations' `unit_code` and `unit` (run
    in the context's query, beside its other columns); pairs: their distinct (unit_code, unit), whose names are
    folded here, each once (the 30,000-row bench's 60 units: no Python pass, and no query of its own, over the
    rows)."""
    import polars as pl

    names = pairs.get_column("unit").cast(pl.String).fill_null("").unique()
    codes = pl.col("unit_code").cast(pl.String).fill_null("")
    folded = pl.Series([fold(v) for v in names.to_list()], dtype=pl.String)
    # `replace`, not `replace_strict`: every name is mapped, but Polars 2.1 runs a strict mapping inside `otherwise`
    # on the rows its condition takes too, with their values missing, and fails as when a name is not mapped
    return pl.when(codes != "").then(codes).otherwise(
        pl.col("unit").cast(pl.String).fill_null("").replace(names, folded))


def _mapped(keys: "pl.Series", table: dict[str, str]) -> "pl.Series":
    """keys through table (a key not in it stays itself)."""
    import polars as pl

    distinct = keys.unique()
    return keys.replace_strict(distinct, pl.Series([table.get(k, k) for k in distinct.to_list()], dtype=pl.String),
                               return_dtype=pl.String)


def build_context(intake, year: int, catalog: Catalog, history=None, rules=None) -> Context:
    """The nominations with their helper columns, this year's awards and the register's (Polars frames).

    rules: the rules that will run; the register is then read only for the people of
    the rows their history checks look at (default: every row's people).
    """
    ctx, initiatives, register = _partial_context(intake, year, catalog, history, rules)
    initiatives(ctx)
    register(ctx)
    return ctx


def _partial_context(intake, year: int, catalog: Catalog, history=None, rules=None):
    """(`build_context` without the initiatives' authors and the register, a function that waits for the authors
    and adds them to the context, one that does the same for the register; the register's adds the authors too).

    The register is read in a worker thread meanwhile: SQLite runs its query without holding the GIL, so
    the checks of this year's rows (`REGISTER_KINDS` aside) run beside it; the people it is read for, and this
    year's awards, are worked out there too (Polars' queries hold no GIL either). Until it is added, `known`,
    `history` and `discipline` are None. The authors (`_initiative_authors`, mostly Polars queries) are worked
    out in a thread of their own: until they are added, `initiatives` is None (`INITIATIVE_KINDS` read it)."""
    import polars as pl

    frame = intake.current("nominations")
    unit_pairs = frame.select("unit_code", "unit").unique(maintain_order=True)  # each unit's code and name once
    lf = frame.lazy().with_columns(
        _i=pl.int_range(pl.len(), dtype=pl.Int64),
        name_key=pl.col("person_key").cast(pl.String).fill_null("").str.splitn("|", 2).struct.field("field_0"),
        birth_year=pl.col("nam_sinh").cast(pl.Float64),
        birth_date=pl.col("ngay_sinh").dt.strftime("%Y-%m-%d").fill_null(""),
        unit_key=_unit_key_of(unit_pairs),
        has_person=(pl.col("nam_sinh").is_not_null() | pl.col("ngay_sinh_raw").fill_null("").ne("")
                    | pl.col("gioi_tinh").ne_missing("")),
        award_name=pl.col("award").replace_strict({a.code: a.name for a in catalog}, default=None,
                                                  return_dtype=pl.String).fill_null(""),
        award_subject=pl.col("award").replace_strict({a.code: a.subject for a in catalog}, default=None,
                                                     return_dtype=pl.String),
    )
    history_awards = None
    if rules is not None:  # the rows proposed for any history rule's award are the register's people
        history_awards = frozenset(a for r in rules if r.kind in HISTORY_KINDS for a in r.awards)
    people = None
    if _reads_register(intake, history):
        # the people the register is read for, worked out by the query that makes the context's columns (Polars
        # runs both at once): the register's thread then begins with SQLite's query, which lets go of the GIL,
        # instead of Python and a query of its own, each waiting for the GIL the checks hold; the modules it
        # reads with imported here for the same reason
        from . import history as _register_module  # noqa: F401
        from .discipline import load_polars  # noqa: F401

        query = _people_query(lf, history_awards)
        if query is not None:
            df, lists = pl.collect_all([lf, query])
            people = lists.row(0, named=True)
    if people is None:
        df = lf.collect()
    units = _unit_lookup(intake, unit_pairs)
    reading = Beside(_register, intake, year, history, df, history_awards, units, people)
    authoring = Beside(_initiative_authors, intake.current("initiatives"), units)
    sheets = {(f.file, s) for f in intake.files for s, m in f.mapped.items() if "Sáng kiến" in m.values()}
    ctx = Context(df=df, year=year, catalog=catalog, initiatives=None, known=None,
                  initiative_sheets=sheets, config_values=_explicit_config(intake),
                  rules=tuple(rules or ()), history_awards=history_awards)

    def add_initiatives(ctx: Context) -> None:
        if ctx.initiatives is None:
            ctx.initiatives = authoring.result()

    def add_register(ctx: Context) -> None:
        add_initiatives(ctx)
        ctx.known, ctx.history, ctx.history_label, ctx.history_years, ctx.discipline, pairs = reading.result()
        if pairs is not None:
            ctx.memo["known_pairs"] = pairs

    return ctx, add_initiatives, add_register


def _register(intake, year: int, history, df: "pl.DataFrame", history_awards: frozenset | None,
              units: dict[str, str], people: dict | None = None):
    """The register's part of the context: (`known`, register records, label, years covered, disciplines of the
    people of `df` or None, `Context.known_pairs` or None). The records are `_history_frame`'s for `people`, the
    lists (`Context.people_lists`) of the people of the rows proposed for `history_awards` (None: every record of
    the window), their units and the disciplines' mapped to this year's codes by `units`; `known` is this year's
    rows with an award and those records. The pairs are worked out here, beside the checks of this year's rows,
    when the run has history rules (`history_awards` given): else None."""
    import polars as pl

    from .rules.context import known_pairs_of

    hist, label, history_years, db = _history_frame(intake, year, history, people)
    discipline = None
    if db is not None:
        from .discipline import load_polars as load_discipline

        discipline = load_discipline(db, df.get_column("name_key"))
    known = df.lazy().filter(pl.col("award").is_not_null() & pl.col("ho_ten").ne_missing("")).select(
        "name_key", "birth_year", "birth_date", "unit_key", "subject", "award",
        year=pl.lit(year, dtype=pl.Int64), source=pl.lit("nomination")).collect()
    if discipline is not None:  # the register's disciplines of this run's people, with this year's unit codes
        discipline = discipline.with_columns(unit_key=_mapped(discipline.get_column("unit_key"), units))
    if hist is not None:
        hist = hist.with_columns(unit_key=_mapped(hist.get_column("unit_key").cast(pl.String), units),
                                 source=pl.lit("history"))
        if not hist.is_empty():
            known = pl.concat([known, hist.select(*known.columns)], how="vertical_relaxed")
    pairs = known_pairs_of(df, known, history_awards) if history_awards else None
    return known, hist, label, history_years, discipline, pairs


def _reads_register(intake, history) -> bool:
    """The run reads a register file (or server): not when told none, handed a frame, or none lies beside the
    master (as `_history_frame` decides)."""
    if history is False or _is_frame(history):
        return False
    if history is None:
        path = default_history_path(intake)
        return path is not None and path.is_file()
    return True


def _people_query(lf: "pl.LazyFrame", history_awards: frozenset | None) -> "pl.LazyFrame | None":
    """The query of `Context.people_lists` for the rows of the context's frame proposed for `history_awards`
    (None: every row); None would read every record of the register's window."""
    looked_at = lf if history_awards is None else \
        lf.select("name_key", "birth_year", "subject", "award", "ho_ten").filter(proposed(history_awards))
    return Context.people_query(looked_at)


def _explicit_config(intake) -> dict[str, str]:
    """Settings the master states itself (defaults are the rules' own params)."""
    from .config import Config

    return {k: v for k, v in Config.from_kv(intake.config).values.items() if v not in (None, "")}


def _unit_lookup(intake, pairs: "pl.DataFrame") -> dict[str, str]:
    """Folded unit name or code → unit code, so history rows meet this year's units (pairs: the nominations' distinct
    `unit_code` and `unit`, in the order of their rows)."""
    out: dict[str, str] = {}
    units = intake.current("units")
    if "unit_code" in units.columns and "unit" in units.columns:
        for code, name in zip(units.get_column("unit_code").to_list(), units.get_column("unit").to_list()):
            if code:
                out[fold(name)] = code
                out[fold(code)] = code
    for code, name in zip(pairs.get_column("unit_code").to_list(), pairs.get_column("unit").to_list()):
        if code:
            out.setdefault(fold(name), code)
            out.setdefault(fold(code), code)
    return out


def default_history_path(intake) -> Path | None:
    """`thidua-history.sqlite` beside the master (else beside the first file read)."""
    from .config import Config
    from .model import HISTORY_FILE as DEFAULT_NAME

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
                   people: dict | None) -> tuple["pl.DataFrame | None", str, set[int], object]:
    """The register records the run can match (of `people`, `Context.people_lists`' lists; None: every record) as a
    Polars frame, its label, the years it covers and the register itself (None when there is none or a frame was
    handed in)."""
    if history is False:
        return None, "", set(), None
    if history is None:
        path = default_history_path(intake)
        if path is None or not path.is_file():  # no register: its module is not even imported
            return None, "", set(), None
    from . import history as register

    if _is_frame(history):
        frame = register.as_polars(history)
        return frame, "(dữ liệu truyền vào)", set(int(y) for y in frame.get_column("year").unique().to_list()), None
    people = register.PeopleLists(**people) if people is not None else None  # None: every record
    if history is not None:
        from .store import as_db, exists, is_url, label

        path = as_db(history)
        if not exists(path):
            raise UserError(f"Không tìm thấy sổ lịch sử “{path}”.")
        if is_url(path):
            window = (year - HISTORY_WINDOW, year)
            frame = register.load_polars(path, years=window, columns=register.JOIN_COLUMNS, people=people)
            return frame, f"“{label(path)}”", register.years_in(path, window), path
    window = (year - HISTORY_WINDOW, year)
    frame = register.load_polars(path, years=window, columns=register.JOIN_COLUMNS, people=people)
    return frame, f"“{path.name}”", register.years_in(path, window), path


def _is_frame(value) -> bool:
    """A pandas or Polars frame handed in (tests, the Excel adapter), told apart without importing pandas."""
    return type(value).__name__ == "DataFrame" and type(value).__module__.split(".")[0] in ("pandas", "polars")


# --- legacy encodings -----------------------------------------------------------------------
def fix_legacy(intake, catalog: Catalog) -> list[Finding]:
    """Convert TCVN3/VNI cells of the nominations to Unicode, reporting each converted cell.

    Character statistics find most cells; for files where they found some, the cells'
    fonts (read with openpyxl, only for those files) settle the ambiguous rest. Each distinct
    text of the Polars frame is looked at once; only a run that finds candidates goes further.
    A frame found with nothing to convert is remembered (weakly): the pipeline's normalise step and
    validation hand over the same frame, and the second look finds nothing again.
    """
    global _found_clean
    frame = intake.current("nominations")
    if _found_clean is not None and _found_clean() is frame:
        return []
    with in_memory_engine():
        candidates = _legacy_candidates(frame)
    texts = {t for odd in candidates.values() for t in odd}
    if not any(_detect(t) for t in texts):  # fonts are read only in files where statistics found some
        _found_clean = weakref.ref(frame)
        return []
    return _fix_legacy_cells(intake, catalog, candidates)


_found_clean: "weakref.ref | None" = None  # the last nominations frame fix_legacy found nothing to convert in


@functools.lru_cache(maxsize=1 << 16)
def _detect(text: str) -> str | None:
    """legacy.detect of one text, remembered: the normalise step and validation look at the same candidates
    (names with Latin-1 letters alone, "Hà Lê", are candidates that stay Unicode)."""
    return legacy.detect(text)


def _legacy_candidates(frame: "pl.DataFrame") -> dict[str, list[str]]:
    """Column → its distinct texts that may be TCVN3/VNI (odd characters, no Vietnamese Unicode letter)."""
    import polars as pl

    out = {}
    texts = [c for c in LEGACY_COLUMNS if c in frame.columns and frame.schema[c] == pl.String]
    # the text columns in one query (a query each costs more than the look at their distinct texts), the two
    # patterns run over each column's distinct texts (names repeat: ~22,000 of 120,000)
    found = None
    if texts:
        distinct = frame.select(pl.col(c).unique().implode() for c in texts)
        found = distinct.select(pl.col(c).explode().filter(_maybe_legacy(pl.col(c).explode())).implode() for c in texts)
    for col in LEGACY_COLUMNS:
        if col not in frame.columns:
            continue
        if col in texts:
            odd = found.get_column(col)[0].to_list()
        else:
            values = frame.get_column(col).unique()
            odd = [v for v in values.drop_nulls().to_list()
                   if v.__class__ is str and legacy._LEGACY_CANDIDATE.search(v) and not legacy._VIET_UNICODE.search(v)]
        if odd:
            out[col] = odd
    return out


def _fix_legacy_cells(intake, catalog: Catalog, candidates: dict[str, list[str]]) -> list[Finding]:
    """fix_legacy for a run whose candidate texts include legacy ones: the cells converted on a new Polars
    frame (each distinct text converted once), their rows finished again (award, subject, person key)."""
    import polars as pl

    from .intake.frames import finish
    from .intake.rows import RAW_NOMINATION_COLUMNS, _doi_tuong

    frame = intake.current("nominations").with_row_index("_idx")
    seen: dict[str, tuple[str | None, str]] = {}  # text → (encoding, Unicode text): cells repeat a lot
    cand: dict[str, pl.DataFrame] = {}  # column → its candidate cells (_idx, file, sheet, row, text)
    hits: dict[tuple[int, str], tuple] = {}  # (index, column) → (new text, encoding, font)
    flagged_files: set[str] = set()
    for col, odd in candidates.items():
        for text in odd:
            if text not in seen:
                enc = _detect(text)
                seen[text] = (enc, legacy.to_unicode(text, enc) if enc else text)
        cells = frame.filter(pl.col(col).is_in(odd)).select("_idx", "file", "sheet", "row", text=pl.col(col))
        cand[col] = cells
        for idx, file, text in zip(*(cells.get_column(c).to_list() for c in ("_idx", "file", "text"))):
            enc, new_text = seen[text]
            if enc:  # only the cells to convert
                flagged_files.add(file)
                hits[(idx, col)] = (new_text, enc, None)
    texts = {(idx, col): text for col, cells in cand.items()
             for idx, text in zip(cells.get_column("_idx").to_list(), cells.get_column("text").to_list())}
    for (idx, col), font in _fonts_for(intake, cand, flagged_files).items():
        enc, caps = legacy.encoding_of_font(font)
        if enc is not None:
            hits[(idx, col)] = (legacy.to_unicode(texts[(idx, col)], enc, capitals=caps), enc, font)
    if not hits:
        return []
    order = list(LEGACY_COLUMNS)
    keys = sorted(hits, key=lambda h: (h[0], order.index(h[1])))
    at = frame.select(pl.col("file", "sheet", "row", "unit").gather([k[0] for k in keys]))
    where = {c: at.get_column(c).to_list() for c in ("file", "sheet", "row", "unit")}
    findings = []
    for k, (idx, col) in enumerate(keys):
        text, enc, font = hits[(idx, col)]
        how = f"phông {font}" if font else "nhận dạng theo ký tự"
        findings.append(Finding(
            "LEGACY_ENCODING", WARNING,
            f"Ô “{LEGACY_COLUMNS[col]}” viết bằng bảng mã {legacy.ENCODING_LABEL[enc]} ({how}): “{texts[(idx, col)]}” "
            f"được đọc là “{text}”. Hãy chuyển tệp sang Unicode (ví dụ Unikey › Công cụ chuyển mã) trước khi gửi lại. "
            f"[Quy định {LEGACY_RULE}; căn cứ: {LEGACY_BASIS}]",
            file=where["file"][k], sheet=where["sheet"][k], row=int(where["row"][k]),
            column=LEGACY_COLUMNS[col], unit=where["unit"][k], rule=LEGACY_RULE, legal_basis=LEGACY_BASIS))
    new = frame.drop("_idx")
    for col in order:
        idxs = [idx for idx, c in keys if c == col]
        if idxs:
            new = new.with_columns(new.get_column(col).clone().scatter(idxs, [hits[(i, col)][0] for i in idxs]))
    stated = sorted({idx for idx, c in keys if c == "doi_tuong_raw"})
    if stated:
        raw = new.get_column("doi_tuong_raw").gather(stated).to_list()
        new = new.with_columns(new.get_column("doi_tuong").clone().scatter(stated, [_doi_tuong(t) for t in raw]))
    changed = sorted({idx for idx, _c in keys})
    rows = new.select(pl.all().gather(changed))
    redone = finish({c: rows.get_column(c).to_list() for c in RAW_NOMINATION_COLUMNS if c in rows.columns}, catalog)
    if redone.height == len(changed):
        new = new.with_columns(new.get_column(c).clone().scatter(changed, redone.get_column(c))
                               for c in ("award", "subject", "person_key"))
    else:  # a converted cell names two awards ("… vµ …"): its row becomes two, as a Unicode cell's would
        parts = [len(catalog.split(t) or [t]) for t in rows.get_column("hinh_thuc").to_list()]
        origin = pl.Series("_o", [i for i, k in zip(changed, parts) for _ in range(k)], dtype=pl.UInt32)
        kept = new.with_row_index("_o").filter(~pl.col("_o").is_in(changed))
        new = pl.concat([kept, redone.with_columns(origin).select(kept.columns)], how="vertical_relaxed") \
            .sort("_o", maintain_order=True).drop("_o")
    intake.frame = new
    return findings


def _fonts_for(intake, cand: dict, files: set[str]) -> dict:
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
    for col, cells in cand.items():
        source_col = "doi_tuong" if col == "doi_tuong_raw" else col
        for idx, file, sheet, row in zip(*(cells.get_column(c).to_list() for c in ("_idx", "file", "sheet", "row"))):
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
