"""VBA as one particular Excel sees it, for LibreOffice: conditional compilation resolved.

LibreOffice Basic does not know `#If … #End If`; Excel evaluates them at compile time
with the constants of its platform. `resolve_conditionals` does the same for the
constants of 64-bit Excel on Windows, so LibreOffice compiles the code that Excel would.
"""
from __future__ import annotations

import re

WIN64_EXCEL = {"VBA7": True, "Win64": True, "Win32": True, "Mac": False, "MAC_OFFICE_VERSION": 0}

_DIRECTIVE = re.compile(r"^\s*#(If|ElseIf|Else|End If|Const)\b(.*)$", re.I)


def _strip_comment(text: str) -> str:
    out, quoted = [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == "'" and not quoted:
            break
        out.append(ch)
    return "".join(out).strip()


def _evaluate(expr: str, consts: dict) -> bool:
    expr = _strip_comment(expr)
    expr = re.sub(r"\s+Then$", "", expr, flags=re.I)
    py = re.sub(r"(?<![<>=])=(?!=)", "==", expr)
    py = re.sub(r"<>", "!=", py)
    py = re.sub(r"\bNot\b", " not ", py, flags=re.I)
    py = re.sub(r"\bAnd\b", " and ", py, flags=re.I)
    py = re.sub(r"\bOr\b", " or ", py, flags=re.I)
    names = {k: v for k, v in consts.items()}
    for name in re.findall(r"\b[A-Za-z_]\w*\b", py):
        if name not in names and name not in ("not", "and", "or"):
            names[name] = False  # an undefined compiler constant is Empty (False) in VBA
    return bool(eval(py, {"__builtins__": {}}, names))  # noqa: S307 - test helper over our own sources


def resolve_conditionals(source: str, consts: dict | None = None) -> str:
    """The source with every #If/#ElseIf/#Else/#End If resolved and #Const lines dropped.

    Dropped lines become empty lines, so line numbers stay those of the original.
    """
    consts = dict(WIN64_EXCEL if consts is None else consts)
    out: list[str] = []
    # stack of (branch taken so far, current branch active, parent active)
    stack: list[list[bool]] = []
    active = True
    eol = "\r\n" if "\r\n" in source else "\n"
    for line in source.split(eol):
        m = _DIRECTIVE.match(line)
        if not m:
            out.append(line if active else "")
            continue
        kind, rest = m.group(1).lower(), m.group(2)
        if kind == "const":
            if active:
                name, value = _strip_comment(rest).split("=", 1)
                consts[name.strip()] = eval(value.strip(), {"__builtins__": {}}, {})  # noqa: S307
        elif kind == "if":
            taken = active and _evaluate(rest, consts)
            stack.append([taken, active])
            active = taken
        elif kind == "elseif":
            taken, parent = stack[-1]
            now = parent and not taken and _evaluate(rest, consts)
            stack[-1][0] = taken or now
            active = now
        elif kind == "else":
            taken, parent = stack[-1]
            active = parent and not taken
            stack[-1][0] = True
        else:  # end if
            _taken, active = stack.pop()
        out.append("")
    if stack:
        raise ValueError("#If without #End If")
    return eol.join(out)
