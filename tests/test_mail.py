"""Email delivery against a real SMTP server (aiosmtpd on 127.0.0.1), and drafts read back."""
from __future__ import annotations

import datetime as dt
import email
import hashlib
import io
import ipaddress
import json
import os
import socket
import ssl
import subprocess
import sys
import unicodedata
from email import policy
from pathlib import Path

import pytest

pytest.importorskip("aiosmtpd")
from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402

from thidua_xl import mail  # noqa: E402
from thidua_xl.cli import main  # noqa: E402
from thidua_xl.errors import UserError  # noqa: E402

DOCX_NAME = "Báo cáo tổng kết năm 2025.docx"
PDF_NAME = "Quyết định khen thưởng – đợt 1.pdf"
XLSX_NAME = "Tổng hợp đề nghị.xlsx"
TINY = dict(retries=2, retry_delay=0.01, timeout=10)


# --- a real SMTP server ------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    """Keeps every accepted message; refuses some recipients for good, others once (451)."""

    def __init__(self, refuse=(), flaky=(), always_busy=()):
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.refuse, self.flaky, self.always_busy = set(refuse), set(flaky), set(always_busy)
        self.rcpt_tries: dict[str, int] = {}
        self.auth_logins: list[str] = []
        self.close_first_data, self.closed = False, False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_tries[address] = self.rcpt_tries.get(address, 0) + 1
        if address in self.refuse:
            return "550 5.1.1 Hộp thư không tồn tại"
        if address in self.always_busy or (address in self.flaky and self.rcpt_tries[address] == 1):
            return "451 4.3.0 Máy chủ đang bận, thử lại sau"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.close_first_data and not self.closed:
            self.closed = True
            return "421 4.3.2 Hệ thống đang bảo trì, đóng kết nối"
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content or envelope.content))
        return "250 2.0.0 Đã nhận"

    def parsed(self):
        return [(rcpts, email.message_from_bytes(raw, policy=policy.default)) for _, rcpts, raw in self.messages]


@pytest.fixture
def server():
    """Start an aiosmtpd server; yields a factory (handler, **smtp kwargs) -> (handler, port)."""
    started = []

    def start(handler=None, **kwargs):
        handler = handler or Recorder()
        port = _free_port()
        ctl = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
        ctl.start()
        started.append(ctl)
        return handler, port

    yield start
    for ctl in started:
        ctl.stop()


def _self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 made here: with `cryptography` when installed, else the openssl CLI."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID
    except ImportError:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(cert)],
                       check=True, capture_output=True)
        return cert, key
    pk = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    crt = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(pk.public_key())
           .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
           .not_valid_after(now + dt.timedelta(days=2))
           .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                       x509.DNSName("localhost")]), critical=False)
           .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
           .sign(pk, hashes.SHA256()))
    cert.write_bytes(crt.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(pk.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                     serialization.NoEncryption()))
    return cert, key


# --- inputs --------------------------------------------------------------------------
def _docs(folder: Path, sizes=(30_000, 20_000, 10_000)) -> dict[str, str]:
    """Three documents with Vietnamese names (random bytes), plus files that must not be attached."""
    folder.mkdir(parents=True, exist_ok=True)
    hashes = {}
    for name, size in zip((DOCX_NAME, PDF_NAME, XLSX_NAME), sizes):
        data = os.urandom(size)
        (folder / name).write_bytes(data)
        hashes[name] = hashlib.sha256(data).hexdigest()
    (folder / "ghi chú.txt").write_text("không gửi", encoding="utf-8")
    (folder / f"~${DOCX_NAME}").write_bytes(b"owner file")
    return hashes


def _attachments(msg) -> dict[str, str]:
    return {unicodedata.normalize("NFC", p.get_filename()): hashlib.sha256(p.get_content()).hexdigest()
            for p in msg.iter_attachments()}


