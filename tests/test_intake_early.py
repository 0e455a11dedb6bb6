"""Reading begun from the command line before the CLI is imported (intake.early): the same intake as a
reading begun by intake itself, a file changed meanwhile read again, a read nobody takes closed, and the
`thidua` command printing and writing the same with and without it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from thidua_xl.intake import early, read_paths
from thidua_xl.intake.files import begin_early


@pytest.fixture(autouse=True)
def fresh_state(monkeypatch):
    """No reading begun yet; the fixtures' dozen small files are enough for a child process."""
    from thidua_xl.intake import checker

    monkeypatch.setattr(checker, "CHILD_MIN_FILES", 2)
    early._state.clear()
    yield
    early.forget()
    early._state.clear()


def _finished():
    early._state["planned"].wait(10)
    for _sig, future in list(early._state["pending"].values()):
        future.result(timeout=30)


def test_only_the_positional_paths_of_a_reading_command_are_read_early():
    argv = ["validate", "don-vi", "--year", "2024", "--history", "so.sqlite", "--json=kq.json", "BVSN.xlsx"]
    assert early.positional_paths(argv) == ["don-vi", "BVSN.xlsx"]  # an option's value is not a workbook
    assert early.positional_paths(["--debug", "consolidate", "tong-hop.xlsx", "--into", "khac.xlsx"]) == ["tong-hop.xlsx"]
    assert early.positional_paths(["--verbose", "--debug", "validate", "don-vi"]) == ["don-vi"]  # the root's flags
    for argv in (["report", "tong-hop.xlsx"], ["collect", "don-vi"], ["validate", "--help"], ["consolidate"], []):
        assert early.positional_paths(argv) == []


def test_a_folder_read_early_gives_the_intake_intake_gives_alone(seed_folder):
    alone = read_paths([seed_folder])
    early.start(["consolidate", str(seed_folder), "--json", "kq.json"], begin_early)
    _finished()
    assert len(early._state["pending"]) == len(list(seed_folder.glob("*.xlsx")))
    together = read_paths([seed_folder])
    assert not early._state["pending"]  # every read begun early was taken over
    pd.testing.assert_frame_equal(together.nominations, alone.nominations)
    assert [(f.code, f.file, f.sheet, f.row, f.message) for f in together.findings] == \
        [(f.code, f.file, f.sheet, f.row, f.message) for f in alone.findings]


