"""Email delivery: the documents to the province, each unit its own file — sent or left as drafts.

Nothing is lost: every message that is not accepted by the server is kept as an .eml (which
Outlook and Thunderbird open as a draft) in a folder the result names, and every message gets
a line in a JSON-lines run log. The CLI (`thidua email`) and the Excel button call
`send_documents` / `send_unit_files`; neither holds logic of its own.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import smtplib
import socket
import ssl
import time
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .errors import UserError
from .fileio import atomic_path
from .text import clean, fold, nfc

__all__ = [
    "SmtpSettings", "Delivery", "Attachment", "Outgoing", "DEFAULT_MAX_SIZE", "MailDefaults",
    "send_documents", "send_unit_files", "mail_defaults", "deliver", "collect_attachments",
    "build_messages", "render_templates", "LOG_NAME", "UNSENT_DIR", "DRAFT_DIR",
]

DEFAULT_MAX_SIZE = 10 * 1024 * 1024  # bytes of the encoded message; common limit of government servers
LOG_NAME = "thidua-email.jsonl"
UNSENT_DIR = "chua-gui"
DRAFT_DIR = "ban-nhap"
DOC_SUFFIXES = (".docx", ".pdf", ".xlsx")
UNIT_SUFFIXES = (".xlsx", ".xlsm")
MIME_TYPES = {
    ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".xlsm": ("application", "vnd.ms-excel.sheet.macroEnabled.12"),
    ".pdf": ("application", "pdf"),
    ".doc": ("application", "msword"),
    ".xls": ("application", "vnd.ms-excel"),
}
_EMAIL = re.compile(r"^[^@\s<>;,]+@[^@\s<>;,]+\.[^@\s<>;,]+$")

SENT, REFUSED, FAILED, DRAFT, SKIPPED = "sent", "refused", "failed", "draft", "skipped"
STATUS_VN = {SENT: "đã gửi", REFUSED: "bị từ chối", FAILED: "lỗi", DRAFT: "đã lưu thư nháp",
             SKIPPED: "không gửi được"}


# --- records ---------------------------------------------------------------------
@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the mail server. The password comes from the environment or a prompt, never a file."""

    host: str
    port: int | None = None  # None: 465 for ssl, 587 for starttls, 25 otherwise
    security: str = "starttls"  # "starttls" | "ssl" | "none"
    user: str = ""
    password: str | None = field(default=None, repr=False)
    cafile: str | None = None  # extra certificate(s) to trust, e.g. the Sở's own CA
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)
    timeout: float = 60.0
    retries: int = 3  # extra attempts after a temporary failure (4xx, lost connection)
    retry_delay: float = 2.0  # seconds before the first retry; doubles each time

    @property
    def effective_port(self) -> int:
        if self.port:
            return int(self.port)
        return {"ssl": 465, "starttls": 587}.get(self.security, 25)

    def context(self) -> ssl.SSLContext:
        if self.ssl_context is not None:
            return self.ssl_context
        ctx = ssl.create_default_context()
        if self.cafile:
            ctx.load_verify_locations(cafile=str(self.cafile))
        return ctx


@dataclass(frozen=True)
class Attachment:
    name: str  # NFC file name as the recipient sees it
    data: bytes = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def mime(self) -> tuple[str, str]:
        return MIME_TYPES.get(Path(self.name).suffix.lower(), ("application", "octet-stream"))


@dataclass
class Outgoing:
    """One message to one address (a part of a split set, when the attachments are too big for one)."""

    recipient: str
    message: EmailMessage
    attachments: list[Attachment]
    unit_code: str = ""
    unit: str = ""
    part: int = 1
    parts: int = 1
    error: str = ""  # set when the message cannot be sent at all (a file over the size limit)

    def file_stem(self, with_recipient: bool = False) -> str:
        """`<Mã đơn vị>` or `<address>`, `-phan-i-n` for parts; safe as a Windows file name."""
        from .names import RESERVED as _RESERVED, unit_file_name

        code = Path(unit_file_name(self.unit_code)).stem if self.unit_code else ""  # the name `split` gave its file
        base = code or self.recipient
        if with_recipient and code:
            base = f"{code}-{self.recipient}"
        stem = re.sub(r"[^\w@.+-]+", "_", nfc(base), flags=re.U).strip("._") or "thu"
        if stem.split(".")[0].upper() in _RESERVED:  # CON, NUL…: device names, not files, on Windows
            stem += "_"
        return f"{stem}-phan-{self.part}-{self.parts}" if self.parts > 1 else stem


