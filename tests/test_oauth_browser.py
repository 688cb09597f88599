"""The relay connection end to end in a real browser (headless Chromium driven through the DevTools
protocol): app -> Intuit consent page (QBO sandbox) -> CrocoClick return page (CrocoClick sandbox) ->
loopback listener -> token relay -> Connected."""

from __future__ import annotations

import base64
import http.client
import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from crocoqb_desktop.qbo.oauth import AuthorizationFailed
from tests.plugins.qbo_sandbox_fixtures import QBO_REALM
from tests.test_connection import relay_world  # noqa: F401 - the fixture

CHROMIUM = os.environ.get("CROCOQB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


# -- a tiny WebSocket + DevTools protocol client (stdlib only) -------------------------------------------
class MiniWebSocket:
    def __init__(self, url: str, timeout: float = 30.0) -> None:
        parts = urlsplit(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {parts.path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise ConnectionError("websocket handshake closed")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(f"websocket handshake refused: {head[:200]!r}")

    def _read(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("websocket closed")
            data += chunk
        return data

    def _send_frame(self, opcode: int, payload: bytes) -> None:
        header = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def send_text(self, text: str) -> None:
        self._send_frame(0x1, text.encode("utf-8"))

    def recv_text(self) -> str:
        message = b""
        while True:
            b1, b2 = self._read(2)
            fin, opcode = b1 & 0x80, b1 & 0x0F
            n = b2 & 0x7F
            if n == 126:
                n = struct.unpack("!H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", self._read(8))[0]
            mask = self._read(4) if b2 & 0x80 else None
            payload = self._read(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 0x9:  # ping
                self._send_frame(0xA, payload)
                continue
            if opcode == 0x8:
                raise ConnectionError("websocket closed by the browser")
            if opcode in (0x0, 0x1, 0x2):
                message += payload
                if fin:
                    return message.decode("utf-8")

    def close(self) -> None:
        try:
            self._send_frame(0x8, b"")
        except OSError:
            pass
        self.sock.close()


class Browser:
    """Headless Chromium with one page, driven over the DevTools protocol."""

    def __init__(self) -> None:
        self.profile = tempfile.mkdtemp(prefix="crocoqb-chromium-")
        self.proc = subprocess.Popen(
            [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "--remote-debugging-port=0",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.quit()
                raise RuntimeError("Chromium did not start its DevTools endpoint")
            time.sleep(0.05)
        self.port = int(port_file.read_text().split()[0])
        page = self._page_target()
        self.ws = MiniWebSocket(page["webSocketDebuggerUrl"])
        self._next_id = 0
        self._lock = threading.Lock()
        self.call("Page.enable")

    def _page_target(self) -> dict[str, Any]:
        deadline = time.monotonic() + 15
        while True:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            conn.request("GET", "/json/list")
            targets = json.loads(conn.getresponse().read())
            conn.close()
            pages = [t for t in targets if t.get("type") == "page"]
            if pages:
                return pages[0]
            if time.monotonic() > deadline:
                raise RuntimeError("Chromium has no page target")
            time.sleep(0.1)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        with self._lock:
            self._next_id += 1
            msg_id = self._next_id
            self.ws.send_text(json.dumps({"id": msg_id, "method": method, "params": params}))
            while True:
                message = json.loads(self.ws.recv_text())
                if message.get("id") == msg_id:
                    if "error" in message:
                        raise RuntimeError(f"{method}: {message['error']}")
                    return message.get("result", {})

    def navigate(self, url: str) -> None:
        self.call("Page.navigate", url=url)

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout_s: float = 20.0) -> Any:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                value = self.evaluate(expression)
            except RuntimeError:  # navigation in progress: the context went away
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"browser: timed out waiting for {expression}; at {self.location()}")
            time.sleep(0.1)

    def location(self) -> str:
        try:
            return str(self.evaluate("location.href"))
        except RuntimeError:
            return "?"

    def quit(self) -> None:
        ws = getattr(self, "ws", None)
        if ws is not None:
            ws.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    b = Browser()
    try:
        yield b
    finally:
        b.quit()


def test_browser_reaches_loopback_listener(browser: Browser) -> None:
    """The listener answers a real browser with the bilingual page."""
    from crocoqb_desktop.qbo.oauth import LoopbackListener

    listener = LoopbackListener()
    try:
        browser.navigate(f"http://127.0.0.1:{listener.port}/callback?code=abc123xyz&realmId=42&state={listener.state}")
        result = listener.wait(20)
        text = browser.wait_for("document.body && document.body.innerText")
        assert "CrocoQB is connected to QuickBooks" in text
        assert "CrocoQB est connecté à QuickBooks" in text
        assert result.code == "abc123xyz" and result.realm_id == "42"
    finally:
        listener.close()


def test_relay_connection_in_a_real_browser(browser: Browser, relay_world) -> None:  # noqa: F811
    """Connect in Chromium: the consent page's Connect button, then the browser itself follows Intuit's
    redirect to CrocoClick's return page and its redirect to the loopback listener."""
    connection = relay_world.connection()
    pending = connection.begin_authorization()
    outcome: dict[str, object] = {}

    def complete() -> None:
        try:
            outcome["result"] = connection.complete(pending, timeout_s=60)
        except BaseException as exc:  # reported below
            outcome["error"] = exc

    waiter = threading.Thread(target=complete, daemon=True)
    waiter.start()
    browser.navigate(pending.url)
    browser.wait_for("document.querySelector('button[value=accept]') !== null")
    assert "Connect to QuickBooks" in browser.evaluate("document.body.innerText")
    browser.evaluate("document.querySelector('button[value=accept]').click(); true")
    text = browser.wait_for(
        "document.body && document.body.innerText.includes('CrocoQB is connected') && document.body.innerText")
    assert "CrocoQB est connecté à QuickBooks" in text
    assert browser.location().startswith(f"http://127.0.0.1:{pending.port}/callback?")
    waiter.join(30)
    assert "error" not in outcome, outcome.get("error")
    assert outcome["result"] == {"company_name": "Croco Demo Co", "realm_id": QBO_REALM}
    status = connection.status()
    assert status["state"] == "connected" and status["company_name"] == "Croco Demo Co"
    assert relay_world.qbo.exchange_count == 1
    assert connection.client().company_info()["CompanyName"] == "Croco Demo Co"


def test_declined_in_a_real_browser(browser: Browser, relay_world) -> None:  # noqa: F811
    connection = relay_world.connection()
    pending = connection.begin_authorization()
    outcome: dict[str, object] = {}

    def complete() -> None:
        try:
            connection.complete(pending, timeout_s=60)
        except BaseException as exc:
            outcome["error"] = exc

    waiter = threading.Thread(target=complete, daemon=True)
    waiter.start()
    browser.navigate(pending.url)
    browser.wait_for("document.querySelector('button[value=cancel]') !== null")
    browser.evaluate("document.querySelector('button[value=cancel]').click(); true")
    text = browser.wait_for(
        "document.body && document.body.innerText.includes('not connected') && document.body.innerText")
    assert "QuickBooks n’a pas été connecté" in text
    waiter.join(30)
    assert isinstance(outcome.get("error"), AuthorizationFailed)
    assert connection.status()["state"] == "not_connected"
