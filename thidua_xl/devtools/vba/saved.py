"""The second route for the VBA project: a `vbaProject.bin` saved by Excel, checked against the sources.

Writing the project from source (`project.py`) leaves out what only Office writes
(`PROJECTwm`, compiled p-code, a full `_VBA_PROJECT`). One run of Excel on any PC can
save the built workbook with its own project; that binary is usable only while its
modules are exactly our sources: `check` decompresses every module (oletools, the
reference reader) and compares it with `macros/*.bas` + xlwings' module, and its
document modules with the sheets of the workbook being built.
"""
from __future__ import annotations

import difflib
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .project import Module

PART = "xl/vbaProject.bin"


@dataclass(frozen=True)
class SavedModule:
    name: str
    source: str
    document: bool


def read_project(path: str | os.PathLike) -> bytes:
    """The vbaProject.bin of a workbook (.xlsm/.xlam) or the file itself."""
    path = Path(path)
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            try:
                return z.read(PART)
            except KeyError:
                from ..errors import UserError

                raise UserError(f"“{path.name}” không có dự án VBA ({PART}).") from None
    return path.read_bytes()


def modules_of(blob: bytes) -> dict[str, SavedModule]:
    """Module name -> its decompressed source, as oletools reads any project Office saved."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser("vbaProject.bin", data=blob)
    try:
        out = {}
        for _f, _stream, filename, code in parser.extract_macros():
            name, ext = os.path.splitext(filename)
            text = code.decode("cp1252") if isinstance(code, bytes) else code
            out[name] = SavedModule(name, text, ext.lower() == ".cls")
        return out
    finally:
        parser.close()


def _lines(text: str) -> list[str]:
    return [ln.rstrip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n")]


def check(blob: bytes, standard: list[Module], sheet_code_names: list[str] | None = None) -> list[str]:
    """Differences between a saved project and the sources (empty when it can be used).

    Each standard module must match its source line for line (trailing spaces aside); no other
    standard module may be present; the document modules must be ThisWorkbook and the sheets'.
    """
    saved = modules_of(blob)
    problems: list[str] = []
    for mod in standard:
        got = saved.get(mod.name)
        if got is None:
            problems.append(f"thiếu mô-đun {mod.name}")
            continue
        want, have = _lines(mod.source), _lines(got.source)
        if want != have:
            diff = [d for d in difflib.unified_diff(want, have, "nguồn", "tệp Excel lưu", n=0, lineterm="")
                    if d[:1] in "+-" and not d.startswith(("---", "+++"))]
            problems.append(f"mô-đun {mod.name} khác nguồn: " + " | ".join(diff[:4]))
    names = {m.name for m in standard}
    extra = sorted(n for n, m in saved.items() if not m.document and n not in names)
    if extra:
        problems.append(f"mô-đun không có trong nguồn: {', '.join(extra)}")
    if sheet_code_names is not None:
        docs = {n for n, m in saved.items() if m.document}
        want_docs = {"ThisWorkbook", *sheet_code_names}
        if docs != want_docs:
            problems.append(f"mô-đun của trang tính {sorted(docs)} khác các trang của tệp {sorted(want_docs)}")
    return problems
