"""The year's tables written where the user asked: a JSON file, a workbook, or the master itself.

Shared by every adapter, so `thidua validate --into`, the demo and the ribbon write the same cells.
Writing into the master goes through one door (`write_into`): refused while Excel has the file
open, under the master's lock, the same pre-parse limits as any input, a backup first, an atomic save.
"""
from __future__ import annotations

import itertools
import json
import operator
import tempfile
from pathlib import Path

from ..errors import UserError


def write_into(master: Path, produced: Path, sheets: list[str] | None = None) -> Path:
    """Copy the tool's sheets of `produced` into the user's master; returns the backup's path."""
    from ..locks import master_lock
    from ..safety import Refused, inspect
    from ..workbook.transplant import write_sheets_into

    master = Path(master)
    if not master.is_file():
        raise UserError(f"Không tìm thấy tệp tổng hợp “{master}”.")
    if (master.parent / f"~${master.name}").exists():
        raise UserError(f"Tệp “{master.name}” đang mở trong Excel: hãy đóng tệp rồi chạy lại.")
    try:
        with master_lock(master):
            inspect(master)  # the same pre-parse limits as any input: no bomb gets rewritten
            return write_sheets_into(master, produced, sheets)
    except Refused as exc:
        raise UserError(f"Không ghi vào “{master.name}”: {exc}.") from None


def findings_json(result) -> dict:
    """`validate --json`: the year, every finding, the counts by severity."""
    return {"year": result.year, "findings": [f.to_dict() for f in result.findings], "counts": _counts(result)}


def _counts(result) -> dict[str, int]:
    return _severity_counts([f.severity for f in result.findings])


def _severity_counts(severities: list[str]) -> dict[str, int]:
    """The JSON's `counts`: errors and warnings among the findings' severities."""
    from ..model import ERROR, WARNING

    return {ERROR: severities.count(ERROR), WARNING: severities.count(WARNING)}


def _lines(values: list) -> str:
    """values as the C encoder writes a list of them, one line break between items (an encoded value holds none)."""
    from json.encoder import c_make_encoder, encode_basestring

    global _LINES
    if c_make_encoder is None:  # pragma: no cover - CPython always has it
        _LINES = json.JSONEncoder(ensure_ascii=False, default=str, separators=("\n", ": ")).encode
    else:
        made = c_make_encoder(None, str, encode_basestring, None, ": ", "\n", False, False, True)
        _LINES = lambda values: "".join(made(values, 0))  # noqa: E731
    return _LINES(values)


_LINES = _lines
_TEXT = json.encoder.encode_basestring  # the C function when CPython has it, as the encoder uses


def findings_text(result, end: str = "") -> str:
    """`fileio.json_text(findings_json(result)) + end`, byte for byte, without a record per finding.

    Laying out thousands of findings one by one (a record each, then the layout of each record and of its
    rule codes) took ~0.15 s of Python; `_grouped_text` lays out the fields that repeat once per distinct
    run of values and joins the whole text once. Anything unusual (a finding of another class, a value a
    lookup could confuse) goes the general way."""
    from ..fileio import json_text
    from ..model import Finding

    findings = result.findings
    if findings and all(type(f) is Finding for f in findings):
        grouped = _grouped_text(result, findings, end)
        if grouped is not None:
            return grouped
    return json_text(findings_json(result)) + end


# Runs of a finding's fields laid out together, once per distinct run of values: a run has a few files, sheets,
# units and rules over thousands of findings. The message (and the row) vary: encoded one by one.
_GROUPS = (("code", "severity"), ("message",), ("file", "sheet"), ("row",),
           ("column", "unit", "rule", "legal_basis", "verified", "rules"))
_KEYED = frozenset((str, int, bool, type(None)))  # equal values of these (one kind a field) encode alike


