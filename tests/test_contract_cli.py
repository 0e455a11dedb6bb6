"""Acceptance (black-box) tests of docs/interface.md §1: the installed `thidua` command and `python -m thidua_xl`,
their exit codes, every command with its options, no traceback for a user error, the demo, report
kinds and email drafts.
"""
from __future__ import annotations

import email
import email.policy
import json
from pathlib import Path

import openpyxl
import pytest

from contract_helpers import no_traceback, run_cli, run_sub, write_openpyxl

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Hình thức đề nghị"]

COMMAND_OPTIONS = {
    ("demo",): ["--out"],
    ("init",): ["--year", "--units"],
    ("split",): ["--out"],
    ("validate",): ["--year", "--history", "--json"],
    ("consolidate",): ["--year", "--json", "--out"],
    ("report",): ["--out", "--kind"],
    ("email",): ["--docs", "--to", "--draft", "--send", "--smtp-host", "--smtp-port", "--starttls", "--ssl",
                 "--user", "--password-env", "--from", "--units", "--split-dir"],
    ("build-workbook",): ["--out"],
    ("collect",): ["--into"],
    ("history", "import"): ["--history"],
    ("history", "archive"): ["--year", "--history"],
}


def _unit(path: Path, unit="Bệnh viện Đa khoa tỉnh", year=2024, higher=False) -> Path:
    rows = [[f"Đơn vị: {unit}"], [f"DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM {year}"], HEADER,
            [1, "Khoa Nội & Hồi sức <ICU>", None, None, "TTLĐTT"],
            [2, "Phòng {{ Kế hoạch }}", None, None, "Giấy khen"]]
    rows += [[i + 3, f"Nguyễn Văn Tên{i}", f"{i + 1:02d}/05/1980", "Nam", "LĐTT"] for i in range(8)]
    if higher:
        rows.append([11, "Nguyễn Văn Tên1", "02/05/1980", "Nam", "Bằng khen UBND tỉnh"])
    return write_openpyxl(path, {"Đề nghị": rows})


# --- the installed command, as a separate process (a representative few) ----------------
def test_console_command_and_module_exit_codes(tmp_path):
    good = _unit(tmp_path / "BVDK.xlsx")
    r = run_sub("--help")
    assert r.returncode == 0
    for (cmd, *_rest) in COMMAND_OPTIONS:
        assert cmd in r.stdout
    r = run_sub("--help", module=True)
    assert r.returncode == 0 and "validate" in r.stdout
    # missing file: 2, a Vietnamese message naming it, no traceback
    r = run_sub("validate", tmp_path / "khong-co.xlsx")
    assert r.returncode == 2 and no_traceback(r.stdout, r.stderr)
    assert "khong-co.xlsx" in r.stdout + r.stderr
    # unknown option: 2
    r = run_sub("consolidate", good, "--khong-co-tuy-chon", module=True)
    assert r.returncode == 2 and no_traceback(r.stdout, r.stderr)
    # the job ran and found errors: 1 (a nominee without a name); clean input: 0
    bad = write_openpyxl(tmp_path / "loi.xlsx", {"S": [["Đơn vị: TTYT"], HEADER, [1, None, "01/01/1980", "Nam", "LĐTT"]]})
    r = run_sub("validate", bad, "--year", "2024")
    assert r.returncode == 1 and no_traceback(r.stdout, r.stderr)
    out = tmp_path / "th.json"
    r = run_sub("consolidate", good, "--json", out)
    assert r.returncode == 0, r.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["totals"]["LDTT"] == {"tap_the": 0, "ca_nhan": 8}


def test_demo_writes_everything_it_promises(tmp_path):
    out = tmp_path / "demo"
    r = run_sub("demo", "--out", out)
    assert r.returncode == 0, r.stderr[-2000:]
    assert no_traceback(r.stdout, r.stderr)
    files = [p for p in out.rglob("*") if p.is_file()]
    xlsx = [p for p in files if p.suffix in (".xlsx", ".xlsm")]
    # a master: the workbook with a units sheet listing at least 8 units
    masters = []
    for p in xlsx:
        wb = openpyxl.load_workbook(p, read_only=True)
        if "Đơn vị" in wb.sheetnames:
            units = [r for r in wb["Đơn vị"].iter_rows(min_row=2, values_only=True) if r and r[0] and r[1]]
            masters.append((p, len(units)))
        wb.close()
    assert masters and max(n for _, n in masters) >= 8, masters
    master = max(masters, key=lambda m: m[1])[0]
    # the split unit files: one per unit, named by code, in a folder of their own
    folders = {}
    for p in xlsx:
        folders.setdefault(p.parent, []).append(p)
    assert max(len(v) for k, v in folders.items() if k != out) >= 8
    # nominees of every award of the catalogue (§3) in the master
    th = tmp_path / "th.json"
    code, _o, _e = run_cli_sub_consolidate(master, th)
    assert code in (0, 1)
    totals = json.loads(th.read_text(encoding="utf-8"))["totals"]
    codes = {c for c, d in totals.items() if sum(d.values()) > 0}
    assert codes >= {"LDTT", "CSTDCS", "CSTD_TINH", "CSTD_BO", "CSTD_TQ", "TTLDTT", "TTLDXS", "CO_TINH", "CO_BO",
                     "CO_CP", "GK", "BK_TINH", "BK_BO", "BK_TTCP", "HCLD3", "HCLD2", "HCLD1", "TTUT", "TTND",
                     "KNC"}, codes
    # the validation and consolidation outputs
    jsons = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in files if p.suffix == ".json"}
    assert any({"findings", "counts"} <= set(d) for d in jsons.values()), list(jsons)
    assert any(p.suffix == ".xlsx" and ("tong" in p.stem.lower() or "Tổng hợp" in _sheets(p)) for p in xlsx)
    # every Word document: the five kinds
    import docx

    texts = [" ".join(par.text for par in docx.Document(p).paragraphs).upper() for p in files if p.suffix == ".docx"]
    for title in ("BÁO CÁO", "PHÁT ĐỘNG", "QUYẾT ĐỊNH", "TỜ TRÌNH", "BIÊN BẢN"):
        assert any(title in t for t in texts), title


