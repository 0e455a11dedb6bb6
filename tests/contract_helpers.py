"""Black-box helpers for the contract tests: unit workbooks written the way other tools and people
write them (openpyxl and XlsxWriter), and runners for the public `thidua` command.

Nothing here imports the package's internals except `thidua_xl.cli.main`, the documented entry
point of the console command; expectations are computed in the tests themselves.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import openpyxl
import xlsxwriter

ROOT = Path(__file__).resolve().parents[1]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def write_openpyxl(path: Path, sheets: dict[str, list[list]], number_formats: dict | None = None) -> Path:
    """One workbook, sheet name -> rows (lists of cell values; None leaves a cell empty)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, (dt.date, dt.datetime)):
                    cell.number_format = "dd/mm/yyyy"
                elif isinstance(value, str) and value.isdigit():
                    cell.number_format = "@"  # a number stored as text, as Excel's '1980
    wb.save(path)
    return path


def write_xlsxwriter(path: Path, sheets: dict[str, list[list]]) -> Path:
    """The same with XlsxWriter (a different writer: shared strings, no cached dimensions quirks)."""
    wb = xlsxwriter.Workbook(str(path))
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    text_fmt = wb.add_format({"num_format": "@"})
    wrap = wb.add_format({"text_wrap": True, "bold": True})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, (dt.date, dt.datetime)):
                    if not isinstance(value, dt.datetime):
                        value = dt.datetime(value.year, value.month, value.day)
                    ws.write_datetime(r, c, value, date_fmt)
                elif isinstance(value, str):
                    ws.write_string(r, c, value, wrap if "\n" in value else (text_fmt if value.isdigit() else None))
                else:
                    ws.write(r, c, value)
    wb.close()
    return path


def table(header: list[str], rows: list[dict], title: list[list] | None = None) -> list[list]:
    """Title rows, then the header, then each row laid out in the header's order (by canonical key)."""
    out = [list(t) for t in (title or [])]
    out.append(list(header))
    keys = [_canon(h) for h in header]
    for row in rows:
        if isinstance(row, list):  # a literal row (group heading, totals line, blank)
            out.append(row)
            continue
        out.append([row.get(k) for k in keys])
    return out


_CANON = {
    "stt": "stt", "tt": "stt", "so tt": "stt",
    "ho va ten": "ten", "ho ten": "ten", "ho va ten / ten tap the": "ten", "ten tap the": "ten",
    "ngay sinh": "ns", "nam sinh": "ns", "ngay, thang, nam sinh": "ns",
    "gioi tinh": "gt", "nam/nu": "gt",
    "chuc vu": "cv", "chuc vu, chuc danh": "cv", "chuc danh": "cv",
    "khoa, phong": "kp", "khoa/phong": "kp", "bo phan": "kp", "don vi cong tac": "kp",
    "hinh thuc de nghi": "ht", "danh hieu de nghi": "ht", "danh hieu, hinh thuc khen thuong": "ht",
    "hinh thuc khen thuong": "ht",
    "doi tuong": "dt", "sang kien": "sk", "sang kien, de tai": "sk", "ghi chu": "gc",
}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.lower().split())


def _canon(header: str) -> str:
    return _CANON.get(_fold(header), "extra:" + header)


# --- running the command -------------------------------------------------------------------
def run_cli(capsys, *args) -> tuple[int, str, str]:
    """In-process `thidua ARGS…` through the console entry point; returns (exit code, stdout, stderr)."""
    from thidua_xl.cli import main

    capsys.readouterr()
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def run_sub(*args, module: bool = False, cwd: Path | None = None, timeout: int = 300,
            env: dict | None = None) -> subprocess.CompletedProcess:
    """The installed console command (or `python -m thidua_xl`) as a separate process."""
    if module:
        cmd = [sys.executable, "-m", "thidua_xl"]
    else:
        exe = Path(sys.executable).with_name("thidua")
        cmd = [str(exe) if exe.exists() else "thidua"]
    e = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200", **(env or {})}
    return subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True, encoding="utf-8",
                          cwd=cwd, timeout=timeout, env=e)


def no_traceback(*texts: str) -> bool:
    return not any("Traceback (most recent call last)" in (t or "") for t in texts)


def consolidate_json(capsys, tmp_path: Path, *paths, year=None, expect_code=0) -> dict:
    out = tmp_path / f"tong-hop-{len(list(tmp_path.glob('tong-hop-*.json')))}.json"
    args = ["consolidate", *paths, "--json", out]
    if year is not None:
        args += ["--year", year]
    code, so, se = run_cli(capsys, *args)
    assert code == expect_code, (code, so, se)
    assert no_traceback(so, se)
    return json.loads(out.read_text(encoding="utf-8"))


def validate_json(capsys, tmp_path: Path, *paths, year=None, extra=(), expect_code=None) -> tuple[int, dict]:
    out = tmp_path / f"kiem-tra-{len(list(tmp_path.glob('kiem-tra-*.json')))}.json"
    args = ["validate", *paths, "--json", out, *extra]
    if year is not None:
        args += ["--year", year]
    code, so, se = run_cli(capsys, *args)
    assert no_traceback(so, se)
    if expect_code is not None:
        assert code == expect_code, (code, so, se)
    return code, json.loads(out.read_text(encoding="utf-8"))


def findings_of(report: dict, code: str, **where) -> list[dict]:
    return [f for f in report["findings"] if f["code"] == code
            and all(f.get(k) == v for k, v in where.items())]
