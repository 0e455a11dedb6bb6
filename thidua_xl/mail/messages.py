"""Building the messages: templates, attachments, the split into parts under a size limit, .eml drafts."""
from __future__ import annotations

import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Sequence

from ..errors import UserError
from ..fileio import atomic_path
from ..text import nfc
from .records import DEFAULT_MAX_SIZE, DOC_SUFFIXES, Attachment, Outgoing

# --- templates -----------------------------------------------------------------------
PACKAGE_TEMPLATES = Path(__file__).resolve().parents[1] / "data" / "email"


def _template_dirs(templates: str | Path | None) -> list[Path]:
    """User folder given, else `templates/email` of the working folder, then the packaged defaults."""
    dirs = []
    if templates is not None:
        if not Path(templates).is_dir():
            raise UserError(f"Không tìm thấy thư mục mẫu email “{templates}”.")
        dirs.append(Path(templates))
    local = Path.cwd() / "templates" / "email"
    if local.is_dir():
        dirs.append(local)
    dirs.append(PACKAGE_TEMPLATES)
    return dirs


def render_templates(kind: str, context: dict, templates: str | Path | None = None) -> tuple[str, str]:
    """(subject, body) from `<kind>.subject.j2` / `<kind>.body.j2`, rendered in a Jinja sandbox."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(loader=jinja2.FileSystemLoader([str(d) for d in _template_dirs(templates)]),
                               undefined=jinja2.StrictUndefined, autoescape=False,
                               keep_trailing_newline=False, trim_blocks=True, lstrip_blocks=True)
    out = []
    for part in ("subject", "body"):
        name = f"{kind}.{part}.j2"
        try:
            out.append(nfc(env.get_template(name).render(**context)))
        except jinja2.TemplateNotFound:
            raise UserError(f"Không tìm thấy mẫu email “{name}”.") from None
        except jinja2.TemplateSyntaxError as exc:
            raise UserError(f"Mẫu email “{name}” sai cú pháp ở dòng {exc.lineno}: {exc.message}") from None
        except jinja2.exceptions.SecurityError as exc:
            raise UserError(f"Mẫu email “{name}” dùng lệnh không được phép: {exc}") from None
        except jinja2.UndefinedError as exc:
            raise UserError(f"Mẫu email “{name}” dùng biến không có: {exc.message}") from None
    subject = " ".join(out[0].split())
    body = out[1].strip() + "\n"
    return subject, body


# --- building messages -------------------------------------------------------------
# What `thidua report` writes that is not addressed to the province: the Sở's own decisions, the
# Hội đồng's minutes, next year's công văn to the units, the reconciliation, the tờ trình to Bộ Y tế.
_INTERNAL = re.compile(r"^(Quyet-dinh-|Cong-van-phat-dong-|Bien-ban-Hoi-dong-TDKT-|To-trinh-Bo-Y-te-|doi-chieu\.)",
                       re.I)


def is_internal(name: str) -> bool:
    return bool(_INTERNAL.match(name))


def collect_attachments(folder: str | Path, suffixes: Sequence[str] = DOC_SUFFIXES) -> list[Attachment]:
    """Every document of the folder (not sub-folders, not Office's `~$` owner files), sorted by name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(f"Không tìm thấy thư mục “{folder}”.")
    files = sorted((p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in suffixes
                    and not p.name.startswith("~$")), key=lambda p: nfc(p.name))
    return [read_attachment(p) for p in files]


def read_attachment(path: Path) -> Attachment:
    try:
        return Attachment(nfc(path.name), path.read_bytes())
    except PermissionError:
        raise UserError(f"Không đọc được tệp “{path.name}”: tệp đang mở hoặc bị khóa, hãy đóng tệp rồi chạy lại.") from None
    except OSError as exc:
        raise UserError(f"Không đọc được tệp “{path.name}”: {exc.strerror or exc}.") from None


def _encoded_size(n: int) -> int:
    b64 = (n + 2) // 3 * 4
    return b64 + (b64 + 75) // 76 * 2


def _part_overhead(att: Attachment) -> int:
    return 400 + 3 * len(att.name.encode("utf-8"))


def _human(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB".replace(".", ",") if n >= 1024 * 1024 else f"{max(n, 1) // 1024 or 1} KB"


def _address(addr: str, name: str = "") -> Address:
    local, _, domain = addr.partition("@")
    return Address(display_name=name or "", username=local, domain=domain)


def _new_message(sender: str, recipient: str, name: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage(policy=SMTP_POLICY)
    if sender:
        msg["From"] = _address(sender)
    msg["To"] = _address(recipient, name)
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    domain = sender.partition("@")[2] if sender else None
    msg["Message-ID"] = make_msgid(domain=domain or None)
    msg.set_content(body, cte="base64")  # 7-bit safe: some relays lack 8BITMIME
    return msg


def _attach(msg: EmailMessage, att: Attachment) -> None:
    """The name goes out per RFC 2231 (`filename*=utf-8''…`, continued when long): Outlook, Thunderbird, Gmail read it."""
    msg.add_attachment(att.data, *att.mime, filename=att.name)


def build_messages(recipient: str, attachments: list[Attachment], subject: str, body: str, *,
                   sender: str = "", name: str = "", unit_code: str = "",
                   max_size: int | None = DEFAULT_MAX_SIZE) -> list[Outgoing]:
    """One message, or several "(phần i/n)" when the attachments together exceed max_size bytes.

    A file that alone does not fit makes an Outgoing with `error` set: it is kept, not sent.
    """
    base = len(_new_message(sender, recipient, name, subject + " (phần 10/10)", body).as_bytes())
    groups: list[list[Attachment]] = []
    oversized: list[Attachment] = []
    if not max_size:
        groups = [list(attachments)]
    else:
        size = base
        current: list[Attachment] = []
        for att in attachments:
            need = _encoded_size(att.size) + _part_overhead(att)
            if base + need > max_size:
                oversized.append(att)
                continue
            if current and size + need > max_size:
                groups.append(current)
                current, size = [], base
            current.append(att)
            size += need
        if current or not groups:
            groups.append(current)
    if oversized:
        names = ", ".join(f"“{a.name}” ({_human(a.size)})" for a in oversized)
        msg = _new_message(sender, recipient, name, subject, body)
        for att in attachments:
            _attach(msg, att)
        return [Outgoing(recipient, msg, list(attachments), unit_code, name, error=(
            f"tệp {names} vượt giới hạn {_human(max_size)} của một thư; không thể gửi, "
            f"hãy nén hoặc chia nhỏ tệp, hoặc tăng --max-size"))]
    n = len(groups)
    out = []
    for i, group in enumerate(groups, 1):
        subj = f"{subject} (phần {i}/{n})" if n > 1 else subject
        part_body = body if n == 1 else body.rstrip("\n") + f"\n\n(Thư phần {i}/{n}, kèm {len(group)} tệp.)\n"
        msg = _new_message(sender, recipient, name, subj, part_body)
        for att in group:
            _attach(msg, att)
        out.append(Outgoing(recipient, msg, group, unit_code, name, part=i, parts=n))
    return out


def write_eml(folder: Path, out: Outgoing, used: set[str]) -> Path:
    """Save as a draft Outlook and Thunderbird open for editing and sending (X-Unsent: 1).

    `used` holds the names written in this run, so two messages never share a file.
    """
    msg = out.message
    del msg["X-Unsent"]
    msg["X-Unsent"] = "1"
    stem = out.file_stem()
    if stem.casefold() in used:
        stem = out.file_stem(with_recipient=True)
    base, n = stem, 1
    while stem.casefold() in used:
        n += 1
        stem = f"{base}-{n}"
    used.add(stem.casefold())
    path = folder / f"{stem}.eml"
    try:
        with atomic_path(path) as tmp:
            tmp.write_bytes(msg.as_bytes(policy=SMTP_POLICY))
    finally:
        del msg["X-Unsent"]
    return path

