"""vbaProject.bin from text sources: ms-ovba lays out the streams, our compressor packs them.

ms-ovba (0.0.1) builds the PROJECT, dir and _VBA_PROJECT streams correctly but
compresses with ms-ovba-compression, which garbles anything past ~1 KB; and it and
ms-cfb write scratch files into the current directory. So we take only its
record layout (`DirStream.to_bytes`, `Project.to_bytes`, `ProjectView.to_bytes`),
compress the dir and module streams with `compression.compress`, and let ms-cfb
assemble the OLE file inside a private temporary directory.

Only source is stored (no p-code, performance-cache version 0xFFFF): Office
compiles the modules when the workbook is opened.
"""
from __future__ import annotations

import contextlib
import os
import re
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from .compression import compress, decompress

CODEPAGE = "cp1252"
# MS-OVBA document-module base classes
WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
PROJECT_ID = "{6F1B3C2A-5D4E-4C1B-9A7F-2E8D0B1C3A55}"


@dataclass(frozen=True)
class Module:
    """One VBA module: its name and its full source text (with the Attribute lines)."""

    name: str
    source: str
    document: bool = False  # ThisWorkbook / Sheet modules


def _crlf(text: str) -> str:
    return re.sub(r"\r\n|\r|\n", "\r\n", text).rstrip("\r\n") + "\r\n"


def read_bas(path: str | os.PathLike, name: str | None = None) -> Module:
    """A standard module from a .bas file exported by the VBA editor (or written by hand)."""
    text = Path(path).read_bytes().decode(CODEPAGE)
    m = re.search(r'^Attribute VB_Name = "([^"]+)"', text, re.M)
    mod_name = name or (m.group(1) if m else Path(path).stem)
    if not m:
        text = f'Attribute VB_Name = "{mod_name}"\r\n' + text
    return Module(mod_name, _crlf(text))


def document_module(name: str, base: str) -> Module:
    """The empty code module behind the workbook or a worksheet (Office expects one per codeName)."""
    lines = [
        f'Attribute VB_Name = "{name}"',
        f'Attribute VB_Base = "{base}"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True",
        "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = True",
    ]
    return Module(name, "\r\n".join(lines) + "\r\n", document=True)


def _ovba_project(modules: list[Module]):
    from ms_ovba.Models.Entities.doc_module import DocModule
    from ms_ovba.Models.Entities.reference import Reference
    from ms_ovba.Models.Entities.reference_registered import ReferenceRegistered
    from ms_ovba.Models.Entities.std_module import StdModule
    from ms_ovba.Models.Fields.libid_reference import LibidReference
    from ms_ovba.vbaProject import VbaProject

    project = VbaProject()
    project.project_id = PROJECT_ID
    for mod in modules:
        entry = DocModule(mod.name) if mod.document else StdModule(mod.name)
        project.add_module(entry)
    stdole = LibidReference(uuid.UUID("00020430-0000-0000-C000-000000000046"), "2.0", "0",
                            "C:\\Windows\\System32\\stdole2.tlb", "OLE Automation")
    office = LibidReference(uuid.UUID("2DF8D04C-5BFA-101B-BDE5-00AA0044DE52"), "2.0", "0",
                            "C:\\Program Files\\Common Files\\Microsoft Shared\\OFFICE16\\MSO.DLL",
                            "Microsoft Office 16.0 Object Library")
    project.add_reference(Reference(ReferenceRegistered(stdole), "stdole"))
    project.add_reference(Reference(ReferenceRegistered(office), "Office"))
    return project


def streams(modules: list[Module]) -> dict[str, bytes]:
    """Every stream of the project, keyed by its OLE path ('VBA/dir', 'PROJECT', ...)."""
    from ms_ovba.Views.dirStream import DirStream
    from ms_ovba.Views.project import Project
    from ms_ovba.Views.project_view import ProjectView

    names = [m.name for m in modules]
    if len(set(n.lower() for n in names)) != len(names):
        raise ValueError(f"Tên mô-đun VBA bị trùng: {names}")
    project = _ovba_project(modules)
    out: dict[str, bytes] = {}
    for mod in modules:
        out[f"VBA/{mod.name}"] = compress(mod.source.encode(CODEPAGE))
    out["VBA/dir"] = compress(DirStream(project).to_bytes())
    out["VBA/_VBA_PROJECT"] = ProjectView(project).to_bytes()
    out["PROJECT"] = Project(project).to_bytes()
    return out


def build_vba_project(modules: list[Module]) -> bytes:
    """The bytes of a vbaProject.bin holding `modules` (source only)."""
    from ms_cfb.Models.Directories.root_directory import RootDirectory
    from ms_cfb.Models.Directories.storage_directory import StorageDirectory
    from ms_cfb.Models.Directories.stream_directory import StreamDirectory
    from ms_cfb.ole_file import OleFile
    from ms_dtyp.filetime import Filetime

    data = streams(modules)
    for key, blob in data.items():  # never ship a stream that does not read back
        if key.startswith("VBA/") and key != "VBA/_VBA_PROJECT":
            mod = next((m for m in modules if f"VBA/{m.name}" == key), None)
            if mod is not None and decompress(blob) != mod.source.encode(CODEPAGE):
                raise AssertionError(f"MS-OVBA: mô-đun {mod.name} nén không khớp")
    zero = Filetime.from_msfiletime(0)
    with tempfile.TemporaryDirectory(prefix="thidua-vba-") as tmp, contextlib.chdir(tmp):
        def stream(name: str, key: str) -> StreamDirectory:
            file = Path(tmp) / f"s{len(os.listdir(tmp))}.bin"
            file.write_bytes(data[key])
            return StreamDirectory(name, str(file))

        root = RootDirectory()
        root.set_modified(zero)
        vba = StorageDirectory("VBA")
        vba.set_created(zero)
        vba.set_modified(zero)
        for mod in modules:
            vba.add_directory(stream(mod.name, f"VBA/{mod.name}"))
        vba.add_directory(stream("dir", "VBA/dir"))
        vba.add_directory(stream("_VBA_PROJECT", "VBA/_VBA_PROJECT"))
        root.add_directory(vba)
        root.add_directory(stream("PROJECT", "PROJECT"))
        ole = OleFile()
        ole.root_directory = root
        target = Path(tmp) / "vbaProject.bin"
        ole.create_file(str(target))
        return target.read_bytes()
