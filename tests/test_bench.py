"""The benchmark runs end to end at the small size (the full sizes are run by hand: docs/performance.md)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "run.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("thidua_bench", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_small_benchmark_times_every_stage(tmp_path, capsys):
    bench = load_bench()
    [r] = bench.main(["--sizes", "1500", "--in-process", "--repeat", "1", "--no-history", "--data", str(tmp_path),
                      "--master-rows", "300"])
    out = capsys.readouterr().out
    assert r["files"] == bench.UNITS and r["bad_files"] == 0
    assert abs(r["rows"] - 1500) < 60 and r["rows"] == r["nominations"]  # every generated nominee read back
    for stage in ("floor_s", "floor_threads_s", "intake_s", "validate_s", "consolidate_s", "write_xlsx_s"):
        assert r[stage] > 0, stage
    assert r["pipeline_s"] >= r["core_s"] > r["intake_s"]
    assert r["peak_rss_mb"] < 1024
    assert "| rows (target) |" in out and "core/floor" in out
    for key in ("proc_floor_s", "proc_naive_s", "proc_consolidate_s", "proc_validate_s"):
        assert r[key] > 0, key  # whole processes, each run to its end
    assert r["proc_consolidate_over_floor"] == r["proc_consolidate_s"] / r["proc_floor_s"]
    assert r["proc_consolidate_cpu_s"] > 0 and "consolidate/floor CPU" in out  # work done, whatever the load
    assert "consolidate/floor" in out and "pyarrow installed" in out
    assert "load before" in out and "load after" in out  # the machine's load is stated with the ratios
    assert r["load_before"] >= 0 and r["load_after"] >= 0
    # one ribbon click: `thidua validate` of a master against a process that only reads it with fastexcel
    assert "| master rows |" in out and "x (target <= 1.5)" in out
    assert "bytecode cached" in out and "warm-up" in out  # how the processes were run is said with the numbers


def test_validate_of_one_master_is_timed_against_reading_it(tmp_path):
    bench = load_bench()
    m = bench.master_processes(tmp_path, 1, rows=300)
    assert abs(m["master_rows"] - 300) < 30  # the units' rows, collected into the master and read back
    assert m["floor_s"] > 0 and m["validate_s"] > 0 and m["validate_cpu_s"] > 0
    assert m["validate_over_floor"] == m["validate_s"] / m["floor_s"]
    assert (tmp_path / "master300" / "ThiDua-300.xlsx").is_file()  # cached like the unit files
    assert "validate/floor" in bench.master_table(m)


def test_whole_processes_run_with_a_bytecode_cache_as_an_installed_copy(tmp_path, monkeypatch):
    """A shell that forbids writing bytecode would make every timed run recompile the tool (the libraries keep
    their .pyc): the bench's processes write and read one cache folder instead, after one untimed run."""
    bench = load_bench()
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.delenv("THIDUA_BENCH_PYCACHE", raising=False)
    env = bench.process_env()
    assert "PYTHONDONTWRITEBYTECODE" not in env and env["PYTHONPYCACHEPREFIX"]
    assert bench.process_env()["PYTHONPYCACHEPREFIX"] == env["PYTHONPYCACHEPREFIX"]  # one folder for every run
    got = bench.timed_processes([bench.sys.executable, "-m", "thidua_xl", "--version"], 2)
    assert len(got) == 2 and all(g[0] > 0 for g in got)
    assert list(Path(env["PYTHONPYCACHEPREFIX"]).rglob("thidua_xl/cli/__init__*.pyc"))


def test_units_are_distinct():
    bench = load_bench()
    units = bench.province_units()
    assert len(units) == 60 and len({u[0] for u in units}) == 60 and len({u[1] for u in units}) == 60


def test_two_checkouts_are_timed_against_each_other_run_by_run(tmp_path, capsys):
    """bench/ab.py: the floor, `consolidate` and `validate --history` of each checkout (here the same one twice),
    and the ribbon's click on a master, as medians of wall and CPU time with their ratio to the floor."""
    spec = importlib.util.spec_from_file_location("thidua_bench_ab", BENCH.parent / "ab.py")
    ab = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ab)
    root = BENCH.parent.parent
    results = ab.main([str(root), str(root), "--sizes", "400", "--history-rows", "1000", "--master",
                       "--master-rows", "300", "--rounds", "1", "--data", str(tmp_path)])
    out = capsys.readouterr().out
    province, master = results
    assert set(province["medians"]) == {"floor", ("before", "consolidate"), ("after", "consolidate"),
                                        ("before", "validate"), ("after", "validate")}
    assert set(master["medians"]) == {"floor", ("before", "validate"), ("after", "validate")}
    for res in results:
        for wall, cpu in res["medians"].values():
            assert wall > 0 and cpu > 0
    assert "| consolidate |" in out and "| validate |" in out and "400 rows" in out and "master of 300 rows" in out
    assert (tmp_path / "h400-1000.sqlite").is_file()  # the register made once, copied for every run


def test_the_bound_runs_each_command_after_a_free_intake_and_says_the_same(tmp_path, capsys):
    """bench/bound.py: each command as run, and again with its intake replaced by the floor's read and the Intake
    it would have read (unpickled): the outputs of the two are compared before timing, and the table gives both
    over the floor and the intake's part."""
    spec = importlib.util.spec_from_file_location("thidua_bench_bound", BENCH.parent / "bound.py")
    bound = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bound)
    results = bound.main(["--sizes", "400", "--history-rows", "1000", "--master", "--master-rows", "300",
                          "--rounds", "1", "--data", str(tmp_path)])
    out = capsys.readouterr().out
    province, master = results
    assert set(province["medians"]) == {"floor", ("consolidate", "real"), ("consolidate", "bound"),
                                        ("validate", "real"), ("validate", "bound")}
    assert set(master["medians"]) == {"floor", ("validate", "real"), ("validate", "bound")}
    for res in results:
        assert all(seconds > 0 for seconds in res["medians"].values())
    assert "| consolidate |" in out and "| validate |" in out and "after a free intake" in out


def test_the_bound_refuses_a_free_intake_that_says_something_else(tmp_path):
    """The comparison that guards the bound: a different JSON, or different text printed, is an error."""
    import json
    import subprocess

    spec = importlib.util.spec_from_file_location("thidua_bench_bound", BENCH.parent / "bound.py")
    bound = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bound)

    def said(text: bytes, rc: int = 0):
        return subprocess.CompletedProcess([], rc, stdout=text, stderr=b"")

    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps({"findings": [1]}), encoding="utf-8")
    b.write_text(json.dumps({"findings": [1]}), encoding="utf-8")
    bound._same_outputs(said("3 lỗi\nĐã ghi /x\n".encode()), said("3 lỗi\nĐã ghi /y\n".encode()), [a], [b])
    b.write_text(json.dumps({"findings": [2]}), encoding="utf-8")
    with pytest.raises(RuntimeError):
        bound._same_outputs(said(b"3"), said(b"3"), [a], [b])
    with pytest.raises(RuntimeError):
        bound._same_outputs(said("3 lỗi".encode()), said("4 lỗi".encode()), [], [])