def _grouped_text(result, findings, end: str) -> str | None:
    """`findings_text` with each run of `_GROUPS` but the message and the row laid out once per distinct tuple
    of its values (~25 pieces a finding joined become ~6); None when a field holds what a lookup could confuse
    (floats: 0.0 and -0.0 are equal; 1 and True; anything not plain) — the caller then goes the general way."""
    laid = _grouped_pieces(result, findings)
    if laid is None:
        return None
    head, pieces, tail = laid
    columns = [itertools.repeat(v) if kind == "same" else map(_TEXT, v) if kind == "text" else v
               for kind, v in pieces]
    opening = itertools.chain((head,), itertools.repeat(_BETWEEN))
    return "".join(itertools.chain(itertools.chain.from_iterable(zip(opening, *columns)), (tail + end,)))


_BETWEEN = ",\n    "  # between two findings


def _grouped_pieces(result, findings) -> tuple[str, list[tuple[str, object]], str] | None:
    """(the text before the first finding, each finding's pieces in order, the text after the last) of
    `_grouped_text`; a piece is ("same", text) for every finding, ("laid", texts) one per finding, or ("text",
    texts) one text per finding still to be encoded as a JSON string. None: see `_grouped_text`.

    The fields are read from each finding's `__dict__` (a dataclass sets every field there; one missing goes
    the general way), a group's texts looked up once per finding, each distinct run laid out when first met."""
    from ..fileio import json_text

    step = "\n      "
    try:
        records = list(map(vars, findings))
        columns = {name: list(map(operator.itemgetter(name), records)) for group in _GROUPS for name in group}
    except (KeyError, TypeError):
        return None
    kinds = {}
    for name, column in columns.items():
        kinds[name] = kind = set(map(type, column))
        if name == "rules":
            if kind != {tuple} or not all({str}.issuperset(map(type, t)) for t in set(column)):
                return None
        elif not _KEYED.issuperset(kind) or len(kind - {str, type(None)}) > 1 or (kind & {int, bool}
                                                                              and str in kind):
            return None
    # the rule codes behind a finding: a few distinct tuples (tuples of str: equal ones are written alike)
    rules_laid = {rules: "" if not rules else f',{step}"rules": ' + json_text(list(rules)).replace("\n", step)
                  for rules in set(columns["rules"])}
    pieces: list[tuple[str, object]] = []
    for k, group in enumerate(_GROUPS):
        if group in (("message",), ("row",)):
            name = group[0]
            pieces.append(("same", f',{step}"{name}": '))
            if kinds[name] == {str}:
                pieces.append(("text", columns[name]))
            else:
                pieces.append(("laid", _LINES(columns[name])[1:-1].split("\n")))
            continue

        def laid(key, group=group, first=k == 0) -> str:
            parts = []
            for name, value in zip(group, key):
                if name == "rules":
                    parts.append(rules_laid[value])
                else:
                    parts.append(f',{step}"{name}": ' + (_TEXT(value) if value.__class__ is str
                                                           else _LINES([value])[1:-1]))
            text = "".join(parts)
            return "{" + text[1:] if first else text

        table = _Laid(laid)
        pieces.append(("laid", list(map(table.__getitem__, zip(*(columns[name] for name in group))))))
    pieces.append(("same", "\n    }"))
    counts = _severity_counts(columns["severity"])
    head, tail = json_text({"year": result.year, "findings": [], "counts": counts}).split('"findings": []')
    return head + '"findings": [\n    ', pieces, "\n  ]" + tail


class _Laid(dict):
    """A group's text for each distinct run of values, laid out the first time the run is met (one lookup a
    finding: the run's tuple hashed once)."""

    def __init__(self, lay):
        super().__init__()
        self._lay = lay

    def __missing__(self, key):
        text = self[key] = self._lay(key)
        return text


def findings_bytes(result, end: str = "", pieces=None) -> bytes:
    """`findings_text(result, end)` in UTF-8, byte for byte, the findings' pieces joined, their messages encoded
    as JSON strings and the whole made UTF-8 by Polars (no GIL held; a 120,000-row run writes ~20 MB: ~97 → ~59 ms
    with the encoding, load 4). Polars escapes a string as `json.dumps(ensure_ascii=False)` does (every code point checked);
    anything `_grouped_text` would not lay out, or Polars would not take, goes the way of `findings_text`.
    `pieces`: `findings_pieces(result)` worked out before."""
    laid = findings_pieces(result) if pieces is None else pieces
    if laid:
        try:
            return _joined_by_polars(*laid, end)
        except Exception:  # noqa: BLE001 - e.g. a lone surrogate Polars refuses: the general way says so
            pass
    return findings_text(result, end).encode("utf-8")


