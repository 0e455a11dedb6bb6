"""`thidua demo`: one command gives a staff member a whole year to look at."""
from __future__ import annotations

import json
import subprocess
import sys

import python_calamine as pc


def test_demo_runs_every_stage_and_exits_0(tmp_path):
    out = tmp_path / "demo"
    proc = subprocess.run([sys.executable, "-m", "thidua_xl", "demo", "--out", str(out)],
                          capture_output=True, text=True, encoding="utf-8", timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    masters = list(out.glob("ThiDua-*.xlsx"))
    assert len(masters) == 1
    sheets = pc.CalamineWorkbook.from_path(str(masters[0])).sheet_names
    assert {"Cấu hình", "Đơn vị", "Danh mục", "Sáng kiến", "Văn bản"} <= set(sheets)
    returned = list((out / "don-vi-gui-ve").glob("*.xlsx"))
    assert len(returned) >= 8
    totals = json.loads((out / "tong-hop.json").read_text(encoding="utf-8"))
    # every award of the catalogue is proposed somewhere in the demo province
    assert len(totals["totals"]) >= 20
    assert totals["totals"]["LDTT"]["ca_nhan"] > 300
    findings = json.loads((out / "kiem-tra.json").read_text(encoding="utf-8"))
    codes = {f["code"] for f in findings["findings"]}
    assert {"MISSING_FIELD"} <= codes
    assert (out / "tong-hop.xlsx").stat().st_size > 10_000
    assert {"DUPLICATE", "BAD_DATE", "UNKNOWN_AWARD", "SUBJECT_MISMATCH", "CRITERIA_NOT_MET", "QUOTA_EXCEEDED",
            "LEGACY_ENCODING"} <= codes
    # the officer sees the results in the master itself
    assert {"Tổng hợp", "Kiểm tra"} <= set(pc.CalamineWorkbook.from_path(str(masters[0])).sheet_names)
    # every Word document, and the drafts that carry them
    docs = sorted(p.name for p in (out / "van-ban").glob("*.docx"))
    assert any(d.startswith("Bao-cao-tong-ket") for d in docs) and any(d.startswith("Cong-van-phat-dong") for d in docs)
    assert sum(d.startswith("Quyet-dinh") for d in docs) == 4
    assert any(d.startswith("To-trinh") for d in docs) and any(d.startswith("Bien-ban") for d in docs)
    assert list((out / "thu-nhap").glob("*.eml"))
    assert list((out / "gui-don-vi").glob("*.xlsx")) and list((out / "thu-nhap-don-vi").glob("*.eml"))
    assert "chưa chạy" not in proc.stdout
