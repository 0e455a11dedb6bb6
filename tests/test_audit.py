"""Audit log: one JSON line per command, beside the inputs (or in the output folder)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json

from badfile_helpers import good_unit, random_bytes
from thidua_xl import audit
from thidua_xl.cli import main


def sha(p) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_consolidate_and_validate_each_append_one_line(tmp_path, capsys):
    folder = tmp_path / "don-vi"
    folder.mkdir()
    a = good_unit(folder / "A.xlsx")
    b = good_unit(folder / "B.xlsx", unit="Bệnh viện B")
    out = tmp_path / "ket-qua"
    assert main(["consolidate", str(folder), "--year", "2024", "--json", str(out / "c.json")]) == 0
    assert main(["validate", str(folder), "--year", "2024", "--json", str(out / "v.json")]) in (0, 1)
    capsys.readouterr()
    assert not (folder / audit.LOG_NAME).exists()  # the units' folder was only read
    lines = (out / audit.LOG_NAME).read_text("utf-8").splitlines()
    assert len(lines) == 2
    c, v = (json.loads(x) for x in lines)
    assert c["command"] == "consolidate" and v["command"] == "validate"
    assert {i["path"]: i["sha256"] for i in c["inputs"]} == {str(a.resolve()): sha(a), str(b.resolve()): sha(b)}
    assert c["outputs"] == [{"path": str((out / "c.json").resolve()), "sha256": sha(out / "c.json")}]
    assert c["counts"]["rows"] == 6 and c["exit_code"] == 0
    assert set(v["counts"]) >= {"error", "warning"}
    t = dt.datetime.fromisoformat(c["time"])
    assert t.tzinfo is not None and abs((dt.datetime.now().astimezone() - t).total_seconds()) < 120
    assert c["user"] and c["version"]


def test_bad_run_is_logged_with_its_exit_code(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    folder = tmp_path / "don-vi"
    folder.mkdir()
    random_bytes(folder)
    assert main(["consolidate", str(folder), "--year", "2024"]) == 2
    capsys.readouterr()
    assert audit.read(folder) == []  # no output, no master: the user's own log folder, not the one read
    [e] = audit.read(audit.user_folder())
    assert e["exit_code"] == 2 and e["counts"]["bad_files"] == 1
    assert e["inputs"][0]["path"].endswith("ngau-nhien.xlsx")


def test_user_error_is_logged_by_the_error_boundary(tmp_path, capsys):
    folder = tmp_path / "don-vi"
    folder.mkdir()
    good_unit(folder / "A.xlsx")
    code = main(["report", str(folder), "--out", str(tmp_path / "vb"), "--kind", "khong-co"])
    capsys.readouterr()
    assert code == 2
    assert audit.read(folder) == []
    entries = audit.read(tmp_path / "vb")  # the output folder named on the command line
    assert entries and entries[-1]["command"] == "report" and entries[-1]["exit_code"] == 2
    assert entries[-1].get("message")


def test_record_never_fails(tmp_path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    assert audit.record(blocker, "consolidate", inputs=[blocker]) is None  # cannot create a folder there
    p = audit.record(tmp_path / "ok", "validate", inputs=[tmp_path / "missing.xlsx"], counts={"error": 0})
    assert p is not None and audit.read(tmp_path / "ok")[0]["inputs"] == []


def test_a_folder_only_read_gets_no_log_and_a_master_keeps_its_own(tmp_path, capsys):
    from workbook_helpers import make_master

    folder = tmp_path / "don-vi"
    folder.mkdir()
    good_unit(folder / "A.xlsx")
    before = sorted(p.name for p in folder.iterdir())
    elsewhere = tmp_path / "elsewhere"
    assert main(["validate", str(folder), "--year", "2024", "--json", str(elsewhere / "v.json")]) in (0, 1)
    assert sorted(p.name for p in folder.iterdir()) == before
    assert audit.read(elsewhere)[0]["command"] == "validate"
    (tmp_path / "tong-hop").mkdir()
    master = make_master(tmp_path / "tong-hop" / "ThiDua-2025.xlsx")
    assert main(["consolidate", str(master), "--year", "2025"]) == 0
    capsys.readouterr()
    assert audit.read(master.parent)[-1]["command"] == "consolidate"


def test_digests_worked_out_ahead_name_the_files_as_they_are(tmp_path):
    """An input hashed once read, and a large output hashed while written, are named by those digests only while
    they are the files that were hashed; one changed since is hashed again."""
    import os

    from thidua_xl import fileio

    import random

    inp = tmp_path / "don-vi.xlsx"
    inp.write_bytes(random.Random(1).randbytes(5000))
    fileio.hash_ahead([inp])
    big = fileio.write_bytes(tmp_path / "kiem-tra.json", b"{}" * fileio.AHEAD_MIN)
    assert fileio.known_sha256(inp) == sha(inp) and fileio.known_sha256(big) == sha(big)
    record = audit.entry("validate", inputs=[inp], outputs=[big])
    assert [i["sha256"] for i in record["inputs"] + record["outputs"]] == [sha(inp), sha(big)]

    inp.write_bytes(random.Random(2).randbytes(5000))  # the same size: told apart by the modification time
    os.utime(inp, ns=(1, 1))
    big.write_bytes(b"[]" * fileio.AHEAD_MIN)
    assert fileio.known_sha256(inp) is None and fileio.known_sha256(big) is None
    record = audit.entry("validate", inputs=[inp], outputs=[big])
    assert [i["sha256"] for i in record["inputs"] + record["outputs"]] == [sha(inp), sha(big)]

    fileio.write_bytes(big, b"{}")  # a small write over it: nothing ahead, nothing stale
    assert fileio.known_sha256(big) is None and audit.entry("x", outputs=[big])["outputs"][0]["sha256"] == sha(big)

    def by_another_writer(tmp):  # a file written by a writer of its own (Polars): hashed once in place
        tmp.write_bytes(b"[]" * fileio.AHEAD_MIN)

    fileio.write_with(big, by_another_writer)
    assert fileio.known_sha256(big) == sha(big) and audit.entry("x", outputs=[big])["outputs"][0]["sha256"] == sha(big)
    fileio.write_with(big, lambda tmp: tmp.write_bytes(b"{}"))  # small: hashed when asked, nothing stale
    assert fileio.known_sha256(big) is None and audit.entry("x", outputs=[big])["outputs"][0]["sha256"] == sha(big)


def test_a_master_read_is_logged_beside_itself_without_opening_it_again(tmp_path, capsys):
    """The folder of a run's log, from what the reading found (a master) or from the file's sheet names: the same."""
    from workbook_helpers import make_master

    from thidua_xl.cli.common import _audit_folder, read_masters
    from thidua_xl.intake import read_paths

    (tmp_path / "tong-hop").mkdir()
    master = make_master(tmp_path / "tong-hop" / "ThiDua-2025.xlsx")
    folder = tmp_path / "don-vi"
    folder.mkdir()
    unit = good_unit(folder / "A.xlsx")
    for paths in ([master], [unit], [folder], [folder, master], [unit, master]):
        masters = read_masters(read_paths(paths))
        assert masters == ({str(master)} if master in paths else set())
        assert _audit_folder(paths, (), masters) == _audit_folder(paths, ())


def test_an_input_is_named_by_its_real_path(tmp_path, monkeypatch):
    """Named through a link or a relative path, an input is logged by the path it really has, with its digest;
    the inputs worked out before the line is written (`known_inputs`) are the ones logged."""
    real = tmp_path / "that" / "don-vi"
    real.mkdir(parents=True)
    a = good_unit(real / "A.xlsx")
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    records = audit.input_records(["link/A.xlsx", tmp_path / "link" / "missing.xlsx", real])
    assert records == [{"path": str(a.resolve()), "sha256": sha(a)}]
    p = audit.record(tmp_path / "log", "validate", inputs=["link/A.xlsx"], known_inputs=records)
    assert [e["inputs"] for e in audit.read(p.parent)] == [records]


def test_the_user_is_the_login_name_getpass_gives(monkeypatch):
    """Who ran the command: getpass.getuser()'s answer, from the environment or from the account."""
    import getpass

    for env in ({"LOGNAME": "nv.an"}, {"USER": "tt.binh", "LOGNAME": ""}, {"USERNAME": "Van Thu"}, {}):
        for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        assert audit._user() == getpass.getuser()
