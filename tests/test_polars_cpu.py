"""Whether this processor can run the installed Polars runtime, read without loading that runtime.

Everything is real: the installed runtime's own `build_feature_flags.py`, Polars' own CPUID reader
run on this processor (checked against the kernel's /proc/cpuinfo), and a fresh interpreter that
proves neither `polars` nor its native library was loaded.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from thidua_xl import polars_cpu

# /proc/cpuinfo's names for the features Polars' reader reports
CPUINFO_NAMES = {"avx": "avx", "avx2": "avx2", "fma": "fma", "bmi1": "bmi1", "bmi2": "bmi2", "popcnt": "popcnt",
                 "movbe": "movbe", "ssse3": "ssse3", "sse4.1": "sse4_1", "sse4.2": "sse4_2", "sse3": "pni",
                 "cmpxchg16b": "cx16", "pclmulqdq": "pclmulqdq", "lzcnt": "abm"}


def test_the_installed_runtime_and_its_required_features_are_read_from_its_files():
    name, flags = polars_cpu.installed_runtime()
    import importlib.metadata as md

    assert name in polars_cpu.RUNTIMES
    assert md.version(f"polars-runtime-{name}") == md.version("polars") == polars_cpu.polars_version()
    wanted = polars_cpu.required_features(flags)
    assert {"avx", "avx2", "fma", "bmi1", "bmi2", "lzcnt"} <= set(wanted)  # why old Pentiums/Celerons fail
    assert all(not f.startswith("+") for f in wanted)


def test_required_features_are_parsed_as_polars_parses_them():
    assert polars_cpu.required_features("+sse3,+avx2,-avx512f,+ctr-static,") == ["sse3", "avx2"]
    assert polars_cpu.required_features("") == []


@pytest.mark.skipif(not Path("/proc/cpuinfo").is_file(), reason="cần /proc/cpuinfo (Linux) để đối chiếu")
def test_the_processor_features_agree_with_the_kernels():
    cpu = polars_cpu.cpu_flags()
    assert set(cpu) == set(CPUINFO_NAMES)
    kernel = set(next(line for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("flags")).split(":", 1)[1].split())
    assert {f: CPUINFO_NAMES[f] in kernel for f in cpu} == cpu


def test_the_probe_loads_neither_polars_nor_its_native_library():
    code = ("import json, sys; from thidua_xl import polars_cpu; got = polars_cpu.probe(); "
            "maps = open('/proc/self/maps').read() if sys.platform == 'linux' else ''; "
            "print(json.dumps([got, sorted(m for m in sys.modules if 'polars' in m), '_polars_runtime' in maps]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    got, modules, native = json.loads(out.strip().splitlines()[-1])
    assert modules == ["thidua_xl.polars_cpu"] and native is False
    assert got["polars"] == polars_cpu.polars_version() and got["runtime"] == polars_cpu.installed_runtime()[0]
    assert got["missing"] == [] and got["unknown"] == []  # this machine has AVX2 & co.


def test_the_command_line_answer_is_the_one_json_line_the_installer_parses():
    out = subprocess.run([sys.executable, "-m", "thidua_xl.polars_cpu"], capture_output=True, text=True,
                         check=True).stdout.strip().splitlines()
    assert len(out) == 1
    got = json.loads(out[0])
    assert set(got) == {"polars", "runtime", "flags", "cpu", "missing", "unknown"}
    assert got["flags"] == polars_cpu.installed_runtime()[1]
