"""Data safety: inputs never modified, atomic writes that survive a kill, backups, reproducible JSON,
sandboxed templates, and the pre-parse limits of thidua_xl.safety."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from badfile_helpers import (
    BILLION_LAUGHS, as_zip_bytes, encrypted, good_unit, read_part, replace_parts, sha256_tree, zip_bomb,
)
from thidua_xl import fileio, safety
from thidua_xl.cli import main


def cli(capsys, *args) -> tuple[int, str]:
    code = main([str(a) for a in args])
    cap = capsys.readouterr()
    text = cap.out + cap.err
    assert "Traceback" not in text
    return code, text


# --- inputs are never modified ----------------------------------------------------------
def test_no_command_modifies_its_inputs(tmp_path, seed_folder, capsys):
    """Every step runs to its expected end (exit code, rows read, files written) and no input changes."""
    import json

    units = tmp_path / "don-vi"
    shutil.copytree(seed_folder, units)
    before = sha256_tree(units)
    assert len(before) == 12

    def unchanged(step: str):
        after = sha256_tree(units)
        assert {k: v for k, v in after.items() if k in before} == before, f"{step} changed an input file"

    out = tmp_path / "out"
    code, text = cli(capsys, "consolidate", units, "--json", out / "c.json", "--out", out / "Tong-hop.xlsx")
    assert code == 0, text
    totals = json.loads((out / "c.json").read_text("utf-8"))
    assert totals["files"] == 12 and totals["rows"] > 2000  # the twelve units' rows were read
    unchanged("consolidate")
    code, text = cli(capsys, "validate", units, "--json", out / "v.json")
    assert code == 1, text  # the hand-made files carry errors
    assert json.loads((out / "v.json").read_text("utf-8"))["counts"]["error"] > 0
    unchanged("validate")
    code, text = cli(capsys, "report", units, "--out", out / "van-ban", "--kind", "quyet-dinh")
    assert code == 1, text  # rows with errors are left out of the decisions, and said so
    assert len(list((out / "van-ban").glob("Quyet-dinh-*.docx"))) >= 3
    unchanged("report")
    csv = tmp_path / "units.csv"
    csv.write_text("Mã đơn vị,Tên đơn vị,Email\nBVDKT,Bệnh viện Đa khoa tỉnh,a@x.vn\nCDC,Trung tâm Kiểm soát bệnh tật tỉnh,\n",
                   encoding="utf-8")
    csv_hash = fileio.sha256(csv)
    master = tmp_path / "ThiDua.xlsx"
    code, text = cli(capsys, "init", master, "--year", 2020, "--units", csv)
    assert code == 0, text
    assert fileio.sha256(csv) == csv_hash
    master_hash = fileio.sha256(master)
    code, text = cli(capsys, "split", master, "--out", tmp_path / "tach")
    assert code == 0, text
    assert sorted(p.name for p in (tmp_path / "tach").glob("*.xlsx")) == ["BVDKT.xlsx", "CDC.xlsx"]
    assert fileio.sha256(master) == master_hash, "split changed the master"
    code, text = cli(capsys, "collect", units, "--into", master)
    assert code == 1, text  # two units collected; the files of units the master does not list are refused
    unchanged("collect")
    assert fileio.sha256(master) != master_hash, "collect wrote nothing into the master"
    backups = list((master.parent / "sao-luu").glob("ThiDua.*.xlsx"))
    assert backups and any(fileio.sha256(b) == master_hash for b in backups), "no backup before collect"
    code, text = cli(capsys, "history", "archive", units, "--year", 2020, "--history", tmp_path / "h.sqlite")
    assert code == 0, text
    unchanged("history archive")


# --- atomic writes --------------------------------------------------------------------------
WRITER = r"""
import sys, time
from thidua_xl.fileio import atomic_path
with atomic_path(sys.argv[1]) as tmp:
    with open(tmp, "wb") as fh:
        fh.write(b"NEW" * 1000)
        fh.flush()
        print("writing", flush=True)
        while True:
            fh.write(b"\0" * (1 << 20))
            time.sleep(0.01)