def _master(path: Path, units, config=None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Đơn vị"
    ws.append(["Mã đơn vị", "Tên đơn vị", "Email"])
    for row in units:
        ws.append(list(row))
    cfg = wb.create_sheet("Cấu hình")
    cfg.append(["Năm", "2025"])
    for k, v in (config or {}).items():
        cfg.append([k, v])
    wb.save(path)
    return path


def _run(args, capsys):
    """Exit code and output; rich may wrap long error messages, so callers get lines as printed."""
    code = main(args)
    out = capsys.readouterr()
    return code, out.out + out.err


def _flat(text: str) -> str:
    return " ".join(text.split())


def _log_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- sending documents -------------------------------------------------------------------
def test_documents_arrive_byte_identical_with_vietnamese_names(tmp_path, server):
    rec, port = server()
    hashes = _docs(tmp_path / "vb")
    seen = []
    results = mail.send_documents(tmp_path / "vb", ["snv@laocai.gov.vn", "tdkt@laocai.gov.vn"], mode="send",
                                  smtp=mail.SmtpSettings("127.0.0.1", port, security="none", **TINY),
                                  sender="tdkt.syt@laocai.gov.vn", on_result=seen.append)
    assert [d.status for d in results] == ["sent", "sent"] and seen == results
    assert all(d.answer.startswith("250") for d in results)
    got = rec.parsed()
    assert sorted(r[0] for rcpts, _ in got for r in [rcpts]) == ["snv@laocai.gov.vn", "tdkt@laocai.gov.vn"]
    for rcpts, msg in got:
        assert _attachments(msg) == hashes  # names intact, bytes identical, no .txt, no ~$ file
        assert msg["X-Unsent"] is None
        assert "Sở Y tế" in msg["Subject"] and "2025" in msg["Subject"]
        assert msg["To"].addresses[0].addr_spec == rcpts[0]
        types = {p.get_filename(): p.get_content_type() for p in msg.iter_attachments()}
        assert types[DOCX_NAME] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        assert types[PDF_NAME] == "application/pdf"
        assert types[XLSX_NAME] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert "Báo cáo tổng kết năm 2025.docx" in msg.get_body(("plain",)).get_content()
    raw = rec.messages[0][2].decode("ascii")  # 7-bit clean on the wire
    assert "filename*0*=utf-8''B%C3%A1o%20c%C3%A1o%20t%E1%BB%95ng%20k%E1%BA%BFt" in raw  # RFC 2231
    assert "Báo" not in raw and "B=C3=A1o" not in raw
    log = _log_lines(tmp_path / "vb" / mail.LOG_NAME)
    assert [e["status"] for e in log] == ["sent", "sent"]
    assert {f["sha256"] for f in log[0]["files"]} == set(hashes.values())
    assert not (tmp_path / "vb" / mail.UNSENT_DIR).exists()


def test_refused_recipient_reported_others_delivered_cli(tmp_path, server, capsys):
    rec, port = server(Recorder(refuse={"sai@laocai.gov.vn"}))
    hashes = _docs(tmp_path / "vb")
    code, out = _run(["email", "--docs", str(tmp_path / "vb"), "--to", "a@laocai.gov.vn", "--to", "sai@laocai.gov.vn",
                      "--to", "b@laocai.gov.vn", "--send", "--smtp-host", "127.0.0.1", "--smtp-port", str(port),
                      "--no-tls", "--from", "syt@laocai.gov.vn", "--retry-delay", "0.01"], capsys)
    assert code == 1
    assert sorted(r[0] for r, _ in rec.parsed()) == ["a@laocai.gov.vn", "b@laocai.gov.vn"]
    assert "bị từ chối: sai@laocai.gov.vn" in out and "550" in out and "Hộp thư không tồn tại" in out
    assert out.count("đã gửi:") == 2
    assert rec.rcpt_tries["sai@laocai.gov.vn"] == 1  # a permanent refusal is not retried
    kept = tmp_path / "vb" / "chua-gui" / "sai@laocai.gov.vn.eml"
    assert kept.is_file() and str(kept.parent) in out
    msg = email.message_from_bytes(kept.read_bytes(), policy=policy.default)
    assert msg["X-Unsent"] == "1" and _attachments(msg) == hashes
    assert [e["status"] for e in _log_lines(tmp_path / "vb" / mail.LOG_NAME)] == ["sent", "refused", "sent"]
    audit = (tmp_path / "vb" / "thidua-audit.jsonl").read_text(encoding="utf-8")
    assert '"command": "email"' in audit and '"exit_code": 1' in audit


def test_temporary_failure_retried_with_backoff(tmp_path, server):
    rec, port = server(Recorder(flaky={"a@laocai.gov.vn"}, always_busy={"ban@laocai.gov.vn"}))
    _docs(tmp_path / "vb")
    delays = []
    results = mail.send_documents(tmp_path / "vb", ["a@laocai.gov.vn", "ban@laocai.gov.vn"], mode="send",
                                  smtp=mail.SmtpSettings("127.0.0.1", port, security="none", retries=3, retry_delay=0.01),
                                  sender="syt@laocai.gov.vn", sleep=delays.append)
    ok, busy = results
    assert ok.status == "sent" and ok.attempts == 2 and rec.rcpt_tries["a@laocai.gov.vn"] == 2
    assert busy.status == "failed" and busy.attempts == 4 and "451" in busy.answer and "4 lần" in busy.answer
    assert delays == [0.01, 0.01, 0.02, 0.04]  # exponential back-off
    assert busy.eml == tmp_path / "vb" / "chua-gui" / "ban@laocai.gov.vn.eml" and busy.eml.is_file()
    assert [r for r, _ in rec.parsed()] == [["a@laocai.gov.vn"]]


def test_session_closed_by_server_is_reopened(tmp_path, server):
    rec = Recorder()
    rec.close_first_data = True
    rec, port = server(rec)
    hashes = _docs(tmp_path / "vb")
    results = mail.send_documents(tmp_path / "vb", ["a@x.vn", "b@x.vn"], mode="send", sender="s@x.vn",
                                  smtp=mail.SmtpSettings("127.0.0.1", port, security="none", **TINY))
    assert [(d.status, d.attempts) for d in results] == [("sent", 2), ("sent", 1)]
    assert [r for r, _ in rec.parsed()] == [["a@x.vn"], ["b@x.vn"]]
    assert all(_attachments(m) == hashes for _, m in rec.parsed())


def test_server_unreachable_keeps_every_message(tmp_path):
    _docs(tmp_path / "vb")
    port = _free_port()  # nothing listens there
    delays = []
    results = mail.send_documents(tmp_path / "vb", ["a@x.vn", "b@x.vn"], mode="send",
                                  smtp=mail.SmtpSettings("127.0.0.1", port, security="none", retries=2, retry_delay=0.01),
                                  sender="syt@x.vn", unsent_dir=tmp_path / "giu-lai", sleep=delays.append)
    assert [d.status for d in results] == ["failed", "failed"]
    assert results[0].attempts == 3 and "không kết nối được" in results[0].answer
    assert results[1].attempts == 0 and "lỗi trước đó" in results[1].answer  # no second round of waiting
    assert len(delays) == 2
    assert sorted(p.name for p in (tmp_path / "giu-lai").iterdir()) == ["a@x.vn.eml", "b@x.vn.eml"]


# --- TLS and AUTH -------------------------------------------------------------------------
def _tls_server(server, tmp_path):
    cert, key = _self_signed(tmp_path)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    rec = Recorder()

    def authenticator(srv, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"tdkt" and auth_data.password == "Mật-khẩu 2025!".encode()
        if ok:
            rec.auth_logins.append(auth_data.login.decode())
        return AuthResult(success=ok, handled=False)  # False: the server answers 535

    rec, port = server(rec, tls_context=ctx, require_starttls=True, authenticator=authenticator,
                       auth_required=True, auth_require_tls=True)
    return rec, port, cert


def test_starttls_self_signed_and_auth_password_from_env(tmp_path, server, capsys, monkeypatch):
    rec, port, cert = _tls_server(server, tmp_path)
    hashes = _docs(tmp_path / "vb")
    monkeypatch.setenv("THIDUA_SMTP_PW", "Mật-khẩu 2025!")
    base = ["email", "--docs", str(tmp_path / "vb"), "--to", "snv@laocai.gov.vn", "--send", "--smtp-host", "127.0.0.1",
            "--smtp-port", str(port), "--starttls", "--user", "tdkt", "--password-env", "THIDUA_SMTP_PW",
            "--from", "tdkt@laocai.gov.vn", "--retry-delay", "0.01"]
    code, out = _run(base + ["--cafile", str(cert)], capsys)
    assert code == 0, out
    assert rec.auth_logins == ["tdkt"]
    (rcpts, msg), = rec.parsed()
    assert rcpts == ["snv@laocai.gov.vn"] and _attachments(msg) == hashes
    assert "Mật-khẩu" not in out

    # without trusting the certificate: refused once (no retries), message kept
    code, out = _run(base, capsys)
    assert code == 1 and "chứng chỉ" in out and len(rec.messages) == 1
    assert (tmp_path / "vb" / "chua-gui" / "snv@laocai.gov.vn.eml").is_file()


def test_implicit_tls_port(tmp_path, server, capsys):
    cert, key = _self_signed(tmp_path)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    rec, port = server(ssl_context=ctx)
    hashes = _docs(tmp_path / "vb")
    code, out = _run(["email", "--docs", str(tmp_path / "vb"), "--to", "a@x.vn", "--send", "--ssl", "--cafile", str(cert),
                      "--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--from", "s@x.vn"], capsys)
    assert code == 0, out
    (_, msg), = rec.parsed()
    assert _attachments(msg) == hashes


def test_wrong_password_and_missing_password(tmp_path, server, capsys, monkeypatch):
    rec, port, cert = _tls_server(server, tmp_path)
    _docs(tmp_path / "vb")
    smtp = mail.SmtpSettings("127.0.0.1", port, security="starttls", user="tdkt", password="Sai-Mat-Khau-9", cafile=str(cert), **TINY)
    results = mail.send_documents(tmp_path / "vb", ["a@x.vn", "b@x.vn"], mode="send", smtp=smtp, sender="s@x.vn")
    assert [d.status for d in results] == ["failed", "failed"]
    assert "535" in results[0].answer and results[0].attempts == 1 and results[1].attempts == 0
    assert "Sai-Mat-Khau-9" not in repr(smtp) + json.dumps([d.to_dict() for d in results])
    assert not rec.messages

    args = ["email", "--docs", str(tmp_path / "vb"), "--to", "a@x.vn", "--send", "--smtp-host", "127.0.0.1",
            "--smtp-port", str(port), "--user", "tdkt", "--from", "s@x.vn"]
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal: no prompt
    code, out = _run(args, capsys)
    assert code == 2 and "--password-env" in _flat(out) and "Traceback" not in out
    code, out = _run(args + ["--password-env", "THIDUA_KHONG_CO"], capsys)
    assert code == 2 and "THIDUA_KHONG_CO" in _flat(out)
    code, out = _run(args + ["--password", "x"], capsys)  # no way to give it on the command line
    assert code == 2


# --- drafts ---------------------------------------------------------------------------------
def test_drafts_parse_back_with_same_attachments(tmp_path, capsys):
    hashes = _docs(tmp_path / "vb")
    code, out = _run(["email", "--docs", str(tmp_path / "vb"), "--to", "snv@laocai.gov.vn", "--to", "tdkt@laocai.gov.vn",
                      "--from", "syt@laocai.gov.vn", "--subject", "Gửi báo cáo tổng kết năm 2025"], capsys)
    assert code == 0, out
    folder = tmp_path / "vb" / "ban-nhap"
    emls = sorted(folder.glob("*.eml"))
    assert [p.name for p in emls] == ["snv@laocai.gov.vn.eml", "tdkt@laocai.gov.vn.eml"]
    for p in emls:
        msg = email.message_from_bytes(p.read_bytes(), policy=policy.default)
        assert msg["X-Unsent"] == "1"
        assert msg["Subject"] == "Gửi báo cáo tổng kết năm 2025"
        assert msg["From"].addresses[0].addr_spec == "syt@laocai.gov.vn"
        assert _attachments(msg) == hashes
    assert sum(line.startswith("đã lưu thư nháp: ") for line in out.splitlines()) == 2 and str(folder) in out
    assert [e["mode"] for e in _log_lines(folder / mail.LOG_NAME)] == ["draft", "draft"]


def test_drafts_without_sender_and_explicit_folder(tmp_path):
    _docs(tmp_path / "vb")
    results = mail.send_documents(tmp_path / "vb", ["Ban Thi đua – Khen thưởng tỉnh <tdkt@x.vn>", "tdkt@x.vn"],
                                  draft_dir=tmp_path / "nhap")
    assert len(results) == 1  # the same address twice gets one message
    msg = email.message_from_bytes(results[0].eml.read_bytes(), policy=policy.default)
    assert results[0].eml.parent == tmp_path / "nhap" and msg["From"] is None and msg["X-Unsent"] == "1"
    assert msg["To"].addresses[0].display_name == "Ban Thi đua – Khen thưởng tỉnh"


# --- size limit -----------------------------------------------------------------------------
def test_size_limit_splits_into_parts(tmp_path, server):
    rec, port = server()
    hashes = _docs(tmp_path / "vb", sizes=(60_000, 60_000, 60_000))
    results = mail.send_documents(tmp_path / "vb", ["a@x.vn"], mode="send", max_size=120_000,
                                  smtp=mail.SmtpSettings("127.0.0.1", port, security="none", **TINY), sender="s@x.vn")
    assert [(d.part, d.parts, d.status) for d in results] == [(1, 3, "sent"), (2, 3, "sent"), (3, 3, "sent")]
    merged = {}
    for raw in (m[2] for m in rec.messages):
        assert len(raw) <= 120_000
        msg = email.message_from_bytes(raw, policy=policy.default)
        assert msg["Subject"].endswith(f"(phần {len(merged) + 1}/3)")
        merged.update(_attachments(msg))
    assert merged == hashes

    drafts = mail.send_documents(tmp_path / "vb", ["a@x.vn"], max_size=200_000, draft_dir=tmp_path / "nhap")
    assert [d.eml.name for d in drafts] == ["a@x.vn-phan-1-2.eml", "a@x.vn-phan-2-2.eml"]


def test_server_size_limit_answer_is_reported(tmp_path, server):
    rec, port = server(data_size_limit=50_000)
    _docs(tmp_path / "vb")
    d, = mail.send_documents(tmp_path / "vb", ["a@x.vn"], mode="send", max_size=None, sender="s@x.vn",
                             smtp=mail.SmtpSettings("127.0.0.1", port, security="none", **TINY))
    assert d.status == "failed" and d.answer.startswith("552") and d.attempts == 1
    assert d.eml.is_file() and not rec.messages


def test_one_file_over_the_limit_is_refused_clearly(tmp_path, capsys):
    _docs(tmp_path / "vb", sizes=(300_000, 1000, 1000))
    code, out = _run(["email", "--docs", str(tmp_path / "vb"), "--to", "a@x.vn", "--max-size", "0.1"], capsys)
    assert code == 2 and DOCX_NAME in _flat(out) and "vượt giới hạn" in _flat(out) and "Traceback" not in out
    assert not (tmp_path / "vb" / "ban-nhap").exists()
    code, out = _run(["email", "--docs", str(tmp_path / "vb"), "--to", "a@x.vn", "--max-size", "0"], capsys)
    assert code == 0


# --- unit files --------------------------------------------------------------------------------
def _units_setup(tmp_path):
    master = _master(tmp_path / "TongHop.xlsx", [
        ("BVDK", "Bệnh viện Đa khoa tỉnh", "bvdk@laocai.gov.vn"),
        ("TTYT_BT", "Trung tâm Y tế huyện Bảo Thắng", "ttyt.bt@laocai.gov.vn; vanthu.bt@laocai.gov.vn"),
        ("CDC", "Trung tâm Kiểm soát bệnh tật", ""),
        ("BVPHCN", "Bệnh viện Phục hồi chức năng", "bvphcn@laocai.gov.vn"),
    ], config={"Email người gửi": "tdkt.syt@laocai.gov.vn", "Cơ quan ban hành": "SỞ Y TẾ", "Tỉnh": "Lào Cai"})
    split = tmp_path / "don-vi"
    split.mkdir()
    hashes = {}
    for code in ("BVDK", "TTYT_BT", "CDC", "KHAC"):
        data = os.urandom(5000)
        (split / f"{code}.xlsx").write_bytes(data)
        hashes[code] = hashlib.sha256(data).hexdigest()
    return master, split, hashes


def test_unit_files_each_to_its_unit_missing_ones_listed(tmp_path, server, capsys):
    rec, port = server()
    master, split, hashes = _units_setup(tmp_path)
    code, out = _run(["email", "--units", str(master), "--split-dir", str(split), "--send", "--smtp-host", "127.0.0.1",
                      "--smtp-port", str(port), "--no-tls", "--retry-delay", "0.01"], capsys)
    assert code == 1  # two units could not be served
    got = {rcpts[0]: msg for rcpts, msg in rec.parsed()}
    assert sorted(got) == ["bvdk@laocai.gov.vn", "ttyt.bt@laocai.gov.vn", "vanthu.bt@laocai.gov.vn"]
    assert _attachments(got["bvdk@laocai.gov.vn"]) == {"BVDK.xlsx": hashes["BVDK"]}
    assert _attachments(got["vanthu.bt@laocai.gov.vn"]) == {"TTYT_BT.xlsx": hashes["TTYT_BT"]}
    msg = got["bvdk@laocai.gov.vn"]
    assert msg["From"].addresses[0].addr_spec == "tdkt.syt@laocai.gov.vn"  # from the Cấu hình sheet
    assert msg["To"].addresses[0].display_name == "Bệnh viện Đa khoa tỉnh"
    assert "Bệnh viện Đa khoa tỉnh" in msg["Subject"] and "Kính gửi: Bệnh viện Đa khoa tỉnh" in msg.get_body().get_content()
    assert "Trung tâm Kiểm soát bệnh tật (CDC)" in out and "chưa có email" in out
    assert "Bệnh viện Phục hồi chức năng (BVPHCN)" in out and "không có tệp BVPHCN.xlsx" in out
    log = _log_lines(split / mail.LOG_NAME)
    assert sorted(e["status"] for e in log) == ["sent", "sent", "sent", "skipped", "skipped"]


def test_unit_files_as_drafts_and_subset(tmp_path):
    master, split, hashes = _units_setup(tmp_path)
    results = mail.send_unit_files(master, split, draft_dir=tmp_path / "nhap", units=["BVDK", "KHONGCO"])
    by = {d.unit_code: d for d in results}
    assert by["BVDK"].status == "draft" and by["KHONGCO"].status == "skipped"
    msg = email.message_from_bytes(by["BVDK"].eml.read_bytes(), policy=policy.default)
    assert by["BVDK"].eml.name == "BVDK.eml" and _attachments(msg) == {"BVDK.xlsx": hashes["BVDK"]}
    assert "2025" in msg["Subject"]  # year from the master

    # a unit with two addresses: two drafts, neither overwriting the other
    results = mail.send_unit_files(master, split, draft_dir=tmp_path / "nhap2", units=["TTYT_BT"])
    assert sorted(d.eml.name for d in results) == ["TTYT_BT-vanthu.bt@laocai.gov.vn.eml", "TTYT_BT.eml"]
    tos = {email.message_from_bytes(d.eml.read_bytes(), policy=policy.default)["To"].addresses[0].addr_spec
           for d in results}
    assert tos == {"ttyt.bt@laocai.gov.vn", "vanthu.bt@laocai.gov.vn"}
    assert results[0].line().startswith("đã lưu thư nháp: Trung tâm Y tế huyện Bảo Thắng (TTYT_BT) <")


def test_unit_files_from_an_intake_already_read(tmp_path, server):
    """The pipeline hands the job its Intake: the master is not read again, the result is the same."""
    from thidua_xl.intake import read_paths

    rec, port = server()
    master, split, hashes = _units_setup(tmp_path)
    intake = read_paths([master])
    assert len(intake.units) == 4
    master.unlink()  # nothing below may read it
    defaults = mail.defaults_from(intake.config, intake.year)
    assert (defaults.sender, defaults.year, defaults.context["co_quan"]) == ("tdkt.syt@laocai.gov.vn", 2025, "Sở Y tế")
    results = mail.send_to_units(intake, split, mode="send", defaults=defaults,
                                 smtp=mail.SmtpSettings("127.0.0.1", port, security="none", **TINY))
    by = {(d.unit_code, d.recipient): d.status for d in results}
    assert by == {("BVDK", "bvdk@laocai.gov.vn"): "sent", ("TTYT_BT", "ttyt.bt@laocai.gov.vn"): "sent",
                  ("TTYT_BT", "vanthu.bt@laocai.gov.vn"): "sent", ("CDC", ""): "skipped",
                  ("BVPHCN", "bvphcn@laocai.gov.vn"): "skipped"}
    got = {tuple(r): _attachments(m) for r, m in rec.parsed()}
    assert got[("bvdk@laocai.gov.vn",)] == {"BVDK.xlsx": hashes["BVDK"]}


def test_defaults_from_config_sheet(tmp_path, server, capsys):
    rec, port = server()
    master = _master(tmp_path / "TongHop.xlsx", [("BVDK", "Bệnh viện Đa khoa tỉnh", "bvdk@x.vn")], config={
        "Email người gửi": "syt@laocai.gov.vn", "Máy chủ SMTP": "127.0.0.1", "Cổng SMTP": str(port),
        "Bảo mật SMTP (starttls, ssl, không)": "không",
        "Email nhận văn bản (mỗi dòng một địa chỉ)": "snv@laocai.gov.vn\ntdkt@laocai.gov.vn"})
    d = mail.mail_defaults(master)
    assert (d.sender, d.host, d.port, d.security, d.year) == ("syt@laocai.gov.vn", "127.0.0.1", port, "none", 2025)
    _docs(tmp_path / "vb")
    code, out = _run(["email", "--docs", str(tmp_path / "vb"), "--master", str(master), "--send"], capsys)
    assert code == 0, out
    assert sorted(r[0] for r, _ in rec.parsed()) == ["snv@laocai.gov.vn", "tdkt@laocai.gov.vn"]
    assert {m[0] for m in rec.messages} == {"syt@laocai.gov.vn"}


# --- templates and arguments ---------------------------------------------------------------------
def test_user_templates_override_and_sandbox(tmp_path, capsys):
    _docs(tmp_path / "vb")
    tpl = tmp_path / "mau"
    tpl.mkdir()
    (tpl / "van-ban.subject.j2").write_text("Kính gửi {{ so_tep }} văn bản năm {{ nam }}", encoding="utf-8")
    (tpl / "van-ban.body.j2").write_text("{% for t in tep %}{{ t }}\n{% endfor %}", encoding="utf-8")
    res = mail.send_documents(tmp_path / "vb", ["a@x.vn"], templates=tpl, year=2024)
    msg = email.message_from_bytes(res[0].eml.read_bytes(), policy=policy.default)
    assert msg["Subject"] == "Kính gửi 3 văn bản năm 2024"
    assert msg.get_body().get_content().splitlines() == sorted([DOCX_NAME, PDF_NAME, XLSX_NAME])

    (tpl / "van-ban.body.j2").write_text("{{ tep.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
    code, out = _run(["email", "--docs", str(tmp_path / "vb"), "--to", "a@x.vn", "--templates", str(tpl)], capsys)
    assert code == 2 and "van-ban.body.j2" in _flat(out) and "không được phép" in _flat(out) and "Traceback" not in out
    (tpl / "van-ban.body.j2").write_text("{{ bien_khong_co }}", encoding="utf-8")
    with pytest.raises(UserError, match="bien_khong_co"):
        mail.send_documents(tmp_path / "vb", ["a@x.vn"], templates=tpl)


def test_repo_templates_match_packaged_defaults():
    repo = Path(__file__).resolve().parents[1] / "templates" / "email"
    packaged = mail.PACKAGE_TEMPLATES
    names = sorted(p.name for p in packaged.glob("*.j2"))
    assert names == ["don-vi.body.j2", "don-vi.subject.j2", "nhac-nop.body.j2", "nhac-nop.subject.j2",
                     "phan-hoi.body.j2", "phan-hoi.subject.j2", "van-ban.body.j2", "van-ban.subject.j2"]
    for n in names:
        assert (repo / n).read_text(encoding="utf-8") == (packaged / n).read_text(encoding="utf-8")


@pytest.mark.parametrize("args, needle", [
    (["--to", "a@x.vn"], "--docs"),
    (["--docs", "{vb}", "--to", "khong-phai-email"], "không hợp lệ"),
    (["--docs", "{vb}"], "người nhận"),
    (["--docs", "{vb}", "--to", "a@x.vn", "--send", "--draft", "{vb}/n"], "--draft"),
    (["--docs", "{vb}", "--to", "a@x.vn", "--send", "--from", "s@x.vn"], "--smtp-host"),
    (["--docs", "{vb}", "--to", "a@x.vn", "--send", "--smtp-host", "h"], "người gửi"),
    (["--docs", "{vb}", "--to", "a@x.vn", "--ssl", "--starttls"], "--starttls"),
    (["--docs", "{vb}/khong-co", "--to", "a@x.vn"], "Không tìm thấy"),
    (["--units", "{vb}/khong-co.xlsx", "--split-dir", "{vb}"], "Không tìm thấy"),
    (["--units", "{vb}/x.xlsx"], "--split-dir"),
    (["--units", "{vb}/x.xlsx", "--split-dir", "{vb}", "--to", "a@x.vn"], "--to"),
])
def test_bad_arguments_exit_2(tmp_path, capsys, args, needle):
    _docs(tmp_path / "vb")
    code, out = _run(["email"] + [a.replace("{vb}", str(tmp_path / "vb")) for a in args], capsys)
    assert code == 2 and needle in _flat(out) and "Traceback" not in out


def test_empty_folder_is_a_user_error(tmp_path, capsys):
    (tmp_path / "rong").mkdir()
    code, out = _run(["email", "--docs", str(tmp_path / "rong"), "--to", "a@x.vn"], capsys)
    assert code == 2 and "không có tệp" in _flat(out)
