"""The Sở's year as one visible pipeline, and the only place its order is written down.

    read → normalise → validate → consolidate → decide → render → deliver → archive

Each step takes a frozen `YearResult` and returns a new one (`replace`), so a step
never changes what the caller holds, and each is timed the way beancount's loader times its steps:
the duration goes to the `thidua_xl.pipeline` log (`thidua --verbose` shows it) and into
`YearResult.timings`, which the audit log records. The command line, the Excel buttons and the demo
are adapters: they call these steps (or `run`) and print, write cells or echo; none calls another.
"""
from __future__ import annotations

import copy
import datetime as dt
import functools
import logging
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from ..perf import Frozen

if TYPE_CHECKING:  # the data libraries load when a step runs, not when an adapter imports this
    from ..config import Config
    from ..consolidate import Consolidation
    from ..intake import Intake
    from ..model import Finding

log = logging.getLogger(__name__)


class YearResult(Frozen):
    """What the year's run holds after each step: plain data, never changed in place (a step gives a new one,
    `replace`). A plain class (see perf.Plain): a frozen dataclass with `eq=False` generated at every start
    otherwise; a result equals only itself."""

    _fields = ("intake", "year", "findings", "consolidation", "decision", "documents", "reconciliation",
               "certificates", "deliveries", "archived", "timings")
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __init__(self, intake: Intake, year: int, findings: tuple[Finding, ...] = (),
                 consolidation: Consolidation | None = None, decision: Any = None, documents: tuple[Path, ...] = (),
                 reconciliation: Path | None = None, certificates: tuple = (), deliveries: tuple = (),
                 archived: Any = None, timings: tuple[tuple[str, float], ...] = ()):
        put = object.__setattr__
        put(self, "intake", intake)
        put(self, "year", year)
        put(self, "findings", findings)
        put(self, "consolidation", consolidation)
        put(self, "decision", decision)  # decide.Decision: what goes into the documents, and why the rest does not
        put(self, "documents", documents)  # Word documents and certificate pages, in the order written
        put(self, "reconciliation", reconciliation)  # doi-chieu.xlsx: proposed → valid → passed → decided, per award
        put(self, "certificates", certificates)  # documents.certificates.Certificates, one per decision printed
        put(self, "deliveries", deliveries)
        put(self, "archived", archived)  # history.ImportResult
        put(self, "timings", timings)  # (step, seconds) of each step run

    @property
    def config(self) -> Config:
        from ..config import Config

        return Config.from_kv(self.intake.config)

    @property
    def narrative(self) -> dict[str, str]:
        from ..config import narrative_from_kv

        return narrative_from_kv(self.intake.narrative)


def replace(result: YearResult, **changes) -> YearResult:
    """`dataclasses.replace` of a YearResult: a new one with `changes` (an unknown name is a TypeError, as there)."""
    return YearResult(**{**{name: getattr(result, name) for name in YearResult._fields}, **changes})


# --- timing ------------------------------------------------------------------------------------
@contextmanager
def log_time(step: str, level: int = logging.INFO) -> Iterator[list[float]]:
    """Time a block and log `step` with its duration (beancount's `misc_utils.log_time`); the
    yielded list receives the seconds when the block ends."""
    box: list[float] = []
    start = time.perf_counter()
    try:
        yield box
    finally:
        box.append(time.perf_counter() - start)
        log.log(level, "%-12s %8.3f s", step, box[0])


def step(name: str) -> Callable[[Callable[..., YearResult]], Callable[..., YearResult]]:
    """A pipeline step: timed with `log_time`, its (name, seconds) appended to the result's timings."""
    def wrap(fn: Callable[..., YearResult]) -> Callable[..., YearResult]:
        @functools.wraps(fn)
        def timed(*args, **kwargs) -> YearResult:
            with log_time(name) as took:
                new = fn(*args, **kwargs)
            return replace(new, timings=new.timings + ((name, round(took[0], 3)),))
        return timed
    return wrap


# --- the steps ----------------------------------------------------------------------------------
def resolve_year(year: int | None, intake: Intake | None) -> int:
    """--year, else the master's config, else a unit file's title, else last year."""
    from ..guards import check_year

    if year is not None:
        return check_year(year)
    if intake is not None and intake.year:
        return intake.year
    return dt.date.today().year - 1


