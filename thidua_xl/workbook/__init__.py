"""Writing Excel files: the master workbook, the unit files, and collecting them back."""
from __future__ import annotations

__all__ = ["create_master", "split_master", "collect", "CollectReport", "read_units"]


def __getattr__(name):  # lazy: the CLI imports only what a command needs
    if name == "create_master":
        from .master import create_master
        return create_master
    if name == "split_master":
        from .split import split_master
        return split_master
    if name in ("collect", "CollectReport"):
        from . import collect as _c
        return getattr(_c, name)
    if name == "read_units":
        from .units import read_units
        return read_units
    raise AttributeError(name)
