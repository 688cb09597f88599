"""Security: the loopback listener, the relay's return page, TLS and plain-http rules, file modes, and
(last of the whole session) a scan of everything the suite left behind for the secrets the sandboxes
issued.

This module runs after every other test of the session (tests/plugins/proof_helpers.py moves it to
the end), so that its final test sees every data folder, log file and captured output the suite made.
The secrets are those the sandboxes running in the test process issued, recorded where they are
created: QBO access, refresh and id tokens, authorization codes, client secrets, and CrocoClick API
keys. "None may appear" is checked by their distinctive parts (runs of 12+ token characters), so a
secret embedded in JSON, a URL, a log line or an SQLite page is found too.
"""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import json
import logging
import os
import socket
import ssl
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crocoqb_desktop import paths
from crocoqb_desktop.errors import SettingsError
from crocoqb_desktop.net.session import make_session
from crocoqb_desktop.qbo.oauth import LoopbackListener
from crocoqb_desktop.sandbox.croco_server import CrocoSandbox
from crocoqb_desktop.settings import SPECS, Settings
from crocoqb_desktop.sync.store import StateStore
from tests.plugins.proof_helpers import (
    data_homes,
    extra_files,
    file_texts,
    find_secrets,
    issued_secrets,
    output_report,
    record_output,
    secret_words,
)
from tests.plugins.world_fixtures import World

LONG = os.environ.get("CROCOQB_LONG_TESTS") == "1"
REPO_ROOT = Path(__file__).resolve().parents[1]
NONCE = "A" * 43


# ================================================================================================
# the loopback listener
# ================================================================================================
def _get(url: str, **kwargs: Any) -> requests.Response:
    session = requests.Session()
    session.trust_env = False
    try:
        return session.get(url, timeout=5, allow_redirects=False, **kwargs)
    finally:
        session.close()


def _non_loopback_addresses() -> list[str]:
    found: set[str] = set()
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET: no packet is sent, the route picks the address
        found.add(probe.getsockname()[0])
    except OSError:
        pass
    finally:
        probe.close()
    try:
        found.update(socket.gethostbyname_ex(socket.gethostname())[2])
    except OSError:
        pass
    return sorted(a for a in found if not ipaddress.ip_address(a).is_loopback and a != "0.0.0.0")


def test_loopback_listener_binds_127_0_0_1_only() -> None:
    with LoopbackListener() as listener:
        sock = listener._server.socket
        assert sock.family == socket.AF_INET and sock.getsockname()[0] == "127.0.0.1"
        assert listener.redirect_target.startswith("http://127.0.0.1:")
        for address in _non_loopback_addresses():
            probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            probe.settimeout(1)
            try:
                with pytest.raises(OSError):
                    probe.connect((address, listener.port))
            finally:
                probe.close()


def test_loopback_listener_refuses_wrong_state_ignores_other_paths_and_serves_once() -> None:
    listener = LoopbackListener()
    base = listener.redirect_target
    try:
        wrong = _get(base, params={"state": listener.state[:-1] + "x", "code": "WRONGCODE123", "realmId": "1"})
        assert wrong.status_code == 400
        assert "WRONGCODE123" not in wrong.text and listener.state not in wrong.text
        no_state = _get(base, params={"code": "NOSTATE12345", "realmId": "1"})
        assert no_state.status_code == 400
        other = _get(base.replace("/callback", "/other"), params={"state": listener.state, "code": "OTHER12345"})
        assert other.status_code == 404
        for path in ("/callback/../callback", "/callback/", "/CALLBACK", "/callback%00", "/x/callback"):
            raw = http.client.HTTPConnection("127.0.0.1", listener.port, timeout=5)  # paths sent as they are
            raw.request("GET", f"{path}?state={listener.state}&code=SNEAKY12345&realmId=1")
            assert raw.getresponse().status == 404, path
            raw.close()
        assert requests.post(base, params={"state": listener.state, "code": "POSTED12345"}, timeout=5
                             ).status_code == 405
        right = _get(base, params={"state": listener.state, "code": "RIGHTCODE123", "realmId": "4620"})
        assert right.status_code == 200 and "RIGHTCODE123" not in right.text
        assert right.headers["Cache-Control"] == "no-store" and right.headers["Referrer-Policy"] == "no-referrer"
        again = _get(base, params={"state": listener.state, "code": "SECONDCODE12", "realmId": "4620"})
        assert again.status_code == 410  # single use
        result = listener.wait(5)
        assert (result.code, result.realm_id) == ("RIGHTCODE123", "4620")
        with pytest.raises(requests.ConnectionError):
            _get(base, params={"state": listener.state, "code": "LATECODE1234"})
    finally:
        listener.close()


