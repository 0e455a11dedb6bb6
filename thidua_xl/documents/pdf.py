"""PDF copies of the documents: LibreOffice headless, or Word through docx2pdf on Windows.

Each conversion gets its own LibreOffice profile (-env:UserInstallation), so two runs
at once (or a LibreOffice the officer has open) do not block each other.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..errors import UserError

_WINDOWS_SOFFICE = (r"C:\Program Files\LibreOffice\program\soffice.exe",
                    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")


class NoConverter(UserError):
    """Neither LibreOffice nor Word (docx2pdf) is available."""


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if sys.platform == "win32":
        for p in _WINDOWS_SOFFICE:
            if os.path.isfile(p):
                return p
    return None


def _docx2pdf():
    if sys.platform not in ("win32", "darwin"):
        return None
    try:
        from docx2pdf import convert  # type: ignore
    except Exception:  # noqa: BLE001 - optional
        return None
    return convert


def available() -> str | None:
    """'libreoffice', 'word' or None."""
    if find_soffice():
        return "libreoffice"
    if _docx2pdf():
        return "word"
    return None


def run_group(cmd: list[str], timeout: float) -> subprocess.CompletedProcess | None:
    """Run cmd in its own process group; on timeout kill the whole group and return None.

    `soffice` is a launcher: the converter is its child `soffice.bin`, which a plain kill of
    the launcher would leave running (with gigabytes of memory) after a timeout.
    """
    kwargs: dict = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
    if sys.platform == "win32":
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
    else:
        kwargs["start_new_session"] = True
    proc = subprocess.Popen(cmd, **kwargs)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        proc.communicate()
        return None
    except BaseException:  # Ctrl-C: never leave the converter behind
        _kill_group(proc)
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _kill_group(proc: subprocess.Popen) -> None:
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True)
    else:
        import signal

        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.kill()


def to_pdf(docx_paths, out_dir: str | Path | None = None, timeout: int = 300) -> list[Path]:
    """Convert .docx files to PDF beside them (or into out_dir); returns the PDFs written."""
    paths = [Path(p) for p in docx_paths]
    if not paths:
        return []
    out_dir = Path(out_dir) if out_dir else paths[0].parent
    out_dir.mkdir(parents=True, exist_ok=True)
    soffice = find_soffice()
    if soffice:
        with tempfile.TemporaryDirectory(prefix="thidua-lo-") as profile:
            cmd = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, paths)]
            proc = run_group(cmd, timeout)
            if proc is None:
                raise UserError(f"LibreOffice không chuyển xong sang PDF sau {timeout} giây; đã dừng LibreOffice. "
                                "Các tệp Word (.docx) vẫn đã được tạo.")
        pdfs = [out_dir / (p.stem + ".pdf") for p in paths]
        missing = [p.name for p in pdfs if not p.is_file()]
        if missing:
            raise UserError("LibreOffice không tạo được PDF cho: " + ", ".join(missing)
                            + (f" ({proc.stderr.strip()[:200]})" if proc.stderr.strip() else ""))
        return pdfs
    convert = _docx2pdf()
    if convert:
        pdfs = []
        for p in paths:
            target = out_dir / (p.stem + ".pdf")
            try:
                convert(str(p), str(target))
            except Exception as exc:  # noqa: BLE001 - Word missing, busy or refusing: say so, keep the .docx
                raise UserError(f"Microsoft Word không chuyển được “{p.name}” sang PDF ({type(exc).__name__}: "
                                f"{exc}). Các tệp Word (.docx) vẫn đã được tạo.") from exc
            if not target.is_file():
                raise UserError(f"Microsoft Word không tạo được PDF cho “{p.name}”.")
            pdfs.append(target)
        return pdfs
    raise NoConverter("Không chuyển được sang PDF: máy chưa cài LibreOffice (soffice) hoặc Microsoft Word "
                      "với gói docx2pdf. Các tệp Word (.docx) vẫn đã được tạo.")
