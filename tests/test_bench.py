"""The benchmark runs end to end at the small size (the full sizes are run by hand: docs/performance.md)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench" / "run.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("thidua_bench", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_small_benchmark_times_every_stage(tmp_path, capsys):
    bench = load_bench()
    [r] = bench.main(["--sizes", "1500", "--in-process", "--repeat", "1", "--no-history", "--data", str(tmp_path)])
    out = capsys.readouterr().out
    assert r["files"] == bench.UNITS and r["bad_files"] == 0
    assert abs(r["rows"] - 1500) < 60 and r["rows"] == r["nominations"]  # every generated nominee read back
    for stage in ("floor_s", "floor_threads_s", "intake_s", "validate_s", "consolidate_s", "write_xlsx_s"):
        assert r[stage] > 0, stage
    assert r["pipeline_s"] >= r["core_s"] > r["intake_s"]
    assert r["peak_rss_mb"] < 1024
    assert "| rows (target) |" in out and "core/floor" in out


def test_units_are_distinct():
    bench = load_bench()
    units = bench.province_units()
    assert len(units) == 60 and len({u[0] for u in units}) == 60 and len({u[1] for u in units}) == 60
