"""Which unit a returned file speaks for, and whether the same file came twice.

A unit file says who it is in up to three ways: the code `split` hid in it, the
`Đơn vị: …` line above its table, and its file name. When they name different units
(CDC filled BVDKT's template and sent it as `CDC-2.xlsx`) no rule can tell whose rows
these are, so the file is reported and never written over a unit's rows. A file sent
twice (`CDC.xlsx` and `CDC (1).xlsx`), or two files of one unit in one folder, count
once: the newest.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .model import ERROR, Finding
from .text import fold


def code_in_file_name(stem: str, registry) -> tuple[str, str] | None:
    """The known unit a file name names: exactly (code or name), or as its first words (`CDC-2`, `CDC (1)`)."""
    hit = registry.find(stem)
    if hit:
        return hit
    folded = fold(stem)
    best = None
    for key, unit in registry.by_code.items():
        if key and folded.startswith(key + " ") and (best is None or len(key) > len(best[0])):
            best = (key, unit)
    return best[1] if best else None


def identity_conflict(file_name: str, hidden_code: str, title_unit: str, registry) -> str:
    """A Vietnamese sentence when the file's signals name different known units, else ''."""
    signals: list[tuple[str, str, str]] = []  # (code, unit name, which signal)
    if hidden_code:
        hit = registry.find(hidden_code)
        signals.append((hit[0] if hit else hidden_code, hit[1] if hit else hidden_code,
                        f"mã đơn vị ghi ẩn trong tệp là “{hidden_code}”"))
    if title_unit:
        hit = registry.find(title_unit)
        if hit:
            signals.append((hit[0], hit[1], f"dòng “Đơn vị:” ghi “{title_unit}”"))
    by_name = code_in_file_name(Path(file_name).stem, registry)
    if by_name:
        signals.append((by_name[0], by_name[1], f"tên tệp “{file_name}” là của đơn vị “{by_name[1]}”"))
    codes = {fold(c) for c, _u, _w in signals}
    if len(codes) < 2:
        return ""
    return (f"Tệp “{file_name}” mang dấu hiệu của nhiều đơn vị khác nhau: " + "; ".join(w for _c, _u, w in signals)
            + ". Không xác định được đây là tệp của đơn vị nào nên không dùng để thay danh sách của đơn vị nào. "
              "Hãy kiểm tra lại tệp (có thể đơn vị đã điền nhầm vào mẫu của đơn vị khác) rồi gửi lại đúng tệp.")


def _digest(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None  # the reader says why
    return h.hexdigest()


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def superseded_files(reports) -> tuple[set[str], list[Finding]]:
    """Paths of unit files not to count: an identical copy of another, or an older file of a unit that has
    a newer one in the same folder. Each gets `superseded_by` and a finding; the newest is kept."""
    units = [r for r in reports if r.kind == "unit" and r.ok]
    drop: set[str] = set()
    findings: list[Finding] = []

    def supersede(r, keep, message: str) -> None:
        if r.path in drop:
            return
        drop.add(r.path)
        r.superseded_by = keep.file
        findings.append(Finding("DUPLICATE_FILE", ERROR, message, file=r.file, unit=r.unit or None))

    def keep_newest(groups: dict, message) -> None:
        """In each group of two or more files, the newest is counted; the others are superseded."""
        for rs in groups.values():
            if len(rs) > 1:
                keep = max(rs, key=lambda r: (_mtime(Path(r.path)), r.file))
                for r in rs:
                    if r is not keep:
                        supersede(r, keep, message(r, keep))

    same_bytes: dict[str, list] = {}
    for r in units:
        same_bytes.setdefault(_digest(Path(r.path)) or r.path, []).append(r)
    keep_newest(same_bytes, lambda r, keep: (
        f"Tệp “{r.file}” giống hệt tệp “{keep.file}” (cùng nội dung): chỉ tính một "
        f"lần, theo tệp “{keep.file}”. Hãy xóa bản trùng khỏi thư mục."))
    same_unit: dict[tuple[str, str], list] = {}
    for r in units:
        who = fold(r.unit_code or r.unit)
        if r.path in drop or not who or r.unit_conflict:
            continue
        same_unit.setdefault((os.path.dirname(r.path), who), []).append(r)
    keep_newest(same_unit, lambda r, keep: (
        f"Đơn vị “{r.unit}” có hai tệp trong cùng thư mục: “{r.file}” và "
        f"“{keep.file}”. Chỉ tính tệp mới hơn “{keep.file}”; tệp “{r.file}” không "
        "được tính. Hãy để lại một tệp cho mỗi đơn vị."))
    return drop, findings


def sheet_conflicts(assignments: list[tuple[str, str, str]]) -> dict[str, list[tuple[str, str]]]:
    """{sheet: [(code, unit)…]} for every sheet of a master that two or more units are read from."""
    by_sheet: dict[str, list[tuple[str, str]]] = {}
    for code, unit, sheet in assignments:
        by_sheet.setdefault(sheet, []).append((code, unit))
    return {s: us for s, us in by_sheet.items() if len(us) > 1}
