"""Build the macro-enabled master `workbooks/ThiDua.xlsm` from text sources.

The master comes from `master.create_master`; we add the hidden `xlwings.conf`
sheet, a VBA project generated from `macros/*.bas` plus the standalone `xlwings.bas`
of the installed xlwings (so users need no xlwings add-in), a hash of the sources
(custom document property, so a test can tell a stale committed workbook without
trusting file times), and, as the very last step, the `customUI14.xml` ribbon
(XlsxWriter and openpyxl know nothing of it).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from ..fileio import atomic_path
from ..workbook.xlsm import (CONF_SETTINGS, CONF_SHEET, HASH_PROPERTY, INTERPRETER_WIN, NEEDS_SOURCE_TREE,  # noqa: F401
                             ROUTE_PROPERTY, TEMP_DIR_WIN, XLWINGS_PROPERTY, stored_hash, workbook_property)

ROOT = Path(__file__).resolve().parents[2]
MACROS = ROOT / "macros"
DEFAULT_OUT = ROOT / "workbooks" / "ThiDua.xlsm"
RIBBON_PART = "customUI/customUI14.xml"
RIBBON_NS = "http://schemas.microsoft.com/office/2009/07/customui"
RIBBON_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
VBA_BIN = MACROS / "vbaProject.bin"  # a project saved by Excel (docs/windows-smoke-test.md, B3)
VBA_ROUTES = ("source", "excel")

# Files whose content ends up in the workbook; the hash over them says when it is stale.
SOURCE_GLOBS = (
    "macros/*.bas",
    "macros/customUI14.xml",
    "macros/*.bin",
    "thidua_xl/devtools/vba/*.py",
    "thidua_xl/devtools/build_workbook.py",
    "thidua_xl/workbook/xlsm.py",
    "thidua_xl/workbook/master.py",
    "thidua_xl/workbook/layout.py",
    "thidua_xl/workbook/print_form.py",
    "thidua_xl/workbook/rows.py",
    "thidua_xl/data/awards.csv",
)


@dataclass
class BuildInfo:
    path: Path
    modules: list[str]
    sheets: list[str]
    source_hash: str


def require_source_tree(macros: Path = MACROS) -> None:
    """The build reads macros/ of a clone; an installed package has none."""
    if not (macros / "customUI14.xml").is_file():
        raise UserError(NEEDS_SOURCE_TREE.format(folder=macros))


def source_files(root: Path = ROOT) -> list[Path]:
    files: set[Path] = set()
    for pattern in SOURCE_GLOBS:
        files.update(p for p in root.glob(pattern) if p.is_file())
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def source_hash(root: Path = ROOT) -> str:
    """SHA-256 over the sources' names and contents, line endings normalised (git may convert them)."""
    h = hashlib.sha256()
    for p in source_files(root):
        h.update(p.relative_to(root).as_posix().encode() + b"\0")
        h.update(p.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return h.hexdigest()


def xlwings_bas_path() -> Path:
    import xlwings

    path = Path(xlwings.__file__).parent / "xlwings.bas"
    if not path.is_file():
        raise UserError(f"Không tìm thấy xlwings.bas trong gói xlwings ({path.parent}).")
    return path


def standard_modules(macros: Path = MACROS):
    """Our modules (macros/*.bas) then xlwings' standalone module."""
    from .vba.project import read_bas

    mods = [read_bas(p) for p in sorted(macros.glob("*.bas"))]
    mods.append(read_bas(xlwings_bas_path()))
    return mods


def vba_project_bytes(sheet_count: int, macros: Path = MACROS, standard=None) -> tuple[bytes, list[str]]:
    """vbaProject.bin with ThisWorkbook, one document module per sheet (Sheet1…) and the standard modules
    (`standard`, default macros/*.bas + xlwings')."""
    from .vba.project import WORKBOOK_BASE, WORKSHEET_BASE, build_vba_project, document_module

    modules = [document_module("ThisWorkbook", WORKBOOK_BASE)]
    modules += [document_module(f"Sheet{i + 1}", WORKSHEET_BASE) for i in range(sheet_count)]
    modules += standard if standard is not None else standard_modules(macros)
    return build_vba_project(modules), [m.name for m in modules]


def ribbon_xml(macros: Path = MACROS) -> bytes:
    return (macros / "customUI14.xml").read_bytes()


def ribbon_tags(xml: bytes | None = None) -> list[tuple[str, str, str]]:
    """(label, onAction, tag) of every button of the ribbon."""
    from lxml import etree

    root = etree.fromstring(xml if xml is not None else ribbon_xml())
    return [(b.get("label"), b.get("onAction"), b.get("tag")) for b in root.iter(f"{{{RIBBON_NS}}}button")]


def inject_ribbon(path: Path, xml: bytes) -> None:
    """Add customUI/customUI14.xml with its root relationship (and content type) to a finished package."""
    with zipfile.ZipFile(path) as zin:
        items = [(i, zin.read(i.filename)) for i in zin.infolist() if i.filename != RIBBON_PART]
    out = []
    for info, data in items:
        if info.filename == "_rels/.rels":
            text = data.decode("utf-8")
            if RIBBON_REL not in text:
                rel = f'<Relationship Id="rIdThiDuaRibbon" Type="{RIBBON_REL}" Target="{RIBBON_PART}"/>'
                text = text.replace("</Relationships>", rel + "</Relationships>")
            data = text.encode("utf-8")
        elif info.filename == "[Content_Types].xml":
            text = data.decode("utf-8")
            if f'PartName="/{RIBBON_PART}"' not in text:
                over = f'<Override PartName="/{RIBBON_PART}" ContentType="application/xml"/>'
                text = text.replace("</Types>", over + "</Types>")
            data = text.encode("utf-8")
        out.append((info, data))
    stamp = (1980, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in out:
            zout.writestr(info, data)
        zout.writestr(zipfile.ZipInfo(RIBBON_PART, date_time=stamp), xml, compress_type=zipfile.ZIP_DEFLATED)


def saved_project(vba_bin: Path, standard, sheet_count: int) -> bytes:
    """The committed project saved by Excel, refused (naming what differs) unless it is our sources."""
    from .vba.saved import check, read_project

    if not vba_bin.is_file():
        raise UserError(f"Chưa có {vba_bin.name} do Excel lưu: dựng bằng --vba source, hoặc tạo nó bằng "
                        "--save-vba (docs/windows-smoke-test.md, mục B3).")
    blob = read_project(vba_bin)
    problems = check(blob, standard, [f"Sheet{i + 1}" for i in range(sheet_count)])
    if problems:
        raise UserError(f"{vba_bin.name} không còn khớp mã nguồn ({'; '.join(problems)}). Dựng lại tệp từ nguồn, "
                        "mở và lưu bằng Excel, rồi chạy --save-vba.")
    return blob


def save_vba(saved: str | os.PathLike, out: Path | None = None, macros: Path = MACROS) -> list[str]:
    """Keep the project of a workbook Excel saved as `out`, after checking it is our sources; module names."""
    require_source_tree(macros)
    from .vba.saved import check, modules_of, read_project

    blob = read_project(saved)
    problems = check(blob, standard_modules(macros))
    if problems:
        raise UserError(f"Dự án VBA trong “{Path(saved).name}” không khớp mã nguồn: {'; '.join(problems)}.")
    with atomic_path(Path(out or VBA_BIN), suffix=".bin") as tmp:
        Path(tmp).write_bytes(blob)
    return sorted(modules_of(blob))


def _customizer(result: dict, interpreter: str, macros: Path, digest: str, standard=None, vba: str = "source",
                vba_bin: Path | None = None):
    def customize(wb, info=None) -> None:
        from .vba.messages import TEXT_SHEET, sheet_rows

        texts = wb.add_worksheet(TEXT_SHEET)  # the VBA pre-flight's Vietnamese messages (ThiDua.bas)
        for i, (key, text) in enumerate(sheet_rows()):
            texts.write_string(i, 0, key)
            texts.write_string(i, 1, text)
        texts.very_hidden()
        conf = wb.add_worksheet(CONF_SHEET)
        for i, (key, value) in enumerate(CONF_SETTINGS):
            conf.write_string(i, 0, key)
            if key == "Interpreter_Win":
                value = interpreter
            if value:
                conf.write_string(i, 1, value)
        conf.set_column(0, 0, 30)
        conf.set_column(1, 1, 60)
        conf.hide()
        sheets = wb.worksheets()
        for i, ws in enumerate(sheets):
            ws.set_vba_name(f"Sheet{i + 1}")
        if vba == "excel":
            blob = saved_project(vba_bin or VBA_BIN, standard if standard is not None else standard_modules(macros), len(sheets))
            from .vba.saved import modules_of

            names = list(modules_of(blob))
            route = f"excel:{hashlib.sha256(blob).hexdigest()[:12]}"
        else:
            blob, names = vba_project_bytes(len(sheets), macros, standard)
            route = "source"
        wb.add_vba_project(io.BytesIO(blob), is_stream=True)
        wb.set_vba_name("ThisWorkbook")
        import xlwings

        wb.set_custom_property(ROUTE_PROPERTY, route)
        wb.set_custom_property(HASH_PROPERTY, digest)
        wb.set_custom_property(XLWINGS_PROPERTY, xlwings.__version__)
        result["modules"] = names
        result["sheets"] = [ws.name for ws in sheets]

    return customize


def build_workbook(out: str | os.PathLike | None = None, *, year: int | None = None, units=None,
                   interpreter: str = INTERPRETER_WIN, macros: Path = MACROS, standard=None, vba: str = "source",
                   vba_bin: Path | None = None) -> BuildInfo:
    """Write ThiDua.xlsm (default workbooks/ThiDua.xlsm) atomically; return what went in.

    `vba`: "source" writes the VBA project from the modules; "excel" embeds `vba_bin` (default
    macros/vbaProject.bin), a project saved by Excel, after checking it holds exactly those modules.
    `standard` replaces the standard modules (tests give LibreOffice a variant it can compile).
    """

    require_source_tree(macros)
    out = Path(out) if out else DEFAULT_OUT
    if vba not in VBA_ROUTES:
        raise UserError(f"--vba phải là {' hoặc '.join(VBA_ROUTES)} (đã cho: “{vba}”).")
    if out.suffix.lower() != ".xlsm":
        raise UserError(f"Tệp có macro phải có đuôi .xlsm (đã cho: “{out.name}”).")
    if any(ord(ch) > 127 for p in macros.glob("*.bas") for ch in p.read_text("utf-8")):
        raise UserError("Mã VBA trong macros/*.bas phải là ký tự ASCII (VBA lưu theo bảng mã 1252).")
    year = int(year or dt.date.today().year)
    digest = source_hash()
    result: dict = {}
    customize = _customizer(result, interpreter, macros, digest, standard, vba, Path(vba_bin) if vba_bin else None)
    from ..workbook.master import create_master

    with atomic_path(out, suffix=".xlsm") as tmp:
        create_master(tmp, year, units, customize=customize)
        inject_ribbon(tmp, ribbon_xml(macros))  # last: nothing after may rewrite the package
    return BuildInfo(out, result.get("modules", []), result.get("sheets", []), digest)