@dataclass
class Delivery:
    """The outcome for one message (or for a unit that could not get one)."""

    recipient: str
    status: str  # sent | refused | failed | draft | skipped
    answer: str = ""  # the server's answer or the reason, Vietnamese where it is ours
    unit_code: str = ""
    unit: str = ""
    subject: str = ""
    attachments: list[str] = field(default_factory=list)
    part: int = 1
    parts: int = 1
    attempts: int = 0
    eml: Path | None = None  # the draft, or the copy kept because the message was not sent
    message_id: str = ""

    @property
    def ok(self) -> bool:
        return self.status in (SENT, DRAFT)

    def line(self) -> str:
        """One Vietnamese result line for the terminal and the Excel status sheet."""
        who = self.recipient or "(không có email)"
        if self.unit:
            unit = f"{self.unit} ({self.unit_code})" if self.unit != self.unit_code else self.unit
            who = f"{unit} <{self.recipient}>" if self.recipient else unit
        part = f" (phần {self.part}/{self.parts})" if self.parts > 1 else ""
        text = f"{STATUS_VN.get(self.status, self.status)}: {who}{part}"
        if self.attachments:
            text += f" – {len(self.attachments)} tệp"
        if self.answer:
            text += f" – {self.answer}"
        if self.eml is not None:
            text += f" – lưu tại {self.eml}"
        return text

    def to_dict(self) -> dict:
        return {"recipient": self.recipient, "status": self.status, "answer": self.answer,
                "unit_code": self.unit_code, "unit": self.unit, "subject": self.subject,
                "attachments": self.attachments, "part": self.part, "parts": self.parts,
                "attempts": self.attempts, "eml": str(self.eml) if self.eml else None,
                "message_id": self.message_id}


# --- defaults from the master ------------------------------------------------------
@dataclass
class MailDefaults:
    """What the master's `Cấu hình` sheet says (empty strings when it says nothing)."""

    sender: str = ""
    recipients: list[str] = field(default_factory=list)
    host: str = ""
    port: int | None = None
    security: str = ""
    user: str = ""
    year: int | None = None
    context: dict = field(default_factory=dict)  # template variables (co_quan, tinh, ...)


def _security(value: str) -> str:
    v = fold(value)
    if v in ("ssl", "tls", "smtps", "ssl tls"):
        return "ssl"
    if v in ("starttls", "start tls"):
        return "starttls"
    if v in ("khong", "none", "no", "0", "plain"):
        return "none"
    return ""


def mail_defaults(master: str | Path | None) -> MailDefaults:
    """Read sender, recipients and SMTP settings (never a password) from the master's config sheet."""
    from .config import Config

    ctx = {"co_quan": "Sở Y tế", "co_quan_chu_quan": "", "tinh": "", "viet_tat": "", "han_nop": ""}
    if master is None:
        return MailDefaults(context=ctx)
    intake = _read_master(master)
    cfg = Config.from_kv(intake.config)
    raw = cfg.values  # only what the sheet states, so CLI defaults are not masked by built-in ones
    port = None
    if clean(raw.get("smtp_port", "")):
        try:
            port = int(float(clean(raw["smtp_port"])))
        except ValueError:
            raise UserError(f"Cổng SMTP trong trang Cấu hình không hợp lệ: “{raw['smtp_port']}”.") from None
    ctx.update(co_quan=_sentence_case(cfg.get("co_quan_ban_hanh")), co_quan_chu_quan=cfg.get("co_quan_chu_quan"),
               tinh=cfg.get("tinh"), viet_tat=cfg.get("viet_tat_co_quan"), han_nop=cfg.get("han_nop"))
    return MailDefaults(
        sender=clean(raw.get("email_gui", "")),
        recipients=_split_addresses(cfg.get("email_nhan_bao_cao")),
        host=clean(raw.get("smtp_host", "")), port=port,
        security=_security(raw.get("smtp_bao_mat", "")),
        user=clean(raw.get("smtp_user", "")), year=intake.year, context=ctx,
    )