def load(paths: Iterable, progress: Callable[[str], None] | None = None) -> Intake:
    """Every workbook of `paths` read once (see intake)."""
    from ..intake import read_paths

    return read_paths(paths, progress=progress)


@step("read")
def read(paths: Iterable = (), year: int | None = None, *, progress: Callable[[str], None] | None = None,
         intake: Intake | None = None) -> YearResult:
    """Step 1: the inputs read (or an Intake an adapter read itself, e.g. from Excel's cells) and the
    award year settled."""
    got = intake if intake is not None else load(paths, progress)
    return YearResult(intake=got, year=resolve_year(year, got))


@step("normalise")
def normalise(result: YearResult) -> YearResult:
    """Step 2: TCVN3/VNI cells converted to Unicode (their person keys and award codes redone) in a
    new Polars nominations frame on a copy of the intake; each converted cell is reported with intake's
    findings. The caller's intake is left as it was read."""
    from ..catalog import load_catalog
    from ..validate import fix_legacy

    intake = copy.copy(result.intake)
    converted = fix_legacy(intake, load_catalog())  # rebinds the copy's .frame, never the frame read
    intake.findings = list(result.intake.findings) + converted
    return replace(result, intake=intake)


@step("validate")
def validate(result: YearResult, history=None, rules=None) -> YearResult:
    """Step 3: every rule of the award year checked over the normalised nominations (normalising
    first when the step before did not); the findings in file order (see validate)."""
    from ..validate import validate as run_rules

    if "normalise" not in dict(result.timings):  # the steps that ran are in the timings
        result = normalise(result)
    intake = copy.copy(result.intake)  # validate.validate would rebind .frame were anything left to convert
    intake.findings = list(intake.findings)
    found = run_rules(intake, result.year, history=history, rules=rules)
    return replace(result, intake=intake, findings=tuple(found))


_validate_step = validate  # `run` has a flag of the same name


@step("consolidate")
def consolidate(result: YearResult) -> YearResult:
    """Step 4: totals by award × subject × unit, the per-award lists, the initiatives."""
    return replace(result, consolidation=totals(result.intake, result.year))


@step("decide")
def decide(result: YearResult, votes: dict | None = None, *, require_vote: bool = False) -> YearResult:
    """Step 5: what the Sở decides — valid rows of awards the Hội đồng passed, not refused row by row."""
    from ..decide import decide_year

    return replace(result, decision=decide_year(result.intake, result.year, list(result.findings), votes,
                                                require_vote=require_vote))


@step("render")
def render(result: YearResult, out: str | Path, kinds: Iterable[str] | None = None, *,
           templates: str | Path | None = None) -> YearResult:
    """Step 6: the Word documents of the decision (every kind by default) and its reconciliation
    workbook `doi-chieu.xlsx` beside them."""
    from ..documents import KINDS, render_reports
    from ..documents.outcome import write_reconciliation

    out = Path(out)
    kinds = list(KINDS if kinds is None else kinds)
    if not kinds:
        return result
    written = render_reports(result.decision.proposed, result.config, result.narrative, out, kinds=kinds,
                             templates_dir=templates, decision=result.decision)
    return replace(result, documents=result.documents + tuple(Path(p) for p in written),
                   reconciliation=write_reconciliation(result.decision, out / "doi-chieu.xlsx"))


@step("certificates")
def certificates(result: YearResult, out: str | Path, form, awards: Iterable[str] | None = None, *,
                 votes: dict | None = None, calibration: bool = False) -> YearResult:
    """Step 6, printed: the Sở's certificates (giấy khen) on their pre-printed paper, one page per
    awardee, numbered as the decisions are; with `calibration`, the alignment page too."""
    from ..documents import certificates as cert

    certs = cert.plan(result.decision.proposed, result.config, result.narrative, list(result.findings), awards,
                      form, votes=votes)
    written = cert.render_certificates(certs, form, out, author=result.config.get("co_quan_ban_hanh"))
    if calibration:
        written.append(cert.render_calibration(form, out))
    return replace(result, certificates=tuple(certs), documents=result.documents + tuple(Path(p) for p in written))