def findings_pieces(result) -> tuple | bool:
    """`_grouped_pieces` of the findings when all are plain `Finding`s, else False (the general way)."""
    from ..model import Finding

    findings = result.findings
    if findings and set(map(type, findings)) == {Finding}:
        return _grouped_pieces(result, findings) or False
    return False


def findings_writer(result, json_out: Path):
    """`write_findings(result, json_out=json_out)` begun: the findings' pieces laid out now, in the caller's
    thread (Python that holds the interpreter lock: done alone, nothing waits on it twice); the function returned
    does the rest (Polars' join and encoding, the file's write: they let the lock go) in a thread beside the tables."""
    pieces = findings_pieces(result)

    def write_findings_json() -> dict[str, Path]:
        _write_findings_json(result, json_out, pieces)
        return {"json": Path(json_out)}

    return write_findings_json


def _joined_by_polars(head: str, pieces: list, tail: str, end: str) -> bytes:
    import polars as pl

    whole = _rows_by_polars(head, pieces).select(pl.concat_str(pl.col("row").str.join(""), pl.lit(tail + end)))
    return whole.to_series().cast(pl.Binary).item()


def _rows_by_polars(head: str, pieces: list):
    """A one-column Polars frame ("row"): each finding's text, led by what comes before it (the head, or the line
    between two findings): the file is its rows one after another, then the tail."""
    import polars as pl

    n = next(len(value) for kind, value in pieces if kind != "same")
    columns = {"lead": pl.Series([head, *itertools.repeat(_BETWEEN, n - 1)], dtype=pl.String)}
    parts = [pl.col("lead")]
    for j, (kind, value) in enumerate(pieces):
        if kind == "same":
            parts.append(pl.lit(value, dtype=pl.String))
            continue
        columns[f"p{j}"] = pl.Series(value, dtype=pl.String)
        part = pl.col(f"p{j}")
        if kind == "text":  # a string's JSON: the one field of an encoded record, its key and braces cut off
            part = pl.struct(k=part).struct.json_encode().str.slice(5).str.strip_suffix("}")
        parts.append(part)
    frame = pl.DataFrame(columns)
    # in pieces of ~1,000 findings, queried side by side: each piece's texts stay in the cache while they are made
    # (CPU at 30,000 rows ~16.5 -> ~12.7 ms with the file written; 120,000: ~52 -> ~43 ms)
    pieces_n = -(-n // _ROWS_PIECE)
    if pieces_n <= 1:
        return frame.select(row=pl.concat_str(parts))
    step = -(-n // pieces_n)
    return pl.concat(pl.collect_all([frame.slice(i, step).lazy().select(row=pl.concat_str(parts))
                                     for i in range(0, n, step)]), rechunk=False)


_ROWS_PIECE = 1000


def _write_findings_json(result, json_out: Path, pieces) -> None:
    """`write_bytes(json_out, findings_bytes(result, "\n", pieces))`, byte for byte, the rows written by Polars
    itself: a one-column CSV of the rows, no header, no quotes, nothing between them, then the tail. The whole
    text (~20 MB at 120,000 rows) is never joined in Polars nor copied into Python; the sha256 the audit line
    needs is worked out from the file (`fileio.write_with`)."""
    from ..fileio import write_bytes, write_with

    if pieces:
        head, laid, tail = pieces
        try:
            rows = _rows_by_polars(head, laid)
        except Exception:  # noqa: BLE001 - e.g. a lone surrogate Polars refuses: the general way says so
            rows = None
        if rows is not None:
            def write(tmp: Path) -> None:
                rows.write_csv(tmp, include_header=False, quote_style="never", line_terminator="")
                with open(tmp, "ab") as fh:
                    fh.write((tail + "\n").encode("utf-8"))

            write_with(json_out, write)
            return
    write_bytes(json_out, findings_bytes(result, end="\n", pieces=pieces))


def write_findings(result, *, json_out: Path | None = None, out: Path | None = None,
                   into: Path | None = None) -> dict[str, Path]:
    """The `Kiểm tra` outputs asked for: what was written (kind -> path; `backup` for --into)."""
    from ..validate import write_findings_workbook

    written: dict[str, Path] = {}
    findings = list(result.findings)
    if json_out:
        _write_findings_json(result, json_out, findings_pieces(result))
        written["json"] = Path(json_out)
    if out:
        written["xlsx"] = Path(write_findings_workbook(result.intake, findings, out, result.year))
    if into:
        with tempfile.TemporaryDirectory() as tmp:
            produced = write_findings_workbook(result.intake, findings, Path(tmp) / "kiem-tra.xlsx", result.year,
                                               master_name=Path(into).name)
            written["backup"] = write_into(into, Path(produced), ["Kiểm tra"])
        written["into"] = Path(into)
    return written


def totals_json(result) -> dict:
    """`consolidate --json`: the totals (CONTRACT's shape) and, per file, how it was read."""
    from . import sources

    return {**result.consolidation.to_json(), "sources": sources(result.intake)}


def write_totals(result, *, json_out: Path | None = None, out: Path | None = None,
                 into: Path | None = None) -> dict[str, Path]:
    """The `Tổng hợp` outputs asked for; into the master also the per-award sheets and the chart
    (the workbook writer imported only when a workbook is asked for)."""
    from ..fileio import write_json

    written: dict[str, Path] = {}
    if json_out:
        write_json(json_out, totals_json(result))
        written["json"] = Path(json_out)
    if out or into:
        from ..export import write_consolidation
    if out:
        write_consolidation(result.consolidation, out)
        written["xlsx"] = Path(out)
    if into:
        from ..catalog import load_catalog
        from ..chart import chart_data
        from ..validate import default_history_path

        history = default_history_path(result.intake)
        chart = chart_data(result.consolidation, load_catalog(),
                           history if history is not None and history.is_file() else None)
        with tempfile.TemporaryDirectory() as tmp:
            produced = write_consolidation(result.consolidation, Path(tmp) / "tong-hop.xlsx", chart=chart)
            written["backup"] = write_into(into, produced)
        written["into"] = Path(into)
    return written


def refresh_history_sheet(master: Path, db, intake=None) -> int | None:
    """The master's `Lịch sử` shows the register for its own people: rows written, or None when the
    master cannot take it now (not a workbook, or open in Excel). Raises UserError when it fails."""
    from ..text import name_keys
    from ..workbook.history_view import write_history_sheet

    master = Path(master)
    if master.suffix.lower() not in (".xlsx", ".xlsm") or (master.parent / f"~${master.name}").exists():
        return None
    noms = intake.nominations if intake is not None else None
    people = set(name_keys(noms["ho_ten"].tolist())) if noms is not None else None
    return write_history_sheet(master, db, people=people)


def collect_into(folder: Path, master: Path, *, dry_run: bool = False, supplement: bool = False,
                 year_ok: bool = False):
    """The units' returned files written into the master (backup first; see workbook.collect), and
    the master's `Lịch sử` sheet brought up to its new people when a register sits beside it.

    Returns (the collect report, the `Lịch sử` refresh: rows written, None when not done, or the
    UserError that stopped it)."""
    from ..history import default_path
    from ..workbook.collect import collect

    report = collect(folder, master, dry_run=dry_run, supplement=supplement, year_ok=year_ok)
    refreshed = None
    if report.written and not report.nothing_changed and not dry_run and default_path([master]).is_file():
        from . import load

        try:
            refreshed = refresh_history_sheet(master, default_path([master]), load([master]))
        except UserError as exc:
            refreshed = exc
    return report, refreshed