"""


def test_killed_write_leaves_previous_file_intact(tmp_path):
    target = good_unit(tmp_path / "ThiDua.xlsx")
    old = target.read_bytes()
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "writing"
        time.sleep(0.2)
        temps = [p for p in tmp_path.iterdir() if p.name.startswith(fileio.TEMP_PREFIX + "ThiDua.")]
        assert temps and temps[0].stat().st_size > 1000  # the new content really was being written
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert target.read_bytes() == old
    with zipfile.ZipFile(target) as z:  # still a whole workbook
        assert z.testzip() is None


def test_failed_write_leaves_previous_file_and_no_temp(tmp_path):
    target = tmp_path / "ket-qua.json"
    fileio.write_json(target, {"a": 1})
    with pytest.raises(RuntimeError):
        with fileio.atomic_path(target) as tmp:
            tmp.write_text("{half")
            raise RuntimeError("disk full")
    assert target.read_text("utf-8") == '{\n  "a": 1\n}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["ket-qua.json"]


def test_output_open_in_excel_is_a_clear_message_not_a_crash(tmp_path, seed_folder, capsys, monkeypatch):
    """On Windows a result the officer still has open in Excel cannot be replaced (sharing violation):
    the command says so in Vietnamese, exits 2, keeps the old file and leaves no temporary file."""
    from thidua_xl.cli import main

    out = tmp_path / "tong-hop.xlsx"
    assert main(["consolidate", str(seed_folder), "--out", str(out)]) == 0
    before = fileio.sha256(out)
    capsys.readouterr()
    real_replace = os.replace

    def excel_holds(src, dst):
        if Path(dst) == out:  # root can write anything here: fail the way Windows does for a file Excel holds
            raise PermissionError(13, "The process cannot access the file because it is being used by another process")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", excel_holds)
    code = main(["consolidate", str(seed_folder), "--out", str(out)])
    text = " ".join(capsys.readouterr().err.split())
    assert code == 2 and "Traceback" not in text and "không mong đợi" not in text
    assert "tong-hop.xlsx" in text and "đang mở" in text and "đóng tệp" in text
    assert fileio.sha256(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_backup_is_a_timestamped_copy(tmp_path):
    master = good_unit(tmp_path / "ThiDua.xlsx")
    b1 = fileio.backup(master)
    b2 = fileio.backup(master)
    assert b1 != b2 and b1.parent == tmp_path / "sao-luu"
    assert b1.name.startswith("ThiDua.") and b1.suffix == ".xlsx"
    assert fileio.sha256(b1) == fileio.sha256(master) == fileio.sha256(b2)


# --- reproducible outputs ---------------------------------------------------------------------
def test_same_inputs_give_byte_identical_json(tmp_path, seed_folder, capsys):
    for cmd in ("consolidate", "validate"):
        cli(capsys, cmd, seed_folder, "--json", tmp_path / f"{cmd}-1.json")
        cli(capsys, cmd, seed_folder, "--json", tmp_path / f"{cmd}-2.json")
        assert (tmp_path / f"{cmd}-1.json").read_bytes() == (tmp_path / f"{cmd}-2.json").read_bytes()


# --- templates cannot run code or read files ------------------------------------------------------
ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ self._TemplateReference__context }}",
]


@pytest.mark.parametrize("payload", ESCAPES)
def test_document_templates_render_in_a_sandbox(payload):
    from thidua_xl.documents import render
    from jinja2.exceptions import SecurityError, UndefinedError

    with pytest.raises((SecurityError, UndefinedError)):
        render.make_env().from_string(payload).render()


@pytest.mark.parametrize("payload", ESCAPES + ["{% include '../../../../../../etc/passwd' %}"])
def test_email_templates_render_in_a_sandbox(tmp_path, payload):
    from thidua_xl import mail
    from thidua_xl.errors import UserError

    (tmp_path / "evil.subject.j2").write_text("Tiêu đề", encoding="utf-8")
    (tmp_path / "evil.body.j2").write_text(payload, encoding="utf-8")
    with pytest.raises(UserError):
        mail.render_templates("evil", {}, templates=tmp_path)


# --- pre-parse limits ----------------------------------------------------------------------------
def test_limits_declared_and_actual_size(tmp_path):
    base = good_unit(tmp_path / "a.xlsx")
    small = safety.Limits(max_uncompressed=200_000)
    big = replace_parts(base, tmp_path / "big.xlsx", {"xl/media/x.bin": os.urandom(300_000)})
    with pytest.raises(safety.Refused, match="bom zip"):
        safety.inspect(big, small)
    assert safety.inspect(base, small).kind == "xlsx"


def test_entity_declarations_refused_in_any_part(tmp_path):
    base = good_unit(tmp_path / "a.xlsx")
    for part in ("xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/styles.xml", "[Content_Types].xml"):
        bad = replace_parts(base, tmp_path / "b.xlsx", {part: BILLION_LAUGHS})
        with pytest.raises(safety.Refused, match="DOCTYPE"):
            safety.inspect(bad)
    # a DOCTYPE split across the 1 MiB read boundary is still seen
    sheet = read_part(base, "xl/worksheets/sheet1.xml")
    n = (1 << 20) - 4
    pad = b"<!--" + b"x" * (n - 7) + b"-->"
    assert len(pad) == n
    bad = replace_parts(base, tmp_path / "c.xlsx", {"xl/worksheets/sheet1.xml": pad + b"<!DOCTYPE x>" + sheet})
    with pytest.raises(safety.Refused):
        safety.inspect(bad)


def test_zip_that_is_not_a_workbook(tmp_path):
    p = tmp_path / "tai-lieu.xlsx"
    p.write_bytes(as_zip_bytes({"word/document.xml": b"<w:document/>", "[Content_Types].xml": b"<Types/>"}))
    with pytest.raises(safety.Refused, match="không phải là bảng tính"):
        safety.inspect(p)


def test_encrypted_and_zip_bomb_are_refused_without_calamine(tmp_path):
    with pytest.raises(safety.Refused, match="mật khẩu"):
        safety.inspect(encrypted(tmp_path))
    with pytest.raises(safety.Refused, match="bom zip"):
        safety.inspect(zip_bomb(tmp_path, megabytes=25))


def test_stray_cells_are_trimmed_in_a_copy(tmp_path):
    import openpyxl
    import python_calamine as pc
    import io

    p = good_unit(tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(p)
    wb.active.cell(500_000, 2, "lạc")
    wb.save(p)
    raw = p.read_bytes()
    scan = safety.inspect(p)
    assert p.read_bytes() == raw
    s = scan.sheets["Đề nghị"]
    assert s.trimmed_at == 8 and s.stray_cells == ["B500000"]
    rows = pc.CalamineWorkbook.from_filelike(io.BytesIO(scan.data)).get_sheet_by_name("Đề nghị").to_python(
        skip_empty_area=False)
    assert len(rows) == 8


def test_real_big_sheet_without_gap_is_refused(tmp_path):
    import xlsxwriter

    p = tmp_path / "lon.xlsx"
    wb = xlsxwriter.Workbook(str(p), {"constant_memory": True})
    ws = wb.add_worksheet("S")
    for r in range(1, 3001):
        ws.write_row(r, 0, [r, "x"])
    wb.close()
    with pytest.raises(safety.Refused, match="quá lớn"):
        safety.inspect(p, safety.Limits(max_rows=2000))
    assert safety.inspect(p).sheets["S"].max_row == 3001


def test_outputs_are_readable_by_colleagues_not_private(tmp_path):
    import os
    import stat

    from thidua_xl.fileio import write_text

    old = os.umask(0o022)
    try:
        p = write_text(tmp_path / "ket-qua.json", "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE(p.stat().st_mode) == 0o644


def test_long_text_sieve_finds_a_run_wherever_it_sits():
    """The sieve for over-long cell texts (more bytes without '<' than a cell may hold) sees a run at
    the start, the middle or the end of a part, of exactly the limit or more, and nothing shorter."""
    import re

    from thidua_xl.safety import EXCEL_TEXT_MAX, _LONG_TEXT, _has_long_text

    limit = EXCEL_TEXT_MAX + 1
    for n in (limit - 1, limit, limit + 1, 2 * limit + 7):
        for before in (b"", b"<", b"<row><c><is><t>", b"x" * 5000 + b"<"):
            for after in (b"", b"<", b"</t></is></c>"):
                data = before + b"\xe1\xba\xa1" * (n // 3) + b"a" * (n % 3) + after
                assert _has_long_text(data) == bool(re.search(_LONG_TEXT, data)), (n, before[:5], after)
                if before in (b"", b"<"):
                    assert _has_long_text(data) == (n >= limit)
    assert not _has_long_text(b"<c>" * 100_000)


def test_a_hidden_column_alone_skips_the_walk_for_hidden_rows_and_changes_nothing():
    """`<col … hidden="1">` before the rows (what a master's hidden columns write) says no row is hidden; a row
    whose tag says hidden, in any spelling the walk reads, is still found wherever it sits."""
    from thidua_xl.safety import SheetScan, _hidden_rows, _may_hide_rows, _scan_sheet

    col = b'<cols><col min="15" max="15" width="12" hidden="1" customWidth="1"/></cols>'
    rows = [b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>', b'<row r="2" hidden="1"><c r="A2"/></row>',
            b"<row r='3' hidden='true'/>", b'<x:row r="4" hidden="1"/>', b'<row hidden="1" r="5"></row>',
            b'<row r="6" ht="0" hidden="0"/>', b'<c r="A7" hidden="1"/>', b'<row r="8" hidden = "1"/>',
            b'<row r="9"\n hidden\t=\'1\'/>']
    import itertools

    for head in (b"", col, b'<sheetPr codeName="row"/>' + col, col + b'<sheetView hidden="1"/>'):
        for k in range(0, 4):
            for chosen in itertools.combinations(rows, k):
                data = (b'<worksheet><dimension ref="A1:O7"/>' + head + b"<sheetData>" + b"".join(chosen)
                        + b"</sheetData></worksheet>")
                walked = _hidden_rows(data)
                assert walked == [] or _may_hide_rows(data)
                sheet = SheetScan(name="Cá nhân", part="xl/worksheets/sheet1.xml")
                _scan_sheet(data, sheet, safety.LIMITS)
                assert sheet.hidden_rows == walked, (head, chosen)
    assert not _may_hide_rows(b'<worksheet>' + col + b'<sheetData><row r="1"/></sheetData></worksheet>')