def run_cli_sub_consolidate(master, out):
    r = run_sub("consolidate", master, "--json", out)
    return r.returncode, r.stdout, r.stderr


def _sheets(p):
    wb = openpyxl.load_workbook(p, read_only=True)
    try:
        return wb.sheetnames
    finally:
        wb.close()


# --- in process: every command, its options, its user errors ------------------------------
@pytest.mark.parametrize("cmd", list(COMMAND_OPTIONS), ids=lambda c: " ".join(c))
def test_every_command_has_its_contract_options(capsys, cmd):
    code, out, err = run_cli(capsys, *cmd, "--help")
    assert code == 0
    for opt in COMMAND_OPTIONS[cmd]:
        assert opt in out, f"{' '.join(cmd)} lacks {opt}"
    code, out, err = run_cli(capsys, *cmd, "--khong-co-tuy-chon")
    assert code == 2 and no_traceback(out, err)


@pytest.mark.parametrize("args", [
    ["validate", "{missing}"], ["consolidate", "{missing}", "--json", "{tmp}/x.json"],
    ["report", "{missing}", "--out", "{tmp}/vb"], ["split", "{missing}", "--out", "{tmp}/t"],
    ["collect", "{tmp}/khong-co-thu-muc", "--into", "{missing}"], ["history", "import", "{missing}"],
    ["history", "archive", "{missing}", "--year", "2024"], ["email", "--docs", "{tmp}/khong-co", "--to", "a@b.vn"],
    ["validate", "{good}", "--year", "hai-nghin"], ["validate", "{good}", "--history", "{missing}"],
    ["report", "{good}", "--out", "{tmp}/vb", "--kind", "thu-moi"], ["init", "{good}", "--year", "2024"],
])
def test_user_errors_exit_2_without_traceback(tmp_path, capsys, args):
    good = _unit(tmp_path / "BVDK.xlsx")
    missing = tmp_path / "khong-co.xlsx"
    argv = [a.format(missing=missing, tmp=tmp_path, good=good) for a in args]
    code, out, err = run_cli(capsys, *argv)
    assert code == 2, (argv, out, err)
    assert no_traceback(out, err)
    assert (out + err).strip()


def test_unreadable_workbooks(tmp_path, capsys):
    """Only an unreadable workbook: 2. Beside a good file: the good one is counted, exit 1."""
    folder = tmp_path / "dv"
    folder.mkdir()
    (folder / "rong.xlsx").write_bytes(b"")
    (folder / "van-ban.xlsx").write_text("đây là văn bản, không phải Excel", encoding="utf-8")
    code, out, err = run_cli(capsys, "consolidate", folder, "--json", tmp_path / "a.json")
    assert code == 2 and no_traceback(out, err)
    _unit(folder / "BVDK.xlsx")
    code, out, err = run_cli(capsys, "consolidate", folder, "--json", tmp_path / "b.json")
    assert code == 1 and no_traceback(out, err)
    rep = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert rep["totals"]["LDTT"]["ca_nhan"] == 8 and rep["rows"] == 10
    code, out, err = run_cli(capsys, "validate", folder, "--json", tmp_path / "c.json")
    assert code == 1
    v = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    bad = sorted(f["file"] for f in v["findings"] if f["code"] == "BAD_FILE")
    assert bad == ["rong.xlsx", "van-ban.xlsx"]
    assert all(f["row"] is None for f in v["findings"] if f["code"] == "BAD_FILE")


