"""Can this processor run the installed Polars runtime? Answered without loading it.

Polars 2.x ships its native code in a separate runtime package (`polars-runtime-32`, `-64` or
`-compat`); the default runtimes are built for AVX2/FMA/BMI processors and, on an older Pentium or
Celeron, `import polars` only warns and then the process dies of an illegal instruction. The
compatible runtime (`polars-runtime-compat` of the same version) runs anywhere and `polars/_plr.py`
prefers it whenever it is installed (order: compat, 64, 32).

Nothing here imports `polars` (its `__init__` loads the runtime): the runtime's
`build_feature_flags.py` and Polars' own CPUID reader (`polars/_cpu_check.py`, standard library
only) are loaded by file path. Standard library only; `python -m thidua_xl.polars_cpu` prints the
answer as one JSON line for the Windows installer and `thidua doctor`.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from importlib import metadata
from pathlib import Path

RUNTIMES = ("compat", "64", "32")  # the order polars/_plr.py tries them in
COMPAT_PACKAGE = "polars-runtime-compat"
NOT_CPU_FLAGS = {"ctr-static"}  # in the build flags, not a processor feature (as Polars skips it)


def required_features(build_flags: str) -> list[str]:
    """The processor features a runtime's BUILD_FEATURE_FLAGS ("+avx,+avx2,…") enable, as Polars reads them."""
    features = [f.lstrip("+") for f in build_flags.split(",") if not f.startswith("-")]
    return [f for f in features if f and f not in NOT_CPU_FLAGS]


def missing_features(build_flags: str, cpu: dict[str, bool]) -> tuple[list[str], list[str]]:
    """(features the processor lacks, features the reader does not know) for these build flags."""
    wanted = required_features(build_flags)
    return [f for f in wanted if f in cpu and not cpu[f]], [f for f in wanted if f not in cpu]


def _package_dir(name: str) -> Path | None:
    """Folder of an installed top-level package, found without importing it."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def _load_file(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def installed_runtime() -> tuple[str, str] | None:
    """(name, BUILD_FEATURE_FLAGS) of the runtime `import polars` would load, None without one."""
    for name in RUNTIMES:
        folder = _package_dir(f"_polars_runtime_{name}")
        if folder is None:
            continue
        flags_file = folder / "build_feature_flags.py"
        if not flags_file.is_file():  # the runtime's own __init__ then uses "" (no requirement)
            return name, ""
        return name, _load_file(f"_thidua_polars_flags_{name}", flags_file).BUILD_FEATURE_FLAGS
    return None


def cpu_flags() -> dict[str, bool] | None:
    """The processor's features by Polars' own CPUID reader; {} off x86; None without that reader."""
    folder = _package_dir("polars")
    reader = folder / "_cpu_check.py" if folder else None
    if reader is None or not reader.is_file():
        return None
    return _load_file("_thidua_polars_cpu_check", reader)._read_cpu_flags()


def polars_version() -> str | None:
    try:
        return metadata.version("polars")
    except metadata.PackageNotFoundError:
        return None


def probe() -> dict:
    """Everything the installer and the doctor compare, read on this interpreter."""
    runtime = installed_runtime()
    cpu = cpu_flags()
    name, flags = runtime or (None, "")
    missing, unknown = missing_features(flags, cpu or {}) if cpu else ([], [])
    return {"polars": polars_version(), "runtime": name, "flags": flags, "cpu": cpu,
            "missing": missing, "unknown": unknown if cpu else []}


if __name__ == "__main__":
    print(json.dumps(probe()))
    sys.exit(0)