def test_a_file_changed_after_its_early_read_is_read_again(seed_folder, tmp_path):
    files = sorted(seed_folder.glob("*.xlsx"))[:2]
    folder = tmp_path / "don-vi"
    folder.mkdir()
    for f in files:
        shutil.copy(f, folder / f.name)
    early.start(["validate", str(folder)], begin_early)
    _finished()
    changed = folder / files[0].name
    shutil.copy(files[1], changed)  # the unit sent a corrected file while the command was starting
    st = changed.stat()
    os.utime(changed, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    got = read_paths([folder]).nominations
    rows_of = lambda f: len(read_paths([f]).nominations)  # noqa: E731
    assert (got["file"] == changed.name).sum() == rows_of(files[1])


def test_a_read_begun_early_that_nobody_takes_is_closed(seed_folder, monkeypatch):
    from thidua_xl.intake import files as files_mod

    closed = []
    monkeypatch.setattr(files_mod, "_close", lambda loaded: closed.append(loaded))
    early.start(["consolidate", str(seed_folder)], begin_early)
    _finished()
    first, *rest = sorted(seed_folder.glob("*.xlsx"))
    assert early.take(first, arrow=False) is None  # wanted with typed cells (collect): read anew
    early.forget()
    assert len(closed) == 1 + len(rest) and all(c is not None and c.wb is not None for c in closed)


def test_a_single_small_workbook_is_left_to_intake(tmp_path, seed_folder, monkeypatch):
    """One small workbook or a couple of small files: a child process costs more than their check, and a thread
    checking them would only slow the imports it should overlap; intake reads them as it always has."""
    from thidua_xl.intake import checker

    monkeypatch.setattr(checker, "CHILD_MIN_FILES", 16)
    one = sorted(seed_folder.glob("*.xlsx"))[0]
    assert not checker.worth_a_child([one]) and checker.worth_a_child([one] * 16)
    early.start(["validate", str(one)], begin_early)
    early._state["planned"].wait(10)
    assert early._state["pending"] == {} and early.take(one, arrow=True) is None


def test_the_command_prints_and_writes_the_same_with_and_without_the_early_read(seed_folder, tmp_path):
    """Through `python -m thidua_xl`, the way staff run it, on a folder of enough files for a child process
    (the seed's twelve, twice: the second copies are duplicates, which both runs must report alike)."""
    folder = tmp_path / "don-vi"
    folder.mkdir()
    for f in sorted(seed_folder.glob("*.xlsx")):
        shutil.copy(f, folder / f.name)
        shutil.copy(f, folder / f"lan2-{f.name}")
    assert len(list(folder.iterdir())) == 24  # over CHILD_MIN_FILES (16; the fixture lowers it in this process only)
    runs = {}
    for name, env in (("early", {}), ("without", {"THIDUA_NO_EARLY_READ": "1"})):
        out = tmp_path / "tong-hop.json"
        done = subprocess.run([sys.executable, "-m", "thidua_xl", "consolidate", str(folder), "--json", str(out)],
                              capture_output=True, text=True, encoding="utf-8", env={**os.environ, **env}, timeout=300)
        runs[name] = (done.returncode, done.stdout, out.read_bytes())
        out.unlink()
    assert runs["early"] == runs["without"] and runs["early"][0] in (0, 1)


def test_the_child_process_checks_each_file_as_the_command_would(seed_folder, tmp_path):
    """The pre-check in its own process (intake.checker) answers what safety.inspect answers here: the same
    scan of a good file, the same Vietnamese reason for a refused one, in the order given."""
    from thidua_xl.intake.checker import OK, REFUSED, Checker
    from thidua_xl.safety import Refused, inspect

    fake = tmp_path / "csv-doi-duoi.xlsx"
    fake.write_text("STT,Họ và tên\n1,Nguyễn Văn An\n", encoding="utf-8")
    empty = tmp_path / "rong.xlsx"
    empty.write_bytes(b"")
    files = [*sorted(seed_folder.glob("*.xlsx"))[:3], fake, empty]
    checker = Checker(files)
    for i, f in enumerate(files):
        kind, got = checker.answer(i)
        try:
            here = inspect(f)
        except Refused as exc:
            assert (kind, got) == (REFUSED, str(exc))
        else:
            assert kind == OK and got == here


def test_refused_files_read_early_say_the_same_and_the_others_are_still_read(seed_folder, tmp_path):
    folder = tmp_path / "don-vi"
    folder.mkdir()
    for f in sorted(seed_folder.glob("*.xlsx"))[:3]:
        shutil.copy(f, folder / f.name)
    (folder / "csv-doi-duoi.xlsx").write_text("STT,Họ và tên\n", encoding="utf-8")
    alone = read_paths([folder])
    early.start(["validate", str(folder)], begin_early)
    together = read_paths([folder])
    assert [(f.code, f.file, f.message) for f in together.findings] == [(f.code, f.file, f.message) for f in alone.findings]
    assert any(f.file == "csv-doi-duoi.xlsx" for f in together.findings)
    pd.testing.assert_frame_equal(together.nominations, alone.nominations)


def test_without_a_child_process_every_file_is_checked_in_the_command(seed_folder, monkeypatch):
    """No child can be started (a locked-down machine): the early reads check each file themselves."""
    from thidua_xl import reading
    from thidua_xl.intake import checker

    monkeypatch.setattr(sys, "executable", str(seed_folder / "khong-co-python"))
    monkeypatch.setattr(checker, "can_fork", lambda: False)  # a machine without fork (Windows) spawns its child
    checked = []
    real = reading.checked_scan
    monkeypatch.setattr(reading, "checked_scan", lambda p: checked.append(p) or real(p))
    alone = read_paths([seed_folder])
    checked.clear()
    early.start(["consolidate", str(seed_folder)], begin_early)
    together = read_paths([seed_folder])
    assert len(checked) == len(list(seed_folder.glob("*.xlsx")))
    pd.testing.assert_frame_equal(together.nominations, alone.nominations)


def test_the_child_starts_before_the_reading_is_imported_and_the_reading_takes_it(seed_folder):
    """The pre-check's child is started first thing (its own start overlaps the imports of intake); the
    reading then takes that child over when it checks the very files the reading chose."""
    from thidua_xl.intake import checker

    seen = {}

    def begin(paths):  # what `begin_early` finds when it starts
        chosen, child = early._state["checker"]
        seen["chosen"], seen["child"] = list(chosen), child
        real_init = checker.Checker.__init__
        checker.Checker.__init__ = lambda self, files: seen.setdefault("second", files) or real_init(self, files)
        try:
            begin_early(paths)
        finally:
            checker.Checker.__init__ = real_init

    early.start(["consolidate", str(seed_folder)], begin)
    _finished()
    files = sorted(p for p in seed_folder.iterdir() if p.suffix == ".xlsx")
    assert seen["chosen"] == files and "second" not in seen  # no second child
    assert "checker" not in early._state and len(early._state["pending"]) == len(files)
    assert all(seen["child"].answer(i)[0] == checker.OK for i in range(len(files)))


def test_a_child_started_for_other_files_is_stopped_and_not_used(seed_folder):
    from thidua_xl.intake import checker

    files = sorted(seed_folder.glob("*.xlsx"))
    early._start_checker([str(seed_folder)])
    child = early._state["checker"][1]
    assert early.started_checker(files[:-1]) is None  # the reading chose other files: this child is not theirs
    assert child._proc.wait(timeout=10) is not None and "checker" not in early._state
    early._start_checker([str(seed_folder)])
    child = early._state["checker"][1]
    assert early.started_checker(files) is child and "checker" not in early._state
    assert [child.answer(i)[0] for i in range(len(files))] == [checker.OK] * len(files)


def _master(path):
    """A small master: units list, configuration, two unit sheets, the initiatives, and the report the tool
    wrote into it (`Kiểm tra`, never read by intake)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Cấu hình"
    wb.active.append(["Năm", "2024"])
    units = wb.create_sheet("Đơn vị")
    units.append(["Mã đơn vị", "Tên đơn vị", "Email"])
    for code, name in (("BVSN", "Bệnh viện Sản Nhi"), ("CDC", "Trung tâm Kiểm soát bệnh tật")):
        units.append([code, name, ""])
        sheet = wb.create_sheet(name)
        sheet.append(["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2024"])
        sheet.append(["STT", "Họ và tên", "Ngày sinh", "Hình thức đề nghị"])
        sheet.append([1, "Nguyễn Thị Hoa", "13/02/1980", "LĐTT"])
        sheet.append([2, f"Khoa Nội {code}", None, "Tập thể lao động tiên tiến"])
    initiatives = wb.create_sheet("Sáng kiến")
    initiatives.append(["STT", "Tên sáng kiến, đề tài", "Loại", "Cấp công nhận", "Tác giả", "Năm", "Đơn vị"])
    initiatives.append([1, "Cải tiến quy trình tiếp đón", "Sáng kiến", "Cơ sở", "Nguyễn Thị Hoa", 2024, "BVSN"])
    wb.create_sheet("Kiểm tra").append(["Mã", "Mức độ", "Nội dung"])
    wb.save(path)
    return path


@pytest.mark.parametrize("kind", ["master", "unit file"])
def test_a_single_large_workbook_is_parsed_ahead_and_read_as_intake_reads_it(kind, tmp_path, seed_folder, monkeypatch):
    """The ribbon's click: one workbook of SINGLE_AHEAD_BYTES or more is checked and parsed by one thread while
    the command line is imported, with no child process and no Polars in that thread; intake hands each sheet
    it reads to Polars, loads none again, and reads what it reads alone (a master's own report unparsed)."""
    from thidua_xl.intake import arrow, files as files_mod

    one = _master(tmp_path / "ThiDua-2024.xlsx") if kind == "master" else sorted(seed_folder.glob("*.xlsx"))[0]
    alone = read_paths([one])
    monkeypatch.setattr(files_mod, "SINGLE_AHEAD_BYTES", 0)  # the small workbook counts as large
    early.start(["validate", str(one), "--year", "2024"], begin_early)
    _finished()
    [(_sig, future)] = early._state["pending"].values()
    book = future.result().wb
    assert "checker" not in early._state and not book._sheets  # no child; nothing handed to Polars yet
    skipped = {"Kiểm tra"} if kind == "master" else set()
    assert set(book.ahead) == set(book.sheet_names) - skipped
    loaded_again = []
    real = arrow.load_sheet
    monkeypatch.setattr(arrow, "load_sheet", lambda reader, name: loaded_again.append(name) or real(reader, name))
    together = read_paths([one])
    assert loaded_again == [] and not early._state["pending"]
    pd.testing.assert_frame_equal(together.nominations, alone.nominations)
    assert [f.to_dict() for f in together.findings] == [f.to_dict() for f in alone.findings]
    assert [f.to_dict() for f in together.files] == [f.to_dict() for f in alone.files]
    assert together.config == alone.config and together.units_frame.equals(alone.units_frame)
    assert (together.initiatives_frame is None) == (alone.initiatives_frame is None)
    if kind == "master":
        assert together.frame.height == 4 and together.initiatives_frame.equals(alone.initiatives_frame)
    assert sys.getswitchinterval() == pytest.approx(0.005)  # the parse's shorter interval is given back
