"""Real workbooks, good and bad, written by the hardening tests themselves."""
from __future__ import annotations

import hashlib
import io
import json
import random
import zipfile
from pathlib import Path

from thidua_xl.cli import main

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ", "Khoa, phòng", "Hình thức đề nghị"]
NOMINEES = [
    [1, "Nguyễn Văn An", "12/03/1980", "Nam", "Bác sĩ", "Khoa Nội", "Lao động tiên tiến"],
    [2, "Trần Thị Bình", "05/07/1985", "Nữ", "Điều dưỡng", "Khoa Nhi", "Lao động tiên tiến"],
    [3, "Lê Văn Cường", "20/11/1979", "Nam", "Trưởng khoa", "Khoa Dược", "Giấy khen"],
]


def title_rows(unit: str, year: int = 2024) -> list[list]:
    return [["SỞ Y TẾ TỈNH LÀO CAI"], [f"Đơn vị: {unit}"], [f"DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM {year}"], []]


def unit_sheet(unit: str = "Bệnh viện A"):
    """(workbook, sheet `Đề nghị`) with the title rows and the header on row 5, ready for nominees."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Đề nghị"
    for r in title_rows(unit):
        ws.append(r)
    ws.append(HEADER)
    return wb, ws


def good_unit(path: Path, unit: str = "Bệnh viện A", rows=NOMINEES) -> Path:
    """A plain, correct unit file: title rows, header on row 5, nominees from row 6."""
    wb, ws = unit_sheet(unit)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def run(capsys, *args) -> tuple[int, str]:
    code = main([str(a) for a in args])
    cap = capsys.readouterr()
    text = " ".join((cap.out + cap.err).split())  # rich wraps long lines
    assert "Traceback" not in text
    assert "Lỗi không mong đợi" not in text, text
    return code, text


def both_commands(capsys, folder: Path, tmp_path: Path) -> dict:
    """Run consolidate and validate on the folder; check the inputs are untouched; return the JSONs."""
    before = sha256_tree(folder)
    code_c, text_c = run(capsys, "consolidate", folder, "--json", tmp_path / "c.json", "--year", 2024)
    code_v, text_v = run(capsys, "validate", folder, "--json", tmp_path / "v.json", "--year", 2024)
    after = sha256_tree(folder)
    assert {k: v for k, v in after.items() if k in before} == before
    return {"code_c": code_c, "text_c": text_c, "code_v": code_v, "text_v": text_v,
            "c": json.loads((tmp_path / "c.json").read_text("utf-8")),
            "v": json.loads((tmp_path / "v.json").read_text("utf-8"))}


def replace_parts(src: Path, dest: Path, parts: dict[str, bytes], *, compresslevel: int = 6) -> Path:
    """Copy a package, replacing or adding parts."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as zout:
        for info in zin.infolist():
            if info.filename not in parts:
                zout.writestr(info.filename, zin.read(info))
        for name, data in parts.items():
            zout.writestr(name, data)
    return dest


def read_part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>"""


def xml_bomb(folder: Path) -> Path:
    base = good_unit(folder / ".base-bomb.xlsx")
    out = replace_parts(base, folder / "bom-xml.xlsx", {"xl/sharedStrings.xml": BILLION_LAUGHS})
    base.unlink()
    return out


def zip_bomb(folder: Path, megabytes: int = 40) -> Path:
    """A real unit file carrying one part of zeros that inflates ~1000:1."""
    base = good_unit(folder / ".base-zip.xlsx")
    out = folder / "bom-zip.xlsx"
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
        with zout.open("xl/media/image1.bin", "w") as fh:
            block = bytes(1 << 20)
            for _ in range(megabytes):
                fh.write(block)
    base.unlink()
    return out


def encrypted(folder: Path) -> Path:
    """A password-protected workbook, as Excel writes it (OLE container + EncryptedPackage)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    base = good_unit(folder / ".base-enc.xlsx")
    out = folder / "mat-khau.xlsx"
    with open(base, "rb") as fh, open(out, "wb") as o:
        OOXMLFile(fh).encrypt("matkhau123", o)
    base.unlink()
    return out


def random_bytes(folder: Path) -> Path:
    p = folder / "ngau-nhien.xlsx"
    p.write_bytes(random.Random(9).randbytes(8192))
    return p


def text_named_xlsx(folder: Path) -> Path:
    p = folder / "van-ban.xlsx"
    p.write_text("Họ và tên,Hình thức đề nghị\nNguyễn Văn X,Lao động tiên tiến\n", encoding="utf-8")
    return p


def empty_file(folder: Path) -> Path:
    p = folder / "rong.xlsx"
    p.write_bytes(b"")
    return p


def no_header(folder: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Báo cáo"
    for r in [["BÁO CÁO TỔNG KẾT"], ["Năm 2024 đơn vị đã hoàn thành nhiệm vụ"], ["Số lượng", 12]]:
        ws.append(r)
    p = folder / "khong-tieu-de.xlsx"
    wb.save(p)
    return p


def sha256_tree(folder: Path) -> dict[str, str]:
    """Hashes of the user's files in a folder (not the audit log the tool appends to)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.is_file() and p.name != "thidua-audit.jsonl"}


def as_zip_bytes(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in parts.items():
            z.writestr(k, v)
    return buf.getvalue()
