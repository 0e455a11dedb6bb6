"""The records of a mail run: server settings, attachments, outgoing messages, outcomes."""
from __future__ import annotations

import hashlib
import re
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from ..text import nfc

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
        from ..names import RESERVED as _RESERVED, unit_file_name

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