def deliver(result: YearResult, deliveries: Iterable) -> YearResult:
    """Step 7 recorded: what `pipeline.delivery` sent or drafted (its functions take folders, so
    that sending a folder of documents needs no year read)."""
    return replace(result, deliveries=result.deliveries + tuple(deliveries))


def archive(result: YearResult, db, votes: dict | None = None, *, decision_no: str = "",
            decision_date: str = "") -> YearResult:
    """Step 8: the granted awards stored in the history register (once; see history.archive).

    A master holds the Hội đồng's results: its rows are checked first (against the register itself,
    when it exists) unless the validate step already ran, and its votes decide. Units' lists are
    proposals, refused only for what intake found, and wait apart unless `decision_no` names the
    signed decision they were granted by.
    """
    from ..store import is_url

    is_master = any(f.kind == "master" for f in result.intake.files)
    if is_master and "validate" not in dict(result.timings):  # the steps that ran are in the timings
        result = validate(result, db if is_url(db) or Path(db).is_file() else None)
    return _store(result, db, votes if is_master else None, is_master, decision_no, decision_date)


@step("archive")
def _store(result: YearResult, db, votes: dict | None, is_master: bool, decision_no: str,
           decision_date: str) -> YearResult:
    from .. import history as register

    findings = list(result.findings) if is_master else list(result.intake.findings)
    return replace(result, archived=register.archive(db, result.intake, result.year, findings, votes,
                                                      decision_no=decision_no, decision_date=decision_date))


def run(paths: Iterable = (), year: int | None = None, history=None, *, validate: bool = True,
        progress: Callable[[str], None] | None = None, intake: Intake | None = None, rules=None,
        votes: dict | None = None, out: str | Path | None = None, kinds: Iterable[str] | None = None,
        templates: str | Path | None = None) -> YearResult:
    """The year in one call: read → normalise → validate → consolidate, then (with `out`) decide → render.
    Without `validate` the rows are counted as read (as `thidua consolidate` counts them)."""
    result = read(paths, year, progress=progress, intake=intake)
    if validate:
        result = _validate_step(normalise(result), history, rules)
    result = consolidate(result)
    if out is not None:
        result = render(decide(result, votes), out, kinds, templates=templates)
    return result


# --- plain helpers the steps and the adapters share ----------------------------------------------
def exit_code(intake: Intake, errors: int = 0) -> int:
    """2 when nothing could be read, 1 when some file was bad or errors were found, else 0."""
    if intake.files and all(not f.ok for f in intake.files):
        return 2
    intake_errors = any(f.severity == "error" for f in intake.findings)
    return 1 if (intake.bad_files or errors or intake_errors) else 0


def check(intake: Intake, year: int, history=None, rules=None) -> list[Finding]:
    """The findings alone (validate's step without the YearResult); like the step, it converts
    legacy text on a copy, so the caller's intake keeps the frame it read."""
    from ..validate import validate as run_rules

    intake = copy.copy(intake)
    intake.findings = list(intake.findings)
    return run_rules(intake, year, history=history, rules=rules)


def totals(intake: Intake, year: int) -> Consolidation:
    """Consolidate's step without the YearResult."""
    from ..consolidate import consolidate as _consolidate

    return _consolidate(intake.frame, intake.initiatives_frame, year,
                        files=sum(f.ok for f in intake.files), units=intake.units_frame)


def sources(intake: Intake) -> list[dict]:
    """Per file: its unit and how it was recognised, rows read, and header drift.

    Reported with every consolidation so a column a unit renamed or dropped is seen,
    not silently counted as empty (the Power Query trap).
    """
    out = []
    for f in intake.files:
        out.append({
            "file": f.file, "kind": f.kind, "ok": f.ok, "unit_code": f.unit_code, "unit": f.unit,
            "unit_source": f.unit_source, "rows": f.rows,
            "sheets": [{"sheet": s, "header_row": f.header_row.get(s), "mapped": f.mapped.get(s, {}),
                        "missing": f.missing.get(s, []), "extra": f.extra.get(s, [])} for s in f.mapped],
        })
    return out
