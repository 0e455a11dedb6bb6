"""Errors a user can act on: the CLI prints their Vietnamese message and exits 2, no traceback."""


class UserError(Exception):
    """Unusable input or arguments (missing file, unreadable master, bad option value)."""

    exit_code = 2