def test_report_kinds(tmp_path, capsys):
    src = _unit(tmp_path / "BVDK.xlsx")
    out = tmp_path / "vb-qd"
    code, so, se = run_cli(capsys, "report", src, "--out", out, "--kind", "quyet-dinh", "--kind", "bien-ban")
    assert code == 0, se
    import docx

    docs = sorted(out.glob("*.docx"))
    assert docs
    texts = {p.name: "\n".join(par.text for par in docx.Document(p).paragraphs) for p in docs}
    assert all(("QUYẾT ĐỊNH" in t.upper()) or ("BIÊN BẢN" in t.upper()) for t in texts.values()), list(texts)
    assert not any("BÁO CÁO TỔNG KẾT" in t.upper() for t in texts.values())
    out_all = tmp_path / "vb"
    code, so, se = run_cli(capsys, "report", src, "--out", out_all)
    assert code == 0, se
    # nothing to propose upward: no Tờ trình, and the command says so instead of staying silent
    assert not any("TỜ TRÌNH" in " ".join(par.text for par in docx.Document(p).paragraphs).upper()
                   for p in out_all.glob("*.docx"))
    assert "to-trinh" in so
    _unit(src, higher=True)
    code, so, se = run_cli(capsys, "report", src, "--out", out_all)
    assert code == 0, se
    alltext = [" ".join(par.text for par in docx.Document(p).paragraphs) for p in out_all.glob("*.docx")]
    for title in ("BÁO CÁO", "PHÁT ĐỘNG", "QUYẾT ĐỊNH", "TỜ TRÌNH", "BIÊN BẢN"):
        assert any(title in t.upper() for t in alltext), title
    body = "\n".join(alltext)
    assert "{{" not in body.replace("Phòng {{ Kế hoạch }}", "") and "{%" not in body
    # data reaches the decision literally, never as markup
    full = []
    for p in out_all.glob("*.docx"):
        d = docx.Document(p)
        full += [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert any("Khoa Nội & Hồi sức <ICU>" in c for c in full)


def test_email_drafts_one_per_recipient_with_every_document(tmp_path, capsys):
    docs = tmp_path / "van-ban"
    docs.mkdir()
    payloads = {"Báo cáo tổng kết 2024.docx": b"PK docx bytes \x00\x01",
                "Quyết định LĐTT.pdf": b"%PDF-1.4 fake",
                "Tổng hợp.xlsx": b"PK xlsx bytes"}
    for name, data in payloads.items():
        (docs / name).write_bytes(data)
    (docs / "ghi-chu.txt").write_text("không gửi", encoding="utf-8")
    drafts = tmp_path / "nhap"
    code, out, err = run_cli(capsys, "email", "--docs", docs, "--to", "bantdkt@snv.example.vn",
                             "--to", "vanthu@syt.example.vn", "--draft", drafts, "--from", "tdkt@syt.example.vn")
    assert code == 0, err
    emls = sorted(drafts.glob("*.eml"))
    assert len(emls) == 2
    seen_to = set()
    for p in emls:
        msg = email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        seen_to.add(str(msg["To"]))
        assert "tdkt@syt.example.vn" in str(msg["From"])
        atts = {a.get_filename(): a.get_payload(decode=True) for a in msg.iter_attachments()}
        assert atts == payloads
    assert seen_to == {"bantdkt@snv.example.vn", "vanthu@syt.example.vn"}


def test_a_folder_without_workbooks_is_not_a_clean_result(tmp_path, capsys):
    """Only Excel owner files and other documents: nothing to read is unusable input (2), not 'no errors'."""
    folder = tmp_path / "nham-thu-muc"
    folder.mkdir()
    (folder / "~$BVDK.xlsx").write_bytes(b"owner")
    (folder / "cong-van.docx").write_bytes(b"PK")
    for cmd in (["validate", folder], ["consolidate", folder, "--json", tmp_path / "x.json"]):
        code, out, err = run_cli(capsys, *cmd)
        assert code == 2 and no_traceback(out, err)
        assert "nham-thu-muc" in out + err
    assert not (tmp_path / "x.json").exists()


def test_email_units_drafts_each_unit_its_own_file(tmp_path, capsys):
    units = tmp_path / "dv.csv"
    units.write_text("Mã đơn vị,Tên đơn vị,Email\nBVDK,Bệnh viện Đa khoa tỉnh,bvdk@example.vn\n"
                     "CDC,Trung tâm Kiểm soát bệnh tật,\n", encoding="utf-8")
    master = tmp_path / "ThiDua.xlsx"
    assert run_cli(capsys, "init", master, "--year", 2024, "--units", units)[0] == 0
    split = tmp_path / "tach"
    assert run_cli(capsys, "split", master, "--out", split)[0] == 0
    drafts = tmp_path / "nhap"
    code, out, err = run_cli(capsys, "email", "--units", master, "--split-dir", split, "--draft", drafts)
    assert no_traceback(out, err)
    emls = sorted(drafts.glob("*.eml"))
    assert len(emls) == 1
    msg = email.message_from_bytes(emls[0].read_bytes(), policy=email.policy.default)
    assert "bvdk@example.vn" in str(msg["To"])
    assert [a.get_filename() for a in msg.iter_attachments()] == ["BVDK.xlsx"]
    assert [a.get_payload(decode=True) for a in msg.iter_attachments()] == [(split / "BVDK.xlsx").read_bytes()]
    assert "CDC" in out + err  # the unit without an email is listed, not skipped silently