# ================================================================================================
# the relay's return page (CrocoClick): hands the code only to 127.0.0.1
# ================================================================================================
@pytest.fixture(scope="module")
def return_page() -> Iterator[str]:
    sandbox = CrocoSandbox()
    sandbox.start()
    try:
        yield sandbox.return_page_url
    finally:
        sandbox.stop()


def _check_return(url: str, state: str) -> requests.Response:
    answer = _get(url, params={"state": state, "code": "RETURNCODE12", "realmId": "4620"})
    if answer.status_code in (301, 302, 303, 307, 308):
        target = urlsplit(answer.headers["Location"])
        assert (target.scheme, target.hostname, target.path) == ("http", "127.0.0.1", "/callback"), target
        assert target.port is not None and 1024 <= target.port <= 65535
        assert target.username is None and target.password is None
        query = parse_qs(target.query)
        assert query["state"] == [state] and query["code"] == ["RETURNCODE12"]
    else:
        assert answer.status_code in (200, 400) and "Location" not in answer.headers
    return answer


HOSTILE_STATES = [
    "cqb1.80.x", "cqb1.0080." + NONCE, "cqb1.1023." + NONCE, "cqb1.65536." + NONCE, "cqb1.99999." + NONCE,
    "cqb1.0." + NONCE, "cqb1.-8080." + NONCE, "cqb1.8080." + NONCE + "@evil.example",
    "cqb1.8080.@evil.example", "cqb1.8080." + NONCE + "/@evil.example", "cqb1.8080." + NONCE + "#@evil.example",
    "cqb1.8080." + NONCE + "\r\nLocation: http://evil.example/", "cqb1.8080." + NONCE + "\n",
    "cqb1.8080:evil.example." + NONCE, "cqb1.evil.example." + NONCE, "cqb1.8080." + NONCE + ".evil.example",
    "https://evil.example/", "//evil.example", "cqb1.８０８０." + NONCE, "", "cqb2.8080." + NONCE,
]


@pytest.mark.parametrize("state", HOSTILE_STATES)
def test_return_page_never_redirects_off_loopback(return_page: str, state: str) -> None:
    _check_return(return_page, state)


def test_return_page_redirects_a_good_state_to_its_port(return_page: str) -> None:
    answer = _check_return(return_page, f"cqb1.8080.{NONCE}")
    assert answer.status_code == 302 and urlsplit(answer.headers["Location"]).port == 8080


@settings(max_examples=1000 if LONG else 50, deadline=None, derandomize=not LONG,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(state=st.one_of(
    st.text(max_size=80),
    st.builds(lambda port, nonce, tail: f"cqb1.{port}.{nonce}{tail}", st.integers(-10, 10**6),
              st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=10, max_size=60),
              st.sampled_from(["", "@evil.example", "/x", "#", "?a=b", "\n"]))))
def test_return_page_property_only_loopback(return_page: str, state: str) -> None:
    _check_return(return_page, state)


