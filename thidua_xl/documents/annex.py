"""The danh sách fast path: thousands of rows without Jinja.

docxtpl's `{%tr for %}` grows quadratically past a few thousand rows (engineering
notes: 5.4 s for 30,000). Here the template's annex table carries prototype rows
marked «nhom», «don_vi» and «stt»/«ho_ten»/…; after docxtpl has rendered the rest,
each output row is a deep copy of its prototype with its texts set, chained with
`addnext` (linear; `insert(i, …)` in a loop is quadratic too).

A long list is cut into tables of at most MAX_TABLE_ROWS rows, each opening with the
template's header rows, joined by a hairline paragraph so the page reads as one table:
LibreOffice lays out one table in time quadratic in its rows (8,000 rows: 140 s), so a
25,000-name decision would never reach PDF in one table. The numbering runs on.
"""
from __future__ import annotations

import copy
import re

from lxml import etree

from ..errors import UserError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_T = f"{{{W}}}t"
_R = f"{{{W}}}r"
_P = f"{{{W}}}p"
_TR = f"{{{W}}}tr"
_TBL = f"{{{W}}}tbl"
MARKER = re.compile(r"«([a-z_]+)»")
ROW_KINDS = ("nhom", "don_vi")  # heading rows; any other marker row is the nominee row
ANNEX_FIELDS = ("nhom", "don_vi", "stt", "ho_ten", "ngay_sinh", "nam_sinh", "gioi_tinh", "chuc_vu", "khoa_phong",
                "don_vi", "chuc_vu_don_vi", "ghi_chu", "sang_kien", "hinh_thuc")
MAX_TABLE_ROWS = 500
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class AnnexError(UserError, ValueError):
    """The template's annex table is not usable (missing prototype, unknown marker): the staff fix the template."""


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(_T))


