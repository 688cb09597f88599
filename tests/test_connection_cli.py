"""`crocoqb connect --no-browser` and `crocoqb connect --paste` as real processes: the URL is printed,
an HTTP-following opener plays the user's browser, the CLI ends "Connected"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

from tests.test_connection import RelayWorld, consent, redirect_chain, relay_world  # noqa: F401

REPO = Path(__file__).resolve().parents[1]


def _cli(home: Path, *args: str, stdin: int | None = None) -> subprocess.Popen[str]:
    env = dict(os.environ, CROCOQB_HOME=str(home))
    return subprocess.Popen([sys.executable, "-m", "crocoqb_desktop", *args], env=env, cwd=REPO, text=True,
                            stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _authorize_url(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("Authorize at: "), line
    return line.removeprefix("Authorize at: ").strip()


def _status(home: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "crocoqb_desktop", "status", "--json"], cwd=REPO, text=True,
                         env=dict(os.environ, CROCOQB_HOME=str(home)), capture_output=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["quickbooks"]


def test_cli_connect_no_browser(relay_world: RelayWorld) -> None:  # noqa: F811
    proc = _cli(relay_world.home, "connect", "--no-browser", "--timeout", "60")
    url = _authorize_url(proc)
    assert url.startswith(relay_world.qbo.authorize_url)
    browser = threading.Thread(target=consent, args=(url,), daemon=True)
    browser.start()
    out, err = proc.communicate(timeout=90)
    browser.join(10)
    assert proc.returncode == 0, err
    assert "Connected to QuickBooks: Croco Demo Co" in out
    status = _status(relay_world.home)
    assert status["state"] == "connected" and status["company_name"] == "Croco Demo Co"

    disconnect = _cli(relay_world.home, "disconnect")
    out, err = disconnect.communicate(timeout=60)
    assert disconnect.returncode == 0, err
    assert _status(relay_world.home)["state"] == "not_connected"


def test_cli_connect_paste(relay_world: RelayWorld) -> None:  # noqa: F811
    proc = _cli(relay_world.home, "connect", "--paste", stdin=subprocess.PIPE)
    url = _authorize_url(proc)
    callback = redirect_chain(url)[-1]
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(callback).query))
    out, err = proc.communicate(f"{query['code']} {query['realmId']}\n", timeout=90)
    assert proc.returncode == 0, err
    assert "Connected to QuickBooks: Croco Demo Co" in out
    assert _status(relay_world.home)["state"] == "connected"


def test_cli_connect_timeout_says_what_to_do(relay_world: RelayWorld) -> None:  # noqa: F811
    proc = _cli(relay_world.home, "connect", "--no-browser", "--timeout", "1")
    _authorize_url(proc)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "QuickBooks sign-in timed out" in err and "paste" in err
    assert "Traceback" not in err
