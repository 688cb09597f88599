"""Fixtures for the QuickBooks Online sandbox (`crocoqb_desktop.sandbox.qbo_server.QboSandbox`).

- `qbo_sandbox`: started, one "us" company (realm `QBO_REALM`), the relay client registered
  (`QBO_CLIENT_ID`, `QBO_CLIENT_SECRET`, no redirect URIs: call `register_client` again to add some).
- `qbo_sandbox_ca`: the same with a "ca" company.
- `qbo_api` / `qbo_api_ca`: a `SandboxApi` (plain `requests` with a minted bearer token) on them; it
  keeps to the sandbox's 10 requests per second (as any client must) so that tests of other things are
  not throttled.
Sandboxes are stopped after the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import requests

from crocoqb_desktop.sandbox.qbo_server import QboSandbox

QBO_REALM = "9130350000000001"
QBO_CLIENT_ID = "crocoqb-relay-client"
QBO_CLIENT_SECRET = "relay-secret"


def _started(preset: str) -> Iterator[QboSandbox]:
    sandbox = QboSandbox()
    sandbox.add_company(QBO_REALM, preset=preset)
    sandbox.register_client(QBO_CLIENT_ID, QBO_CLIENT_SECRET, [])
    sandbox.start()
    try:
        yield sandbox
    finally:
        sandbox.stop()


@pytest.fixture
def qbo_sandbox() -> Iterator[QboSandbox]:
    yield from _started("us")


@pytest.fixture
def qbo_sandbox_ca() -> Iterator[QboSandbox]:
    yield from _started("ca")


class SandboxApi:
    """Raw HTTP against a sandbox realm, JSON numbers parsed as Decimal (for tests)."""

    def __init__(self, sandbox: QboSandbox, realm: str = QBO_REALM, client_id: str = QBO_CLIENT_ID) -> None:
        self.sandbox = sandbox
        self.tokens = sandbox.issue_tokens(client_id, realm)
        self.session = requests.Session()
        self.session.headers.update(
            {"Authorization": f"Bearer {self.tokens['access_token']}", "Accept": "application/json"}
        )
        self.base = f"{sandbox.api_base}/v3/company/{realm}"
        self._sent: list[float] = []

    def _pace(self) -> None:
        """At most 10 requests per (time-scaled) second, like the app's client."""
        import time

        if not self.sandbox.requests_per_second:
            return
        window = 1.0 / self.sandbox.time_scale
        now = time.monotonic()
        self._sent = [t for t in self._sent if now - t < window]
        if len(self._sent) >= self.sandbox.requests_per_second:
            time.sleep(window - (now - self._sent[0]) + 0.002)
            self._sent.pop(0)
        self._sent.append(time.monotonic())

    def _answered(self, response: requests.Response) -> requests.Response:
        """Counts a request from when its answer came back (after the server counted it), so a slow
        answer on a busy machine never lets the next window start before the server's did."""
        import time

        if self._sent:
            self._sent[-1] = time.monotonic()
        return response

    def get(self, path: str, **params: Any) -> requests.Response:
        self._pace()
        return self._answered(
            self.session.get(f"{self.base}/{path}", params={"minorversion": "75", **params}, timeout=10))

    def post(self, path: str, body: Any, **params: Any) -> requests.Response:
        from crocoqb_desktop.sandbox.qbo_common import dumps  # Decimal-exact JSON

        self._pace()
        return self._answered(self.session.post(
            f"{self.base}/{path}",
            params={"minorversion": "75", **params},
            data=dumps(body),
            headers={"Content-Type": "application/json"},
            timeout=10,
        ))

    @staticmethod
    def data(response: requests.Response) -> Any:
        import json

        return json.loads(response.text, parse_float=Decimal)

    def ok(self, response: requests.Response) -> Any:
        assert response.status_code == 200, response.text
        return self.data(response)

    def create(self, entity: str, body: dict[str, Any], **params: Any) -> dict[str, Any]:
        return self.ok(self.post(entity.lower(), body, **params))[entity]

    def read(self, entity: str, oid: str) -> dict[str, Any]:
        return self.ok(self.get(f"{entity.lower()}/{oid}"))[entity]

    def query(self, text: str) -> dict[str, Any]:
        return self.ok(self.get("query", query=text))["QueryResponse"]

    def fault(self, response: requests.Response, status: int = 400) -> dict[str, Any]:
        assert response.status_code == status, response.text
        return self.data(response)["Fault"]["Error"][0]


@pytest.fixture
def qbo_api(qbo_sandbox: QboSandbox) -> SandboxApi:
    return SandboxApi(qbo_sandbox)


@pytest.fixture
def qbo_api_ca(qbo_sandbox_ca: QboSandbox) -> SandboxApi:
    return SandboxApi(qbo_sandbox_ca)