# ================================================================================================
# TLS always verified; plain http only to loopback
# ================================================================================================
@pytest.fixture(scope="module")
def self_signed_https(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """An HTTPS server on 127.0.0.1 with a self-signed certificate (valid for 127.0.0.1)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))

    class Hello(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Length", "5")
            self.end_headers()
            self.wfile.write(b"hello")

        def log_message(self, *args: Any) -> None:
            return

    server = HTTPServer(("127.0.0.1", 0), Hello)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/", cert_path
    finally:
        server.shutdown()
        server.server_close()


def test_tls_verification_cannot_be_turned_off(self_signed_https: tuple[str, Path],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    url, cert = self_signed_https
    session = make_session()
    try:
        assert session.get(url, verify=str(cert), timeout=5).text == "hello"  # the server itself works
        for attempt in ({"verify": False}, {}):
            with pytest.raises(requests.exceptions.SSLError):
                session.get(url, timeout=5, **attempt)
        session.verify = False
        with pytest.raises(requests.exceptions.SSLError):
            session.get(url, timeout=5)
        monkeypatch.setenv("CURL_CA_BUNDLE", "")
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", "")
        with pytest.raises(requests.exceptions.SSLError):
            session.get(url, timeout=5, verify=False)
    finally:
        session.close()


@pytest.fixture
def no_network_io(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every connection attempt to a non-loopback host is recorded and refused."""
    attempts: list[str] = []
    send = requests.adapters.HTTPAdapter.send
    getaddrinfo = socket.getaddrinfo

    def guarded_send(self: Any, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        host = urlsplit(request.url).hostname or ""
        if host not in ("127.0.0.1", "localhost", "::1"):
            attempts.append(str(request.url))
            raise AssertionError(f"network I/O to {request.url}")
        return send(self, request, *args, **kwargs)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in ("127.0.0.1", "localhost", "::1", None):
            attempts.append(f"dns {host}")
            raise AssertionError(f"name lookup of {host}")
        return getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", guarded_send)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    return attempts


@pytest.fixture
def redirecting_server() -> Iterator[str]:
    """A plain-http loopback server (allowed) that redirects to plain http elsewhere (not allowed)."""

    class Redirect(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(302)
            self.send_header("Location", "http://example.com/steal?token=x")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    server = HTTPServer(("127.0.0.1", 0), Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/start"
    finally:
        server.shutdown()
        server.server_close()


def test_plain_http_elsewhere_is_refused_before_any_network_io(no_network_io: list[str],
                                                               redirecting_server: str) -> None:
    session = make_session()
    try:
        for url in ("http://example.com/", "http://93.184.216.34/", "http://127.0.0.1.evil.example/",
                    "http://localhost.evil.example/", "ftp://example.com/"):
            with pytest.raises(SettingsError):
                session.get(url, timeout=5)
        with pytest.raises(SettingsError):  # nor after a redirect from an allowed loopback address
            session.get(redirecting_server, timeout=5)
    finally:
        session.close()
    assert no_network_io == []


def test_the_clients_refuse_plain_http_elsewhere(no_network_io: list[str]) -> None:
    from crocoqb_desktop.croco.client import CrocoClient
    from crocoqb_desktop.qbo.client import QboClient
    from crocoqb_desktop.qbo.oauth import DirectOAuth, HttpRelayApi

    croco = CrocoClient("http://api.crococlick.example/v1", "ck_test_never_sent_0001", "loc", max_attempts=1)
    with pytest.raises(SettingsError):
        croco.me()
    croco.close()
    with pytest.raises(SettingsError):
        QboClient("http://quickbooks.api.intuit.com", "4620", tokens=None)  # type: ignore[arg-type]
    relay = HttpRelayApi("http://api.crococlick.example/v1", "ck_test_never_sent_0002", "loc")
    with pytest.raises(SettingsError):
        relay.oauth_config()
    relay.close()
    with pytest.raises(SettingsError):
        DirectOAuth(client_id="id", client_secret="never-sent-secret", auth_url="http://appcenter.intuit.com/x",
                    token_url="https://oauth.platform.intuit.com/t", revoke_url="https://x.intuit.com/r")
    assert no_network_io == []


URL_KEYS = sorted(key for key, spec in SPECS.items() if spec.parse.__name__ == "_url")
REFUSED_URLS = [
    "http://example.com", "http://api.crococlick.example/v1", "http://127.0.0.1.evil.example",
    "http://127.evil.example", "http://localhost.evil.example", "http://10.0.0.5:8080", "http://[::ffff:10.0.0.1]",
    "ftp://example.com", "file:///etc/passwd", "javascript:alert(1)", "//example.com", "https://", "example.com",
]
ALLOWED_URLS = ["https://example.com/v1", "http://127.0.0.1:8080", "http://localhost:5000/v1", "http://[::1]:8080",
                "http://127.1.2.3:9000"]


def test_settings_refuse_plain_http_for_non_loopback_urls(data_home: Path) -> None:
    assert {"croco.api_base", "qbo.api_base", "qbo.auth_url", "qbo.token_url", "qbo.revoke_url"} <= set(URL_KEYS)
    settings = Settings()
    for key in URL_KEYS:
        for url in REFUSED_URLS:
            with pytest.raises(SettingsError):
                settings.set(key, url)
        for url in ALLOWED_URLS:
            assert settings.set(key, url) == url
    # a hand-edited settings file with such a URL is not used either: the default comes back
    settings.set("croco.api_base", "https://api.example/v1")
    raw = json.loads(settings.path.read_text())
    raw["croco.api_base"] = "http://127.0.0.1.evil.example/v1"
    settings.path.write_text(json.dumps(raw))
    assert Settings().get("croco.api_base") == SPECS["croco.api_base"].default
    out = subprocess.run([sys.executable, "-m", "crocoqb_desktop", "config", "set", "croco.api_base",
                          "http://example.com/v1"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60,
                         env=dict(os.environ, CROCOQB_HOME=str(data_home)))
    assert out.returncode == 2 and "https" in out.stderr and "Traceback" not in out.stderr
    assert Settings().get("croco.api_base") == SPECS["croco.api_base"].default


# ================================================================================================
# data files readable by the user only
# ================================================================================================
def _modes(root: Path) -> dict[str, int]:
    out = {".": stat.S_IMODE(root.stat().st_mode)}
    for path in root.rglob("*"):
        out[str(path.relative_to(root))] = stat.S_IMODE(path.stat().st_mode)
    return out


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_data_files_are_readable_by_the_user_only(world: World, data_home: Path) -> None:
    """After a sync, CLI commands and a log rotation: the data folder is 0700 and every file in it
    (settings.json, state.sqlite3 and its -wal/-shm, lock files, logs incl. rotated ones) 0600,
    whatever the umask."""
    from crocoqb_desktop.logging_setup import configure_logging

    previous = os.umask(0o022)
    try:
        world.contact("Mode", "Check", "mode@example.com")
        assert world.sync().exit_code == 0
        for args in (["status", "--json"], ["log", "--json"], ["config", "set", "sync.push_interval_s", "120"]):
            out = subprocess.run([sys.executable, "-m", "crocoqb_desktop", *args], cwd=REPO_ROOT, timeout=60,
                                 capture_output=True, text=True, env=dict(os.environ, CROCOQB_HOME=str(data_home),
                                                                           CROCOQB_KEYRING_SERVICE="CrocoQB-test"))
            record_output(out.stdout + out.stderr)
            assert out.returncode == 0, out.stderr
        configure_logging()
        handler = next(h for h in logging.getLogger("crocoqb").handlers
                       if isinstance(h, logging.handlers.RotatingFileHandler))
        logging.getLogger("crocoqb.test").warning("before the rotation")
        handler.doRollover()
        logging.getLogger("crocoqb.test").warning("after the rotation")
        handler.flush()
        # the -wal and -shm files exist while a connection is open (the last one to close removes them)
        store = StateStore()
        store.set_cursor("test.modes", "written")
        modes = _modes(paths.data_dir())  # the profile's folder (rule 12)
        root_modes = _modes(data_home)
        store.close()
    finally:
        os.umask(previous)
    names = set(modes)
    assert {"settings.json", "state.sqlite3", "state.sqlite3-wal", "state.sqlite3-shm", "logs/crocoqb.log",
            "logs/crocoqb.log.1"} <= names, names
    loose = {name: oct(mode) for name, mode in modes.items() if mode & 0o077}
    assert loose == {}, f"readable by others: {loose}"
    assert modes["."] == 0o700 and modes["logs"] == 0o700
    assert root_modes["."] == 0o700 and root_modes["profiles"] == 0o700
    assert not {name: oct(mode) for name, mode in root_modes.items() if mode & 0o077}


# ================================================================================================
# last of the session: no issued secret anywhere the suite left something
# ================================================================================================
def test_zz_no_issued_secret_in_any_data_folder_log_or_output(world: World, data_home: Path,
                                                             tmp_path_factory: pytest.TempPathFactory,
                                                             capfd: pytest.CaptureFixture[str]) -> None:
    """Runs a connected world once more (sync with a token renewal, a revoked grant, the CLI's
    status/log/disconnect), then scans every file under pytest's base temporary folder and every
    data folder any test used (CROCOQB_HOME values seen during the session), including SQLite files,
    WAL files, log files and zip archives, plus the captured output of every test, for every secret
    the sandboxes issued during the session."""
    world.contact("Secret", "Keeper", "keeper@example.com")
    inv = world.croco.create_invoice(world.loc, contact_id=world.croco.contacts(world.loc)[0]["id"],
                                     number="SEC-1", send=True,
                                     items=[{"name": "Audit", "quantity": 1, "unitPrice": "10.00"}])
    world.qbo.expire_access_tokens()
    assert world.sync().exit_code == 0
    assert any(inv["id"] in str(i.get("PrivateNote")) for i in world.qbo_objects("Invoice"))
    env = dict(os.environ, CROCOQB_HOME=str(data_home), CROCOQB_KEYRING_SERVICE="CrocoQB-test")
    outputs = []
    for args in (["status", "--json"], ["log", "--json", "--level", "DEBUG"], ["sync", "--once"]):
        out = subprocess.run([sys.executable, "-m", "crocoqb_desktop", *args], cwd=REPO_ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
        outputs.append(out.stdout + out.stderr)
    world.qbo.revoke_grant(world.realm)
    stopped = world.sync()
    assert stopped.exit_code == 2
    for args in (["status"], ["disconnect"], ["log"]):
        out = subprocess.run([sys.executable, "-m", "crocoqb_desktop", *args], cwd=REPO_ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
        outputs.append(out.stdout + out.stderr)
    for handler in logging.getLogger("crocoqb").handlers:
        handler.flush()
    captured = capfd.readouterr()
    outputs.append(captured.out + captured.err + stopped.summary())

    secrets = issued_secrets()
    assert world.demo.api_key in secrets and len(secrets) >= 6
    words = secret_words(secrets)
    for secret in secrets:  # the detector finds each one, as it would appear in JSON, a URL or a log line
        assert secret in find_secrets(json.dumps({"token": secret}), words)
        assert secret in find_secrets(f"GET /x?code={secret}&state=y Authorization: Bearer {secret}", words)
    roots = {tmp_path_factory.getbasetemp(), *data_homes(), data_home}
    files = {p for root in roots if root.exists() for p in root.rglob("*") if p.is_file() and not p.is_symlink()}
    code_copies = {m.parent for root in roots if root.exists() for m in root.rglob(".code-copy")}  # test_wheel's
    files = {p for p in files if not code_copies.intersection(p.parents)}
    files |= {p for p in extra_files() if p.is_file()}
    assert any(p.name == "state.sqlite3" for p in files) and any(p.name == "crocoqb.log" for p in files)
    leaks = []
    for path in sorted(files):
        for text in file_texts(path):
            leaks.extend(f"{path}: ...{s[-6:]}" for s in find_secrets(text, words))
    for text in outputs:
        leaks.extend(f"command output: ...{s[-6:]}" for s in find_secrets(text, words))
    scanned, output_leaks = output_report()
    print(f"scanned {len(files)} files under {len(roots)} folders and {scanned} captured outputs "
          f"for {len(secrets)} issued secrets")
    assert leaks == [] and output_leaks == [], leaks + output_leaks