def _sentence_case(name: str) -> str:
    """"SỞ Y TẾ" (as the letterhead writes it) → "Sở Y tế" (as a sentence does)."""
    text = clean(name)
    if not text or text != text.upper():
        return text
    text = text[0] + text[1:].lower()
    return re.sub(r"\by tế\b", "Y tế", text)


_MASTER_CACHE: dict[tuple, object] = {}


def _read_master(master: str | Path):
    """The master's intake, read once per run even when defaults and units both need it."""
    from .intake import read_paths

    path = Path(master)
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp tổng hợp “{path}”.")
    st = path.stat()
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    if key in _MASTER_CACHE:
        return _MASTER_CACHE[key]
    intake = read_paths([path])
    if intake.bad_files:
        raise UserError(" ".join(f.message for f in intake.findings if f.code == "BAD_FILE"))
    _MASTER_CACHE.clear()
    _MASTER_CACHE[key] = intake
    return intake


def _split_addresses(text: str) -> list[str]:
    return [a for a in (clean(x) for x in re.split(r"[;,\s]+", nfc(text))) if a]


# --- templates -----------------------------------------------------------------------
_PACKAGE_TEMPLATES = Path(__file__).parent / "data" / "email"


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
    dirs.append(_PACKAGE_TEMPLATES)
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
    return [_read_attachment(p) for p in files]


def _read_attachment(path: Path) -> Attachment:
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


# --- delivery ----------------------------------------------------------------------
class _Fatal(Exception):
    """A failure that will not go away for the next message (login refused, certificate rejected)."""


class _Temporary(Exception):
    """Worth another try: a 4xx answer, or the connection (connection=True) could not be used."""

    def __init__(self, answer: str, connection: bool = False):
        super().__init__(answer)
        self.connection = connection


class _Permanent(Exception):
    def __init__(self, status: str, answer: str):
        super().__init__(answer)
        self.status, self.answer = status, answer


def _answer(code, resp) -> str:
    text = resp.decode("utf-8", "replace") if isinstance(resp, bytes) else str(resp)
    return f"{code} {' '.join(text.split())}".strip()


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """AUTH PLAIN (else LOGIN) in UTF-8: smtplib's login() cannot send a Vietnamese password."""
    import base64

    if not smtp.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("máy chủ không quảng bá AUTH")
    mechs = smtp.esmtp_features.get("auth", "").upper().split()
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    u, p = nfc(user).encode("utf-8"), nfc(password).encode("utf-8")
    if "PLAIN" in mechs:
        code, resp = smtp.docmd("AUTH", "PLAIN " + b64(b"\0" + u + b"\0" + p))
    elif "LOGIN" in mechs:
        code, resp = smtp.docmd("AUTH", "LOGIN")
        if code == 334:
            code, resp = smtp.docmd(b64(u))
        if code == 334:
            code, resp = smtp.docmd(b64(p))
    else:
        raise smtplib.SMTPNotSupportedError(f"chỉ có {' '.join(mechs) or '(không)'}; cần PLAIN hoặc LOGIN")
    if code not in (235, 503):  # 503: already authenticated
        raise smtplib.SMTPAuthenticationError(code, resp)