def _merge_split_markers(tr) -> None:
    """Word may split «ho_ten» across runs after an edit: join each paragraph's text into its first run."""
    for p in tr.iter(_P):
        ts = list(p.iter(_T))
        if len(ts) < 2:
            continue
        full = "".join(t.text or "" for t in ts)
        if "«" not in full:
            continue
        if all(MARKER.fullmatch(m.group(0)) and any(m.group(0) in (t.text or "") for t in ts)
               for m in MARKER.finditer(full)):
            continue
        ts[0].text = full
        ts[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        for t in ts[1:]:
            t.text = ""


def find_annex(body) -> tuple[object, dict[str, object]] | None:
    """The first table with marker rows: (table, {kind: prototype <w:tr>})."""
    for tbl in body.iter(_TBL):
        protos: dict[str, object] = {}
        for tr in tbl.findall(_TR):
            txt = _text(tr)
            names = MARKER.findall(txt)
            if not names:
                continue
            kind = names[0] if names[0] in ROW_KINDS else "dong"
            protos.setdefault(kind, tr)
        if protos:
            return tbl, protos
    return None


def markers_in(body) -> set[str]:
    found = find_annex(body)
    if not found:
        return set()
    _, protos = found
    out: set[str] = set()
    for tr in protos.values():
        _merge_split_markers(tr)
        out |= set(MARKER.findall(_text(tr)))
    return out


class _Stamp:
    """A prototype row prepared once: which <w:t> holds which marker text."""

    def __init__(self, tr):
        _merge_split_markers(tr)
        self.tr = tr
        self.slots: list[tuple[int, str]] = []
        for i, t in enumerate(tr.iter(_T)):
            if t.text and MARKER.search(t.text):
                self.slots.append((i, t.text))

    def make(self, values: dict) -> object:
        clone = copy.deepcopy(self.tr)
        if self.slots:
            ts = list(clone.iter(_T))
            for i, pattern in self.slots:
                ts[i].text = MARKER.sub(lambda m: _safe(values.get(m.group(1), "")), pattern)
        return clone


def _safe(value) -> str:
    if value is None:
        return ""
    return _XML_BAD.sub("", str(value))


def _prototypes(body) -> tuple[object, dict[str, object]]:
    """The annex table and its prototype rows, or a plain message saying what the template lacks."""
    found = find_annex(body)
    if not found:
        raise AnnexError("Mẫu văn bản không có bảng danh sách (hàng mẫu «stt», «ho_ten»…).")
    tbl, protos = found
    if "dong" not in protos:
        raise AnnexError("Bảng danh sách trong mẫu thiếu hàng mẫu người được khen (ô «stt», «ho_ten»…).")
    return tbl, protos


def _kind_values(row, kinds) -> tuple[str, dict]:
    """A row of a kind the template has no prototype for is written as a nominee row with its text as name."""
    if row.kind in kinds:
        return row.kind, row.values
    return "dong", {"ho_ten": row.values.get(row.kind, "")}


def separator() -> object:
    """The hairline paragraph between two parts of one long list (no visible gap, no merged tables)."""
    p = etree.Element(_P)
    ppr = etree.SubElement(p, f"{{{W}}}pPr")
    spacing = etree.SubElement(ppr, f"{{{W}}}spacing")
    for k, v in (("before", "0"), ("after", "0"), ("line", "20"), ("lineRule", "exact")):
        spacing.set(f"{{{W}}}{k}", v)
    rpr = etree.SubElement(ppr, f"{{{W}}}rPr")
    etree.SubElement(rpr, f"{{{W}}}sz").set(f"{{{W}}}val", "2")
    return p


def _table_head(tbl, first) -> object:
    """A copy of the table up to its first prototype row: properties, grid, header rows."""
    head = copy.deepcopy(tbl)
    cut = tbl.index(first)
    for child in list(head)[cut:]:
        head.remove(child)
    return head


def fill_annex(body, rows, max_rows: int | None = None) -> int:
    """Replace the prototype rows of the annex table with one row per item; returns rows written.

    rows: iterable of objects with .kind ('nhom' | 'don_vi' | 'dong') and .values (dict).
    Past `max_rows` rows a new table (the header repeated) continues the list.
    """
    max_rows = max_rows or MAX_TABLE_ROWS
    tbl, protos = _prototypes(body)
    stamps = {k: _Stamp(tr) for k, tr in protos.items()}
    first = min(protos.values(), key=lambda tr: tbl.index(tr))
    head = _table_head(tbl, first)
    last, current, in_table, end_of_first = first, tbl, 0, None
    n = 0
    for row in rows:
        if in_table >= max_rows:
            end_of_first = end_of_first if end_of_first is not None else last
            sep = separator()
            current.addnext(sep)
            current = copy.deepcopy(head)
            sep.addnext(current)
            last, in_table = None, 0
        kind, values = _kind_values(row, stamps)
        el = stamps[kind].make(values)
        if last is None:
            current.append(el)
        else:
            last.addnext(el)
        last = el
        n += 1
        in_table += 1
    for tr in protos.values():
        tbl.remove(tr)
    if end_of_first is not None:  # the rows the template has below the list close the last table
        for child in list(end_of_first.itersiblings()):
            current.append(child)
    return n


# --- a list of collectives only: no person columns ------------------------------------------
PERSON_FIELDS = ("ngay_sinh", "nam_sinh", "gioi_tinh", "chuc_vu", "khoa_phong")
_TC, _GRID, _GRIDCOL = f"{{{W}}}tc", f"{{{W}}}tblGrid", f"{{{W}}}gridCol"
_TCPR, _SPAN, _TCW, _VAL, _WIDTH = f"{{{W}}}tcPr", f"{{{W}}}gridSpan", f"{{{W}}}tcW", f"{{{W}}}val", f"{{{W}}}w"


def only_collectives(rows) -> bool:
    """Whether a list names collectives and no person (its nominee rows all say doi_tuong 'tap_the')."""
    nominees = [r for r in rows if r.kind == "dong"]
    return bool(nominees) and all(r.values.get("doi_tuong") == "tap_the" for r in nominees)


def _cells(tr) -> list[tuple[int, int, object]]:
    """(first grid column, columns spanned, <w:tc>) of each cell of a row."""
    out, g = [], 0
    for tc in tr.findall(_TC):
        span_el = tc.find(f"{_TCPR}/{_SPAN}")
        span = int(span_el.get(_VAL)) if span_el is not None else 1
        out.append((g, span, tc))
        g += span
    return out


def drop_person_columns(body) -> int:
    """Remove the annex columns whose nominee cell holds only person fields (ngày sinh, giới tính, chức vụ,
    khoa phòng), giving their width to the name column, headed "Tên tập thể"; returns columns removed."""
    tbl, protos = _prototypes(body)
    drop: set[int] = set()
    name_col = None
    for start, span, tc in _cells(protos["dong"]):
        names = set(MARKER.findall(_text(tc)))
        if names and names <= set(PERSON_FIELDS):
            drop.update(range(start, start + span))
        if "ho_ten" in names:
            name_col = start
    grid = tbl.find(_GRID)
    if not drop or name_col is None or grid is None:
        return 0
    cols = grid.findall(_GRIDCOL)
    widths = [int(c.get(_WIDTH) or 0) for c in cols]
    extra = sum(widths[g] for g in drop if g < len(widths))
    for tr in tbl.findall(_TR):
        for start, span, tc in _cells(tr):
            covered = range(start, start + span)
            kept = [g for g in covered if g not in drop]
            if not kept:
                tr.remove(tc)
                continue
            if len(kept) != span:
                tc.find(f"{_TCPR}/{_SPAN}").set(_VAL, str(len(kept)))
            tcw = tc.find(f"{_TCPR}/{_TCW}")
            if tcw is not None and tcw.get(f"{{{W}}}type", "dxa") == "dxa":
                tcw.set(_WIDTH, str(sum(widths[g] for g in kept if g < len(widths))
                                    + (extra if name_col in kept else 0)))
            if start == name_col and span == 1 and _text(tc).strip().startswith("Họ và tên"):  # its header
                ts = list(tc.iter(_T))
                ts[0].text = "Tên tập thể"
                for t in ts[1:]:
                    t.text = ""
    for g in sorted(drop, reverse=True):
        if g < len(cols):
            grid.remove(cols[g])
    if name_col < len(cols):
        cols[name_col].set(_WIDTH, str(widths[name_col] + extra))
    return len(drop)


# --- deferred annex: the rows produced as bytes while document.xml is written ------------------
_PI_ROWS, _PI_PROTO, _PI_END = "thidua-annex-rows", "thidua-annex-proto", "thidua-annex-end"
_PI_TABLE, _PI_SEP = "thidua-annex-table", "thidua-annex-sep"
_SLOT = re.compile("\ue000(\\d+)\ue001".encode())


def _escape_text(text: str) -> bytes:
    """Text content escaped exactly as libxml2 serializes it (&, <, >, and CR as &#13;)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text.encode("utf-8")


class DeferredAnnex:
    """The annex table's rows, kept out of the tree (~17 KB of lxml per row at 30,000 names).

    `prepare` leaves processing-instruction marks where the rows go and around each prototype;
    after the document part is serialized, `split` cuts it there and `rows_bytes` yields each
    row as the bytes lxml would have written for a filled deep copy of its prototype.
    """

    def __init__(self, body, rows, max_rows: int | None = None):
        tbl, protos = _prototypes(body)
        self.rows = rows
        self.max_rows = max_rows or MAX_TABLE_ROWS
        self.table_break = b""  # </w:tbl>, the separator, the table's head: set by split
        self.stamps = {k: _Stamp(tr) for k, tr in protos.items()}
        self.usable = all(tr.tail is None for tr in protos.values())
        self._protos, self._tbl = protos, tbl
        self.patterns: dict[str, list[str]] = {}
        self.parts: dict[str, list[bytes]] = {}

    def prepare(self) -> None:
        first = min(self._protos.values(), key=lambda tr: self._tbl.index(tr))
        first.addprevious(etree.ProcessingInstruction(_PI_ROWS, "x"))
        for kind, stamp in self.stamps.items():
            ts = list(stamp.tr.iter(_T))
            self.patterns[kind] = [pattern for _i, pattern in stamp.slots]
            for j, (i, _pattern) in enumerate(stamp.slots):
                ts[i].text = f"\ue000{j}\ue001"
            stamp.tr.addprevious(etree.ProcessingInstruction(_PI_PROTO, kind))
            stamp.tr.addnext(etree.ProcessingInstruction(_PI_END, "x"))
        # serialized in place (so with the document's prefixes), then cut out by `split`
        self._tbl.addprevious(etree.ProcessingInstruction(_PI_TABLE, "x"))
        sep = separator()
        self._tbl.addnext(sep)
        sep.addprevious(etree.ProcessingInstruction(_PI_SEP, "x"))
        sep.addnext(etree.ProcessingInstruction(_PI_END, "sep"))

    def split(self, xml: bytes) -> tuple[bytes, bytes]:
        """(head, tail) of the serialized part around the rows; the prototypes cut out."""
        for kind in self.stamps:
            start_mark = f"<?{_PI_PROTO} {kind}?>".encode()
            end_mark = f"<?{_PI_END} x?>".encode()
            a = xml.index(start_mark)
            b = xml.index(end_mark, a)
            proto = xml[a + len(start_mark):b]
            self.parts[kind] = _SLOT.split(proto)  # literal, slot no., literal, slot no., …
            xml = xml[:a] + xml[b + len(end_mark):]
        sep_mark, sep_end = f"<?{_PI_SEP} x?>".encode(), f"<?{_PI_END} sep?>".encode()
        a = xml.index(sep_mark)
        b = xml.index(sep_end, a)
        sep = xml[a + len(sep_mark):b]
        xml = xml[:a] + xml[b + len(sep_end):]
        head, tail = xml.split(f"<?{_PI_ROWS} x?>".encode(), 1)
        table_mark = f"<?{_PI_TABLE} x?>".encode()
        t = head.rindex(table_mark)
        head = head[:t] + head[t + len(table_mark):]
        tag = re.match(rb"<([\w:.-]+)", head[t:]).group(1)  # w:tbl, as this document spells it
        self.table_break = b"</" + tag + b">" + sep + head[t:]
        return head, tail

    def _row(self, kind: str, values: dict) -> bytes:
        parts, patterns = self.parts[kind], self.patterns[kind]
        out = [parts[0]]
        for k in range(1, len(parts), 2):
            pattern = patterns[int(parts[k])]
            out.append(_escape_text(MARKER.sub(lambda m: _safe(values.get(m.group(1), "")), pattern)))
            out.append(parts[k + 1])
        return b"".join(out)

    def rows_bytes(self):
        in_table = 0
        for row in self.rows:
            if in_table >= self.max_rows:
                yield self.table_break
                in_table = 0
            yield self._row(*_kind_values(row, self.stamps))
            in_table += 1
