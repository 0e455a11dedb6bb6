"""Sending over SMTP: one session per run, TLS, UTF-8 login, retries; what is not sent is kept as .eml."""
from __future__ import annotations

import datetime as dt
import json
import smtplib
import socket
import ssl
import time
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from pathlib import Path
from typing import Callable, Iterable

from ..errors import UserError
from ..text import nfc
from .messages import write_eml
from .records import DRAFT, FAILED, REFUSED, SENT, Delivery, Outgoing, SmtpSettings

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



def log_delivery(log_path: Path | None, run_id: str, mode: str, d: Delivery, out: Outgoing | None) -> None:
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
                d.eml = write_eml(Path(draft_dir), out, used)
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
                d.eml = write_eml(Path(unsent_dir), out, used)
            results.append(d)
            log_delivery(log, run_id, mode, d, out)
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