class _Connection:
    """One SMTP session for the whole run, reopened after a lost connection."""

    def __init__(self, settings: SmtpSettings):
        self.s = settings
        self.smtp: smtplib.SMTP | None = None

    def open(self) -> smtplib.SMTP:
        if self.smtp is not None:
            return self.smtp
        opened: list[smtplib.SMTP] = []
        try:
            self.smtp = self._open(opened)
            return self.smtp
        except BaseException:
            for smtp in opened:  # a session that failed half-way (TLS, login) is closed, not leaked
                try:
                    smtp.close()
                except Exception:  # noqa: BLE001
                    pass
            raise

    def _open(self, opened: list) -> smtplib.SMTP:
        s = self.s
        try:
            if s.security == "ssl":
                smtp = smtplib.SMTP_SSL(s.host, s.effective_port, timeout=s.timeout, context=s.context())
            else:
                smtp = smtplib.SMTP(s.host, s.effective_port, timeout=s.timeout)
            opened.append(smtp)
            smtp.ehlo()
            if s.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise _Fatal("máy chủ không hỗ trợ STARTTLS (thử --ssl, hoặc hỏi quản trị mạng)")
                smtp.starttls(context=s.context())
                smtp.ehlo()
            if s.user:
                if s.password is None:
                    raise _Fatal("thiếu mật khẩu SMTP")
                _login(smtp, s.user, s.password)
        except ssl.SSLCertVerificationError as exc:
            raise _Fatal(f"chứng chỉ của máy chủ không tin cậy được ({exc.verify_message}); "
                         "dùng --cafile để chỉ định chứng chỉ của Sở") from None
        except ssl.SSLError as exc:
            raise _Fatal(f"không thiết lập được kết nối mã hóa với máy chủ ({exc.reason or exc})") from None
        except smtplib.SMTPAuthenticationError as exc:
            raise _Fatal(f"máy chủ từ chối đăng nhập: {_answer(exc.smtp_code, exc.smtp_error)}") from None
        except smtplib.SMTPNotSupportedError as exc:
            raise _Fatal(f"máy chủ không hỗ trợ đăng nhập (AUTH): {exc}") from None
        except smtplib.SMTPResponseException as exc:
            if 400 <= exc.smtp_code < 500:
                raise _Temporary(_answer(exc.smtp_code, exc.smtp_error), connection=True) from None
            raise _Fatal(_answer(exc.smtp_code, exc.smtp_error)) from None
        except (socket.gaierror,) as exc:
            raise _Fatal(f"không tìm thấy máy chủ “{s.host}” ({exc})") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise _Temporary(f"không kết nối được {s.host}:{s.effective_port} ({exc or type(exc).__name__})",
                             connection=True) from None
        return smtp

    def drop(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.close()
            except Exception:  # noqa: BLE001
                pass
        self.smtp = None

    def quit(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except Exception:  # noqa: BLE001
                pass
        self.smtp = None

    def send(self, sender: str, recipient: str, raw: bytes) -> str:
        smtp = self.open()
        try:
            opts = [f"SIZE={len(raw)}"] if smtp.has_extn("size") else []
            code, resp = smtp.mail(sender, opts)
            if code != 250:
                self._refused(smtp, code, resp, FAILED)
            code, resp = smtp.rcpt(recipient)
            if code not in (250, 251):
                self._refused(smtp, code, resp, REFUSED)
            code, resp = smtp.data(raw)
            if code != 250:
                self._refused(smtp, code, resp, FAILED)
            return _answer(code, resp)
        except (_Permanent, _Temporary, _Fatal):
            raise
        except smtplib.SMTPResponseException as exc:  # DATA refused mid-way, or 421 closing
            self.drop()
            if 400 <= exc.smtp_code < 500:
                raise _Temporary(_answer(exc.smtp_code, exc.smtp_error)) from None
            raise _Permanent(FAILED, _answer(exc.smtp_code, exc.smtp_error)) from None
        except (OSError, smtplib.SMTPException) as exc:
            self.drop()
            raise _Temporary(f"mất kết nối với máy chủ ({exc or type(exc).__name__})", connection=True) from None

    def _refused(self, smtp, code: int, resp, status: str):
        """Classify an answer: 4xx try again, login required/refused stop the run, other 5xx this message only."""
        try:
            smtp.rset()
        except (OSError, smtplib.SMTPException):
            self.drop()
        if code == 421:  # the server is closing this session: the retry opens a new one
            self.drop()
        answer = _answer(code, resp)
        if 400 <= code < 500:
            raise _Temporary(answer)
        if code in (530, 535, 538):
            raise _Fatal(answer)
        raise _Permanent(status, answer)


def _envelope_sender(msg: EmailMessage, fallback: str) -> str:
    if fallback:
        return fallback
    frm = msg["From"]
    return frm.addresses[0].addr_spec if frm is not None and frm.addresses else ""


def _write_eml(folder: Path, out: Outgoing, used: set[str]) -> Path:
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


def _log(log_path: Path | None, run_id: str, mode: str, d: Delivery, out: Outgoing | None) -> None:
    if log_path is None:
        return
    entry = {"time": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "run": run_id, "mode": mode,
             **d.to_dict()}
    if out is not None:
        entry["files"] = [{"name": a.name, "size": a.size, "sha256": a.sha256} for a in out.attachments]
        entry["bytes"] = len(out.message.as_bytes())
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
    except OSError:
        pass


def deliver(outgoing: Iterable[Outgoing], *, mode: str = "draft", smtp: SmtpSettings | None = None,
            sender: str = "", draft_dir: str | Path | None = None, unsent_dir: str | Path | None = None,
            log_path: str | Path | None = None, on_result: Callable[[Delivery], None] | None = None,
            sleep: Callable[[float], None] = time.sleep) -> list[Delivery]:
    """Write drafts or send over SMTP; whatever is not sent ends as an .eml in unsent_dir."""
    if mode not in ("draft", "send"):
        raise UserError(f"Chế độ gửi không hợp lệ: “{mode}” (draft hoặc send).")
    outgoing = list(outgoing)
    if mode == "draft" and draft_dir is None:
        raise UserError("Cần thư mục lưu thư nháp (--draft THU_MUC).")
    if mode == "send":
        if smtp is None or not smtp.host:
            raise UserError("Cần máy chủ SMTP (--smtp-host) để gửi thư.")
        if unsent_dir is None:
            raise UserError("Cần thư mục lưu thư chưa gửi được.")
    log = Path(log_path) if log_path else None
    run_id = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    conn = _Connection(smtp) if mode == "send" else None
    fatal: str | None = None
    used: set[str] = set()
    results: list[Delivery] = []
    try:
        for out in outgoing:
            msg = out.message
            d = Delivery(out.recipient, DRAFT, unit_code=out.unit_code, unit=out.unit, subject=str(msg["Subject"]),
                         attachments=[a.name for a in out.attachments], part=out.part, parts=out.parts,
                         message_id=str(msg["Message-ID"] or ""))
            if mode == "draft":
                d.eml = _write_eml(Path(draft_dir), out, used)
                if out.error:
                    d.status, d.answer = FAILED, out.error
            elif out.error:
                d.status, d.answer = FAILED, out.error
            elif fatal is not None:
                d.status, d.answer = FAILED, f"không gửi (lỗi trước đó: {fatal})"
            else:
                d.status, d.answer, d.attempts, is_fatal = _send_with_retry(
                    conn, smtp, _envelope_sender(msg, sender), out, sleep)
                if is_fatal:
                    fatal = d.answer
            if mode == "send" and d.status != SENT:
                d.eml = _write_eml(Path(unsent_dir), out, used)
            results.append(d)
            _log(log, run_id, mode, d, out)
            if on_result:
                on_result(d)
    finally:
        if conn is not None:
            conn.quit()
    return results


def _send_with_retry(conn: _Connection, s: SmtpSettings, sender: str, out: Outgoing,
                     sleep: Callable[[float], None]) -> tuple[str, str, int, bool]:
    raw = out.message.as_bytes(policy=SMTP_POLICY)
    attempts = 0
    last = ""
    connection = False
    for attempt in range(max(0, s.retries) + 1):
        attempts += 1
        try:
            return SENT, conn.send(sender, out.recipient, raw), attempts, False
        except _Temporary as exc:
            last, connection = str(exc), exc.connection
            if attempt < s.retries:
                sleep(s.retry_delay * (2 ** attempt))
        except _Permanent as exc:
            return exc.status, exc.answer, attempts, False
        except _Fatal as exc:
            return FAILED, str(exc), attempts, True
    # a server still unreachable after every retry: the next messages would only wait as long
    return FAILED, f"{last} (đã thử {attempts} lần)", attempts, connection


# --- the two jobs --------------------------------------------------------------------
def _check_address(addr: str) -> bool:
    return bool(_EMAIL.match(addr)) and addr.isascii()


def _sender(given: str, defaults: MailDefaults, mode: str) -> str:
    """--from, else the config sheet's; required (and checked) before anything is built or sent."""
    sender = clean(given) or defaults.sender
    if sender and not _check_address(sender):
        raise UserError(f"Địa chỉ người gửi không hợp lệ: “{sender}”.")
    if mode == "send" and not sender:
        raise UserError("Cần địa chỉ người gửi (--from, hoặc “Email người gửi” trong trang Cấu hình).")
    return sender


def _context(defaults: MailDefaults, year: int | None, **extra) -> dict:
    y = year or defaults.year or (dt.date.today().year - 1)
    return {**defaults.context, "nam": y, "ngay": dt.date.today().strftime("%d/%m/%Y"), **extra}


def _folders(mode: str, base: Path, draft_dir, unsent_dir) -> tuple[Path | None, Path, Path]:
    drafts = Path(draft_dir) if draft_dir is not None else base / DRAFT_DIR
    unsent = Path(unsent_dir) if unsent_dir is not None else base / UNSENT_DIR
    log_folder = drafts if mode == "draft" else base
    return (drafts if mode == "draft" else None), unsent, log_folder / LOG_NAME


def send_documents(docs_dir: str | Path, recipients: Sequence[str] | None = None, *, mode: str = "draft",
                   smtp: SmtpSettings | None = None, sender: str = "", subject: str | None = None,
                   draft_dir: str | Path | None = None, unsent_dir: str | Path | None = None,
                   master: str | Path | None = None, year: int | None = None,
                   max_size: int | None = DEFAULT_MAX_SIZE, templates: str | Path | None = None,
                   on_result: Callable[[Delivery], None] | None = None,
                   sleep: Callable[[float], None] = time.sleep, everything: bool = False) -> list[Delivery]:
    """One message per recipient with every .docx/.pdf/.xlsx of docs_dir attached, except (unless
    everything) the Sở's internal documents the tool wrote there (see is_internal).

    recipients/sender default to the master's `Cấu hình` sheet; drafts go to draft_dir
    (default `<docs_dir>/ban-nhap`), unsent messages to unsent_dir (default `<docs_dir>/chua-gui`).
    """
    docs_dir = Path(docs_dir)
    defaults = mail_defaults(master)
    from email.utils import parseaddr

    typed = [clean(r) for r in (recipients or defaults.recipients) if clean(r)]
    rcpts = {}  # address -> display name; "Sở Nội vụ <snv@…>" is accepted too
    for r in typed:
        name, addr = parseaddr(r)
        rcpts.setdefault(addr or r, name)
    if not rcpts:
        raise UserError("Chưa có người nhận: dùng --to ĐỊA_CHỈ (hoặc điền “Email nhận văn bản” trong trang Cấu hình).")
    bad = [r for r in rcpts if not _check_address(r)]
    if bad:
        raise UserError("Địa chỉ email không hợp lệ: " + ", ".join(f"“{b}”" for b in bad) + ".")
    sender = _sender(sender, defaults, mode)
    atts = collect_attachments(docs_dir)
    if not everything:
        atts = [a for a in atts if not is_internal(a.name)]
    if not atts:
        raise UserError(f"Thư mục “{docs_dir}” không có tệp .docx, .pdf hay .xlsx nào để gửi.")
    ctx = _context(defaults, year, tep=[a.name for a in atts], so_tep=len(atts))
    subj, body = render_templates("van-ban", ctx, templates)
    subj = clean(subject) or subj
    outgoing = []
    for r, name in rcpts.items():
        outgoing += build_messages(r, atts, subj, body, sender=sender, name=name, max_size=max_size)
    too_big = [o for o in outgoing if o.error]
    if too_big:
        raise UserError(f"Không gửi: {too_big[0].error}.")
    drafts, unsent, log = _folders(mode, docs_dir, draft_dir, unsent_dir)
    return deliver(outgoing, mode=mode, smtp=smtp, sender=sender, draft_dir=drafts, unsent_dir=unsent,
                   log_path=log, on_result=on_result, sleep=sleep)


def send_unit_files(master: str | Path, split_dir: str | Path, *, mode: str = "draft",
                    smtp: SmtpSettings | None = None, sender: str = "", subject: str | None = None,
                    draft_dir: str | Path | None = None, unsent_dir: str | Path | None = None,
                    year: int | None = None, max_size: int | None = DEFAULT_MAX_SIZE,
                    templates: str | Path | None = None, units: Sequence[str] | None = None,
                    on_result: Callable[[Delivery], None] | None = None,
                    sleep: Callable[[float], None] = time.sleep, kind: str = "don-vi", attach: bool = True,
                    extra: dict | None = None) -> list[Delivery]:
    """Each unit of the master's `Đơn vị` sheet gets `<Mã đơn vị>.xlsx` of split_dir at its email.

    A unit with no email, a bad one or no file is a `skipped` Delivery (listed, never silent).
    Several addresses in a unit's Email cell (separated by ; or ,) each get their own message.
    `units` limits the run to those unit codes. `kind` names the templates (`don-vi`: the file to
    fill, `phan-hoi`: what to fix, `nhac-nop`: a reminder, sent with `attach=False`); `extra` adds
    template variables (the deadline of a reminder).
    """
    from .names import unit_file_name

    split_dir = Path(split_dir)
    if attach and not split_dir.is_dir():
        raise UserError(f"Không tìm thấy thư mục tệp đơn vị “{split_dir}”.")
    intake = _read_master(master)
    defaults = mail_defaults(master)
    if intake.units.empty:
        raise UserError(f"Tệp “{Path(master).name}” không có trang “Đơn vị” với danh sách đơn vị.")
    sender = _sender(sender, defaults, mode)
    files = {}
    for p in sorted(split_dir.iterdir() if attach else [],
                    key=lambda p: (p.name.lower() != p.stem.lower() + ".xlsx", p.name)):
        if p.is_file() and p.suffix.lower() in UNIT_SUFFIXES and not p.name.startswith("~$"):
            files.setdefault(nfc(p.stem).casefold(), p)
    wanted = {nfc(clean(u)).casefold(): clean(u) for u in units} if units else None
    drafts, unsent, log = _folders(mode, split_dir, draft_dir, unsent_dir)
    pre: list[Delivery] = []
    outgoing: list[Outgoing] = []
    for code, name, email in zip(intake.units["unit_code"], intake.units["unit"], intake.units["email"]):
        code, name = clean(code), clean(name)
        if wanted is not None and nfc(code).casefold() not in wanted:
            continue
        addrs = _split_addresses(email or "")
        path = files.get(nfc(Path(unit_file_name(code)).stem).casefold()) or files.get(nfc(code).casefold())
        problem = ""
        if not addrs:
            problem = "đơn vị chưa có email trong trang Đơn vị"
        elif [a for a in addrs if not _check_address(a)]:
            problem = "email không hợp lệ: " + ", ".join(a for a in addrs if not _check_address(a))
        if path is None and attach:
            problem = (problem + "; " if problem else "") + f"không có tệp {unit_file_name(code)} trong {split_dir}"
        if problem:
            pre.append(Delivery(", ".join(addrs), SKIPPED, problem, unit_code=code, unit=name))
            continue
        atts = [_read_attachment(path)] if attach else []
        ctx = _context(defaults, year, don_vi=name, ma_don_vi=code, tep=[a.name for a in atts], so_tep=len(atts),
                       **(extra or {}))
        subj, body = render_templates(kind, ctx, templates)
        subj = clean(subject) or subj
        for a in addrs:
            outgoing += build_messages(a, atts, subj, body, sender=sender, name=name, unit_code=code,
                                       max_size=max_size)
    if wanted is not None:
        known = {nfc(clean(c)).casefold() for c in intake.units["unit_code"]}
        for key, u in wanted.items():
            if key not in known:
                pre.append(Delivery("", SKIPPED, "không có đơn vị mã này trong trang Đơn vị", unit_code=u, unit=u))
    run_id = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    for d in pre:
        _log(log, run_id, mode, d, None)
        if on_result:
            on_result(d)
    return pre + deliver(outgoing, mode=mode, smtp=smtp, sender=sender, draft_dir=drafts, unsent_dir=unsent,
                         log_path=log, on_result=on_result, sleep=sleep)
